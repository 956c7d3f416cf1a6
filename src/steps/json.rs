//! Checks on the JSON response: values at JSON Pointer paths, and the whole document.
//!
//! Equality follows `crate::check::compare`: numbers by value (`7` is `7.0`), strings never equal
//! numbers, booleans never equal numbers. `is "#id"` compares with the stored value as stored,
//! so a stored integer is compared as an integer.

use std::sync::Arc;

use serde_json::Value;

use super::{
    Args, Effect, Family, Kind, Operand, StepDef, Subject, check, def, fail_listing, is, is_not,
    parse_json,
};
use crate::check::{JsonType, Predicate, Test};
use crate::error::{Error, ErrorKind};
use crate::world::{DataKind, World};

pub const STEPS: &[StepDef] = &[
    check(
        Family::Json,
        r#"path "{path}" is "{value}""#,
        "The value equals the string (or, for `#name`, the stored value with its type).",
        r#"Then path "/data/name" is "John Doe""#,
        Subject::Path,
        is(Kind::Equals, Operand::Value),
    ),
    check(
        Family::Json,
        r#"path "{path}" is"#,
        "The value is the string in the doc string under the step, line breaks included: for \
         multi-line text (`#{}`, `${}` and `@{}` are resolved in it).",
        r#"Then path "/data/address" is"#,
        Subject::Path,
        is(Kind::Equals, Operand::DocString),
    ),
    check(
        Family::Json,
        r#"path "{path}" is True"#,
        "The value is true.",
        r#"Then path "/meta/is_ok" is True"#,
        Subject::Path,
        is(Kind::Equals, Operand::True),
    ),
    check(
        Family::Json,
        r#"path "{path}" is False"#,
        "The value is false.",
        r#"Then path "/meta/is_ok" is False"#,
        Subject::Path,
        is(Kind::Equals, Operand::False),
    ),
    check(
        Family::Json,
        r#"path "{path}" is null"#,
        "The value is null.",
        r#"Then path "/data/manager" is null"#,
        Subject::Path,
        is(Kind::Equals, Operand::Null),
    ),
    check(
        Family::Json,
        r#"path "{path}" is an integer "{value}""#,
        "The value equals the integer.",
        r#"Then path "/data/employee_no" is an integer "123""#,
        Subject::Path,
        is(Kind::Equals, Operand::Integer),
    ),
    check(
        Family::Json,
        r#"path "{path}" is a float "{value}""#,
        "The value equals the number.",
        r#"Then path "/data/salary" is a float "1234.5""#,
        Subject::Path,
        is(Kind::Equals, Operand::Float),
    ),
    check(
        Family::Json,
        r#"path "{path}" is a list "{value}""#,
        "The value equals the list of strings, split at commas and trimmed.",
        r#"Then path "/data/tags" is a list "a, b""#,
        Subject::Path,
        is(Kind::Equals, Operand::List),
    ),
    check(
        Family::Json,
        r#"path "{path}" is JSON "{value}""#,
        "The value equals the JSON document.",
        r#"Then path "/data" is JSON "{"employee_no": 123, "name": "John Doe", "department": "HR"}""#,
        Subject::Path,
        is(Kind::Equals, Operand::Json),
    ),
    check(
        Family::Json,
        r#"path "{path}" is an integer"#,
        "The value is an integer (a JSON number without a fraction).",
        r#"Then path "/data/employee_no" is an integer"#,
        Subject::Path,
        is(Kind::Type(JsonType::Integer), Operand::None),
    ),
    check(
        Family::Json,
        r#"path "{path}" is a float"#,
        "The value is a number written with a fraction or exponent.",
        r#"Then path "/data/salary" is a float"#,
        Subject::Path,
        is(Kind::Type(JsonType::Float), Operand::None),
    ),
    check(
        Family::Json,
        r#"path "{path}" is a number"#,
        "The value is any number.",
        r#"Then path "/data/salary" is a number"#,
        Subject::Path,
        is(Kind::Type(JsonType::Number), Operand::None),
    ),
    check(
        Family::Json,
        r#"path "{path}" is a string"#,
        "The value is a string.",
        r#"Then path "/data/name" is a string"#,
        Subject::Path,
        is(Kind::Type(JsonType::String), Operand::None),
    ),
    check(
        Family::Json,
        r#"path "{path}" is a boolean"#,
        "The value is true or false.",
        r#"Then path "/meta/is_ok" is a boolean"#,
        Subject::Path,
        is(Kind::Type(JsonType::Bool), Operand::None),
    ),
    check(
        Family::Json,
        r#"path "{path}" is a list"#,
        "The value is a list.",
        r#"Then path "/data" is a list"#,
        Subject::Path,
        is(Kind::Type(JsonType::List), Operand::None),
    ),
    check(
        Family::Json,
        r#"path "{path}" is an object"#,
        "The value is an object.",
        r#"Then path "/data" is an object"#,
        Subject::Path,
        is(Kind::Type(JsonType::Object), Operand::None),
    ),
    check(
        Family::Json,
        r#"path "{path}" is any integer"#,
        "Same as `is an integer`.",
        r#"Then path "/data/employee_no" is any integer"#,
        Subject::Path,
        is(Kind::Type(JsonType::Integer), Operand::None),
    ),
    check(
        Family::Json,
        r#"path "{path}" is any float"#,
        "Same as `is a float`.",
        r#"Then path "/data/salary" is any float"#,
        Subject::Path,
        is(Kind::Type(JsonType::Float), Operand::None),
    ),
    check(
        Family::Json,
        r#"path "{path}" is any bool"#,
        "Same as `is a boolean`.",
        r#"Then path "/meta/is_ok" is any bool"#,
        Subject::Path,
        is(Kind::Type(JsonType::Bool), Operand::None),
    ),
    check(
        Family::Json,
        r#"path "{path}" is any string"#,
        "Same as `is a string`.",
        r#"Then path "/data/name" is any string"#,
        Subject::Path,
        is(Kind::Type(JsonType::String), Operand::None),
    ),
    check(
        Family::Json,
        r#"path "{path}" is empty"#,
        "The value is the empty string.",
        r#"Then path "/data/nickname" is empty"#,
        Subject::Path,
        is(Kind::EmptyString, Operand::None),
    ),
    check(
        Family::Json,
        r#"path "{path}" is not empty"#,
        "The value exists and is not \"\", null, [] or {}.",
        r#"Then path "/meta/cid" is not empty"#,
        Subject::Path,
        is_not(Kind::Blank, Operand::None),
    ),
    check(
        Family::Json,
        r#"path "{path}" is an empty list"#,
        "The value is [].",
        r#"Then path "/data/projects" is an empty list"#,
        Subject::Path,
        is(Kind::EmptyList, Operand::None),
    ),
    check(
        Family::Json,
        r#"path "{path}" is an empty dict"#,
        "The value is {}.",
        r#"Then path "/data/extra" is an empty dict"#,
        Subject::Path,
        is(Kind::EmptyObject, Operand::None),
    ),
    check(
        Family::Json,
        r#"path "{path}" is not an empty list"#,
        "The value is a list with at least one item.",
        r#"Then path "/data" is not an empty list"#,
        Subject::Path,
        is(Kind::NonEmptyList, Operand::None),
    ),
    check(
        Family::Json,
        r#"path "{path}" is one of "{value}""#,
        "The value is one of the comma-separated strings.",
        r#"Then path "/data/department" is one of "HR, Payroll""#,
        Subject::Path,
        is(Kind::OneOf, Operand::List),
    ),
    check(
        Family::Json,
        r#"path "{path}" is not one of "{value}""#,
        "The value is none of the comma-separated strings.",
        r#"Then path "/data/department" is not one of "Sales, Legal""#,
        Subject::Path,
        is_not(Kind::OneOf, Operand::List),
    ),
    check(
        Family::Json,
        r#"path "{path}" is not a string "{value}""#,
        "The value is not equal to the string.",
        r#"Then path "/data/name" is not a string "Jane Roe""#,
        Subject::Path,
        is_not(Kind::Equals, Operand::Text),
    ),
    check(
        Family::Json,
        r#"path "{path}" starts with "{value}""#,
        "The value is a string that starts with the text.",
        r#"Then path "/data/name" starts with "John""#,
        Subject::Path,
        is(Kind::StartsWith, Operand::Text),
    ),
    check(
        Family::Json,
        r#"path "{path}" ends with "{value}""#,
        "The value is a string that ends with the text.",
        r#"Then path "/data/name" ends with "Doe""#,
        Subject::Path,
        is(Kind::EndsWith, Operand::Text),
    ),
    check(
        Family::Json,
        r#"path "{path}" matches the regex "{regex}""#,
        "The value is a string in which the regular expression (Rust `regex` syntax) finds a match; anchor it with `^...$` to match the whole string.",
        r#"Then path "/data/name" matches the regex "^[A-Z][a-z]+ [A-Z][a-z]+$""#,
        Subject::Path,
        is(Kind::Matches, Operand::Text),
    ),
    check(
        Family::Json,
        r#"path "{path}" does not match the regex "{regex}""#,
        "The value is not a string the regular expression finds a match in.",
        r#"Then path "/data/name" does not match the regex "^\s""#,
        Subject::Path,
        is_not(Kind::Matches, Operand::Text),
    ),
    check(
        Family::Json,
        r#"path "{path}" starts with any of "{value}""#,
        "The value is a string that starts with one of the comma-separated texts.",
        r#"Then path "/data/name" starts with any of "John, Jane""#,
        Subject::Path,
        is(Kind::StartsWithAnyOf, Operand::Text),
    ),
    check(
        Family::Json,
        r#"path "{path}" contains "{value}""#,
        "The list contains an element equal to the value read as JSON (`340`, `\"x\"`).",
        r#"Then path "/data/tags" contains ""manager"""#,
        Subject::Path,
        is(Kind::HasElement, Operand::Json),
    ),
    check(
        Family::Json,
        r#"path "{path}" is "{value}" (with literal_eval)"#,
        "The value equals the Python literal (`42`, `'text'`, `['a', 1]`, `{'k': True}`).",
        r#"Then path "/data/employee_no" is "123" (with literal_eval)"#,
        Subject::Path,
        is(Kind::Equals, Operand::Literal),
    ),
    check(
        Family::Json,
        r#"path "{path}" is a uuid"#,
        "The value is a string that parses as a UUID (any version, with or without dashes).",
        r#"Then path "/meta/cid" is a uuid"#,
        Subject::Path,
        is(Kind::Uuid, Operand::None),
    ),
    def(
        Family::Json,
        r#"path "{path}" is JSON equal to that from "{file}""#,
        "The value equals the JSON in a data file under features/json/response/.",
        r#"Then path "/data" is JSON equal to that from "employee_123.json""#,
        then_path_json_file,
    ),
    def(
        Family::Json,
        r#"path "{path}" contains data from "{file}""#,
        "The list has an element equal to the JSON in a data file under features/json/response/.",
        r#"Then path "/data" contains data from "employee_123.json""#,
        then_path_contains_file,
    ),
    def(
        Family::Json,
        r#"path "{path}" is a BASE32 Crockford, checksum "{checksum}""#,
        "The value decodes as Crockford Base32; with `true`, its last symbol must be the checksum.",
        r#"Then path "/data/code" is a BASE32 Crockford, checksum "false""#,
        then_path_crockford,
    ),
    def(
        Family::Response,
        r#"response is equal to that from "{file}""#,
        "The body equals a data file under features/<format>/response/: as JSON when the format is JSON (order and spacing do not matter), else as exact text.",
        r#"Then response is equal to that from "hello.txt""#,
        then_response_file,
    ),
    def(
        Family::Json,
        r#"path "{path}" exists"#,
        "The response has a value at the path (any value, null included).",
        r#"Then path "/meta/cid" exists"#,
        then_path_exists,
    ),
    def(
        Family::Json,
        r#"path "{path}" does not exist"#,
        "The response has no value at the path.",
        r#"Then path "/data/password" does not exist"#,
        then_path_not_exists,
    ),
    def(
        Family::Response,
        r#"JSON response matches "{shape}""#,
        "The JSON body has this shape: literals must be equal, markers (`#string`, `#uuid`, `#regex ...`, `#[] ...`) check types and patterns; extra keys are allowed.",
        r##"Then JSON response matches "{"meta": {"is_ok": true, "cid": "#string"}, "data": "#object"}""##,
        then_json_matches,
    ),
    def(
        Family::Response,
        r#"JSON response matches exactly "{shape}""#,
        "Same, and no keys beyond the ones the shape names.",
        r##"Then JSON response matches exactly "{"status": "#integer"}""##,
        then_json_matches_exactly,
    ),
    def(
        Family::Response,
        "JSON response matches",
        "The JSON body has the shape in the doc string under the step.",
        "Then JSON response matches",
        then_json_matches_doc,
    ),
    def(
        Family::Response,
        "JSON response matches exactly",
        "Same, and no keys beyond the ones the shape names.",
        "Then JSON response matches exactly",
        then_json_matches_exactly_doc,
    ),
    def(
        Family::Json,
        r#"path "{path}" matches "{shape}""#,
        "The value at the path has the shape (markers as in `JSON response matches`).",
        r##"Then path "/data" matches "{"employee_no": "#integer", "name": "#string"}""##,
        then_path_matches,
    ),
    def(
        Family::Json,
        r#"path "{path}" matches exactly "{shape}""#,
        "Same, and no keys beyond the ones the shape names.",
        r##"Then path "/data" matches exactly "{"employee_no": "#integer", "name": "#string", "department": "#string"}""##,
        then_path_matches_exactly,
    ),
    def(
        Family::Response,
        r#"JSON response matches schema "{file}""#,
        "The JSON body is valid against a JSON Schema file (drafts 2020-12, 2019-09, 7, 6, 4), named relative to the project folder; every violation is listed.",
        r#"Then JSON response matches schema "schemas/employee_response.json""#,
        then_json_matches_schema,
    ),
    def(
        Family::Json,
        r#"path "{path}" matches schema "{file}""#,
        "The value at the path is valid against a JSON Schema file.",
        r#"Then path "/data" matches schema "schemas/employee.json""#,
        then_path_matches_schema,
    ),
    def(
        Family::Response,
        "JSON response is equal to",
        "The whole JSON body equals the document in the doc string under the step.",
        "Then JSON response is equal to",
        then_json_response_equal_doc,
    ),
    def(
        Family::Response,
        r#"JSON response is equal to "{expected}""#,
        "The whole JSON body equals the document (key order does not matter); differences are listed by path.",
        r#"Then JSON response is equal to "{"status": 200}""#,
        then_json_response_equal,
    ),
    def(
        Family::Response,
        r#"response is equal to "{expected}""#,
        "The body text equals the text exactly.",
        r#"Then response is equal to "Hello, World!""#,
        then_response_equal,
    ),
    def(
        Family::Response,
        "JSON response exists",
        "The body is JSON and not empty, null, false, 0, \"\", [] or {}.",
        "Then JSON response exists",
        then_json_exists,
    ),
    def(
        Family::Response,
        "JSON response does not exist",
        "The body is empty, or JSON that is null, false, 0, \"\", [] or {}.",
        "Then JSON response does not exist",
        then_json_not_exists,
    ),
];

