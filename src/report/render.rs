//! The one renderer: a `Diagnostic` drawn as the headline, `-->` file:line:column, the
//! scenario and step lines with carets under the argument at fault, then expected/actual,
//! the differences, the request, and a hint. The console (coloured), JUnit (plain),
//! `apitest check` and usage errors share this one text.

use std::fmt::Write as _;

use crate::error::{Context, Diagnostic, Location};
use crate::runner::plan::{PlanProblem, PlannedFeature, PlannedScenario, SourceFile};
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

/// Draws a diagnostic: the one renderer for the console, JUnit, and `apitest check`.
pub fn render(d: &Diagnostic, style: Style) -> String {
    let label = match d.label {
        crate::error::Label::Warning => style.yellow(d.label.as_str()),
        _ => style.red(d.label.as_str()),
    };
    let mut out = format!("{label}: {}\n", d.headline);
    if let Some(at) = &d.location {
        let place = match (at.line, at.column) {
            (0, _) => at.file.clone(),
            (line, None) => format!("{}:{line}", at.file),
            (line, Some(column)) => format!("{}:{line}:{column}", at.file),
        };
        let _ = writeln!(out, "  {} {place}", style.blue("-->"));
    }
    let width = d.width.max(1);
    let gutter = || style.blue(&format!("{:>width$} |", ""));
    for line in &d.context {
        let _ = match line {
            Context::Gutter => writeln!(out, "{}", gutter()),
            Context::Source { line, text } => {
                writeln!(out, "{} {text}", style.blue(&format!("{line:>width$} |")))
            }
            Context::Elided => writeln!(out, "{} {}", gutter(), style.dim("...")),
            Context::Carets(carets) => writeln!(out, "{} {}", gutter(), style.red(carets)),
            Context::Note(note) => writeln!(out, "{} {}", gutter(), style.dim(note)),
        };
    }
    let pad = " ".repeat(width);
    let eq = style.blue("=");
    for (label, value) in &d.details {
        let mut lines = value.lines();
        let first = lines.next().unwrap_or("");
        let _ = writeln!(out, "{pad} {eq} {label}: {first}");
        for more in lines {
            let _ = writeln!(out, "{pad}   {more}");
        }
    }
    if !d.diff.is_empty() {
        let _ = writeln!(out, "{pad} {eq} differences:");
        for line in &d.diff {
            let _ = writeln!(out, "{pad}     {line}");
        }
    }
    if let Some(request) = &d.request {
        let _ = writeln!(out, "{pad} {eq} request: {request}");
    }
    if let Some(hint) = &d.hint {
        let _ = writeln!(out, "{pad} {eq} {}: {hint}", style.yellow("hint"));
    }
    out
}

/// The same diagnostic with `secrets` masked in what the run produced (headline, facts,
/// differences, request, hint); the location, the lines of the feature files and the notes
/// on them (places and names the user wrote) stay as written.
pub fn redacted(mut d: Diagnostic, secrets: &[String]) -> Diagnostic {
    if secrets.is_empty() {
        return d;
    }
    let mask = |text: &str| crate::secret::redact(text, secrets);
    d.headline = mask(&d.headline);
    for (_, value) in &mut d.details {
        *value = mask(value);
    }
    for line in &mut d.diff {
        *line = mask(line);
    }
    d.request = d.request.as_deref().map(mask);
    d.hint = d.hint.as_deref().map(mask);
    d
}

/// The block for a failed scenario, with `secrets` masked in everything but the lines of the
/// feature file, which are shown as the user wrote them.
pub fn render_failure(
    feature: &PlannedFeature,
    scenario: &PlannedScenario,
    failure: &Failure,
    secrets: &[String],
    style: Style,
) -> String {
    render(
        &redacted(failure_diagnostic(feature, scenario, failure), secrets),
        style,
    )
}

