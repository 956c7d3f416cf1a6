//! The status code and response headers. Header names are looked up in any letter case;
//! every check but `exists`/`does not exist` fails when the header is missing.

use serde_json::Value;

use super::{Args, Effect, Family, StepDef, def, synonym};
use crate::check::Predicate;
use crate::error::StepError;
use crate::world::World;

pub const STEPS: &[StepDef] = &[
    def(
        Family::Status,
        r#"status is "{expected_status}""#,
        "The response status code equals the number.",
        r#"Then status is "200""#,
        then_status_is,
    ),
    def(
        Family::Headers,
        r#"header "{header}" is "{value}""#,
        "The header's value equals the text exactly.",
        r#"Then header "Content-Type" is "application/json""#,
        then_header_is,
    ),
    def(
        Family::Headers,
        r#"header "{header}" is not "{value}""#,
        "The header's value differs from the text.",
        r#"Then header "Content-Type" is not "text/html""#,
        then_header_is_not,
    ),
    synonym(
        Family::Headers,
        r#"header "{header}" isn't "{value}""#,
        "Same as `is not` (1.x spelling).",
        r#"Then header "Content-Type" isn't "text/html""#,
        then_header_is_not,
    ),
    def(
        Family::Headers,
        r#"header "{header}" contains "{value}""#,
        "The header's value contains the text.",
        r#"Then header "Content-Type" contains "json""#,
        then_header_contains,
    ),
    def(
        Family::Headers,
        r#"header "{header}" does not contain "{value}""#,
        "The header's value does not contain the text.",
        r#"Then header "Content-Type" does not contain "xml""#,
        then_header_not_contains,
    ),
    synonym(
        Family::Headers,
        r#"header "{header}" doesn't contain "{value}""#,
        "Same as `does not contain` (1.x spelling).",
        r#"Then header "Content-Type" doesn't contain "xml""#,
        then_header_not_contains,
    ),
    def(
        Family::Headers,
        r#"header "{header}" starts with "{value}""#,
        "The header's value starts with the text.",
        r#"Then header "Content-Type" starts with "application/""#,
        then_header_starts_with,
    ),
    def(
        Family::Headers,
        r#"header "{header}" does not start with "{value}""#,
        "The header's value does not start with the text.",
        r#"Then header "Content-Type" does not start with "text/""#,
        then_header_not_starts_with,
    ),
    synonym(
        Family::Headers,
        r#"header "{header}" doesn't start with "{value}""#,
        "Same as `does not start with` (1.x spelling).",
        r#"Then header "Content-Type" doesn't start with "text/""#,
        then_header_not_starts_with,
    ),
    def(
        Family::Headers,
        r#"header "{header}" ends with "{value}""#,
        "The header's value ends with the text.",
        r#"Then header "Content-Type" ends with "json""#,
        then_header_ends_with,
    ),
    def(
        Family::Headers,
        r#"header "{header}" does not end with "{value}""#,
        "The header's value does not end with the text.",
        r#"Then header "Content-Type" does not end with "xml""#,
        then_header_not_ends_with,
    ),
    synonym(
        Family::Headers,
        r#"header "{header}" doesn't end with "{value}""#,
        "Same as `does not end with` (1.x spelling).",
        r#"Then header "Content-Type" doesn't end with "xml""#,
        then_header_not_ends_with,
    ),
    def(
        Family::Headers,
        r#"header "{header}" exists"#,
        "The response has the header (any value).",
        r#"Then header "X-Request-Id" exists"#,
        then_header_exists,
    ),
    def(
        Family::Headers,
        r#"header "{header}" does not exist"#,
        "The response does not have the header.",
        r#"Then header "X-Debug" does not exist"#,
        then_header_not_exists,
    ),
    synonym(
        Family::Headers,
        r#"header "{header}" doesn't exist"#,
        "Same as `does not exist` (1.x spelling).",
        r#"Then header "X-Debug" doesn't exist"#,
        then_header_not_exists,
    ),
    def(
        Family::Headers,
        r#"header "{header}" is empty"#,
        "The header is present with an empty value.",
        r#"Then header "X-Empty" is empty"#,
        then_header_empty,
    ),
    def(
        Family::Headers,
        r#"header "{header}" is not empty"#,
        "The header is present with a non-empty value.",
        r#"Then header "X-Request-Id" is not empty"#,
        then_header_not_empty,
    ),
];

