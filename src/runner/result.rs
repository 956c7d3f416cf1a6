//! What a run produces: one `ScenarioResult` per scenario, in whatever order scenarios
//! finish, and the totals the summary line and the exit code are made from.

use std::time::Duration;

use crate::error::StepError;
use crate::http::RequestSummary;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Passed,
    Failed,
    /// Not run: an earlier step failed, or `--fail-fast` stopped the run.
    Skipped,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StepResult {
    pub status: Status,
    pub duration: Duration,
}

/// The failure of a scenario: which step, what went wrong, and the request it concerned.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub step: usize,
    pub error: StepError,
    pub request: Option<RequestSummary>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioResult {
    pub feature: usize,
    pub scenario: usize,
    pub status: Status,
    /// Per step; the run keeps only the totals once the scenario is counted.
    pub steps: Vec<StepResult>,
    /// Boxed: most scenarios pass, and a run keeps every result until the reports are written.
    pub failure: Option<Box<Failure>>,
    pub duration: Duration,
    /// Values that must be redacted from anything printed about this scenario.
    pub secrets: Vec<String>,
    /// Requests, responses and logged context, kept with `--verbose`.
    pub transcript: Vec<String>,
    /// Warnings, each with the index of the step that raised it.
    pub warnings: Vec<(usize, String)>,
}

/// Totals over a run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunSummary {
    pub scenarios_passed: usize,
    pub scenarios_failed: usize,
    pub scenarios_skipped: usize,
    pub steps_passed: usize,
    pub steps_failed: usize,
    pub steps_skipped: usize,
    pub elapsed: Duration,
    pub interrupted: bool,
    pub warnings: usize,
}

impl RunSummary {
    pub fn add(&mut self, result: &ScenarioResult) {
        match result.status {
            Status::Passed => self.scenarios_passed += 1,
            Status::Failed => self.scenarios_failed += 1,
            Status::Skipped => self.scenarios_skipped += 1,
        }
        self.warnings += result.warnings.len();
        for step in &result.steps {
            match step.status {
                Status::Passed => self.steps_passed += 1,
                Status::Failed => self.steps_failed += 1,
                Status::Skipped => self.steps_skipped += 1,
            }
        }
    }

    pub fn scenarios(&self) -> usize {
        self.scenarios_passed + self.scenarios_failed + self.scenarios_skipped
    }

    pub fn steps(&self) -> usize {
        self.steps_passed + self.steps_failed + self.steps_skipped
    }
}
