//! The step library: every phrase apitest understands, each with its meaning, an example and
//! what it runs. The same table feeds the runner, `apitest steps`, `apitest check` and
//! `docs/steps.md`, so they cannot drift apart.
//!
//! `def` says what a row is, `registry` matches a step's text to its row, `args` reads the
//! arguments; each other file is the table of one domain.

mod args;
mod auth;
mod call;
mod check;
mod contract;
mod cookies;
mod dates;
mod def;
mod headers;
mod http;
mod json;
mod registry;
mod tables;
mod variables;
mod xml;

use args::{fail_listing, parse_json};
pub use call::{CALL_PHRASE, CALL_WITH_PHRASE};
pub use check::{Expect, Kind, Operand, Read, Subject, Target, is, is_not};
pub use def::{Args, Effect, Family, Poll, Run, StepDef, StepFn, check, def, set, synonym};
pub use http::ADDRESS_PHRASE;
pub use registry::{Lookup, REGISTRY, Registry, phrase_regex};
