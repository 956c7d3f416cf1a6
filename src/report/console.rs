//! The console: one line per scenario as it finishes, then every failure rendered against its
//! feature line (in file order, so the output reads the same on every run), then a summary.

use std::io::{IsTerminal, Write};

use crate::error::plural;
use crate::report::render::{Style, render_failure, render_problem};
use crate::runner::plan::{Plan, PlanProblem};
use crate::runner::result::{RunSummary, ScenarioResult, Status};
use crate::secret::redact;

impl super::Reporter for Console {
    fn scenario_finished(&mut self, plan: &Plan, result: &ScenarioResult) {
        self.scenario(plan, result);
    }

    fn run_finished(
        &mut self,
        end: &super::RunEnd<'_>,
    ) -> Result<Option<String>, super::ReportError> {
        self.finish(end.plan, end.results, end.summary, end.written);
        Ok(None)
    }
}

pub struct Console {
    pub style: Style,
    /// Print only failures and the summary.
    pub quiet: bool,
    pub verbose: bool,
}

impl Console {
    /// Colours when stdout is a terminal and `NO_COLOR` is not set.
    pub fn new(quiet: bool, verbose: bool) -> Self {
        let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        Console {
            style: Style { color },
            quiet,
            verbose,
        }
    }

    pub fn start(&self, plan: &Plan, jobs: usize, scope: &str) {
        if self.quiet {
            return;
        }
        let scenarios = plan.scenario_count();
        let features = plan.features.len();
        crate::report::out(&format!(
            "Running {scenarios} scenario{} from {features} feature{} ({jobs} at a time, {scope} scope)\n",
            plural(scenarios),
            plural(features)
        ));
    }

    /// One line for a finished scenario (and its transcript with `--verbose`).
    pub fn scenario(&self, plan: &Plan, result: &ScenarioResult) {
        if self.quiet && !self.verbose && result.warnings.is_empty() {
            return;
        }
        let Some(feature) = plan.features.get(result.feature) else {
            return;
        };
        let Some(scenario) = feature.scenarios.get(result.scenario) else {
            return;
        };
        let mark = match result.status {
            Status::Passed => self.style.green("✔"),
            Status::Failed => self.style.red("✘"),
            Status::Skipped => self.style.yellow("-"),
        };
        let mut out = std::io::stdout().lock();
        // Names are what the user wrote: never redacted (CI tracks tests by name).
        let name = &scenario.name;
        let _ = writeln!(
            out,
            "  {mark} {name}  {}",
            self.style.dim(&format!(
                "{}:{} ({} ms)",
                feature.display,
                scenario.line,
                result.duration.as_millis()
            ))
        );
        for (step, warning) in &result.warnings {
            let line = scenario.steps.get(*step).map_or(scenario.line, |s| s.line);
            let _ = writeln!(
                out,
                "      {}: {} {}",
                self.style.yellow("warning"),
                redact(warning, &result.secrets),
                self.style.dim(&format!("({}:{line})", feature.display))
            );
        }
        if self.verbose {
            for entry in &result.transcript {
                for line in redact(entry, &result.secrets).lines() {
                    let _ = writeln!(out, "      {}", self.style.dim(line));
                }
            }
        }
        let _ = out.flush();
    }

    /// Failures in file order, then the totals, then where the reports went.
    pub fn finish(
        &self,
        plan: &Plan,
        results: &[ScenarioResult],
        summary: &RunSummary,
        written: &[String],
    ) {
        let mut failed: Vec<&ScenarioResult> =
            results.iter().filter(|r| r.failure.is_some()).collect();
        failed.sort_by_key(|r| (r.feature, r.scenario));
        let mut out = std::io::stdout().lock();
        if !failed.is_empty() {
            let _ = writeln!(out, "\n{}\n", self.style.red("Failures:"));
        }
        for result in failed {
            let (Some(feature), Some(failure)) =
                (plan.features.get(result.feature), &result.failure)
            else {
                continue;
            };
            let Some(scenario) = feature.scenarios.get(result.scenario) else {
                continue;
            };
            let _ = writeln!(
                out,
                "{}",
                self.style.dim(&format!("Scenario: {}", scenario.name))
            );
            let block = render_failure(feature, scenario, failure, &result.secrets, self.style);
            let _ = writeln!(out, "{block}");
        }
        let _ = writeln!(out, "{}", self.summary_line(summary));
        if summary.interrupted {
            let _ = writeln!(
                out,
                "{}",
                self.style.yellow(
                    "Interrupted: scenarios that had not finished are reported as skipped."
                )
            );
        }
        for line in written {
            let _ = writeln!(out, "{line}");
        }
        let _ = out.flush();
    }

    pub fn summary_line(&self, s: &RunSummary) -> String {
        let mut scenario_parts = vec![self.style.green(&format!("{} passed", s.scenarios_passed))];
        if s.scenarios_failed > 0 {
            scenario_parts.push(self.style.red(&format!("{} failed", s.scenarios_failed)));
        }
        if s.scenarios_skipped > 0 {
            scenario_parts.push(
                self.style
                    .yellow(&format!("{} skipped", s.scenarios_skipped)),
            );
        }
        let mut step_parts = vec![format!("{} passed", s.steps_passed)];
        if s.steps_failed > 0 {
            step_parts.push(format!("{} failed", s.steps_failed));
        }
        if s.steps_skipped > 0 {
            step_parts.push(format!("{} skipped", s.steps_skipped));
        }
        let warnings = match s.warnings {
            0 => String::new(),
            1 => format!(", {}", self.style.yellow("1 warning")),
            n => format!(", {}", self.style.yellow(&format!("{n} warnings"))),
        };
        format!(
            "\n{} scenario{} ({}), {} step{} ({}){warnings} in {:.2} s",
            s.scenarios(),
            plural(s.scenarios()),
            scenario_parts.join(", "),
            s.steps(),
            plural(s.steps()),
            step_parts.join(", "),
            s.elapsed.as_secs_f64()
        )
    }

    /// Files that cannot be run: every one of them, so they can all be fixed at once.
    pub fn problems(&self, problems: &[PlanProblem]) {
        self.report_problems(problems, "file", "cannot be run; nothing was sent.");
    }

    /// Every problem, then one line counting them: `3 problems found; nothing was sent.`
    pub fn report_problems(&self, problems: &[PlanProblem], noun: &str, verdict: &str) {
        let mut err = std::io::stderr().lock();
        for problem in problems {
            let _ = writeln!(
                err,
                "{}",
                render_problem(
                    problem,
                    Style {
                        color: self.style.color && std::io::stderr().is_terminal()
                    }
                )
            );
        }
        let n = problems.len();
        let _ = writeln!(err, "{n} {noun}{} {verdict}", plural(n));
    }
}
