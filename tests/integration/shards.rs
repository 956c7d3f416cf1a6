//! Shards played locally as a CI engine plays them: the example suite (and two failing
//! twins, so failures, exchanges and secrets travel too) run as 1, 3 and 7 separate
//! processes, by `--shard I/N` and by `--shard auto` under each engine's variables, then
//! `apitest merge`d; the merged JUnit, Cucumber Messages and coverage must be those of the
//! same suite run in one process, timings and IDs that differ by nature aside.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;

use crate::consumers::{node, node_modules};
use crate::harness::{apitest, command, project, root, temp_dir, text};

/// The suite: the examples (all passing) and two failing twins with secrets in them.
const SUITE: [&str; 3] = [
    "features",
    "tests/cases/fail/auth.feature",
    "tests/cases/fail/openapi.feature",
];

/// The variables of every engine `--shard auto` reads, removed from each shard's run so that
/// the test's own environment (a CI job) cannot choose for it.
const ENGINE_VARS: [&str; 10] = [
    "CI_NODE_INDEX",
    "CI_NODE_TOTAL",
    "CIRCLE_NODE_INDEX",
    "CIRCLE_NODE_TOTAL",
    "BUILDKITE_PARALLEL_JOB",
    "BUILDKITE_PARALLEL_JOB_COUNT",
    "JOB_COMPLETION_INDEX",
    "APITEST_SHARD_TOTAL",
    "APITEST_SHARD",
    "Zato_API_Test_Tags",
];

fn path_text(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// Runs shard `index` of `total` of the suite, with its reports in `dir`: by `--shard I/N`,
/// or as one of the engines says it (chosen by the shard's number, so every engine is used).
fn run_shard(dir: &Path, index: usize, total: usize, auto: bool) {
    let junit = path_text(&dir.join("junit.xml"));
    let given = format!("{index}/{total}");
    let mut args = vec!["run", "--demo", "--no-html", "--report-junit", &junit];
    let mut engine: Vec<(&str, String)> = Vec::new();
    let shard_total = total.to_string();
    if auto {
        args.extend(["--shard", "auto"]);
        match index % 4 {
            0 => {
                engine = vec![
                    ("CI_NODE_INDEX", index.to_string()),
                    ("CI_NODE_TOTAL", total.to_string()),
                ]
            }
            1 => {
                engine = vec![
                    ("CIRCLE_NODE_INDEX", (index - 1).to_string()),
                    ("CIRCLE_NODE_TOTAL", total.to_string()),
                ]
            }
            2 => {
                engine = vec![
                    ("BUILDKITE_PARALLEL_JOB", (index - 1).to_string()),
                    ("BUILDKITE_PARALLEL_JOB_COUNT", total.to_string()),
                ]
            }
            _ => {
                engine = vec![("JOB_COMPLETION_INDEX", (index - 1).to_string())];
                if index % 2 == 1 {
                    args.extend(["--shard-total", &shard_total]);
                } else {
                    engine.push(("APITEST_SHARD_TOTAL", total.to_string()));
                }
            }
        }
    } else {
        args.extend(["--shard", &given]);
    }
    args.extend(SUITE);
    let mut run = command(&root(), &args);
    for var in ENGINE_VARS {
        run.env_remove(var);
    }
    for (name, value) in &engine {
        run.env(name, value);
    }
    let out = run.output().unwrap();
    let stderr = text(&out.stderr);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "shard {given}: {}{stderr}",
        text(&out.stdout)
    );
    assert!(stderr.contains(&format!("Shard {given}: ")), "{stderr}");
    if auto {
        let (first_var, _) = engine.first().unwrap();
        assert!(stderr.contains(first_var), "{stderr}");
    }
}

/// The shard file `run_shard` wrote in `dir`.
fn shard_file(dir: &Path, index: usize, total: usize) -> PathBuf {
    dir.join(format!("shard-{index}-of-{total}.ndjson"))
}

