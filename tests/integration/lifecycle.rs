//! Nothing lost: Ctrl-C reports what finished and exits 130; a large run reports every
//! scenario exactly once.

use std::time::Duration;

use crate::harness::{apitest, project, text};

#[test]
fn ctrl_c_reports_finished_scenarios_and_exits_130() {
    let dir = project(
        "interrupt",
        &[(
            "features/slow.feature",
            b"Feature: Slow\n  Scenario: Quick\n    Given address \"@address\"\n    Given URL path \"/api/employee/get/123\"\n    When the URL is invoked\n    Then status is \"200\"\n\n  Scenario: Slow\n    Given I sleep for \"60\"\n",
        )],
    );
    let (code, seen, waited) = crate::harness::signal_after(
        &dir,
        &[
            "run",
            "--demo",
            "--jobs",
            "2",
            "--junit",
            "reports/junit.xml",
            "features",
        ],
        "✔ Quick",
        "-INT",
    );
    assert!(
        waited < Duration::from_secs(10),
        "the run did not stop promptly"
    );
    assert_eq!(code, Some(130), "{seen}");
    assert!(seen.contains("2 scenarios (1 passed, 1 skipped)"), "{seen}");
    assert!(seen.contains("Interrupted"), "{seen}");

    let xml = std::fs::read_to_string(dir.join("reports/junit.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("a complete, valid report");
    let cases: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases.len(), 2);
    // Passed: no verdict element, only its location in `<system-out>`.
    assert!(
        cases[0]
            .children()
            .all(|c| !c.is_element() || c.has_tag_name("system-out")),
        "Quick passed"
    );
    assert!(
        cases[1].children().any(|c| c.has_tag_name("skipped")),
        "Slow is skipped"
    );
    assert!(
        !dir.join("reports").read_dir().unwrap().any(|e| e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .ends_with(".tmp"))
    );
}

#[test]
fn a_large_run_reports_every_scenario_exactly_once() {
    const N: usize = 3000;
    let mut feature = String::from("Feature: Many\n");
    // The benchmark's workload (a GET and five checks), where 1% of the scenarios fail on
    // purpose: exactly those must be reported, by name, and no others.
    for i in 0..N {
        let expected = if i % 100 == 7 { "Nobody" } else { "John Doe" };
        feature.push_str(&format!(
            "  Scenario: Employee {i}\n    Given address \"@address\"\n    Given URL path \"/api/employee/get/123\"\n    Given REST method \"GET\"\n    When the URL is invoked\n    Then status is \"200\"\n    And path \"/meta/is_ok\" is True\n    And path \"/meta/cid\" is not empty\n    And path \"/data/name\" is \"{expected}\"\n    And path \"/data/department\" is \"HR\"\n"
        ));
    }
    let dir = project("many", &[("features/many.feature", feature.as_bytes())]);
    let out = apitest(
        &dir,
        &["run", "--demo", "-q", "--junit", "junit.xml", "features"],
    );
    let stdout = text(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        &stdout[stdout.len().saturating_sub(500)..]
    );
    assert!(
        stdout.contains(&format!(
            "{N} scenarios ({} passed, {} failed)",
            N - N / 100,
            N / 100
        )),
        "{}",
        &stdout[stdout.len().saturating_sub(500)..]
    );
    let xml = std::fs::read_to_string(dir.join("junit.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let names: std::collections::HashSet<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .filter_map(|n| n.attribute("name"))
        .collect();
    assert_eq!(names.len(), N, "every scenario exactly once");
    let failed: std::collections::BTreeSet<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .filter(|n| n.children().any(|c| c.has_tag_name("failure")))
        .filter_map(|n| n.attribute("name").map(str::to_string))
        .collect();
    let expected: std::collections::BTreeSet<String> = (0..N)
        .filter(|i| i % 100 == 7)
        .map(|i| format!("Employee {i}"))
        .collect();
    assert_eq!(
        failed, expected,
        "exactly the deliberately failing scenarios"
    );
    let listed: std::collections::BTreeSet<String> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("Scenario: "))
        .map(str::to_string)
        .collect();
    assert_eq!(listed, expected, "the console lists exactly those failures");
}
