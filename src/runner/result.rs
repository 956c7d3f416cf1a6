//! What a run produces: one `ScenarioResult` per scenario, in whatever order scenarios
//! finish, and the totals the summary line and the exit code are made from.

use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};
use thin_vec::ThinVec;

use crate::error::Error;
use crate::http::{Exchange, RequestSummary};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    Passed,
    Failed,
    /// Not run: an earlier step failed, or `--fail-fast` stopped the run.
    Skipped,
}

/// How a scenario's steps ended. Steps run in order and stop at the first failure, so the
/// counts follow from the number of steps and where (if anywhere) one failed. Counted in
/// `u32`s (a scenario has far fewer steps), which with the status fill 16 bytes of a result
/// where `usize`s took 32: a run keeps every result until the reports are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepCounts {
    pub passed: u32,
    pub failed: u32,
    pub skipped: u32,
}

/// A step count or index as a `u32`, saturating.
fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl StepCounts {
    /// `steps` steps, the one at `failed` failing (and those after it skipped).
    pub fn of(steps: usize, failed: Option<usize>) -> StepCounts {
        match failed {
            None => StepCounts {
                passed: count(steps),
                ..StepCounts::default()
            },
            Some(at) => StepCounts {
                passed: count(at),
                failed: 1,
                skipped: count(steps.saturating_sub(at + 1)),
            },
        }
    }

    /// None of `steps` steps ran.
    pub fn skipped(steps: usize) -> StepCounts {
        StepCounts {
            skipped: count(steps),
            ..StepCounts::default()
        }
    }

    /// The first step failed before any ran (a step no phrase matches, found before the
    /// first is sent); the other `steps - 1` are skipped.
    pub fn refused(steps: usize) -> StepCounts {
        StepCounts {
            passed: 0,
            failed: 1,
            skipped: count(steps.saturating_sub(1)),
        }
    }

    /// Whether step `index` ran and passed.
    pub fn passed_step(&self, index: usize) -> bool {
        index < self.passed as usize
    }
}

/// The failure of a scenario: which step, what went wrong, and the request it concerned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Failure {
    pub step: usize,
    /// Where in the scenarios `step` calls the failing step is: an index into the called
    /// scenario's steps per level of calls (empty: `step` itself failed).
    pub nested: Vec<usize>,
    pub error: Error,
    pub request: Option<RequestSummary>,
    /// The request (and response) the failing step concerned, for the reports.
    pub exchange: Option<Exchange>,
}

impl Failure {
    /// A failure with no request behind it.
    pub fn at(step: usize, error: Error) -> Self {
        Failure {
            step,
            nested: Vec::new(),
            error,
            request: None,
            exchange: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioResult {
    pub feature: usize,
    pub scenario: usize,
    pub status: Status,
    pub steps: StepCounts,
    /// Boxed: most scenarios pass, and a run keeps every result until the reports are written.
    pub failure: Option<Box<Failure>>,
    pub duration: Duration,
    /// When the scenario started (wall clock), for reports' timestamps and timeline; `None`
    /// for a scenario that never ran.
    pub started: Option<SystemTime>,
    /// How long each step that ran took, in microseconds (steps after a failure did not run).
    pub step_micros: Box<[u32]>,
    /// Values that must be redacted from anything printed about this scenario.
    ///
    /// This and the three lists below are empty for most scenarios, and a run keeps every
    /// result until the reports are written: a `ThinVec` is one pointer, where a `Vec` is
    /// three (100,000 results: 6.4 MB less).
    pub secrets: ThinVec<String>,
    /// Requests, responses and logged context, kept with `--verbose`.
    pub transcript: ThinVec<String>,
    /// Warnings, each with the index of the step that raised it.
    pub warnings: ThinVec<(usize, String)>,
    /// The attempts that failed before this one (`--retry`, `@retry`), oldest first. A
    /// scenario that passed after any is flaky.
    pub retries: ThinVec<Attempt>,
}

/// A failed attempt of a scenario that was run again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attempt {
    pub failure: Box<Failure>,
    pub started: Option<SystemTime>,
    pub duration: Duration,
    pub secrets: ThinVec<String>,
}

impl ScenarioResult {
    /// Passed, but only after failing: counted apart from the passed ones.
    pub fn is_flaky(&self) -> bool {
        self.status == Status::Passed && !self.retries.is_empty()
    }
}

/// What the runner tells the run as it goes.
#[derive(Debug)]
pub enum Progress {
    /// A scenario (feature index, scenario index) is about to run its first step, at that
    /// time (the same its result carries as `started`).
    Started(usize, usize, SystemTime),
    /// A scenario finished, was skipped, or failed: each scenario yields exactly one.
    Finished(ScenarioResult),
}

/// Totals over a run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunSummary {
    /// Passed at the first attempt.
    pub scenarios_passed: usize,
    /// Passed on a retry, after failing (not counted in `scenarios_passed`).
    pub scenarios_flaky: usize,
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
            Status::Passed if result.is_flaky() => self.scenarios_flaky += 1,
            Status::Passed => self.scenarios_passed += 1,
            Status::Failed => self.scenarios_failed += 1,
            Status::Skipped => self.scenarios_skipped += 1,
        }
        self.warnings += result.warnings.len();
        self.steps_passed += result.steps.passed as usize;
        self.steps_failed += result.steps.failed as usize;
        self.steps_skipped += result.steps.skipped as usize;
    }

    pub fn scenarios(&self) -> usize {
        self.scenarios_passed
            + self.scenarios_flaky
            + self.scenarios_failed
            + self.scenarios_skipped
    }

    pub fn steps(&self) -> usize {
        self.steps_passed + self.steps_failed + self.steps_skipped
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A run keeps every result and every planned scenario until the reports are written: a
    /// field that grows them grows a 100,000-scenario run by 100,000 times as much.
    #[test]
    fn what_a_run_keeps_per_scenario_stays_small() {
        assert_eq!(std::mem::size_of::<StepCounts>(), 12);
        assert!(std::mem::size_of::<ScenarioResult>() <= 128);
        assert!(std::mem::size_of::<crate::runner::PlannedScenario>() <= 96);
        assert_eq!(std::mem::size_of::<crate::runner::plan::Steps>(), 24);
    }

    #[test]
    fn step_counts_follow_from_where_a_step_failed() {
        let at = StepCounts::of(9, Some(3));
        assert_eq!((at.passed, at.failed, at.skipped), (3, 1, 5));
        assert!(at.passed_step(2) && !at.passed_step(3));
        let refused = StepCounts::refused(9);
        assert_eq!((refused.passed, refused.failed, refused.skipped), (0, 1, 8));
        assert_eq!(StepCounts::skipped(4).skipped, 4);
        assert_eq!(StepCounts::of(4, None).passed, 4);
    }
}
