//! The console: a line per scenario as it finishes (grouped under its feature), each failure
//! in full as soon as its scenario ends, and at the end the failed scenarios by file and line
//! and the totals. On a terminal (and not in CI) a progress line stays at the bottom; piped
//! or in CI the output is plain lines with no control codes. `-q` prints only failures, as
//! they happen, and the summary.

use std::io::{IsTerminal, Write};
use std::time::Instant;

use crate::error::plural;
use crate::report::render::{Style, render_failure, render_problem};
use crate::runner::plan::{Plan, PlanProblem};
use crate::runner::result::{RunSummary, ScenarioResult, Status};
use crate::secret::redact;

impl super::Reporter for Console {
    fn event(&mut self, plan: &Plan, event: &super::Event<'_>) {
        match event {
            super::Event::RunStarted { jobs, scope } => {
                self.total = plan.scenario_count();
                self.start(plan, *jobs, &scope.to_string());
            }
            super::Event::ScenarioStarted { .. } => self.running += 1,
            super::Event::ScenarioFinished(result) => {
                if result.started.is_some() {
                    self.running = self.running.saturating_sub(1);
                }
                self.scenario(plan, result);
            }
        }
    }

    fn finish(&mut self, end: &super::RunEnd<'_>) -> Result<Option<String>, super::ReportError> {
        self.finish_run(end.plan, end.results, end.summary, end.written);
        Ok(None)
    }
}

/// The features that have a scenario to run.
fn features_with_scenarios(plan: &Plan) -> usize {
    plan.features
        .iter()
        .filter(|f| !f.scenarios.is_empty())
        .count()
}

pub struct Console {
    pub style: Style,
    /// Print only failures and the summary.
    pub quiet: bool,
    pub verbose: bool,
    /// A progress line is kept at the bottom: stdout is a terminal and `CI` is not set.
    live: bool,
    /// The progress line's length as last drawn (0: none is on screen).
    drawn: usize,
    last_draw: Option<Instant>,
    started: Instant,
    total: usize,
    running: usize,
    done: usize,
    passed: usize,
    failed: usize,
    /// The feature of the last scenario line printed, so lines are grouped under it.
    last_feature: Option<usize>,
}

/// Whether output is coloured: `always`/`never` as said; `auto` colours a terminal unless
/// `NO_COLOR` is set, and `FORCE_COLOR` or `CLICOLOR_FORCE` (not `0`) colour anything.
pub fn color_wanted(when: &str, terminal: bool) -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0");
    match when {
        "always" => true,
        "never" => false,
        _ if set("FORCE_COLOR") || set("CLICOLOR_FORCE") => true,
        _ if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) => false,
        _ => terminal && std::env::var("TERM").map_or(true, |t| t != "dumb"),
    }
}

impl Console {
    /// `color` is `--color`: `auto`, `always` or `never`.
    pub fn new(quiet: bool, verbose: bool, color: &str) -> Self {
        let terminal = std::io::stdout().is_terminal();
        let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false");
        let dumb = std::env::var("TERM").is_ok_and(|t| t == "dumb");
        Console {
            style: Style {
                color: color_wanted(color, terminal),
            },
            quiet,
            verbose,
            live: terminal && !ci && !dumb,
            drawn: 0,
            last_draw: None,
            started: Instant::now(),
            total: 0,
            running: 0,
            done: 0,
            passed: 0,
            failed: 0,
            last_feature: None,
        }
    }

    /// Whether a progress line is kept (and wants a tick now and then).
    pub fn live(&self) -> bool {
        self.live
    }

    /// Redraws the progress line (the elapsed time moves on between scenarios).
    pub fn tick(&mut self) {
        let mut out = std::io::stdout().lock();
        self.draw(&mut out);
        let _ = out.flush();
    }

    fn progress_text(&self) -> String {
        let mut text = format!("[{}/{}] {} passed", self.done, self.total, self.passed);
        if self.failed > 0 {
            text.push_str(&format!(", {} failed", self.failed));
        }
        if self.running > 0 {
            text.push_str(&format!(", {} running", self.running));
        }
        text.push_str(&format!(" · {:.1} s", self.started.elapsed().as_secs_f64()));
        text
    }

    fn draw(&mut self, out: &mut impl Write) {
        if !self.live {
            return;
        }
        let text = self.progress_text();
        self.clear(out);
        let shown = if self.failed > 0 {
            self.style.red(&text)
        } else {
            self.style.dim(&text)
        };
        let _ = write!(out, "{shown}");
        self.drawn = text.chars().count();
        self.last_draw = Some(Instant::now());
    }

    /// Removes the progress line, so a printed line takes its place.
    fn clear(&mut self, out: &mut impl Write) {
        if self.drawn == 0 {
            return;
        }
        if self.style.color {
            let _ = write!(out, "\r\x1b[2K");
        } else {
            let _ = write!(out, "\r{}\r", " ".repeat(self.drawn));
        }
        self.drawn = 0;
    }

    pub fn start(&self, plan: &Plan, jobs: usize, scope: &str) {
        if self.quiet {
            return;
        }
        let scenarios = plan.scenario_count();
        // No more at a time than there are scenarios (`2 scenarios (2 at a time)`).
        let jobs = jobs.min(scenarios.max(1));
        let features = features_with_scenarios(plan);
        crate::report::out(&format!(
            "Running {scenarios} scenario{} from {features} feature{} ({jobs} at a time, {scope} scope)\n",
            plural(scenarios),
            plural(features)
        ));
    }

