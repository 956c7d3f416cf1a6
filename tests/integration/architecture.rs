//! The layering of `src/`, checked on the source: a module imports only modules below it in
//! the flow (parse → plan → run → events → reports), so no two modules import each other.
//! ARCHITECTURE.md draws the same table.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Every top-level module with its layer; a module may use only modules of lower layers.
const LAYERS: &[(&str, usize)] = &[
    ("exit_code", 0),
    ("error", 0),
    ("secret", 0),
    ("gherkin", 1),
    ("value", 1),
    ("check", 1),
    ("xml", 1),
    ("http", 2),
    ("contract", 3),
    ("world", 4),
    ("steps", 5),
    ("runner", 6),
    ("report", 7),
    ("demo", 7),
    ("cmd", 8),
    ("cli", 9),
];

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().find(|(m, _)| *m == module).map(|(_, l)| *l)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level modules a file names as `crate::name`.
fn named_modules(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = text;
    while let Some(at) = rest.find("crate::") {
        let after = &rest[at + "crate::".len()..];
        let name: String = after
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            found.insert(name);
        }
        rest = after;
    }
    found
}

#[test]
fn no_module_imports_one_above_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut wrong = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(&src).unwrap();
        let top = relative
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        if top == "lib" || top == "main" {
            continue;
        }
        let Some(own) = layer(&top) else {
            wrong.push(format!(
                "{}: module `{top}` has no layer",
                relative.display()
            ));
            continue;
        };
        let text = std::fs::read_to_string(file).unwrap();
        for used in named_modules(&text) {
            if used == top {
                continue;
            }
            match layer(&used) {
                None => wrong.push(format!(
                    "{}: `crate::{used}` is not a module with a layer",
                    relative.display()
                )),
                Some(theirs) if theirs >= own => wrong.push(format!(
                    "{}: `{top}` (layer {own}) uses `{used}` (layer {theirs})",
                    relative.display()
                )),
                Some(_) => {}
            }
        }
    }
    assert!(wrong.is_empty(), "layering broken:\n{}", wrong.join("\n"));
}

#[test]
fn every_module_of_the_crate_has_a_layer() {
    let lib =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")).unwrap();
    for line in lib.lines() {
        if let Some(name) = line
            .strip_prefix("pub mod ")
            .and_then(|r| r.strip_suffix(';'))
        {
            assert!(layer(name).is_some(), "`{name}` is missing from LAYERS");
        }
    }
}
