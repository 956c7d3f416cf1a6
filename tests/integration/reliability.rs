//! Nothing lost and nothing trusted blindly, on the real binary: SIGTERM and SIGHUP report
//! what finished, a run that does not start says so in its report, report paths are written
//! as what they are (link, device, folder), and numbers out of range are refused.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::harness::{apitest, command, project, text};

const SLOW: &[u8] = b"Feature: Slow\n  Scenario: Quick\n    Given address \"@address\"\n    Given URL path \"/api/employee/get/123\"\n    When the URL is invoked\n    Then status is \"200\"\n\n  Scenario: Slow\n    Given I sleep for \"60\"\n\n  Scenario: Never started\n    Given I sleep for \"60\"\n";

/// Starts a run of `SLOW` (one scenario at a time), waits for `Quick` to pass, sends
/// `signal`, and returns the exit code, the output and the JUnit report.
fn stop_with(signal: &str, name: &str) -> (Option<i32>, String, String) {
    let dir = project(name, &[("features/slow.feature", SLOW)]);
    let (code, seen, waited) = crate::harness::signal_after(
        &dir,
        &[
            "run",
            "--demo",
            "--jobs",
            "1",
            "--junit",
            "reports/junit.xml",
            "features",
        ],
        "✔ Quick",
        signal,
    );
    assert!(
        waited < Duration::from_secs(10),
        "the run did not stop within the grace period"
    );
    let xml = std::fs::read_to_string(dir.join("reports/junit.xml")).unwrap();
    (code, seen, xml)
}

fn assert_reported(seen: &str, xml: &str) {
    assert!(seen.contains("3 scenarios (1 passed, 2 skipped)"), "{seen}");
    assert!(seen.contains("Interrupted"), "{seen}");
    let doc = roxmltree::Document::parse(xml).expect("a complete, valid report");
    let cases: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases.len(), 3, "{xml}");
    assert!(
        cases
            .first()
            .unwrap()
            .children()
            .all(|c| !c.is_element() || c.has_tag_name("system-out")),
        "Quick passed: {xml}"
    );
    for skipped in cases.iter().skip(1) {
        assert!(
            skipped.children().any(|c| c.has_tag_name("skipped")),
            "{xml}"
        );
    }
}

#[test]
fn sigterm_reports_finished_scenarios_and_exits_143() {
    let (code, seen, xml) = stop_with("-TERM", "sigterm");
    assert_eq!(code, Some(143), "{seen}");
    assert_reported(&seen, &xml);
}

#[test]
fn sighup_reports_finished_scenarios_and_exits_129() {
    let (code, seen, xml) = stop_with("-HUP", "sighup");
    assert_eq!(code, Some(129), "{seen}");
    assert_reported(&seen, &xml);
}

