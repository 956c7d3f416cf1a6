//! The real consumers of apitest's reports, installed for the tests: the npm packages pinned
//! in tests/consumers/package-lock.json (the Cucumber Messages schemas, the official Cucumber
//! HTML formatter, a Cucumber JSON reporter, puppeteer-core) go into target/consumers on
//! first use, and headless Chromium is the system's (`chromium`, or `APITEST_CHROMIUM`).
//!
//! Without node/npm or Chromium a test says SKIPPED on stderr and returns, as a clone
//! without the tools cannot run them; with `APITEST_REQUIRE_CONSUMERS=1` (set by .ci/run,
//! which installs them) a missing tool fails the test instead, so CI never skips silently.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, OnceLock};

use crate::harness::{root, text};

fn required() -> bool {
    std::env::var_os("APITEST_REQUIRE_CONSUMERS").is_some_and(|v| v == "1")
}

fn missing(what: &str) -> Option<PathBuf> {
    assert!(
        !required(),
        "{what} is missing and APITEST_REQUIRE_CONSUMERS=1"
    );
    eprintln!("SKIPPED: {what} is missing; install it to run this check");
    None
}

/// Whether `program` (a shell that reads completion scripts) is here; else `false`, after
/// saying why, or a failure under `APITEST_REQUIRE_CONSUMERS=1`.
pub fn program(program: &str) -> bool {
    let here = Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    here || missing(program).is_some()
}

/// target/consumers with its node_modules installed, once per test process; `None` (after
/// saying why) when node or npm is missing.
pub fn node_modules() -> Option<PathBuf> {
    static READY: OnceLock<Option<PathBuf>> = OnceLock::new();
    static LOCK: Mutex<()> = Mutex::new(());
    READY
        .get_or_init(|| {
            let _held = LOCK.lock().unwrap();
            let works = |program: &str| {
                Command::new(program)
                    .arg("--version")
                    .output()
                    .is_ok_and(|o| o.status.success())
            };
            if !works("node") || !works("npm") {
                return missing("node/npm");
            }
            let source = root().join("tests/consumers");
            let dir = root().join("target/consumers");
            std::fs::create_dir_all(&dir).unwrap();
            copy_tree(&source, &dir);
            let lock = std::fs::read_to_string(source.join("package-lock.json")).unwrap();
            let stamp = dir.join("node_modules/.installed-lock");
            if std::fs::read_to_string(&stamp).ok().as_deref() != Some(lock.as_str()) {
                let out = Command::new("npm")
                    .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
                    .current_dir(&dir)
                    .output()
                    .unwrap();
                assert!(
                    out.status.success(),
                    "npm ci in target/consumers failed:\n{}",
                    text(&out.stderr)
                );
                std::fs::write(&stamp, lock).unwrap();
            }
            Some(dir)
        })
        .clone()
}

/// Copies the scripts, package files and stubs (everything but node_modules).
fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            if entry.file_name() != "node_modules" {
                std::fs::create_dir_all(&target).unwrap();
                copy_tree(&path, &target);
            }
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// The Chromium to drive: `APITEST_CHROMIUM`, else `chromium` or `chromium-browser` on PATH;
/// `None` (after saying so) when there is none.
pub fn chromium() -> Option<PathBuf> {
    find_chromium().or_else(|| missing("Chromium (Debian package `chromium`)"))
}

fn find_chromium() -> Option<PathBuf> {
    static FOUND: OnceLock<Option<PathBuf>> = OnceLock::new();
    FOUND
        .get_or_init(|| {
            std::env::var_os("APITEST_CHROMIUM")
                .map(PathBuf::from)
                .or_else(|| {
                    Command::new("sh")
                        .args(["-c", "command -v chromium || command -v chromium-browser"])
                        .output()
                        .ok()
                        .filter(|o| o.status.success())
                        .map(|o| PathBuf::from(text(&o.stdout).trim()))
                })
        })
        .clone()
}

/// Runs `node SCRIPT ARGS` in target/consumers; returns whether it succeeded and its output.
pub fn node(dir: &Path, script: &str, args: &[&Path], extra: &[&str]) -> (bool, String) {
    let mut command = Command::new("node");
    command.arg(script).args(args).args(extra).current_dir(dir);
    if let Some(browser) = find_chromium() {
        command.env("CHROMIUM", browser);
    }
    let out = command.output().unwrap();
    (
        out.status.success(),
        format!("{}{}", text(&out.stdout), text(&out.stderr)),
    )
}
