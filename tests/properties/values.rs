//! Properties of step argument values: reference resolution (`#name`, `${NAME}`, `\#`), Zato's
//! comma-separated lists and Python literals. Each reads any text without a panic and gives
//! back exactly what a generated input was built from.

use std::collections::HashMap;

use apitest::check::{literal, predicate};
use apitest::value::{self, Lookup};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Map, Value, json};

// ---------------------------------------------------------------------------------------------
// References
// ---------------------------------------------------------------------------------------------

/// Variables, config keys and environment variables held in maps.
struct Scope {
    vars: HashMap<String, Value>,
    config: HashMap<String, Value>,
    env: HashMap<String, String>,
}

impl Lookup for Scope {
    fn variable(&self, name: &str) -> Option<&Value> {
        self.vars.get(name)
    }
    fn config(&self, key: &str) -> Option<&Value> {
        self.config.get(key)
    }
    fn env(&self, name: &str) -> Option<String> {
        self.env.get(name).cloned()
    }
}

fn scope() -> Scope {
    Scope {
        vars: HashMap::from([
            ("id".into(), json!(123)),
            ("name".into(), json!("John")),
            ("list".into(), json!(["a", "b"])),
            ("token".into(), json!("s3cr3t")),
            ("a.b-c_d".into(), json!(null)),
            ("é".into(), json!(true)),
            ("nested".into(), json!({"k": [1.5, "#{id}"]})),
        ]),
        config: HashMap::from([
            ("address".into(), json!("http://127.0.0.1:1")),
            ("password".into(), json!("p@ss")),
        ]),
        env: HashMap::from([
            ("HOME_DIR".into(), "/home/x".into()),
            ("API_KEY".into(), "k-${id}".into()),
        ]),
    }
}

/// Names the scope defines, with their sigil.
const KNOWN: &[(char, &str)] = &[
    ('#', "id"),
    ('#', "name"),
    ('#', "list"),
    ('#', "token"),
    ('#', "a.b-c_d"),
    ('#', "é"),
    ('#', "nested"),
    ('@', "address"),
    ('@', "password"),
    ('$', "HOME_DIR"),
    ('$', "API_KEY"),
];

fn known_value(scope: &Scope, sigil: char, name: &str) -> Value {
    match sigil {
        '#' => scope.vars[name].clone(),
        '@' => scope.config[name].clone(),
        _ => Value::String(scope.env[name].clone()),
    }
}

/// Text that is mostly sigils, braces, backslashes and name characters.
fn sigil_soup() -> impl Strategy<Value = String> {
    "[#$@{}\\\\a-z_.é -]{0,30}"
}