/// What legitimately differs between two runs of one suite: durations, timestamps, ports,
/// request IDs, dates and multipart boundaries.
fn normalize(text: &str) -> String {
    static VOLATILE: LazyLock<Vec<(Regex, &str)>> = LazyLock::new(|| {
        [
            (r#" (time|timestamp|hostname)="[^"]*""#, ""),
            (r"127\.0\.0\.1:\d+", "HOST"),
            (r"[0-9a-f]{32}", "ID"),
            (r"\d{4}-\d\d-\d\dT[\d:.]+Z", "TS"),
            (r"date: [^\n\\<]*GMT", "date: D"),
            (r"\(?\d+(\.\d+)? ?(ms|s|µs)\)?", "T"),
            (r"[0-9a-f]{16}(-[0-9a-f]{16}){3}", "BOUNDARY"),
        ]
        .into_iter()
        .map(|(pattern, with)| (Regex::new(pattern).unwrap(), with))
        .collect()
    });
    let mut out = text.to_string();
    for (pattern, with) in VOLATILE.iter() {
        out = pattern.replace_all(&out, *with).into_owned();
    }
    out
}

/// A messages stream as a sorted list of normalized lines: the order of the scenarios'
/// messages is the order they happened to finish in, and the run's ID and every timestamp
/// differ; the rest (sources, documents, pickles, test cases, step results, attachments)
/// must be the same.
fn messages(path: &Path) -> Vec<String> {
    fn strip(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(fields) => {
                fields.retain(|key, v| {
                    let volatile =
                        matches!(key.as_str(), "timestamp" | "duration" | "testRunStartedId");
                    // The run's own ID (a UUID); the IDs of the plan's nodes hold `:`.
                    let run_id = key == "id" && v.as_str().is_some_and(|id| !id.contains(':'));
                    !volatile && !run_id
                });
                fields.values_mut().for_each(strip);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines: Vec<String> = text
        .lines()
        .filter_map(|line| {
            let mut message: serde_json::Value = serde_json::from_str(line).unwrap();
            if message.get("meta").is_some() {
                return None;
            }
            strip(&mut message);
            Some(normalize(&message.to_string()))
        })
        .collect();
    lines.sort();
    lines
}

/// Every `<testcase>` of a JUnit report, as (classname, name), in order.
fn testcases(path: &Path) -> Vec<(String, String)> {
    let xml = std::fs::read_to_string(path).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .map(|n| {
            (
                n.attribute("classname").unwrap_or("").to_string(),
                n.attribute("name").unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn merge(dir: &Path, files: &[PathBuf]) -> std::process::Output {
    let junit = path_text(&dir.join("junit.xml"));
    let stream = path_text(&dir.join("messages.ndjson"));
    let mut args = vec![
        "merge".to_string(),
        "-q".into(),
        "--no-html".into(),
        "--report-junit".into(),
        junit,
        "--report-messages".into(),
        stream,
    ];
    args.extend(files.iter().map(|f| path_text(f)));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    apitest(&root(), &args)
}

#[test]
fn shards_merged_give_the_reports_of_one_run() {
    let base = temp_dir("shards");
    let whole = base.join("whole");
    let (junit, stream) = (
        path_text(&whole.join("junit.xml")),
        path_text(&whole.join("messages.ndjson")),
    );
    let mut args = vec![
        "run",
        "--demo",
        "-q",
        "--no-html",
        "--report-junit",
        &junit,
        "--report-messages",
        &stream,
    ];
    args.extend(SUITE);
    let out = apitest(&root(), &args);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    let expected_cases = testcases(&whole.join("junit.xml"));
    assert!(expected_cases.len() > 80, "{}", expected_cases.len());
    let expected_junit = normalize(&std::fs::read_to_string(whole.join("junit.xml")).unwrap());
    let expected_messages = messages(&whole.join("messages.ndjson"));
    let expected_coverage = std::fs::read_to_string(whole.join("coverage.json")).unwrap();

    for (total, auto) in [(1, false), (3, true), (7, false), (7, true)] {
        let dir = base.join(format!("{total}-{auto}"));
        let mut files = Vec::new();
        let mut ran: BTreeMap<(String, String), usize> = BTreeMap::new();
        for index in 1..=total {
            let shard_dir = dir.join(index.to_string());
            run_shard(&shard_dir, index, total, auto);
            for case in testcases(&shard_dir.join("junit.xml")) {
                *ran.entry(case).or_default() += 1;
            }
            let file = shard_file(&shard_dir, index, total);
            // A shard's stream carries whole sources: the passwords written in scenarios that
            // ran in other shards are masked there too (tests/cases/fail/auth.feature).
            let stream = std::fs::read_to_string(&file).unwrap();
            for secret in ["hr-secret-pw", "wrong-secret-pw", "alice-secret-pw"] {
                assert!(
                    !stream.contains(secret),
                    "shard {index}/{total}: `{secret}` in {}",
                    file.display()
                );
            }
            files.push(file);
        }
        // Every scenario in exactly one shard.
        let twice: Vec<_> = ran.iter().filter(|(_, n)| **n > 1).collect();
        assert!(twice.is_empty(), "{total} shards: ran twice: {twice:?}");
        assert_eq!(ran.len(), expected_cases.len(), "{total} shards");

        let merged = dir.join("merged");
        // In any order.
        files.reverse();
        let out = merge(&merged, &files);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{total} shards: {}{}",
            text(&out.stdout),
            text(&out.stderr)
        );
        let junit = normalize(&std::fs::read_to_string(merged.join("junit.xml")).unwrap());
        assert!(
            junit == expected_junit,
            "{total} shards: the merged JUnit differs from one run's"
        );
        assert_eq!(
            messages(&merged.join("messages.ndjson")),
            expected_messages,
            "{total} shards: the merged messages differ from one run's"
        );
        assert_eq!(
            std::fs::read_to_string(merged.join("coverage.json")).unwrap(),
            expected_coverage,
            "{total} shards: the merged coverage differs from one run's"
        );
        if total == 3
            && let Some(consumers) = node_modules()
        {
            // A shard's stream, with its run attachments, and the merged one are valid
            // Cucumber Messages.
            for stream in [&files[0], &merged.join("messages.ndjson")] {
                let (ok, said) = node(&consumers, "validate-messages.mjs", &[stream], &[]);
                assert!(ok, "{}: {said}", stream.display());
            }
        }
    }

    // The shards of the 3-way run, one of them missing, doubled, or from another plan.
    let three = base.join("3-true");
    let file = |i: usize| shard_file(&three.join(i.to_string()), i, 3);
    let out = merge(&base.join("missing"), &[file(1), file(3)]);
    assert_eq!(out.status.code(), Some(2));
    let said = text(&out.stderr);
    assert!(said.contains("shard 2/3 is missing"), "{said}");
    // Its reports say why, so no older report passes for this merge's.
    let junit = std::fs::read_to_string(base.join("missing/junit.xml")).unwrap();
    assert!(
        junit.contains("the merge did not start: shard 2/3 is missing"),
        "{junit}"
    );

    let out = merge(&base.join("twice"), &[file(1), file(2), file(2), file(3)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("is given twice"),
        "{}",
        text(&out.stderr)
    );

    let other = base.join("other");
    let junit = path_text(&other.join("junit.xml"));
    let out = apitest(
        &root(),
        &[
            "run",
            "--demo",
            "-q",
            "--no-html",
            "--report-junit",
            &junit,
            "--shard",
            "2/3",
            "features",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = merge(
        &base.join("mixed"),
        &[file(1), shard_file(&other, 2, 3), file(3)],
    );
    assert_eq!(out.status.code(), Some(2));
    let said = text(&out.stderr);
    assert!(said.contains("are shards of different runs"), "{said}");

    let out = merge(&base.join("none"), &[whole.join("messages.ndjson")]);
    assert_eq!(out.status.code(), Some(2));
    let said = text(&out.stderr);
    assert!(said.contains("is not a shard's stream"), "{said}");
}

/// In feature scope (Zato's layout) a feature's scenarios share state, so a feature is never
/// split: each runs whole in one shard, and its second scenario sees what the first stored.
#[test]
fn feature_scope_keeps_each_feature_in_one_shard() {
    let feature = |n: usize| {
        format!(
            "Feature: Stateful {n}\n\n  Scenario: Store {n}\n    Given address \"@address\"\n    Given URL path \"/api/employee/get/123\"\n    When the URL is invoked\n    Then I store \"/data/name\" from response under \"name\"\n\n  Scenario: Use {n}\n    Given address \"@address\"\n    Given URL path \"/api/echo\"\n    Given REST method \"POST\"\n    Given request is \"{{}}\"\n    Given path \"/who\" in request is \"#name\"\n    When the URL is invoked\n    Then path \"/json/who\" is \"John Doe\"\n"
        )
    };
    let files: Vec<(String, Vec<u8>)> = (1..=5)
        .map(|n| (format!("features/f{n}.feature"), feature(n).into_bytes()))
        .chain([(
            "features/config.ini".to_string(),
            b"[behave]\noptions=\n\n[user]\naddress=http://127.0.0.1:1\n".to_vec(),
        )])
        .collect();
    let files: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(p, c)| (p.as_str(), c.as_slice()))
        .collect();
    let dir = project("shard-feature-scope", &files);
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut streams = Vec::new();
    for index in 1..=3 {
        let shard = format!("{index}/3");
        let junit = format!("reports/{index}/junit.xml");
        let out = apitest(
            &dir,
            &[
                "run",
                "--demo",
                "--no-html",
                "--report-junit",
                &junit,
                "--shard",
                &shard,
                ".",
            ],
        );
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}{}",
            text(&out.stdout),
            text(&out.stderr)
        );
        let said = text(&out.stderr);
        assert!(
            said.contains("units"),
            "shard {shard}: [{said}] {}",
            text(&out.stdout)
        );
        for (suite, _) in testcases(&dir.join(&junit)) {
            *seen.entry(suite).or_default() += 1;
        }
        streams.push(dir.join(format!("reports/{index}/shard-{index}-of-3.ndjson")));
    }
    // Five features, each with both scenarios in one shard.
    assert_eq!(seen.len(), 5, "{seen:?}");
    assert!(seen.values().all(|n| *n == 2), "{seen:?}");
    let mut args = vec!["merge".to_string(), "-q".into(), "--no-html".into()];
    args.extend(streams.iter().map(|s| path_text(s)));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = apitest(&dir, &args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("10 scenarios (10 passed)"),
        "{}",
        text(&out.stdout)
    );
}

/// `--shard-by timing` with a previous run's JUnit report (or its Cucumber Messages) still
/// runs every scenario exactly once, says it balanced by the file, and counts the scenarios
/// the file lacks as the median.
#[test]
fn timing_shards_cover_every_scenario_once() {
    let base = temp_dir("shard-timing");
    let (junit, stream) = (
        path_text(&base.join("whole/junit.xml")),
        path_text(&base.join("whole/messages.ndjson")),
    );
    let out = apitest(
        &root(),
        &[
            "run",
            "--demo",
            "-q",
            "--no-html",
            "--report-junit",
            &junit,
            "--report-messages",
            &stream,
            "features",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let whole = testcases(&base.join("whole/junit.xml"));
    // Timings of only part of the suite: the rest is counted as the median.
    let part = path_text(&base.join("part/junit.xml"));
    let out = apitest(
        &root(),
        &[
            "run",
            "--demo",
            "-q",
            "--no-html",
            "--report-junit",
            &part,
            "features/http",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));

    for (variant, (timing, all_known)) in [(&junit, true), (&stream, true), (&part, false)]
        .into_iter()
        .enumerate()
    {
        let mut ran: BTreeMap<(String, String), usize> = BTreeMap::new();
        for index in 1..=3 {
            let dir = base.join(format!("{variant}-{index}"));
            let shard_junit = path_text(&dir.join("junit.xml"));
            let shard = format!("{index}/3");
            let out = apitest(
                &root(),
                &[
                    "run",
                    "--demo",
                    "--no-html",
                    "--report-junit",
                    &shard_junit,
                    "--shard",
                    &shard,
                    "--shard-by",
                    "timing",
                    timing,
                    "features",
                ],
            );
            let said = text(&out.stderr);
            assert_eq!(out.status.code(), Some(0), "{said}");
            assert!(said.contains("by the timing file"), "{said}");
            assert_eq!(!said.contains("counted as the median"), all_known, "{said}");
            for case in testcases(&dir.join("junit.xml")) {
                *ran.entry(case).or_default() += 1;
            }
        }
        assert_eq!(ran.len(), whole.len(), "{timing}");
        assert!(ran.values().all(|n| *n == 1), "{timing}: {ran:?}");
    }

    // A refused run still writes its reports (the run did not start): into a folder of the
    // test's own, not the project's reports/.
    let reports = temp_dir("shard-refusals");
    let junit = reports.join("junit.xml").display().to_string();
    let html = reports.join("report.html").display().to_string();
    let outputs = ["--junit", junit.as_str(), "--report-html", html.as_str()];
    let out = apitest(
        &root(),
        &[
            &["run", "--demo", "--shard", "1/2"][..],
            &["--shard-by", "timing", "no/such.xml"],
            &outputs,
        ]
        .concat(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("cannot read the timing file"));
    let out = apitest(
        &root(),
        &[&["run", "--demo", "--shard-by", "count"][..], &outputs].concat(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no --shard is given"));
    assert!(std::fs::read_to_string(&junit).is_ok_and(|x| x.contains("no --shard is given")));
}
