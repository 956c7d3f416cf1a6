//! The durations of a previous run, for `--shard-by timing FILE`: read from its JUnit report
//! (`time` of each `<testcase>`, named by `classname` and `name` as apitest writes them) or
//! its Cucumber Messages (from each test case's first start to its last finish), and placed on
//! the scenarios of this run's plan. Scenarios the file does not have are left out; the
//! shard split weighs them as the median.

use std::collections::HashMap;
use std::path::Path;

use crate::report::messages::case_id;
use crate::report::model::{feature_title, test_name};
use crate::runner::Plan;

/// Seconds per (feature, scenario) of `plan`, from the report at `path`.
pub fn read(path: &Path, plan: &Plan) -> Result<HashMap<(usize, usize), f64>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the timing file `{}`: {e}", path.display()))?;
    let found = if text.trim_start().starts_with('<') {
        junit(&text, plan)
    } else {
        messages(&text, plan)
    };
    found.map_err(|e| {
        format!(
            "the timing file `{}` is neither a JUnit report nor Cucumber Messages apitest can read: {e}",
            path.display()
        )
    })
}

fn junit(text: &str, plan: &Plan) -> Result<HashMap<(usize, usize), f64>, String> {
    use quick_xml::events::Event as Xml;
    let mut times: HashMap<(String, String), f64> = HashMap::new();
    let mut reader = quick_xml::Reader::from_str(text);
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            Xml::Eof => break,
            Xml::Start(e) | Xml::Empty(e) if e.name().as_ref() == b"testcase" => {
                let (mut class, mut name, mut time) = (String::new(), String::new(), None);
                for attribute in e.attributes().flatten() {
                    let value = attribute
                        .normalized_value(quick_xml::XmlVersion::default())
                        .map_err(|e| e.to_string())?
                        .into_owned();
                    match attribute.key.as_ref() {
                        b"classname" => class = value,
                        b"name" => name = value,
                        b"time" => time = value.trim().parse::<f64>().ok(),
                        _ => {}
                    }
                }
                if let Some(time) = time.filter(|t| t.is_finite() && *t >= 0.0) {
                    times.entry((class, name)).or_insert(time);
                }
            }
            _ => {}
        }
    }
    let mut found = HashMap::new();
    for (fi, feature) in plan.features.iter().enumerate() {
        let class = feature_title(feature).to_string();
        for (si, scenario) in feature.scenarios.iter().enumerate() {
            if let Some(&time) = times.get(&(class.clone(), test_name(scenario))) {
                found.insert((fi, si), time);
            }
        }
    }
    Ok(found)
}

fn messages(text: &str, plan: &Plan) -> Result<HashMap<(usize, usize), f64>, String> {
    // testCaseStarted id -> (testCase id, start); testCase id -> (first start, last end).
    let mut started: HashMap<String, (String, f64)> = HashMap::new();
    let mut spans: HashMap<String, (f64, f64)> = HashMap::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let message: serde_json::Value =
            serde_json::from_str(line).map_err(|e| format!("line {}: {e}", n + 1))?;
        if let Some(start) = message.get("testCaseStarted") {
            let (Some(id), Some(case)) = (
                start.get("id").and_then(|v| v.as_str()),
                start.get("testCaseId").and_then(|v| v.as_str()),
            ) else {
                continue;
            };
            started.insert(id.to_string(), (case.to_string(), seconds(start)));
        } else if let Some(end) = message.get("testCaseFinished") {
            let Some((case, from)) = end
                .get("testCaseStartedId")
                .and_then(|v| v.as_str())
                .and_then(|id| started.get(id))
            else {
                continue;
            };
            let to = seconds(end);
            let span = spans.entry(case.clone()).or_insert((*from, to));
            span.0 = span.0.min(*from);
            span.1 = span.1.max(to);
        }
    }
    let mut found = HashMap::new();
    for (fi, feature) in plan.features.iter().enumerate() {
        for (si, scenario) in feature.scenarios.iter().enumerate() {
            if let Some((from, to)) = spans.get(&case_id(feature, scenario)) {
                found.insert((fi, si), (to - from).max(0.0));
            }
        }
    }
    Ok(found)
}

/// The `timestamp` of a message, in seconds.
fn seconds(message: &serde_json::Value) -> f64 {
    let stamp = message.get("timestamp");
    let part = |key: &str| {
        stamp
            .and_then(|s| s.get(key))
            .and_then(serde_json::Value::as_f64)
            .unwrap_or(0.0)
    };
    part("seconds") + part("nanos") / 1e9
}
