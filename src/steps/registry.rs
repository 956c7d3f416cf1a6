//! The registry: every row of every domain table, matched against a step's text.
//!
//! A phrase is written once, in the vocabulary's own form (`path "{path}" is "{value}"`); its
//! regex is derived from it (every placeholder but the last is `[^"]*`, the last is `.*`, so a
//! JSON body may contain quotes), and the phrases that share a first word are matched at once
//! through one `RegexSet`.

use std::collections::HashMap;
use std::sync::{LazyLock, OnceLock};

use regex::{Regex, RegexSet};

use super::{
    StepDef, auth, call, contract, cookies, dates, headers, http, json, tables, variables, xml,
};

/// The result of looking a step's text up.
#[derive(Debug, Clone, PartialEq)]
pub enum Lookup {
    Found {
        index: usize,
        captures: Vec<String>,
        /// Byte ranges of the captures in the step text, for carets under an argument.
        spans: Vec<(usize, usize)>,
    },
    Unknown {
        suggestions: Vec<&'static str>,
    },
    Ambiguous {
        phrases: Vec<&'static str>,
    },
}

pub struct Registry {
    pub defs: Vec<StepDef>,
    patterns: Vec<String>,
    /// Phrases grouped by their first word; a step is matched only against its word's group.
    buckets: HashMap<&'static str, Bucket>,
    /// Each phrase's own regex, compiled when a step first matches it (for the captures).
    regexes: Vec<OnceLock<Option<Regex>>>,
    /// Each phrase with its arguments blanked, for "did you mean".
    skeletons: Vec<String>,
}

/// The phrases that share a first word, and their `RegexSet`, compiled on first use: a run
/// compiles only the few groups its steps need, which keeps start-up fast.
struct Bucket {
    members: Vec<usize>,
    set: OnceLock<Option<RegexSet>>,
}

/// A phrase's or a step's first word: `path` in `path "/a" is True`.
fn first_word(text: &str) -> &str {
    text.split([' ', '"']).next().unwrap_or("")
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Registry({} steps)", self.defs.len())
    }
}

/// The registry of every step, built once.
pub static REGISTRY: LazyLock<Registry> = LazyLock::new(Registry::build);

impl Registry {
    fn build() -> Registry {
        Registry::from_defs(Registry::all_defs())
    }

    fn all_defs() -> Vec<StepDef> {
        let mut defs = Vec::new();
        defs.extend_from_slice(http::STEPS);
        defs.extend_from_slice(headers::STEPS);
        defs.extend_from_slice(cookies::STEPS);
        defs.extend_from_slice(json::STEPS);
        defs.extend_from_slice(variables::STEPS);
        defs.extend_from_slice(dates::STEPS);
        defs.extend_from_slice(call::STEPS);
        defs.extend_from_slice(auth::STEPS);
        defs.extend_from_slice(contract::STEPS);
        defs.extend_from_slice(xml::STEPS);
        defs.extend_from_slice(tables::STEPS);
        defs.extend(json_pointer_synonyms(&defs));
        defs
    }

    /// A registry of the given steps (the real one, or a small one in tests).
    pub fn from_defs(defs: Vec<StepDef>) -> Registry {
        let patterns: Vec<String> = defs.iter().map(|d| phrase_regex(d.phrase)).collect();
        // The patterns are derived from constant phrases and escaped, so they always compile;
        // a unit test builds the registry to prove it. Falling back to an empty set keeps the
        // binary from panicking if that test were ever skipped.
        let mut buckets: HashMap<&'static str, Bucket> = HashMap::new();
        for (i, d) in defs.iter().enumerate() {
            buckets
                .entry(first_word(d.phrase))
                .or_insert_with(|| Bucket {
                    members: Vec::new(),
                    set: OnceLock::new(),
                })
                .members
                .push(i);
        }
        let regexes = defs.iter().map(|_| OnceLock::new()).collect();
        let skeletons = defs.iter().map(|d| skeleton(d.phrase)).collect();
        Registry {
            defs,
            patterns,
            buckets,
            regexes,
            skeletons,
        }
    }

    /// Phrase `i`'s regex, compiled on first use.
    fn regex(&self, i: usize) -> Option<&Regex> {
        let cell = self.regexes.get(i)?;
        cell.get_or_init(|| self.patterns.get(i).and_then(|p| Regex::new(p).ok()))
            .as_ref()
    }

    /// The indexes of the phrases that match `text`.
    fn candidates(&self, text: &str) -> Vec<usize> {
        let Some(bucket) = self.buckets.get(first_word(text)) else {
            return Vec::new();
        };
        let set = bucket.set.get_or_init(|| {
            let patterns = bucket.members.iter().filter_map(|&i| self.patterns.get(i));
            RegexSet::new(patterns).ok()
        });
        set.as_ref().map_or_else(Vec::new, |set| {
            set.matches(text)
                .into_iter()
                .filter_map(|k| bucket.members.get(k).copied())
                .collect()
        })
    }

