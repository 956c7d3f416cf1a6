//! `apitest check`: parses every feature and matches every step against the step library,
//! without sending a request or needing the API up. It reports every problem at once, with
//! file and line, and exits 2 if there is any: fit for a pre-commit hook or a CI gate that
//! fails in seconds instead of after a twenty-minute run.

use std::collections::HashSet;
use std::path::PathBuf;

use crate::error::ErrorKind;
use crate::error::plural;
use crate::exit_code::{PASSED, USAGE};
use crate::report::console::Console;
use crate::runner::plan::{SourceFile, Steps};
use crate::runner::{self, PlanProblem};

pub fn check(paths: &[PathBuf]) -> u8 {
    let project = match runner::discover(paths) {
        Ok(p) => p,
        Err(e) => return crate::cmd::usage_error(&e.message, e.hint.as_deref()),
    };
    for skipped in &project.skipped {
        crate::cmd::note(skipped);
    }
    let mut plan = runner::plan::build_check_plan(&project.files);
    let mut problems = std::mem::take(&mut plan.problems);
    let mut seen = HashSet::new();
    let mut steps = 0;
    for feature in &plan.features {
        for scenario in &feature.scenarios {
            steps += scenario.steps.len();
            check_steps(feature, &scenario.steps, &mut seen, &mut problems);
        }
    }
    let console = Console::new(false, false, "auto");
    console.warnings(&plan.warnings);
    if problems.is_empty() {
        crate::report::out(&format!(
            "{} feature file{}, {} scenario{}, {steps} steps: every step matches a phrase.\n",
            plan.features.len(),
            plural(plan.features.len()),
            plan.scenario_count(),
            plural(plan.scenario_count()),
        ));
        return PASSED;
    }
    problems.sort_by(|a, b| (&a.display, a.line).cmp(&(&b.display, b.line)));
    console.report_problems(&problems, "problem", "found; nothing was sent.");
    USAGE
}

/// Adds a problem for every step of `steps` (and of the scenarios they call) that cannot
/// run, each once (a Background step is in every scenario; a called one in every caller).
fn check_steps(
    file: &dyn SourceFile,
    steps: &Steps,
    seen: &mut HashSet<(String, usize)>,
    problems: &mut Vec<PlanProblem>,
) {
    for step in steps {
        if let Some(called) = step.call.as_deref()
            && seen.insert((called.display.clone(), called.line))
        {
            check_steps(called, &called.steps, seen, problems);
        }
        let Err(error) = &*step.matched else { continue };
        if !seen.insert((file.display().to_string(), step.line)) {
            continue;
        }
        let hint = match error.kind.as_ref() {
            ErrorKind::UnknownStep { suggestions } if !suggestions.is_empty() => {
                let quoted: Vec<String> = suggestions.iter().map(|s| format!("`{s}`")).collect();
                format!(
                    "did you mean {}? (`apitest steps WORD` searches the list)",
                    quoted.join(" or ")
                )
            }
            ErrorKind::AmbiguousStep { phrases } => {
                let quoted: Vec<String> = phrases.iter().map(|s| format!("`{s}`")).collect();
                format!(
                    "it matches {}; reword it to match one",
                    quoted.join(" and ")
                )
            }
            ErrorKind::UnknownStep { .. } => {
                "`apitest steps WORD` searches the step list".to_string()
            }
            _ => error
                .hint
                .clone()
                .unwrap_or_else(|| "`apitest steps WORD` searches the step list".to_string()),
        };
        let message = format!("{error}: `{} {}`", step.keyword, step.text);
        // Notes name what the user wrote (the called file's scenarios, a cycle's chain).
        let hint = match error.notes.as_slice() {
            [] => hint,
            notes => format!("{}; {hint}", notes.join("; ")),
        };
        problems.push(PlanProblem {
            display: file.display().to_string(),
            line: step.line,
            column: step.text_column,
            message,
            hint: Some(hint),
            source_line: file
                .source_line(step.line)
                .map(std::borrow::Cow::into_owned),
        });
    }
}
