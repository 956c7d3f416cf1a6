//! The live console, as a terminal shows it (through a pseudo-terminal made by `script`) and
//! as CI logs get it (piped): a progress line on a terminal, failures printed as soon as
//! their scenario ends, and no control codes where there is no terminal.

use std::path::Path;
use std::process::Command;

use crate::harness::{bin, command, project, text};

/// 500 scenarios, the tenth of which fails; each takes a few milliseconds.
fn five_hundred(name: &str) -> std::path::PathBuf {
    let mut feature = String::from("Feature: Many\n");
    for i in 0..500 {
        let status = if i == 10 { "404" } else { "200" };
        feature.push_str(&format!(
            "\n  Scenario: number {i}\n    Given address \"@address\"\n    Given URL path \"/api/employee/get/123\"\n    Given I sleep for \"0.01\"\n    When the URL is invoked\n    Then status is \"{status}\"\n"
        ));
    }
    project(name, &[("features/many.feature", feature.as_bytes())])
}

/// Runs apitest under a pseudo-terminal; returns everything the terminal received.
fn on_a_terminal(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> String {
    let quoted: Vec<String> = std::iter::once(bin())
        .chain(args.iter().copied())
        .map(|a| format!("'{}'", a.replace('\'', r"'\''")))
        .collect();
    let mut script = Command::new("script");
    script
        .args(["-q", "-e", "-c", &quoted.join(" "), "/dev/null"])
        .current_dir(dir)
        .env_remove("CI")
        .env_remove("NO_COLOR")
        .env_remove("FORCE_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env("TERM", "xterm-256color");
    for (name, value) in env {
        script.env(name, value);
    }
    let out = script.output().expect("`script` (util-linux) runs");
    text(&out.stdout)
}

#[test]
fn a_terminal_gets_a_progress_line_and_failures_as_they_happen() {
    let dir = five_hundred("console-tty");
    let seen = on_a_terminal(
        &dir,
        &[
            "run",
            "--demo",
            "-q",
            "--jobs",
            "4",
            "--no-html",
            "features",
        ],
        &[],
    );
    let plain = regex::Regex::new("\x1b\\[[0-9;]*[mK]")
        .unwrap()
        .replace_all(&seen, "");
    assert!(
        plain.contains("500 scenarios (499 passed, 1 failed)"),
        "{plain}"
    );
    let progress = regex::Regex::new(r"\[(\d+)/500\] \d+ passed").unwrap();
    let draws: Vec<(usize, usize)> = progress
        .captures_iter(&plain)
        .map(|c| (c.get(0).unwrap().start(), c[1].parse().unwrap()))
        .collect();
    assert!(
        draws.len() >= 5,
        "the progress line was drawn {} times:\n{plain}",
        draws.len()
    );
    assert!(
        seen.contains('\r') && seen.contains("\x1b["),
        "a terminal gets colour and redraws"
    );
    let failure = plain
        .find("failed: status is not 404")
        .expect("the failure is shown");
    // The failure was printed while the run went on: progress drawn after it counts far more
    // finished scenarios than the eleven done when it failed.
    assert!(
        draws.iter().any(|&(at, done)| at > failure && done >= 100),
        "no progress after the failure; it was not printed as it happened:\n{seen}"
    );
    assert!(failure < plain.find("Failed scenarios:").unwrap());
}

#[test]
fn ci_and_pipes_get_plain_lines_and_colour_follows_the_settings() {
    let dir = five_hundred("console-plain");
    let args = ["run", "--demo", "--jobs", "8", "--no-html", "features"];
    // Piped, with NO_COLOR: no control codes at all.
    let out = command(&dir, &args).env("NO_COLOR", "1").output().unwrap();
    let piped = text(&out.stdout);
    assert!(piped.contains("✘ number 10"), "{piped}");
    assert!(
        !piped.contains('\x1b') && !piped.contains('\r'),
        "{piped:?}"
    );
    // On a terminal in CI: plain lines, no progress line, colour still (it is a terminal).
    let ci = on_a_terminal(&dir, &args, &[("CI", "true")]);
    assert!(
        !ci.contains('\r') || !regex::Regex::new(r"\[\d+/500\]").unwrap().is_match(&ci),
        "{ci:?}"
    );
    // On a terminal with --color never or NO_COLOR: the progress line, but no escape codes.
    for (extra, env) in [
        (Some("--color=never"), None),
        (None, Some(("NO_COLOR", "1"))),
    ] {
        let mut with: Vec<&str> = args.to_vec();
        with.extend(extra);
        let seen = on_a_terminal(&dir, &with, &env.into_iter().collect::<Vec<_>>());
        assert!(
            seen.contains("[500/500]") || seen.contains("/500]"),
            "{seen:?}"
        );
        assert!(!seen.contains('\x1b'), "{extra:?} {env:?}: {seen:?}");
    }
    // Piped, with FORCE_COLOR or --color always: colour, still no progress line.
    for (extra, env) in [
        (None, Some(("FORCE_COLOR", "1"))),
        (Some("--color=always"), None),
    ] {
        let mut with: Vec<&str> = args.to_vec();
        with.extend(extra);
        let mut run = command(&dir, &with);
        run.env_remove("NO_COLOR");
        if let Some((name, value)) = env {
            run.env(name, value);
        }
        let out = run.output().unwrap();
        let seen = text(&out.stdout);
        assert!(
            seen.contains("\x1b[1;31m✘\x1b[0m"),
            "{extra:?} {env:?}: {seen:?}"
        );
        assert!(!seen.contains('\r'), "{seen:?}");
    }
}