fn then_json_response_equal(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let raw = match a.docstring {
        Some(doc) if a.get(0).is_empty() => doc.to_string(),
        _ => a.get(0).to_string(),
    };
    let expected = match w.value(&raw).map_err(|e| e.at_arg(0))? {
        Value::String(text) => parse_json(&text, "the expected response", 0)?,
        other => other,
    };
    let actual = w.response()?.json()?;
    let differences = crate::check::diff(&expected, actual);
    differ("the JSON response", "the expected document", differences)
}

/// The JSON document in a response data file.
fn response_file_json(w: &mut World, a: Args<'_>, arg: usize) -> Result<Value, Error> {
    let name = a.text(w, arg)?;
    let (path, text) = w
        .read_data_file(DataKind::Response, &name)
        .map_err(|e| e.at_arg(arg))?;
    parse_json(&text, &format!("data file `{}`", path.display()), arg)
}

fn then_path_json_file(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let expected = response_file_json(w, a, 1)?;
    let pointer = a.text(w, 0)?;
    let actual = crate::check::lookup(w.response()?.json()?, &pointer)?;
    let differences = crate::check::diff(&expected, actual);
    differ(
        &format!("path `{pointer}`"),
        &format!("data file `{}`", a.get(1)),
        differences,
    )
}

fn then_path_contains_file(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let element = response_file_json(w, a, 1)?;
    super::check::verify(
        w,
        a,
        Subject::Path,
        &Predicate::from(Test::HasElement(element)),
    )
}

