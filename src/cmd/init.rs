//! `apitest init DIR`: a ready-to-run project that passes against the demo API, so a new user
//! sees a green run first and edits from there.

use std::path::Path;

use crate::cmd::usage_error;
use crate::exit_code::PASSED;
use crate::gherkin::dialect::{self, Dialect};

const CONFIG: &str = r#"# apitest project settings.
# Values under [user] are read in steps as @key, e.g. Given address "@address".
[user]
address = "http://127.0.0.1:17010"

# apitest run --env staging (or APITEST_ENV=staging) lays this over [user]. Values expand
# ${VAR} and ${VAR:-default} from the environment and from a .env file beside this one.
# [env.staging]
# address = "https://staging.example.com"
# password = "${STAGING_PASSWORD}"

[run]
# jobs = 64           # scenarios run at the same time (default 64)
# max_connections_per_host = 32  # requests in flight to one host at once (default 32)
# scope = "scenario"  # or "feature": scenarios of one feature share state, in order
# timeout = 30        # seconds a request may take
# tags = "not @wip"   # which scenarios run by default
# ca_cert = "certs/ca.pem"          # trust your own certificate authority (PEM)
# client_cert = "certs/client.pem"  # mutual TLS: certificate (and key) shown when asked
# client_key = "certs/client.key"

# [contract]
# openapi = "contracts/api.yaml"  # check requests and responses against an OpenAPI document
# coverage_min = 80               # fail a run that exercises less of it (percent of operations;
#                                 # "ops:80,responses:60" for documented responses too)

# [reports]
# junit = "reports/junit.xml"            # JUnit XML for CI (written by default)
# html = "reports/report.html"           # the HTML report (written by default; "" for none)
# messages = "reports/messages.ndjson"   # Cucumber Messages, for Cucumber tools and Allure
# cucumber_json = "reports/cucumber.json"  # Cucumber JSON, for Xray and Jenkins
"#;

const FEATURE: &str = r#"Feature: Employee API
  Checks the demo Employee API. Run it with `apitest run --demo`,
  or start `apitest demo` in another terminal and run `apitest run`.

  Background:
    Given address "@address"

  Scenario: Get one employee
    Given URL path "/api/employee/get/123"
    When the URL is invoked
    Then status is "200"
    And path "/meta/is_ok" is True
    And path "/meta/cid" is not empty
    And path "/data/name" is "John Doe"
    And path "/data/department" is "HR"

  Scenario: Create an employee, then read it back
    Given URL path "/api/employee/create"
    Given REST method "POST"
    Given request "create_employee.json"
    When the URL is invoked
    Then status is "200"
    And path "/data/employee_no" is an integer
    And I store "/data/employee_no" from response under "employee_no"
    Given URL path "/api/employee/get/#{employee_no}"
    Given REST method "GET"
    When the URL is invoked
    Then path "/data/name" is "Jane Roe"
"#;

const REQUEST: &str = "{\n  \"name\": \"Jane Roe\",\n  \"department\": \"Payroll\"\n}\n";

const REPORTS_GITIGNORE: &str = "*\n!.gitignore\n";

/// The example feature with the keywords of `dialect` (`# language:` first); the step
/// phrases stay English, as they do in every language.
fn translated(dialect: &'static Dialect) -> String {
    if dialect.code == "en" {
        return FEATURE.to_string();
    }
    // The first keyword the language lists, `*` aside; for `And`, the shortest one.
    let first = |words: &[&'static str]| -> String {
        let word = words
            .iter()
            .find(|w| w.trim() != "*")
            .copied()
            .unwrap_or("* ");
        word.trim_end().to_string()
    };
    let shortest = |words: &[&'static str]| -> String {
        words
            .iter()
            .filter(|w| w.trim() != "*")
            .min_by_key(|w| w.chars().count())
            .map_or_else(|| "*".to_string(), |w| w.trim_end().to_string())
    };
    let blocks = [
        ("Feature:", first(dialect.feature)),
        ("Background:", first(dialect.background)),
        ("Scenario:", first(dialect.scenario)),
    ];
    let steps = [
        ("Given ", first(dialect.given)),
        ("When ", first(dialect.when)),
        ("Then ", first(dialect.then)),
        ("And ", shortest(dialect.and)),
    ];
    let mut out = format!(
        "# language: {}\n# {} keywords ({}); the step phrases are English in every language.\n",
        dialect.code, dialect.name, dialect.native
    );
    for line in FEATURE.lines() {
        let text = line.trim_start();
        let indent = &line[..line.len() - text.len()];
        let block = blocks.iter().find_map(|(english, own)| {
            text.strip_prefix(english)
                .map(|rest| format!("{own}:{rest}"))
        });
        let step = || {
            steps.iter().find_map(|(english, own)| {
                text.strip_prefix(english)
                    .map(|rest| format!("{own} {rest}"))
            })
        };
        out.push_str(indent);
        out.push_str(&block.or_else(step).unwrap_or_else(|| text.to_string()));
        out.push('\n');
    }
    out
}

pub fn init(dir: &Path, force: bool, language: &str) -> u8 {
    let Some(dialect) = dialect::find(language) else {
        let hint = dialect::unknown_hint(language);
        return usage_error(
            &format!("Gherkin has no language `{language}`"),
            Some(&hint),
        );
    };
    let feature = translated(dialect);
    let files: [(&str, &str); 4] = [
        ("apitest.toml", CONFIG),
        ("features/employee.feature", &feature),
        ("features/json/request/create_employee.json", REQUEST),
        ("reports/.gitignore", REPORTS_GITIGNORE),
    ];
    if !force {
        let existing: Vec<String> = files
            .iter()
            .map(|(name, _)| dir.join(name))
            .filter(|p| p.exists())
            .map(|p| format!("`{}`", p.display()))
            .collect();
        if !existing.is_empty() {
            return usage_error(
                &format!(
                    "{} already exist{}",
                    existing.join(", "),
                    if existing.len() == 1 { "s" } else { "" }
                ),
                Some("choose an empty folder, or pass `--force` to overwrite"),
            );
        }
    }
    for (name, text) in files {
        let path = dir.join(name);
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&path, text));
        if let Err(e) = written {
            return usage_error(&format!("cannot write `{}`: {e}", path.display()), None);
        }
        crate::report::out(&format!("  created {}\n", path.display()));
    }
    let shown = dir.display();
    crate::report::out(&format!(
        "\nNext: run the example against the built-in demo API:\n  apitest run --demo {shown}\n\n"
    ));
    crate::report::out(&format!(
        "Or start `apitest demo` in another terminal and run `apitest run {shown}`.\n"
    ));
    crate::report::out(
        "List the phrases you can use with `apitest steps` (or `apitest steps WORD`).\n",
    );
    PASSED
}
