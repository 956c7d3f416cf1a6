//! No phrase forgotten: every phrase of Zato's apitest vocabulary (and its 1.x spellings),
//! listed in `tests/vocabulary/zato-24.10.1.txt`, is matched by exactly one step.

use apitest::steps::{Lookup, REGISTRY};

use crate::harness::root;

/// `path "{p}" is "{v}"` with sample arguments: `path "/a" is "x"`.
fn example(phrase: &str) -> String {
    let mut out = String::new();
    let mut rest = phrase;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = rest[start..]
            .find('}')
            .map_or(rest.len(), |e| start + e + 1);
        let name = &rest[start + 1..end - 1];
        out.push_str(match name {
            "path" | "p" => "/a",
            "xpath" => "/a/b",
            _ => "x",
        });
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[test]
fn every_vocabulary_phrase_is_matched_by_one_step() {
    let list = std::fs::read_to_string(root().join("tests/vocabulary/zato-24.10.1.txt")).unwrap();
    let phrases: Vec<&str> = list
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    assert!(
        phrases.len() > 120,
        "the list looks truncated: {} phrases",
        phrases.len()
    );
    let mut missing = Vec::new();
    for phrase in &phrases {
        let text = example(phrase);
        match REGISTRY.find(&text) {
            Lookup::Found { .. } => {}
            other => missing.push(format!("{phrase}  (as `{text}`: {other:?})")),
        }
    }
    assert!(
        missing.is_empty(),
        "{} of {} phrases have no step:\n{}",
        missing.len(),
        phrases.len(),
        missing.join("\n")
    );
}