fn then_path_crockford(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let flag = a.text(w, 1)?;
    let checksum = match flag.trim().to_ascii_lowercase().as_str() {
        "true" => true,
        "false" => false,
        _ => {
            return Err(
                Error::invalid(format!("checksum `{flag}` must be `true` or `false`")).at_arg(1),
            );
        }
    };
    let pointer = a.text(w, 0)?;
    let actual = crate::check::lookup(w.response()?.json()?, &pointer)?;
    let Some(text) = actual.as_str() else {
        return Err(Error::mismatch(
            format!("path `{pointer}` is not a string"),
            "a Crockford Base32 string",
            crate::check::describe(actual),
        )
        .at_arg(0));
    };
    crate::check::crockford::verify(text, checksum).map_err(|why| {
        Error::mismatch(
            format!("path `{pointer}` is not valid Crockford Base32: {why}"),
            if checksum {
                "Crockford Base32 with a check symbol"
            } else {
                "Crockford Base32"
            },
            crate::check::describe(actual),
        )
        .at_arg(0)
    })?;
    Ok(Effect::Done)
}

fn then_response_file(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let name = a.text(w, 0)?;
    let (path, text) = w.read_data_file(DataKind::Response, &name)?;
    let response = w.response()?;
    let as_json = response.format == crate::http::Format::Json
        || path.components().any(|c| c.as_os_str() == "json");
    if as_json {
        let expected = parse_json(&text, &format!("data file `{}`", path.display()), 0)?;
        let differences = crate::check::diff(&expected, response.json()?);
        return differ("the response", &format!("data file `{name}`"), differences);
    }
    if response.text() == text {
        return Ok(Effect::Done);
    }
    Err(Error::mismatch(
        format!("the response body is not the text of data file `{name}`"),
        format!("{text:?}"),
        response.preview(300),
    )
    .at_arg(0))
}

