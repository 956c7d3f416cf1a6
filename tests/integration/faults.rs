//! Faults of the server and the network, each against a real local server on 127.0.0.1: a
//! server that never answers, one that closes mid-body, a redirect loop, a body over the
//! limit, a body that is not UTF-8, an unresolvable name, and a self-signed certificate.
//! Each must fail its scenario with a precise reason, and the run must go on.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::harness::{self, apitest, text};

/// A project folder with one feature and an optional apitest.toml.
fn project(name: &str, feature: &str, config: Option<&str>) -> std::path::PathBuf {
    let mut files = vec![("features/fault.feature", feature.as_bytes())];
    if let Some(config) = config {
        files.push(("apitest.toml", config.as_bytes()));
    }
    harness::project(name, &files)
}

/// Serves each connection on its own thread with `handle`, for the life of the test process.
pub(crate) fn serve(handle: impl Fn(TcpStream) + Send + Sync + 'static) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = Arc::new(handle);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let handle = Arc::clone(&handle);
            std::thread::spawn(move || handle(stream));
        }
    });
    port
}

pub(crate) fn read_request(stream: &mut TcpStream) {
    let mut buf = [0u8; 4096];
    let _ = stream.read(&mut buf);
}

/// A scenario against the fault, then one against the demo API, which must still pass.
fn with_a_healthy_scenario(fault: &str) -> String {
    format!(
        "Feature: Faults\n\n  Scenario: The fault\n{fault}\n\n  Scenario: The run goes on\n    Given address \"@address\"\n    Given URL path \"/api/employee/get/123\"\n    When the URL is invoked\n    Then status is \"200\"\n"
    )
}

fn run(dir: &std::path::Path) -> (i32, String) {
    let out = apitest(
        dir,
        &["run", "--demo", "-q", "--jobs", "1", "--no-junit", "."],
    );
    (
        out.status.code().unwrap_or(-1),
        format!("{}{}", text(&out.stdout), text(&out.stderr)),
    )
}

#[test]
fn a_server_that_never_answers_times_out() {
    let port = serve(|mut stream| {
        read_request(&mut stream);
        std::thread::sleep(Duration::from_secs(60));
    });
    let feature = with_a_healthy_scenario(&format!(
        "    Given address \"http://127.0.0.1:{port}\"\n    Given timeout \"1\"\n    When the URL is invoked"
    ));
    let dir = project("stall", &feature, None);
    let started = Instant::now();
    let (code, out) = run(&dir);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(&format!("no response from 127.0.0.1:{port} within 1 s")),
        "{out}"
    );
    assert!(out.contains("2 scenarios (1 passed, 1 failed)"), "{out}");
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );

    // The default comes from the config file as well.
    let feature = format!(
        "Feature: F\n  Scenario: S\n    Given address \"http://127.0.0.1:{port}\"\n    When the URL is invoked\n"
    );
    let dir = project("stall-config", &feature, Some("[run]\ntimeout = 0.5\n"));
    let (code, out) = run(&dir);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("within 0.5 s"), "{out}");
}

#[test]
fn a_connection_closed_mid_body_is_named() {
    let port = serve(|mut stream| {
        read_request(&mut stream);
        let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"meta\": ");
        let _ = stream.flush();
    });
    let feature = with_a_healthy_scenario(&format!(
        "    Given address \"http://127.0.0.1:{port}\"\n    When the URL is invoked"
    ));
    let (code, out) = run(&project("cut", &feature, None));
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("the connection closed before the whole response body arrived"),
        "{out}"
    );
    assert!(out.contains("(1 passed, 1 failed)"), "{out}");
}

#[test]
fn a_redirect_loop_is_bounded() {
    let feature = with_a_healthy_scenario(
        "    Given address \"@address\"\n    Given URL path \"/api/loop\"\n    When the URL is invoked",
    );
    let (code, out) = run(&project("loop", &feature, None));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("too many redirects (more than 10)"), "{out}");
    assert!(out.contains("(1 passed, 1 failed)"), "{out}");
}

