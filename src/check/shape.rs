//! Shape matching: a quick contract without a schema file. The expected document is JSON in
//! which a string may be a marker instead of a literal:
//!
//! | marker | the actual value |
//! |---|---|
//! | `#string` `#number` `#integer` `#boolean` `#array` `#object` `#null` | has that type |
//! | `#notnull` | is anything but null |
//! | `#present` / `#notpresent` | the key exists (any value) / does not exist |
//! | `#ignore` | is not checked (the key may be missing) |
//! | `#uuid` | is a string that parses as a UUID |
//! | `#date` | is an RFC 3339 date-time string (`2026-11-21T12:00:00Z`) |
//! | `#regex <pattern>` | is a string matched whole by the regular expression |
//! | `#[] <marker>` | is a list whose every item matches the marker (or a literal) |
//! | `#[N]` or `#[N] <marker>` | is a list of N items (each matching the marker) |
//! | `##<marker>` | is missing, null, or matches the marker |
//!
//! Every other value must be equal (`check::compare`'s rule). Keys the expected object does not
//! name are allowed unless the match is exact. Every mismatch is listed, with its path.

use serde_json::Value;

use crate::check::pointer::push_token;
use crate::check::{describe, values_equal};

/// Every mismatch between `actual` and the shape `expected`, one line each; empty when it fits.
pub fn mismatches(expected: &Value, actual: &Value, exact: bool) -> Vec<String> {
    let mut out = Vec::new();
    walk(expected, Some(actual), exact, &mut String::new(), &mut out);
    out
}

/// Whether a string is a marker rather than a literal.
fn is_marker(text: &str) -> bool {
    text.starts_with('#')
}

fn walk(
    expected: &Value,
    actual: Option<&Value>,
    exact: bool,
    path: &mut String,
    out: &mut Vec<String>,
) {
    if out.len() >= 50 {
        return;
    }
    let here = if path.is_empty() {
        "/".to_string()
    } else {
        path.clone()
    };
    match expected {
        // `\#text` is the literal string `#text`.
        Value::String(escaped) if escaped.starts_with("\\#") => {
            let literal = Value::String(escaped.get(1..).unwrap_or("").to_string());
            match actual {
                Some(v) if values_equal(&literal, v) => {}
                Some(v) => out.push(format!(
                    "{here}: expected {}, got {}",
                    describe(&literal),
                    describe(v)
                )),
                None => out.push(format!("{here}: missing, expected {}", describe(&literal))),
            }
        }
        Value::String(marker) if is_marker(marker) => {
            if let Err(why) = check_marker(marker, actual, exact, path, out) {
                out.push(format!("{here}: {why}"));
            }
        }
        Value::Object(fields) => {
            let Some(actual) = actual else {
                out.push(format!("{here}: missing, expected an object"));
                return;
            };
            let Some(actual_fields) = actual.as_object() else {
                out.push(format!(
                    "{here}: expected an object, got {}",
                    describe(actual)
                ));
                return;
            };
            for (key, shape) in fields {
                let len = path.len();
                push_token(path, key);
                walk(shape, actual_fields.get(key), exact, path, out);
                path.truncate(len);
            }
            if exact {
                for key in actual_fields.keys().filter(|k| !fields.contains_key(*k)) {
                    let len = path.len();
                    push_token(path, key);
                    out.push(format!("{path}: unexpected key (the match is exact)"));
                    path.truncate(len);
                }
            }
        }
        Value::Array(items) => {
            let Some(actual) = actual else {
                out.push(format!("{here}: missing, expected a list"));
                return;
            };
            let Some(actual_items) = actual.as_array() else {
                out.push(format!("{here}: expected a list, got {}", describe(actual)));
                return;
            };
            if items.len() != actual_items.len() {
                out.push(format!(
                    "{here}: expected a list of {} items, got {}",
                    items.len(),
                    actual_items.len()
                ));
            }
            for (i, (shape, item)) in items.iter().zip(actual_items).enumerate() {
                let len = path.len();
                path.push('/');
                path.push_str(&i.to_string());
                walk(shape, Some(item), exact, path, out);
                path.truncate(len);
            }
        }
        literal => match actual {
            None => out.push(format!("{here}: missing, expected {}", describe(literal))),
            Some(actual) if !values_equal(literal, actual) => out.push(format!(
                "{here}: expected {}, got {}",
                describe(literal),
                describe(actual)
            )),
            Some(_) => {}
        },
    }
}

