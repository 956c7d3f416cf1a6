//! `Predicate`: what must hold of a measured value. One table serves JSON paths, headers and
//! variables, so `is True`, `is one of`, `starts with` mean the same thing everywhere.

use serde_json::Value;

use crate::check::{describe, type_name, values_equal};
use crate::error::StepError;

/// A JSON type, for `is an integer`, `is any string` and the like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonType {
    Integer,
    Float,
    Number,
    String,
    Bool,
    List,
    Object,
}

impl JsonType {
    pub fn matches(self, value: &Value) -> bool {
        match self {
            JsonType::Integer => value.is_i64() || value.is_u64(),
            JsonType::Float => value.is_f64(),
            JsonType::Number => value.is_number(),
            JsonType::String => value.is_string(),
            JsonType::Bool => value.is_boolean(),
            JsonType::List => value.is_array(),
            JsonType::Object => value.is_object(),
        }
    }

    fn with_article(self) -> &'static str {
        match self {
            JsonType::Integer => "an integer",
            JsonType::Float => "a float",
            JsonType::Number => "a number",
            JsonType::String => "a string",
            JsonType::Bool => "a boolean",
            JsonType::List => "a list",
            JsonType::Object => "an object",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Predicate {
    Equals(Value),
    NotEquals(Value),
    Type(JsonType),
    /// The empty string (Zato: an empty list is not "empty").
    Empty,
    /// Present and not `""`, `null`, `[]` or `{}`.
    NotEmpty,
    EmptyList,
    EmptyObject,
    NotEmptyList,
    OneOf(Vec<Value>),
    NotOneOf(Vec<Value>),
    StartsWith(String),
    EndsWith(String),
    StartsWithAnyOf(Vec<String>),
    /// Some element of a list equals the value.
    HasElement(Value),
    /// Text contains the substring (headers).
    ContainsText(String),
    NotContainsText(String),
    NotStartsWith(String),
    NotEndsWith(String),
    /// A string that parses as a UUID of any version, with or without dashes.
    Uuid,
    /// A string that parses as a version-4 UUID.
    Uuid4,
}

impl Predicate {
    /// Checks `actual`; on failure the error reads `<subject> <what is wrong>`.
    pub fn verify(&self, subject: &str, actual: &Value) -> Result<(), StepError> {
        if self.holds(actual) {
            return Ok(());
        }
        Err(StepError::mismatch(
            format!("{subject} {}", self.failure_phrase(actual)),
            self.expected_text(),
            describe(actual),
        ))
    }

    pub fn holds(&self, actual: &Value) -> bool {
        match self {
            Predicate::Equals(v) => values_equal(actual, v),
            Predicate::NotEquals(v) => !values_equal(actual, v),
            Predicate::Type(t) => t.matches(actual),
            Predicate::Empty => actual.as_str() == Some(""),
            Predicate::NotEmpty => !is_blank(actual),
            Predicate::EmptyList => actual.as_array().is_some_and(Vec::is_empty),
            Predicate::EmptyObject => actual.as_object().is_some_and(|m| m.is_empty()),
            Predicate::NotEmptyList => actual.as_array().is_some_and(|a| !a.is_empty()),
            Predicate::OneOf(items) => items.iter().any(|i| values_equal(actual, i)),
            Predicate::NotOneOf(items) => !items.iter().any(|i| values_equal(actual, i)),
            Predicate::StartsWith(p) => actual.as_str().is_some_and(|s| s.starts_with(p.as_str())),
            Predicate::EndsWith(p) => actual.as_str().is_some_and(|s| s.ends_with(p.as_str())),
            Predicate::NotStartsWith(p) => {
                !actual.as_str().is_some_and(|s| s.starts_with(p.as_str()))
            }
            Predicate::NotEndsWith(p) => !actual.as_str().is_some_and(|s| s.ends_with(p.as_str())),
            Predicate::StartsWithAnyOf(ps) => actual
                .as_str()
                .is_some_and(|s| ps.iter().any(|p| s.starts_with(p.as_str()))),
            Predicate::HasElement(v) => actual
                .as_array()
                .is_some_and(|items| items.iter().any(|i| values_equal(i, v))),
            Predicate::ContainsText(p) => actual.as_str().is_some_and(|s| s.contains(p.as_str())),
            Predicate::Uuid => actual
                .as_str()
                .is_some_and(|s| uuid::Uuid::try_parse(s.trim()).is_ok()),
            Predicate::Uuid4 => actual.as_str().is_some_and(|s| {
                uuid::Uuid::try_parse(s.trim()).is_ok_and(|u| u.get_version_num() == 4)
            }),
            Predicate::NotContainsText(p) => {
                !actual.as_str().is_some_and(|s| s.contains(p.as_str()))
            }
        }
    }

    /// What the value should have been, for the `expected:` line.
    pub fn expected_text(&self) -> String {
        match self {
            Predicate::Equals(v) => describe(v),
            Predicate::NotEquals(v) => format!("anything but {}", describe(v)),
            Predicate::Type(t) => t.with_article().to_string(),
            Predicate::Empty => "\"\" (the empty string)".into(),
            Predicate::NotEmpty => "a value other than \"\", null, [] or {}".into(),
            Predicate::EmptyList => "[] (an empty list)".into(),
            Predicate::EmptyObject => "{} (an empty object)".into(),
            Predicate::NotEmptyList => "a list with at least one item".into(),
            Predicate::OneOf(items) => format!("one of {}", list(items)),
            Predicate::NotOneOf(items) => format!("none of {}", list(items)),
            Predicate::StartsWith(p) => format!("a string starting with {p:?}"),
            Predicate::EndsWith(p) => format!("a string ending with {p:?}"),
            Predicate::NotStartsWith(p) => format!("a value not starting with {p:?}"),
            Predicate::NotEndsWith(p) => format!("a value not ending with {p:?}"),
            Predicate::StartsWithAnyOf(ps) => format!("a string starting with one of {ps:?}"),
            Predicate::HasElement(v) => format!("a list containing {}", describe(v)),
            Predicate::ContainsText(p) => format!("text containing {p:?}"),
            Predicate::NotContainsText(p) => format!("text not containing {p:?}"),
            Predicate::Uuid => "a UUID".into(),
            Predicate::Uuid4 => "a version-4 UUID".into(),
        }
    }

    /// What is wrong, said of the subject: `is not True`, `is empty`, `does not start with "x"`.
    /// It must be true on its face, so a check that needs a list or a string says so when the
    /// value is of another type ("is a string, not a list") instead of "does not contain".
    pub fn failure_phrase(&self, actual: &Value) -> String {
        let wrong_type = |wanted: &str| format!("is {}, not {wanted}", with_article(actual));
        match self {
            Predicate::HasElement(_) | Predicate::EmptyList | Predicate::NotEmptyList
                if !actual.is_array() =>
            {
                return wrong_type("a list");
            }
            Predicate::EmptyObject if !actual.is_object() => return wrong_type("an object"),
            Predicate::StartsWith(_)
            | Predicate::EndsWith(_)
            | Predicate::StartsWithAnyOf(_)
            | Predicate::ContainsText(_)
                if !actual.is_string() =>
            {
                return wrong_type("a string");
            }
            Predicate::Empty if !actual.is_string() => return wrong_type("a string"),
            _ => {}
        }
        match self {
            Predicate::Equals(v) => match v {
                Value::Bool(true) => "is not True".into(),
                Value::Bool(false) => "is not False".into(),
                Value::Null => "is not null".into(),
                other => format!("is not {other}"),
            },
            Predicate::NotEquals(v) => format!("is {v}"),
            Predicate::Type(t) => format!("is not {}", t.with_article()),
            Predicate::Empty => "is not the empty string".into(),
            Predicate::NotEmpty => "is empty".into(),
            Predicate::EmptyList => "is not an empty list".into(),
            Predicate::EmptyObject => "is not an empty object".into(),
            Predicate::NotEmptyList => "is an empty list".into(),
            Predicate::OneOf(items) => format!("is not one of {}", list(items)),
            Predicate::NotOneOf(items) => format!("is one of {}", list(items)),
            Predicate::StartsWith(p) => format!("does not start with {p:?}"),
            Predicate::EndsWith(p) => format!("does not end with {p:?}"),
            Predicate::NotStartsWith(p) => format!("starts with {p:?}"),
            Predicate::NotEndsWith(p) => format!("ends with {p:?}"),
            Predicate::StartsWithAnyOf(ps) => format!("does not start with any of {ps:?}"),
            Predicate::HasElement(v) => format!("does not contain {v}"),
            Predicate::ContainsText(p) => format!("does not contain {p:?}"),
            Predicate::NotContainsText(p) => format!("contains {p:?}"),
            Predicate::Uuid => "is not a UUID".into(),
            Predicate::Uuid4 => "is not a version-4 UUID".into(),
        }
    }
}

/// `a string`, `an integer`, `null`: a value's type as said in a sentence.
fn with_article(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_f64() => "a float",
        Value::Number(_) => "an integer",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn is_blank(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

fn list(items: &[Value]) -> String {
    let shown: Vec<String> = items.iter().map(Value::to_string).collect();
    format!("[{}]", shown.join(", "))
}

/// Splits Zato's CSV lists: `"a, b ,c"` is `["a", "b", "c"]` (strings, trimmed).
pub fn csv(text: &str) -> Vec<String> {
    if text.trim().is_empty() {
        return Vec::new();
    }
    text.split(',').map(|s| s.trim().to_string()).collect()
}

/// A short name of a value's type, re-exported for messages elsewhere.
pub fn kind(value: &Value) -> &'static str {
    type_name(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn equality_and_types() {
        assert!(Predicate::Equals(json!("John")).holds(&json!("John")));
        assert!(!Predicate::Equals(json!("1")).holds(&json!(1)));
        assert!(Predicate::Type(JsonType::Integer).holds(&json!(3)));
        assert!(!Predicate::Type(JsonType::Integer).holds(&json!(3.0)));
        assert!(!Predicate::Type(JsonType::Integer).holds(&json!(true)));
        assert!(Predicate::Type(JsonType::Float).holds(&json!(2.5)));
        assert!(!Predicate::Type(JsonType::Float).holds(&json!(2)));
    }

    #[test]
    fn emptiness() {
        assert!(Predicate::Empty.holds(&json!("")));
        assert!(!Predicate::Empty.holds(&json!([])));
        for blank in [json!(""), json!(null), json!([]), json!({})] {
            assert!(!Predicate::NotEmpty.holds(&blank), "{blank}");
        }
        assert!(Predicate::NotEmpty.holds(&json!("x")));
        assert!(Predicate::NotEmpty.holds(&json!(0)));
        assert!(Predicate::NotEmpty.holds(&json!(false)));
    }

    #[test]
    fn lists_and_strings() {
        let one_of = Predicate::OneOf(vec![json!("a"), json!("b")]);
        assert!(one_of.holds(&json!("b")));
        assert!(!one_of.holds(&json!("c")));
        assert!(Predicate::HasElement(json!(340)).holds(&json!([1, 340])));
        assert!(Predicate::StartsWith("ab".into()).holds(&json!("abc")));
        assert!(!Predicate::StartsWith("ab".into()).holds(&json!(12)));
        assert_eq!(csv("a, b ,c"), vec!["a", "b", "c"]);
        assert_eq!(csv("1,2"), vec!["1", "2"]);
        assert!(csv("  ").is_empty());
    }

    #[test]
    fn failures_read_as_sentences() {
        let err = Predicate::Equals(json!(true))
            .verify("path `/meta/is_ok`", &json!(false))
            .unwrap_err();
        assert_eq!(err.to_string(), "path `/meta/is_ok` is not True");
        assert_eq!(
            err.details(),
            vec![
                ("expected", "true (boolean)".to_string()),
                ("actual", "false (boolean)".to_string())
            ]
        );
        let err = Predicate::NotEmpty
            .verify("path `/meta/cid`", &json!(""))
            .unwrap_err();
        assert_eq!(err.to_string(), "path `/meta/cid` is empty");
        let err = Predicate::Equals(json!("John Doe"))
            .verify("path `/data/name`", &json!("Jane"))
            .unwrap_err();
        assert_eq!(err.to_string(), "path `/data/name` is not \"John Doe\"");
    }
}
