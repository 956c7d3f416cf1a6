//! Case files as a whole: every case has its golden, the examples pass, and the 1.x spelling
//! gives the same verdicts. Each case file is its own test in `tests/case_files.rs`.

use crate::harness::{apitest, features_in, root, run_case, text};

fn cases(kind: &str) -> std::path::PathBuf {
    root().join("tests/cases").join(kind)
}

/// A case without its golden, or a golden without its case, is a mistake to catch.
#[test]
fn every_case_has_a_golden_and_every_golden_a_case() {
    for (kind, ext) in [("fail", "out"), ("parse_error", "err")] {
        let dir = cases(kind);
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            match path.extension().and_then(|e| e.to_str()) {
                Some("feature") => assert!(
                    path.with_extension(ext).is_file()
                        || std::env::var_os("UPDATE_GOLDEN").is_some(),
                    "{} has no golden .{ext}",
                    path.display()
                ),
                Some(e) if e == ext => assert!(
                    path.with_extension("feature").is_file(),
                    "{} has no .feature",
                    path.display()
                ),
                _ => {}
            }
        }
    }
}

/// The project's own examples pass against the demo API, as the README promises.
#[test]
fn example_features_pass() {
    let out = apitest(&root(), &["run", "--demo", "-q", "--no-junit", "features"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
}

/// The 1.x `JSON Pointer "..."` spelling gives every case the same verdict as `path "..."`.
/// The rewritten files live under target/ (inside the project, so data files resolve).
#[test]
fn the_1x_json_pointer_spelling_gives_the_same_verdicts() {
    // The scenarios the cases call, beside the rewritten cases as beside the originals.
    let library = root().join("target/1x-cases/library");
    let _ = std::fs::remove_dir_all(&library);
    std::fs::create_dir_all(&library).unwrap();
    for called in features_in(&cases("library")) {
        let source = std::fs::read_to_string(&called).unwrap();
        let old = crate::harness::to_1x_spelling(&source);
        std::fs::write(library.join(called.file_name().unwrap()), old).unwrap();
    }
    for kind in ["pass", "fail"] {
        let out_dir = root().join("target/1x-cases").join(kind);
        let _ = std::fs::remove_dir_all(&out_dir);
        std::fs::create_dir_all(&out_dir).unwrap();
        let mut rewritten = 0;
        for feature in features_in(&cases(kind)) {
            let source = std::fs::read_to_string(&feature).unwrap();
            let old = crate::harness::to_1x_spelling(&source);
            if old == source {
                continue;
            }
            rewritten += 1;
            let target = out_dir.join(feature.file_name().unwrap());
            std::fs::write(&target, old).unwrap();
            let out = run_case(&target, &["-q"]);
            let stdout = text(&out.stdout);
            match kind {
                "pass" => assert_eq!(
                    out.status.code(),
                    Some(0),
                    "{}:\n{stdout}",
                    target.display()
                ),
                _ => {
                    assert_eq!(
                        out.status.code(),
                        Some(1),
                        "{}:\n{stdout}",
                        target.display()
                    );
                    assert!(
                        stdout.contains("(0 passed, "),
                        "every scenario must fail:\n{stdout}"
                    );
                }
            }
        }
        assert!(
            rewritten >= 5,
            "only {rewritten} {kind} files use `path` steps"
        );
    }
}