/// A failed scenario's diagnostic: the error placed at its step, with the scenario line, the
/// step line and carets under the argument at fault. A step of a called scenario is shown in
/// its own file, with a note per call that led to it (file:line of each caller).
pub fn failure_diagnostic(
    feature: &PlannedFeature,
    scenario: &PlannedScenario,
    failure: &Failure,
) -> Diagnostic {
    let error = &failure.error;
    let mut d = error.diagnostic();
    let Some(mut step) = scenario.steps.get(failure.step) else {
        return Diagnostic {
            label: d.label,
            headline: d.headline,
            location: Some(Location {
                file: feature.display.clone(),
                line: scenario.line,
                column: None,
            }),
            ..Diagnostic::default()
        };
    };
    // Down the calls to the failing step: its file, its scenario's line, and the callers.
    let mut file: &dyn SourceFile = feature;
    let mut scenario_line = scenario.line;
    let mut callers = Vec::new();
    for &index in &failure.nested {
        let Some(called) = step.shape().call.as_deref() else {
            break;
        };
        let Some(inner) = called.steps.get(index) else {
            break;
        };
        callers.push(format!(
            "in \"{}\", called at {}:{}",
            called.name,
            file.display(),
            step.line
        ));
        (file, scenario_line, step) = (called, called.line, inner);
    }
    d.location = Some(Location {
        file: file.display().to_string(),
        line: step.line,
        column: Some(step.column),
    });
    d.width = Diagnostic::digits(step.line.max(scenario_line));
    d.context.push(Context::Gutter);
    let scenario_first = scenario_line < step.line;
    if scenario_first && let Some(text) = file.source_line(scenario_line) {
        d.context.push(Context::Source {
            line: scenario_line,
            text: (*text).to_string(),
        });
        if step.line > scenario_line + 1 {
            d.context.push(Context::Elided);
        }
    }
    if let Some(text) = file.source_line(step.line) {
        d.context.push(Context::Source {
            line: step.line,
            text: (*text).to_string(),
        });
        // A step the plan refused for its arguments (a call to a scenario that is not there)
        // still matched its phrase: look it up again for the argument's place.
        let spans = match (&*step.matched, error.arg) {
            (Ok(m), _) => m.spans.clone(),
            (Err(_), Some(_)) => match crate::steps::REGISTRY.find(&step.text) {
                crate::steps::Lookup::Found { spans, .. } => spans,
                _ => Vec::new(),
            },
            (Err(_), None) => Vec::new(),
        };
        if let Some(carets) = caret_line(&text, step.text_column, &step.text, error.arg, &spans) {
            d.context.push(Context::Carets(carets));
        }
    }
    for note in &error.notes {
        d.context.push(Context::Note(note.clone()));
    }
    if step.background {
        d.context.push(Context::Note(format!(
            "(Background step, run for scenario at line {scenario_line})"
        )));
    }
    // Innermost call first, as a backtrace reads.
    for caller in callers.into_iter().rev() {
        d.context.push(Context::Note(caller));
    }
    d.context.push(Context::Gutter);
    d.request = failure.request.as_ref().map(ToString::to_string);
    d
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

/// The block for a file that cannot be run (parse error, unreadable file).
pub fn render_problem(problem: &PlanProblem, style: Style) -> String {
    render(&problem_diagnostic(problem), style)
}

/// The block for something in a file the run goes on without.
pub fn render_warning(problem: &PlanProblem, style: Style) -> String {
    let mut d = problem_diagnostic(problem);
    d.label = crate::error::Label::Warning;
    render(&d, style)
}

/// A problem's diagnostic: the file and line, the line itself with a caret at the column.
pub fn problem_diagnostic(problem: &PlanProblem) -> Diagnostic {
    let mut d = Diagnostic::error(problem.message.clone()).with_hint(problem.hint.as_deref());
    d.location = Some(Location {
        file: problem.display.clone(),
        line: problem.line,
        // Column 0 is the end of the file, which has none.
        column: (problem.line != 0 && problem.column != 0).then_some(problem.column),
    });
    d.width = Diagnostic::digits(problem.line);
    if let Some(text) = &problem.source_line {
        d.context = vec![
            Context::Gutter,
            Context::Source {
                line: problem.line,
                text: text.clone(),
            },
            Context::Carets(format!("{}^", " ".repeat(problem.column.saturating_sub(1)))),
        ];
    }
    d
}
