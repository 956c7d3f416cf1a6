//! One file per command (`apitest run`, `merge`, `check`, `init`, `steps`, `demo`, `generate`); `cli.rs` parses
//! the command line and hands over here.

pub mod check;
pub mod demo;
pub mod generate;
pub mod init;
pub mod merge;
pub mod run;
pub mod steps;

use std::io::Write;

use crate::error::Diagnostic;
use crate::exit_code::USAGE;
use crate::report::render::{Style, render};

/// Prints a usage error (with its hint) and returns the exit code for it.
pub(crate) fn usage_error(message: &str, hint: Option<&str>) -> u8 {
    show(&Diagnostic::error(message).with_hint(hint));
    USAGE
}

/// Prints a diagnostic to standard error, ignoring a closed pipe.
pub(crate) fn show(diagnostic: &Diagnostic) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(render(diagnostic, Style::PLAIN).as_bytes());
}

/// Prints `note: ...` to standard error, ignoring a closed pipe.
pub(crate) fn note(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "note: {text}");
}