/// A piece of an argument: literal text without sigils, or an embedded reference.
#[derive(Debug, Clone)]
enum Piece {
    Text(String),
    Reference(char, &'static str),
}

fn piece() -> impl Strategy<Value = Piece> {
    prop_oneof![
        "[^#$@]{0,8}".prop_map(Piece::Text),
        select(KNOWN).prop_map(|(sigil, name)| Piece::Reference(sigil, name)),
    ]
}

proptest! {
    #![proptest_config(crate::config())]

    #[test]
    fn resolve_never_panics(raw in prop_oneof![any::<String>(), sigil_soup()]) {
        // Only a reference can be undefined or secret.
        let has_sigil = raw.contains(['#', '$', '@']);
        match value::resolve(&raw, &scope()) {
            Ok(resolved) => prop_assert!(!resolved.secret || has_sigil, "{:?}", raw),
            Err(error) => prop_assert!(has_sigil, "{:?}: {:?}", raw, error),
        }
    }

    #[test]
    fn text_without_sigils_backslashes_or_braces_is_itself(raw in "[^#$@\\\\{]*") {
        let resolved = value::resolve(&raw, &scope()).unwrap();
        prop_assert_eq!(resolved.value, Value::String(raw));
        prop_assert!(!resolved.secret);
    }

    #[test]
    fn text_without_sigils_is_itself(raw in prop_oneof!["[^#$@]*", "[^#$@]*\\{[^#$@]*"]) {
        let resolved = value::resolve(&raw, &scope()).unwrap();
        prop_assert_eq!(resolved.value, Value::String(raw));
        prop_assert!(!resolved.secret);
    }

    #[test]
    fn a_backslash_before_a_leading_sigil_makes_it_literal(
        sigil in select(&['#', '$', '@'][..]),
        rest in any::<String>(),
    ) {
        let raw = format!("\\{sigil}{rest}");
        let resolved = value::resolve(&raw, &scope()).unwrap();
        prop_assert_eq!(resolved.value, Value::String(format!("{sigil}{rest}")));
    }

    #[test]
    fn a_whole_reference_keeps_its_value_and_type(reference in select(KNOWN)) {
        let (sigil, name) = reference;
        let scope = scope();
        let resolved = value::resolve(&format!("{sigil}{name}"), &scope).unwrap();
        prop_assert_eq!(resolved.value, known_value(&scope, sigil, name));
        prop_assert_eq!(resolved.secret, value::is_secret_name(name));
    }

    #[test]
    fn embedded_references_are_replaced_by_their_text(pieces in vec(piece(), 0..6)) {
        let scope = scope();
        let mut raw = String::new();
        let mut expected = String::new();
        let mut secret = false;
        let mut references = 0;
        for piece in &pieces {
            match piece {
                Piece::Text(text) => {
                    raw.push_str(text);
                    expected.push_str(text);
                }
                Piece::Reference(sigil, name) => {
                    raw.push_str(&format!("{sigil}{{{name}}}"));
                    expected.push_str(&value::to_text(&known_value(&scope, *sigil, name)));
                    secret |= value::is_secret_name(name);
                    references += 1;
                }
            }
        }
        // A leading `\` before a sigil is the documented escape, not an embedded reference.
        prop_assume!(!(raw.starts_with('\\') && raw[1..].starts_with(['#', '$', '@'])));
        let resolved = value::resolve(&raw, &scope).unwrap();
        prop_assert_eq!(resolved.value, Value::String(expected), "{:?}", raw);
        prop_assert_eq!(resolved.secret, secret && references > 0);
    }

    #[test]
    fn an_unknown_embedded_reference_is_an_error(
        before in "[^#$@]{0,8}",
        sigil in select(&['#', '$', '@'][..]),
        name in "[a-z][a-z0-9_]{0,6}_unknown",
        after in "[^#$@]{0,8}",
    ) {
        let raw = format!("{before}{sigil}{{{name}}}{after}");
        prop_assume!(!raw.starts_with('\\'));
        prop_assert!(value::resolve(&raw, &scope()).is_err(), "{:?}", raw);
    }
}

// ---------------------------------------------------------------------------------------------
// Comma-separated lists
// ---------------------------------------------------------------------------------------------

/// A list item as `csv` gives it back: no comma, no surrounding white space, not empty.
fn csv_item() -> impl Strategy<Value = String> {
    "[^,\\s]([^,]{0,10}[^,\\s])?"
}

proptest! {
    #![proptest_config(crate::config())]

    #[test]
    fn csv_never_panics_and_trims_every_item(text in prop_oneof![any::<String>(), "[a ,\t\n\u{a0}\u{3000}]{0,20}"]) {
        let items = predicate::csv(&text);
        for item in &items {
            prop_assert_eq!(item.as_str(), item.trim(), "{:?} from {:?}", item, text);
        }
        let expected = if text.trim().is_empty() { 0 } else { text.matches(',').count() + 1 };
        prop_assert_eq!(items.len(), expected, "{:?} -> {:?}", text, items);
    }

    #[test]
    fn csv_splits_what_join_wrote(
        items in vec(csv_item(), 0..8),
        separator in select(&[",", ", ", " , ", ",\t", "  ,  "][..]),
    ) {
        let text = items.join(separator);
        prop_assert_eq!(predicate::csv(&text), items);
    }
}

// ---------------------------------------------------------------------------------------------
// Python literals
// ---------------------------------------------------------------------------------------------

/// A value with its Python spelling.
fn python_value() -> impl Strategy<Value = (Value, String)> {
    let space = || select(&["", " ", "  ", "\t", "\n"][..]);
    let leaf = prop_oneof![
        Just((Value::Null, "None".to_string())),
        any::<bool>().prop_map(|b| (Value::Bool(b), if b { "True" } else { "False" }.to_string())),
        any::<i64>().prop_map(|i| (json!(i), i.to_string())),
        (i64::MAX as u64 + 1..=u64::MAX).prop_map(|u| (json!(u), u.to_string())),
        // `{:?}` always writes a fraction or an exponent, as Python's `repr` does.
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| (json!(f), format!("{f:?}"))),
        (-1000i32..1000, "[0-9]{1,6}").prop_map(|(i, digits)| {
            let text = format!("{i}.{digits}");
            (json!(text.parse::<f64>().unwrap()), text)
        }),
        "[^'\"\\\\]{0,12}".prop_map(|s| (Value::String(s.clone()), format!("'{s}'"))),
    ];
    leaf.prop_recursive(4, 32, 5, move |inner| {
        prop_oneof![
            (vec((inner.clone(), space()), 0..5), space(), any::<bool>()).prop_map(
                |(items, inside, trailing)| {
                    let values: Vec<Value> = items.iter().map(|((v, _), _)| v.clone()).collect();
                    let texts: Vec<String> = items
                        .iter()
                        .map(|((_, t), s)| format!("{s}{t}{s}"))
                        .collect();
                    let comma = if trailing && !texts.is_empty() {
                        ","
                    } else {
                        ""
                    };
                    (
                        Value::Array(values),
                        format!("[{inside}{}{comma}]", texts.join(",")),
                    )
                }
            ),
            (
                vec(("[^'\"\\\\]{0,6}", inner, space()), 0..5),
                space(),
                any::<bool>()
            )
                .prop_map(|(entries, inside, trailing)| {
                    let mut map = Map::new();
                    let mut texts = Vec::new();
                    for (key, (value, text), s) in entries {
                        texts.push(format!("{s}'{key}'{s}:{s}{text}{s}"));
                        map.insert(key, value);
                    }
                    let comma = if trailing && !texts.is_empty() {
                        ","
                    } else {
                        ""
                    };
                    (
                        Value::Object(map),
                        format!("{{{inside}{}{comma}}}", texts.join(",")),
                    )
                }),
        ]
    })
}

