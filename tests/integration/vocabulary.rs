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

/// The indexes of the steps that the case files of `kind` use.
fn steps_used_in(kind: &str) -> std::collections::HashSet<usize> {
    let mut used = std::collections::HashSet::new();
    for file in crate::harness::features_in(&root().join("tests/cases").join(kind)) {
        let source = std::fs::read_to_string(&file).unwrap();
        // The 1.x spelling of every file runs too (cases::the_1x_json_pointer_spelling_...).
        for text in [source.clone(), crate::harness::to_1x_spelling(&source)] {
            let feature = apitest::gherkin::parse(&text).unwrap();
            for pickle in apitest::gherkin::pickles(&feature) {
                for step in pickle.steps {
                    if let Lookup::Found { index, .. } = REGISTRY.find(&step.text) {
                        used.insert(index);
                    }
                }
            }
        }
    }
    used
}

/// Every step, synonyms included, is used by a passing case and by a failing twin: a step
/// only ever seen passing might check nothing.
#[test]
fn every_step_has_a_passing_case_and_a_failing_twin() {
    let passing = steps_used_in("pass");
    let failing = steps_used_in("fail");
    let mut missing = Vec::new();
    for (i, def) in REGISTRY.defs.iter().enumerate() {
        let sides: Vec<&str> = [("pass", &passing), ("fail", &failing)]
            .iter()
            .filter(|(_, used)| !used.contains(&i))
            .map(|(side, _)| *side)
            .collect();
        if !sides.is_empty() {
            missing.push(format!("{}  (no {} case)", def.phrase, sides.join(" or ")));
        }
    }
    assert!(
        missing.is_empty(),
        "{} steps lack cases:\n{}",
        missing.len(),
        missing.join("\n")
    );
}
