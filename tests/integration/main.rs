//! Integration tests: the real `apitest` binary runs real feature files against a real HTTP
//! server on 127.0.0.1 (the built-in demo API on an ephemeral port, started by `--demo`).
//! One test binary with modules, to keep link time down.

mod cases;
mod cli;
mod harness;
mod junit;
