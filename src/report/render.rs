//! Renders a failure against the feature file: the headline, `-->` file:line:column, the
//! scenario and step lines with carets under the argument at fault, then expected/actual,
//! the request, and a hint. The console (coloured) and JUnit (plain) share this one text.

use std::fmt::Write as _;

use crate::error::{StepError, default_hint};
use crate::runner::plan::{PlanProblem, PlannedFeature, PlannedScenario};
use crate::runner::result::Failure;

/// ANSI colours, or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
}

impl Style {
    pub const PLAIN: Style = Style { color: false };

    pub fn paint(self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    pub fn red(self, text: &str) -> String {
        self.paint("1;31", text)
    }

    pub fn green(self, text: &str) -> String {
        self.paint("32", text)
    }

    pub fn yellow(self, text: &str) -> String {
        self.paint("33", text)
    }

    pub fn blue(self, text: &str) -> String {
        self.paint("1;34", text)
    }

    pub fn dim(self, text: &str) -> String {
        self.paint("2", text)
    }
}

/// The block for a failed scenario.
pub fn render_failure(
    feature: &PlannedFeature,
    scenario: &PlannedScenario,
    failure: &Failure,
    style: Style,
) -> String {
    let error = &failure.error;
    let label = if error.is_assertion() {
        "failed"
    } else {
        "error"
    };
    let mut out = format!("{}: {}\n", style.red(label), error);
    let Some(step) = scenario.steps.get(failure.step) else {
        let _ = writeln!(out, "  --> {}:{}", feature.display, scenario.line);
        return out;
    };
    let _ = writeln!(
        out,
        "  {} {}:{}:{}",
        style.blue("-->"),
        feature.display,
        step.line,
        step.column
    );
    let lines: Vec<&str> = feature.source.lines().collect();
    let width = step.line.max(scenario.line).to_string().len();
    let gutter = |n: Option<usize>| match n {
        Some(n) => style.blue(&format!("{n:>width$} |")),
        None => style.blue(&format!("{:>width$} |", "")),
    };
    let _ = writeln!(out, "{}", gutter(None));
    let scenario_first = scenario.line < step.line;
    if scenario_first && let Some(text) = lines.get(scenario.line.saturating_sub(1)) {
        let _ = writeln!(out, "{} {}", gutter(Some(scenario.line)), text);
        if step.line > scenario.line + 1 {
            let _ = writeln!(out, "{} {}", gutter(None), style.dim("..."));
        }
    }
    if let Some(text) = lines.get(step.line.saturating_sub(1)) {
        let _ = writeln!(out, "{} {}", gutter(Some(step.line)), text);
        let spans = (*step.matched)
            .as_ref()
            .map(|m| m.spans.as_slice())
            .unwrap_or(&[]);
        if let Some(carets) = caret_line(text, step.text_column, &step.text, error.arg, spans) {
            let _ = writeln!(out, "{} {}", gutter(None), style.red(&carets));
        }
    }
    if step.background {
        let _ = writeln!(
            out,
            "{} {}",
            gutter(None),
            style.dim(&format!(
                "(Background step, run for scenario at line {})",
                scenario.line
            ))
        );
    }
    let _ = writeln!(out, "{}", gutter(None));
    write_details(
        &mut out,
        error,
        failure.request.as_ref().map(ToString::to_string),
        style,
        width,
    );
    out
}

/// Carets under the argument at fault (or under the whole step text), when the source line
/// holds the step text as written (not so for Scenario Outline rows, whose text is filled in).
fn caret_line(
    source_line: &str,
    text_column: usize,
    text: &str,
    arg: Option<usize>,
    spans: &[(usize, usize)],
) -> Option<String> {
    let written: String = source_line
        .chars()
        .skip(text_column.saturating_sub(1))
        .collect();
    if !written.starts_with(text) {
        return None;
    }
    let (start, len) = match arg.and_then(|i| spans.get(i).copied()) {
        Some((s, e)) => (
            text.get(..s)?.chars().count(),
            text.get(s..e)?.chars().count().max(1),
        ),
        None => (0, text.chars().count().max(1)),
    };
    let indent = text_column.saturating_sub(1) + start;
    Some(format!("{}{}", " ".repeat(indent), "^".repeat(len)))
}

fn write_details(
    out: &mut String,
    error: &StepError,
    request: Option<String>,
    style: Style,
    width: usize,
) {
    let pad = " ".repeat(width);
    let eq = style.blue("=");
    for (label, value) in error.details() {
        let mut lines = value.lines();
        let first = lines.next().unwrap_or("");
        let _ = writeln!(out, "{pad} {eq} {label}: {first}");
        for more in lines {
            let _ = writeln!(out, "{pad}   {more}");
        }
    }
    if !error.diff.is_empty() {
        let _ = writeln!(out, "{pad} {eq} differences:");
        for line in &error.diff {
            let _ = writeln!(out, "{pad}     {line}");
        }
    }
    if let Some(request) = request {
        let _ = writeln!(out, "{pad} {eq} request: {request}");
    }
    let hint = error.hint.as_deref().or_else(|| default_hint(&error.kind));
    if let Some(hint) = hint {
        let _ = writeln!(out, "{pad} {eq} {}: {hint}", style.yellow("hint"));
    }
}

/// The block for a file that cannot be run (parse error, unreadable file).
pub fn render_problem(problem: &PlanProblem, style: Style) -> String {
    let mut out = format!("{}: {}\n", style.red("error"), problem.message);
    if problem.line == 0 {
        let _ = writeln!(out, "  {} {}", style.blue("-->"), problem.display);
    } else {
        let _ = writeln!(
            out,
            "  {} {}:{}:{}",
            style.blue("-->"),
            problem.display,
            problem.line,
            problem.column
        );
    }
    let width = problem.line.to_string().len();
    if let Some(text) = &problem.source_line {
        let _ = writeln!(out, "{}", style.blue(&format!("{:>width$} |", "")));
        let _ = writeln!(
            out,
            "{} {}",
            style.blue(&format!("{:>width$} |", problem.line)),
            text
        );
        let caret = format!("{}^", " ".repeat(problem.column.saturating_sub(1)));
        let _ = writeln!(
            out,
            "{} {}",
            style.blue(&format!("{:>width$} |", "")),
            style.red(&caret)
        );
    }
    if let Some(hint) = &problem.hint {
        let _ = writeln!(
            out,
            "{} {} {}: {hint}",
            " ".repeat(width),
            style.blue("="),
            style.yellow("hint")
        );
    }
    out
}