fn then_path_exists(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let pointer = a.text(w, 0)?;
    crate::check::lookup(w.response()?.json()?, &pointer)?;
    Ok(Effect::Done)
}

fn then_path_not_exists(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let pointer = a.text(w, 0)?;
    match crate::check::lookup(w.response()?.json()?, &pointer) {
        Err(e) if matches!(*e.kind, ErrorKind::PathNotFound { .. }) => Ok(Effect::Done),
        Err(e) => Err(e),
        Ok(found) => Err(Error::mismatch(
            format!("path `{pointer}` exists"),
            "no value at this path",
            crate::check::describe(found),
        )
        .at_arg(0)),
    }
}

fn then_json_response_equal_doc(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    if a.docstring.is_none() {
        return Err(Error::invalid("this step needs the expected JSON in a doc string under it")
            .with_hint("put the document between two `\"\"\"` lines below the step, or write `JSON response is equal to \"{...}\"`"));
    }
    then_json_response_equal(w, a)
}

/// Passes when `differences` is empty; else fails listing them: `<what> differs from <from>
/// in N places`, one line per differing path.
fn differ(what: &str, from: &str, differences: Vec<String>) -> Result<Effect, Error> {
    fail_listing(format!("{what} differs from {from}"), differences).map_err(|e| e.at_arg(0))
}

