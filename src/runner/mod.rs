//! Running features: find the files (`discover`), parse and match them (`plan`), execute the
//! scenarios (`run`), and the results that come out (`result`).

pub mod discover;
pub mod last_run;
pub mod plan;
pub mod result;
pub mod run;
pub mod select;
pub mod shard;

pub use discover::{Project, discover};
pub use plan::{Plan, PlanProblem, PlannedFeature, PlannedScenario, PlannedStep, build_plan};
pub use result::{Attempt, Failure, Progress, RunSummary, ScenarioResult, Status, StepCounts};
pub use run::{RunOptions, execute};