/// Checks one marker; an `Err` says what is wrong (the caller adds the path).
fn check_marker(
    marker: &str,
    actual: Option<&Value>,
    exact: bool,
    path: &mut String,
    out: &mut Vec<String>,
) -> Result<(), String> {
    // `##string`: optional (absent or null, else a string). Any number of extra `#`s means
    // the same, read in one step: a chain of thousands must not recurse thousands deep.
    let rest = marker.trim_start_matches('#');
    if marker.len() - rest.len() >= 2 {
        return match actual {
            None | Some(Value::Null) => Ok(()),
            Some(_) => check_marker(&format!("#{rest}"), actual, exact, path, out),
        };
    }
    match marker {
        "#ignore" => return Ok(()),
        "#notpresent" => {
            return match actual {
                None => Ok(()),
                Some(v) => Err(format!("expected no such key, got {}", describe(v))),
            };
        }
        "#present" => {
            return actual
                .map(|_| ())
                .ok_or_else(|| "missing, expected the key to be present".to_string());
        }
        _ => {}
    }
    let Some(value) = actual else {
        return Err(format!("missing, expected {}", what(marker)));
    };
    let fits = match marker {
        "#string" => value.is_string(),
        "#number" => value.is_number(),
        "#integer" => value.is_i64() || value.is_u64(),
        "#boolean" => value.is_boolean(),
        "#array" => value.is_array(),
        "#object" => value.is_object(),
        "#null" => value.is_null(),
        "#notnull" => !value.is_null(),
        "#uuid" => value
            .as_str()
            .is_some_and(|s| uuid::Uuid::try_parse(s).is_ok()),
        "#date" => value
            .as_str()
            .is_some_and(|s| chrono::DateTime::parse_from_rfc3339(s).is_ok()),
        _ => return check_complex_marker(marker, value, exact, path, out),
    };
    if fits {
        Ok(())
    } else {
        Err(format!(
            "expected {}, got {}",
            what(marker),
            describe(value)
        ))
    }
}

/// `#regex ...`, `#[] ...`, `#[N] ...`.
fn check_complex_marker(
    marker: &str,
    value: &Value,
    exact: bool,
    path: &mut String,
    out: &mut Vec<String>,
) -> Result<(), String> {
    if let Some(pattern) = marker.strip_prefix("#regex ") {
        let re = regex::Regex::new(&format!("^(?:{pattern})$"))
            .map_err(|e| format!("`{pattern}` is not a valid regular expression: {e}"))?;
        return match value.as_str() {
            Some(s) if re.is_match(s) => Ok(()),
            _ => Err(format!(
                "expected a string matching `{pattern}`, got {}",
                describe(value)
            )),
        };
    }
    if let Some(rest) = marker.strip_prefix("#[") {
        let Some((count, item)) = rest.split_once(']') else {
            return Err(format!(
                "`{marker}` is not a marker: `#[` needs a closing `]`"
            ));
        };
        let Some(items) = value.as_array() else {
            return Err(format!("expected a list, got {}", describe(value)));
        };
        if !count.trim().is_empty() {
            let n: usize = count
                .trim()
                .parse()
                .map_err(|_| format!("`{marker}`: `{count}` is not a number of items"))?;
            if items.len() != n {
                return Err(format!("expected a list of {n} items, got {}", items.len()));
            }
        }
        let item = item.trim();
        if !item.is_empty() {
            // The item shape is a marker or a JSON literal (`#[] {"id": "#number"}`).
            let shape = if is_marker(item) {
                Value::String(item.to_string())
            } else {
                serde_json::from_str(item)
                    .map_err(|e| format!("`{item}` is neither a marker nor JSON: {e}"))?
            };
            for (i, element) in items.iter().enumerate() {
                let len = path.len();
                path.push('/');
                path.push_str(&i.to_string());
                walk(&shape, Some(element), exact, path, out);
                path.truncate(len);
            }
        }
        return Ok(());
    }
    Err(format!(
        "`{marker}` is not a marker (known: #string #number #integer #boolean #array #object #null #notnull #present #notpresent #ignore #uuid #date #regex #[] ##...); write `\\{marker}` for the literal text"
    ))
}

