//! Every report of one run, read by its real consumer: JUnit by the Jenkins xUnit schema
//! (libxml2, through lxml), Cucumber Messages by the schemas of `@cucumber/messages` and by
//! the official `@cucumber/html-formatter` rendered in headless Chromium, Cucumber JSON by
//! `multiple-cucumber-html-reporter`, and apitest's own HTML report in headless Chromium.

use std::path::Path;

use crate::consumers::{chromium, node, node_modules};
use crate::harness::{apitest, root, signal_after, temp_dir, text};

const FAILED: &str = "Basic Auth with a wrong password is refused";
const PASSED: &str = "Get Employee API";

/// What the schema check says of a valid messages stream; `None` when the consumers are not
/// installed (the caller skips the rest).
fn valid_messages(stream: &Path) -> Option<String> {
    let consumers = node_modules()?;
    let (ok, said) = node(&consumers, "validate-messages.mjs", &[stream], &[]);
    assert!(ok, "the messages do not validate:\n{said}");
    Some(said)
}

/// The example features and three failing twins, in one run that writes every format.
fn run_all(dir: &Path) -> String {
    let path = |name: &str| dir.join(name).to_string_lossy().into_owned();
    let (junit, messages, json, html) = (
        path("junit.xml"),
        path("messages.ndjson"),
        path("cucumber.json"),
        path("report.html"),
    );
    let out = apitest(
        &root(),
        &[
            "run",
            "--demo",
            "--jobs",
            "8",
            "--report-junit",
            &junit,
            "--report-messages",
            &messages,
            "--report-cucumber-json",
            &json,
            "--report-html",
            &html,
            "features",
            "tests/cases/fail/auth.feature",
            "tests/cases/fail/status.feature",
            // Called scenarios failing at every depth, and calls refused by the plan.
            "tests/cases/fail/calls.feature",
        ],
    );
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}{}", text(&out.stderr));
    for line in [
        "JUnit report: ",
        "HTML report: ",
        "Cucumber Messages: ",
        "Cucumber JSON report: ",
    ] {
        assert!(stdout.contains(line), "no `{line}` line:\n{stdout}");
    }
    stdout
}

