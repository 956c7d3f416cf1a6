//! How values compare and how they are shown in messages.
//!
//! The equality rule: numbers compare by value (`7` equals `7.0`, as in Python, which Zato's
//! suites rely on); a string never equals a number (`"1"` is not `1`); and, unlike Python, a
//! boolean never equals a number (`1` is not `true`), because a check that passes on the wrong
//! type hides a broken API. Objects compare without regard to key order.

use serde_json::Value;

use crate::check::pointer::push_token;

/// Deep equality under the rule above.
pub fn values_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => numbers_equal(x, y),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| values_equal(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| values_equal(v, w)))
        }
        _ => a == b,
    }
}

fn numbers_equal(x: &serde_json::Number, y: &serde_json::Number) -> bool {
    if let (Some(p), Some(q)) = (x.as_i64(), y.as_i64()) {
        return p == q;
    }
    if let (Some(p), Some(q)) = (x.as_u64(), y.as_u64()) {
        return p == q;
    }
    match (x.as_f64(), y.as_f64()) {
        (Some(p), Some(q)) => p == q,
        _ => false,
    }
}

/// Python's equality between a boolean and a number (`True == 1`, `False == 0.0`), which
/// apitest's own rule refuses; used only to keep Zato suites' verdicts, with a warning.
pub fn python_equal(a: &Value, b: &Value) -> bool {
    let as_number = |v: &Value| match v {
        Value::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
        Value::Number(n) => n.as_f64(),
        _ => None,
    };
    let mixed = matches!(
        (a, b),
        (Value::Bool(_), Value::Number(_)) | (Value::Number(_), Value::Bool(_))
    );
    mixed && as_number(a).is_some() && as_number(a) == as_number(b)
}

/// `string`, `integer`, `float`, `boolean`, `null`, `list`, `object`.
pub fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_f64() => "float",
        Value::Number(_) => "integer",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "object",
    }
}

/// A value as JSON with its type, cut to a readable length: `"John" (string)`, `[1,2] (list)`.
pub fn describe(value: &Value) -> String {
    let text = value.to_string();
    let shown = cut(&text, 200);
    match value {
        Value::Null => "null".into(),
        Value::Array(items) => format!("{shown} (list of {})", items.len()),
        _ => format!("{shown} ({})", type_name(value)),
    }
}

pub(crate) fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max).collect();
    out.push('…');
    out
}

/// Every difference between two documents, one line each, with its JSON Pointer:
/// `/data/name: expected "John" (string), got "Jon" (string)`. Empty when they are equal.
pub fn diff(expected: &Value, actual: &Value) -> Vec<String> {
    let mut lines = Vec::new();
    walk(expected, actual, &mut String::new(), &mut lines);
    lines
}

const MAX_DIFF_LINES: usize = 30;

fn walk(expected: &Value, actual: &Value, path: &mut String, out: &mut Vec<String>) {
    if out.len() >= MAX_DIFF_LINES {
        return;
    }
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (key, ev) in e {
                let len = path.len();
                push_token(path, key);
                match a.get(key) {
                    Some(av) => walk(ev, av, path, out),
                    None => out.push(format!(
                        "{}: missing, expected {}",
                        shown(path),
                        describe(ev)
                    )),
                }
                path.truncate(len);
            }
            for (key, av) in a {
                if !e.contains_key(key) {
                    let len = path.len();
                    push_token(path, key);
                    out.push(format!(
                        "{}: unexpected key, got {}",
                        shown(path),
                        describe(av)
                    ));
                    path.truncate(len);
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                let len = path.len();
                path.push('/');
                path.push_str(&i.to_string());
                walk(ev, av, path, out);
                path.truncate(len);
            }
            if e.len() != a.len() {
                out.push(format!(
                    "{}: expected a list of {} items, got {}",
                    shown(path),
                    e.len(),
                    a.len()
                ));
            }
        }
        _ => {
            if !values_equal(expected, actual) {
                out.push(format!(
                    "{}: expected {}, got {}",
                    shown(path),
                    describe(expected),
                    describe(actual)
                ));
            }
        }
    }
}

fn shown(path: &str) -> &str {
    if path.is_empty() { "/" } else { path }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_compare_by_value_but_not_across_types() {
        assert!(values_equal(&json!(7), &json!(7.0)));
        assert!(values_equal(&json!(-3), &json!(-3)));
        assert!(!values_equal(&json!(1), &json!("1")));
        assert!(!values_equal(&json!(1), &json!(true)));
        assert!(!values_equal(&json!(0), &json!(false)));
        assert!(!values_equal(&json!(0.1), &json!(0.2)));
        assert!(values_equal(&json!(u64::MAX), &json!(u64::MAX)));
    }

    #[test]
    fn objects_ignore_key_order_and_nest() {
        assert!(values_equal(
            &json!({"a": 1, "b": [1, 2.0]}),
            &json!({"b": [1.0, 2], "a": 1})
        ));
        assert!(!values_equal(&json!({"a": 1}), &json!({"a": 1, "b": 2})));
    }

    #[test]
    fn describe_names_the_type() {
        assert_eq!(describe(&json!("John")), "\"John\" (string)");
        assert_eq!(describe(&json!(1.5)), "1.5 (float)");
        assert_eq!(describe(&json!(true)), "true (boolean)");
        assert_eq!(describe(&json!(null)), "null");
        assert_eq!(describe(&json!([1, 2])), "[1,2] (list of 2)");
    }

    #[test]
    fn diff_lists_every_difference_with_its_path() {
        let expected =
            json!({"meta": {"is_ok": true}, "data": {"name": "John", "tags": [1, 2]}, "gone": 1});
        let actual = json!({"meta": {"is_ok": false}, "data": {"name": "John", "tags": [1, 3, 4]}, "new": 2});
        assert_eq!(
            diff(&expected, &actual),
            vec![
                "/meta/is_ok: expected true (boolean), got false (boolean)",
                "/data/tags/1: expected 2 (integer), got 3 (integer)",
                "/data/tags: expected a list of 2 items, got 3",
                "/gone: missing, expected 1 (integer)",
                "/new: unexpected key, got 2 (integer)",
            ]
        );
        assert!(diff(&expected, &expected).is_empty());
    }
}
