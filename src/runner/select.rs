//! Selecting scenarios by place: `features/a.feature:12` (several lines as `a.feature:12:30`),
//! as cucumber, behave and Playwright take them. A line selects the scenario it is the line
//! of, or one of whose steps it is; an outline's line selects every row, an `Examples:` line
//! the rows of that table, a row's line that row.

use std::path::{Path, PathBuf};

use crate::runner::plan::{Plan, PlannedFeature, PlannedScenario};

/// The lines asked for in one file.
#[derive(Debug, Clone, PartialEq)]
pub struct Lines {
    /// The path as given, without its `:LINE` suffix.
    pub path: PathBuf,
    pub lines: Vec<usize>,
}

/// Splits `a.feature:12:30` into the path and its lines, when the path as given does not
/// exist and the part before the lines does. Other paths are returned as they are.
pub fn split_lines(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<Lines>) {
    let mut plain = Vec::new();
    let mut wanted = Vec::new();
    for path in paths {
        match with_lines(path) {
            Some(lines) => {
                plain.push(lines.path.clone());
                wanted.push(lines);
            }
            None => plain.push(path.clone()),
        }
    }
    (plain, wanted)
}

fn with_lines(path: &Path) -> Option<Lines> {
    if path.exists() {
        return None;
    }
    let text = path.to_str()?;
    let mut parts = text.split(':');
    let mut base = parts.next()?.to_string();
    let mut lines = Vec::new();
    for part in parts {
        match part.parse::<usize>() {
            Ok(n) if n > 0 => lines.push(n),
            // A `:` inside the path (a Windows drive, an odd folder name): keep it.
            _ if lines.is_empty() => {
                base.push(':');
                base.push_str(part);
            }
            _ => return None,
        }
    }
    let base = PathBuf::from(base);
    (!lines.is_empty() && base.is_file()).then_some(Lines { path: base, lines })
}

/// Keeps, in the files named with lines, only the scenarios those lines select (files named
/// without lines keep all theirs). A line that selects nothing is an error naming it and the
/// lines scenarios start at.
pub fn keep_lines(plan: &mut Plan, wanted: &[Lines]) -> Result<(), String> {
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    };
    let mut problems = Vec::new();
    for feature in &mut plan.features {
        let lines: Vec<usize> = wanted
            .iter()
            .filter(|w| same(&w.path, &feature.path))
            .flat_map(|w| w.lines.iter().copied())
            .collect();
        if lines.is_empty() {
            continue;
        }
        let starts: Vec<String> = feature
            .scenarios
            .iter()
            .map(|s| s.scenario_line)
            .fold(Vec::new(), |mut seen, line| {
                if !seen.contains(&line) {
                    seen.push(line);
                }
                seen
            })
            .iter()
            .map(usize::to_string)
            .collect();
        for &line in &lines {
            if !feature.scenarios.iter().any(|s| selects(feature, s, line)) {
                let background = feature
                    .source_line(line)
                    .is_some_and(|l| l.trim_start().starts_with("Background:"))
                    || feature
                        .scenarios
                        .iter()
                        .any(|s| s.steps.iter().any(|st| st.background && st.line == line));
                problems.push(format!(
                    "{}:{line} {} (scenarios start at line{} {})",
                    feature.display,
                    if background {
                        "is in a Background, whose steps run before every scenario it covers; \
                         it selects no scenario by itself"
                    } else if has_library_tag(feature) {
                        "selects no scenario; scenarios tagged @library only run when another \
                         scenario calls them"
                    } else {
                        "selects no scenario"
                    },
                    if starts.len() == 1 { "" } else { "s" },
                    if starts.is_empty() {
                        "none: the file has none".to_string()
                    } else {
                        starts.join(", ")
                    }
                ));
            }
        }
        let keep: Vec<bool> = feature
            .scenarios
            .iter()
            .map(|s| lines.iter().any(|&l| selects(feature, s, l)))
            .collect();
        let mut keep = keep.into_iter();
        feature.scenarios.retain(|_| keep.next().unwrap_or(false));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

/// Whether any tag line of the file holds `@library`.
fn has_library_tag(feature: &PlannedFeature) -> bool {
    let tag = format!("@{}", crate::runner::plan::LIBRARY_TAG);
    feature.text().lines().any(|l| {
        let l = l.trim_start();
        l.starts_with('@') && l.split_whitespace().any(|t| t == tag)
    })
}

/// Whether `line` of the file selects `scenario` (a pickle: a scenario or one outline row).
fn selects(feature: &PlannedFeature, scenario: &PlannedScenario, line: usize) -> bool {
    if line == scenario.line || line == scenario.scenario_line {
        return true;
    }
    if scenario
        .steps
        .iter()
        .any(|s| s.line == line && !s.background)
    {
        return true;
    }
    // An `Examples:` line of this outline, with no other `Examples:` between it and the row.
    let outline_row = scenario.line != scenario.scenario_line;
    let is_examples = |n: usize| {
        feature.source_line(n).is_some_and(|l| {
            let l = l.trim_start();
            l.starts_with("Examples:") || l.starts_with("Scenarios:")
        })
    };
    outline_row
        && line > scenario.scenario_line
        && line < scenario.line
        && is_examples(line)
        && !(line + 1..scenario.line).any(is_examples)
}
