//! OpenAPI contracts through the real binary: the project-wide spec from apitest.toml, the
//! coverage report's numbers on a spec whose coverage is known, the `--coverage-min` gate, and
//! the errors of a spec that cannot be used.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::harness::{self, apitest, text};

/// Four operations with six documented responses. The feature below exercises two operations
/// (GET one employee: 200 and 400 seen; the list: 200 seen) and sends one request the spec
/// does not document; so 2/4 operations and 3/6 responses.
const SPEC: &str = r#"
openapi: 3.1.0
info: {title: known coverage, version: "1"}
paths:
  /api/employee/get/{n}:
    get:
      parameters: [{name: n, in: path, required: true, schema: {type: integer}}]
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object, required: [meta]}}}}
        "400": {description: bad}
        "403": {description: never seen}
  /api/employee/list:
    get:
      responses:
        "200": {description: ok}
  /api/employee/create:
    post:
      responses:
        "200": {description: never sent}
  /api/employee/delete:
    post:
      responses:
        default: {description: never sent}
"#;

const FEATURE: &str = r#"Feature: Known coverage
  Background:
    Given address "@address"

  Scenario: one employee
    Given URL path "/api/employee/get/123"
    When the URL is invoked
    Then response matches the OpenAPI spec

  Scenario: a bad number
    Given URL path "/api/employee/get/abc"
    When the URL is invoked
    Then status is "400"

  Scenario: the list
    Given URL path "/api/employee/list"
    When the URL is invoked
    Then status is "200"

  Scenario: an undocumented helper
    Given URL path "/api/text"
    When the URL is invoked
    Then status is "200"
"#;

fn project(name: &str, toml: &str) -> PathBuf {
    harness::project(
        name,
        &[
            ("apitest.toml", toml.as_bytes()),
            ("api.yaml", SPEC.as_bytes()),
            ("features/coverage.feature", FEATURE.as_bytes()),
        ],
    )
}

