//! The plan: every feature parsed, expanded into runnable scenarios (Background steps first,
//! one scenario per Examples row), filtered by tags, and every step matched against the step
//! library, all before a single request is sent.
//!
//! Matching up front is what lets `apitest check` find every unknown step without the API
//! being up, and lets a run fail a scenario with a bad step without sending half of it.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::{ErrorKind, StepError};
use crate::gherkin::{self, Table, TagExpr};
use crate::steps::{Lookup, REGISTRY};

#[derive(Debug)]
pub struct Plan {
    pub features: Vec<PlannedFeature>,
    /// Files that could not be read or parsed: the run stops with exit code 2.
    pub problems: Vec<PlanProblem>,
}

#[derive(Debug)]
pub struct PlannedFeature {
    pub path: PathBuf,
    /// The path as shown in messages (relative to the working folder when possible).
    pub display: String,
    pub source: Arc<str>,
    pub name: String,
    pub line: usize,
    pub scenarios: Vec<PlannedScenario>,
}

#[derive(Debug)]
pub struct PlannedScenario {
    pub name: String,
    pub line: usize,
    pub tags: Vec<String>,
    pub steps: Vec<PlannedStep>,
}

/// A matched step: the step definition's index and its captured arguments.
#[derive(Debug, Clone, PartialEq)]
pub struct Matched {
    pub index: usize,
    pub captures: Vec<String>,
    pub spans: Vec<(usize, usize)>,
}

/// A step ready to run. Keywords, texts and match results are shared between all steps with
/// the same text (`Arc`), so a suite of thousands of similar scenarios stores each once.
#[derive(Debug)]
pub struct PlannedStep {
    pub keyword: Arc<str>,
    pub text: Arc<str>,
    pub line: usize,
    pub column: usize,
    pub text_column: usize,
    /// Boxed, like the table: most steps have neither, and a plan holds many steps.
    pub docstring: Option<Box<str>>,
    pub table: Option<Box<Table>>,
    pub background: bool,
    pub matched: Arc<Result<Matched, StepError>>,
}

/// A file that cannot be run, with the position of the fault.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanProblem {
    pub display: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub hint: Option<String>,
    /// The offending line of the file, when there is one, for the report.
    pub source_line: Option<String>,
}

/// Parses and matches `files`; `tags` keeps only the scenarios it matches.
pub fn build_plan(files: &[PathBuf], tags: Option<&TagExpr>) -> Plan {
    let mut features = Vec::new();
    let mut problems = Vec::new();
    let mut interned = Interner::default();
    for path in files {
        let display = display_path(path);
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) => {
                problems.push(PlanProblem {
                    display,
                    line: 0,
                    column: 0,
                    message: format!("cannot read the file: {e}"),
                    hint: None,
                    source_line: None,
                });
                continue;
            }
        };
        let feature = match gherkin::parse_bytes(&bytes) {
            Ok(feature) => feature,
            Err(e) => {
                let source_line = String::from_utf8_lossy(&bytes)
                    .lines()
                    .nth(e.line.saturating_sub(1))
                    .map(str::to_string);
                problems.push(PlanProblem {
                    display,
                    line: e.line,
                    column: e.column,
                    message: e.message,
                    hint: e.hint,
                    source_line,
                });
                continue;
            }
        };
        if let Some(problem) = outline_without_examples(&feature, &display, &bytes) {
            problems.push(problem);
            continue;
        }
        // The file parsed, so it is UTF-8: keep its buffer as the source rather than a copy.
        let source: Arc<str> = match String::from_utf8(bytes) {
            Ok(text) => Arc::from(text),
            Err(e) => Arc::from(String::from_utf8_lossy(e.as_bytes()).into_owned()),
        };
        let mut scenarios = Vec::new();
        gherkin::each_pickle(&feature, |pickle| {
            if tags.is_some_and(|t| !t.matches(&pickle.tags)) {
                return;
            }
            let steps = pickle
                .steps
                .into_iter()
                .map(|step| {
                    let (text, matched) = interned.step(&step.text);
                    PlannedStep {
                        keyword: interned.keyword(step.keyword),
                        text,
                        line: step.line,
                        column: step.column,
                        text_column: step.text_column,
                        docstring: step.docstring.map(|d| d.content.into_boxed_str()),
                        table: step.table.map(Box::new),
                        background: step.background,
                        matched,
                    }
                })
                .collect();
            scenarios.push(PlannedScenario {
                name: pickle.name,
                line: pickle.line,
                tags: pickle.tags,
                steps,
            });
        });
        let (name, line) = (feature.name, feature.line);
        // The tree is no longer needed; the plan holds what runs.
        drop(feature.scenarios);
        drop(feature.rules);
        features.push(PlannedFeature {
            path: path.clone(),
            display,
            source,
            name,
            line,
            scenarios,
        });
    }
    Plan { features, problems }
}

