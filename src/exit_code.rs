//! The process exit codes, one name each, documented in `--help` and the README.

use std::process::ExitCode;

/// Every scenario passed (or none matched).
pub const PASSED: u8 = 0;
/// At least one scenario failed.
pub const FAILED: u8 = 1;
/// The run could not start: a usage error, an unreadable path or config, a feature file that
/// does not parse, or (for `apitest check`) any problem found.
pub const USAGE: u8 = 2;
/// The run was interrupted (Ctrl-C); scenarios that finished were still reported.
pub const INTERRUPTED: u8 = 130;

pub fn code(value: u8) -> ExitCode {
    ExitCode::from(value)
}

/// Text for `--help` and the README.
pub const HELP: &str = "Exit codes:
  0    every scenario passed
  1    at least one scenario failed
  2    usage error, unreadable path or config, or a feature file that does not parse
  130  interrupted (Ctrl-C); finished scenarios are still reported";
