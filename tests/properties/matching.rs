//! Properties of step matching: any text is found, unknown or ambiguous without a panic, a
//! found step's captures are the slices its spans name, suggestions are real phrases, and
//! every phrase with its placeholders filled by quote-free text is found as that phrase, with
//! those texts as its arguments.

use apitest::steps::{Lookup, REGISTRY, phrase_regex};
use proptest::collection::vec;
use proptest::prelude::*;
use serde_json::Value;

/// The phrase with each `{placeholder}` replaced by the next argument.
fn fill(phrase: &str, args: &[String]) -> String {
    let mut out = String::new();
    let mut rest = phrase;
    let mut next = args.iter();
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = rest[start..]
            .find('}')
            .map_or(rest.len(), |e| start + e + 1);
        out.push_str(next.next().map_or("", String::as_str));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

fn placeholders(phrase: &str) -> usize {
    phrase.matches('{').count()
}

/// What must hold of any lookup.
fn check_lookup(text: &str, lookup: &Lookup) -> Result<(), TestCaseError> {
    match lookup {
        Lookup::Found {
            index,
            captures,
            spans,
        } => {
            prop_assert!(*index < REGISTRY.defs.len());
            prop_assert_eq!(captures.len(), spans.len());
            prop_assert_eq!(captures.len(), placeholders(REGISTRY.defs[*index].phrase));
            for (capture, &(start, end)) in captures.iter().zip(spans) {
                prop_assert_eq!(text.get(start..end), Some(capture.as_str()));
            }
        }
        Lookup::Unknown { suggestions } => {
            prop_assert!(suggestions.len() <= 3);
            for phrase in suggestions {
                prop_assert!(
                    REGISTRY
                        .defs
                        .iter()
                        .any(|d| d.phrase == *phrase && !d.synonym),
                    "suggestion {:?} is not a main phrase",
                    phrase
                );
            }
        }
        Lookup::Ambiguous { phrases } => {
            prop_assert!(phrases.len() >= 2, "ambiguous with {:?}", phrases);
        }
    }
    Ok(())
}

/// Texts close to real steps: a phrase with arbitrary arguments (quotes included), maybe cut
/// or with a character changed.
fn near_step() -> impl Strategy<Value = String> {
    (
        0..REGISTRY.defs.len(),
        vec(any::<String>(), 6),
        any::<prop::sample::Index>(),
        any::<char>(),
        0u8..3,
    )
        .prop_map(|(i, args, at, c, edit)| {
            let text = fill(REGISTRY.defs[i].phrase, &args);
            let chars: Vec<char> = text.chars().collect();
            let at = at.index(chars.len() + 1);
            match edit {
                0 => text,
                1 => chars[..at].iter().collect(),
                _ => {
                    let mut chars = chars;
                    chars.insert(at, c);
                    chars.into_iter().collect()
                }
            }
        })
}

/// The phrases whose last argument may hold quotes (a JSON body, say).
fn greedy_phrases() -> Vec<usize> {
    REGISTRY
        .defs
        .iter()
        .enumerate()
        .filter(|(_, d)| phrase_regex(d.phrase).contains("(.*)"))
        .map(|(i, _)| i)
        .collect()
}

/// Compact JSON text, which has quotes but no spaces or parentheses.
fn json_text() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(Value::from),
        "[a-z]{0,3}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..3).prop_map(Value::Array),
            vec(("[a-z]{0,3}", inner), 0..3)
                .prop_map(|entries| Value::Object(entries.into_iter().collect())),
        ]
    })
    .prop_map(|v| v.to_string())
}

proptest! {
    #![proptest_config(crate::config())]

    #[test]
    fn find_never_panics_and_is_consistent(
        text in prop_oneof![any::<String>(), near_step()]
    ) {
        let lookup = REGISTRY.find(&text);
        check_lookup(&text, &lookup)?;
        let suggestions = REGISTRY.suggest(&text);
        prop_assert!(suggestions.len() <= 3);
    }

    #[test]
    fn every_phrase_filled_with_quote_free_text_finds_that_phrase(
        index in 0..REGISTRY.defs.len(),
        args in vec("[A-Za-z0-9 /._-]{0,20}", 6),
    ) {
        let def = &REGISTRY.defs[index];
        let args = &args[..placeholders(def.phrase)];
        let text = fill(def.phrase, args);
        let lookup = REGISTRY.find(&text);
        check_lookup(&text, &lookup)?;
        match lookup {
            Lookup::Found { index: found, captures, .. } => {
                prop_assert_eq!(
                    REGISTRY.defs[found].phrase,
                    def.phrase,
                    "{:?} matched the wrong phrase",
                    text
                );
                prop_assert_eq!(found, index);
                prop_assert_eq!(captures, args.to_vec());
            }
            other => prop_assert!(false, "{:?} (phrase {:?}) gave {:?}", text, def.phrase, other),
        }
    }

    #[test]
    fn a_last_argument_with_quotes_still_finds_its_phrase(
        which in any::<prop::sample::Index>(),
        args in vec("[A-Za-z0-9 /._-]{0,20}", 6),
        json in json_text(),
    ) {
        let greedy = greedy_phrases();
        let index = *which.get(&greedy);
        let def = &REGISTRY.defs[index];
        let count = placeholders(def.phrase);
        let mut args = args[..count].to_vec();
        args[count - 1] = json;
        let text = fill(def.phrase, &args);
        match REGISTRY.find(&text) {
            Lookup::Found { index: found, captures, .. } => {
                prop_assert_eq!(
                    REGISTRY.defs[found].phrase,
                    def.phrase,
                    "{:?} matched the wrong phrase",
                    text
                );
                prop_assert_eq!(captures, args);
            }
            other => prop_assert!(false, "{:?} (phrase {:?}) gave {:?}", text, def.phrase, other),
        }
    }
}
