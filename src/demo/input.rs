//! Reading and validating request input: bodies, JSON objects and their
//! fields, and `application/x-www-form-urlencoded` data from query strings
//! and bodies.
//!
//! Validation returns plain messages instead of responses so that each family
//! of endpoints can wrap them in its own error format: the envelope for the
//! employee API, RFC 6749 error objects for the OAuth2 token endpoint. The
//! messages name the offending field because feature authors read them when a
//! step fails.

use axum::body::{Body, Bytes};
use axum::http::HeaderMap;
use axum::http::header::CONTENT_TYPE;
use serde_json::{Map, Value};

/// Largest request body any endpoint reads; generous for file-upload tests
/// while still bounding the memory a single request can take.
pub(crate) const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// Reads a whole request body, refusing bodies over [`MAX_BODY_BYTES`].
pub(crate) async fn read_body(body: Body) -> Result<Bytes, String> {
    axum::body::to_bytes(body, MAX_BODY_BYTES)
        .await
        .map_err(|err| {
            format!("could not read the request body (limit {MAX_BODY_BYTES} bytes): {err}")
        })
}

/// The media type of the request without parameters, lower-cased, or "" if
/// the request has none.
pub(crate) fn media_type(headers: &HeaderMap) -> String {
    headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .map(|value| value.trim().to_ascii_lowercase())
        .unwrap_or_default()
}

/// Whether the request declares an URL-encoded form body.
pub(crate) fn is_urlencoded_form(headers: &HeaderMap) -> bool {
    media_type(headers) == "application/x-www-form-urlencoded"
}

/// Parses a body that must be a JSON object.
pub(crate) fn json_object(body: &[u8]) -> Result<Map<String, Value>, String> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err("request body is empty; a JSON object is expected".to_owned());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(other) => Err(format!(
            "request body must be a JSON object, got {}",
            kind(&other)
        )),
        Err(err) => Err(format!("request body is not valid JSON: {err}")),
    }
}

/// Parses a body that is either an URL-encoded form (when the content type
/// says so) or a JSON object, turning form fields into JSON strings so that
/// both shapes can be validated by the same field helpers. A repeated form
/// field keeps its first value.
pub(crate) fn form_or_json_object(
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Map<String, Value>, String> {
    if !is_urlencoded_form(headers) {
        return json_object(body);
    }
    let mut map = Map::new();
    for (name, value) in decode_urlencoded(&String::from_utf8_lossy(body)) {
        map.entry(name).or_insert(Value::String(value));
    }
    Ok(map)
}

/// A required string field; `null` counts as missing.
pub(crate) fn required_str(map: &Map<String, Value>, field: &str) -> Result<String, String> {
    optional_str(map, field)?.ok_or_else(|| format!("missing required field `{field}`"))
}

/// A required string field that must also contain something besides spaces.
pub(crate) fn required_non_empty_str(
    map: &Map<String, Value>,
    field: &str,
) -> Result<String, String> {
    let value = required_str(map, field)?;
    non_empty(field, value)
}

/// Refuses a blank value for `field`.
pub(crate) fn non_empty(field: &str, value: String) -> Result<String, String> {
    if value.trim().is_empty() {
        Err(format!("field `{field}` must not be empty"))
    } else {
        Ok(value)
    }
}

/// An optional string field; absent and `null` both give `None`.
pub(crate) fn optional_str(
    map: &Map<String, Value>,
    field: &str,
) -> Result<Option<String>, String> {
    match map.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(value)) => Ok(Some(value.clone())),
        Some(other) => Err(format!(
            "field `{field}` must be a string, got {}",
            kind(other)
        )),
    }
}

/// A required integer field. With `allow_numeric_string`, a string holding a
/// base-10 integer is accepted too, as Zato's own services accept it.
pub(crate) fn required_int(
    map: &Map<String, Value>,
    field: &str,
    allow_numeric_string: bool,
) -> Result<i64, String> {
    match map.get(field) {
        None | Some(Value::Null) => Err(format!("missing required field `{field}`")),
        Some(Value::Number(number)) => number
            .as_i64()
            .ok_or_else(|| format!("field `{field}` must be an integer, got {number}")),
        Some(Value::String(text)) if allow_numeric_string => text
            .trim()
            .parse::<i64>()
            .map_err(|_| format!("field `{field}` must be an integer, got the string {text:?}")),
        Some(other) => Err(format!(
            "field `{field}` must be an integer, got {}",
            kind(other)
        )),
    }
}

