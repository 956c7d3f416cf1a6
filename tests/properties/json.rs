//! Properties of JSON Pointer lookups and edits and of document comparison: any pointer into
//! any document is answered without a panic, every path that exists is found with its value,
//! `set` then `lookup` gives the value set, a failed `set` changes nothing, and `diff` is empty
//! exactly when `values_equal` holds.

use apitest::check::{self, describe, diff, values_equal};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Map, Value, json};

/// Keys that need escaping (`~`, `/`), look like indices, or are empty.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-z]{1,3}",
        1 => "[a-z~/0-9]{0,4}",
        1 => select(&["", "0", "01", "-", "~0", "~1", "a/b", "~", "é"][..]).prop_map(str::to_string),
    ]
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|i| json!(i)),
        any::<u64>().prop_map(|u| json!(u)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        "[a-z~/ ]{0,6}".prop_map(Value::String),
    ]
}

/// Any JSON document, nested at most four levels deep.
fn document() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 48, 4, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(Value::Array),
            vec((key(), inner), 0..4).prop_map(|entries| {
                Value::Object(entries.into_iter().collect::<Map<String, Value>>())
            }),
        ]
    })
}

/// Documents over a few values, so that two of them are often equal (`1` and `1.0` too).
fn small_document() -> impl Strategy<Value = Value> {
    let leaf = select(vec![
        json!(null),
        json!(true),
        json!(false),
        json!(0),
        json!(1),
        json!(1.0),
        json!(-1),
        json!(u64::MAX),
        json!(1.8446744073709552e19),
        json!(""),
        json!("a"),
        json!("1"),
    ]);
    leaf.prop_recursive(3, 12, 2, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..3).prop_map(Value::Array),
            vec((select(&["a", "b"][..]), inner), 0..3).prop_map(|entries| {
                Value::Object(
                    entries
                        .into_iter()
                        .map(|(k, v)| (k.to_string(), v))
                        .collect::<Map<String, Value>>(),
                )
            }),
        ]
    })
}

/// A pointer token as RFC 6901 writes it.
fn encode(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Every path in `doc`, with the value there.
fn paths(doc: &Value) -> Vec<(String, Value)> {
    fn walk(value: &Value, path: &mut String, out: &mut Vec<(String, Value)>) {
        out.push((path.clone(), value.clone()));
        let len = path.len();
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    path.push('/');
                    path.push_str(&encode(key));
                    walk(child, path, out);
                    path.truncate(len);
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    path.push('/');
                    path.push_str(&index.to_string());
                    walk(child, path, out);
                    path.truncate(len);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(doc, &mut String::new(), &mut out);
    out
}

/// Pointers made of tokens that often exist, sometimes escaped badly.
fn pointer() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        vec(
            prop_oneof![
                key().prop_map(|k| encode(&k)),
                select(
                    &[
                        "0",
                        "1",
                        "3",
                        "-",
                        "00",
                        "+1",
                        "~2",
                        "~",
                        "1e1",
                        "18446744073709551616"
                    ][..]
                )
                .prop_map(str::to_string),
            ],
            0..5,
        )
        .prop_map(|tokens| tokens.iter().map(|t| format!("/{t}")).collect::<String>()),
    ]
}

proptest! {
    #![proptest_config(crate::config())]

    #[test]
    fn lookup_and_set_never_panic(doc in document(), pointer in pointer(), new in leaf()) {
        let found = check::lookup(&doc, &pointer);
        if let Ok(value) = found {
            prop_assert!(paths(&doc).iter().any(|(_, v)| v == value));
        }
        let mut edited = doc.clone();
        match check::set(&mut edited, &pointer, new.clone()) {
            Ok(()) => {
                // `-` appends, so it is not a place to look the value up again.
                if !pointer.ends_with("/-") {
                    prop_assert_eq!(check::lookup(&edited, &pointer).ok(), Some(&new), "{}", pointer);
                }
            }
            Err(_) => prop_assert_eq!(&edited, &doc, "a failed set of {:?} changed the document", pointer),
        }
    }

    #[test]
    fn every_existing_path_is_found_with_its_value(doc in document()) {
        for (path, value) in paths(&doc) {
            let found = check::lookup(&doc, &path);
            prop_assert_eq!(found.ok(), Some(&value), "{:?} in {}", path, doc);
        }
    }

    #[test]
    fn set_then_lookup_gives_the_value_set(
        doc in document(),
        choice in any::<prop::sample::Index>(),
        new_key in key(),
        mode in 0u8..4,
        new in document(),
    ) {
        let all = paths(&doc);
        let (parent, parent_value) = choice.get(&all).clone();
        // The pointer to set, and where the value must then be found.
        let (target, place) = match (&parent_value, mode) {
            // Replace the value at an existing path (the root included).
            (_, 0) => (parent.clone(), parent.clone()),
            (Value::Object(_), _) => {
                let place = format!("{parent}/{}", encode(&new_key));
                (place.clone(), place)
            }
            (Value::Array(items), 1) => {
                let place = format!("{parent}/{}", items.len());
                (place.clone(), place)
            }
            (Value::Array(items), 2) => (format!("{parent}/-"), format!("{parent}/{}", items.len())),
            (Value::Array(items), _) if !items.is_empty() => {
                let place = format!("{parent}/{}", items.len() - 1);
                (place.clone(), place)
            }
            _ => (parent.clone(), parent.clone()),
        };
        let mut edited = doc.clone();
        let result = check::set(&mut edited, &target, new.clone());
        prop_assert!(result.is_ok(), "set {:?} in {}: {:?}", target, doc, result);
        prop_assert_eq!(check::lookup(&edited, &place).ok(), Some(&new), "{:?} in {}", place, edited);
        // Everything else that existed and is not under the target is unchanged.
        for (path, value) in &all {
            let inside = path == &place || path.starts_with(&format!("{place}/")) || place.starts_with(&format!("{path}/")) || place.is_empty();
            if !inside {
                prop_assert_eq!(check::lookup(&edited, path).ok(), Some(value), "{:?} changed by setting {:?}", path, place);
            }
        }
    }

    #[test]
    fn a_document_equals_itself(doc in document()) {
        prop_assert!(values_equal(&doc, &doc));
        prop_assert_eq!(diff(&doc, &doc), Vec::<String>::new());
        let shown = describe(&doc);
        prop_assert!(shown == "null" || shown.ends_with(')'), "{}", shown);
    }

    #[test]
    fn diff_is_empty_exactly_when_values_are_equal(a in small_document(), b in small_document()) {
        let equal = values_equal(&a, &b);
        prop_assert_eq!(equal, values_equal(&b, &a), "not symmetric: {} vs {}", a, b);
        let lines = diff(&a, &b);
        prop_assert_eq!(lines.is_empty(), equal, "{} vs {}: {:?}", a, b, lines);
        prop_assert_eq!(diff(&b, &a).is_empty(), equal, "{} vs {}", b, a);
    }

    #[test]
    fn diff_is_empty_exactly_when_values_are_equal_for_any_documents(a in document(), b in document()) {
        let equal = values_equal(&a, &b);
        prop_assert_eq!(diff(&a, &b).is_empty(), equal, "{} vs {}", a, b);
    }
}