/// The shape of argument `arg`, or of the doc string when `doc` is set.
fn shape_arg(w: &mut World, a: Args<'_>, arg: usize, doc: bool) -> Result<Value, Error> {
    let raw = if doc {
        a.docstring.map(str::to_string).ok_or_else(|| {
            Error::invalid("this step needs the shape in a doc string under it")
                .with_hint("put the shape between two `\"\"\"` lines below the step")
        })?
    } else {
        a.get(arg).to_string()
    };
    // A shape that is a marker (`#string`, `#[] {...}`) is taken as written: in a shape, `#`
    // starts a marker, not a stored value.
    if raw.trim_start().starts_with('#') {
        return Ok(Value::String(raw.trim().to_string()));
    }
    match w.value(&raw).map_err(|e| e.at_arg(arg))? {
        Value::String(text) => parse_json(&text, "the shape", arg).map_err(|e| {
            e.with_hint("a shape is JSON whose strings may be markers: {\"id\": \"#integer\"}")
        }),
        other => Ok(other),
    }
}

fn shape_error(what: &str, mismatches: Vec<String>) -> Result<Effect, Error> {
    fail_listing(format!("{what} does not match the shape"), mismatches).map_err(|e| e.at_arg(0))
}

fn json_matches(w: &mut World, a: Args<'_>, exact: bool, doc: bool) -> Result<Effect, Error> {
    let shape = shape_arg(w, a, 0, doc)?;
    let actual = w.response()?.json()?;
    shape_error(
        "the JSON response",
        crate::check::shape::mismatches(&shape, actual, exact),
    )
}

fn then_json_matches(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    json_matches(w, a, false, false)
}

fn then_json_matches_exactly(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    json_matches(w, a, true, false)
}

fn then_json_matches_doc(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    json_matches(w, a, false, true)
}

fn then_json_matches_exactly_doc(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    json_matches(w, a, true, true)
}