fn coverage(dir: &Path) -> Value {
    let text = std::fs::read_to_string(dir.join("reports/coverage.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn the_coverage_report_counts_a_known_spec_exactly() {
    let dir = project("coverage", "[contract]\nopenapi = \"api.yaml\"\n");
    let out = apitest(&dir, &["run", "--demo", "."]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.contains(
            "API coverage of api.yaml: 2/4 operations (50%), 3/6 documented responses (50%)"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("Coverage report: reports/coverage.json"),
        "{stdout}"
    );

    let report = coverage(&dir);
    let spec = &report["specs"][0];
    assert_eq!(spec["spec"], "api.yaml");
    assert_eq!(spec["operations_covered"], 2);
    assert_eq!(spec["operations_total"], 4);
    assert_eq!(spec["responses_covered"], 3);
    assert_eq!(spec["responses_total"], 6);
    let ops = spec["operations"].as_array().unwrap();
    let get = &ops[0];
    assert_eq!(get["method"], "GET");
    assert_eq!(get["path"], "/api/employee/get/{n}");
    assert_eq!(get["statuses_seen"], serde_json::json!([200, 400]));
    let seen: Vec<bool> = get["responses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["seen"].as_bool().unwrap())
        .collect();
    assert_eq!(seen, [true, true, false]);
    assert_eq!(ops[2]["exercised"], false);
    assert_eq!(ops[3]["exercised"], false);
    let unmatched = spec["unmatched"].as_array().unwrap();
    assert_eq!(unmatched.len(), 1, "{unmatched:?}");
    assert_eq!(unmatched[0]["request"], "GET /api/text -> 200");
    assert!(
        unmatched[0]["scenario"]
            .as_str()
            .unwrap()
            .ends_with("coverage.feature:20 an undocumented helper"),
        "{unmatched:?}"
    );
}

#[test]
fn coverage_min_fails_a_passing_run_below_the_threshold() {
    let dir = project("coveragemin", "[contract]\nopenapi = \"api.yaml\"\n");
    let at_50 = apitest(&dir, &["run", "--demo", "-q", "--coverage-min", "50", "."]);
    assert_eq!(at_50.status.code(), Some(0), "{}", text(&at_50.stderr));
    let at_75 = apitest(&dir, &["run", "--demo", "-q", "--coverage-min", "75", "."]);
    assert_eq!(at_75.status.code(), Some(1));
    let err = text(&at_75.stderr);
    assert!(
        err.contains("exercised 50.0% of the documented operations, below the minimum of 75%"),
        "{err}"
    );
    // Every scenario passed: the gate alone failed the run, and the reports are written.
    assert!(text(&at_75.stdout).contains("4 scenarios (4 passed)"));
    assert!(dir.join("reports/junit.xml").is_file());

    // The same gate from the config file.
    let from_config = project(
        "coveragemincfg",
        "[contract]\nopenapi = \"api.yaml\"\ncoverage_min = 80\n",
    );
    let out = apitest(&from_config, &["run", "--demo", "-q", "."]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
}

#[test]
fn coverage_min_gates_documented_responses_too() {
    let dir = project("coverageminresp", "[contract]\nopenapi = \"api.yaml\"\n");
    let out = apitest(
        &dir,
        &[
            "run",
            "--demo",
            "-q",
            "--coverage-min",
            "ops:50,responses:20",
            ".",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let at = stdout
        .find("documented responses (")
        .expect("the coverage line");
    let shown = &stdout[..at];
    let responses = shown.rsplit(", ").next().unwrap_or_default().to_string();
    let out = apitest(
        &dir,
        &[
            "run",
            "--demo",
            "-q",
            "--coverage-min",
            "ops:50,responses:90",
            ".",
        ],
    );
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("of the documented responses, below the minimum of 90% (--coverage-min)"),
        "{err} ({responses})"
    );
    assert!(!err.contains("documented operations, below"), "{err}");
    // The text form in the config file, and a measure that does not exist.
    let from_config = project(
        "coverageminrespcfg",
        "[contract]\nopenapi = \"api.yaml\"\ncoverage_min = \"responses:90\"\n",
    );
    let out = apitest(&from_config, &["run", "--demo", "-q", "."]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let bad = apitest(&dir, &["run", "--coverage-min", "speed:5", "."]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        text(&bad.stderr).contains("`speed` is not a coverage measure"),
        "{}",
        text(&bad.stderr)
    );
}

#[test]
fn coverage_min_without_a_spec_is_a_usage_error() {
    let dir = project("coveragenospec", "");
    let out = apitest(&dir, &["run", "--demo", "-q", "--coverage-min", "10", "."]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("--coverage-min is set but the run used no OpenAPI spec"),
        "{}",
        text(&out.stderr)
    );
    let bad = apitest(&dir, &["run", "--coverage-min", "120", "."]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("not a percentage"));
}

#[test]
fn a_spec_that_cannot_be_used_stops_the_run_before_anything_is_sent() {
    let missing = project("specmissing", "[contract]\nopenapi = \"nope.yaml\"\n");
    let out = apitest(&missing, &["run", "--demo", "."]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("[contract] openapi: cannot read OpenAPI document `nope.yaml`"),
        "{err}"
    );
    assert!(
        !text(&out.stdout).contains("scenarios ("),
        "nothing may run"
    );

    let broken = project("specbroken", "[contract]\nopenapi = \"api.yaml\"\n");
    std::fs::write(
        broken.join("api.yaml"),
        "openapi: 3.1.0\npaths:\n  /a: [unclosed\n",
    )
    .unwrap();
    let out = apitest(&broken, &["run", "--demo", "."]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("`api.yaml` is not valid YAML"), "{err}");
    assert!(
        err.contains("line 3") || err.contains(":3:"),
        "the line is named: {err}"
    );

    let swagger = project("specswagger", "[contract]\nopenapi = \"api.yaml\"\n");
    std::fs::write(swagger.join("api.yaml"), "swagger: \"2.0\"\npaths: {}\n").unwrap();
    let out = apitest(&swagger, &["run", "--demo", "."]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("Swagger 2.0"),
        "{}",
        text(&out.stderr)
    );
}

/// The OAuth2 token request is a request like any other: while a spec is in effect it counts
/// in API coverage, with its own method, path and status (a refused one too).
#[test]
fn oauth2_token_requests_count_in_coverage() {
    let spec = r#"
openapi: 3.1.0
info: {title: token coverage, version: "1"}
paths:
  /oauth/token:
    post:
      responses:
        "200": {description: a token}
        "401": {description: refused}
  /api/email/send:
    post:
      responses:
        "200": {description: sent}
"#;
    let feature = r##"Feature: Tokens count
  Background:
    Given address "@address"
    And OAuth2 endpoint "@{address}/oauth/token"

  Scenario: a token, then nothing else
    Given OAuth2 credentials "alice" "alice-secret-pw"
    And I store an OAuth2 bearer token under "token"
    Then variable "#token" is any string

  Scenario: a refused token request
    Given OAuth2 credentials "alice" "not-her-password"
    And I store an OAuth2 bearer token under "token"
"##;
    let dir = harness::project(
        "coverage-oauth2",
        &[
            (
                "apitest.toml",
                b"[contract]\nopenapi = \"api.yaml\"\n" as &[u8],
            ),
            ("api.yaml", spec.as_bytes()),
            ("features/tokens.feature", feature.as_bytes()),
        ],
    );
    let out = apitest(&dir, &["run", "--demo", "."]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.contains(
            "API coverage of api.yaml: 1/2 operations (50%), 2/3 documented responses (67%)"
        ),
        "{stdout}"
    );
    let report = coverage(&dir);
    let token = &report["specs"][0]["operations"][0];
    assert_eq!(token["method"], "POST");
    assert_eq!(token["path"], "/oauth/token");
    assert_eq!(token["statuses_seen"], serde_json::json!([200, 401]));
    assert_eq!(report["specs"][0]["unmatched"], serde_json::json!([]));
}

/// `apitest generate` writes a suite from the project's contract that runs green against the
/// demo API and covers every operation; running it again keeps the user's edits.
#[test]
fn a_generated_suite_passes_against_the_demo_and_covers_every_operation() {
    let dir = harness::temp_dir("generate");
    let spec = harness::root().join("contracts/employee.yaml");
    let spec = spec.to_str().unwrap();
    let out = apitest(&dir, &["generate", spec, "--out", "."]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.contains("copied the spec to ./contracts/employee.yaml"),
        "{stdout}"
    );
    let employee = std::fs::read_to_string(dir.join("employee.feature")).unwrap();
    assert!(
        employee.starts_with("@generated\nFeature: Employee API (apitest demo): employee\n"),
        "{employee}"
    );
    assert!(
        employee.contains("Given OpenAPI spec \"contracts/employee.yaml\""),
        "{employee}"
    );
    assert!(
        employee.contains("Scenario: POST /api/employee/create answers 400 without `name`"),
        "{employee}"
    );
    let secure = std::fs::read_to_string(dir.join("secure.feature")).unwrap();
    assert!(
        secure.contains("answers 403 without credentials"),
        "{secure}"
    );
    assert!(secure.contains("# Not generated: GET /api/secure/employee/get/{employee_no} -> 200 needs credentials (basic)"), "{secure}");

    let run = apitest(&dir, &["run", "--demo", "."]);
    let stdout = text(&run.stdout);
    assert_eq!(run.status.code(), Some(0), "{stdout}{}", text(&run.stderr));
    assert!(stdout.contains("10 scenarios (10 passed)"), "{stdout}");
    assert!(stdout.contains("6/6 operations (100%)"), "{stdout}");

    // Again: nothing changes. After an edit: the edit stays, the new text goes beside it.
    let again = apitest(&dir, &["generate", spec, "--out", "."]);
    assert!(
        text(&again.stdout).contains("unchanged ./employee.feature"),
        "{}",
        text(&again.stdout)
    );
    let edited = employee.replace("answers 200\n", "answers 200, as the team expects\n");
    std::fs::write(dir.join("employee.feature"), &edited).unwrap();
    let again = apitest(&dir, &["generate", spec, "--out", "."]);
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(dir.join("employee.feature")).unwrap(),
        edited
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("employee.feature.new")).unwrap(),
        employee
    );
    let forced = apitest(&dir, &["generate", spec, "--out", ".", "--force"]);
    assert!(
        text(&forced.stdout).contains("replaced ./employee.feature"),
        "{}",
        text(&forced.stdout)
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("employee.feature")).unwrap(),
        employee
    );

    // A file that is not a spec, and a tag that is not one.
    let bad = apitest(&dir, &["generate", "employee.feature"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        text(&bad.stderr).contains("is not valid YAML"),
        "{}",
        text(&bad.stderr)
    );
    let bad = apitest(&dir, &["generate", spec, "--tag", "generated"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        text(&bad.stderr).contains("`generated` is not a tag"),
        "{}",
        text(&bad.stderr)
    );
}
