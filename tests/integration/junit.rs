//! The JUnit XML report: valid XML that CI tools read, one testcase per scenario, failures
//! carrying file and line, written even when scenarios fail, and free of secrets.

use crate::harness::{apitest, command, project, text};

const MIXED: &str = r#"Feature: Employee checks
  Scenario: Passes
    Given address "@address"
    Given URL path "/api/employee/get/123"
    When the URL is invoked
    Then path "/data/name" is "John Doe"

  Scenario: Fails on a value
    Given address "@address"
    Given URL path "/api/employee/get/123"
    When the URL is invoked
    Then path "/data/name" is "Nobody"

  Scenario: Errors on the network
    Given address "http://127.0.0.1:9"
    When the URL is invoked
"#;

#[test]
fn junit_has_a_testcase_per_scenario_with_failures_and_errors() {
    let dir = project("junit", &[("features/mixed.feature", MIXED.as_bytes())]);
    let out = apitest(
        &dir,
        &[
            "run",
            "--demo",
            "-q",
            "--junit",
            "out/deep/junit.xml",
            "features",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    let xml = std::fs::read_to_string(dir.join("out/deep/junit.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("the report is valid XML");
    let suite = doc
        .descendants()
        .find(|n| n.has_tag_name("testsuite"))
        .unwrap();
    assert_eq!(suite.attribute("name"), Some("Employee checks"));
    assert_eq!(suite.attribute("tests"), Some("3"));
    assert_eq!(suite.attribute("failures"), Some("1"));
    assert_eq!(suite.attribute("errors"), Some("1"));
    assert_eq!(suite.attribute("skipped"), Some("0"));
    // The run's totals on `<testsuites>`, which GitLab and Azure DevOps show first.
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    for (name, value) in [("tests", "3"), ("failures", "1"), ("errors", "1")] {
        assert_eq!(root.attribute(name), Some(value), "{name} in {xml}");
    }
    let total: f64 = root.attribute("time").unwrap().parse().unwrap();
    let cases_time: f64 = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .map(|c| c.attribute("time").unwrap().parse::<f64>().unwrap())
        .sum();
    assert!(
        total > 0.0 && (total - cases_time).abs() < 1e-6,
        "{total} vs {cases_time}"
    );
    let cases: Vec<_> = suite
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    let names: Vec<_> = cases.iter().map(|c| c.attribute("name").unwrap()).collect();
    assert_eq!(
        names,
        ["Passes", "Fails on a value", "Errors on the network"]
    );
    assert!(
        cases
            .iter()
            .all(|c| c.attribute("classname") == Some("Employee checks"))
    );
    // A passing case holds only its location (the Jenkins xUnit schema allows no `file`
    // attribute, so file and line go to `<system-out>`).
    let children: Vec<_> = cases[0].children().filter(|n| n.is_element()).collect();
    assert_eq!(children.len(), 1);
    assert!(children[0].has_tag_name("system-out"));
    assert_eq!(children[0].text(), Some("features/mixed.feature:2"));
    assert!(cases.iter().all(|c| c.attribute("file").is_none()));

    let failure = cases[1]
        .children()
        .find(|n| n.has_tag_name("failure"))
        .unwrap();
    assert_eq!(
        failure.attribute("message"),
        Some("path `/data/name` is not \"Nobody\"")
    );
    let body = failure.text().unwrap_or_default();
    assert!(body.contains("features/mixed.feature:12:5"), "{body}");
    assert!(body.contains("actual: \"John Doe\" (string)"), "{body}");

    let error = cases[2]
        .children()
        .find(|n| n.has_tag_name("error"))
        .unwrap();
    assert!(
        error
            .attribute("message")
            .unwrap()
            .contains("connection refused")
    );
}

#[test]
fn secrets_never_reach_the_console_or_the_report() {
    let dir = project(
        "secrets",
        &[(
            "features/secret.feature",
            br#"Feature: Secrets
  Scenario: A Basic Auth password stays hidden
    Given address "@address"
    Given URL path "/api/echo"
    Given Basic Auth "hr" "hr-secret-pw"
    When the URL is invoked
    Then path "/headers/authorization" is "wrong on purpose, so the value is printed"

  Scenario: A password in a form and in a query string stays hidden
    Given address "@address"
    Given URL path "/api/echo"
    Given REST method "POST"
    Given query string "?user=alice&api_key=query-secret-key"
    Given form field "username" is "alice"
    Given form field "password" is "form-secret-pw"
    When the URL is invoked
    Then path "/form/password" is "wrong on purpose, so the value is printed"

  Scenario: A password in a body and a bearer token stay hidden
    Given address "@address"
    Given URL path "/api/login"
    Given REST method "POST"
    Given request is "{"username": "alice", "password": "alice-secret-pw"}"
    When the URL is invoked
    Then I store "/data/token" from response under "token"
    Given URL path "/api/echo"
    Given header "Authorization" "Bearer #{token}"
    When the URL is invoked
    Then path "/headers/authorization" is "wrong on purpose, so the value is printed"
"#,
        )],
    );
    let out = apitest(
        &dir,
        &["run", "--demo", "-v", "--junit", "junit.xml", "features"],
    );
    assert_eq!(out.status.code(), Some(1));
    let xml = std::fs::read_to_string(dir.join("junit.xml")).unwrap();
    let everything = format!("{}\n{}\n{xml}", text(&out.stdout), text(&out.stderr));
    assert!(
        everything.contains("Basic ***"),
        "redaction marks are shown:\n{everything}"
    );
    assert!(
        everything.contains("Bearer ***"),
        "redaction marks are shown:\n{everything}"
    );
    assert!(
        everything.contains("\"password\":\"***\""),
        "body passwords are masked:\n{everything}"
    );
    for secret in [
        "hr-secret-pw",
        "aHI6aHItc2VjcmV0LXB3",
        "alice-secret-pw",
        "form-secret-pw",
        "query-secret-key",
    ] {
        assert!(
            !everything.contains(secret),
            "`{secret}` leaked:\n{everything}"
        );
    }
    // The token itself: whatever the server issued must not be printed either.
    let token_re = regex::Regex::new(r"Bearer [0-9a-f]{32}").unwrap();
    assert!(
        !token_re.is_match(&everything),
        "a bearer token leaked:\n{everything}"
    );
}

/// Every kind of credential, in every output of a verbose run that fails on purpose.
#[test]
fn no_kind_of_secret_leaks_anywhere() {
    let dir = project(
        "secrets-all",
        &[
            (
                "apitest.toml",
                b"[secrets]\nnames = [\"session_code\"]\n",
            ),
            (
                "features/secrets.feature",
                br##"Feature: Every kind of secret
  Scenario: Cookies, proxy credentials, listed and environment secrets, echoed back
    Given address "@address"
    Given URL path "/api/echo"
    Given header "Cookie" "sid=cookie-secret-1; theme=dark"
    Given header "Proxy-Authorization" "Basic cHJveHktc2VjcmV0LTI="
    Given header "X-Api-Key" "api-key-secret-3"
    Given I store "listed-secret-4" under "session_code"
    Given header "X-Session" "#session_code"
    Given header "X-Env" "$APITEST_TEST_TOKEN"
    When the URL is invoked
    Then path "/headers" is "printed on purpose"

  Scenario: A Set-Cookie from the server, then echoed
    Given address "@address"
    Given URL path "/api/headers/set"
    Given query string "?Set-Cookie=sid%3Dset-cookie-secret-6"
    When the URL is invoked
    Then path "/Set-Cookie" is "printed on purpose"

  Scenario: OAuth2 client credentials
    Given address "@address"
    Given OAuth2 endpoint "@{address}/oauth/token"
    Given OAuth2 grant type "client_credentials"
    Given OAuth2 client ID field "client_id"
    Given OAuth2 client secret field "client_secret"
    Given OAuth2 credentials "demo-client" "wrong-client-secret-7"
    Given I store an OAuth2 bearer token under "token"

  Scenario: A contract check of a request not yet sent quotes its body
    Given OpenAPI spec "api.yaml"
    Given address "@address"
    Given URL path "/login"
    Given REST method "POST"
    Given request is "{"username": "u", "password": "unsent-password-8"}"
    Given query string "?api_key=unsent-api-key-9"
    Then request matches the OpenAPI spec
"##,
            ),
            (
                "api.yaml",
                b"openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /login:\n    post:\n      parameters: [{name: api_key, in: query, schema: {type: integer}}]\n      requestBody: {content: {application/json: {schema: {properties: {password: {minLength: 40}}}}}}\n      responses: {'200': {description: ok}}\n",
            ),
        ],
    );
    let out = command(
        &dir,
        &[
            "run",
            "--demo",
            "-v",
            "--junit",
            "junit.xml",
            "--report-messages",
            "messages.ndjson",
            "--report-cucumber-json",
            "cucumber.json",
            "--report-html",
            "report.html",
            "features",
        ],
    )
    .env("APITEST_TEST_TOKEN", "env-token-secret-5")
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(1));
    // Every report: the JUnit XML, Cucumber Messages, Cucumber JSON and the HTML page.
    let mut everything = format!("{}\n{}", text(&out.stdout), text(&out.stderr));
    for report in [
        "junit.xml",
        "messages.ndjson",
        "cucumber.json",
        "report.html",
    ] {
        let content = std::fs::read_to_string(dir.join(report)).unwrap();
        assert!(
            content.contains("\\\"cookie\\\":\\\"***\\\"")
                || content.contains("&quot;cookie&quot;:&quot;***&quot;")
                || content.contains("\"cookie\":\"***\""),
            "{report} shows the echoed, masked cookie: the exchange is in it"
        );
        everything.push_str(&content);
    }
    // The values were really sent and shown (masked): the scenarios got that far.
    assert!(everything.contains("\"cookie\":\"***\""), "{everything}");
    assert!(
        everything.contains("/password: \"***\" is shorter than 40 characters")
            && everything.contains("query parameter api_key: \"***\" is not of type"),
        "the contract check ran and masked what it quoted: {everything}"
    );
    for secret in [
        "cookie-secret-1",
        "cHJveHktc2VjcmV0LTI=",
        "api-key-secret-3",
        "listed-secret-4",
        "env-token-secret-5",
        "set-cookie-secret-6",
        "wrong-client-secret-7",
        "unsent-password-8",
        "unsent-api-key-9",
    ] {
        assert!(
            !everything.contains(secret),
            "`{secret}` leaked:\n{everything}"
        );
    }
}

/// A report carries a feature's whole source, so the credentials written in the scenarios a
/// run leaves out (by name, by line, by shard) are masked there as in a run of the file.
#[test]
fn secrets_written_in_scenarios_not_run_are_masked_too() {
    let feature = br##"Feature: Credentials in every scenario
  Scenario: Basic Auth
    Given address "@address"
    Given URL path "/api/secure/employee/get/123"
    Given Basic Auth "hr" "unrun-basic-secret-1"
    When the URL is invoked
    Then status is "200"

  Scenario: A password in a JSON body and an API key in the query
    Given address "@address"
    Given URL path "/api/echo"
    Given REST method "POST"
    Given request is "{"username": "u", "password": "unrun-password-2"}"
    Given query string "?api_key=unrun-api-key-3"
    When the URL is invoked
    Then status is "200"

  Scenario: OAuth2 client credentials
    Given address "@address"
    Given OAuth2 endpoint "@{address}/oauth/token"
    Given OAuth2 grant type "client_credentials"
    Given OAuth2 credentials "demo-client" "unrun-client-secret-4"
    Given I store an OAuth2 bearer token under "token"

  Scenario: A form and a stored secret
    Given address "@address"
    Given URL path "/api/echo"
    Given form field "password" is "unrun-form-secret-5"
    Given I store "unrun-stored-secret-6" under "session_code"
    When the URL is invoked
    Then status is "200"

  Scenario: Nothing secret
    Given address "@address"
    Given URL path "/api/employee/get/123"
    When the URL is invoked
    Then status is "200"
"##;
    let dir = project(
        "secrets-unrun",
        &[
            ("apitest.toml", b"[secrets]\nnames = [\"session_code\"]\n"),
            ("features/secrets.feature", feature),
        ],
    );
    let reports = [
        "--junit",
        "junit.xml",
        "--report-messages",
        "messages.ndjson",
        "--report-cucumber-json",
        "cucumber.json",
        "--report-html",
        "report.html",
    ];
    let selections: [&[&str]; 4] = [
        &["--name", "Nothing secret"],
        &["features/secrets.feature:2"],
        &["--shard", "2/3"],
        &["--shard", "3/3"],
    ];
    for selection in selections {
        let mut args = vec!["run", "--demo", "-v"];
        args.extend(reports);
        args.extend(selection);
        if !selection.iter().any(|a| a.contains(".feature")) {
            args.push("features");
        }
        let out = apitest(&dir, &args);
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{selection:?}: {}",
            text(&out.stderr)
        );
        let messages = std::fs::read_to_string(dir.join("messages.ndjson")).unwrap();
        assert!(
            messages.contains("\"source\"") && messages.contains("Credentials in every scenario"),
            "{selection:?}: the stream carries the feature's source"
        );
        let mut everything = format!("{}\n{}", text(&out.stdout), text(&out.stderr));
        for report in ["junit.xml", "cucumber.json", "report.html"] {
            everything.push_str(&std::fs::read_to_string(dir.join(report)).unwrap());
        }
        everything.push_str(&messages);
        for secret in [
            "unrun-basic-secret-1",
            "unrun-password-2",
            "unrun-api-key-3",
            "unrun-client-secret-4",
            "unrun-form-secret-5",
            "unrun-stored-secret-6",
        ] {
            assert!(
                !everything.contains(secret),
                "{selection:?}: `{secret}` leaked:\n{everything}"
            );
        }
        // Names the user wrote stay as written.
        assert!(everything.contains("A password in a JSON body and an API key in the query"));
    }
}

/// Text XML cannot carry as it is — `]]>` in a response body shown in the failure and the
/// `-v` transcript, ESC and U+0001 in a scenario name — leaves the report well-formed: Python's
/// ElementTree (a real consumer) reads it, and reads `]]>` back as it was sent.
#[test]
fn hostile_text_keeps_the_report_well_formed() {
    let feature = "Feature: Hostile \u{1b}[31m text\n\n  Scenario: a name with \u{1} and \u{1b} in it\n    \
                   Given address \"@address\"\n    And URL path \"/api/echo\"\n    And REST method \"POST\"\n    \
                   And format \"RAW\"\n    And request is \"<a><![CDATA[x]]></a> and ]]> again\"\n    \
                   When the URL is invoked\n    Then path \"/body\" is \"something else\"\n";
    let dir = project(
        "junit-hostile",
        &[("features/hostile.feature", feature.as_bytes())],
    );
    let out = apitest(
        &dir,
        &["run", "--demo", "-v", "--junit", "junit.xml", "features"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    let script = r#"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
case = root.find("testsuite/testcase")
print(case.get("name"))
print(root.find("testsuite").get("name"))
print("]]> again" in case.find("failure").text)
print("]]> again" in case.find("system-out").text)
"#;
    let parsed = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(dir.join("junit.xml"))
        .output()
        .unwrap();
    let report = std::fs::read_to_string(dir.join("junit.xml")).unwrap();
    assert!(
        parsed.status.success(),
        "{}\n{report}",
        text(&parsed.stderr)
    );
    assert_eq!(
        text(&parsed.stdout),
        "a name with \\u{1} and \\u{1B} in it\nHostile \\u{1B}[31m text\nTrue\nTrue\n",
        "{report}"
    );
}

/// A tag-filtered run writes no suite for a feature it selected nothing from, and a scenario
/// that never ran is `<skipped>` with the reason.
#[test]
fn filtered_features_get_no_suite_and_skipped_cases_say_why() {
    let selected = "Feature: Selected\n\n  @smoke\n  Scenario: fails first\n    Given address \"@address\"\n    \
                    And URL path \"/api/status/500\"\n    When the URL is invoked\n    Then status is \"200\"\n\n  \
                    @smoke\n  Scenario: never starts\n    Given address \"@address\"\n    When the URL is invoked\n";
    let other = "Feature: Not selected\n\n  Scenario: untagged\n    Given address \"@address\"\n    When the URL is invoked\n";
    let dir = project(
        "junit-filtered",
        &[
            ("features/a.feature", selected.as_bytes()),
            ("features/b.feature", other.as_bytes()),
        ],
    );
    let out = apitest(
        &dir,
        &[
            "run",
            "--demo",
            "--tags",
            "@smoke",
            "--fail-fast",
            "--jobs",
            "1",
            "--junit",
            "junit.xml",
            "features",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    let report = std::fs::read_to_string(dir.join("junit.xml")).unwrap();
    assert_eq!(report.matches("<testsuite ").count(), 1, "{report}");
    assert!(!report.contains("Not selected"), "{report}");
    // The scenario --fail-fast stopped is counted as skipped, not as a test that ran.
    assert!(
        report.contains(r#"<testsuites tests="2" failures="1" errors="0" time="#),
        "{report}"
    );
    assert!(report.contains(r#" failures="1" skipped="1" "#), "{report}");
    assert!(
        report.contains(r#"<skipped type="not run" message="not run: --fail-fast stopped the run after a failure"/>"#),
        "{report}"
    );
}

/// The default report validates against the Jenkins xUnit plugin's junit-10.xsd (the
/// strictest common reader) with libxml2's validator (lxml, pinned in the test servers'
/// virtualenv; `xmllint --schema` runs the same code); `[reports] junit_file_attribute = true`
/// adds the `file` attribute GitLab shows, which that schema refuses.
#[test]
fn the_report_validates_against_the_jenkins_xunit_schema() {
    let Some(schema) = crate::harness::conformance("junit/junit-10.xsd") else {
        return;
    };
    let dir = project("junit-xsd", &[("features/mixed.feature", MIXED.as_bytes())]);
    let out = apitest(
        &dir,
        &["run", "--demo", "-v", "--junit", "junit.xml", "features"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    let validate = |file: &str| {
        let script = "import sys\nfrom lxml import etree\n\
                      schema = etree.XMLSchema(etree.parse(sys.argv[1]))\n\
                      doc = etree.parse(sys.argv[2])\n\
                      print('valid' if schema.validate(doc) else schema.error_log)\n";
        let out = std::process::Command::new(crate::servers::venv_bin().join("python"))
            .args(["-c", script])
            .arg(&schema)
            .arg(dir.join(file))
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", text(&out.stderr));
        text(&out.stdout)
    };
    assert_eq!(validate("junit.xml"), "valid\n");

    std::fs::write(
        dir.join("apitest.toml"),
        "[reports]\njunit_file_attribute = true\n",
    )
    .unwrap();
    let out = apitest(&dir, &["run", "--demo", "--junit", "gitlab.xml", "."]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    let report = std::fs::read_to_string(dir.join("gitlab.xml")).unwrap();
    assert!(
        report.contains(r#"file="features/mixed.feature:2""#),
        "{report}"
    );
    // The twin: with the attribute, the strict schema refuses the file.
    let verdict = validate("gitlab.xml");
    assert!(verdict.contains("attribute 'file'"), "{verdict}");
}