fn path_matches(w: &mut World, a: Args<'_>, exact: bool) -> Result<Effect, Error> {
    let shape = shape_arg(w, a, 1, false)?;
    let pointer = a.text(w, 0)?;
    let actual = crate::check::lookup(w.response()?.json()?, &pointer)?;
    let found = under(
        &pointer,
        crate::check::shape::mismatches(&shape, actual, exact),
    );
    shape_error(&format!("path `{pointer}`"), found)
}

/// Lines of the form `/inner/path: what`, found inside the value at `pointer`, rewritten with
/// the full pointer (`/data/inner/path: what`), which is what a tester searches the body for.
fn under(pointer: &str, lines: Vec<String>) -> Vec<String> {
    if pointer.is_empty() || pointer == "/" {
        return lines;
    }
    lines
        .into_iter()
        .map(|line| match line.split_once(':') {
            Some(("/", rest)) => format!("{pointer}:{rest}"),
            Some((inner, rest)) if inner.starts_with('/') => format!("{pointer}{inner}:{rest}"),
            _ => line,
        })
        .collect()
}

fn then_path_matches(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    path_matches(w, a, false)
}

fn then_path_matches_exactly(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    path_matches(w, a, true)
}

/// The JSON Schema in the project file of argument `arg`, compiled on first use in the run.
fn schema_file(
    w: &mut World,
    a: Args<'_>,
    arg: usize,
) -> Result<(String, Arc<jsonschema::Validator>), Error> {
    let name = a.text(w, arg)?;
    let path = w.project_file(&name).map_err(|e| e.at_arg(arg))?;
    if let Some(found) = w
        .run
        .schemas
        .lock()
        .ok()
        .and_then(|c| c.get(&path).cloned())
    {
        return Ok((name, found));
    }
    let text = std::fs::read_to_string(&path).map_err(|e| {
        Error::file(format!("cannot read schema `{}`: {e}", path.display())).at_arg(arg)
    })?;
    let schema = parse_json(&text, &format!("schema `{}`", path.display()), arg)?;
    let validator = crate::check::schema::compile(&schema).map_err(|e| {
        Error::invalid(format!("schema `{name}` is not a valid JSON Schema: {e}")).at_arg(arg)
    })?;
    let validator = Arc::new(validator);
    if let Ok(mut cache) = w.run.schemas.lock() {
        cache.insert(path, Arc::clone(&validator));
    }
    Ok((name, validator))
}

fn schema_check(
    what: &str,
    name: &str,
    validator: &jsonschema::Validator,
    actual: &Value,
    pointer: &str,
) -> Result<Effect, Error> {
    let found = crate::check::schema::violations_of(validator, actual);
    fail_listing(
        format!("{what} does not match schema `{name}`"),
        under(pointer, found),
    )
    .map_err(|e| e.at_arg(0))
}

fn then_json_matches_schema(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let (name, schema) = schema_file(w, a, 0)?;
    let actual = w.response()?.json()?;
    schema_check("the JSON response", &name, &schema, actual, "")
}

fn then_path_matches_schema(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let (name, schema) = schema_file(w, a, 1)?;
    let pointer = a.text(w, 0)?;
    let actual = crate::check::lookup(w.response()?.json()?, &pointer)?;
    schema_check(
        &format!("path `{pointer}`"),
        &name,
        &schema,
        actual,
        &pointer,
    )
}

fn then_response_equal(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let expected = a.text(w, 0)?;
    let response = w.response()?;
    let actual = response.text();
    if actual == expected {
        return Ok(Effect::Done);
    }
    Err(Error::mismatch(
        "the response body is not the expected text",
        format!("{expected:?}"),
        response.preview(300),
    )
    .at_arg(0))
}

fn json_truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

fn then_json_exists(w: &mut World, _: Args<'_>) -> Result<Effect, Error> {
    let response = w.response()?;
    if response.body.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::mismatch(
            "there is no JSON response: the body is empty",
            "a non-empty JSON document",
            format!("an empty body (status {})", response.status),
        ));
    }
    let doc = response.json()?;
    if json_truthy(doc) {
        return Ok(Effect::Done);
    }
    Err(Error::mismatch(
        "the JSON response is empty",
        "a non-empty JSON document",
        crate::check::describe(doc),
    ))
}

fn then_json_not_exists(w: &mut World, _: Args<'_>) -> Result<Effect, Error> {
    let response = w.response()?;
    if response.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Effect::Done);
    }
    let doc = response.json()?;
    if !json_truthy(doc) {
        return Ok(Effect::Done);
    }
    Err(Error::mismatch(
        "the JSON response exists",
        "an empty body or empty JSON",
        crate::check::describe(doc),
    ))
}
