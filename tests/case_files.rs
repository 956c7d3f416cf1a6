//! Case files, one named test each (`cargo test --test cases -- json_types` runs one, and
//! every failing case is listed): every `tests/cases/pass/*.feature` passes; every
//! `tests/cases/fail/*.feature` fails in *every* scenario (a failing twin that passes means a
//! step checks nothing) and prints what its golden `.out` says; every
//! `tests/cases/parse_error/*.feature` exits 2 and names file and line as its golden `.err`
//! says.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed set-up must stop the test loudly"
)]

#[path = "integration/harness.rs"]
#[expect(dead_code, reason = "the harness is shared with the integration tests")]
mod harness;

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;

use libtest_mimic::{Arguments, Failed, Trial};

use harness::{features_in, root, run_case, text};

// Output is scrubbed before comparison: ports, durations, correlation ids and timestamps
// change on every run. `UPDATE_GOLDEN=1 cargo test` rewrites the goldens for review.
static SCRUBS: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    vec![
        (Regex::new(r"127\.0\.0\.1:\d+").unwrap(), "127.0.0.1:PORT"),
        (Regex::new(r"\(\d+ ms\)").unwrap(), "(N ms)"),
        // A measured response time (`took 53 ms`, `actual: 53 ms`); limits stay as written.
        (Regex::new(r"(took|actual:) \d+ ms").unwrap(), "$1 N ms"),
        (Regex::new(r"in \d+\.\d+ s").unwrap(), "in N s"),
        // How many times a polling step sent its request depends on the machine's timing.
        (Regex::new(r"attempts: \d+ ").unwrap(), "attempts: N "),
        (Regex::new(r#""calls":\d+"#).unwrap(), r#""calls":N"#),
        (Regex::new(r"\b[0-9a-f]{32}\b").unwrap(), "HEX32"),
        (
            Regex::new(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})").unwrap(),
            "TIMESTAMP",
        ),
        (Regex::new(r"apitest-case-\d+").unwrap(), "apitest-case-PID"),
        // `path "/department" in request is one of "HR, Payroll"` picks one at random; the
        // request it built shows in the failure's curl line.
        (
            Regex::new(r#""archived":false,"department":"(HR|Payroll)""#).unwrap(),
            r#""archived":false,"department":"ONE-OF""#,
        ),
    ]
});

fn scrub(text: &str) -> String {
    let mut out = text.to_string();
    for (re, with) in SCRUBS.iter() {
        out = re.replace_all(&out, *with).into_owned();
    }
    out
}

/// Compares `actual` with the golden file, or writes it when `UPDATE_GOLDEN` is set.
fn golden(golden: &Path, actual: &str) -> Result<(), Failed> {
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(golden, actual).map_err(|e| e.to_string())?;
        return Ok(());
    }
    let expected = std::fs::read_to_string(golden).map_err(|_| {
        format!(
            "missing golden {}; run with UPDATE_GOLDEN=1 and review it",
            golden.display()
        )
    })?;
    if expected == actual {
        return Ok(());
    }
    Err(format!(
        "output differs from {}\n--- expected\n{expected}\n--- actual\n{actual}",
        golden.display()
    )
    .into())
}

fn passes(feature: &Path) -> Result<(), Failed> {
    let out = run_case(feature, &["-q"]);
    let stdout = text(&out.stdout);
    if out.status.code() != Some(0) {
        return Err(format!(
            "{} should pass:\n{stdout}\n{}",
            feature.display(),
            text(&out.stderr)
        )
        .into());
    }
    if !stdout.contains("passed") {
        return Err(format!("no summary:\n{stdout}").into());
    }
    Ok(())
}

fn fails_everywhere(feature: &Path) -> Result<(), Failed> {
    let out = run_case(feature, &["-q"]);
    let stdout = text(&out.stdout);
    if out.status.code() != Some(1) {
        return Err(format!("{} should fail:\n{stdout}", feature.display()).into());
    }
    if !stdout.contains("(0 passed, ") {
        return Err(format!(
            "every scenario of {} must fail; a failing twin that passes checks nothing:\n{stdout}",
            feature.display()
        )
        .into());
    }
    golden(&feature.with_extension("out"), &scrub(&stdout))
}

fn does_not_parse(feature: &Path) -> Result<(), Failed> {
    let out = run_case(feature, &[]);
    let stderr = text(&out.stderr);
    if out.status.code() != Some(2) {
        return Err(format!("{}:\n{stderr}", feature.display()).into());
    }
    let name = feature.file_name().unwrap().to_str().unwrap();
    if !stderr.contains(&format!("{name}:")) {
        return Err(format!("must name the file: {stderr}").into());
    }
    golden(&feature.with_extension("err"), &scrub(&stderr))
}

fn trials(kind: &'static str, check: fn(&Path) -> Result<(), Failed>) -> Vec<Trial> {
    let dir: PathBuf = root().join("tests/cases").join(kind);
    let features = features_in(&dir);
    assert!(!features.is_empty(), "no cases in {}", dir.display());
    features
        .into_iter()
        .map(|feature| {
            let stem = feature.file_stem().unwrap().to_string_lossy().into_owned();
            Trial::test(format!("{kind}::{stem}"), move || check(&feature))
        })
        .collect()
}

fn main() {
    let args = Arguments::from_args();
    let mut all = trials("pass", passes);
    all.extend(trials("fail", fails_everywhere));
    all.extend(trials("parse_error", does_not_parse));
    libtest_mimic::run(&args, all).exit();
}
