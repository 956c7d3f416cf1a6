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
            "A wrong password is refused / Login with a wrong password",
            "A wrong password is refused / The server allows credentials"
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

fn run_against(name: &str, feature: &str, extra: &[&str]) -> (Option<i32>, String) {
    let dir = project(name, &[("features/real.feature", feature.as_bytes())]);
    let mut args = vec!["run", "--no-junit"];
    args.extend_from_slice(extra);
    args.push("features");
    let out = command(&dir, &args).output().unwrap();
    (
        out.status.code(),
        format!("{}{}", text(&out.stdout), text(&out.stderr)),
    )
}

/// httpbin on gunicorn: brotli, gzip and deflate bodies decoded with their Content-Encoding
/// still visible; cookies set by a redirect kept and sent back; form and XML bodies sent
/// with their Content-Type; a CORS header's `true` left alone.
#[test]
fn httpbin_encodings_cookies_and_bodies() {
    let httpbin = crate::servers::httpbin();
    let address = httpbin.address();
    let passing = format!(
        r#"Feature: httpbin
  Background:
    Given address "{address}"

  Scenario: brotli
    Given URL path "/brotli"
    When the URL is invoked
    Then status is "200"
    And header "Content-Encoding" is "br"
    And path "/brotli" is True

  Scenario: gzip
    Given URL path "/gzip"
    When the URL is invoked
    Then header "Content-Encoding" is "gzip"
    And path "/gzipped" is True

  Scenario: deflate
    Given URL path "/deflate"
    When the URL is invoked
    Then header "Content-Encoding" is "deflate"
    And path "/deflated" is True

  Scenario: cookies set by a redirect are sent back
    Given URL path "/cookies/set"
    And query string "?session=s3cr3t-cookie&theme=dark"
    When the URL is invoked
    Then status is "200"
    And path "/cookies/session" is "s3cr3t-cookie"
    And cookie "theme" is "dark"
    Given URL path "/cookies/delete"
    And query string "?theme"
    When the URL is invoked
    Then cookie "theme" does not exist
    And path "/cookies/session" is "s3cr3t-cookie"

  Scenario: a form body is parsed as a form
    Given URL path "/post"
    And REST method "POST"
    And format "FORM"
    And request is "name=Jane&team=HR"
    When the URL is invoked
    Then path "/form/name" is "Jane"
    And path "/headers/Content-Type" is "application/x-www-form-urlencoded"

  Scenario: an XML body says it is XML
    Given URL path "/post"
    And REST method "POST"
    And format "XML"
    And request is "<a>1</a>"
    When the URL is invoked
    Then path "/headers/Content-Type" is "application/xml"
    And path "/data" is "<a>1</a>"

  Scenario: CORS credentials are no secret
    Given URL path "/response-headers"
    And query string "?Access-Control-Allow-Credentials=true"
    When the URL is invoked
    Then header "Access-Control-Allow-Credentials" is "true"
    And path "/Access-Control-Allow-Credentials" is "true"
"#
    );
    let (code, out) = run_against("httpbin-pass", &passing, &["-q"]);
    assert_eq!(code, Some(0), "{out}");

    // The failing twin: each check expects the opposite, and every scenario must fail for
    // the stated reason.
    let failing = format!(
        r#"Feature: httpbin, failing twin
  Background:
    Given address "{address}"

  Scenario: brotli is not gzip
    Given URL path "/brotli"
    When the URL is invoked
    Then header "Content-Encoding" is "gzip"

  Scenario: a deleted cookie is gone
    Given URL path "/cookies/set"
    And query string "?theme=dark"
    When the URL is invoked
    Given URL path "/cookies/delete"
    And query string "?theme"
    When the URL is invoked
    Then cookie "theme" exists

  Scenario: a cookie from another scenario is not there
    Given URL path "/cookies"
    When the URL is invoked
    Then path "/cookies/session" exists

  Scenario: a form is not JSON
    Given URL path "/post"
    And REST method "POST"
    And format "FORM"
    And request is "name=Jane"
    When the URL is invoked
    Then path "/json/name" is "Jane"

  Scenario: CORS true is shown as it is
    Given URL path "/response-headers"
    And query string "?Access-Control-Allow-Credentials=true"
    When the URL is invoked
    Then path "/Access-Control-Allow-Credentials" is "false"
"#
    );
    let (code, out) = run_against("httpbin-fail", &failing, &["-q"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("5 scenarios (0 passed, 5 failed)"), "{out}");
    for expected in [
        "header `Content-Encoding` is not \"gzip\"",
        "= actual: \"br\" (string)",
        "cookie `theme` is not set",
        "path `/cookies/session` is not in the response",
        "path `/json/name` is not in the response",
        "= actual: \"true\" (string)",
    ] {
        assert!(out.contains(expected), "`{expected}` missing:\n{out}");
    }
}

/// FastAPI on uvicorn closes the connection after an unhandled exception (and idle ones after
/// its 1 s keep-alive) without saying so; the next idempotent request on that pooled
/// connection is sent again on a new one, so 200 scenarios in parallel have no spurious
/// failure.
#[test]
fn fastapi_closed_connections_cause_no_spurious_failures() {
    let fastapi = crate::servers::fastapi();
    let address = fastapi.address();
    let mut feature = String::from("Feature: FastAPI\n");
    for i in 0..200 {
        feature.push_str(&format!(
            "  Scenario: item after a crash {i}\n    Given address \"{address}\"\n    Given URL path \"/crash\"\n    When the URL is invoked\n    Then status is \"500\"\n    Given URL path \"/items/1\"\n    When the URL is invoked\n    Then status is \"200\"\n    And path \"/description\" is null\n    And path \"/name\" is \"widget\"\n"
        ));
    }
    let (code, out) = run_against("fastapi-stale", &feature, &["-q", "--jobs", "16"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("200 scenarios (200 passed)"), "{out}");
}

/// httpbin's `/html` page (an HTML5 page with `<!DOCTYPE html>`, served as `text/html`) is
/// read by the HTML parser, so XPath checks its heading and paragraphs as a browser shows them.
#[test]
fn httpbin_html_page_is_checked_with_xpath() {
    let httpbin = crate::servers::httpbin();
    let address = httpbin.address();
    let passing = format!(
        r#"Feature: an HTML page
  Scenario: the heading and the text of the page
    Given address "{address}"
    And URL path "/html"
    When the URL is invoked
    Then header "Content-Type" starts with "text/html"
    And XPath "/html/body/h1" is "Herman Melville - Moby-Dick"
    And XPath "count(//p)" is an integer "1"
    And XPath "//p" matches the regex "^\s+Availing himself of the mild, summer-cool weather"
    And XPath "//script" does not exist
"#
    );
    let (code, out) = run_against("httpbin-html-pass", &passing, &["-q"]);
    assert_eq!(code, Some(0), "{out}");

    let failing = format!(
        r#"Feature: an HTML page, failing twin
  Scenario: the wrong heading
    Given address "{address}"
    And URL path "/html"
    When the URL is invoked
    Then XPath "/html/body/h1" is "Moby-Dick"

  Scenario: no title element
    Given address "{address}"
    And URL path "/html"
    When the URL is invoked
    Then XPath "/html/head/title" exists
"#
    );
    let (code, out) = run_against("httpbin-html-fail", &failing, &["-q"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("2 scenarios (0 passed, 2 failed)"), "{out}");
    for expected in [
        "= actual: \"Herman Melville - Moby-Dick\" (string)",
        "XPath `/html/head/title` selects nothing in the response",
    ] {
        assert!(out.contains(expected), "`{expected}` missing:\n{out}");
    }
}

/// httpbin's Digest Auth (`/digest-auth/{qop}/{user}/{password}/{algorithm}`): MD5 and
/// SHA-256 challenges are answered, and a wrong password or a Basic Auth header is refused.
#[test]
fn httpbin_digest_auth() {
    let httpbin = crate::servers::httpbin();
    let address = httpbin.address();
    let passing = format!(
        r#"Feature: Digest Auth on httpbin
  Background:
    Given address "{address}"
    And Digest Auth "qa" "pa55-digest"

  Scenario: MD5
    Given URL path "/digest-auth/auth/qa/pa55-digest/MD5"
    When the URL is invoked
    Then status is "200"
    And path "/authenticated" is True
    And path "/user" is "qa"

  Scenario: SHA-256
    Given URL path "/digest-auth/auth/qa/pa55-digest/SHA-256"
    When the URL is invoked
    Then status is "200"
    And path "/user" is "qa"
"#
    );
    let (code, out) = run_against("httpbin-digest-pass", &passing, &["-q"]);
    assert_eq!(code, Some(0), "{out}");

    let failing = format!(
        r#"Feature: Digest Auth on httpbin, failing twin
  Background:
    Given address "{address}"

  Scenario: a wrong password
    Given Digest Auth "qa" "wrong-password"
    And URL path "/digest-auth/auth/qa/pa55-digest/MD5"
    When the URL is invoked
    Then status is "200"

  Scenario: Basic Auth where Digest is asked for
    Given Basic Auth "qa" "pa55-digest"
    And URL path "/digest-auth/auth/qa/pa55-digest/SHA-256"
    When the URL is invoked
    Then status is "200"
"#
    );
    let (code, out) = run_against("httpbin-digest-fail", &failing, &["-v"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("2 scenarios (0 passed, 2 failed)"), "{out}");
    assert_eq!(out.matches("= actual: 401").count(), 2, "{out}");
    assert!(out.contains("a Digest Auth challenge, answered"), "{out}");
    assert!(
        !out.contains("wrong-password"),
        "the password is shown:\n{out}"
    );
}

/// `HTTP_PROXY` (and `NO_PROXY`) from the environment are honoured, as curl and Hurl do: a
/// proxied request goes to the proxy in absolute form. Both servers are on 127.0.0.1.
#[test]
fn proxies_from_the_environment() {
    use std::io::{BufRead, BufReader, Write};
    // Answers with the request line it received, so the feature can tell who got it.
    let answer_with_request_line = |who: &'static str| {
        crate::faults::serve(move |mut stream| {
            let mut line = String::new();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let _ = reader.read_line(&mut line);
            loop {
                let mut header = String::new();
                if reader.read_line(&mut header).unwrap_or(0) <= 2 {
                    break;
                }
            }
            let body = serde_json::json!({ "who": who, "line": line.trim_end() }).to_string();
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        })
    };
    let proxy = answer_with_request_line("proxy");
    let origin = answer_with_request_line("origin");
    let feature = |who: &str, line: &str| {
        format!(
            "Feature: proxy\n  Scenario: through the proxy or not\n    Given address \"http://127.0.0.1:{origin}\"\n    \
             And URL path \"/x\"\n    When the URL is invoked\n    Then path \"/who\" is \"{who}\"\n    \
             And path \"/line\" is \"{line}\"\n"
        )
    };
    let run = |name: &str, feature: &str, no_proxy: &str| {
        let dir = project(name, &[("features/proxy.feature", feature.as_bytes())]);
        let out = command(&dir, &["run", "--no-junit", "features"])
            .env("HTTP_PROXY", format!("http://127.0.0.1:{proxy}"))
            .env("NO_PROXY", no_proxy)
            .env_remove("http_proxy")
            .env_remove("no_proxy")
            .output()
            .unwrap();
        (
            out.status.code(),
            format!("{}{}", text(&out.stdout), text(&out.stderr)),
        )
    };
    let proxied = format!("GET http://127.0.0.1:{origin}/x HTTP/1.1");
    let (code, out) = run("proxy-pass", &feature("proxy", &proxied), "");
    assert_eq!(code, Some(0), "{out}");
    let (code, out) = run(
        "no-proxy-pass",
        &feature("origin", "GET /x HTTP/1.1"),
        "127.0.0.1",
    );
    assert_eq!(code, Some(0), "{out}");
    // Failing twin: with NO_PROXY naming the host, the proxy never sees the request.
    let (code, out) = run("no-proxy-fail", &feature("proxy", &proxied), "127.0.0.1");
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("= actual: \"origin\" (string)"), "{out}");
}