fn then_status_is(w: &mut World, a: Args<'_>) -> Result<Effect, StepError> {
    let text = w.arg_text(a, 0)?;
    let expected: u16 = text.trim().parse().map_err(|_| {
        StepError::invalid(format!("`{text}` is not a status code"))
            .at_arg(0)
            .with_hint("write the number, e.g. `Then status is \"200\"`")
    })?;
    let response = w.response()?;
    if response.status != expected {
        return Err(StepError::mismatch(
            format!("status is not {expected}"),
            expected.to_string(),
            response.status.to_string(),
        )
        .with_detail("body", response.excerpt(400))
        .at_arg(0));
    }
    Ok(Effect::Done)
}

/// Checks header `a.get(0)` with a predicate built from the resolved second argument.
fn check_header(
    w: &mut World,
    a: Args<'_>,
    make: fn(String) -> Predicate,
) -> Result<Effect, StepError> {
    let name = w.arg_text(a, 0)?;
    let expected = w.arg_text(a, 1)?;
    let actual = header(w, &name)?;
    make(expected)
        .verify(&format!("header `{name}`"), &Value::String(actual))
        .map_err(|e| e.at_arg(0))?;
    Ok(Effect::Done)
}

/// The response's value of header `name` (repeated headers joined), or the error saying it is
/// missing.
fn header(w: &World, name: &str) -> Result<String, StepError> {
    let response = w.response()?;
    response
        .header_joined(name)
        .ok_or_else(|| missing_header(name, response))
}

fn missing_header(name: &str, response: &crate::http::Response) -> StepError {
    let present: Vec<String> = response.headers.keys().map(|k| format!("`{k}`")).collect();
    StepError::mismatch(
        format!("header `{name}` is not in the response"),
        format!("a header named `{name}`"),
        format!("headers {}", present.join(", ")),
    )
    .at_arg(0)
}

fn then_header_is(w: &mut World, a: Args<'_>) -> Result<Effect, StepError> {
    check_header(w, a, |v| Predicate::Equals(Value::String(v)))
}

fn then_header_is_not(w: &mut World, a: Args<'_>) -> Result<Effect, StepError> {
    check_header(w, a, |v| Predicate::NotEquals(Value::String(v)))
}

fn then_header_contains(w: &mut World, a: Args<'_>) -> Result<Effect, StepError> {
    check_header(w, a, Predicate::ContainsText)
}

fn then_header_not_contains(w: &mut World, a: Args<'_>) -> Result<Effect, StepError> {
    check_header(w, a, Predicate::NotContainsText)
}

fn then_header_starts_with(w: &mut World, a: Args<'_>) -> Result<Effect, StepError> {
    check_header(w, a, Predicate::StartsWith)
}

fn then_header_not_starts_with(w: &mut World, a: Args<'_>) -> Result<Effect, StepError> {
    check_header(w, a, Predicate::NotStartsWith)
}

fn then_header_ends_with(w: &mut World, a: Args<'_>) -> Result<Effect, StepError> {
    check_header(w, a, Predicate::EndsWith)
}

fn then_header_not_ends_with(w: &mut World, a: Args<'_>) -> Result<Effect, StepError> {
    check_header(w, a, Predicate::NotEndsWith)
}

fn then_header_exists(w: &mut World, a: Args<'_>) -> Result<Effect, StepError> {
    let name = w.arg_text(a, 0)?;
    let response = w.response()?;
    if response.headers.contains_key(name.as_str()) {
        return Ok(Effect::Done);
    }
    Err(missing_header(&name, response))
}

fn then_header_not_exists(w: &mut World, a: Args<'_>) -> Result<Effect, StepError> {
    let name = w.arg_text(a, 0)?;
    let response = w.response()?;
    match response.header_joined(&name) {
        None => Ok(Effect::Done),
        Some(value) => Err(StepError::mismatch(
            format!("header `{name}` exists"),
            "no such header",
            format!("{value:?}"),
        )
        .at_arg(0)),
    }
}

fn then_header_empty(w: &mut World, a: Args<'_>) -> Result<Effect, StepError> {
    let name = w.arg_text(a, 0)?;
    let actual = header(w, &name)?;
    if !actual.is_empty() {
        return Err(StepError::mismatch(
            format!("header `{name}` is not empty"),
            "an empty value",
            format!("{actual:?}"),
        )
        .at_arg(0));
    }
    Ok(Effect::Done)
}

fn then_header_not_empty(w: &mut World, a: Args<'_>) -> Result<Effect, StepError> {
    let name = w.arg_text(a, 0)?;
    let actual = header(w, &name)?;
    if actual.is_empty() {
        return Err(StepError::mismatch(
            format!("header `{name}` is empty"),
            "a non-empty value",
            "\"\"",
        )
        .at_arg(0));
    }
    Ok(Effect::Done)
}
