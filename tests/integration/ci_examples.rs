//! The CI examples of docs/ci/ (GitHub Actions, GitLab CI, a Kubernetes Indexed Job and its
//! merge Job): each parses as YAML, has the fields its engine needs to shard the suite and
//! merge the shards, names the shard files `apitest run --shard` writes, and uses only
//! options the real binary accepts. No JSON schema of these formats is available offline
//! here, so the fields that matter are checked one by one.

use std::path::Path;

use serde_json::Value;

use crate::harness::{apitest, root, temp_dir, text};

fn yaml(name: &str) -> Value {
    let path = root().join("docs/ci").join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The value at `path` (keys, from the top), or a panic naming it.
fn at<'v>(value: &'v Value, path: &[&str]) -> &'v Value {
    let mut here = value;
    for key in path {
        here = here
            .get(*key)
            .unwrap_or_else(|| panic!("no `{}` in {value}", path.join(".")));
    }
    here
}

fn strings(value: &Value) -> Vec<String> {
    match value {
        Value::Array(items) => items
            .iter()
            .map(|v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect(),
        Value::String(s) => vec![s.clone()],
        other => panic!("not a list of strings: {other}"),
    }
}

/// `apitest` with the words of `command` (shell-split on spaces, `${{ … }}` replaced by
/// `shard`) accepts its options: with `--help` added, clap reads every option before it and
/// exits 0, or refuses an unknown one with 2.
fn accepted(words: &[String], shard: &str) {
    // A folder of its own: the tests run at once, and each temp_dir starts empty.
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = temp_dir(&format!("ci-example-{n}"));
    let args: Vec<String> = words
        .iter()
        .map(|w| w.replace("${{ matrix.shard }}", shard))
        .chain(["--help".to_string()])
        .collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = apitest(&dir, &args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "`apitest {}` is refused: {}",
        args.join(" "),
        text(&out.stderr)
    );
}

/// The words after `apitest` in a shell line, if it runs apitest.
fn apitest_words(line: &str) -> Option<Vec<String>> {
    let rest = line.trim().strip_prefix("apitest ")?;
    let rest = rest.replace("${{ matrix.shard }}", "MATRIX");
    Some(
        rest.split_whitespace()
            .map(|w| w.replace("MATRIX", "${{ matrix.shard }}"))
            .collect(),
    )
}

#[test]
fn the_github_actions_example_shards_and_merges() {
    let workflow = yaml("github-actions.yml");
    assert!(workflow.get("on").is_some() || workflow.get("true").is_some());
    let test = at(&workflow, &["jobs", "test"]);
    let shards: Vec<u64> = at(test, &["strategy", "matrix", "shard"])
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    assert_eq!(shards, [1, 2, 3, 4]);
    let steps = at(test, &["steps"]).as_array().unwrap();
    let runs: Vec<&str> = steps
        .iter()
        .filter_map(|s| s.get("run").and_then(Value::as_str))
        .collect();
    let run = runs
        .iter()
        .find_map(|r| apitest_words(r))
        .expect("a step runs apitest");
    assert!(
        run.join(" ").contains("--shard ${{ matrix.shard }}/4"),
        "{run:?}"
    );
    accepted(&run, "1");
    let upload = steps
        .iter()
        .find(|s| {
            s.get("uses")
                .and_then(Value::as_str)
                .is_some_and(|u| u.starts_with("actions/upload-artifact@"))
        })
        .expect("the shard's stream is uploaded");
    // The file the shard writes by default.
    assert_eq!(
        at(upload, &["with", "path"]).as_str(),
        Some("reports/shard-${{ matrix.shard }}-of-4.ndjson")
    );

    let merge = at(&workflow, &["jobs", "merge"]);
    assert_eq!(strings(at(merge, &["needs"])), ["test"]);
    let steps = at(merge, &["steps"]).as_array().unwrap();
    let words = steps
        .iter()
        .filter_map(|s| s.get("run").and_then(Value::as_str))
        .find_map(apitest_words)
        .expect("the merge job runs apitest");
    assert_eq!(words.first().map(String::as_str), Some("merge"));
    accepted(&words, "1");
    assert!(
        steps.iter().any(|s| s
            .get("with")
            .and_then(|w| w.get("report_paths"))
            .and_then(Value::as_str)
            == Some("reports/junit.xml")),
        "the merged JUnit is published"
    );
    // Every action is pinned to a version.
    for job in at(&workflow, &["jobs"]).as_object().unwrap().values() {
        for step in at(job, &["steps"]).as_array().unwrap() {
            if let Some(uses) = step.get("uses").and_then(Value::as_str) {
                assert!(uses.contains("@v"), "{uses} is not pinned");
            }
        }
    }
}

#[test]
fn the_gitlab_example_shards_and_merges() {
    let pipeline = yaml("gitlab-ci.yml");
    let test = at(&pipeline, &["api-tests"]);
    assert_eq!(at(test, &["parallel"]).as_u64(), Some(4));
    let script = strings(at(test, &["script"]));
    let run = script.iter().find_map(|l| apitest_words(l)).unwrap();
    assert!(run.join(" ").contains("--shard auto"), "{run:?}");
    accepted(&run, "1");
    assert_eq!(
        strings(at(test, &["artifacts", "paths"])),
        ["reports/shard-*-of-4.ndjson"]
    );
    let merge = at(&pipeline, &["merge-reports"]);
    let needs = at(merge, &["needs"]).as_array().unwrap();
    assert!(
        needs
            .iter()
            .any(|n| n.get("job").and_then(Value::as_str) == Some("api-tests"))
    );
    let words = strings(at(merge, &["script"]))
        .iter()
        .find_map(|l| apitest_words(l))
        .unwrap();
    assert_eq!(words.first().map(String::as_str), Some("merge"));
    accepted(&words, "1");
    assert_eq!(
        at(merge, &["artifacts", "reports", "junit"]).as_str(),
        Some("reports/junit.xml")
    );
    let stages = strings(at(&pipeline, &["stages"]));
    let (of_test, of_merge) = (
        at(test, &["stage"]).as_str().unwrap(),
        at(merge, &["stage"]).as_str().unwrap(),
    );
    let place = |s: &str| stages.iter().position(|x| x == s).unwrap();
    assert!(place(of_test) < place(of_merge), "{stages:?}");
}

#[test]
fn the_kubernetes_example_is_an_indexed_job_and_a_merge() {
    let job = yaml("kubernetes-shards.yaml");
    assert_eq!(at(&job, &["kind"]).as_str(), Some("Job"));
    assert_eq!(at(&job, &["apiVersion"]).as_str(), Some("batch/v1"));
    let spec = at(&job, &["spec"]);
    assert_eq!(at(spec, &["completionMode"]).as_str(), Some("Indexed"));
    let completions = at(spec, &["completions"]).as_u64().unwrap();
    assert_eq!(at(spec, &["parallelism"]).as_u64(), Some(completions));
    let container = &at(spec, &["template", "spec", "containers"])
        .as_array()
        .unwrap()
        .first()
        .cloned()
        .unwrap();
    let args = strings(at(container, &["args"]));
    assert!(args.join(" ").contains("--shard auto"), "{args:?}");
    accepted(&args, "1");
    let total = at(container, &["env"])
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e.get("name").and_then(Value::as_str) == Some("APITEST_SHARD_TOTAL"))
        .and_then(|e| e.get("value"))
        .and_then(Value::as_str)
        .and_then(|v| v.parse::<u64>().ok());
    assert_eq!(total, Some(completions));
    let mount = |c: &Value| {
        at(c, &["volumeMounts"])
            .as_array()
            .unwrap()
            .iter()
            .find_map(|m| m.get("mountPath").and_then(Value::as_str).map(String::from))
            .unwrap()
    };
    // The shards write reports/ under the working folder /tests, where the volume is.
    assert_eq!(mount(container), "/tests/reports");

    let merge = yaml("kubernetes-merge.yaml");
    assert_eq!(at(&merge, &["kind"]).as_str(), Some("Job"));
    let container = at(&merge, &["spec", "template", "spec", "containers"])
        .as_array()
        .unwrap()
        .first()
        .cloned()
        .unwrap();
    let args = strings(at(&container, &["args"]));
    assert_eq!(args.first().map(String::as_str), Some("merge"));
    for i in 1..=completions {
        let file = format!("reports/shard-{i}-of-{completions}.ndjson");
        assert!(args.contains(&file), "{file} is not merged: {args:?}");
    }
    accepted(&args, "1");
    assert_eq!(mount(&container), "/tests/reports");
}

