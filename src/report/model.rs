//! What every structured report reads off a run the same way: each scenario's result by its
//! place in the plan, each step's status, the name a test goes by, and why a scenario did
//! not run.

use std::time::{Duration, SystemTime};

use crate::error::ErrorKind;
use crate::runner::plan::{Plan, PlannedFeature, PlannedScenario, PlannedStep};
use crate::runner::result::{Attempt, ScenarioResult, Status};
use crate::secret::redact;

/// How one step ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepStatus {
    Passed,
    Failed,
    Skipped,
    /// No phrase matches the step's text.
    Undefined,
    /// Several phrases match it.
    Ambiguous,
}

impl StepStatus {
    /// The name Cucumber Messages give it (`PASSED`).
    pub fn upper(self) -> &'static str {
        match self {
            StepStatus::Passed => "PASSED",
            StepStatus::Failed => "FAILED",
            StepStatus::Skipped => "SKIPPED",
            StepStatus::Undefined => "UNDEFINED",
            StepStatus::Ambiguous => "AMBIGUOUS",
        }
    }

    /// The name Cucumber JSON and the HTML report give it (`passed`).
    pub fn lower(self) -> &'static str {
        match self {
            StepStatus::Passed => "passed",
            StepStatus::Failed => "failed",
            StepStatus::Skipped => "skipped",
            StepStatus::Undefined => "undefined",
            StepStatus::Ambiguous => "ambiguous",
        }
    }
}

/// The status of step `index` (`step`) of a scenario whose result is `result` (`None`: not
/// run). A step no phrase matches is undefined, one several match ambiguous, wherever it is;
/// the others ran in order up to the first failure. An unknown step fails its scenario
/// before anything runs, so the steps before it are skipped, not passed.
pub fn step_status(
    result: Option<&ScenarioResult>,
    index: usize,
    step: PlannedStep<'_>,
) -> StepStatus {
    if let Err(error) = &*step.matched {
        let failed_here = result
            .and_then(|r| r.failure.as_ref())
            .is_some_and(|f| f.step == index);
        return refused_status(error, failed_here);
    }
    let Some(result) = result else {
        return StepStatus::Skipped;
    };
    match (&result.failure, result.status) {
        (Some(failure), _) => match index.cmp(&failure.step) {
            std::cmp::Ordering::Less if result.steps.passed_step(index) => StepStatus::Passed,
            std::cmp::Ordering::Less | std::cmp::Ordering::Greater => StepStatus::Skipped,
            std::cmp::Ordering::Equal => StepStatus::Failed,
        },
        (None, Status::Passed) => StepStatus::Passed,
        (None, _) => StepStatus::Skipped,
    }
}

/// A step of a called scenario, as reports list it under the step that called it.
#[derive(Debug)]
pub struct CalledStep<'p> {
    /// 1 for the steps of a scenario the scenario's own step calls, 2 for those it calls, ...
    pub depth: usize,
    pub step: PlannedStep<'p>,
    /// The file it is written in, as shown in messages.
    pub file: &'p str,
    pub status: StepStatus,
}

/// The steps step `index` of a scenario (whose result is `result`) runs by calling a
/// scenario, and those they call, in order, each with its status: from the call step's own
/// status and, when the failure is at or below it, its place in the calls
/// (`Failure::nested`). Empty for any other step.
pub fn called_steps<'p>(
    result: Option<&ScenarioResult>,
    index: usize,
    step: PlannedStep<'p>,
) -> Vec<CalledStep<'p>> {
    let mut out = Vec::new();
    if step.call.is_none() {
        return out;
    }
    let status = step_status(result, index, step);
    let nested = result
        .and_then(|r| r.failure.as_ref())
        .filter(|f| f.step == index)
        .map(|f| f.nested.as_slice());
    // Nothing runs before a step that matches no phrase: it is found before the first step.
    let unmatched =
        nested.is_some_and(|path| innermost(step, path).is_some_and(|s| s.matched.is_err()));
    walk(step, status, nested, unmatched, 1, &mut out);
    out
}

/// The step the place `path` names below `step`.
fn innermost<'p>(mut step: PlannedStep<'p>, path: &[usize]) -> Option<PlannedStep<'p>> {
    for &i in path {
        step = step.shape().call.as_ref()?.steps.get(i)?;
    }
    Some(step)
}

