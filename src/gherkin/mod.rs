//! A small, linear-time Gherkin reader for `apitest`. It turns the text of a
//! `.feature` file into a syntax tree ([`parse`], [`parse_bytes`]), expands
//! that tree into runnable scenarios ([`pickles`]) and selects scenarios by
//! tag ([`TagExpr`]). The keywords of every Gherkin language are understood ([`dialect`]);
//! the grammar, the pickles and the error positions are those of the official Gherkin
//! parsers, checked against their conformance data by `tests/conformance.rs`.

pub mod ast;
pub mod dialect;
pub mod parse;
pub mod pickle;
pub mod tags;

pub use ast::{
    Background, DocString, Examples, Feature, Rule, Scenario, Step, StepKind, Table, TableRow, Tag,
};
pub use parse::{
    ParseError, parse, parse_bytes, parse_bytes_each, parse_document, parse_document_bytes,
    parse_reader_each,
};
pub use pickle::{ExampleRef, Pickle, PickleStep, pickles, scenario_pickles};
pub use tags::TagExpr;