#[test]
fn every_report_of_a_run_with_failures_is_read_by_its_consumer() {
    let dir = temp_dir("reports-all");
    run_all(&dir);

    // JUnit: well-formed always; against the strictest schema when the data is here.
    let xml = std::fs::read_to_string(dir.join("junit.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("well-formed JUnit");
    let failures = doc
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .count();
    assert!(failures >= 10, "{failures} failures in {xml}");
    assert!(
        xml.contains("The failing step's exchange:") && xml.contains("To send it again:\ncurl "),
        "the failing exchange and its curl line are in <system-out>"
    );
    assert_valid_junit(&dir.join("junit.xml"));

    let Some(consumers) = node_modules() else {
        return;
    };
    let messages = dir.join("messages.ndjson");
    let (ok, said) = node(&consumers, "validate-messages.mjs", &[&messages], &[]);
    assert!(ok, "the messages do not validate:\n{said}");
    assert!(said.contains("\"testRunFinished\":1"), "{said}");

    let json = dir.join("cucumber.json");
    let (ok, said) = node(
        &consumers,
        "cucumber-json.mjs",
        &[&json, &dir.join("cucumber-json")],
        &[],
    );
    assert!(
        ok,
        "multiple-cucumber-html-reporter cannot read it:\n{said}"
    );
    assert!(
        said.contains("\"problems\":0") && !said.contains("\"failed\":0"),
        "{said}"
    );

    let rendered = dir.join("cucumber.html");
    let (ok, said) = node(
        &consumers,
        "render-messages.mjs",
        &[&messages, &rendered],
        &[],
    );
    assert!(
        ok,
        "@cucumber/html-formatter cannot render the stream:\n{said}"
    );
    if chromium().is_none() {
        return;
    }
    let (ok, said) = node(
        &consumers,
        "browse.mjs",
        &[Path::new("cucumber"), &rendered],
        &[
            "--expect",
            FAILED,
            "--expect",
            "features/employee/get_employee.feature",
        ],
    );
    assert!(ok, "the Cucumber HTML formatter's page:\n{said}");

    let screenshot = root().join("target/report-screenshot.png");
    let (ok, said) = node(
        &consumers,
        "browse.mjs",
        &[Path::new("apitest"), &dir.join("report.html")],
        &[
            "--failed",
            FAILED,
            "--passed",
            PASSED,
            "--tag",
            "smoke",
            "--screenshot",
            &screenshot.to_string_lossy(),
        ],
    );
    assert!(ok, "apitest's HTML report in Chromium:\n{said}");
}

/// The consumers can fail: a stream with a dangling reference, a status Cucumber does not
/// know and a line of two messages is refused; a Cucumber JSON without steps is not read.
#[test]
fn the_consumers_refuse_broken_reports() {
    let Some(consumers) = node_modules() else {
        return;
    };
    let dir = temp_dir("reports-broken");
    let broken = dir.join("broken.ndjson");
    std::fs::write(
        &broken,
        concat!(
            r#"{"testCase":{"id":"c1","pickleId":"nowhere","testSteps":[]}}"#,
            "\n",
            r#"{"testStepFinished":{"testCaseStartedId":"s","testStepId":"t","testStepResult":{"duration":{"seconds":0,"nanos":0},"status":"passed"},"timestamp":{"seconds":0,"nanos":0}}}"#,
            "\n",
            r#"{"meta":{"protocolVersion":"1","implementation":{"name":"x"},"runtime":{"name":"x"},"os":{"name":"x"},"cpu":{"name":"x"}},"source":{"uri":"a","data":"","mediaType":"text/x.cucumber.gherkin+plain"}}"#,
            "\n"
        ),
    )
    .unwrap();
    let (ok, said) = node(&consumers, "validate-messages.mjs", &[&broken], &[]);
    assert!(!ok, "{said}");
    for fault in [
        "refers to pickle nowhere",
        "must be equal to one of the allowed values",
        "exactly one message",
    ] {
        assert!(said.contains(fault), "`{fault}` not reported:\n{said}");
    }
    let json = dir.join("broken.json");
    std::fs::write(
        &json,
        r#"[{"uri":"a","name":"f","elements":[{"name":"s"}]}]"#,
    )
    .unwrap();
    let (ok, said) = node(
        &consumers,
        "cucumber-json.mjs",
        &[&json, &dir.join("out")],
        &[],
    );
    assert!(!ok, "{said}");
}

/// A run stopped by SIGTERM still writes every report, each readable, with the scenarios
/// that had not finished reported as skipped.
#[test]
fn an_interrupted_run_writes_every_report() {
    let dir = crate::harness::project(
        "reports-interrupted",
        &[(
            "features/slow.feature",
            b"Feature: Slow\n  Scenario: Quick\n    Given address \"@address\"\n    When the URL is invoked\n\n  Scenario: Slow one\n    Given I sleep for \"20\"\n\n  Scenario: Never started\n    Given I sleep for \"1\"\n",
        )],
    );
    let (code, seen, _) = signal_after(
        &dir,
        &[
            "run",
            "--demo",
            "--jobs",
            "1",
            "--report-messages",
            "r/m.ndjson",
            "--report-cucumber-json",
            "r/c.json",
            "--report-html",
            "r/r.html",
            "--junit",
            "r/j.xml",
            "features",
        ],
        "✔ Quick",
        "-TERM",
    );
    assert_eq!(code, Some(143), "{seen}");
    let html = std::fs::read_to_string(dir.join("r/r.html")).unwrap();
    assert!(html.contains("<strong>interrupted</strong>"), "{html}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("r/c.json")).unwrap()).unwrap();
    let statuses: Vec<&str> = json[0]["elements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["steps"][0]["result"]["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["passed", "skipped", "skipped"], "{json}");
    roxmltree::Document::parse(&std::fs::read_to_string(dir.join("r/j.xml")).unwrap()).unwrap();
    let Some(said) = valid_messages(&dir.join("r/m.ndjson")) else {
        return;
    };
    assert!(
        said.contains("\"testCaseFinished\":3"),
        "every test case ends: {said}"
    );
}

/// A run that does not start (a feature that does not parse) replaces every report with one
/// that says so, rather than leaving the previous run's to be read as this one's.
#[test]
fn a_run_that_does_not_start_says_so_in_every_report() {
    let dir = crate::harness::project(
        "reports-not-started",
        &[("features/broken.feature", b"Feature: Broken\n  Scenario: x\n    Given address \"@address\"\n  Background:\n    Given URL path \"/\"\n")],
    );
    std::fs::create_dir_all(dir.join("r")).unwrap();
    for stale in ["r/r.html", "r/c.json", "r/m.ndjson", "r/j.xml"] {
        std::fs::write(dir.join(stale), "the previous run's report").unwrap();
    }
    let out = crate::harness::apitest(
        &dir,
        &[
            "run",
            "--report-messages",
            "r/m.ndjson",
            "--report-cucumber-json",
            "r/c.json",
            "--report-html",
            "r/r.html",
            "--junit",
            "r/j.xml",
            "features",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap();
    assert!(read("r/j.xml").contains("the run did not start"));
    assert!(
        read("r/r.html").contains("The run did not start"),
        "{}",
        read("r/r.html")
    );
    assert_eq!(read("r/c.json").trim(), "[]");
    let messages = read("r/m.ndjson");
    assert!(
        messages.contains(r#""success":false"#) && messages.contains("the run did not start"),
        "{messages}"
    );
    valid_messages(&dir.join("r/m.ndjson"));
}

/// Checks a JUnit file against the Jenkins xUnit schema (the strictest common reader) with
/// lxml, when the conformance data is here.
pub fn assert_valid_junit(path: &std::path::Path) {
    if let Some(schema) = crate::harness::conformance("junit/junit-10.xsd") {
        let script = "import sys\nfrom lxml import etree\n\
                      schema = etree.XMLSchema(etree.parse(sys.argv[1]))\n\
                      print('valid' if schema.validate(etree.parse(sys.argv[2])) else schema.error_log)\n";
        let out = std::process::Command::new(crate::servers::venv_bin().join("python"))
            .args(["-c", script])
            .arg(&schema)
            .arg(path)
            .output()
            .unwrap();
        assert_eq!(text(&out.stdout), "valid\n", "{}", text(&out.stderr));
    }
}
