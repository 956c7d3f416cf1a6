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
    step: &PlannedStep,
) -> StepStatus {
    if let Err(error) = &*step.matched {
        return match *error.kind {
            ErrorKind::AmbiguousStep { .. } => StepStatus::Ambiguous,
            _ => StepStatus::Undefined,
        };
    }
    let Some(result) = result else {
        return StepStatus::Skipped;
    };
    match (&result.failure, result.status) {
        (Some(failure), _) => match index.cmp(&failure.step) {
            std::cmp::Ordering::Less if index < result.steps.passed => StepStatus::Passed,
            std::cmp::Ordering::Less | std::cmp::Ordering::Greater => StepStatus::Skipped,
            std::cmp::Ordering::Equal => StepStatus::Failed,
        },
        (None, Status::Passed) => StepStatus::Passed,
        (None, _) => StepStatus::Skipped,
    }
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
