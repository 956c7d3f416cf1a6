//! Checks and setters as data: a check row is a `Subject` (what is measured) and an `Expect`
//! (what must hold of it); a setter row is a `Target` and the `Operand` written there.
//!
//! One `check()` serves every subject: it reads the operand, builds the `Predicate`, measures
//! the subject, applies the Zato compatibility rule and adds the hints. Adding a check to every
//! subject is therefore one `Test` in `check::predicate` and one row per phrase; adding a
//! subject is one `Subject` and its measuring function in its domain file.

use serde_json::Value;

use super::{Args, Effect, parse_json};
use crate::check::predicate::csv;
use crate::check::{self, JsonType, Predicate, Test};
use crate::error::Error;
use crate::value::{random, to_text};
use crate::world::World;

/// What a check measures; its name or path is argument 0 of the phrase (the body has none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// The value at a JSON Pointer in the JSON response.
    Path,
    /// A stored variable (`#name`), or any resolved value.
    Variable,
    /// What an XPath selects in the XML response, read as the check wants it.
    XPath(Read),
    /// A response header (repeated headers joined); missing fails every check.
    Header,
    /// A cookie in the scenario's jar; missing fails every check.
    Cookie,
    /// The whole response body, as text.
    Body,
}

impl Subject {
    /// Whether the phrase names the subject in an argument of its own (argument 0).
    fn has_argument(self) -> bool {
        self != Subject::Body
    }
}

/// How a check reads the text an XPath selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Read {
    Text,
    Integer,
    Float,
    Bool,
}

/// Where a setter row writes, in the request being built; the path is argument 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A JSON Pointer in the JSON request body.
    RequestPath,
    /// An XPath in the XML request body (written as text).
    RequestXPath,
}

/// The value a row compares with or writes: argument 1 read in one way, or a constant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operand {
    None,
    True,
    False,
    Null,
    /// Resolved to text.
    Text,
    /// Resolved keeping a reference's type (`#id` stays a number).
    Value,
    Integer,
    Float,
    /// Comma-separated text, or a referenced list.
    List,
    /// A Python literal (`['a', 1]`, `None`).
    Literal,
    /// A JSON document (a stored non-string value is used as is).
    Json,
    /// The doc string under the step, resolved to text: multi-line expected values.
    DocString,
    /// One item of the list, picked at random.
    PickOne,
    RandomString,
    RandomInteger,
    RandomFloat,
    Uuid4,
}

/// The test a check row applies, before its operand is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Equals,
    Type(JsonType),
    EmptyString,
    Blank,
    EmptyList,
    EmptyObject,
    NonEmptyList,
    OneOf,
    StartsWith,
    EndsWith,
    StartsWithAnyOf,
    HasElement,
    ContainsText,
    Uuid,
    Uuid4,
    Matches,
}

/// What a check row expects: a kind of test, the operand it takes, and whether it is negated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expect {
    pub kind: Kind,
    pub operand: Operand,
    pub negated: bool,
}

/// `is ...`: the test must hold.
pub const fn is(kind: Kind, operand: Operand) -> Expect {
    Expect {
        kind,
        operand,
        negated: false,
    }
}

/// `is not ...`, `does not ...`: the test must not hold.
pub const fn is_not(kind: Kind, operand: Operand) -> Expect {
    Expect {
        kind,
        operand,
        negated: true,
    }
}