/// A Scenario Outline with no Examples would run once with `<placeholders>` unfilled and send
/// them as written; it is refused like a parse error instead.
fn outline_without_examples(
    feature: &gherkin::Feature,
    display: &str,
    bytes: &[u8],
) -> Option<PlanProblem> {
    let all = feature
        .scenarios
        .iter()
        .chain(feature.rules.iter().flat_map(|r| r.scenarios.iter()));
    for scenario in all {
        let outline = scenario.keyword.contains("Outline") || scenario.keyword.contains("Template");
        if outline && scenario.examples.is_empty() {
            return Some(PlanProblem {
                display: display.to_string(),
                line: scenario.line,
                column: 1 + String::from_utf8_lossy(bytes)
                    .lines()
                    .nth(scenario.line.saturating_sub(1))
                    .map_or(0, |l| l.len() - l.trim_start().len()),
                message: format!("`{}: {}` has no `Examples:` table", scenario.keyword, scenario.name),
                hint: Some("add an `Examples:` table whose header names the <placeholders>, or make it a plain `Scenario:`".into()),
                source_line: String::from_utf8_lossy(bytes)
                    .lines()
                    .nth(scenario.line.saturating_sub(1))
                    .map(str::to_string),
            });
        }
    }
    None
}

/// One copy of each keyword and step text, with the step's match result, for a whole plan.
#[derive(Default)]
struct Interner {
    keywords: HashSet<Arc<str>>,
    steps: HashMap<Arc<str>, Arc<Result<Matched, StepError>>>,
}

impl Interner {
    fn keyword(&mut self, keyword: &str) -> Arc<str> {
        if let Some(k) = self.keywords.get(keyword) {
            return Arc::clone(k);
        }
        let k: Arc<str> = Arc::from(keyword);
        self.keywords.insert(Arc::clone(&k));
        k
    }

    fn step(&mut self, text: &str) -> (Arc<str>, Arc<Result<Matched, StepError>>) {
        if let Some((t, m)) = self.steps.get_key_value(text) {
            return (Arc::clone(t), Arc::clone(m));
        }
        let t: Arc<str> = Arc::from(text);
        let m = Arc::new(match_step(text));
        self.steps.insert(Arc::clone(&t), Arc::clone(&m));
        (t, m)
    }
}

fn match_step(text: &str) -> Result<Matched, StepError> {
    match REGISTRY.find(text) {
        Lookup::Found {
            index,
            captures,
            spans,
        } => Ok(Matched {
            index,
            captures,
            spans,
        }),
        Lookup::Unknown { suggestions } => Err(StepError::new(ErrorKind::UnknownStep {
            suggestions: suggestions.into_iter().map(str::to_string).collect(),
        })),
        Lookup::Ambiguous { phrases } => Err(StepError::new(ErrorKind::AmbiguousStep {
            phrases: phrases.into_iter().map(str::to_string).collect(),
        })),
    }
}

/// `path` relative to the working folder when it lies below it, as people typed it.
pub fn display_path(path: &Path) -> String {
    let shown = std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(&cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf());
    let text = shown.display().to_string();
    text.strip_prefix("./").map_or(text.clone(), str::to_string)
}

impl Plan {
    pub fn scenario_count(&self) -> usize {
        self.features.iter().map(|f| f.scenarios.len()).sum()
    }
}
