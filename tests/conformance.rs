//! The official Gherkin conformance data (`../shared/conformance/gherkin`, see its README), one
//! named test per file: every `good/*.feature` parses to exactly the official pickles (names,
//! step texts and types, arguments, tags, the language, and the line and column of the pickle,
//! of each of its steps and of each of its tags), and every `bad/*.feature` is refused with
//! every official error, each at the official line and column. Messages are apitest's own,
//! so only positions are compared for errors.
//!
//! The data lives beside the repository in the workspace, never copied in:
//! `APITEST_CONFORMANCE` names the conformance folder, else the nearest `shared/conformance`
//! above the repository is used. Where it is absent the tests are skipped, saying so.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed set-up must stop the test loudly"
)]
#![expect(
    clippy::indexing_slicing,
    reason = "serde_json's index reads give Null for a missing key, and the objects written by index are built here"
)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use libtest_mimic::{Arguments, Failed, Trial};
use serde_json::{Value, json};

use apitest::gherkin::{self, Feature, Pickle, StepKind};

#[path = "integration/harness.rs"]
#[expect(dead_code, reason = "the harness is shared with the integration tests")]
mod harness;

fn data_dir() -> Option<PathBuf> {
    harness::conformance_dir()
        .map(|dir| dir.join("gherkin"))
        .filter(|dir| dir.is_dir())
}

fn main() {
    let args = Arguments::from_args();
    let Some(dir) = data_dir() else {
        eprintln!(
            "SKIPPED: the Gherkin conformance data is not beside the repository; set \
             APITEST_CONFORMANCE to the conformance folder (the one holding gherkin/)"
        );
        return;
    };
    let mut trials = Vec::new();
    for (folder, check) in [
        ("good", good as fn(&Path) -> Result<(), Failed>),
        ("bad", bad),
    ] {
        for path in features(&dir.join(folder)) {
            let name = format!("{folder}::{}", path.file_stem().unwrap().to_string_lossy());
            trials.push(Trial::test(name.clone(), {
                let path = path.clone();
                move || check(&path)
            }));
            trials.push(Trial::test(format!("read_as_parsed::{name}"), move || {
                read_as_parsed(&path)
            }));
        }
    }
    libtest_mimic::run(&args, trials).exit();
}

/// The `.feature` files of a folder, sorted.
fn features(dir: &Path) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "feature"))
        .collect();
    paths.sort();
    paths
}

/// The JSON objects of an `.ndjson` file, one per line; an absent file has none.
fn ndjson(path: &Path) -> Vec<Value> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

fn good(path: &Path) -> Result<(), Failed> {
    let bytes = std::fs::read(path).unwrap();
    let feature = gherkin::parse_document_bytes(&bytes).map_err(|errors| {
        let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
        format!("refused a valid file:\n  {}", shown.join("\n  "))
    })?;
    let ours: Vec<Value> = feature.as_ref().map_or_else(Vec::new, |feature| {
        gherkin::pickles(feature)
            .iter()
            .map(|pickle| our_pickle(feature, pickle))
            .collect()
    });
    let locations = ast_locations(&sibling(path, ".ast.ndjson"));
    let official: Vec<Value> = ndjson(&sibling(path, ".pickles.ndjson"))
        .iter()
        .filter_map(|message| message.get("pickle"))
        .map(|pickle| official_pickle(pickle, &locations))
        .collect();
    compare(&ours, &official)
}

fn bad(path: &Path) -> Result<(), Failed> {
    let bytes = std::fs::read(path).unwrap();
    let errors = match gherkin::parse_document_bytes(&bytes) {
        Ok(_) => return Err("accepted a file the official parser refuses".into()),
        Err(errors) => errors,
    };
    let ours: Vec<Value> = errors
        .iter()
        .map(|e| json!({"line": e.line, "column": e.column}))
        .collect();
    let official: Vec<Value> = ndjson(&sibling(path, ".errors.ndjson"))
        .iter()
        .map(|message| {
            let location = &message["parseError"]["source"]["location"];
            json!({"line": location["line"], "column": location.get("column").cloned().unwrap_or(json!(0))})
        })
        .collect();
    if ours == official {
        return Ok(());
    }
    let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
    Err(format!(
        "error positions differ\n  ours:     {}\n  official: {}\n  our messages:\n    {}",
        Value::from(ours),
        Value::from(official),
        shown.join("\n    ")
    )
    .into())
}

/// A run without the Messages report parses each file as it reads it, a line at a time,
/// keeping none of its text: it must plan the file (scenarios, steps, tags, lines), refuse it
/// (every error, with the line shown) and show its lines exactly as a plan that holds the
/// text does.
fn read_as_parsed(path: &Path) -> Result<(), Failed> {
    use apitest::runner::plan::{Plan, build_plan_reading_lines_back};
    let files = [path.to_path_buf()];
    let shape = |plan: &Plan| {
        let features: Vec<_> = plan
            .features
            .iter()
            .map(|f| {
                let scenarios: Vec<_> = f
                    .scenarios
                    .iter()
                    .map(|s| {
                        let steps: Vec<_> =
                            s.steps.iter().map(|t| (t.line, &t.shape().text)).collect();
                        let lines: Vec<_> = std::iter::once(s.line)
                            .chain(s.steps.iter().map(|t| t.line))
                            .map(|n| f.source_line(n).map(|l| l.into_owned()))
                            .collect();
                        format!("{:?} {} {:?} {steps:?} {lines:?}", s.name, s.line, s.tags)
                    })
                    .collect();
                format!("{:?} {} {scenarios:#?}", f.name, f.line)
            })
            .collect();
        format!("{:#?}\n{:#?}\n{features:#?}", plan.problems, plan.warnings)
    };
    let kept = shape(&apitest::runner::build_plan(&files, None));
    let read = shape(&build_plan_reading_lines_back(&files, None));
    if kept == read {
        return Ok(());
    }
    Err(format!("planned differently when read as parsed\n  kept: {kept}\n  read: {read}").into())
}

