//! `apitest generate SPEC [--out DIR] [--tag @generated] [--force]`: writes readable,
//! editable feature files from an OpenAPI document (`contract::generate` decides what they
//! say). Re-running never overwrites a file that differs from what it would write (the user
//! edited it): the new version goes beside it as `NAME.feature.new`, unless `--force`.

use std::path::{Path, PathBuf};

use crate::cmd::usage_error;
use crate::contract::Spec;
use crate::contract::generate::{FeatureDraft, drafts};
use crate::exit_code::PASSED;

pub fn generate(spec_path: &Path, out: &Path, tag: &str, force: bool) -> u8 {
    let tag = tag.trim();
    let tag_ok = tag.starts_with('@') && tag.len() > 1 && !tag.contains(char::is_whitespace);
    if !tag_ok {
        return usage_error(
            &format!("`{tag}` is not a tag"),
            Some("write one word after `@`, e.g. `--tag @generated`"),
        );
    }
    let shown = spec_path.display().to_string();
    let spec = match Spec::load(spec_path, &shown) {
        Ok(spec) => spec,
        Err(e) => {
            return usage_error(
                &e,
                Some("give an OpenAPI 3.0 or 3.1 document, YAML or JSON, in one file"),
            );
        }
    };
    if let Err(e) = std::fs::create_dir_all(out) {
        return usage_error(&format!("cannot create `{}`: {e}", out.display()), None);
    }
    // The scenarios name the spec relative to the project folder, as `Given OpenAPI spec`
    // reads it; a spec outside that folder is copied in, so the suite runs where it is.
    let project = crate::runner::discover::project_root(out);
    let spec_name = match spec_in_project(spec_path, &project, force) {
        Ok(name) => name,
        Err(e) => return usage_error(&e, None),
    };
    let features = drafts(&spec);
    if features.is_empty() {
        return usage_error(
            &format!("`{shown}` documents no operation to write a scenario for"),
            None,
        );
    }
    let title = spec
        .doc
        .pointer("/info/title")
        .and_then(serde_json::Value::as_str)
        .unwrap_or("the API")
        .to_string();
    let mut scenarios = 0;
    for feature in &features {
        scenarios += feature.scenarios.len();
        let text = render(feature, &title, &spec_name, tag);
        let path = out.join(&feature.file);
        match write_feature(&path, &text, force) {
            Ok(what) => crate::report::out(&format!("  {what} {}\n", path.display())),
            Err(e) => {
                return usage_error(&format!("cannot write `{}`: {e}", path.display()), None);
            }
        }
    }
    crate::report::out(&format!(
        "\n{scenarios} scenario{} in {} feature{} from {shown}.\nRun them: apitest run {}\n",
        crate::error::plural(scenarios),
        features.len(),
        crate::error::plural(features.len()),
        out.display()
    ));
    PASSED
}

/// The name `Given OpenAPI spec` gives the spec: its path below the project folder, after
/// copying it to `contracts/` there when it lies outside.
fn spec_in_project(spec: &Path, project: &Path, force: bool) -> Result<String, String> {
    let real = spec
        .canonicalize()
        .map_err(|e| format!("cannot read `{}`: {e}", spec.display()))?;
    let root = project
        .canonicalize()
        .map_err(|e| format!("cannot read `{}`: {e}", project.display()))?;
    if let Ok(relative) = real.strip_prefix(&root) {
        return Ok(relative.to_string_lossy().replace('\\', "/"));
    }
    let file = real.file_name().map(PathBuf::from).unwrap_or_default();
    let copy = project.join("contracts").join(&file);
    let text =
        std::fs::read(&real).map_err(|e| format!("cannot read `{}`: {e}", spec.display()))?;
    match std::fs::read(&copy) {
        Ok(existing) if existing == text => {}
        Ok(_) if !force => {
            return Err(format!(
                "`{}` exists and differs from `{}`; pass `--force` to replace it",
                copy.display(),
                spec.display()
            ));
        }
        _ => {
            std::fs::create_dir_all(project.join("contracts"))
                .and_then(|()| std::fs::write(&copy, &text))
                .map_err(|e| format!("cannot write `{}`: {e}", copy.display()))?;
            crate::report::out(&format!("  copied the spec to {}\n", copy.display()));
        }
    }
    Ok(format!("contracts/{}", file.to_string_lossy()))
}

/// Writes `text` at `path` unless a different file is there: then beside it as `.new`
/// (or over it with `force`). Says what it did.
fn write_feature(path: &Path, text: &str, force: bool) -> std::io::Result<&'static str> {
    match std::fs::read_to_string(path) {
        Ok(existing) if existing == text => Ok("unchanged"),
        Ok(_) if !force => {
            let mut name = path.as_os_str().to_os_string();
            name.push(".new");
            std::fs::write(PathBuf::from(name), text)?;
            Ok("kept your edits in; wrote the new version beside")
        }
        Ok(_) => {
            std::fs::write(path, text)?;
            Ok("replaced")
        }
        Err(_) => {
            std::fs::write(path, text)?;
            Ok("created")
        }
    }
}

/// The feature file's text.
fn render(feature: &FeatureDraft, title: &str, spec: &str, tag: &str) -> String {
    let mut out = format!(
        "{tag}\nFeature: {title}: {}\n  Generated by `apitest generate` from {spec}: a scenario for each documented\n  response that can be reached without guessing. Edit freely: running the command again\n  leaves an edited file alone and writes the new version beside it as `.new`.\n",
        feature.title
    );
    for note in &feature.notes {
        out.push_str(&format!("  # Not generated: {note}\n"));
    }
    out.push_str(&format!(
        "\n  Background:\n    Given OpenAPI spec \"{spec}\"\n    And address \"@address\"\n"
    ));
    for scenario in &feature.scenarios {
        out.push_str(&format!("\n  Scenario: {}\n", scenario.name));
        for step in &scenario.steps {
            out.push_str(&format!("    {step}\n"));
        }
    }
    out
}