#[test]
fn a_body_over_the_limit_is_refused() {
    let feature = with_a_healthy_scenario(
        "    Given address \"@address\"\n    Given URL path \"/api/bytes/2000000\"\n    When the URL is invoked",
    );
    let (code, out) = run(&project(
        "large",
        &feature,
        Some("[run]\nmax_body_mib = 1\n"),
    ));
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("the response body is larger than the limit"),
        "{out}"
    );
    assert!(
        out.contains("max_body_mib"),
        "the hint names the setting: {out}"
    );
}

#[test]
fn a_body_that_is_not_utf8_is_named() {
    let feature = with_a_healthy_scenario(
        "    Given address \"@address\"\n    Given URL path \"/api/binary\"\n    When the URL is invoked\n    Then path \"/a\" is \"x\"",
    );
    let (code, out) = run(&project("binary", &feature, None));
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("the body is not valid UTF-8 (invalid byte 0xff at offset 7)"),
        "{out}"
    );
    assert!(out.contains("content type: application/json"), "{out}");
}

#[test]
fn an_unresolvable_name_is_named_without_a_dns_query() {
    let feature = with_a_healthy_scenario(
        "    Given address \"http://employees.invalid\"\n    When the URL is invoked",
    );
    let (code, out) = run(&project("dns", &feature, None));
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("cannot resolve the host name in http://employees.invalid/"),
        "{out}"
    );
}

#[test]
fn an_invalid_url_is_named() {
    let feature = with_a_healthy_scenario(
        "    Given address \"http://exa mple.com\"\n    When the URL is invoked",
    );
    let (code, out) = run(&project("badurl", &feature, None));
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("`http://exa mple.com/` is not a valid URL"),
        "{out}"
    );
}

#[test]
fn a_feature_file_that_is_not_utf8_exits_2() {
    let dir = harness::project(
        "nonutf8",
        &[(
            "features/latin1.feature",
            b"Feature: Caf\xe9\n  Scenario: S\n",
        )],
    );
    let out = apitest(&dir, &["run", "--no-junit", "."]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("features/latin1.feature:1:"), "{err}");
    assert!(err.contains("not valid UTF-8"), "{err}");
}

/// A TLS server on 127.0.0.1 with a certificate made for this test, trusted by nobody.
fn self_signed_server() -> u16 {
    let cert =
        rcgen::generate_simple_self_signed(vec!["localhost".to_string(), "127.0.0.1".to_string()])
            .unwrap();
    let der = rustls::pki_types::CertificateDer::from(cert.cert.der().to_vec());
    let key = rustls::pki_types::PrivateKeyDer::try_from(cert.signing_key.serialize_der()).unwrap();
    let _ = rustls::crypto::ring::default_provider().install_default();
    let config = Arc::new(
        rustls::ServerConfig::builder()
            .with_no_client_auth()
            .with_single_cert(vec![der], key)
            .unwrap(),
    );
    serve(move |stream| {
        let Ok(conn) = rustls::ServerConnection::new(Arc::clone(&config)) else {
            return;
        };
        let mut tls = rustls::StreamOwned::new(conn, stream);
        let mut buf = [0u8; 4096];
        if tls.read(&mut buf).is_ok() {
            let body = b"{\"secure\": true}";
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = tls.write_all(head.as_bytes());
            let _ = tls.write_all(body);
            let _ = tls.flush();
            tls.conn.send_close_notify();
            let _ = tls.flush();
        }
    })
}

#[test]
fn a_self_signed_certificate_fails_unless_verification_is_turned_off() {
    let port = self_signed_server();
    let verified = format!(
        "    Given address \"https://127.0.0.1:{port}\"\n    When the URL is invoked\n    Then path \"/secure\" is True"
    );
    let (code, out) = run(&project("tls", &with_a_healthy_scenario(&verified), None));
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(&format!("TLS failure talking to 127.0.0.1:{port}")),
        "{out}"
    );
    assert!(
        out.contains("insecure = true"),
        "the hint says how to turn it off: {out}"
    );

    let per_scenario = format!("    Given TLS certificates are not verified\n{verified}");
    let (code, out) = run(&project(
        "tls-step",
        &with_a_healthy_scenario(&per_scenario),
        None,
    ));
    assert_eq!(code, 0, "{out}");

    let (code, out) = run(&project(
        "tls-config",
        &with_a_healthy_scenario(&verified),
        Some("[run]\ninsecure = true\n"),
    ));
    assert_eq!(code, 0, "{out}");
}
