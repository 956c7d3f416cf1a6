//! Running the binary and comparing its output with golden files.
//!
//! Output is scrubbed before comparison: ports, durations, correlation ids and timestamps
//! change on every run. `UPDATE_GOLDEN=1 cargo test` rewrites the goldens for review.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::LazyLock;

use regex::Regex;

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_apitest")
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `apitest` with `args` in `dir`, colours off and no backtraces, so that the output does not
/// depend on the terminal or the caller's environment; for a test that adds to the environment
/// or spawns the process.
pub fn command(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(bin());
    command
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("RUST_BACKTRACE");
    command
}

/// Runs [`command`] to completion.
pub fn apitest(dir: &Path, args: &[&str]) -> Output {
    command(dir, args)
        .output()
        .expect("the apitest binary runs")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

static SCRUBS: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    vec![
        (Regex::new(r"127\.0\.0\.1:\d+").unwrap(), "127.0.0.1:PORT"),
        (Regex::new(r"\(\d+ ms\)").unwrap(), "(N ms)"),
        (Regex::new(r"in \d+\.\d+ s").unwrap(), "in N s"),
        (Regex::new(r"\b[0-9a-f]{32}\b").unwrap(), "HEX32"),
        (
            Regex::new(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})").unwrap(),
            "TIMESTAMP",
        ),
        (Regex::new(r"apitest-case-\d+").unwrap(), "apitest-case-PID"),
    ]
});

pub fn scrub(text: &str) -> String {
    let mut out = text.to_string();
    for (re, with) in SCRUBS.iter() {
        out = re.replace_all(&out, *with).into_owned();
    }
    out
}

/// Compares `actual` with the golden file, or writes it when `UPDATE_GOLDEN` is set.
pub fn assert_golden(golden: &Path, actual: &str) {
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(golden, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(golden).unwrap_or_else(|_| {
        panic!(
            "missing golden {}; run with UPDATE_GOLDEN=1 and review it",
            golden.display()
        )
    });
    if expected != actual {
        panic!(
            "output differs from {}\n--- expected\n{expected}\n--- actual\n{actual}",
            golden.display()
        );
    }
}

/// The `.feature` files of a case folder, sorted.
pub fn features_in(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "feature"))
        .collect();
    out.sort();
    out
}

/// A fresh temporary folder for one test.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("apitest-it-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A fresh temporary project holding `files`, each a path relative to it and its contents.
pub fn project(name: &str, files: &[(&str, &[u8])]) -> PathBuf {
    let dir = temp_dir(name);
    for (path, contents) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }
    dir
}

/// A feature file in zato-apitest 1.x spelling: `Then JSON Pointer "/a" is ...` where 24.10.1
/// writes `Then path "/a" is ...` (only where `path` is the step's first word).
pub fn to_1x_spelling(feature: &str) -> String {
    static STEP_PATH: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"(?m)^(\s*(?:Given|When|Then|And|But|\*) )path ""#).unwrap());
    STEP_PATH
        .replace_all(feature, "${1}JSON Pointer \"")
        .into_owned()
}