/// The JSON type name of a value, for error messages.
pub(crate) fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Splits `application/x-www-form-urlencoded` data into decoded pairs, in
/// order; a pair without `=` has an empty value and empty pairs are skipped.
pub(crate) fn decode_urlencoded(input: &str) -> Vec<(String, String)> {
    input
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(name), percent_decode(value))
        })
        .collect()
}

/// Groups pairs into a JSON object: a name seen once maps to its string, a
/// repeated name to the array of its values in order.
pub(crate) fn group_pairs(pairs: Vec<(String, String)>) -> Map<String, Value> {
    let mut map = Map::new();
    for (name, value) in pairs {
        insert_grouped(&mut map, name, Value::String(value));
    }
    map
}

/// Adds `value` under `name`, turning an existing entry into an array.
pub(crate) fn insert_grouped(map: &mut Map<String, Value>, name: String, value: Value) {
    match map.get_mut(&name) {
        None => {
            map.insert(name, value);
        }
        Some(Value::Array(values)) => values.push(value),
        Some(existing) => {
            let first = existing.take();
            *existing = Value::Array(vec![first, value]);
        }
    }
}

/// Decodes `%XX` escapes and `+` (a space in form encoding). Malformed escapes
/// are kept literally, and invalid UTF-8 is replaced rather than refused, so
/// that decoding never fails.
fn percent_decode(input: &str) -> String {
    let mut out = Vec::with_capacity(input.len());
    let mut bytes = input.bytes();
    while let Some(byte) = bytes.next() {
        match byte {
            b'+' => out.push(b' '),
            b'%' => {
                let mut lookahead = bytes.clone();
                match (
                    lookahead.next().and_then(hex_digit),
                    lookahead.next().and_then(hex_digit),
                ) {
                    (Some(high), Some(low)) => {
                        out.push((high << 4) | low);
                        bytes = lookahead;
                    }
                    _ => out.push(b'%'),
                }
            }
            other => out.push(other),
        }
    }
    match String::from_utf8(out) {
        Ok(text) => text,
        Err(err) => String::from_utf8_lossy(err.as_bytes()).into_owned(),
    }
}

/// The value of one hexadecimal digit.
fn hex_digit(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn urlencoded_pairs_are_decoded_in_order() {
        let pairs = decode_urlencoded("a=1&b=x+y&c=%41%2f%zz&&d&e=caf%C3%A9");
        let expected = [
            ("a", "1"),
            ("b", "x y"),
            ("c", "A/%zz"),
            ("d", ""),
            ("e", "café"),
        ];
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(pairs, expected);
        assert_eq!(decode_urlencoded("x=%"), vec![("x".into(), "%".into())]);
        assert_eq!(decode_urlencoded("x=%ff").len(), 1);
    }

    #[test]
    fn repeated_names_become_arrays() {
        let map = group_pairs(decode_urlencoded("a=1&b=2&a=3&a=4"));
        assert_eq!(Value::Object(map), json!({"a": ["1", "3", "4"], "b": "2"}));
    }

    #[test]
    fn field_helpers_name_the_problem() {
        let map = json_object(br#"{"n": 5, "s": "7", "f": 1.5, "z": null, "b": true}"#).unwrap();
        assert_eq!(required_int(&map, "n", false).unwrap(), 5);
        assert_eq!(required_int(&map, "s", true).unwrap(), 7);
        assert!(required_int(&map, "s", false).unwrap_err().contains("`s`"));
        assert!(
            required_int(&map, "f", false)
                .unwrap_err()
                .contains("integer")
        );
        assert!(
            required_int(&map, "z", false)
                .unwrap_err()
                .contains("missing")
        );
        assert!(required_str(&map, "b").unwrap_err().contains("a boolean"));
        assert_eq!(optional_str(&map, "z").unwrap(), None);
        assert!(json_object(b" ").unwrap_err().contains("empty"));
        assert!(json_object(b"[1]").unwrap_err().contains("an array"));
        assert!(json_object(b"{").unwrap_err().contains("not valid JSON"));
    }
}
