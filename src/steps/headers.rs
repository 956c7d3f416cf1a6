//! The status code and response headers. Header names are looked up in any letter case;
//! every check but `exists`/`does not exist` fails when the header is missing.

use super::{
    Args, Effect, Family, Kind, Operand, StepDef, Subject, check, def, is, is_not, synonym,
};
use crate::error::Error;
use crate::world::World;

pub const STEPS: &[StepDef] = &[
    def(
        Family::Status,
        r#"status is "{expected_status}""#,
        "The response status code equals the number, or is of the class (`2xx`, `4xx`).",
        r#"Then status is "200""#,
        then_status_is,
    ),
    def(
        Family::Headers,
        r#"I store header "{header}" under "{name}""#,
        "Stores the response header's value (repeated headers joined) as `#name`, e.g. `Location` or `ETag` for the next request.",
        r#"Then I store header "Location" under "next""#,
        then_store_header,
    ),
    def(
        Family::Response,
        r#"response time is under "{ms}" ms"#,
        "The response arrived (headers and whole body) in less than this many milliseconds.",
        r#"Then response time is under "500" ms"#,
        then_response_time_under,
    ),
    def(
        Family::Response,
        r#"response body size is "{bytes}""#,
        "The body (after decoding any Content-Encoding) is exactly this many bytes long.",
        r#"Then response body size is "13""#,
        then_body_size,
    ),
    def(
        Family::Response,
        r#"response body SHA-256 is "{hex}""#,
        "The SHA-256 digest of the body (after decoding), in hex, equals the text (letter case ignored): for files and downloads.",
        r#"Then response body SHA-256 is "dffd6021bb2bd5b0af676290809ec3a53191dd81c7f70a4b28688a362182986f""#,
        then_body_sha256,
    ),
    check(
        Family::Response,
        r#"response body contains "{text}""#,
        "The body, as text, contains the text.",
        r#"Then response body contains "John Doe""#,
        Subject::Body,
        is(Kind::ContainsText, Operand::Text),
    ),
    check(
        Family::Response,
        r#"response body does not contain "{text}""#,
        "The body, as text, does not contain the text.",
        r#"Then response body does not contain "Traceback""#,
        Subject::Body,
        is_not(Kind::ContainsText, Operand::Text),
    ),
    check(
        Family::Response,
        r#"response body matches the regex "{regex}""#,
        "The body, as text, is one in which the regular expression finds a match.",
        r#"Then response body matches the regex "<title>[^<]+</title>""#,
        Subject::Body,
        is(Kind::Matches, Operand::Text),
    ),
    check(
        Family::Headers,
        r#"header "{header}" is "{value}""#,
        "The header's value equals the text exactly.",
        r#"Then header "Content-Type" is "application/json""#,
        Subject::Header,
        is(Kind::Equals, Operand::Text),
    ),
    check(
        Family::Headers,
        r#"header "{header}" is not "{value}""#,
        "The header's value differs from the text.",
        r#"Then header "Content-Type" is not "text/html""#,
        Subject::Header,
        is_not(Kind::Equals, Operand::Text),
    ),
    check(
        Family::Headers,
        r#"header "{header}" isn't "{value}""#,
        "Same as `is not` (1.x spelling).",
        r#"Then header "Content-Type" isn't "text/html""#,
        Subject::Header,
        is_not(Kind::Equals, Operand::Text),
    )
    .as_synonym(),
    check(
        Family::Headers,
        r#"header "{header}" contains "{value}""#,
        "The header's value contains the text.",
        r#"Then header "Content-Type" contains "json""#,
        Subject::Header,
        is(Kind::ContainsText, Operand::Text),
    ),
    check(
        Family::Headers,
        r#"header "{header}" does not contain "{value}""#,
        "The header's value does not contain the text.",
        r#"Then header "Content-Type" does not contain "xml""#,
        Subject::Header,
        is_not(Kind::ContainsText, Operand::Text),
    ),
    check(
        Family::Headers,
        r#"header "{header}" doesn't contain "{value}""#,
        "Same as `does not contain` (1.x spelling).",
        r#"Then header "Content-Type" doesn't contain "xml""#,
        Subject::Header,
        is_not(Kind::ContainsText, Operand::Text),
    )
    .as_synonym(),
    check(
        Family::Headers,
        r#"header "{header}" starts with "{value}""#,
        "The header's value starts with the text.",
        r#"Then header "Content-Type" starts with "application/""#,
        Subject::Header,
        is(Kind::StartsWith, Operand::Text),
    ),
    check(
        Family::Headers,
        r#"header "{header}" does not start with "{value}""#,
        "The header's value does not start with the text.",
        r#"Then header "Content-Type" does not start with "text/""#,
        Subject::Header,
        is_not(Kind::StartsWith, Operand::Text),
    ),
    check(
        Family::Headers,
        r#"header "{header}" doesn't start with "{value}""#,
        "Same as `does not start with` (1.x spelling).",
        r#"Then header "Content-Type" doesn't start with "text/""#,
        Subject::Header,
        is_not(Kind::StartsWith, Operand::Text),
    )
    .as_synonym(),
    check(
        Family::Headers,
        r#"header "{header}" ends with "{value}""#,
        "The header's value ends with the text.",
        r#"Then header "Content-Type" ends with "json""#,
        Subject::Header,
        is(Kind::EndsWith, Operand::Text),
    ),
    check(
        Family::Headers,
        r#"header "{header}" matches the regex "{regex}""#,
        "The header's value is one in which the regular expression finds a match.",
        r#"Then header "X-Request-Id" matches the regex "^[0-9a-f]{32}$""#,
        Subject::Header,
        is(Kind::Matches, Operand::Text),
    ),
    check(
        Family::Headers,
        r#"header "{header}" does not match the regex "{regex}""#,
        "The value is not a string the regular expression finds a match in.",
        r#"Then header "Content-Type" does not match the regex "xml""#,
        Subject::Header,
        is_not(Kind::Matches, Operand::Text),
    ),
    check(
        Family::Headers,
        r#"header "{header}" does not end with "{value}""#,
        "The header's value does not end with the text.",
        r#"Then header "Content-Type" does not end with "xml""#,
        Subject::Header,
        is_not(Kind::EndsWith, Operand::Text),
    ),
    check(
        Family::Headers,
        r#"header "{header}" doesn't end with "{value}""#,
        "Same as `does not end with` (1.x spelling).",
        r#"Then header "Content-Type" doesn't end with "xml""#,
        Subject::Header,
        is_not(Kind::EndsWith, Operand::Text),
    )
    .as_synonym(),
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

fn then_status_is(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let text = a.text(w, 0)?;
    let wanted = text.trim();
    // `2xx`, `4XX`: any status of that class.
    if let [class @ b'1'..=b'5', b'x' | b'X', b'x' | b'X'] = wanted.as_bytes() {
        let class = u16::from(*class - b'0');
        let response = w.response()?;
        if response.status / 100 != class {
            return Err(Error::mismatch(
                format!("status is not {wanted}"),
                format!("a status from {class}00 to {class}99"),
                response.status.to_string(),
            )
            .with_detail("body", response.excerpt(400))
            .at_arg(0));
        }
        return Ok(Effect::Done);
    }
    let expected: u16 = wanted.parse().map_err(|_| {
        Error::invalid(format!("`{text}` is not a status code"))
            .at_arg(0)
            .with_hint("write the number, e.g. `Then status is \"200\"`")
    })?;
    let response = w.response()?;
    if response.status != expected {
        return Err(Error::mismatch(
            format!("status is not {expected}"),
            expected.to_string(),
            response.status.to_string(),
        )
        .with_detail("body", response.excerpt(400))
        .at_arg(0));
    }
    Ok(Effect::Done)
}

/// The response's value of header `name` (repeated headers joined), or the error saying it is
/// missing.
pub(super) fn measure(w: &World, name: &str) -> Result<String, Error> {
    let response = w.response()?;
    response
        .header_joined(name)
        .ok_or_else(|| missing_header(name, response))
}

fn missing_header(name: &str, response: &crate::http::Response) -> Error {
    let present: Vec<String> = response.headers.keys().map(|k| format!("`{k}`")).collect();
    Error::mismatch(
        format!("header `{name}` is not in the response"),
        format!("a header named `{name}`"),
        format!("headers {}", present.join(", ")),
    )
    .at_arg(0)
}

fn then_header_exists(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let name = a.text(w, 0)?;
    let response = w.response()?;
    if response.headers.contains_key(name.as_str()) {
        return Ok(Effect::Done);
    }
    Err(missing_header(&name, response))
}

fn then_header_not_exists(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let name = a.text(w, 0)?;
    let response = w.response()?;
    match response.header_joined(&name) {
        None => Ok(Effect::Done),
        Some(value) => Err(Error::mismatch(
            format!("header `{name}` exists"),
            "no such header",
            format!("{value:?}"),
        )
        .at_arg(0)),
    }
}

fn then_header_empty(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let name = a.text(w, 0)?;
    let actual = measure(w, &name)?;
    if !actual.is_empty() {
        return Err(Error::mismatch(
            format!("header `{name}` is not empty"),
            "an empty value",
            format!("{actual:?}"),
        )
        .at_arg(0));
    }
    Ok(Effect::Done)
}

fn then_header_not_empty(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let name = a.text(w, 0)?;
    let actual = measure(w, &name)?;
    if actual.is_empty() {
        return Err(Error::mismatch(
            format!("header `{name}` is empty"),
            "a non-empty value",
            "\"\"",
        )
        .at_arg(0));
    }
    Ok(Effect::Done)
}

fn then_store_header(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let header = a.text(w, 0)?;
    let name = a.name(w, 1)?;
    let value = measure(w, &header)?;
    w.store(&name, serde_json::Value::String(value));
    Ok(Effect::Done)
}

fn then_response_time_under(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let text = a.text(w, 0)?;
    let limit: u64 = text.trim().parse().map_err(|_| {
        Error::invalid(format!("`{text}` is not a number of milliseconds"))
            .at_arg(0)
            .with_hint("write a whole number, e.g. `response time is under \"500\" ms`")
    })?;
    let response = w.response()?;
    let took = response.summary.elapsed;
    if took.as_millis() < u128::from(limit) {
        return Ok(Effect::Done);
    }
    Err(Error::mismatch(
        format!(
            "the response took {} ms, not under {limit} ms",
            took.as_millis()
        ),
        format!("under {limit} ms"),
        format!("{} ms", took.as_millis()),
    )
    .at_arg(0))
}

fn then_body_size(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let text = a.text(w, 0)?;
    let expected: usize = text.trim().parse().map_err(|_| {
        Error::invalid(format!("`{text}` is not a number of bytes"))
            .at_arg(0)
            .with_hint("write a whole number, e.g. `response body size is \"1024\"`")
    })?;
    let response = w.response()?;
    let size = response.body.len();
    if size == expected {
        return Ok(Effect::Done);
    }
    Err(Error::mismatch(
        format!("the response body is {size} bytes, not {expected}"),
        format!("{expected} bytes"),
        format!("{size} bytes"),
    )
    .with_detail("body starts with", response.preview(60))
    .at_arg(0))
}

fn then_body_sha256(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    use sha2::Digest;
    let expected = a.text(w, 0)?.trim().to_ascii_lowercase();
    if expected.len() != 64 || !expected.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(Error::invalid(format!(
            "`{expected}` is not a SHA-256 digest (64 hex digits)"
        ))
        .at_arg(0)
        .with_hint("compute it with `sha256sum FILE` and paste the first column"));
    }
    let response = w.response()?;
    let digest = sha2::Sha256::digest(&response.body);
    let actual: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    if actual == expected {
        return Ok(Effect::Done);
    }
    Err(
        Error::mismatch("the response body's SHA-256 differs", expected, actual)
            .with_detail("body size", format!("{} bytes", response.body.len()))
            .at_arg(0),
    )
}
