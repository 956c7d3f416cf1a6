//! Checks: *what* is measured (a JSON Pointer into a document, a header, a variable) and *what
//! must hold* of it (a `Predicate`), kept apart so one predicate table serves every query.

pub mod compare;
pub mod crockford;
pub mod literal;
pub mod pointer;
pub mod predicate;
pub mod schema;
pub mod shape;

pub use compare::{describe, diff, python_equal, type_name, values_equal};
pub use pointer::{lookup, parse_pointer, set};
pub use predicate::{JsonType, Predicate, Test};