    /// `apitest merge` starts: what it merges, instead of what a run runs.
    pub fn merging(&mut self, plan: &Plan, shards: usize) {
        self.total = plan.scenario_count();
        if self.quiet {
            return;
        }
        let features = features_with_scenarios(plan);
        crate::report::out(&format!(
            "Merging {} scenario{} from {features} feature{}, run in {shards} shard{}\n",
            self.total,
            plural(self.total),
            plural(features),
            plural(shards)
        ));
    }

    /// A finished scenario: its line (and transcript with `--verbose`) unless `-q`, its
    /// failure in full, then the progress line again.
    pub fn scenario(&mut self, plan: &Plan, result: &ScenarioResult) {
        self.done += 1;
        match result.status {
            Status::Passed => self.passed += 1,
            Status::Failed => self.failed += 1,
            Status::Skipped => {}
        }
        let (Some(feature), Some(scenario)) = (
            plan.features.get(result.feature),
            plan.features
                .get(result.feature)
                .and_then(|f| f.scenarios.get(result.scenario)),
        ) else {
            return;
        };
        let line = !self.quiet || self.verbose || !result.warnings.is_empty() || result.is_flaky();
        if !line && result.failure.is_none() {
            // Nothing to print; the progress line moves on, at most ten times a second.
            if self
                .last_draw
                .is_none_or(|at| at.elapsed().as_millis() >= 100)
            {
                self.tick();
            }
            return;
        }
        let mut out = std::io::stdout().lock();
        self.clear(&mut out);
        if line {
            if self.last_feature != Some(result.feature) {
                let title = if feature.name.is_empty() {
                    feature.display.clone()
                } else {
                    feature.name.clone()
                };
                let _ = writeln!(out, "{}", self.style.dim(&format!("Feature: {title}")));
                self.last_feature = Some(result.feature);
            }
            let mark = match result.status {
                Status::Passed if result.is_flaky() => self.style.yellow("⚠"),
                Status::Passed => self.style.green("✔"),
                Status::Failed => self.style.red("✘"),
                Status::Skipped => self.style.yellow("-"),
            };
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
            // Each failed attempt before the last, in one line: the full block is the last's.
            for (attempt, text) in crate::report::model::retry_lines(result) {
                let step = scenario
                    .steps
                    .get(attempt.failure.step)
                    .map_or(scenario.line, |s| s.line);
                let (verdict, rest) = text.split_once(':').unwrap_or(("", &text));
                let _ = writeln!(
                    out,
                    "      {}:{rest} {}",
                    self.style.yellow(verdict),
                    self.style.dim(&format!("({}:{step})", feature.display))
                );
            }
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
        }
        if let Some(failure) = &result.failure {
            let _ = writeln!(
                out,
                "\n{}",
                self.style.dim(&format!("Scenario: {}", scenario.name))
            );
            let block = render_failure(feature, scenario, failure, &result.secrets, self.style);
            let _ = write!(out, "{block}");
            if let Some(exchange) = &failure.exchange {
                let curl = redact(&exchange.curl, &result.secrets);
                let _ = writeln!(out, "{} {curl}", self.style.dim("To send it again:"));
            }
            // The next scenario line names its feature again.
            self.last_feature = None;
        }
        self.draw(&mut out);
        let _ = out.flush();
    }

    /// The failed scenarios in file order (each was shown in full as it failed), then the
    /// totals, then where the reports went.
    pub fn finish_run(
        &mut self,
        plan: &Plan,
        results: &[ScenarioResult],
        summary: &RunSummary,
        written: &[String],
    ) {
        let mut failed: Vec<&ScenarioResult> =
            results.iter().filter(|r| r.failure.is_some()).collect();
        failed.sort_by_key(|r| (r.feature, r.scenario));
        let mut out = std::io::stdout().lock();
        self.clear(&mut out);
        self.live = false;
        if !failed.is_empty() {
            let _ = writeln!(out, "\n{}", self.style.red("Failed scenarios:"));
        }
        for result in failed {
            let Some(feature) = plan.features.get(result.feature) else {
                continue;
            };
            let Some(scenario) = feature.scenarios.get(result.scenario) else {
                continue;
            };
            let _ = writeln!(
                out,
                "  {} {}  {}",
                self.style.red("✘"),
                self.style
                    .dim(&format!("{}:{}", feature.display, scenario.line)),
                scenario.name
            );
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
        if s.scenarios_flaky > 0 {
            scenario_parts.push(self.style.yellow(&format!("{} flaky", s.scenarios_flaky)));
        }
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
        let mut files: Vec<&str> = problems.iter().map(|p| p.display.as_str()).collect();
        files.sort_unstable();
        files.dedup();
        if files.len() == problems.len() {
            self.report_problems(problems, "file", "cannot be run; nothing was sent.");
        } else {
            let verdict = format!(
                "found in {} file{}, which cannot be run; nothing was sent.",
                files.len(),
                plural(files.len())
            );
            self.report_problems(problems, "problem", &verdict);
        }
    }

    /// Each warning of the plan: something in a file that the run goes on without.
    pub fn warnings(&self, warnings: &[PlanProblem]) {
        let mut err = std::io::stderr().lock();
        for warning in warnings {
            let _ = writeln!(
                err,
                "{}",
                crate::report::render::render_warning(
                    warning,
                    Style {
                        color: self.style.color && std::io::stderr().is_terminal()
                    }
                )
            );
        }
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
