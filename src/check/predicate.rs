//! `Predicate`: what must hold of a measured value. One table serves JSON paths, headers and
//! variables, so `is True`, `is one of`, `starts with` mean the same thing everywhere.

use serde_json::Value;

use crate::check::{describe, type_name, values_equal};
use crate::error::Error;

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

/// The test a predicate applies; `Predicate::negated` turns it around.
#[derive(Debug, Clone)]
pub enum Test {
    Equals(Value),
    Type(JsonType),
    /// The empty string (Zato: an empty list is not "empty").
    EmptyString,
    /// Absent in substance: `""`, `null`, `[]` or `{}` (negated, this is `is not empty`).
    Blank,
    EmptyList,
    EmptyObject,
    /// A list with at least one item (not the negation of `EmptyList`: both need a list).
    NonEmptyList,
    OneOf(Vec<Value>),
    StartsWith(String),
    EndsWith(String),
    StartsWithAnyOf(Vec<String>),
    /// Some element of a list equals the value.
    HasElement(Value),
    /// Text contains the substring (headers).
    ContainsText(String),
    /// A string that parses as a UUID of any version, with or without dashes.
    Uuid,
    /// A string that parses as a version-4 UUID.
    Uuid4,
    /// A string in which the regular expression finds a match (anywhere, as `grep` does).
    Matches(regex::Regex),
}

/// What must hold of a measured value: a test, possibly negated.
#[derive(Debug, Clone)]
pub struct Predicate {
    pub test: Test,
    pub negated: bool,
}

impl From<Test> for Predicate {
    fn from(test: Test) -> Self {
        Predicate {
            test,
            negated: false,
        }
    }
}

impl Predicate {
    pub fn not(test: Test) -> Self {
        Predicate {
            test,
            negated: true,
        }
    }

    /// Checks `actual`; on failure the error reads `<subject> <what is wrong>`.
    pub fn verify(&self, subject: &str, actual: &Value) -> Result<(), Error> {
        if self.holds(actual) {
            return Ok(());
        }
        Err(Error::mismatch(
            format!("{subject} {}", self.failure_phrase(actual)),
            self.expected_text(),
            describe(actual),
        ))
    }

    pub fn holds(&self, actual: &Value) -> bool {
        self.test.holds(actual) != self.negated
    }

    /// What the value should have been, for the `expected:` line.
    pub fn expected_text(&self) -> String {
        let negated = self.negated;
        match &self.test {
            Test::Equals(v) if negated => format!("anything but {}", describe(v)),
            Test::Equals(v) => describe(v),
            Test::Type(t) if negated => format!("anything but {}", t.with_article()),
            Test::Type(t) => t.with_article().to_string(),
            Test::EmptyString if negated => "anything but \"\" (the empty string)".into(),
            Test::EmptyString => "\"\" (the empty string)".into(),
            Test::Blank if negated => "a value other than \"\", null, [] or {}".into(),
            Test::Blank => "\"\", null, [] or {}".into(),
            Test::EmptyList if negated => "anything but [] (an empty list)".into(),
            Test::EmptyList => "[] (an empty list)".into(),
            Test::EmptyObject if negated => "anything but {} (an empty object)".into(),
            Test::EmptyObject => "{} (an empty object)".into(),
            Test::NonEmptyList if negated => "anything but a list with items".into(),
            Test::NonEmptyList => "a list with at least one item".into(),
            Test::OneOf(items) if negated => format!("none of {}", list(items)),
            Test::OneOf(items) => format!("one of {}", list(items)),
            Test::StartsWith(p) if negated => format!("a value not starting with {p:?}"),
            Test::StartsWith(p) => format!("a string starting with {p:?}"),
            Test::EndsWith(p) if negated => format!("a value not ending with {p:?}"),
            Test::EndsWith(p) => format!("a string ending with {p:?}"),
            Test::StartsWithAnyOf(ps) if negated => format!("a value starting with none of {ps:?}"),
            Test::StartsWithAnyOf(ps) => format!("a string starting with one of {ps:?}"),
            Test::HasElement(v) if negated => format!("a value not containing {}", describe(v)),
            Test::HasElement(v) => format!("a list containing {}", describe(v)),
            Test::ContainsText(p) if negated => format!("text not containing {p:?}"),
            Test::ContainsText(p) => format!("text containing {p:?}"),
            Test::Uuid if negated => "anything but a UUID".into(),
            Test::Uuid => "a UUID".into(),
            Test::Uuid4 if negated => "anything but a version-4 UUID".into(),
            Test::Uuid4 => "a version-4 UUID".into(),
            Test::Matches(re) if negated => {
                format!("a value not matching the regex `{}`", re.as_str())
            }
            Test::Matches(re) => format!("a string matching the regex `{}`", re.as_str()),
        }
    }

