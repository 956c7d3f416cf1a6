//! The command line as a new user meets it: help, exit codes, `init` then `run`, options.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::harness::{apitest, command, project, root, temp_dir, text};

#[test]
fn help_names_the_commands_and_run_help_the_exit_codes() {
    let out = apitest(&root(), &["--help"]);
    assert_eq!(out.status.code(), Some(0));
    let help = text(&out.stdout);
    for word in ["run", "init", "demo", "plain English"] {
        assert!(help.contains(word), "`{word}` missing from --help:\n{help}");
    }
    let out = apitest(&root(), &["run", "--help"]);
    let help = text(&out.stdout);
    for word in [
        "--tags",
        "--jobs",
        "--junit",
        "--fail-fast",
        "--var",
        "--config",
        "--verbose",
        "Exit codes",
        "130",
    ] {
        assert!(
            help.contains(word),
            "`{word}` missing from run --help:\n{help}"
        );
    }
}

#[test]
fn usage_errors_exit_2() {
    let out = apitest(&root(), &["run", "--no-such-option"]);
    assert_eq!(out.status.code(), Some(2));
    let out = apitest(&root(), &["run", "no/such/path.feature"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("path `no/such/path.feature` does not exist"),
        "{err}"
    );
    let out = apitest(&root(), &["run", "--tags", "@a and", "features"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("invalid tag expression `@a and`"),
        "{}",
        text(&out.stderr)
    );
    let out = apitest(&root(), &["run", "--var", "novalue", "features"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("NAME=VALUE"));
}

#[test]
fn init_makes_a_project_that_passes_against_the_demo_api() {
    let dir = temp_dir("init");
    let project = dir.join("my-tests");
    let out = apitest(&dir, &["init", "my-tests"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("apitest run --demo my-tests"));
    for file in [
        "apitest.toml",
        "features/employee.feature",
        "features/json/request/create_employee.json",
    ] {
        assert!(project.join(file).is_file(), "{file} not created");
    }
    let out = apitest(
        &dir,
        &[
            "run",
            "--demo",
            "--junit",
            "my-tests/reports/junit.xml",
            "my-tests",
        ],
    );
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("2 scenarios (2 passed)"), "{stdout}");
    assert!(project.join("reports/junit.xml").is_file());

    // A second init must not overwrite the user's work.
    let out = apitest(&dir, &["init", "my-tests"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("already exist"),
        "{}",
        text(&out.stderr)
    );
}

/// A fresh project with one feature, and that feature's absolute path to pass to `run`.
fn feature_project(name: &str, file: &str, text: &str) -> (PathBuf, String) {
    let relative = format!("features/{file}");
    let dir = project(name, &[(relative.as_str(), text.as_bytes())]);
    let path = dir.join(relative).to_str().unwrap().to_string();
    (dir, path)
}

const TAGGED: &str = r#"Feature: Tags
  @smoke
  Scenario: Smoke one
    Given address "@address"
    Given URL path "/api/employee/get/123"
    When the URL is invoked
    Then status is "200"

  @slow
  Scenario: Slow one
    Given address "@address"
    Given URL path "/api/employee/get/124"
    When the URL is invoked
    Then status is "200"

  @smoke @slow
  Scenario: Both
    Given address "@address"
    Given URL path "/api/employee/get/124"
    When the URL is invoked
    Then status is "200"
"#;

#[test]
fn tags_select_scenarios() {
    let (dir, feature) = feature_project("tags", "tags.feature", TAGGED);
    let cases = [
        ("@smoke", "2 scenarios"),
        ("@smoke and not @slow", "1 scenario "),
        ("@slow or @smoke", "3 scenarios"),
        ("not @smoke", "1 scenario "),
    ];
    for (expr, expected) in cases {
        let out = apitest(
            &dir,
            &[
                "run",
                "--demo",
                "-q",
                "--no-junit",
                "--tags",
                expr,
                &feature,
            ],
        );
        let stdout = text(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{stdout}");
        assert!(stdout.contains(expected), "--tags {expr}: {stdout}");
    }
}

#[test]
fn vars_are_readable_as_stored_values() {
    let (dir, feature) = feature_project(
        "vars",
        "vars.feature",
        "Feature: Vars\n  Scenario: Uses --var\n    Given address \"@address\"\n    Given URL path \"/api/employee/get/#{id}\"\n    When the URL is invoked\n    Then path \"/data/name\" is \"#name\"\n",
    );
    let out = apitest(
        &dir,
        &[
            "run",
            "--demo",
            "-q",
            "--no-junit",
            "--var",
            "id=124",
            "--var",
            "name=Jane Roe",
            &feature,
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let out = apitest(
        &dir,
        &[
            "run",
            "--demo",
            "-q",
            "--no-junit",
            "--var",
            "id=123",
            "--var",
            "name=Jane Roe",
            &feature,
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
}

#[test]
fn fail_fast_stops_starting_scenarios() {
    let mut feature = String::from("Feature: Fail fast\n");
    for i in 0..5 {
        feature.push_str(&format!(
            "  Scenario: S{i}\n    Given address \"@address\"\n    Given URL path \"/api/status/500\"\n    When the URL is invoked\n    Then status is \"200\"\n"
        ));
    }
    let (dir, path) = feature_project("failfast", "ff.feature", &feature);
    let out = apitest(
        &dir,
        &[
            "run",
            "--demo",
            "-q",
            "--no-junit",
            "--jobs",
            "1",
            "--fail-fast",
            &path,
        ],
    );
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("5 scenarios (0 passed, 1 failed, 4 skipped)"),
        "{stdout}"
    );
}

#[test]
fn a_bad_config_file_names_its_line() {
    let dir = project(
        "badconfig",
        &[
            (
                "apitest.toml",
                b"[user]\naddress = \"x\"\n[run]\njobz = 2\n",
            ),
            (
                "features/a.feature",
                b"Feature: A\n  Scenario: S\n    Given address \"@address\"\n",
            ),
        ],
    );
    let out = apitest(&dir, &["run", "."]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("apitest.toml:4:"), "{err}");
    assert!(err.contains("jobz"), "{err}");
}

/// Feature scope (Zato's model): a Zato-layout project keeps state from one scenario to the
/// next; a new project does not.
#[test]
fn zato_layout_shares_state_across_scenarios_of_a_feature() {
    let feature = b"Feature: Shared state\n  Scenario: First stores\n    Given address \"@address\"\n    Given I store \"124\" under \"id\"\n\n  Scenario: Second uses what the first stored\n    Given URL path \"/api/employee/get/#{id}\"\n    When the URL is invoked\n    Then path \"/data/name\" is \"Jane Roe\"\n";
    let zato = project(
        "zato",
        &[
            ("features/state.feature", feature),
            (
                "features/config.ini",
                b"[behave]\noptions=--format pretty\n\n[user]\naddress=http://127.0.0.1:1\n",
            ),
        ],
    );
    let out = apitest(&zato, &["run", "--demo", "-q", "--no-junit", "."]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert!(
        text(&out.stderr).contains("[behave] options"),
        "the ignored options are noted"
    );

    let native = project("native", &[("features/state.feature", feature)]);
    let out = apitest(&native, &["run", "--demo", "-q", "--no-junit", "."]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    assert!(
        text(&out.stdout).contains("variable `#id` is not defined"),
        "{}",
        text(&out.stdout)
    );
}

/// The tutorial's feature, word for word, against an Employee API on the tutorial's own
/// address (the demo API on port 17010). Skipped, with a note, if that port is taken.
#[test]
fn the_seed_employee_feature_passes_unchanged_on_port_17010() {
    let mut demo = command(&root(), &["demo", "--port", "17010"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(demo.stdout.take().unwrap()).lines();
    let started = Instant::now();
    let ready = loop {
        if let Ok(Some(status)) = demo.try_wait() {
            eprintln!("note: port 17010 is busy (demo exited with {status}); skipping");
            return;
        }
        if started.elapsed() > Duration::from_secs(10) {
            break false;
        }
        match lines.next() {
            Some(Ok(line)) if line.contains("17010") => break true,
            Some(Ok(_)) => continue,
            _ => break false,
        }
    };
    let (dir, path) = feature_project(
        "seed",
        "employee.feature",
        r#"Feature: Employee API
Scenario: *** Get Employee API ***
Given address "http://localhost:17010"
Given URL path "/api/employee/get/123"
Given REST method "GET"
When the URL is invoked
Then status is "200"
And path "/meta/is_ok" is True
And path "/meta/cid" is not empty
And path "/meta/timestamp" is not empty
And path "/data/name" is "John Doe"
And path "/data/department" is "HR"
"#,
    );
    let out = apitest(&dir, &["run", "--no-junit", &path]);
    let _ = demo.kill();
    let _ = demo.wait();
    assert!(ready, "the demo API did not start");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert!(text(&out.stdout).contains("1 scenario (1 passed), 10 steps (10 passed)"));
}

/// `docs/steps.md` is generated; it must match what the binary prints today.
#[test]
fn docs_steps_md_is_current() {
    let out = apitest(&root(), &["steps", "--format", "markdown"]);
    assert_eq!(out.status.code(), Some(0));
    let generated = text(&out.stdout);
    let committed = std::fs::read_to_string(root().join("docs/steps.md")).unwrap_or_default();
    assert!(
        generated == committed,
        "docs/steps.md is out of date: run `cargo run -- steps --format markdown > docs/steps.md`"
    );
}

#[test]
fn steps_filters_by_text() {
    let out = apitest(&root(), &["steps", "header"]);
    let listing = text(&out.stdout);
    assert!(
        listing.contains(r#"header "{header}" contains "{value}""#),
        "{listing}"
    );
    assert!(!listing.contains("the URL is invoked"), "{listing}");
}

/// `apitest check` needs no server, reports every problem at once and exits 2.
#[test]
fn check_reports_every_problem_without_sending() {
    let out = apitest(&root(), &["check", "features"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("every step matches a phrase"));

    let dir = project(
        "check",
        &[
            (
                "features/typos.feature",
                b"Feature: Typos\n  Background:\n    Given adress \"http://127.0.0.1:9\"\n\n  Scenario: One\n    When the URL is invokd\n\n  Scenario: Two\n    Then status iz \"200\"\n",
            ),
            (
                "features/broken.feature",
                b"Feature: Broken\n  Sceanrio: x\n    Given address \"y\"\n",
            ),
        ],
    );
    let out = apitest(&dir, &["check", "features"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    for expected in [
        "typos.feature:3:11",
        "typos.feature:6:10",
        "typos.feature:9:10",
        "did you mean `status is \"{expected_status}\"`",
        "broken.feature:3:",
        "4 problems found; nothing was sent.",
    ] {
        assert!(err.contains(expected), "`{expected}` missing:\n{err}");
    }
    // The Background step is reported once, not once per scenario.
    assert_eq!(err.matches("typos.feature:3:11").count(), 1, "{err}");
}

/// In Zato's layout, checks keep Zato's verdicts where its meaning differs from apitest's,
/// with a warning each; `--strict` gives them apitest's meaning. Python files are noted, and
/// `Zato_API_Test_Tags` selects scenarios as Zato's runner does.
#[test]
fn zato_compatibility_keeps_verdicts_with_warnings() {
    let dir = project(
        "compat",
        &[
            (
                "features/compat.feature",
                br#"Feature: Compat
  @one
  Scenario: Zato's meanings
    Given address "@address"
    Given URL path "/api/echo"
    Given REST method "POST"
    Given request is "{"blank": "", "flag": true}"
    When the URL is invoked
    Then path "/json/blank" is not empty
    And path "/json/flag" is an integer "1"

  @two
  Scenario: Another
    Given I store "x" under "y"
"#,
            ),
            ("features/config.ini", b"[behave]\noptions=\n\n[user]\n"),
            (
                "features/steps/steps.py",
                b"from zato.apitest.steps import *\n",
            ),
            ("features/environment.py", b""),
        ],
    );

    let out = apitest(&dir, &["run", "--demo", "--no-junit", "."]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("2 warnings"), "{stdout}");
    assert!(
        stdout.contains("only checks presence in Zato's apitest"),
        "{stdout}"
    );
    assert!(stdout.contains("Python counts `True` as `1`"), "{stdout}");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("`features/environment.py`, `features/steps/steps.py` not run"),
        "{stderr}"
    );

    let out = apitest(
        &dir,
        &["run", "--demo", "--no-junit", "-q", "--strict", "."],
    );
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("path `/json/blank` is empty"), "{stdout}");

    let out = command(&dir, &["run", "--demo", "--no-junit", "-q", "."])
        .env("Zato_API_Test_Tags", "@two")
        .output()
        .unwrap();
    assert!(
        text(&out.stdout).contains("1 scenario (1 passed)"),
        "{}",
        text(&out.stdout)
    );
}

/// A whole project in Zato's layout (`apitest init` of Zato's apitest: config.ini, Python
/// hooks and steps, data folders) runs as it is, its features unchanged.
#[test]
fn a_zato_project_runs_unchanged() {
    let dir = project(
        "zato-project",
        &[
            (
                "features/config.ini",
                b"[behave]\noptions=--format pretty --no-source --no-timings\n\n[user]\naddress=http://localhost:17010\ndepartments=HR, Payroll\n",
            ),
            (
                "features/environment.py",
                b"from zato.apitest import util\n\ndef before_feature(context, feature):\n    util.new_context(context, None)\n",
            ),
            (
                "features/steps/steps.py",
                b"from zato.apitest.steps import *\n",
            ),
            (
                "features/json/request/create.json",
                b"{\"name\": \"Jane Roe\", \"department\": \"Payroll\"}\n",
            ),
            (
                "features/json/response/john.json",
                b"{\"employee_no\": 123, \"name\": \"John Doe\", \"department\": \"HR\"}\n",
            ),
            (
                "features/demo.feature",
                br##"Feature: Employees, as a Zato suite writes them

Scenario: Create an employee
    Given address "@address"
    Given URL path "/api/employee/create"
    Given REST method "POST"
    Given format "JSON"
    Given request "create.json"
    When the URL is invoked
    Then status is "200"
    And path "/meta/is_ok" is True
    And I store "/data/employee_no" from response under "employee_no"

Scenario: Read it back, relying on the address and number from the first scenario
    Given URL path "/api/employee/get/#{employee_no}"
    Given REST method "GET"
    When the URL is invoked
    Then path "/data/name" is "Jane Roe"
    And path "/data/department" is one of "@departments"

Scenario: Compare with a response file, then start again
    Given URL path "/api/employee/get/123"
    When the URL is invoked
    Then path "/data" is JSON equal to that from "john.json"
    And context is cleaned up
    And I store "done" under "state"
    Then variable "#state" is a string "done"
"##,
            ),
        ],
    );
    // Zato's init makes the XML data folders too; this suite leaves them empty.
    for sub in ["xml/request", "xml/response"] {
        std::fs::create_dir_all(dir.join("features").join(sub)).unwrap();
    }
    let out = apitest(
        &dir,
        &["run", "--demo", "--junit", "reports/junit.xml", "."],
    );
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("3 scenarios (3 passed)"), "{stdout}");
    assert!(stdout.contains("feature scope"), "{stdout}");
    assert!(dir.join("reports/junit.xml").is_file());
}

/// Tags that select nothing are a usage error (a typo must not give a green build), unless
/// `--allow-empty`; the JUnit report then says the run did not start.
#[test]
fn tags_that_select_nothing_exit_2_unless_allowed() {
    let feature = "Feature: F\n  @smoke\n  Scenario: S\n    Given address \"@address\"\n    When the URL is invoked\n";
    let dir = project(
        "select-nothing",
        &[("features/f.feature", feature.as_bytes())],
    );
    let out = apitest(
        &dir,
        &[
            "run",
            "--demo",
            "--tags",
            "@smok",
            "--junit",
            "junit.xml",
            "features",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("no scenario matches the tags `@smok`"),
        "{stderr}"
    );
    assert!(stderr.contains("--allow-empty"), "{stderr}");
    let report = std::fs::read_to_string(dir.join("junit.xml")).unwrap();
    assert!(report.contains("no scenario matches the tags"), "{report}");

    let out = apitest(
        &dir,
        &[
            "run",
            "--demo",
            "--tags",
            "@smok",
            "--allow-empty",
            "--no-junit",
            "features",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = apitest(
        &dir,
        &[
            "run",
            "--demo",
            "--tags",
            "@smoke",
            "--no-junit",
            "features",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

/// `--name` keeps the scenarios whose name matches (any of several, and the tags too);
/// `--list` shows what would run and sends nothing; a name that selects nothing, or is no
/// regular expression, is an error naming it.
#[test]
fn name_selects_scenarios_and_list_sends_nothing() {
    let dir = project(
        "select-by-name",
        &[(
            "features/a.feature",
            b"Feature: A\n  @smoke\n  Scenario: Get one employee\n    Given address \"@address\"\n    Given URL path \"/api/employee/get/123\"\n    When the URL is invoked\n    Then status is \"200\"\n\n  Scenario: Get another employee\n    Given address \"@address\"\n    Given URL path \"/api/employee/get/123\"\n    When the URL is invoked\n    Then status is \"404\"\n\n  Rule: Lists\n    Scenario: List employees\n      Given address \"http://127.0.0.1:9\"\n      When the URL is invoked\n",
        )],
    );
    let out = apitest(
        &dir,
        &[
            "run", "--demo", "--name", "^Get one", "--name", "List", "-t", "@smoke", "features",
        ],
    );
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("1 scenario (1 passed)"), "{stdout}");

    std::fs::remove_dir_all(dir.join("reports")).unwrap();
    let out = apitest(&dir, &["run", "--name", "employee$", "--list", "features"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert_eq!(
        stdout,
        "features/a.feature:3  Get one employee  @smoke  -> @address\n\
         features/a.feature:9  Get another employee  -> @address\n\
         2 scenarios selected; nothing was sent\n",
        "an address that the config does not define is shown as written"
    );
    assert!(
        !dir.join("reports/junit.xml").exists(),
        "--list writes no report"
    );
    let out = apitest(&dir, &["run", "--list", "features"]);
    assert!(
        text(&out.stdout)
            .contains("features/a.feature:16  Lists / List employees  -> http://127.0.0.1:9\n"),
        "{}",
        text(&out.stdout)
    );

    let out = apitest(&dir, &["run", "--name", "nobody", "features"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("no scenario has a name matching `nobody`"),
        "{}",
        text(&out.stderr)
    );
    let out = apitest(
        &dir,
        &[
            "run",
            "--name",
            "nobody",
            "--allow-empty",
            "--list",
            "features",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    let out = apitest(&dir, &["run", "--name", "(", "features"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("`--name (` is not a valid regular expression"));
}

/// `FILE:LINE` runs the scenarios at those lines: a scenario's line or a step's, an outline's
/// (every row), an Examples table's (its rows), one row's; several as `FILE:L1:L2`; a line
/// that selects nothing is exit 2 naming it and where scenarios start.
#[test]
fn file_and_line_select_scenarios() {
    let dir = project(
        "select-by-line",
        &[(
            "features/a.feature",
            b"Feature: A\n\n  Scenario: first\n    Given address \"@address\"\n    When the URL is invoked\n\n  Scenario Outline: rows <n>\n    Given address \"@address\"\n    When the URL is invoked\n\n    Examples: one\n      | n |\n      | 1 |\n      | 2 |\n\n    Examples: two\n      | n |\n      | 3 |\n",
        )],
    );
    let listed = |target: &str| {
        let out = apitest(&dir, &["run", "--list", target]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{target}: {}",
            text(&out.stderr)
        );
        text(&out.stdout)
            .lines()
            .filter(|l| l.starts_with("features/"))
            .map(|l| {
                l.split("  ")
                    .next()
                    .unwrap()
                    .trim_start_matches("features/a.feature:")
                    .to_string()
            })
            .collect::<Vec<_>>()
            .join(",")
    };
    assert_eq!(listed("features/a.feature:3"), "3");
    assert_eq!(listed("features/a.feature:5"), "3", "a step's line");
    assert_eq!(
        listed("features/a.feature:7"),
        "13,14,18",
        "the outline: every row"
    );
    assert_eq!(
        listed("features/a.feature:11"),
        "13,14",
        "an Examples table"
    );
    assert_eq!(listed("features/a.feature:16"), "18");
    assert_eq!(listed("features/a.feature:14"), "14", "one row");
    assert_eq!(listed("features/a.feature:3:18"), "3,18");
    let out = apitest(&dir, &["run", "--demo", "features/a.feature:14"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        text(&out.stdout).contains("1 scenario (1 passed)"),
        "{}",
        text(&out.stdout)
    );

    let out = apitest(&dir, &["run", "features/a.feature:2"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("features/a.feature:2 selects no scenario (scenarios start at lines 3, 7)"),
        "{err}"
    );
    std::fs::write(
        dir.join("features/b.feature"),
        "Feature: B\n  Background:\n    Given address \"@address\"\n\n  Scenario: one\n    When the URL is invoked\n",
    )
    .unwrap();
    for line in [2, 3] {
        let out = apitest(&dir, &["run", &format!("features/b.feature:{line}")]);
        assert_eq!(out.status.code(), Some(2));
        let err = text(&out.stderr);
        assert!(
            err.contains(&format!(
                "features/b.feature:{line} is in a Background, whose steps run before every scenario it covers; it selects no scenario by itself (scenarios start at line 5)"
            )),
            "{err}"
        );
    }
    let out = apitest(&dir, &["run", "features/nope.feature:3"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("path `features/nope.feature:3` does not exist"));
}

const ENV_FEATURE: &str = "Feature: Environments\n  Scenario: Get one employee\n    Given address \"@address\"\n    Given URL path \"$EMPLOYEE_PATH\"\n    When the URL is invoked\n    Then status is \"200\"\n    And path \"/data/name\" is \"John Doe\"\n";

/// Runs `apitest run ARGS features` in `dir` with only the given environment variables of
/// those this test uses set.
fn run_with_env(dir: &std::path::Path, args: &[&str], vars: &[(&str, &str)]) -> (i32, String) {
    let mut command = command(dir, &["run", "--no-junit", "--no-html"]);
    command.args(args).arg("features");
    for name in ["APITEST_ENV", "DEMO_URL", "EMPLOYEE_PATH"] {
        command.env_remove(name);
    }
    command.envs(vars.iter().copied());
    let out = command.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        format!("{}{}", text(&out.stdout), text(&out.stderr)),
    )
}

/// `--env NAME` (or `APITEST_ENV`) puts `[env.NAME]` over `[user]`; values expand `${VAR}`
/// from the environment and the project's `.env` (which never overrides the environment);
/// an unset variable names itself and its line; `--set` overrides a key; `--list` shows
/// where each scenario would go.
#[test]
fn environments_switch_the_address() {
    let demo = crate::servers::demo();
    let dir = project(
        "environments",
        &[
            ("features/env.feature", ENV_FEATURE.as_bytes()),
            (
                "apitest.toml",
                b"[user]\naddress = \"http://127.0.0.1:9\"\n\n[env.local]\n# the demo API\naddress = \"${DEMO_URL}\"\n\n[env.other]\naddress = \"${OTHER_URL:-http://127.0.0.1:9}\"\n",
            ),
        ],
    );
    let url = demo.address();
    let path = [("EMPLOYEE_PATH", "/api/employee/get/123")];

    let (code, out) = run_with_env(&dir, &[], &path);
    assert_eq!(code, 1, "[user] points at a closed port: {out}");
    let with_url = [path[0], ("DEMO_URL", url.as_str())];
    let (code, out) = run_with_env(&dir, &["--env", "local"], &with_url);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("1 scenario (1 passed)"), "{out}");
    let (code, out) = run_with_env(
        &dir,
        &[],
        &[with_url[0], with_url[1], ("APITEST_ENV", "local")],
    );
    assert_eq!(code, 0, "APITEST_ENV selects the environment: {out}");
    let (code, out) = run_with_env(&dir, &["--env", "other"], &path);
    assert_eq!(
        code, 1,
        "`${{OTHER_URL:-…}}` falls back to its default: {out}"
    );

    let (code, out) = run_with_env(&dir, &["--env", "local"], &path);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("apitest.toml:6: `${DEMO_URL}` names an environment variable that is not set"),
        "the variable and its line: {out}"
    );
    assert!(
        out.contains("nothing was sent") || !out.contains("passed"),
        "{out}"
    );
    let (code, out) = run_with_env(&dir, &["--env", "locla"], &with_url);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains(
            "no environment `locla` (--env / APITEST_ENV); the config defines `local`, `other`"
        ),
        "{out}"
    );

    // `.env` beside apitest.toml fills in what the environment does not set.
    std::fs::write(
        dir.join(".env"),
        format!("# local settings\nDEMO_URL={url}\nEMPLOYEE_PATH=/api/employee/get/123\n"),
    )
    .unwrap();
    let (code, out) = run_with_env(&dir, &["-e", "local"], &[]);
    assert_eq!(
        code, 0,
        ".env is read for the config and for `$NAME` in steps: {out}"
    );
    let (code, out) = run_with_env(
        &dir,
        &["-e", "local"],
        &[("DEMO_URL", "http://127.0.0.1:9")],
    );
    assert_eq!(code, 1, "the environment wins over .env: {out}");

    let (code, out) = run_with_env(&dir, &["--env", "local", "--list"], &[]);
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with("environment `local`\n"), "{out}");
    assert!(
        out.contains(&format!(
            "features/env.feature:2  Get one employee  -> {url}\n"
        )),
        "{out}"
    );

    let set = format!("address={url}");
    let (code, out) = run_with_env(&dir, &["--set", &set], &[]);
    assert_eq!(code, 0, "--set overrides [user]: {out}");
    let (code, out) = run_with_env(&dir, &["--set", "run.jobs=many"], &[]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("--set run.jobs=many: invalid type"), "{out}");
    let (code, out) = run_with_env(&dir, &["--set", "address"], &[]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("needs the form KEY=VALUE"), "{out}");
    std::fs::write(dir.join(".env"), "NOT A LINE\n").unwrap();
    let (code, out) = run_with_env(&dir, &[], &[]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains(".env:1"), "a bad .env line is named: {out}");
}

/// A Zato project's `config.ini` keeps working, and takes `[env.NAME]`, `.env` and `--set`.
#[test]
fn environments_work_in_the_zato_layout() {
    let demo = crate::servers::demo();
    let dir = project(
        "environments-zato",
        &[
            ("features/env.feature", ENV_FEATURE.as_bytes()),
            (
                "features/config.ini",
                b"[behave]\noptions=--format pretty\n\n[user]\naddress=http://127.0.0.1:9\n\n[env.local]\naddress=${DEMO_URL}\n",
            ),
        ],
    );
    let url = demo.address();
    let vars = [
        ("EMPLOYEE_PATH", "/api/employee/get/123"),
        ("DEMO_URL", url.as_str()),
    ];
    let (code, out) = run_with_env(&dir, &[], &vars);
    assert_eq!(code, 1, "{out}");
    let (code, out) = run_with_env(&dir, &["--env", "local"], &vars);
    assert_eq!(code, 0, "{out}");
    let set = format!("address={url}");
    let (code, out) = run_with_env(&dir, &["--set", &set], &vars[..1]);
    assert_eq!(code, 0, "{out}");
    let (code, out) = run_with_env(&dir, &["--env", "local"], &vars[..1]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("config.ini:8: `${DEMO_URL}`"), "{out}");
}

/// `--rerun-failed` runs what failed last time (an outline row by its own line; a whole
/// feature in feature scope), says so when there is no previous run or nothing failed, and
/// combines with the other selectors.
#[test]
fn rerun_failed_runs_only_the_last_failures() {
    let feature = "Feature: A\n  Scenario: passes\n    Given address \"@address\"\n    Given URL path \"/api/employee/get/123\"\n    When the URL is invoked\n    Then status is \"200\"\n\n  @row\n  Scenario Outline: row <n>\n    Given address \"@address\"\n    Given URL path \"/api/employee/get/123\"\n    When the URL is invoked\n    Then status is \"<code>\"\n\n    Examples:\n      | n | code |\n      | 1 | 200  |\n      | 2 | 500  |\n";
    let dir = project(
        "rerun-failed",
        &[("features/a.feature", feature.as_bytes())],
    );
    let run = |args: &[&str]| {
        let mut all = vec!["run", "--demo", "--no-html"];
        all.extend_from_slice(args);
        let out = apitest(&dir, &all);
        (out.status.code(), text(&out.stdout), text(&out.stderr))
    };
    let (code, _, err) = run(&["--rerun-failed"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("--rerun-failed: there is no previous run to take the failures from (reports/.last-run.json does not exist)"),
        "{err}"
    );
    let (code, out, _) = run(&[]);
    assert_eq!(code, Some(1));
    assert!(out.contains("3 scenarios (2 passed, 1 failed)"), "{out}");
    let (code, out, _) = run(&["--rerun-failed", "--list"]);
    assert_eq!(code, Some(0));
    assert!(
        out.starts_with("features/a.feature:18  row 2 -- @1.2  @row"),
        "only the failed row: {out}"
    );
    let (code, _, err) = run(&["--rerun-failed", "--tags", "not @row"]);
    assert_eq!(code, Some(2), "the selectors combine as an AND");
    assert!(
        err.contains("none of the scenarios that failed in the last run is selected or still at its line: features/a.feature:18  row 2 -- @1.2"),
        "{err}"
    );
    let (code, out, _) = run(&["--rerun-failed", "--scope", "feature", "--list"]);
    assert_eq!(code, Some(0));
    assert!(
        out.contains("3 scenarios selected"),
        "feature scope reruns the whole feature: {out}"
    );
    let (code, out, _) = run(&["--rerun-failed"]);
    assert_eq!(code, Some(1));
    assert!(out.contains("1 scenario (0 passed, 1 failed)"), "{out}");

    std::fs::write(
        dir.join("features/a.feature"),
        feature.replace("| 2 | 500  |", "| 2 | 200  |"),
    )
    .unwrap();
    let (code, out, _) = run(&["--rerun-failed"]);
    assert_eq!(code, Some(0));
    assert!(out.contains("1 scenario (1 passed)"), "{out}");
    let junit = std::fs::read_to_string(dir.join("reports/junit.xml")).unwrap();
    let (code, _, err) = run(&["--rerun-failed"]);
    assert_eq!(code, Some(0));
    assert!(
        err.contains(
            "the last run had no failed scenario (reports/.last-run.json); nothing to rerun"
        ),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("reports/junit.xml")).unwrap(),
        junit,
        "nothing to rerun leaves the last reports alone"
    );
}

/// A polling step gives up within its time limit plus one interval (the pass case is in
/// tests/cases/pass/polling.feature: ready after 1 s, within 5 s).
#[test]
fn polling_gives_up_within_its_time_limit_plus_one_interval() {
    let dir = temp_dir("polling-bound");
    let junit = dir.join("junit.xml");
    let out = apitest(
        &root(),
        &[
            "run",
            "--demo",
            "--no-html",
            "--report-junit",
            junit.to_str().unwrap(),
            "tests/cases/fail/polling.feature",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    let xml = std::fs::read_to_string(&junit).unwrap();
    let time = |name: &str| -> f64 {
        let at = xml
            .find(&format!("<testcase name=\"{name}\" time=\""))
            .unwrap();
        let rest = &xml[at..];
        let start = rest.find("time=\"").unwrap() + 6;
        let end = start + rest[start..].find('"').unwrap();
        rest[start..end].parse().unwrap()
    };
    // within "1", every "0.3"; within "0.5", every "0.2".
    let never = time("A job that never finishes in time");
    assert!((0.6..=1.3).contains(&never), "{never} s");
    let down = time("A server that is down");
    assert!((0.2..=0.7).contains(&down), "{down} s");
    assert!(text(&out.stdout).contains("= attempts: "));
}

/// Start and finish of each scenario, by name, from a Cucumber Messages stream.
fn scenario_intervals(ndjson: &str) -> HashMap<String, (f64, f64)> {
    let mut names = HashMap::new();
    let mut cases = HashMap::new();
    let mut started = HashMap::new();
    let mut out = HashMap::new();
    let seconds =
        |t: &serde_json::Value| t["seconds"].as_f64().unwrap() + t["nanos"].as_f64().unwrap() / 1e9;
    for line in ndjson.lines() {
        let m: serde_json::Value = serde_json::from_str(line).unwrap();
        if let Some(p) = m.get("pickle") {
            names.insert(
                p["id"].as_str().unwrap().to_string(),
                p["name"].as_str().unwrap().to_string(),
            );
        } else if let Some(c) = m.get("testCase") {
            cases.insert(
                c["id"].as_str().unwrap().to_string(),
                c["pickleId"].as_str().unwrap().to_string(),
            );
        } else if let Some(s) = m.get("testCaseStarted") {
            let pickle = cases.get(s["testCaseId"].as_str().unwrap()).unwrap();
            started.insert(
                s["id"].as_str().unwrap().to_string(),
                (names.get(pickle).unwrap().clone(), seconds(&s["timestamp"])),
            );
        } else if let Some(f) = m.get("testCaseFinished") {
            let (name, from) = started
                .get(f["testCaseStartedId"].as_str().unwrap())
                .unwrap()
                .clone();
            out.insert(name, (from, seconds(&f["timestamp"])));
        }
    }
    out
}

/// `@serial` scenarios (tagged on the scenario or inherited from a Rule) never overlap each
/// other in scenario scope, while the others still run side by side.
#[test]
fn serial_scenarios_never_overlap() {
    let mut feature = String::from("Feature: Serial\n");
    for i in 0..3 {
        feature.push_str(&format!("  @serial\n  Scenario: serial {i}\n    Given address \"@address\"\n    Given URL path \"/api/delay/200\"\n    When the URL is invoked\n    Then status is \"200\"\n\n"));
    }
    for i in 0..4 {
        feature.push_str(&format!("  Scenario: free {i}\n    Given address \"@address\"\n    Given URL path \"/api/delay/200\"\n    When the URL is invoked\n    Then status is \"200\"\n\n"));
    }
    feature.push_str("  @serial\n  Rule: shared state\n    Scenario: serial 3\n      Given address \"@address\"\n      Given URL path \"/api/delay/200\"\n      When the URL is invoked\n      Then status is \"200\"\n");
    let dir = project("serial", &[("features/s.feature", feature.as_bytes())]);
    let out = apitest(
        &dir,
        &[
            "run",
            "--demo",
            "-j",
            "8",
            "--report-messages",
            "m.ndjson",
            "features",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let intervals = scenario_intervals(&std::fs::read_to_string(dir.join("m.ndjson")).unwrap());
    assert_eq!(intervals.len(), 8);
    let by_name = |name: String| {
        intervals
            .iter()
            .find(|(n, _)| n.ends_with(&name))
            .map(|(_, i)| *i)
            .unwrap()
    };
    let mut serial: Vec<(f64, f64)> = (0..4).map(|i| by_name(format!("serial {i}"))).collect();
    serial.sort_by(|a, b| a.0.total_cmp(&b.0));
    for pair in serial.windows(2) {
        assert!(
            pair[0].1 <= pair[1].0,
            "@serial scenarios overlapped: {serial:?}"
        );
    }
    let free: Vec<(f64, f64)> = (0..4).map(|i| by_name(format!("free {i}"))).collect();
    let overlapping = free
        .iter()
        .enumerate()
        .any(|(i, a)| free.iter().skip(i + 1).any(|b| a.0 < b.1 && b.0 < a.1));
    assert!(
        overlapping,
        "the other scenarios should run side by side: {free:?}"
    );
}

/// `--retry N` runs a failed scenario again from a fresh World; one that passes on a retry is
/// flaky (counted apart, not passed), `--fail-on-flaky` fails the run; `@retry(N)` sets a
/// scenario's own count; `[run] retry` is the default; a step that matches nothing is never
/// retried.
#[test]
fn retries_mark_flaky_scenarios() {
    let feature = "Feature: Flaky\n  Scenario: fails once then passes\n    Given address \"@address\"\n    Given URL path \"/api/flaky/#{key}\"\n    When the URL is invoked\n    Then status is \"200\"\n\n  @retry(1)\n  Scenario: always fails\n    Given address \"@address\"\n    Given URL path \"/api/status/500\"\n    When the URL is invoked\n    Then status is \"200\"\n\n  Scenario: steady\n    Given address \"@address\"\n    Given URL path \"/api/employee/get/123\"\n    When the URL is invoked\n    Then status is \"200\"\n";
    let dir = project("retry", &[("features/f.feature", feature.as_bytes())]);
    let mut key = 0;
    let mut run = |args: &[&str]| {
        key += 1;
        let var = format!("key=retry-{}-{key}", std::process::id());
        let mut all = vec!["run", "--demo", "--var", &var];
        all.extend_from_slice(args);
        let out = apitest(&dir, &all);
        (out.status.code(), text(&out.stdout))
    };
    let (code, out) = run(&[]);
    assert_eq!(code, Some(1));
    assert!(
        out.contains("3 scenarios (1 passed, 2 failed)"),
        "no retry by default: {out}"
    );

    let (code, out) = run(&["--retry", "2", "--report-messages", "reports/m.ndjson"]);
    assert_eq!(code, Some(1), "one scenario still fails: {out}");
    assert!(
        out.contains("3 scenarios (1 passed, 1 flaky, 1 failed)"),
        "{out}"
    );
    assert!(out.contains("⚠ fails once then passes"), "{out}");
    assert!(
        out.contains("flaky: attempt 1 of 2 failed: status is not 200 (features/f.feature:6)"),
        "{out}"
    );
    // `@retry(1)` wins over `--retry 2`: two attempts in all.
    assert!(
        out.contains("retried: attempt 1 of 2 failed: status is not 200 (features/f.feature:13)"),
        "{out}"
    );
    assert!(!out.contains("attempt 2 of 3"), "{out}");
    let html = std::fs::read_to_string(dir.join("reports/report.html")).unwrap();
    assert!(
        html.contains("<li class=\"flaky\"><b>1</b> flaky (passed on a retry)</li>"),
        "the HTML report counts it"
    );
    assert!(html.contains(
        "<li class=\"retry flaky\">flaky: attempt 1 of 2 failed: status is not 200</li>"
    ));
    let junit = std::fs::read_to_string(dir.join("reports/junit.xml")).unwrap();
    let doc = roxmltree::Document::parse(&junit).expect("well-formed JUnit");
    let case = |name: &str| {
        doc.descendants()
            .find(|n| n.has_tag_name("testcase") && n.attribute("name") == Some(name))
            .unwrap()
    };
    let children = |name: &str| -> Vec<String> {
        case(name)
            .children()
            .filter(|c| c.is_element())
            .map(|c| c.tag_name().name().to_string())
            .collect()
    };
    assert_eq!(
        children("fails once then passes"),
        ["system-out", "flakyFailure"]
    );
    assert_eq!(
        children("always fails"),
        ["failure", "system-out", "rerunFailure"]
    );
    assert_eq!(children("steady"), ["system-out"]);
    let flaky = case("fails once then passes");
    let element = flaky
        .children()
        .find(|c| c.has_tag_name("flakyFailure"))
        .unwrap();
    assert_eq!(element.attribute("message"), Some("status is not 200"));
    assert!(element.children().any(|c| {
        c.has_tag_name("stackTrace")
            && c.text()
                .is_some_and(|t| t.contains("features/f.feature:6:5"))
    }));
    crate::reports::assert_valid_junit(&dir.join("reports/junit.xml"));
    // Cucumber Messages: every attempt, the earlier ones `willBeRetried`, valid for the
    // official schema.
    let messages = std::fs::read_to_string(dir.join("reports/m.ndjson")).unwrap();
    let attempts: Vec<(u64, String)> = messages
        .lines()
        .filter_map(|l| {
            let m: serde_json::Value = serde_json::from_str(l).unwrap();
            let s = m.get("testCaseStarted")?;
            Some((
                s["attempt"].as_u64()?,
                s["testCaseId"].as_str()?.to_string(),
            ))
        })
        .collect();
    assert_eq!(
        attempts.iter().filter(|(a, _)| *a == 1).count(),
        2,
        "{attempts:?}"
    );
    assert_eq!(
        attempts.len(),
        5,
        "three scenarios, two of them twice: {attempts:?}"
    );
    let retried = messages.matches("\"willBeRetried\":true").count();
    assert_eq!(retried, 2);
    if let Some(consumers) = crate::consumers::node_modules() {
        let (ok, said) = crate::consumers::node(
            &consumers,
            "validate-messages.mjs",
            &[&dir.join("reports/m.ndjson")],
            &[],
        );
        assert!(ok, "the messages do not validate:\n{said}");
    }

    let (code, out) = run(&["--retry", "1", "--name", "once|steady"]);
    assert_eq!(code, Some(0), "flaky passes by default: {out}");
    assert!(out.contains("2 scenarios (1 passed, 1 flaky)"), "{out}");
    let (code, out) = run(&["--retry", "1", "--name", "once|steady", "--fail-on-flaky"]);
    assert_eq!(code, Some(1), "--fail-on-flaky: {out}");

    std::fs::write(dir.join("apitest.toml"), "[run]\nretry = 1\n").unwrap();
    let (code, out) = run(&["--name", "once"]);
    assert_eq!(code, Some(0), "[run] retry: {out}");
    assert!(out.contains("1 scenario (0 passed, 1 flaky)"), "{out}");
    std::fs::write(dir.join("apitest.toml"), "[run]\nretry = 11\n").unwrap();
    let (code, _) = run(&[]);
    assert_eq!(code, Some(2), "more than 10 retries is refused");

    std::fs::write(dir.join("apitest.toml"), "").unwrap();
    std::fs::write(
        dir.join("features/f.feature"),
        "Feature: F\n  Scenario: typo\n    Given adress \"@address\"\n",
    )
    .unwrap();
    let (code, out) = run(&["--retry", "3"]);
    assert_eq!(code, Some(1));
    assert!(
        !out.contains("attempt"),
        "a step that matches nothing is not retried: {out}"
    );
}

/// A called scenario runs in the caller's World; its steps appear nested in every report; a
/// `@library` scenario never runs alone; `check` finds what is wrong in calls before a run.
#[test]
fn called_scenarios_run_nested_and_library_ones_not_alone() {
    let main = "Feature: Caller\n  Scenario: logs in first\n    Given the scenario \"Log in\" from \"common/auth.feature\" is run with \"user\" = \"alice\", \"password\" = \"alice-secret-pw\"\n    Given URL path \"/api/echo\"\n    When the URL is invoked\n    Then path \"/headers/authorization\" is \"Bearer #{token}\"\n\n  Scenario: logs in wrong\n    Given the scenario \"Log in\" from \"common/auth.feature\" is run with \"user\" = \"alice\", \"password\" = \"nope\"\n";
    let library = "@library\nFeature: Shared\n  Background:\n    Given address \"@address\"\n\n  Scenario: Log in\n    Given URL path \"/api/login\"\n    And REST method \"POST\"\n    And request is \"{\"username\": \"#{user}\", \"password\": \"#{password}\"}\"\n    When the URL is invoked\n    Then status is \"200\"\n    And I store \"/data/token\" from response under \"token\"\n    And header \"Authorization\" \"Bearer #{token}\"\n";
    let dir = project(
        "calls",
        &[
            ("features/orders/main.feature", main.as_bytes()),
            ("features/common/auth.feature", library.as_bytes()),
        ],
    );
    let out = apitest(
        &dir,
        &[
            "run",
            "--demo",
            "--report-cucumber-json",
            "reports/c.json",
            "--report-messages",
            "reports/m.ndjson",
        ],
    );
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    // The library scenario is not run on its own: two scenarios, the callers.
    assert!(
        stdout.contains("2 scenarios (1 passed, 1 failed)"),
        "{stdout}"
    );
    // The failure is shown at the called step, with the line of the call.
    assert!(
        stdout.contains("--> features/common/auth.feature:11:5"),
        "{stdout}"
    );
    assert!(
        stdout.contains("in \"Log in\", called at features/orders/main.feature:9"),
        "{stdout}"
    );
    // The password passed as a parameter is a secret: never printed.
    assert!(!stdout.contains("nope"), "{stdout}");

    let json = std::fs::read_to_string(dir.join("reports/c.json")).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let steps = |scenario: usize| doc[0]["elements"][scenario]["steps"].clone();
    assert_eq!(
        steps(0)[0]["output"][5],
        "passed: Then status is \"200\" (features/common/auth.feature:11)"
    );
    assert_eq!(steps(0)[0]["result"]["status"], "passed");
    assert_eq!(steps(1)[0]["result"]["status"], "failed");
    let output: Vec<String> = steps(1)[0]["output"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        output,
        [
            "passed: Given address \"@address\" (features/common/auth.feature:4)",
            "passed: Given URL path \"/api/login\" (features/common/auth.feature:7)",
            "passed: And REST method \"POST\" (features/common/auth.feature:8)",
            "passed: And request is \"{\"username\": \"#{user}\", \"password\": \"#{password}\"}\" (features/common/auth.feature:9)",
            "passed: When the URL is invoked (features/common/auth.feature:10)",
            "failed: Then status is \"200\" (features/common/auth.feature:11)",
            "skipped: And I store \"/data/token\" from response under \"token\" (features/common/auth.feature:12)",
            "skipped: And header \"Authorization\" \"Bearer #{token}\" (features/common/auth.feature:13)",
        ]
    );
    let messages = std::fs::read_to_string(dir.join("reports/m.ndjson")).unwrap();
    let called = messages
        .lines()
        .filter(|l| l.contains("\"called-steps.txt\""))
        .count();
    assert_eq!(called, 2, "one attachment per call step");
    let html = std::fs::read_to_string(dir.join("reports/report.html")).unwrap();
    assert!(
        html.contains("<ol class=\"steps called\"><li class=\"passed\"><b>Given</b> address"),
        "nested steps in the HTML report"
    );
    let junit = std::fs::read_to_string(dir.join("reports/junit.xml")).unwrap();
    assert!(
        junit.contains("failed: Then status is \"200\" (features/common/auth.feature:11)")
            || junit.contains(
                "failed: Then status is &quot;200&quot; (features/common/auth.feature:11)"
            ),
        "{junit}"
    );

    // The library file alone runs nothing, and says why when a line of it is asked for.
    let out = apitest(&dir, &["run", "--demo", "--list", "features/common"]);
    assert!(
        !text(&out.stdout).contains("Log in"),
        "{}",
        text(&out.stdout)
    );
    let out = apitest(&dir, &["run", "--demo", "features/common/auth.feature:6"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr)
            .contains("scenarios tagged @library only run when another scenario calls them"),
        "{}",
        text(&out.stderr)
    );
}

/// `apitest check` finds every call that cannot run (no such file, no such scenario, a
/// cycle, bad parameters) without sending anything, and a step no phrase matches inside a
/// called file outside the checked ones.
#[test]
fn check_validates_called_scenarios() {
    let out = apitest(&root(), &["check", "tests/cases/fail/calls.feature"]);
    let stderr = text(&out.stderr);
    let stdout = text(&out.stdout);
    let all = format!("{stdout}{stderr}");
    assert_eq!(out.status.code(), Some(2), "{all}");
    for says in [
        "tests/cases/library/session.feature has no scenario of this name",
        "there is no file \"library/nowhere.feature\"",
        "this call makes a cycle",
        "have no `=` after \"user\"",
    ] {
        assert!(all.contains(says), "`{says}` missing:\n{all}");
    }
    assert!(
        all.contains("--> tests/cases/library/cycle.feature:8:11"),
        "{all}"
    );
    let out = apitest(&root(), &["check", "tests/cases/pass/calls.feature"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );

    let caller = "Feature: C\n  Scenario: s\n    Given the scenario \"Typo\" from \"lib/typo.feature\" is run\n";
    let typo = "@library\nFeature: T\n  Scenario: Typo\n    Given adress \"http://127.0.0.1:1\"\n";
    let dir = project(
        "check-calls",
        &[
            ("features/c.feature", caller.as_bytes()),
            ("lib/typo.feature", typo.as_bytes()),
        ],
    );
    let out = apitest(&dir, &["check", "features"]);
    let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(2), "{all}");
    assert!(all.contains("--> lib/typo.feature:4"), "{all}");
    // A `@library` scenario nothing calls is checked all the same.
    let out = apitest(&dir, &["check", "lib/typo.feature"]);
    let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(2), "{all}");
    assert!(all.contains("--> lib/typo.feature:4"), "{all}");
}

/// Names the user wrote are never altered by redaction: a scenario named like a secret's
/// value is still named as written in the failure of a call to it; the parameters' values
/// are never quoted in a message.
#[test]
fn call_failures_name_scenarios_as_written_and_never_quote_values() {
    let feature = "Feature: C
  Scenario: wrong name
    Given the scenario \"Log in as admin\" from \"lib.feature\" is run

  Scenario: bad parameters
    Given the scenario \"Log in\" from \"lib.feature\" is run with \"password\" = \"hunter2\" \"x\" = \"y\"
";
    let library = "@library\nFeature: L\n  Scenario: Log in\n    Given I store \"1\" under \"x\"\n";
    let dir = project(
        "call-names",
        &[
            ("features/c.feature", feature.as_bytes()),
            ("features/lib.feature", library.as_bytes()),
        ],
    );
    let out = apitest(
        &dir,
        &[
            "run",
            "--no-html",
            "--var",
            "password=admin",
            "--var",
            "token=hunter2",
        ],
    );
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("its scenarios: \"Log in\""), "{stdout}");
    assert!(
        stdout.contains("Given the scenario \"Log in as admin\" from"),
        "the line is shown as written: {stdout}"
    );
    assert!(
        stdout.contains("error: the parameters have no comma after the value of \"password\""),
        "{stdout}"
    );
    let junit = std::fs::read_to_string(dir.join("reports/junit.xml")).unwrap();
    let message_attributes: Vec<&str> = junit
        .match_indices("message=\"")
        .map(|(at, _)| junit.get(at..at + 120).unwrap_or(""))
        .collect();
    assert!(
        message_attributes.iter().all(|m| !m.contains("hunter2")),
        "{message_attributes:?}"
    );
}

/// The most requests one host saw at once, read from the demo API's `/api/inflight/{key}`.
fn most_in_flight(port: u16, key: &str) -> u64 {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "GET /api/inflight/{key} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let body = answer.split("\r\n\r\n").nth(1).unwrap();
    let doc: serde_json::Value = serde_json::from_str(body).unwrap();
    doc.get("max").and_then(serde_json::Value::as_u64).unwrap()
}

/// However many scenarios run at once (64 by default), one host gets at most
/// `[run] max_connections_per_host` requests at a time.
#[test]
fn requests_to_one_host_stay_within_the_per_host_limit() {
    let demo = crate::servers::demo();
    let rows: String = (1..=24).map(|n| format!("      | {n} |\n")).collect();
    let feature = format!(
        "Feature: Many at once\n  Scenario Outline: request <n>\n    Given address \"@address\"\n    Given URL path \"/api/inflight/#{{key}}\"\n    And query string \"?hold_ms=300\"\n    When the URL is invoked\n    Then status is \"200\"\n\n    Examples:\n      | n |\n{rows}"
    );
    let config = format!(
        "[user]\naddress = \"{}\"\n\n[run]\nmax_connections_per_host = 3\n",
        demo.address()
    );
    let dir = project(
        "per-host",
        &[
            ("features/many.feature", feature.as_bytes()),
            ("apitest.toml", config.as_bytes()),
        ],
    );
    let key = format!("limit-{}", std::process::id());
    let var = format!("key={key}");
    let out = apitest(
        &dir,
        &["run", "-q", "--no-junit", "--no-html", "--var", &var],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert_eq!(most_in_flight(demo.port, &key), 3);

    // The default limit (32) lets the 24 scenarios, all running at once, overlap.
    let key = format!("default-{}", std::process::id());
    let var = format!("key={key}");
    let out = apitest(
        &dir,
        &[
            "run",
            "-q",
            "--no-junit",
            "--no-html",
            "--var",
            &var,
            "--set",
            "run.max_connections_per_host=32",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let most = most_in_flight(demo.port, &key);
    assert!(most > 3 && most <= 24, "{most} at once");

    let out = apitest(
        &dir,
        &["run", "--set", "run.max_connections_per_host=0", "--list"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr)
            .contains("`[run] max_connections_per_host` must be from 1 to 1024, not 0"),
        "{}",
        text(&out.stderr)
    );
}

/// `apitest completions SHELL` prints a script its shell reads without a syntax error.
#[test]
fn completion_scripts_parse_in_their_shells() {
    let dir = temp_dir("completions");
    for (shell, file, check) in [
        ("bash", "apitest.bash", &["-n"][..]),
        ("zsh", "_apitest", &["-n"][..]),
        ("fish", "apitest.fish", &["--no-execute"][..]),
        ("powershell", "apitest.ps1", &[][..]),
        ("elvish", "apitest.elv", &[][..]),
    ] {
        let out = apitest(&root(), &["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}: {}", text(&out.stderr));
        let script = text(&out.stdout);
        assert!(
            script.contains("apitest") && script.contains("completions") && script.len() > 1000,
            "{shell}: {script}"
        );
        if check.is_empty() || !crate::consumers::program(shell) {
            continue;
        }
        let path = dir.join(file);
        std::fs::write(&path, &script).unwrap();
        let parsed = command_in(shell, check, &path);
        assert!(
            parsed.status.success(),
            "{shell} cannot read it: {}",
            text(&parsed.stderr)
        );
    }
    // A reader that stops early is not an error (and nothing panics).
    let mut child = command(&root(), &["completions", "bash"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = apitest(&root(), &["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("possible values: bash"),
        "{}",
        text(&out.stderr)
    );
}

fn command_in(program: &str, args: &[&str], path: &std::path::Path) -> std::process::Output {
    std::process::Command::new(program)
        .args(args)
        .arg(path)
        .output()
        .unwrap()
}

/// `--version` names the commit it was built from (this checkout's HEAD) and its date; the
/// manual page covers every command.
#[test]
fn version_names_the_commit_and_the_man_page_every_command() {
    let out = apitest(&root(), &["--version"]);
    let version = text(&out.stdout);
    let head = std::process::Command::new("git")
        .args(["rev-parse", "--short=9", "HEAD"])
        .current_dir(root())
        .output()
        .unwrap();
    let head = text(&head.stdout).trim().to_string();
    if head.len() == 9 {
        let shape =
            regex::Regex::new(r"^apitest \d+\.\d+\.\d+ \(([0-9a-f]{9}) \d{4}-\d\d-\d\d\)\n$")
                .unwrap();
        let commit = shape
            .captures(&version)
            .unwrap_or_else(|| panic!("{version:?}"))
            .get(1)
            .unwrap()
            .as_str()
            .to_string();
        assert_eq!(commit, head);
    } else {
        assert!(version.starts_with("apitest "), "{version}");
    }
    let out = apitest(&root(), &["man"]);
    assert_eq!(out.status.code(), Some(0));
    let page = text(&out.stdout);
    assert!(page.contains(".TH apitest 1"), "{page}");
    for command in [
        "run",
        "init",
        "steps",
        "check",
        "demo",
        "completions",
        "man",
    ] {
        assert!(
            page.contains(&format!("apitest\\-{command}")),
            "`{command}` missing:\n{page}"
        );
    }
}

/// A data table under a step is refused by `apitest check` too, at the step's file:line,
/// rather than ignored.
#[test]
fn check_refuses_a_table_under_a_step() {
    let out = apitest(&root(), &["check", "tests/cases/fail/data_tables.feature"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("this step takes no table"), "{stderr}");
    assert!(
        stderr.contains("--> tests/cases/fail/data_tables.feature:7:9"),
        "{stderr}"
    );
    assert!(
        stderr.contains("--> tests/cases/fail/data_tables.feature:17:10"),
        "{stderr}"
    );
}

/// `init --language` writes the example with that language's keywords, and it runs green; an
/// unknown code is refused with the closest ones.
#[test]
fn init_writes_the_example_in_another_language() {
    for (code, keyword) in [
        ("fr", "Fonctionnalité:"),
        ("de", "Funktionalität:"),
        ("ja", "フィーチャ:"),
    ] {
        let dir = temp_dir(&format!("init-{code}"));
        let out = apitest(&dir, &["init", "--language", code, "."]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let feature = std::fs::read_to_string(dir.join("features/employee.feature")).unwrap();
        assert!(
            feature.starts_with(&format!("# language: {code}\n")),
            "{feature}"
        );
        assert!(feature.contains(keyword), "{feature}");
        assert!(!feature.contains("Scenario:"), "{feature}");
        let run = apitest(&dir, &["run", "--demo"]);
        let stdout = text(&run.stdout);
        assert_eq!(run.status.code(), Some(0), "{stdout}{}", text(&run.stderr));
        assert!(stdout.contains("2 scenarios (2 passed)"), "{stdout}");
    }
    let dir = temp_dir("init-unknown-language");
    let out = apitest(&dir, &["init", "--language", "french", "."]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("Gherkin has no language `french`"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `fr`?"), "{stderr}");
    assert!(!dir.join("features").exists());
}

/// A file with no `Feature:` and an outline with no `Examples:` are warnings: the rest runs.
#[test]
fn a_file_without_a_feature_and_an_outline_without_examples_are_warnings() {
    let dir = project(
        "warnings",
        &[
            ("features/empty.feature", b"# nothing here yet\n"),
            (
                "features/outline.feature",
                b"Feature: f\n  Scenario Outline: no rows <x>\n    Given address \"@address\"\n\n  Scenario: runs\n    Given address \"@address\"\n    Given URL path \"/api/employee/get/123\"\n    When the URL is invoked\n    Then status is \"200\"\n",
            ),
        ],
    );
    let out = apitest(&dir, &["run", "--demo", "features"]);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(stdout.contains("1 scenario (1 passed)"), "{stdout}");
    assert!(
        stderr.contains("warning: the file has no `Feature:`, so nothing in it runs"),
        "{stderr}"
    );
    assert!(
        stderr.contains("warning: this Scenario Outline has no `Examples:` table, so it does not run\n  --> features/outline.feature:2:3"),
        "{stderr}"
    );
    let check = apitest(&dir, &["check", "features"]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stderr));
    assert!(text(&check.stderr).contains("warning: this Scenario Outline"));
}

/// Every problem of a file is listed, each at its line, not only the first.
#[test]
fn check_lists_every_parse_error_of_a_file() {
    let dir = project(
        "every-error",
        &[(
            "features/broken.feature",
            b"Feature: f\n  Scenario: s\n    Given address \"x\"\n      | a | b |\n      | c |\n    stray text\n  @tag with space\n  Scenario: t\n    Given address \"y\"\n",
        )],
    );
    let out = apitest(&dir, &["check", "features"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    for at in [
        "broken.feature:5:7",
        "broken.feature:6:5",
        "broken.feature:7:3",
    ] {
        assert!(stderr.contains(at), "{at} missing:\n{stderr}");
    }
    assert!(stderr.contains("3 problems found"), "{stderr}");
}
