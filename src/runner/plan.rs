//! The plan: every feature parsed, expanded into runnable scenarios (Background steps first,
//! one scenario per Examples row), filtered by tags, and every step matched against the step
//! library, all before a single request is sent.
//!
//! Matching up front is what lets `apitest check` find every unknown step without the API
//! being up, and lets a run fail a scenario with a bad step without sending half of it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::{Error, ErrorKind};
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
    /// Where each line of `source` starts, built when a line is first shown, so that
    /// reporting many failures of one file costs one pass over it, not one per failure.
    pub line_starts: std::sync::OnceLock<Vec<usize>>,
}

impl PlannedFeature {
    /// Line `n` (1-based) of the source, without its line end.
    pub fn source_line(&self, n: usize) -> Option<&str> {
        let starts = self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.source.match_indices('\n').map(|(at, _)| at + 1))
                .collect()
        });
        let start = *starts.get(n.checked_sub(1)?)?;
        let end = starts.get(n).map_or(self.source.len(), |next| next - 1);
        let line = self.source.get(start..end)?;
        Some(line.strip_suffix('\r').unwrap_or(line))
    }
}

#[derive(Debug)]
pub struct PlannedScenario {
    pub name: String,
    /// The scenario's line, or for an outline row the line of its data row.
    pub line: usize,
    /// The `Scenario Outline:` line of an outline row; `line` otherwise.
    pub scenario_line: usize,
    /// The `Rule:` the scenario belongs to, if any.
    pub rule: Option<String>,
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

/// A step ready to run: its line, and everything else in a `StepShape` shared by all steps
/// written the same way, so a suite of thousands of similar scenarios stores each step once
/// plus a line number per use.
#[derive(Debug)]
pub struct PlannedStep {
    pub line: usize,
    shape: Arc<StepShape>,
}

impl std::ops::Deref for PlannedStep {
    type Target = StepShape;
    fn deref(&self) -> &StepShape {
        &self.shape
    }
}

/// What a step is, apart from where.
#[derive(Debug)]
pub struct StepShape {
    pub keyword: &'static str,
    pub text: Arc<str>,
    pub column: usize,
    pub text_column: usize,
    pub docstring: Option<Box<str>>,
    pub table: Option<Box<Table>>,
    pub background: bool,
    pub matched: Arc<Result<Matched, Error>>,
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
            Ok(bytes) => lone_cr_to_lf(bytes),
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
        // Each scenario is planned as soon as the parser has read it, and its tree dropped,
        // so a large file is never held twice (as a tree and as a plan).
        let mut scenarios = Vec::new();
        let mut outline_problem = None;
        let parsed = gherkin::parse_bytes_each(&bytes, |feature, rule, scenario| {
            if outline_problem.is_none() {
                outline_problem = outline_without_examples(&scenario, &display, &bytes);
            }
            gherkin::scenario_pickles(feature, rule, &scenario, |pickle| {
                if tags.is_some_and(|t| !t.matches(&pickle.tags)) {
                    return;
                }
                // A fresh vector: `collect` would reuse the pickle's buffer in place, which is
                // sized for pickle steps, eight times larger than planned ones.
                let mut steps = Vec::with_capacity(pickle.steps.len());
                steps.extend(pickle.steps.into_iter().map(|step| interned.planned(step)));
                scenarios.push(PlannedScenario {
                    name: pickle.name,
                    line: pickle.line,
                    scenario_line: pickle.scenario_line,
                    rule: pickle.rule,
                    tags: pickle.tags,
                    steps,
                });
            });
        });
        let feature = match parsed {
            Ok(feature) => feature,
            Err(e) => {
                let source_line = source_line(&String::from_utf8_lossy(&bytes), e.line);
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
        if let Some(problem) = outline_problem {
            problems.push(problem);
            continue;
        }
        // The file parsed, so it is UTF-8: keep its buffer as the source rather than a copy.
        let source: Arc<str> = match String::from_utf8(bytes) {
            Ok(text) => Arc::from(text),
            Err(e) => Arc::from(String::from_utf8_lossy(e.as_bytes()).into_owned()),
        };
        let (name, line) = (feature.name, feature.line);
        features.push(PlannedFeature {
            path: path.clone(),
            display,
            source,
            name,
            line,
            scenarios,
            line_starts: std::sync::OnceLock::new(),
        });
    }
    Plan { features, problems }
}

/// A Scenario Outline with no Examples would run once with `<placeholders>` unfilled and send
/// them as written; it is refused like a parse error instead.
fn outline_without_examples(
    scenario: &gherkin::Scenario,
    display: &str,
    bytes: &[u8],
) -> Option<PlanProblem> {
    let outline = scenario.keyword.contains("Outline") || scenario.keyword.contains("Template");
    if !outline || !scenario.examples.is_empty() {
        return None;
    }
    let source_line = source_line(&String::from_utf8_lossy(bytes), scenario.line);
    Some(PlanProblem {
        display: display.to_string(),
        line: scenario.line,
        column: 1 + source_line.as_deref().map_or(0, |l| l.len() - l.trim_start().len()),
        message: format!("`{}: {}` has no `Examples:` table", scenario.keyword, scenario.name),
        hint: Some("add an `Examples:` table whose header names the <placeholders>, or make it a plain `Scenario:`".into()),
        source_line,
    })
}

/// Line `line` (1-based) of `text`, for showing under a problem.
/// A file written with old Mac line ends (a lone CR) reads as lines, as Gherkin's reference
/// parsers read it, instead of one long line with no scenario in it. CRLF is left as it is.
fn lone_cr_to_lf(mut bytes: Vec<u8>) -> Vec<u8> {
    for i in 0..bytes.len() {
        if bytes.get(i + 1) != Some(&b'\n')
            && let Some(b) = bytes.get_mut(i)
            && *b == b'\r'
        {
            *b = b'\n';
        }
    }
    bytes
}

pub fn source_line(text: &str, line: usize) -> Option<String> {
    text.lines().nth(line.saturating_sub(1)).map(str::to_string)
}

/// One copy of each step text with its match result, and of each step shape, for a plan.
#[derive(Default)]
struct Interner {
    texts: HashMap<Arc<str>, TextEntry>,
}

/// A step text's match result, and the shapes (without doc string or table) it appears in.
struct TextEntry {
    text: Arc<str>,
    matched: Arc<Result<Matched, Error>>,
    shapes: Vec<Arc<StepShape>>,
}

impl Interner {
    /// One hash of the text per step; a step seen before costs no allocation.
    fn planned(&mut self, step: gherkin::PickleStep) -> PlannedStep {
        let entry = match self.texts.get_mut(step.text.as_str()) {
            Some(entry) => entry,
            None => {
                let text: Arc<str> = Arc::from(step.text.as_str());
                let matched = Arc::new(match_step(&step.text));
                self.texts.entry(Arc::clone(&text)).or_insert(TextEntry {
                    text,
                    matched,
                    shapes: Vec::new(),
                })
            }
        };
        let plain = step.docstring.is_none() && step.table.is_none();
        if plain
            && let Some(shape) = entry.shapes.iter().find(|s| {
                s.keyword == step.keyword
                    && s.column == step.column
                    && s.text_column == step.text_column
                    && s.background == step.background
            })
        {
            return PlannedStep {
                line: step.line,
                shape: Arc::clone(shape),
            };
        }
        let shape = Arc::new(StepShape {
            keyword: step.keyword,
            text: Arc::clone(&entry.text),
            column: step.column,
            text_column: step.text_column,
            docstring: step.docstring.map(|d| d.content.into_boxed_str()),
            table: step.table.map(Box::new),
            background: step.background,
            matched: Arc::clone(&entry.matched),
        });
        // Steps with a doc string or a table are rare and seldom repeated; they keep their own.
        if plain {
            entry.shapes.push(Arc::clone(&shape));
        }
        PlannedStep {
            line: step.line,
            shape,
        }
    }
}

fn match_step(text: &str) -> Result<Matched, Error> {
    match REGISTRY.find(text) {
        Lookup::Found {
            index,
            captures,
            spans,
        } => {
            // A polling step wraps a check: it must be one, known before anything is sent.
            if REGISTRY.defs.get(index).map(|d| d.phrase) == Some(crate::steps::POLL_PHRASE)
                && let Some(inner) = captures.get(2)
            {
                crate::steps::polled_check(inner)?;
            }
            Ok(Matched {
                index,
                captures,
                spans,
            })
        }
        Lookup::Unknown { suggestions } => Err(Error::new(ErrorKind::UnknownStep {
            suggestions: suggestions.into_iter().map(str::to_string).collect(),
        })),
        Lookup::Ambiguous { phrases } => Err(Error::new(ErrorKind::AmbiguousStep {
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