    /// Finds the one step whose phrase matches `text`.
    pub fn find(&self, text: &str) -> Lookup {
        let mut matches: Vec<usize> = self.candidates(text);
        if matches.len() > 1 {
            // `I store "/p" from response under "n", default "d"` also matches the phrase
            // without the default, with `n", default "d` as its name. The reading whose
            // arguments hold no quotes is the one meant; if that leaves several, it is a
            // real ambiguity.
            let clean: Vec<usize> = matches
                .iter()
                .copied()
                .filter(|&i| {
                    self.regex(i)
                        .and_then(|r| r.captures(text))
                        .is_some_and(|caps| {
                            // Only the last argument may hold quotes (a JSON value).
                            let groups: Vec<_> = caps.iter().skip(1).flatten().collect();
                            let before_last = groups.len().saturating_sub(1);
                            groups
                                .iter()
                                .take(before_last)
                                .all(|g| !g.as_str().contains('"'))
                        })
                })
                .collect();
            // Then the most specific phrase wins: `..., default "{"a":1}"` means the phrase
            // with a default, not a name that swallowed `", default "...`.
            let clean = most_specific(&self.defs, clean);
            if clean.len() == 1 {
                matches = clean;
            }
        }
        match matches.as_slice() {
            [] => Lookup::Unknown {
                suggestions: self.suggest(text),
            },
            [index] => {
                let index = *index;
                let Some(caps) = self.regex(index).and_then(|r| r.captures(text)) else {
                    return Lookup::Unknown {
                        suggestions: Vec::new(),
                    };
                };
                let mut captures = Vec::new();
                let mut spans = Vec::new();
                for group in caps.iter().skip(1).flatten() {
                    captures.push(group.as_str().to_string());
                    spans.push((group.start(), group.end()));
                }
                Lookup::Found {
                    index,
                    captures,
                    spans,
                }
            }
            many => Lookup::Ambiguous {
                phrases: many
                    .iter()
                    .filter_map(|&i| self.defs.get(i).map(|d| d.phrase))
                    .collect(),
            },
        }
    }

    /// Up to three phrases closest to `text`, best first.
    pub fn suggest(&self, text: &str) -> Vec<&'static str> {
        let wanted = skeleton(text);
        let mut scored: Vec<(f64, &'static str)> = self
            .skeletons
            .iter()
            .zip(&self.defs)
            .filter(|(_, d)| !d.synonym)
            .map(|(s, d)| (strsim::normalized_levenshtein(&wanted, s), d.phrase))
            .filter(|(score, _)| *score >= 0.5)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut out: Vec<&'static str> = Vec::new();
        for (_, phrase) in scored {
            if !out.contains(&phrase) {
                out.push(phrase);
            }
            if out.len() == 3 {
                break;
            }
        }
        out
    }
}

/// The candidates whose phrases have the most literal text (the most specific ones).
fn most_specific(defs: &[StepDef], candidates: Vec<usize>) -> Vec<usize> {
    let literal = |i: &usize| defs.get(*i).map_or(0, |d| skeleton(d.phrase).len());
    let best = candidates.iter().map(literal).max().unwrap_or(0);
    candidates
        .into_iter()
        .filter(|i| literal(i) == best)
        .collect()
}

/// zato-apitest 1.x wrote `JSON Pointer "/a" is "x"` where 24.10.1 writes `path "/a" is "x"`;
/// every `path` phrase gets that spelling as a synonym. The registry is built once per process,
/// so the few derived strings are leaked to give them the same `'static` life as the rest.
fn json_pointer_synonyms(defs: &[StepDef]) -> Vec<StepDef> {
    defs.iter()
        .filter(|d| d.phrase.starts_with("path \""))
        .map(|d| {
            let phrase: &'static str = Box::leak(
                d.phrase
                    .replacen("path \"", "JSON Pointer \"", 1)
                    .into_boxed_str(),
            );
            let example: &'static str = Box::leak(
                d.example
                    .replacen(" path \"", " JSON Pointer \"", 1)
                    .into_boxed_str(),
            );
            let meaning: &'static str = Box::leak(
                format!("Same as `{}` (zato-apitest 1.x spelling).", d.phrase).into_boxed_str(),
            );
            StepDef {
                phrase,
                example,
                meaning,
                synonym: true,
                ..*d
            }
        })
        .collect()
}