/// The marker said in words, for messages.
fn what(marker: &str) -> &'static str {
    match marker {
        "#string" => "a string",
        "#number" => "a number",
        "#integer" => "an integer",
        "#boolean" => "a boolean",
        "#array" => "a list",
        "#object" => "an object",
        "#null" => "null",
        "#notnull" => "a value other than null",
        "#uuid" => "a UUID",
        "#date" => "an RFC 3339 date-time",
        _ => "a value of that shape",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fits(shape: Value, actual: Value) -> Vec<String> {
        mismatches(&shape, &actual, false)
    }

    #[test]
    fn every_type_marker() {
        let actual = json!({"s": "x", "n": 1.5, "i": 2, "b": true, "a": [1], "o": {}, "z": null});
        let shape = json!({"s": "#string", "n": "#number", "i": "#integer", "b": "#boolean", "a": "#array", "o": "#object", "z": "#null"});
        assert!(fits(shape, actual.clone()).is_empty());
        let wrong = json!({"s": "#number", "n": "#integer", "i": "#string", "b": "#null", "a": "#object", "o": "#array", "z": "#notnull"});
        assert_eq!(fits(wrong, actual).len(), 7);
    }

    #[test]
    fn a_long_chain_of_optional_markers_is_one_optional_marker() {
        let chain = format!("{}string", "#".repeat(20_000));
        assert!(fits(json!(chain), json!("x")).is_empty());
        assert!(fits(json!({"a": chain}), json!({})).is_empty());
        assert_eq!(
            fits(json!(chain), json!(1)),
            vec!["/: expected a string, got 1 (integer)".to_string()]
        );
    }

    #[test]
    fn presence_ignore_and_optional() {
        let actual = json!({"a": 1, "n": null});
        assert!(fits(json!({"a": "#present", "b": "#notpresent", "c": "#ignore", "n": "##string", "m": "##number"}), actual.clone()).is_empty());
        let out = fits(json!({"b": "#present", "a": "#notpresent"}), actual.clone());
        assert_eq!(
            out,
            vec![
                "/b: missing, expected the key to be present",
                "/a: expected no such key, got 1 (integer)"
            ]
        );
        assert_eq!(
            fits(json!({"a": "##string"}), actual),
            vec!["/a: expected a string, got 1 (integer)"]
        );
    }

    #[test]
    fn uuid_date_regex() {
        let actual = json!({"id": "3080a00b-b34f-4c7e-bcb3-e22f9cc41bd6", "at": "2026-11-21T12:00:00Z", "code": "HR-12"});
        assert!(
            fits(
                json!({"id": "#uuid", "at": "#date", "code": "#regex [A-Z]+-\\d+"}),
                actual.clone()
            )
            .is_empty()
        );
        let out = fits(
            json!({"id": "#date", "at": "#uuid", "code": "#regex \\d+"}),
            actual,
        );
        assert_eq!(out.len(), 3, "{out:?}");
        assert!(out[2].contains("matching `\\d+`"), "{out:?}");
    }

    #[test]
    fn list_markers() {
        let actual =
            json!({"ids": [1, 2, 3], "people": [{"id": 1, "name": "a"}, {"id": "2", "name": "b"}]});
        assert!(fits(json!({"ids": "#[3] #integer"}), actual.clone()).is_empty());
        assert!(fits(json!({"ids": "#[] #number"}), actual.clone()).is_empty());
        assert_eq!(
            fits(json!({"ids": "#[2]"}), actual.clone()),
            vec!["/ids: expected a list of 2 items, got 3"]
        );
        let out = fits(
            json!({"people": "#[] {\"id\": \"#integer\", \"name\": \"#string\"}"}),
            actual,
        );
        assert_eq!(
            out,
            vec!["/people/1/id: expected an integer, got \"2\" (string)"]
        );
    }

    #[test]
    fn literals_extra_keys_and_exactness() {
        let actual = json!({"meta": {"is_ok": true, "cid": "x"}, "extra": 1});
        assert!(fits(json!({"meta": {"is_ok": true}}), actual.clone()).is_empty());
        assert_eq!(
            fits(json!({"meta": {"is_ok": false}}), actual.clone()),
            vec!["/meta/is_ok: expected false (boolean), got true (boolean)"]
        );
        let out = mismatches(
            &json!({"meta": {"is_ok": true, "cid": "#string"}}),
            &actual,
            true,
        );
        assert_eq!(out, vec!["/extra: unexpected key (the match is exact)"]);
    }

    #[test]
    fn unknown_markers_say_so_and_escapes_are_literal() {
        let out = fits(json!({"a": "#strnig"}), json!({"a": "x"}));
        assert!(out[0].contains("`#strnig` is not a marker"), "{out:?}");
        assert!(out[0].contains("write `\\#strnig`"), "{out:?}");
        assert!(fits(json!({"tag": "\\#hr"}), json!({"tag": "#hr"})).is_empty());
        assert_eq!(fits(json!({"tag": "\\#hr"}), json!({"tag": "hr"})).len(), 1);
    }
}
