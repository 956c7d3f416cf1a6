//! apitest: a fast, plain-English BDD API test runner.
//!
//! A run goes one way: `gherkin` reads feature files into pickles, `runner::plan` matches every
//! step against the `steps` registry before anything is sent, `runner::run` schedules the
//! scenarios and performs the I/O their steps ask for on each scenario's `world`, and every
//! finished scenario goes to the reporters of `report`. Errors are `error::Error`, shown as
//! one `Diagnostic`; secrets are masked by `secret`. `cmd` holds one file per command and
//! `cli` the command line. ARCHITECTURE.md has the module tree by layer.

pub mod check;
pub mod cli;
pub mod cmd;
pub mod contract;
pub mod demo;
pub mod error;
pub mod exit_code;
pub mod gherkin;
pub mod http;
pub mod report;
pub mod runner;
pub mod secret;
pub mod steps;
pub mod value;
pub mod world;
pub mod xml;
