//! Cucumber JSON: the older report format of the Cucumber project, still what Xray, Jenkins
//! "Cucumber Reports", `cucumber-html-reporter` and most test-management tools read. An array
//! of features, each with its scenarios (`elements`) and their steps; durations in
//! nanoseconds. Written when the run ends, from the same results as every other report.

use std::io::Write;
use std::path::PathBuf;

use serde::Serialize;

use crate::report::model::{
    by_position, called_lines, failure_text, feature_title, step_duration, step_status, test_name,
    uri,
};
use crate::report::{FileReport, RunEnd};
use crate::secret::redact;

pub fn reporter(path: PathBuf) -> FileReport {
    FileReport {
        what: "Cucumber JSON report",
        path,
        write,
    }
}

#[derive(Serialize)]
struct Feature<'a> {
    uri: String,
    id: String,
    keyword: &'static str,
    name: &'a str,
    description: &'static str,
    line: usize,
    tags: Vec<Tag>,
    elements: Vec<Element>,
}

#[derive(Serialize)]
struct Tag {
    name: String,
    line: usize,
}

#[derive(Serialize)]
struct Element {
    id: String,
    keyword: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    name: String,
    description: &'static str,
    line: usize,
    tags: Vec<Tag>,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_timestamp: Option<String>,
    steps: Vec<Step>,
}

#[derive(Serialize)]
struct Step {
    keyword: String,
    name: String,
    line: usize,
    #[serde(rename = "match")]
    matched: Match,
    result: StepResult,
    #[serde(skip_serializing_if = "Option::is_none")]
    doc_string: Option<DocString>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rows: Option<Vec<Row>>,
    /// For a call step, the steps of the scenario it ran, one line each (Cucumber JSON has
    /// no nested steps; `output` is what its readers show under a step).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    output: Vec<String>,
}

#[derive(Serialize)]
struct Match {
    location: String,
}

#[derive(Serialize)]
struct StepResult {
    status: &'static str,
    duration: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_message: Option<String>,
}

#[derive(Serialize)]
struct DocString {
    value: String,
    content_type: &'static str,
    line: usize,
}

#[derive(Serialize)]
struct Row {
    cells: Vec<String>,
}

/// `Get one employee` → `get-one-employee`, as Cucumber makes element ids.
fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

fn write(end: &RunEnd<'_>, out: &mut dyn Write) -> std::io::Result<()> {
    let slots = by_position(end.plan, end.results);
    // Step texts can hold a literal credential; names are the user's and stay as written.
    let secrets = end.all_secrets();
    let mask = |text: &str| redact(text, &secrets);
    let mut features = Vec::new();
    for (feature, slots) in end.plan.features.iter().zip(&slots) {
        if feature.scenarios.is_empty() {
            continue;
        }
        let feature_id = slug(feature_title(feature));
        let mut elements = Vec::with_capacity(feature.scenarios.len());
        for (scenario, &result) in feature.scenarios.iter().zip(slots) {
            let outline = scenario.scenario_line != scenario.line;
            let failed_at = result.and_then(|r| r.failure.as_ref()).map(|f| f.step);
            let message = result.and_then(|r| failure_text(feature, scenario, r));
            let steps = scenario
                .steps
                .iter()
                .enumerate()
                .map(|(i, step)| Step {
                    keyword: format!("{} ", step.keyword),
                    name: mask(&step.text),
                    line: step.line,
                    matched: Match {
                        location: match &*step.matched {
                            Ok(m) => crate::steps::REGISTRY
                                .defs
                                .get(m.index)
                                .map_or_else(String::new, |d| format!("apitest: {}", d.phrase)),
                            Err(_) => String::new(),
                        },
                    },
                    result: StepResult {
                        status: step_status(result, i, step).lower(),
                        duration: u64::try_from(step_duration(result, i).as_nanos())
                            .unwrap_or(u64::MAX),
                        error_message: (failed_at == Some(i)).then(|| message.clone()).flatten(),
                    },
                    doc_string: step.docstring.as_deref().map(|value| DocString {
                        value: mask(value),
                        content_type: "",
                        line: step.line + 1,
                    }),
                    rows: step.table.as_deref().map(|table| {
                        table
                            .rows
                            .iter()
                            .map(|row| Row {
                                cells: row.cells.iter().map(|c| mask(c)).collect(),
                            })
                            .collect()
                    }),
                    output: called_lines(result, i, step, &secrets),
                })
                .collect();
            elements.push(Element {
                // An outline's rows share a name; their line tells them apart, as Cucumber's
                // `;;N` suffix does.
                id: if outline {
                    format!(
                        "{feature_id};{};{}",
                        slug(&test_name(scenario)),
                        scenario.line
                    )
                } else {
                    format!("{feature_id};{}", slug(&test_name(scenario)))
                },
                keyword: if outline {
                    "Scenario Outline"
                } else {
                    "Scenario"
                },
                kind: "scenario",
                name: test_name(scenario),
                description: "",
                line: scenario.line,
                tags: scenario
                    .tags
                    .iter()
                    .map(|t| Tag {
                        name: format!("@{t}"),
                        line: scenario.scenario_line.saturating_sub(1).max(1),
                    })
                    .collect(),
                start_timestamp: result.and_then(|r| r.started).map(|at| {
                    chrono::DateTime::<chrono::Utc>::from(at)
                        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
                }),
                steps,
            });
        }
        features.push(Feature {
            uri: uri(feature),
            id: feature_id,
            keyword: "Feature",
            name: &feature.name,
            description: "",
            line: feature.line,
            tags: Vec::new(),
            elements,
        });
    }
    serde_json::to_writer(&mut *out, &features).map_err(std::io::Error::other)?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn ids_are_lower_case_words_joined_by_dashes() {
        assert_eq!(slug("Get one employee (v2)!"), "get-one-employee-v2");
        assert_eq!(slug("Ünïcode names"), "ünïcode-names");
    }
}
