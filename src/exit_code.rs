//! The process exit codes, one name each, documented in `--help` and the README.

use std::process::ExitCode;

/// Every scenario passed (or none matched).
pub const PASSED: u8 = 0;
/// At least one scenario failed.
pub const FAILED: u8 = 1;
/// The run could not start: a usage error, an unreadable path or config, a feature file that
/// does not parse, or (for `apitest check`) any problem found.
pub const USAGE: u8 = 2;
/// The run was stopped by SIGHUP (the terminal closed).
pub const HANGUP: u8 = 129;
/// The run was interrupted (Ctrl-C, SIGINT); scenarios that finished were still reported.
pub const INTERRUPTED: u8 = 130;
/// The run was stopped by SIGTERM (what CI sends when it cancels a job or hits a time
/// limit, and what `docker stop` and Kubernetes send); finished scenarios are still reported.
pub const TERMINATED: u8 = 143;

pub fn code(value: u8) -> ExitCode {
    ExitCode::from(value)
}

/// Text for `--help` and the README.
pub const HELP: &str = "Exit codes:
  0    every scenario passed
  1    at least one scenario failed
  2    usage error, tags that select no scenario, unreadable path or config, or a feature
       file that does not parse
  129  stopped by SIGHUP; finished scenarios are still reported
  130  interrupted (Ctrl-C); finished scenarios are still reported
  143  stopped by SIGTERM (a cancelled CI job, docker stop); finished scenarios are still
       reported";