/// Compares two lists of pickles, naming the first field that differs.
fn compare(ours: &[Value], official: &[Value]) -> Result<(), Failed> {
    if ours == official {
        return Ok(());
    }
    if ours.len() != official.len() {
        return Err(format!(
            "{} pickles, the official parser gives {}\n  ours:     {}\n  official: {}",
            ours.len(),
            official.len(),
            Value::from(ours.to_vec()),
            Value::from(official.to_vec())
        )
        .into());
    }
    for (index, (a, b)) in ours.iter().zip(official).enumerate() {
        if a != b {
            return Err(format!(
                "pickle {} differs\n  ours:     {a}\n  official: {b}",
                index + 1
            )
            .into());
        }
    }
    Ok(())
}

fn at(line: usize, column: usize) -> Value {
    json!({"line": line, "column": column})
}

/// Our pickle in the official shape, without the ids and the URI.
fn our_pickle(feature: &Feature, pickle: &Pickle) -> Value {
    let steps: Vec<Value> = pickle
        .steps
        .iter()
        .map(|step| {
            let mut object = json!({
                "text": step.text,
                "type": match step.kind {
                    StepKind::Given => "Context",
                    StepKind::When => "Action",
                    StepKind::Then => "Outcome",
                    StepKind::Unknown => "Unknown",
                },
                "location": at(step.line, step.column),
            });
            let mut argument = serde_json::Map::new();
            let both = step.docstring.is_some() && step.table.is_some();
            let doc_first = match (&step.docstring, &step.table) {
                (Some(doc), Some(table)) => table.rows.first().is_none_or(|r| doc.line < r.line),
                _ => true,
            };
            if let Some(doc) = &step.docstring {
                let mut value = json!({"content": doc.content});
                if let Some(media) = &doc.media_type {
                    value["mediaType"] = json!(media);
                }
                if both {
                    value["argumentIndex"] = json!(if doc_first { 1 } else { 2 });
                }
                argument.insert("docString".into(), value);
            }
            if let Some(table) = &step.table {
                let rows: Vec<Value> = table
                    .rows
                    .iter()
                    .map(|row| {
                        let cells: Vec<Value> =
                            row.cells.iter().map(|c| json!({"value": c})).collect();
                        json!({"cells": cells})
                    })
                    .collect();
                let mut value = json!({"rows": rows});
                if both {
                    value["argumentIndex"] = json!(if doc_first { 2 } else { 1 });
                }
                argument.insert("dataTable".into(), value);
            }
            if !argument.is_empty() {
                object["argument"] = Value::Object(argument);
            }
            object
        })
        .collect();
    let tags: Vec<Value> = pickle
        .tags
        .iter()
        .map(|tag| json!({"name": format!("@{}", tag.name), "location": at(tag.line, tag.column)}))
        .collect();
    json!({
        "name": pickle.name,
        "language": feature.language,
        "location": at(pickle.line, pickle.column),
        "steps": steps,
        "tags": tags,
    })
}

/// The location of every node of the official syntax tree that has an id.
fn ast_locations(path: &Path) -> HashMap<String, Value> {
    fn walk(value: &Value, into: &mut HashMap<String, Value>) {
        match value {
            Value::Object(object) => {
                if let (Some(Value::String(id)), Some(location)) =
                    (object.get("id"), object.get("location"))
                {
                    into.insert(id.clone(), location.clone());
                }
                object.values().for_each(|v| walk(v, into));
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, into)),
            _ => {}
        }
    }
    let mut locations = HashMap::new();
    for message in ndjson(path) {
        walk(&message, &mut locations);
    }
    locations
}

/// An official pickle in the shape of [`our_pickle`]: ids resolved to source locations.
fn official_pickle(pickle: &Value, locations: &HashMap<String, Value>) -> Value {
    let located = |ids: &Value| -> Value {
        let id = ids.get(0).and_then(Value::as_str).unwrap_or_default();
        let location = locations.get(id).cloned().unwrap_or(Value::Null);
        at(
            location["line"].as_u64().unwrap_or(0) as usize,
            location["column"].as_u64().unwrap_or(0) as usize,
        )
    };
    let steps: Vec<Value> = pickle["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|step| {
            let mut object = json!({
                "text": step["text"],
                "type": step["type"],
                "location": located(&step["astNodeIds"]),
            });
            if let Some(argument) = step.get("argument") {
                let mut argument = argument.clone();
                if let Some(doc) = argument.get_mut("docString").and_then(Value::as_object_mut) {
                    doc.remove("delimiter");
                }
                object["argument"] = argument;
            }
            object
        })
        .collect();
    let tags: Vec<Value> = pickle["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|tag| json!({"name": tag["name"], "location": located(&json!([tag["astNodeId"]]))}))
        .collect();
    let location = &pickle["location"];
    json!({
        "name": pickle["name"],
        "language": pickle["language"],
        "location": at(
            location["line"].as_u64().unwrap_or(0) as usize,
            location["column"].as_u64().unwrap_or(0) as usize,
        ),
        "steps": steps,
        "tags": tags,
    })
}
