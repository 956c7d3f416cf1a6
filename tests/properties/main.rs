//! Property tests for the code that reads untrusted input: feature files, tag expressions,
//! step texts, value references, CSV lists, Python literals, JSON Pointers, date formats,
//! Crockford Base32 and XML. Each property states what must hold beyond "it does not panic",
//! so that every test can fail.
//!
//! The number of cases follows proptest's `PROPTEST_CASES` environment variable (256 by
//! default); the few slow properties (XML, XPath) run fewer cases unless it is set. Failures
//! are kept by proptest in `tests/properties/*.proptest-regressions` and replayed first.

#![expect(clippy::unwrap_used, clippy::indexing_slicing, reason = "test code")]

mod formats;
mod gherkin;
mod json;
mod matching;
mod reports;
mod tags;
mod values;

use proptest::test_runner::{Config, FileFailurePersistence};

/// proptest's default configuration, which honours `PROPTEST_CASES`, with failures kept next
/// to the test's source as `tests/properties/<module>.proptest-regressions`.
pub fn config() -> Config {
    Config {
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..Config::default()
    }
}

/// The configuration of a slow property: `PROPTEST_CASES` when set, else `default` cases.
pub fn slow_config(default: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    Config { cases, ..config() }
}