fn walk<'p>(
    step: PlannedStep<'p>,
    status: StepStatus,
    nested: Option<&[usize]>,
    unmatched: bool,
    depth: usize,
    out: &mut Vec<CalledStep<'p>>,
) {
    let Some(called) = step.shape().call.as_deref() else {
        return;
    };
    let failed_at = match (status, nested) {
        (StepStatus::Failed, Some(path)) => path
            .first()
            .map(|&i| (i, path.get(1..).unwrap_or_default())),
        _ => None,
    };
    for (i, inner) in called.steps.iter().enumerate() {
        let (inner_status, inner_path) = match (&*inner.matched, failed_at) {
            (Err(e), at) => (refused_status(e, at.is_some_and(|(at, _)| at == i)), None),
            (Ok(_), Some((at, rest))) => match i.cmp(&at) {
                std::cmp::Ordering::Less if !unmatched => (StepStatus::Passed, None),
                std::cmp::Ordering::Equal => (StepStatus::Failed, Some(rest)),
                _ => (StepStatus::Skipped, None),
            },
            // The call step failed itself (a bad parameter), so none of its steps ran.
            (Ok(_), None) if status == StepStatus::Passed => (StepStatus::Passed, None),
            (Ok(_), None) => (StepStatus::Skipped, None),
        };
        out.push(CalledStep {
            depth,
            step: inner,
            file: &called.display,
            status: inner_status,
        });
        walk(inner, inner_status, inner_path, unmatched, depth + 1, out);
    }
}

/// The status of a step the plan refused: undefined when no phrase matches it, ambiguous
/// when several do; one whose arguments cannot work (a polled step that is no check, a call
/// to a scenario that is not there) failed when the scenario failed there, else never ran.
fn refused_status(error: &crate::error::Error, failed_here: bool) -> StepStatus {
    match *error.kind {
        ErrorKind::AmbiguousStep { .. } => StepStatus::Ambiguous,
        ErrorKind::UnknownStep { .. } => StepStatus::Undefined,
        _ if failed_here => StepStatus::Failed,
        _ => StepStatus::Skipped,
    }
}

/// The steps a call step ran, one line each (`passed: Given address "@address"
/// (common/auth.feature:6)`), indented by depth, step texts redacted: for the reports that
/// have no nesting of their own.
pub fn called_lines(
    result: Option<&ScenarioResult>,
    index: usize,
    step: PlannedStep<'_>,
    secrets: &[String],
) -> Vec<String> {
    called_steps(result, index, step)
        .into_iter()
        .map(|c| {
            format!(
                "{}{}: {} {} ({}:{})",
                "  ".repeat(c.depth - 1),
                c.status.lower(),
                c.step.keyword,
                redact(&c.step.text, secrets),
                c.file,
                c.step.line
            )
        })
        .collect()
}

/// Each failed attempt before the last of a scenario that was run again, as one line
/// (`flaky: attempt 1 of 2 failed: status is not 200`, redacted), with the attempt.
pub fn retry_lines(result: &ScenarioResult) -> impl Iterator<Item = (&Attempt, String)> {
    let verdict = if result.is_flaky() {
        "flaky"
    } else {
        "retried"
    };
    let attempts = result.retries.len() + 1;
    result.retries.iter().enumerate().map(move |(n, attempt)| {
        let message = redact(&attempt.failure.error.to_string(), &attempt.secrets);
        let line = format!(
            "{verdict}: attempt {} of {attempts} failed: {message}",
            n + 1
        );
        (attempt, line)
    })
}

/// A scenario's status as reports name it (`passed`, `failed`, `skipped`; no result is
/// `skipped`).
pub fn scenario_status(result: Option<&ScenarioResult>) -> &'static str {
    match result.map(|r| r.status) {
        Some(Status::Passed) => "passed",
        Some(Status::Failed) => "failed",
        Some(Status::Skipped) | None => "skipped",
    }
}

/// The feature and scenario at a place in the plan.
pub fn at(
    plan: &Plan,
    feature: usize,
    scenario: usize,
) -> Option<(&PlannedFeature, &PlannedScenario)> {
    let f = plan.features.get(feature)?;
    Some((f, f.scenarios.get(scenario)?))
}

/// A feature's title in reports: its name, else its file.
pub fn feature_title(feature: &PlannedFeature) -> &str {
    if feature.name.is_empty() {
        &feature.display
    } else {
        &feature.name
    }
}

