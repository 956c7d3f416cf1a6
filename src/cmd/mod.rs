//! One file per command (`apitest run`, `check`, `init`, `steps`, `demo`); `cli.rs` parses
//! the command line and hands over here.

pub mod check;
pub mod demo;
pub mod init;
pub mod run;
pub mod steps;

use crate::exit_code::USAGE;

/// Prints a usage error (with its hint) and returns the exit code for it.
pub(crate) fn usage_error(message: &str, hint: Option<&str>) -> u8 {
    eprintln!("error: {message}");
    if let Some(hint) = hint {
        eprintln!("  = hint: {hint}");
    }
    USAGE
}
