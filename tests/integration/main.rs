//! Integration tests: the real `apitest` binary runs real feature files against a real HTTP
//! server on 127.0.0.1 (the built-in demo API on an ephemeral port, started by `--demo`).
//! One test binary with modules, to keep link time down.

// Clippy counts this crate's helper functions as non-test code; a test that cannot set up
// should stop loudly, so unwrap, expect and panic are the point here.
#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed set-up must stop the test loudly"
)]

mod architecture;
mod cases;
mod ci_examples;
mod cli;
mod console;
mod consumers;
mod contracts;
mod faults;
mod harness;
mod junit;
mod lifecycle;
mod real_http;
mod reliability;
mod reports;
mod servers;
mod shards;
mod tls;
mod vocabulary;
