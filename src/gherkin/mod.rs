//! A small, linear-time Gherkin reader for `apitest`. It turns the text of a
//! `.feature` file into a syntax tree ([`parse`], [`parse_bytes`]), expands
//! that tree into runnable scenarios ([`pickles`]) and selects scenarios by
//! tag ([`TagExpr`]). Only the English keywords of the Gherkin 6 grammar are
//! understood, because that is all the supported suites use.

pub mod ast;
pub mod parse;
pub mod pickle;
pub mod tags;

pub use ast::{
    Background, DocString, Examples, Feature, Rule, Scenario, Step, StepKind, Table, TableRow, Tag,
};
pub use parse::{ParseError, parse, parse_bytes, parse_bytes_each};
pub use pickle::{ExampleRef, Pickle, PickleStep, pickles, scenario_pickles};
pub use tags::TagExpr;