/// A value written as a Python literal.
fn python(value: &Value) -> String {
    match value {
        Value::Null => "None".to_string(),
        Value::Bool(true) => "True".to_string(),
        Value::Bool(false) => "False".to_string(),
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() => format!("{f:?}"),
            _ => n.to_string(),
        },
        Value::String(s) => format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'")),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(python).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(map) => format!(
            "{{{}}}",
            map.iter()
                .map(|(k, v)| format!("{}: {}", python(&Value::String(k.clone())), python(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

proptest! {
    #![proptest_config(crate::config())]

    #[test]
    fn literal_parse_never_panics(
        text in prop_oneof![
            any::<String>(),
            "[\\[\\](){}'\",: 0-9.eE+_-]{0,24}",
            vec(select(&["[", "]", "(", ")", "{", "}", "'a'", "\"b\"", ",", ":", "1", "-2.5e3", "True", "None", "'\\", " "][..]), 0..20)
                .prop_map(|words| words.concat()),
        ]
    ) {
        // Whatever is read, written back as Python, reads as the same value.
        if let Ok(value) = literal::parse(&text) {
            let again = python(&value);
            prop_assert_eq!(literal::parse(&again), Ok(value), "{:?} written as {:?}", text, again);
        }
    }

    #[test]
    fn literal_parse_reads_back_python_literals((value, text) in python_value()) {
        let parsed = literal::parse(&text);
        prop_assert_eq!(parsed, Ok(value), "{}", text);
    }

    /// In Python `(x)` is `x` itself, not a tuple.
    #[test]
    fn literal_parentheses_group_like_python((value, text) in python_value()) {
        prop_assert_eq!(literal::parse(&format!("({text})")), Ok(value), "({})", text);
    }

    /// `(x,)` is a one-item tuple, which becomes a list.
    #[test]
    fn literal_one_item_tuples_are_lists((value, text) in python_value()) {
        prop_assert_eq!(literal::parse(&format!("({text},)")), Ok(Value::Array(vec![value])), "({},)", text);
    }
}
