//! Running the binary in temporary projects, for the integration tests and the case files.

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
    // A run in the repository itself writes the reports it is not told where to write into a
    // folder of its own, not over the reports/ the README's first command wrote.
    if dir == root() && args.first() == Some(&"run") {
        static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let given = |flags: &[&str]| args.iter().any(|a| flags.contains(a));
        let n = RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let reports =
            std::env::temp_dir().join(format!("apitest-it-reports-{}-{n}", std::process::id()));
        if !given(&["--report-junit", "--junit", "--no-junit"]) {
            command.arg("--junit").arg(reports.join("junit.xml"));
        }
        if !given(&["--report-html", "--no-html"]) {
            command
                .arg("--report-html")
                .arg(reports.join("report.html"));
        }
    }
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

/// Runs a case file of the project (named relative to the project root) against the demo API.
pub fn run_case(feature: &Path, extra: &[&str]) -> std::process::Output {
    let name = feature
        .strip_prefix(root())
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let mut args = vec!["run", "--demo", "--no-junit", "--no-html", "--jobs", "1"];
    args.extend_from_slice(extra);
    args.push(&name);
    apitest(&root(), &args)
}

/// Runs apitest in `dir`, waits for a stdout line containing `marker`, sends `signal` (as
/// `kill` takes it: `-TERM`), and returns the exit code, everything printed, and how long the
/// process took to end after the signal.
pub fn signal_after(
    dir: &Path,
    args: &[&str],
    marker: &str,
    signal: &str,
) -> (Option<i32>, String, std::time::Duration) {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let mut child = command(dir, args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut seen = String::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        seen.push_str(&line);
        seen.push('\n');
        if line.contains(marker) {
            break;
        }
    }
    assert!(seen.contains(marker), "{seen}");
    let sent = std::time::Instant::now();
    let status = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    for line in lines {
        seen.push_str(&line.unwrap());
        seen.push('\n');
    }
    let code = child.wait().unwrap().code();
    (code, seen, sent.elapsed())
}

/// The conformance data folder: `APITEST_CONFORMANCE`, else the nearest `shared/conformance`
/// above the repository; `None` where there is none.
pub fn conformance_dir() -> Option<PathBuf> {
    std::env::var_os("APITEST_CONFORMANCE")
        .map(PathBuf::from)
        .or_else(|| {
            root()
                .ancestors()
                .skip(1)
                .map(|dir| dir.join("shared/conformance"))
                .find(|dir| dir.is_dir())
        })
}

/// A file of the Cucumber/JUnit conformance data, which lives beside the repository in the
/// workspace (`../shared/conformance`, never copied in): `APITEST_CONFORMANCE` names the
/// folder, else the nearest `shared/conformance` above the repository. Without it the caller
/// skips, saying so on stderr (a clone outside the workspace has no such folder).
pub fn conformance(file: &str) -> Option<PathBuf> {
    match conformance_dir().map(|dir| dir.join(file)) {
        Some(path) if path.is_file() => Some(path),
        _ => {
            eprintln!(
                "SKIPPED: the conformance data ({file}) is not beside the repository; set \
                 APITEST_CONFORMANCE to its folder"
            );
            None
        }
    }
}