impl Kind {
    /// The test, given the operand's value; a regex that does not compile underlines it.
    fn with(self, operand: Value, at: usize) -> Result<Test, Error> {
        Ok(match self {
            Kind::Equals => Test::Equals(operand),
            Kind::Type(t) => Test::Type(t),
            Kind::EmptyString => Test::EmptyString,
            Kind::Blank => Test::Blank,
            Kind::EmptyList => Test::EmptyList,
            Kind::EmptyObject => Test::EmptyObject,
            Kind::NonEmptyList => Test::NonEmptyList,
            Kind::OneOf => Test::OneOf(match operand {
                Value::Array(items) => items,
                other => vec![other],
            }),
            Kind::StartsWith => Test::StartsWith(to_text(&operand)),
            Kind::EndsWith => Test::EndsWith(to_text(&operand)),
            Kind::StartsWithAnyOf => Test::StartsWithAnyOf(csv(&to_text(&operand))),
            Kind::HasElement => Test::HasElement(operand),
            Kind::ContainsText => Test::ContainsText(to_text(&operand)),
            Kind::Uuid => Test::Uuid,
            Kind::Uuid4 => Test::Uuid4,
            Kind::Matches => {
                let pattern = to_text(&operand);
                Test::Matches(regex::Regex::new(&pattern).map_err(|e| {
                    // The regex crate draws a caret over the pattern; its last line names
                    // the fault, which is what fits in a headline.
                    let text = e.to_string();
                    let why = text.lines().last().unwrap_or_default();
                    let why = why.strip_prefix("error: ").unwrap_or(why);
                    Error::invalid(format!("`{pattern}` is not a regular expression: {why}"))
                        .at_arg(at)
                        .with_hint("write a Rust regex (the `regex` crate's syntax), e.g. `^[A-Z]{3}-\\d+$`")
                })?)
            }
        })
    }
}

impl Operand {
    /// Argument `i` read as this operand says; `what` names a JSON operand in its error.
    pub fn read(self, w: &mut World, a: Args<'_>, i: usize, what: &str) -> Result<Value, Error> {
        Ok(match self {
            Operand::None | Operand::Null => Value::Null,
            Operand::True => Value::Bool(true),
            Operand::False => Value::Bool(false),
            Operand::Text => Value::String(a.text(w, i)?),
            Operand::Value => a.value(w, i)?,
            Operand::Integer => a.integer(w, i)?,
            Operand::Float => a.float(w, i)?,
            Operand::List => Value::Array(a.list(w, i)?),
            Operand::Literal => a.literal(w, i)?,
            Operand::Json => json_arg(w, a, i, what)?,
            Operand::DocString => match a.docstring {
                Some(doc) => Value::String(w.text(doc)?),
                None => {
                    return Err(Error::invalid(
                        "this step needs the expected text in a doc string under it",
                    )
                    .with_hint(
                        "put the text between two `\"\"\"` lines below the step, or write \
                         `path \"...\" is \"...\"` for one line",
                    ));
                }
            },
            Operand::PickOne => a.pick_one(w, i)?,
            Operand::RandomString => Value::String(random::string()),
            Operand::RandomInteger => random::integer(),
            Operand::RandomFloat => random::float(),
            Operand::Uuid4 => Value::String(random::uuid4()),
        })
    }
}

/// Resolves argument 1 and reads it as JSON (a stored non-string value is used as is).
pub(super) fn json_arg(w: &mut World, a: Args<'_>, i: usize, what: &str) -> Result<Value, Error> {
    match a.value(w, i)? {
        Value::String(text) => parse_json(&text, what, i).map_err(|e| {
            e.with_hint("write JSON: strings in double quotes (`\"x\"`), numbers bare (`340`)")
        }),
        other => Ok(other),
    }
}

/// Runs a check row.
pub fn run_check(
    w: &mut World,
    a: Args<'_>,
    subject: Subject,
    expect: Expect,
) -> Result<Effect, Error> {
    let what = match expect.kind {
        Kind::HasElement => "the element",
        _ => "the expected value",
    };
    // The operand follows the subject's own argument; a subject with none (the body) makes
    // it the first.
    let at = usize::from(subject.has_argument());
    let operand = expect.operand.read(w, a, at, what)?;
    let predicate = Predicate {
        test: expect.kind.with(operand, at)?,
        negated: expect.negated,
    };
    verify(w, a, subject, &predicate)
}