/// `path "{path}" is "{value}"` becomes `^path "([^"]*)" is "(.*)"$`.
///
/// Only the last argument may contain quotes, and only when it is a value (not the subject
/// of the phrase, like the path in `path "{path}" is True`): otherwise `path "/a" in request
/// is True` would match both the request setter and the response check.
pub fn phrase_regex(phrase: &str) -> String {
    let placeholders = phrase.matches('{').count();
    let mut out = String::from("^");
    let mut rest = phrase;
    let mut seen = 0;
    while let Some(start) = rest.find('{') {
        let (literal, from_brace) = rest.split_at(start);
        out.push_str(&regex::escape(literal));
        let end = from_brace.find('}').map_or(from_brace.len(), |e| e + 1);
        seen += 1;
        rest = from_brace.get(end..).unwrap_or("");
        let last = seen == placeholders;
        let greedy = last && (seen > 1 || rest == "\"");
        out.push_str(if greedy { "(.*)" } else { "([^\"]*)" });
    }
    out.push_str(&regex::escape(rest));
    out.push('$');
    out
}

/// A phrase or step text with its quoted arguments blanked: `status is "…"`.
fn skeleton(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut inside = false;
    for c in text.chars() {
        if c == '"' {
            if !inside {
                out.push_str("\"…");
            } else {
                out.push('"');
            }
            inside = !inside;
        } else if !inside {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::{Args, Effect, Family, def};
    use super::*;
    use crate::error::Error;
    use crate::world::World;

    #[test]
    fn every_phrase_compiles_and_its_example_matches_only_itself() {
        let registry = &*REGISTRY;
        assert_eq!(registry.regexes.len(), registry.defs.len());
        for i in 0..registry.defs.len() {
            assert!(
                registry.regex(i).is_some(),
                "{} does not compile",
                registry.defs[i].phrase
            );
        }
        for (i, def) in registry.defs.iter().enumerate() {
            let text = strip_keyword(def.example);
            match registry.find(text) {
                Lookup::Found { index, .. } => assert_eq!(
                    registry.defs[index].phrase, def.phrase,
                    "example of `{}` matched `{}`",
                    def.phrase, registry.defs[index].phrase
                ),
                other => panic!(
                    "example `{}` of step {i} `{}`: {other:?}",
                    def.example, def.phrase
                ),
            }
        }
    }

    #[test]
    fn phrases_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for def in &REGISTRY.defs {
            assert!(seen.insert(def.phrase), "duplicate phrase {}", def.phrase);
        }
    }

    #[test]
    fn regex_derivation() {
        assert_eq!(
            phrase_regex(r#"path "{path}" is "{value}""#),
            r#"^path "([^"]*)" is "(.*)"$"#
        );
        assert_eq!(phrase_regex("the URL is invoked"), "^the URL is invoked$");
        assert_eq!(
            phrase_regex(r#"path "{p}" is True"#),
            r#"^path "([^"]*)" is True$"#
        );
        assert_eq!(
            phrase_regex(r#"request is "{data}""#),
            r#"^request is "(.*)"$"#
        );
    }

    #[test]
    fn unknown_steps_get_the_closest_phrases() {
        let Lookup::Unknown { suggestions } = REGISTRY.find(r#"status iz "200""#) else {
            panic!("should be unknown");
        };
        assert_eq!(
            suggestions.first(),
            Some(&r#"status is "{expected_status}""#)
        );
        let Lookup::Unknown { suggestions } = REGISTRY.find("the URL is invokd") else {
            panic!("should be unknown");
        };
        assert_eq!(suggestions.first(), Some(&"the URL is invoked"));
    }

    #[test]
    fn captures_keep_quotes_inside_the_last_argument() {
        let Lookup::Found { captures, .. } = REGISTRY.find(r#"request is "{"name": "x"}""#) else {
            panic!("should match");
        };
        assert_eq!(captures, vec![r#"{"name": "x"}"#.to_string()]);
    }

    #[test]
    fn two_phrases_that_match_one_text_are_ambiguous() {
        fn noop(_: &mut World, _: Args<'_>) -> Result<Effect, Error> {
            Ok(Effect::Done)
        }
        let registry = Registry::from_defs(vec![
            def(
                Family::Json,
                r#"total is "{amount}""#,
                "",
                r#"Then total is "1""#,
                noop,
            ),
            def(
                Family::Json,
                r#"total is "{count}""#,
                "",
                r#"Then total is "1""#,
                noop,
            ),
        ]);
        assert_eq!(
            registry.find(r#"total is "3""#),
            Lookup::Ambiguous {
                phrases: vec![r#"total is "{amount}""#, r#"total is "{count}""#]
            }
        );
    }

    fn strip_keyword(example: &str) -> &str {
        for keyword in ["Given ", "When ", "Then ", "And ", "But ", "* "] {
            if let Some(rest) = example.strip_prefix(keyword) {
                return rest;
            }
        }
        example
    }
}
