//! Real-world HTTP behaviour that the demo API alone would not show: what a tester wrote is
//! never altered by redaction, and CORS headers are not credentials.

use crate::harness::{command, project, text};

/// A scenario named with a word that is also a secret keeps its name in the console and in
/// JUnit (CI tracks tests by name), while the secret's value is masked wherever the run
/// shows it; `Access-Control-Allow-Credentials: true` masks nothing.
#[test]
fn names_are_never_redacted_and_cors_headers_are_not_secrets() {
    let dir = project(
        "names-kept",
        &[(
            "features/login.feature",
            br##"Feature: Login with a wrong password
  Rule: A wrong password is refused

    Scenario: Login with a wrong password
      Given address "@address"
      Given I store "wrong" under "password"
      Given URL path "/api/echo"
      Given header "X-Password" "#password"
      When the URL is invoked
      Then path "/headers/x-password" is "printed on purpose"

    Scenario: The server allows credentials
      Given address "@address"
      Given URL path "/api/headers/set"
      Given query string "?Access-Control-Allow-Credentials=true"
      When the URL is invoked
      Then header "Access-Control-Allow-Credentials" is "true"
      And path "/Access-Control-Allow-Credentials" is True
"##,
        )],
    );
    let out = command(&dir, &["run", "--demo", "--junit", "junit.xml", "features"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    let xml = std::fs::read_to_string(dir.join("junit.xml")).unwrap();
    assert!(
        stdout.contains("✘ Login with a wrong password")
            && stdout.contains("Scenario: Login with a wrong password"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Then path \"/headers/x-password\" is \"printed on purpose\""),
        "the step line as written: {stdout}"
    );
    assert!(stdout.contains("= actual: \"***\" (string)"), "{stdout}");
    let doc = roxmltree::Document::parse(&xml).expect("valid JUnit");
    let names: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .filter_map(|n| n.attribute("name"))
        .collect();
    assert_eq!(
        names,
        [
            "Login with a wrong password",
            "The server allows credentials"
        ],
        "{xml}"
    );
    // The CORS scenario's failure shows `true` as it is.
    assert!(
        stdout.contains("path `/Access-Control-Allow-Credentials` is not True")
            && stdout.contains("= actual: \"true\" (string)"),
        "{stdout}"
    );
    assert!(!stdout.contains("\"wrong\""), "{stdout}");
}