/// A run stopped by a parse error replaces the previous run's green report with one that says
/// the run did not start, naming the file and line.
#[test]
fn a_run_that_does_not_start_replaces_the_old_report() {
    let dir = project(
        "stale-report",
        &[(
            "features/ok.feature",
            b"Feature: Ok\n  Scenario: One\n    Given address \"@address\"\n    Given URL path \"/api/employee/get/123\"\n    When the URL is invoked\n    Then status is \"200\"\n",
        )],
    );
    let out = apitest(&dir, &["run", "--demo", "-q", "features"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let green = std::fs::read_to_string(dir.join("reports/junit.xml")).unwrap();
    assert!(green.contains("failures=\"0\""), "{green}");

    std::fs::write(
        dir.join("features/broken.feature"),
        "Feature: Broken\n  Sceanrio: x\n    Given address \"y\"\n",
    )
    .unwrap();
    let out = apitest(&dir, &["run", "--demo", "-q", "features"]);
    assert_eq!(out.status.code(), Some(2));
    let xml = std::fs::read_to_string(dir.join("reports/junit.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let errors: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("error"))
        .collect();
    assert_eq!(errors.len(), 1, "{xml}");
    let message = errors.first().unwrap().attribute("message").unwrap();
    assert!(message.contains("broken.feature:3:"), "{message}");
    assert!(
        !xml.contains("name=\"One\""),
        "the old report is gone: {xml}"
    );

    // A usage error (a bad tag expression) too.
    std::fs::remove_file(dir.join("features/broken.feature")).unwrap();
    let out = apitest(
        &dir,
        &["run", "--demo", "-q", "--tags", "@a and", "features"],
    );
    assert_eq!(out.status.code(), Some(2));
    let xml = std::fs::read_to_string(dir.join("reports/junit.xml")).unwrap();
    assert!(xml.contains("invalid tag expression"), "{xml}");
}

fn one_passing(name: &str) -> std::path::PathBuf {
    project(
        name,
        &[(
            "features/ok.feature",
            b"Feature: Ok\n  Scenario: One\n    Given address \"@address\"\n    Given URL path \"/api/employee/get/123\"\n    When the URL is invoked\n    Then status is \"200\"\n",
        )],
    )
}

#[cfg(unix)]
#[test]
fn a_symlinked_report_path_writes_its_target() {
    let dir = one_passing("report-symlink");
    std::fs::create_dir_all(dir.join("elsewhere")).unwrap();
    std::fs::create_dir_all(dir.join("reports")).unwrap();
    std::os::unix::fs::symlink("../elsewhere/junit.xml", dir.join("reports/junit.xml")).unwrap();
    let out = apitest(&dir, &["run", "--demo", "-q", "features"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let link = std::fs::symlink_metadata(dir.join("reports/junit.xml")).unwrap();
    assert!(link.file_type().is_symlink(), "the link stays a link");
    let target = std::fs::read_to_string(dir.join("elsewhere/junit.xml")).unwrap();
    assert!(target.contains("<testsuites"), "{target}");
}

#[cfg(unix)]
#[test]
fn a_device_report_path_is_written_in_place() {
    let dir = one_passing("report-device");
    let out = apitest(
        &dir,
        &["run", "--demo", "-q", "--junit", "/dev/stdout", "features"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("<testsuites"), "{stdout}");
    assert!(std::fs::metadata("/dev/stdout").is_ok());
    // A full device: the error says so, and the run's verdict is not lost.
    let out = apitest(
        &dir,
        &["run", "--demo", "-q", "--junit", "/dev/full", "features"],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("cannot write the JUnit report to `/dev/full`"),
        "{stderr}"
    );
    assert!(
        text(&out.stdout).contains("1 passed"),
        "results are still shown"
    );
}

#[test]
fn a_folder_as_report_path_is_refused_with_a_hint() {
    let dir = one_passing("report-folder");
    std::fs::create_dir_all(dir.join("out")).unwrap();
    let out = apitest(&dir, &["run", "--demo", "-q", "--junit", "out", "features"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(
            "cannot write the JUnit report to `out`: it is a folder; name a file inside it"
        ),
        "{stderr}"
    );
    assert!(dir.join("out").is_dir());
}

#[test]
fn config_numbers_out_of_range_are_refused() {
    for (config, expected) in [
        (
            "[run]\njobs = 9223372036854775807\n",
            "`[run] jobs` must be from 1 to 1024",
        ),
        (
            "[run]\nmax_body_mib = 0\n",
            "`[run] max_body_mib` must be from 1 to 4096",
        ),
    ] {
        let dir = project(
            "config-range",
            &[
                ("apitest.toml", config.as_bytes()),
                (
                    "features/ok.feature",
                    b"Feature: Ok\n  Scenario: One\n    Given I proceed further\n",
                ),
            ],
        );
        let out = apitest(&dir, &["run", "features"]);
        assert_eq!(out.status.code(), Some(2), "{config}");
        let stderr = text(&out.stderr);
        assert!(stderr.contains(expected), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

/// With stdout and stderr closed (a CI step whose log went away), every command still ends
/// with its own exit code, never a panic's 101.
#[cfg(unix)]
#[test]
fn closed_stdout_and_stderr_do_not_panic() {
    let dir = one_passing("closed-pipes");
    for (args, expected) in [
        ("run --demo features", 0),
        ("run --demo --no-junit nowhere", 2),
        ("check features", 0),
        ("steps", 0),
        ("run --demo -v --tags 'and' features", 2),
    ] {
        // Closed outright, and stderr into a pipe whose reader has gone.
        for closing in [">&- 2>&-", ">&- 2>&- <&-", "2>&1 >/dev/null | head -c 0"] {
            let script = format!(
                "set -o pipefail; {} {args} {closing}",
                crate::harness::bin()
            );
            let out = Command::new("bash")
                .args(["-c", &script])
                .current_dir(&dir)
                .env("NO_COLOR", "1")
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(expected), "{script}");
        }
    }
}

/// Reads a request's head (up to the blank line) and returns it as text.
fn request_head(stream: &mut std::net::TcpStream) -> String {
    use std::io::Read;
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
        head.push(byte[0]);
    }
    String::from_utf8_lossy(&head).into_owned()
}

fn respond_json(stream: &mut std::net::TcpStream, status: &str, extra: &str, body: &str) {
    use std::io::Write;
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n{extra}\r\n{body}",
        body.len()
    );
}

/// A hostile pair of servers: the first redirects every request to the second, on another
/// port (another origin); the second echoes the head of what it received as JSON.
fn redirecting_pair() -> (u16, u16) {
    let echo = crate::faults::serve(|mut stream| {
        let head = request_head(&mut stream);
        let body = serde_json::json!({ "received": head }).to_string();
        respond_json(&mut stream, "200 OK", "", &body);
    });
    let redirect = crate::faults::serve(move |mut stream| {
        let _ = request_head(&mut stream);
        respond_json(
            &mut stream,
            "302 Found",
            &format!("Location: http://127.0.0.1:{echo}/landing\r\n"),
            "{}",
        );
    });
    (redirect, echo)
}

/// On a cross-origin redirect no credential header goes along, and no Referer carries the
/// query to the other origin.
#[test]
fn a_cross_origin_redirect_drops_every_credential() {
    let (redirect, _) = redirecting_pair();
    let feature = format!(
        "Feature: Redirect\n  Scenario: Credentials stay home\n    Given address \"http://127.0.0.1:{redirect}\"\n    Given URL path \"/start\"\n    Given query string \"?api_key=query-key-secret\"\n    Given header \"X-Api-Key\" \"x-api-key-secret\"\n    Given header \"X-Auth-Token\" \"x-auth-token-secret\"\n    Given header \"Api-Key\" \"api-key-secret\"\n    Given header \"Authorization\" \"Bearer bearer-secret\"\n    Given header \"X-Harmless\" \"kept\"\n    When the URL is invoked\n    Then status is \"200\"\n    And path \"/received\" matches the regex \"(?i)x-harmless: kept\"\n    And path \"/received\" does not match the regex \"(?i)x-api-key|x-auth-token|api-key|authorization|referer|secret\"\n"
    );
    let dir = project(
        "cross-origin",
        &[("features/r.feature", feature.as_bytes())],
    );
    let out = apitest(&dir, &["run", "-q", "--no-junit", "features"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
}

/// A token endpoint that never answers: the token request gives up at the scenario's
/// timeout, not after 30 s.
#[test]
fn the_oauth2_token_request_obeys_the_scenario_timeout() {
    let slow = crate::faults::serve(|mut stream| {
        let _ = request_head(&mut stream);
        std::thread::sleep(Duration::from_secs(20));
    });
    let feature = format!(
        "Feature: Slow token\n  Scenario: The token request times out\n    Given timeout \"1\"\n    Given OAuth2 endpoint \"http://127.0.0.1:{slow}/oauth/token\"\n    Given OAuth2 credentials \"u\" \"p\"\n    Given I store an OAuth2 bearer token under \"token\"\n"
    );
    let dir = project("slow-token", &[("features/t.feature", feature.as_bytes())]);
    let started = Instant::now();
    let out = apitest(&dir, &["run", "-q", "--no-junit", "features"]);
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("within 1 s"), "{stdout}");
}

/// Secrets are values, masked in every form they take, in every output: the console with
/// `-v`, stderr and JUnit.
#[test]
fn secrets_are_masked_by_value_in_every_form() {
    let token_server = crate::faults::serve(|mut stream| {
        let _ = request_head(&mut stream);
        respond_json(
            &mut stream,
            "200 OK",
            "",
            r#"{"access_token": "access-secret-20", "refresh_token": "refresh-secret-18", "id_token": "id-secret-19", "token_type": "bearer"}"#,
        );
    });
    let feature = format!(
        r##"Feature: Secrets by value
  Scenario: Secrets expanded inside longer texts, echoed back
    Given address "@address"
    Given URL path "/api/echo?api_key=path-key-secret-14"
    Given header "X-Env" "trace-${{APITEST_ACCESS_TOKEN}}-end"
    Given header "X-Config" "c:@{{api_token}}"
    Given I store "var-secret-12" under "password"
    Given header "X-Var" "v=#{{password}}"
    Given format "RAW"
    Given request is "x=${{APITEST_DB_PASSWORD}}&q=${{APITEST_SECRET_KEY}}"
    When the URL is invoked
    Then context is logged
    Then path "/headers" is "printed on purpose"

  Scenario: A password in the address
    Given address "http://user:userinfo-secret-13@127.0.0.1:9"
    Given URL path "/x?api_key=path-key-secret-21&secret_key=${{APITEST_SECRET_KEY}}"
    When the URL is invoked

  Scenario: Refresh and id tokens of a token reply
    Given OAuth2 endpoint "http://127.0.0.1:{token_server}/oauth/token"
    Given OAuth2 credentials "u" "p"
    Given I store an OAuth2 bearer token under "token"
    Then variable "#token" is a string "printed on purpose"
"##
    );
    let dir = project(
        "secrets-by-value",
        &[
            (
                "apitest.toml",
                b"[user]\napi_token = \"config-secret-11\"\n",
            ),
            ("features/s.feature", feature.as_bytes()),
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
            "--var",
            "auth_token=cli-var-secret-15",
            "features",
        ],
    )
    .env("APITEST_ACCESS_TOKEN", "embedded-secret-10")
    .env("APITEST_DB_PASSWORD", "json\"escaped\\secret-16")
    .env("APITEST_SECRET_KEY", "pärcent-secret-17")
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let xml = std::fs::read_to_string(dir.join("junit.xml")).unwrap();
    let everything = format!("{}\n{}\n{xml}", text(&out.stdout), text(&out.stderr));
    // The scenarios got far enough to show the values (masked).
    assert!(everything.contains("trace-***-end"), "{everything}");
    assert!(everything.contains("#auth_token = \"***\""), "{everything}");
    assert!(everything.contains("connection refused"), "{everything}");
    for secret in [
        "embedded-secret-10",
        "config-secret-11",
        "var-secret-12",
        "userinfo-secret-13",
        "path-key-secret-14",
        "cli-var-secret-15",
        "secret-16",
        "json\\\"escaped",
        "p%C3%A4rcent",
        "pärcent",
        "refresh-secret-18",
        "id-secret-19",
        "access-secret-20",
        "path-key-secret-21",
    ] {
        assert!(
            !everything.contains(secret),
            "`{secret}` leaked:\n{everything}"
        );
    }
}

/// A FIFO named like a feature is never opened (opening it would block forever); a symlink
/// loop in the features folder ends, and every file runs once.
#[cfg(unix)]
#[test]
fn fifos_are_skipped_and_symlink_loops_run_each_file_once() {
    let dir = one_passing("fifo-and-loop");
    let fifo = dir.join("features/blocked.feature");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    std::os::unix::fs::symlink("..", dir.join("features/loop")).unwrap();
    std::os::unix::fs::symlink(".", dir.join("features/again")).unwrap();
    for args in [
        vec!["run", "--demo", "--no-junit", "features"],
        vec!["check", "features"],
    ] {
        let started = Instant::now();
        let out = apitest(&dir, &args);
        assert!(started.elapsed() < Duration::from_secs(10), "{args:?} hung");
        let stdout = text(&out.stdout);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stdout}{stderr}");
        assert!(
            stderr.contains("blocked.feature` is not a regular file"),
            "{stderr}"
        );
        if args[0] == "run" {
            assert!(stdout.contains("1 scenario (1 passed)"), "{stdout}");
        } else {
            assert!(stdout.contains("1 feature file, 1 scenario"), "{stdout}");
        }
    }
    // Named directly, a FIFO is refused with a message, not read.
    let out = apitest(&dir, &["run", "--no-junit", "features/blocked.feature"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("is not a regular file"));
}

/// Old Mac line ends (a lone CR) are line ends: the scenario is found and its failing check
/// fails the run, in `run` and in `check`.
#[test]
fn a_file_with_cr_line_ends_is_read_as_lines() {
    let feature = "Feature: CR\r  Scenario: Fails\r    Given I store \"a\" under \"x\"\r    Then variable \"#x\" is a string \"b\"\r";
    let dir = project("cr-only", &[("features/cr.feature", feature.as_bytes())]);
    let out = apitest(&dir, &["run", "--no-junit", "features"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("1 scenario (0 passed, 1 failed)"),
        "{stdout}"
    );
    assert!(stdout.contains("cr.feature:4:5"), "{stdout}");
    let out = apitest(&dir, &["check", "features"]);
    assert!(
        text(&out.stdout).contains("1 scenario, 2 steps"),
        "{}",
        text(&out.stdout)
    );
}

/// An environment variable set to bytes that are not UTF-8 is named as such, not as unset.
#[cfg(unix)]
#[test]
fn a_non_utf8_environment_value_is_named() {
    use std::os::unix::ffi::OsStrExt;
    let dir = project(
        "env-bytes",
        &[(
            "features/e.feature",
            b"Feature: Env\n  Scenario: Bytes\n    Given I store \"$APITEST_BYTES\" under \"x\"\n",
        )],
    );
    let out = command(&dir, &["run", "--no-junit", "features"])
        .env("APITEST_BYTES", std::ffi::OsStr::from_bytes(b"caf\xe9"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("environment variable `$APITEST_BYTES` is set but not UTF-8 text"),
        "{stdout}"
    );
}

/// A shape with a chain of 20,000 optional markers is checked, not a stack overflow.
#[test]
fn a_deep_shape_chain_does_not_crash() {
    let chain = format!("{}string", "#".repeat(20_000));
    let feature = format!(
        "Feature: Deep\n  Scenario: Chain\n    Given address \"@address\"\n    Given URL path \"/api/employee/get/123\"\n    When the URL is invoked\n    Then path \"/data/name\" matches \"{chain}\"\n    Then path \"/data/employee_no\" matches \"{chain}\"\n"
    );
    let dir = project("deep-shape", &[("features/d.feature", feature.as_bytes())]);
    let out = apitest(&dir, &["run", "--demo", "-q", "--no-junit", "features"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("expected a string, got 123"), "{stdout}");
}

/// An XPath that would run for minutes stops at the time limit with a clear error, and the
/// run goes on.
#[test]
fn an_xpath_that_runs_too_long_is_stopped() {
    let items: String = (0..3000).map(|i| format!("<i>{i}</i>")).collect();
    let feature = format!(
        "Feature: Slow XPath\n  Scenario: Cubic\n    Given address \"@address\"\n    Given URL path \"/api/xml/echo\"\n    Given REST method \"POST\"\n    Given format \"XML\"\n    Given request is \"<r>{items}</r>\"\n    When the URL is invoked\n    Then XPath \"count(//i[count(//i[. > count(//i)]) = 0])\" is a float \"3000\"\n\n  Scenario: Next\n    Given I proceed further\n"
    );
    let dir = project("slow-xpath", &[("features/x.feature", feature.as_bytes())]);
    let started = Instant::now();
    let out = apitest(
        &dir,
        &[
            "run",
            "--demo",
            "-q",
            "--no-junit",
            "--jobs",
            "1",
            "features",
        ],
    );
    let stdout = text(&out.stdout);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("did not finish within 5 s"), "{stdout}");
    assert!(
        stdout.contains("2 scenarios (1 passed, 1 failed)"),
        "{stdout}"
    );
}
