//! TLS and HTTP/2 against Hypercorn with certificates from a test authority (trustme):
//! `[run] ca_cert` trusts the authority, `[run] client_cert`/`client_key` answer a server
//! that requires a client certificate (mutual TLS), HTTP/2 is negotiated by ALPN, and
//! `[run] http2_prior_knowledge` speaks h2c to a cleartext server. Each with a failing twin.

use std::path::Path;

use crate::harness::{command, project, text};
use crate::servers::{hypercorn_plain, hypercorn_tls};

const FEATURE: &str = r#"Feature: TLS
  Scenario: the server answers over HTTPS
    Given address "@address"
    And URL path "/hello"
    When the URL is invoked
    Then status is "200"
    And path "/scheme" is "https"
    And path "/http_version" is "2"
"#;

/// Runs FEATURE in a project whose apitest.toml is `toml` plus the address.
fn run(name: &str, address: &str, toml: &str) -> (Option<i32>, String) {
    let toml = format!("[user]\naddress = \"{address}\"\n\n[run]\n{toml}");
    let dir = project(
        name,
        &[
            ("apitest.toml", toml.as_bytes()),
            ("features/tls.feature", FEATURE.as_bytes()),
        ],
    );
    let out = command(&dir, &["run", "--no-junit", "features"])
        .output()
        .unwrap();
    (
        out.status.code(),
        format!("{}{}", text(&out.stdout), text(&out.stderr)),
    )
}

fn pem(certs: &Path, file: &str) -> String {
    certs.join(file).display().to_string()
}

#[test]
fn ca_cert_trusts_a_private_authority_and_http2_is_negotiated() {
    let (server, certs) = hypercorn_tls("ca", false);
    let address = format!("https://127.0.0.1:{}", server.port);
    let ca = format!("ca_cert = \"{}\"\n", pem(&certs, "ca.pem"));
    let (code, out) = run("tls-ca-pass", &address, &ca);
    assert_eq!(code, Some(0), "{out}");

    // Failing twins: no CA named, and the wrong CA named, are both untrusted; the hint
    // points to `ca_cert` first.
    let (code, out) = run("tls-ca-none", &address, "");
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("TLS failure talking to 127.0.0.1"), "{out}");
    assert!(
        out.contains("name its PEM file in `[run] ca_cert`"),
        "{out}"
    );
    let other = format!("ca_cert = \"{}\"\n", pem(&certs, "other-ca.pem"));
    let (code, out) = run("tls-ca-other", &address, &other);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("TLS failure talking to 127.0.0.1"), "{out}");
}

#[test]
fn client_certificates_answer_a_server_that_requires_one() {
    let (server, certs) = hypercorn_tls("mtls", true);
    let address = format!("https://127.0.0.1:{}", server.port);
    let ca = format!("ca_cert = \"{}\"\n", pem(&certs, "ca.pem"));
    let separate = format!(
        "{ca}client_cert = \"{}\"\nclient_key = \"{}\"\n",
        pem(&certs, "client.pem"),
        pem(&certs, "client.key")
    );
    let (code, out) = run("mtls-pass", &address, &separate);
    assert_eq!(code, Some(0), "{out}");
    let combined = format!(
        "{ca}client_cert = \"{}\"\n",
        pem(&certs, "client-and-key.pem")
    );
    let (code, out) = run("mtls-combined", &address, &combined);
    assert_eq!(code, Some(0), "{out}");

    // Failing twin: without a client certificate the server refuses (TLS 1.3: it hangs up
    // once the client's side of the handshake is done), and the hint names `client_cert`.
    let (code, out) = run("mtls-none", &address, &format!("{ca}timeout = 5\n"));
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("`[run] client_cert`"), "{out}");
}

#[test]
fn certificate_files_that_cannot_be_used_stop_the_run() {
    let (server, certs) = hypercorn_tls("bad-files", false);
    let address = format!("https://127.0.0.1:{}", server.port);
    let (code, out) = run("tls-missing", &address, "ca_cert = \"nope.pem\"\n");
    assert_eq!(code, Some(2), "{out}");
    assert!(out.contains("`[run] ca_cert`"), "{out}");
    assert!(out.contains("nope.pem"), "{out}");
    // A key file named as the certificate: no certificate in it.
    let key = format!("ca_cert = \"{}\"\n", pem(&certs, "client.key"));
    let (code, out) = run("tls-key-as-ca", &address, &key);
    assert_eq!(code, Some(2), "{out}");
    assert!(out.contains("holds no certificate"), "{out}");
    // A certificate without its key.
    let no_key = format!("client_cert = \"{}\"\n", pem(&certs, "client.pem"));
    let (code, out) = run("tls-no-key", &address, &no_key);
    assert_eq!(code, Some(2), "{out}");
    assert!(out.contains("no private key could be read"), "{out}");
    assert!(out.contains("`[run] client_key`"), "{out}");
}

#[test]
fn http2_prior_knowledge_speaks_h2c_to_a_cleartext_server() {
    let server = hypercorn_plain();
    let address = format!("http://127.0.0.1:{}", server.port);
    let feature_h2 = "http2_prior_knowledge = true\n";
    let dir = |name: &str, toml: &str, version: &str| {
        let toml = format!("[user]\naddress = \"{address}\"\n\n[run]\n{toml}");
        let feature = format!(
            "Feature: h2c\n  Scenario: cleartext\n    Given address \"@address\"\n    \
             When the URL is invoked\n    Then path \"/http_version\" is \"{version}\"\n    \
             And path \"/scheme\" is \"http\"\n"
        );
        project(
            name,
            &[
                ("apitest.toml", toml.as_bytes()),
                ("features/h2c.feature", feature.as_bytes()),
            ],
        )
    };
    let run = |dir: &Path| {
        let out = command(dir, &["run", "--no-junit", "features"])
            .output()
            .unwrap();
        (
            out.status.code(),
            format!("{}{}", text(&out.stdout), text(&out.stderr)),
        )
    };
    let (code, out) = run(&dir("h2c-pass", feature_h2, "2"));
    assert_eq!(code, Some(0), "{out}");
    let (code, out) = run(&dir("h1-pass", "", "1.1"));
    assert_eq!(code, Some(0), "{out}");
    // Failing twin: without prior knowledge a cleartext request is HTTP/1.1.
    let (code, out) = run(&dir("h2c-fail", "", "2"));
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("= actual: \"1.1\" (string)"), "{out}");
}
