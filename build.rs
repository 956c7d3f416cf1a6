//! Puts the commit apitest is built from into `--version`, as rustc does:
//! `apitest 0.1.0 (1a2b3c4d5 2026-12-03)`, the commit and its date. From `git` when the
//! source is a checkout, else from the `.cargo_vcs_info.json` that `cargo package` writes
//! (commit only); `APITEST_COMMIT` in the build's environment says it where there is neither
//! (a container build); with none, the version alone. Nothing here can fail the build.

use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let version = env!("CARGO_PKG_VERSION");
    println!("cargo:rerun-if-env-changed=APITEST_COMMIT");
    // Set by a build with no checkout to read (the Dockerfile's build argument).
    let given = std::env::var("APITEST_COMMIT")
        .ok()
        .filter(|c| !c.trim().is_empty())
        .map(|c| (c.trim().to_string(), None));
    let described = match given.or_else(from_git).or_else(from_package) {
        Some((commit, Some(date))) => format!("{version} ({commit} {date})"),
        Some((commit, None)) => format!("{version} ({commit})"),
        None => version.to_string(),
    };
    println!("cargo:rustc-env=APITEST_VERSION={described}");
}

/// The short commit and its date, from the checkout the build runs in.
fn from_git() -> Option<(String, Option<String>)> {
    let git_dir = git(&["rev-parse", "--git-dir"])?;
    // A new commit or checkout changes HEAD, the branch it names, or the packed refs.
    let git_dir = Path::new(&git_dir);
    println!("cargo:rerun-if-changed={}", git_dir.join("HEAD").display());
    // Only paths that exist: cargo reruns a script on every build while one it names is
    // missing. A folder is watched whole, so a branch's first loose ref counts too.
    let watch = [
        git_dir.join("packed-refs"),
        git_dir.join("refs").join("heads"),
    ];
    for path in watch.iter().filter(|p| p.exists()) {
        println!("cargo:rerun-if-changed={}", path.display());
    }
    let commit = git(&["rev-parse", "--short=9", "HEAD"])?;
    Some((commit, git(&["log", "-1", "--format=%cs"])))
}

/// The commit `cargo package` recorded, for a build from the packaged crate.
fn from_package() -> Option<(String, Option<String>)> {
    let info = std::fs::read_to_string(".cargo_vcs_info.json").ok()?;
    let at = info.find("\"sha1\"")?;
    let rest = info.get(at + 6..)?;
    let start = rest.find('"')? + 1;
    let sha: String = rest
        .get(start..)?
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .take(9)
        .collect();
    (sha.len() == 9).then_some((sha, None))
}

/// What `git ARGS` prints, trimmed; `None` when git is missing or fails.
fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (!text.is_empty()).then_some(text)
}
