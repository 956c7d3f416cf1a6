//! JSON Pointer (RFC 6901) lookups that explain a miss: the longest prefix that exists and
//! what is there, so a typo in `/data/nmae` points at the keys of `/data`.

use jsonptr::Pointer;
use serde_json::Value;

use crate::error::{Error, ErrorKind};

/// Parses a pointer, accepting the empty string (the whole document).
pub fn parse_pointer(raw: &str) -> Result<&Pointer, Error> {
    Pointer::parse(raw).map_err(|e| {
        let why = if e.is_no_leading_slash() {
            "it must start with `/`"
        } else {
            "`~` must be followed by `0` (for `~`) or `1` (for `/`)"
        };
        Error::invalid(format!("`{raw}` is not a JSON Pointer: {why}"))
            .at_arg(0)
            .with_hint(
                "a JSON Pointer names a place in the document, e.g. `/data/name` or `/items/0/id`",
            )
    })
}

/// The value at `raw` in `doc`, or `PathNotFound` naming what does exist.
pub fn lookup<'v>(doc: &'v Value, raw: &str) -> Result<&'v Value, Error> {
    let pointer = parse_pointer(raw)?;
    let mut current = doc;
    let mut found = String::new();
    for token in pointer.tokens() {
        let key = token.decoded();
        let next = match current {
            Value::Object(map) => map.get(key.as_ref()),
            Value::Array(items) => parse_index(&key).and_then(|i| items.get(i)),
            _ => None,
        };
        match next {
            Some(value) => {
                current = value;
                found.push('/');
                found.push_str(token.encoded());
            }
            None => {
                return Err(Error::new(ErrorKind::PathNotFound {
                    pointer: raw.to_string(),
                    found: if found.is_empty() { "/".into() } else { found },
                    there: what_is_there(current),
                })
                .at_arg(0));
            }
        }
    }
    Ok(current)
}

/// Sets the value at `raw`; the parent must exist (as in Zato). `-` appends to an array.
pub fn set(doc: &mut Value, raw: &str, value: Value) -> Result<(), Error> {
    let pointer = parse_pointer(raw)?;
    let Some((parent_ptr, last)) = pointer.split_back() else {
        *doc = value;
        return Ok(());
    };
    let parent_text = parent_ptr.as_str().to_string();
    // Borrow-check friendly: resolve the parent first so a miss can be described.
    lookup(doc, &parent_text).map_err(|e| match *e.kind {
        ErrorKind::PathNotFound { found, there, .. } => Error::invalid(format!(
            "cannot set `{raw}` in the request: its parent `{parent_text}` does not exist (`{found}` {there})"
        ))
        .at_arg(0)
        .with_hint("set the request body first (`Given request is \"{...}\"`), including the parent object"),
        _ => e,
    })?;
    let Ok(parent) = parent_ptr.resolve_mut(doc) else {
        return Err(Error::invalid(format!("cannot set `{raw}` in the request")).at_arg(0));
    };
    let key = last.decoded();
    match parent {
        Value::Object(map) => {
            map.insert(key.into_owned(), value);
            Ok(())
        }
        Value::Array(items) => {
            if key == "-" {
                items.push(value);
                return Ok(());
            }
            match parse_index(&key) {
                Some(i) if i < items.len() => {
                    if let Some(slot) = items.get_mut(i) {
                        *slot = value;
                    }
                    Ok(())
                }
                Some(i) if i == items.len() => {
                    items.push(value);
                    Ok(())
                }
                _ => Err(Error::invalid(format!(
                    "cannot set `{raw}`: `{key}` is not an index of `{parent_text}`, which has {} items",
                    items.len()
                ))
                .at_arg(0)),
            }
        }
        other => Err(Error::invalid(format!(
            "cannot set `{raw}`: `{parent_text}` is {}, not an object or a list",
            crate::check::type_name(other)
        ))
        .at_arg(0)),
    }
}

fn parse_index(token: &str) -> Option<usize> {
    // RFC 6901: no leading zeros, no signs.
    if token.is_empty() || (token.len() > 1 && token.starts_with('0')) {
        return None;
    }
    if !token.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    token.parse().ok()
}

fn what_is_there(value: &Value) -> String {
    match value {
        Value::Object(map) if map.is_empty() => "is an empty object".into(),
        Value::Object(map) => {
            let keys: Vec<String> = map.keys().take(12).map(|k| format!("`{k}`")).collect();
            let more = if map.len() > 12 { ", …" } else { "" };
            format!("has keys {}{more}", keys.join(", "))
        }
        Value::Array(items) => format!("is a list of {} items", items.len()),
        other => format!("is {}", crate::check::describe(other)),
    }
}

/// One JSON Pointer token as written in a pointer: `~` as `~0`, `/` as `~1`.
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// A pointer token as the key it names: `~1` back to `/`, `~0` to `~` (in that order).
pub fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Appends `key` to `path` as one more pointer token.
pub fn push_token(path: &mut String, key: &str) {
    path.push('/');
    path.push_str(&escape(key));
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc() -> Value {
        json!({"meta": {"is_ok": true}, "data": {"name": "John", "a/b": 1, "m~n": 2}, "items": [10, 20]})
    }

    #[test]
    fn finds_values_including_escaped_keys_and_indexes() {
        let d = doc();
        assert_eq!(lookup(&d, "/meta/is_ok").unwrap(), &json!(true));
        assert_eq!(lookup(&d, "/data/a~1b").unwrap(), &json!(1));
        assert_eq!(lookup(&d, "/data/m~0n").unwrap(), &json!(2));
        assert_eq!(lookup(&d, "/items/1").unwrap(), &json!(20));
        assert_eq!(lookup(&d, "").unwrap(), &d);
    }

    #[test]
    fn a_miss_names_the_deepest_existing_prefix() {
        let err = lookup(&doc(), "/data/nmae").unwrap_err();
        assert_eq!(err.to_string(), "path `/data/nmae` is not in the response");
        match *err.kind {
            ErrorKind::PathNotFound { found, there, .. } => {
                assert_eq!(found, "/data");
                assert_eq!(there, "has keys `name`, `a/b`, `m~n`");
            }
            other => panic!("{other:?}"),
        }
        let err = lookup(&doc(), "/items/5").unwrap_err();
        assert!(
            matches!(*err.kind, ErrorKind::PathNotFound { ref there, .. } if there == "is a list of 2 items")
        );
        assert!(lookup(&doc(), "/items/01").is_err());
        assert!(lookup(&doc(), "/meta/is_ok/deeper").is_err());
    }

    #[test]
    fn a_bad_pointer_is_an_invalid_argument() {
        let err = lookup(&doc(), "data/name").unwrap_err();
        assert!(err.to_string().contains("is not a JSON Pointer"), "{err}");
    }

    #[test]
    fn set_needs_an_existing_parent() {
        let mut d = doc();
        set(&mut d, "/data/age", json!(40)).unwrap();
        set(&mut d, "/items/-", json!(30)).unwrap();
        set(&mut d, "/items/0", json!(1)).unwrap();
        assert_eq!(d["data"]["age"], json!(40));
        assert_eq!(d["items"], json!([1, 20, 30]));
        let err = set(&mut d, "/nope/x", json!(1)).unwrap_err();
        assert!(
            err.to_string()
                .contains("its parent `/nope` does not exist"),
            "{err}"
        );
        let err = set(&mut d, "/items/9", json!(1)).unwrap_err();
        assert!(err.to_string().contains("has 3 items"), "{err}");
    }
}