/// The feature's path as reports name it, with `/` between folders on every system.
pub fn uri(feature: &PlannedFeature) -> String {
    feature.display.replace('\\', "/")
}

/// A warning as reports show it, with the place of the step that raised it, redacted.
pub fn warning_line(
    feature: &PlannedFeature,
    scenario: &PlannedScenario,
    result: &ScenarioResult,
    (step, warning): &(usize, String),
) -> String {
    let line = scenario.steps.get(*step).map_or(scenario.line, |s| s.line);
    format!(
        "warning: {} ({}:{line})",
        crate::secret::redact(warning, &result.secrets),
        feature.display
    )
}

/// The `-v` transcript as one text, redacted; `None` when there is none.
pub fn transcript(result: &ScenarioResult) -> Option<String> {
    (!result.transcript.is_empty())
        .then(|| crate::secret::redact(&result.transcript.join("\n\n"), &result.secrets))
}

/// The failing step's exchange and the `curl` line that sends it again, redacted.
pub fn exchange_text(result: &ScenarioResult) -> Option<String> {
    let exchange = result.failure.as_ref()?.exchange.as_ref()?;
    let text = format!(
        "The failing step's exchange:\n{}\n\nTo send it again:\n{}",
        exchange.text(),
        exchange.curl
    );
    Some(crate::secret::redact(&text, &result.secrets))
}

/// How long step `index` took (zero for a step that did not run).
pub fn step_duration(result: Option<&ScenarioResult>, index: usize) -> Duration {
    result
        .and_then(|r| r.step_micros.get(index))
        .map_or(Duration::ZERO, |&us| Duration::from_micros(u64::from(us)))
}

/// When step `index` started: the scenario's start plus the steps before it.
pub fn step_started(result: &ScenarioResult, index: usize) -> Option<SystemTime> {
    let before: u64 = result
        .step_micros
        .iter()
        .take(index)
        .map(|&us| u64::from(us))
        .sum();
    result.started.map(|at| at + Duration::from_micros(before))
}

/// Every scenario's result by (feature, scenario) index; `None` for a scenario that has none
/// (the run was interrupted before it finished).
pub fn by_position<'r>(
    plan: &Plan,
    results: &'r [ScenarioResult],
) -> Vec<Vec<Option<&'r ScenarioResult>>> {
    let mut slots: Vec<Vec<Option<&ScenarioResult>>> = plan
        .features
        .iter()
        .map(|f| vec![None; f.scenarios.len()])
        .collect();
    for result in results {
        if let Some(slot) = slots
            .get_mut(result.feature)
            .and_then(|f| f.get_mut(result.scenario))
        {
            *slot = Some(result);
        }
    }
    slots
}

/// The name a test goes by in reports: the scenario's, after its Rule's when it has one
/// (`Rule name / Scenario name`). Names are what the user wrote and are never redacted.
pub fn test_name(scenario: &PlannedScenario) -> String {
    match &scenario.rule {
        Some(rule) if !rule.is_empty() => format!("{rule} / {}", scenario.name),
        _ => scenario.name.clone(),
    }
}

/// Why a scenario has no result of its own.
pub fn not_run_reason(interrupted: bool) -> &'static str {
    if interrupted {
        "not run: the run was interrupted (Ctrl-C or a signal) before this scenario finished"
    } else {
        "not run: --fail-fast stopped the run after a failure"
    }
}

/// Seconds and nanoseconds since the Unix epoch.
pub fn unix(at: SystemTime) -> (u64, u32) {
    let since = at
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default();
    (since.as_secs(), since.subsec_nanos())
}

/// A failure as plain text for the structured reports: the rendered block (as on the
/// console), then the failing step's exchange and its `curl` line, secrets redacted.
pub fn failure_text(
    feature: &crate::runner::plan::PlannedFeature,
    scenario: &PlannedScenario,
    result: &ScenarioResult,
) -> Option<String> {
    let failure = result.failure.as_ref()?;
    let mut text = crate::report::render::render_failure(
        feature,
        scenario,
        failure,
        &result.secrets,
        crate::report::render::Style::PLAIN,
    );
    if let Some(exchange) = exchange_text(result) {
        text.push('\n');
        text.push_str(&exchange);
        text.push('\n');
    }
    Some(text)
}