/// The README points at each example.
#[test]
fn the_readme_links_every_ci_example() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    for entry in std::fs::read_dir(root().join("docs/ci")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let link = format!("docs/ci/{name}");
        assert!(readme.contains(&link), "README does not link {link}");
        assert!(Path::new(&root().join(&link)).is_file());
    }
}

/// The release workflow: on a version tag, a build per platform, each archive named as
/// `cargo binstall` looks for it (Cargo.toml's `[package.metadata.binstall]`), with its
/// checksum, and the built binary run against its demo API before it is attached.
#[test]
fn the_release_workflow_builds_what_binstall_looks_for() {
    let path = root().join(".github/workflows/release.yml");
    let workflow: Value = serde_saphyr::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let on = workflow
        .get("on")
        .or_else(|| workflow.get("true"))
        .expect("a trigger");
    assert_eq!(strings(at(on, &["push", "tags"])), ["v*"]);

    let build = at(&workflow, &["jobs", "build"]);
    let include = at(build, &["strategy", "matrix", "include"])
        .as_array()
        .unwrap();
    let mut targets: Vec<(String, String)> = include
        .iter()
        .map(|row| {
            let field = |k: &str| at(row, &[k]).as_str().unwrap().to_string();
            assert!(!field("os").is_empty());
            (field("target"), field("archive"))
        })
        .collect();
    targets.sort();
    let expected = [
        ("aarch64-apple-darwin", "tar.gz"),
        ("aarch64-unknown-linux-gnu", "tar.gz"),
        ("x86_64-apple-darwin", "tar.gz"),
        ("x86_64-pc-windows-msvc", "zip"),
        ("x86_64-unknown-linux-gnu", "tar.gz"),
    ];
    assert_eq!(
        targets,
        expected.map(|(t, a)| (t.to_string(), a.to_string()))
    );

    let steps = at(build, &["steps"]).as_array().unwrap();
    let script: String = steps
        .iter()
        .filter_map(|s| s.get("run").and_then(Value::as_str))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(script.contains("cargo build --release --locked --target ${{ matrix.target }}"));
    // The archive holds `apitest-<target>/apitest[.exe]`, and a checksum goes with it.
    assert!(
        script.contains(r#"name="apitest-${{ matrix.target }}""#),
        "{script}"
    );
    assert!(
        script.contains(r#"file="$name.${{ matrix.archive }}""#),
        "{script}"
    );
    assert!(
        script.contains("sha256sum \"$file\" > \"$file.sha256\""),
        "{script}"
    );
    assert!(script.contains("gh release upload"), "{script}");
    // The smoke run before the upload uses options the binary accepts.
    let smoke: Vec<String> = script
        .lines()
        .find_map(|l| l.trim().strip_prefix("\"$exe\" run "))
        .map(|rest| {
            std::iter::once("run".to_string())
                .chain(rest.split_whitespace().map(str::to_string))
                .collect()
        })
        .expect("the built binary is run");
    accepted(&smoke, "1");

    // What binstall builds from the metadata is what the workflow attaches.
    let manifest: toml::Value =
        toml::from_str(&std::fs::read_to_string(root().join("Cargo.toml")).unwrap()).unwrap();
    let binstall = &manifest["package"]["metadata"]["binstall"];
    assert_eq!(
        binstall["pkg-url"].as_str(),
        Some("{ repo }/releases/download/v{ version }/apitest-{ target }{ archive-suffix }")
    );
    assert_eq!(
        binstall["bin-dir"].as_str(),
        Some("apitest-{ target }/{ bin }{ binary-ext }")
    );
    assert_eq!(binstall["pkg-fmt"].as_str(), Some("tgz"));
    assert_eq!(
        binstall["overrides"]["x86_64-pc-windows-msvc"]["pkg-fmt"].as_str(),
        Some("zip")
    );
    assert!(
        at(&workflow, &["jobs", "checksums"]).get("needs").is_some(),
        "SHA256SUMS is written after every build"
    );
}
