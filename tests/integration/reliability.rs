//! Nothing lost and nothing trusted blindly, on the real binary: SIGTERM and SIGHUP report
//! what finished, a run that does not start says so in its report, report paths are written
//! as what they are (link, device, folder), and numbers out of range are refused.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::{apitest, command, project, text};

const SLOW: &[u8] = b"Feature: Slow\n  Scenario: Quick\n    Given address \"@address\"\n    Given URL path \"/api/employee/get/123\"\n    When the URL is invoked\n    Then status is \"200\"\n\n  Scenario: Slow\n    Given I sleep for \"60\"\n\n  Scenario: Never started\n    Given I sleep for \"60\"\n";

/// Starts a run of `SLOW` (one scenario at a time), waits for `Quick` to pass, sends
/// `signal`, and returns the exit code, the output and the JUnit report.
fn stop_with(signal: &str, name: &str) -> (Option<i32>, String, String) {
    let dir = project(name, &[("features/slow.feature", SLOW)]);
    let mut child = command(
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
    )
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut seen = String::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        seen.push_str(&line);
        seen.push('\n');
        if line.contains("✔ Quick") {
            break;
        }
    }
    assert!(seen.contains("✔ Quick"), "{seen}");
    let sent = Instant::now();
    let status = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    for line in lines {
        seen.push_str(&line.unwrap());
        seen.push('\n');
    }
    let code = child.wait().unwrap().code();
    assert!(
        sent.elapsed() < Duration::from_secs(10),
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
        cases.first().unwrap().children().all(|c| !c.is_element()),
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
