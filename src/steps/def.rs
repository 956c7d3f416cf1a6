//! What a step is: its row in the table (`StepDef`), the group it is listed under (`Family`),
//! the arguments it is called with (`Args`) and what it asks the runner to do (`Effect`).

use std::time::Duration;

use super::check::{Expect, Operand, Subject, Target};
use crate::error::Error;
use crate::gherkin::Table;
use crate::world::World;

/// Groups for `apitest steps`, in the order a scenario uses them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Family {
    Request,
    Send,
    Status,
    Headers,
    Cookies,
    Json,
    Response,
    Contract,
    Xml,
    Variables,
    Reuse,
    Auth,
    Housekeeping,
}

impl Family {
    pub fn title(self) -> &'static str {
        match self {
            Family::Request => "Building the request",
            Family::Send => "Sending it",
            Family::Status => "Status",
            Family::Headers => "Response headers",
            Family::Cookies => "Cookies",
            Family::Json => "JSON in the response",
            Family::Response => "The whole response",
            Family::Contract => "Contracts (OpenAPI)",
            Family::Xml => "XML and XPath",
            Family::Variables => "Variables",
            Family::Reuse => "Reusing scenarios",
            Family::Auth => "OAuth2",
            Family::Housekeeping => "Housekeeping",
        }
    }

    pub const ALL: [Family; 13] = [
        Family::Request,
        Family::Send,
        Family::Status,
        Family::Headers,
        Family::Cookies,
        Family::Json,
        Family::Response,
        Family::Contract,
        Family::Xml,
        Family::Variables,
        Family::Reuse,
        Family::Auth,
        Family::Housekeeping,
    ];
}

/// What the runner must do after a step returns, for the steps that need I/O.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Done,
    /// Send the request (`When the URL is invoked`).
    Invoke,
    Sleep(Duration),
    /// Request an OAuth2 token with the World's settings and store it under this name.
    FetchToken(String),
    /// Send the request until a check holds (`within "10" seconds, every "0.5" seconds, ...`).
    Poll(Box<Poll>),
}

/// A polling step: how long, how often, and the check (a registry row and its arguments).
#[derive(Debug, Clone, PartialEq)]
pub struct Poll {
    pub within: Duration,
    pub every: Duration,
    pub check: usize,
    pub captures: Vec<String>,
}

/// The arguments of one matched step: the captured texts, unresolved, and any doc string or
/// table under the step.
#[derive(Debug, Clone, Copy)]
pub struct Args<'a> {
    pub captures: &'a [String],
    pub docstring: Option<&'a str>,
    pub table: Option<&'a Table>,
}

/// A step with behaviour of its own: request building, sending, auth, housekeeping.
pub type StepFn = fn(&mut World, Args<'_>) -> Result<Effect, Error>;

/// One phrase of the vocabulary.
#[derive(Debug, Clone, Copy)]
pub struct StepDef {
    pub family: Family,
    /// The phrase with `{placeholders}`, exactly as suites write it.
    pub phrase: &'static str,
    /// One line on what it does.
    pub meaning: &'static str,
    /// A complete example line, keyword included.
    pub example: &'static str,
    pub run: Run,
    /// True for synonyms kept for older suites; listed under the main phrase.
    pub synonym: bool,
    /// A check of the arguments made when the plan is built, before anything is sent, for
    /// the rows whose arguments are themselves steps or lists (`within ... {check}`).
    pub plan_check: Option<PlanCheck>,
    /// For a step that reads a data table, the names its first row must give the columns;
    /// `None` for a step that takes no table (one under it is refused).
    pub table: Option<&'static [&'static str]>,
}

/// Refuses arguments that can never work, given the captured texts.
pub type PlanCheck = fn(&[String]) -> Result<(), Error>;

/// Shorthand for the step tables in the domain modules.
pub const fn def(
    family: Family,
    phrase: &'static str,
    meaning: &'static str,
    example: &'static str,
    run: StepFn,
) -> StepDef {
    StepDef {
        family,
        phrase,
        meaning,
        example,
        run: Run::Fn(run),
        synonym: false,
        plan_check: None,
        table: None,
    }
}

/// The same, for a synonym kept for older suites.
pub const fn synonym(
    family: Family,
    phrase: &'static str,
    meaning: &'static str,
    example: &'static str,
    run: StepFn,
) -> StepDef {
    let mut step = def(family, phrase, meaning, example, run);
    step.synonym = true;
    step
}

/// What a row runs.
#[derive(Debug, Clone, Copy)]
pub enum Run {
    /// A function of its own (request building, sending, auth, contract, housekeeping).
    Fn(StepFn),
    /// `<subject> <predicate>`: one `check::run_check` serves every such phrase.
    Check(Subject, Expect),
    /// `... in request is ...`: the operand written at the target.
    Set(Target, Operand),
}

impl Run {
    /// Runs the row on the World.
    pub fn call(self, w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
        match self {
            Run::Fn(f) => f(w, a),
            Run::Check(subject, expect) => super::check::run_check(w, a, subject, expect),
            Run::Set(target, operand) => super::check::run_set(w, a, target, operand),
        }
    }
}

/// A check row: `<subject> <predicate>`.
pub const fn check(
    family: Family,
    phrase: &'static str,
    meaning: &'static str,
    example: &'static str,
    subject: Subject,
    expect: Expect,
) -> StepDef {
    StepDef {
        family,
        phrase,
        meaning,
        example,
        run: Run::Check(subject, expect),
        synonym: false,
        plan_check: None,
        table: None,
    }
}

/// A setter row: `<target> in request is <operand>`.
pub const fn set(
    family: Family,
    phrase: &'static str,
    meaning: &'static str,
    example: &'static str,
    target: Target,
    operand: Operand,
) -> StepDef {
    StepDef {
        family,
        phrase,
        meaning,
        example,
        run: Run::Set(target, operand),
        synonym: false,
        plan_check: None,
        table: None,
    }
}

impl StepDef {
    /// The same row, its arguments checked by `check` when the plan is built.
    pub const fn checked_at_plan(mut self, check: PlanCheck) -> StepDef {
        self.plan_check = Some(check);
        self
    }

    /// The same row, reading a data table whose first row names these columns.
    pub const fn with_table(mut self, columns: &'static [&'static str]) -> StepDef {
        self.table = Some(columns);
        self
    }

    /// The same row, listed as a synonym kept for older suites.
    pub const fn as_synonym(mut self) -> StepDef {
        self.synonym = true;
        self
    }
}