/// Measures the subject of argument 0 and checks it with `predicate`.
pub(super) fn verify(
    w: &mut World,
    a: Args<'_>,
    subject: Subject,
    predicate: &Predicate,
) -> Result<Effect, Error> {
    let warning = match subject {
        Subject::Path => {
            let pointer = a.text(w, 0)?;
            let actual = check::lookup(w.response()?.json()?, &pointer)?;
            let subject = format!("path `{pointer}`");
            judge(w.run.compat, predicate, &subject, actual)
                .map_err(|e| with_hint(e, predicate, actual))?
        }
        Subject::Variable => {
            let actual = a.value(w, 0)?;
            let subject = format!("variable `{}`", a.get(0));
            judge(w.run.compat, predicate, &subject, &actual)?
        }
        Subject::XPath(read) => {
            let xpath = a.text(w, 0)?;
            // `contains` looks for its text among all the selected nodes, so it gets them all.
            let listed = matches!(predicate.test, Test::HasElement(_));
            let actual = super::xml::measure(w, &xpath, read, listed)?;
            judge(false, predicate, &format!("XPath `{xpath}`"), &actual)?
        }
        Subject::Header => {
            let name = a.text(w, 0)?;
            let actual = Value::String(super::headers::measure(w, &name)?);
            judge(false, predicate, &format!("header `{name}`"), &actual)?
        }
        Subject::Body => {
            let response = w.response()?;
            let actual = Value::String(response.text().into_owned());
            if !predicate.holds(&actual) {
                // A body can be megabytes: the failure shows its start, not all of it.
                return Err(Error::mismatch(
                    format!("the response body {}", predicate.failure_phrase(&actual)),
                    predicate.expected_text(),
                    response.preview(300),
                ));
            }
            None
        }
        Subject::Cookie => {
            let name = a.text(w, 0)?;
            let actual = Value::String(super::cookies::measure(w, &name)?);
            judge(false, predicate, &format!("cookie `{name}`"), &actual)?
        }
    };
    w.warnings.extend(warning);
    Ok(Effect::Done)
}

/// Runs a setter row.
pub fn run_set(
    w: &mut World,
    a: Args<'_>,
    target: Target,
    operand: Operand,
) -> Result<Effect, Error> {
    let value = operand.read(w, a, 1, "the value")?;
    match target {
        Target::RequestPath => super::http::set_in_request(w, a, value),
        Target::RequestXPath => super::xml::set_in_request(w, a, to_text(&value)),
    }
}

/// Checks `actual`; a failure underlines the subject. Under Zato compatibility, a failure
/// Zato's apitest would pass becomes the warning returned instead.
pub(super) fn judge(
    compat: bool,
    predicate: &Predicate,
    subject: &str,
    actual: &Value,
) -> Result<Option<String>, Error> {
    match predicate.verify(subject, actual) {
        Ok(()) => Ok(None),
        Err(e) => compat_pass(compat, predicate, actual, subject)
            .map(Some)
            .ok_or_else(|| e.at_arg(0)),
    }
}

/// Zato compatibility: the checks Zato's apitest passes and apitest's own meaning fails.
/// Returns the warning to give when the check passes only for that reason.
fn compat_pass(
    compat: bool,
    predicate: &Predicate,
    actual: &Value,
    subject: &str,
) -> Option<String> {
    if !compat {
        return None;
    }
    match (&predicate.test, predicate.negated) {
        // Zato 24.10.1 only checks that the path exists.
        (Test::Blank, true) => Some(format!(
            "{subject} is {} but passes `is not empty`, which only checks presence in Zato's apitest (`--strict` makes it fail)",
            check::describe(actual)
        )),
        // Python's `1 == True`.
        (Test::Equals(expected), false) if check::python_equal(actual, expected) => Some(format!(
            "{subject} is {} and passes for {} only because Python counts `True` as `1` (`--strict` makes it fail)",
            check::describe(actual),
            check::describe(expected)
        )),
        _ => None,
    }
}

/// The hint some failures need once the value is known: `is "123"` compares with the string
/// "123", so a number at the path never equals it.
fn with_hint(e: Error, predicate: &Predicate, actual: &Value) -> Error {
    match (&predicate.test, predicate.negated) {
        (Test::Equals(Value::String(s)), false)
            if e.is_assertion() && actual.is_number() && s.trim().parse::<f64>().is_ok() =>
        {
            e.with_hint(
                "the value is a number and `is \"...\"` compares text; write `is an integer \"...\"` or `is a float \"...\"`",
            )
        }
        _ => e,
    }
}