    /// What is wrong, said of the subject: `is not True`, `is empty`, `does not start with "x"`.
    /// It must be true on its face, so a check that needs a list or a string says so when the
    /// value is of another type ("is a string, not a list") instead of "does not contain".
    pub fn failure_phrase(&self, actual: &Value) -> String {
        let wrong_type = |wanted: &str| format!("is {}, not {wanted}", with_article(actual));
        if !self.negated {
            match &self.test {
                Test::HasElement(_) | Test::EmptyList | Test::NonEmptyList
                    if !actual.is_array() =>
                {
                    return wrong_type("a list");
                }
                Test::EmptyObject if !actual.is_object() => return wrong_type("an object"),
                Test::StartsWith(_)
                | Test::EndsWith(_)
                | Test::StartsWithAnyOf(_)
                | Test::ContainsText(_)
                | Test::EmptyString
                | Test::Matches(_)
                    if !actual.is_string() =>
                {
                    return wrong_type("a string");
                }
                _ => {}
            }
        }
        if self.negated {
            return match &self.test {
                Test::Equals(v) => format!("is {v}"),
                Test::Type(t) => format!("is {}", t.with_article()),
                Test::EmptyString => "is the empty string".into(),
                Test::Blank => "is empty".into(),
                Test::EmptyList => "is an empty list".into(),
                Test::EmptyObject => "is an empty object".into(),
                Test::NonEmptyList => "is a list with items".into(),
                Test::OneOf(items) => format!("is one of {}", list(items)),
                Test::StartsWith(p) => format!("starts with {p:?}"),
                Test::EndsWith(p) => format!("ends with {p:?}"),
                Test::StartsWithAnyOf(ps) => format!("starts with one of {ps:?}"),
                Test::HasElement(v) => format!("contains {v}"),
                Test::ContainsText(p) => format!("contains {p:?}"),
                Test::Uuid => "is a UUID".into(),
                Test::Uuid4 => "is a version-4 UUID".into(),
                Test::Matches(re) => format!("matches the regex `{}`", re.as_str()),
            };
        }
        match &self.test {
            Test::Equals(v) => match v {
                Value::Bool(true) => "is not True".into(),
                Value::Bool(false) => "is not False".into(),
                Value::Null => "is not null".into(),
                other => format!("is not {other}"),
            },
            Test::Type(t) => format!("is not {}", t.with_article()),
            Test::EmptyString => "is not the empty string".into(),
            Test::Blank => "is not empty".into(),
            Test::EmptyList => "is not an empty list".into(),
            Test::EmptyObject => "is not an empty object".into(),
            Test::NonEmptyList => "is an empty list".into(),
            Test::OneOf(items) => format!("is not one of {}", list(items)),
            Test::StartsWith(p) => format!("does not start with {p:?}"),
            Test::EndsWith(p) => format!("does not end with {p:?}"),
            Test::StartsWithAnyOf(ps) => format!("does not start with any of {ps:?}"),
            Test::HasElement(v) => format!("does not contain {v}"),
            Test::ContainsText(p) => format!("does not contain {p:?}"),
            Test::Uuid => "is not a UUID".into(),
            Test::Uuid4 => "is not a version-4 UUID".into(),
            Test::Matches(re) => format!("does not match the regex `{}`", re.as_str()),
        }
    }
}

