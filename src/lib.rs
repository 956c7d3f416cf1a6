//! apitest: a fast, plain-English BDD API test runner.
//!
//! The library is the engine (parsing, values, HTTP, checks, running, reports); the step
//! library in `steps/` adapts it to the phrases of the vocabulary. The binary is a thin CLI.

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