impl Test {
    /// Whether the test holds of `actual`, before any negation.
    pub fn holds(&self, actual: &Value) -> bool {
        let text = actual.as_str();
        match self {
            Test::Equals(v) => values_equal(actual, v),
            Test::Type(t) => t.matches(actual),
            Test::EmptyString => text == Some(""),
            Test::Blank => is_blank(actual),
            Test::EmptyList => actual.as_array().is_some_and(Vec::is_empty),
            Test::EmptyObject => actual.as_object().is_some_and(|m| m.is_empty()),
            Test::NonEmptyList => actual.as_array().is_some_and(|a| !a.is_empty()),
            Test::OneOf(items) => items.iter().any(|i| values_equal(actual, i)),
            Test::StartsWith(p) => text.is_some_and(|s| s.starts_with(p.as_str())),
            Test::EndsWith(p) => text.is_some_and(|s| s.ends_with(p.as_str())),
            Test::StartsWithAnyOf(ps) => {
                text.is_some_and(|s| ps.iter().any(|p| s.starts_with(p.as_str())))
            }
            Test::HasElement(v) => actual
                .as_array()
                .is_some_and(|items| items.iter().any(|i| values_equal(i, v))),
            Test::ContainsText(p) => text.is_some_and(|s| s.contains(p.as_str())),
            Test::Uuid => text.is_some_and(|s| uuid::Uuid::try_parse(s.trim()).is_ok()),
            Test::Uuid4 => text.is_some_and(|s| {
                uuid::Uuid::try_parse(s.trim()).is_ok_and(|u| u.get_version_num() == 4)
            }),
            Test::Matches(re) => text.is_some_and(|s| re.is_match(s)),
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
        assert!(Predicate::from(Test::Equals(json!("John"))).holds(&json!("John")));
        assert!(!Predicate::from(Test::Equals(json!("1"))).holds(&json!(1)));
        assert!(Predicate::from(Test::Type(JsonType::Integer)).holds(&json!(3)));
        assert!(!Predicate::from(Test::Type(JsonType::Integer)).holds(&json!(3.0)));
        assert!(!Predicate::from(Test::Type(JsonType::Integer)).holds(&json!(true)));
        assert!(Predicate::from(Test::Type(JsonType::Float)).holds(&json!(2.5)));
        assert!(!Predicate::from(Test::Type(JsonType::Float)).holds(&json!(2)));
    }

    #[test]
    fn emptiness() {
        assert!(Predicate::from(Test::EmptyString).holds(&json!("")));
        assert!(!Predicate::from(Test::EmptyString).holds(&json!([])));
        for blank in [json!(""), json!(null), json!([]), json!({})] {
            assert!(!Predicate::not(Test::Blank).holds(&blank), "{blank}");
        }
        assert!(Predicate::not(Test::Blank).holds(&json!("x")));
        assert!(Predicate::not(Test::Blank).holds(&json!(0)));
        assert!(Predicate::not(Test::Blank).holds(&json!(false)));
    }

    #[test]
    fn lists_and_strings() {
        let one_of = Test::OneOf(vec![json!("a"), json!("b")]);
        assert!(one_of.holds(&json!("b")));
        assert!(!one_of.holds(&json!("c")));
        assert!(Predicate::from(Test::HasElement(json!(340))).holds(&json!([1, 340])));
        assert!(Predicate::from(Test::StartsWith("ab".into())).holds(&json!("abc")));
        assert!(!Predicate::from(Test::StartsWith("ab".into())).holds(&json!(12)));
        assert_eq!(csv("a, b ,c"), vec!["a", "b", "c"]);
        assert_eq!(csv("1,2"), vec!["1", "2"]);
        assert!(csv("  ").is_empty());
    }

    #[test]
    fn regexes_search_strings_only_and_negate() {
        let digits = Test::Matches(regex::Regex::new(r"^\d+$").unwrap());
        assert!(Predicate::from(digits.clone()).holds(&json!("123")));
        assert!(!Predicate::from(digits.clone()).holds(&json!(123)));
        assert!(Predicate::not(digits.clone()).holds(&json!("12a")));
        let err = Predicate::from(digits.clone())
            .verify("header `X-Id`", &json!(7))
            .unwrap_err();
        assert_eq!(err.to_string(), "header `X-Id` is an integer, not a string");
        let err = Predicate::not(digits)
            .verify("header `X-Id`", &json!("42"))
            .unwrap_err();
        assert_eq!(err.to_string(), "header `X-Id` matches the regex `^\\d+$`");
    }

    #[test]
    fn failures_read_as_sentences() {
        let err = Predicate::from(Test::Equals(json!(true)))
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
        let err = Predicate::not(Test::Blank)
            .verify("path `/meta/cid`", &json!(""))
            .unwrap_err();
        assert_eq!(err.to_string(), "path `/meta/cid` is empty");
        let err = Predicate::from(Test::Equals(json!("John Doe")))
            .verify("path `/data/name`", &json!("Jane"))
            .unwrap_err();
        assert_eq!(err.to_string(), "path `/data/name` is not \"John Doe\"");
    }
}
