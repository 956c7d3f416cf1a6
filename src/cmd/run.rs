//! `apitest run`: discover the features, load the config, plan, run, report.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::cmd::{note, show, usage_error};
use crate::error::Diagnostic;
use crate::exit_code::{FAILED, HANGUP, INTERRUPTED, PASSED, TERMINATED, USAGE};
use crate::gherkin::TagExpr;
use crate::http::{ClientSettings, DEFAULT_MAX_BODY, HttpClient, TlsFiles};
use crate::report::console::Console;
use crate::report::junit::JUnitReporter;
use crate::report::{Event, Reporter, RunEnd};
use crate::runner::{self, Progress, RunOptions, RunSummary, ScenarioResult};
use crate::value::config::CoverageMin;
use crate::value::{Config, Scope};
use crate::world::RunContext;

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Feature files, folders of them (searched recursively), or a project folder holding
    /// `features/`. `FILE:LINE` (or `FILE:L1:L2`) runs only the scenarios at those lines: a
    /// Scenario, an Outline (all its rows), an Examples table, one row, or a step.
    #[arg(default_value = "features")]
    pub paths: Vec<PathBuf>,
    /// Run only scenarios whose tags match, e.g. `@smoke and not @slow`. Repeat to require all.
    /// Tags with a meaning of their own: `@serial` (never at the same time as each other),
    /// `@retry(N)`, and `@library` (run only when another scenario calls it: `Given the
    /// scenario "NAME" from "FILE" is run`).
    #[arg(long = "tags", short = 't', value_name = "EXPR")]
    pub tags: Vec<String>,
    /// How many scenarios run at the same time [default: 64; each host gets at most `[run]
    /// max_connections_per_host` (32) requests at once].
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub jobs: Option<u32>,
    #[command(flatten)]
    pub reports: ReportArgs,
    /// When to colour the output: `auto` (a terminal, unless NO_COLOR is set; FORCE_COLOR or
    /// CLICOLOR_FORCE force it), `always` or `never`.
    #[arg(long, value_name = "WHEN", value_parser = ["auto", "always", "never"], default_value = "auto")]
    pub color: String,
    /// Stop starting new scenarios after the first failure.
    #[arg(long)]
    pub fail_fast: bool,
    /// Run a failed scenario again, up to N times, each from a fresh state [default: `[run]
    /// retry`, else 0; `@retry(N)` on a scenario or feature says otherwise for it]. One that
    /// passes on a retry is flaky: counted apart and marked in every report. Scenario scope
    /// only.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(0..=crate::value::config::MAX_RETRY as i64))]
    pub retry: Option<u32>,
    /// Fail the run (exit 1) when a scenario is flaky (passed only on a retry).
    #[arg(long)]
    pub fail_on_flaky: bool,
    /// Run only scenarios whose name matches REGEX (anywhere in the name). Repeat to allow
    /// several; combines with `--tags` (both must hold).
    #[arg(long = "name", short = 'n', value_name = "REGEX")]
    pub names: Vec<String>,
    /// Print the selected scenarios (file:line, name, tags, address) and exit; nothing is
    /// sent and no report is written.
    #[arg(long)]
    pub list: bool,
    /// Run only the scenarios that failed in the previous run (recorded in
    /// `.last-run.json` beside the JUnit report); in feature scope, their whole features.
    /// Combines with the other selectors.
    #[arg(long)]
    pub rerun_failed: bool,
    /// Exit 0 when the tags select no scenario (otherwise that is an error, exit 2: a typo in
    /// a tag must not give a green build).
    #[arg(long)]
    pub allow_empty: bool,
    /// A variable readable as `#NAME` in every scenario. Repeatable.
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,
    /// Config file to use instead of `apitest.toml` / `features/config.ini`.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Use the `[env.NAME]` section of the config: its keys override `[user]` (so
    /// `@address` can point at staging).
    #[arg(long, short = 'e', value_name = "NAME", env = "APITEST_ENV")]
    pub env: Option<String>,
    /// Override one config key, e.g. `--set address=http://127.0.0.1:8080` (a `[user]` key)
    /// or `--set run.timeout=5`. Applied after the config file and `--env`. Repeatable.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub sets: Vec<String>,
    /// Where state lives: `scenario` (each scenario starts clean; the default for new
    /// projects) or `feature` (scenarios of a feature share state, Zato's model; the default
    /// for projects with `features/config.ini`).
    #[arg(long, value_name = "SCOPE", value_parser = ["scenario", "feature"])]
    pub scope: Option<String>,
    /// Start the built-in demo API on a free port on 127.0.0.1 for this run and point the
    /// `@address` config value at it.
    #[arg(long)]
    pub demo: bool,
    /// Give every check apitest's own meaning, also in Zato-layout projects (where by default
    /// `is not empty` only checks presence and `1` equals `True`, with a warning, as in Zato's
    /// apitest).
    #[arg(long)]
    pub strict: bool,
    /// Fail the run (exit 1) when it exercises less than PCT percent of the operations of
    /// its OpenAPI spec(s); `ops:80,responses:60` also sets a minimum share of documented
    /// responses [default: `[contract] coverage_min` in apitest.toml].
    #[arg(long, value_name = "PCT", value_parser = CoverageMin::parse)]
    pub coverage_min: Option<CoverageMin>,
    /// Run only shard I of N (from 1), for a CI job matrix: every shard of the same commit
    /// computes the same split from the plan alone (by scenario ID, `@id:NAME` to set one;
    /// a feature-scope feature and the `@serial` scenarios stay in one shard). `auto` reads
    /// the engine's variables: GitLab CI_NODE_INDEX/CI_NODE_TOTAL, CircleCI
    /// CIRCLE_NODE_INDEX/_TOTAL, Buildkite BUILDKITE_PARALLEL_JOB/_COUNT, a Kubernetes
    /// Indexed Job JOB_COMPLETION_INDEX (with --shard-total or APITEST_SHARD_TOTAL). Combine
    /// the shards' `--report-messages` files with `apitest merge`.
    #[arg(long, value_name = "I/N|auto", env = "APITEST_SHARD")]
    pub shard: Option<String>,
    /// The number of shards for `--shard auto` where the engine gives only an index (a
    /// Kubernetes Indexed Job) [default: APITEST_SHARD_TOTAL].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=crate::runner::shard::MAX_SHARDS as i64))]
    pub shard_total: Option<u32>,
    /// How the shards are balanced: `count` (the default: equal numbers of scenarios) or
    /// `timing FILE` (by the durations in a previous run's JUnit report or Cucumber
    /// Messages; a scenario it lacks counts as their median).
    #[arg(long, num_args = 1..=2, value_names = ["HOW", "FILE"])]
    pub shard_by: Vec<String>,
    /// Print every request and response (credentials are redacted).
    #[arg(long, short = 'v')]
    pub verbose: bool,
    /// Print only failures, as they happen, and the summary.
    #[arg(long, short = 'q', conflicts_with = "verbose")]
    pub quiet: bool,
}

/// Where the reports go: the options `apitest run` and `apitest merge` share.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ReportArgs {
    /// Where to write the JUnit XML report [default: `[reports] junit` in apitest.toml, else
    /// reports/junit.xml]. An API coverage report, when a run uses an OpenAPI spec, is written
    /// beside it as coverage.json.
    #[arg(long = "report-junit", visible_alias = "junit", value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Do not write a JUnit report.
    #[arg(long, conflicts_with = "junit")]
    pub no_junit: bool,
    /// Where to write the HTML report, one self-contained file [default: `[reports] html`,
    /// else reports/report.html].
    #[arg(long = "report-html", value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Do not write the HTML report.
    #[arg(long, conflicts_with = "html")]
    pub no_html: bool,
    /// Also write Cucumber Messages (NDJSON, read by the Cucumber tools, Allure, ReportPortal)
    /// to FILE [default: `[reports] messages`].
    #[arg(long = "report-messages", value_name = "FILE")]
    pub messages: Option<PathBuf>,
    /// Also write Cucumber JSON (read by Xray, Jenkins "Cucumber Reports" and most older
    /// tools) to FILE [default: `[reports] cucumber_json`].
    #[arg(long = "report-cucumber-json", value_name = "FILE")]
    pub cucumber_json: Option<PathBuf>,
}

/// The Python files of a Zato project (`environment.py`, `steps/*.py`), named relative to it.
fn python_files(features_dir: &std::path::Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![features_dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "py") {
                found.push(format!("`{}`", crate::runner::plan::display_path(&path)));
            }
        }
    }
    found.sort();
    found
}

/// Scenarios run at once unless `--jobs` or `[run] jobs` says otherwise. Scenarios mostly
/// wait on the network, not the CPU, so the count is far above the cores (cucumber-rs uses
/// 64 as well); each host still sees at most `[run] max_connections_per_host` requests at a
/// time.
pub const DEFAULT_JOBS: usize = 64;

fn default_jobs() -> usize {
    DEFAULT_JOBS
}

fn parse_vars(raw: &[String]) -> Result<HashMap<String, Value>, String> {
    let mut vars = HashMap::new();
    for item in raw {
        let Some((name, value)) = item.split_once('=') else {
            return Err(format!("`--var {item}` needs the form NAME=VALUE"));
        };
        let name = name.trim();
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '-'))
        {
            return Err(format!(
                "`{name}` is not a valid variable name (use letters, digits and _)"
            ));
        }
        vars.insert(name.to_string(), Value::String(value.to_string()));
    }
    Ok(vars)
}

/// Runs the selected scenarios and writes the reports; returns the exit code.
pub async fn run(args: RunArgs) -> u8 {
    let started = Instant::now();
    let Prepared {
        project,
        mut config,
        mut console,
        plan,
        initial_vars,
        scope,
        jobs,
        nothing_to_rerun,
        shard,
    } = match prepare(&args) {
        Ok(prepared) => prepared,
        Err(stop) => return not_started(&Reports::of(&args, stop.config.as_deref()), &stop),
    };
    if nothing_to_rerun {
        return PASSED;
    }
    if let Some(shard) = &shard
        && !args.quiet
    {
        note(&shard.describe());
    }
    if args.list {
        list(&plan, &config);
        return PASSED;
    }
    let coverage_min = args.coverage_min.or(config.coverage_min);
    let mut reports = Reports::of(&args, Some(&config));
    if let Some(shard) = &shard {
        reports.for_shard(shard);
    }
    // The demo server lives as long as this function; it stops when the run ends.
    let _demo = match start_demo(&args, &mut config).await {
        Ok(demo) => demo,
        Err(stop) => return not_started(&reports, &stop),
    };
    let mut files = reports.writers();
    let ctx = match context(&args, config, &project, initial_vars) {
        Ok(ctx) => ctx,
        Err(stop) => return not_started(&reports, &stop),
    };

    let plan = Arc::new(plan);
    let retry = args.retry.or(ctx.config.retry).unwrap_or(0);
    if retry > 0 && scope == Scope::Feature {
        note(
            "--retry applies in scenario scope only: in feature scope a scenario depends on the ones before it, so it cannot be run again alone",
        );
    }
    let options = RunOptions {
        jobs,
        fail_fast: args.fail_fast,
        scope,
        retry,
    };
    let (results, mut summary, signal) = execute(
        Arc::clone(&plan),
        Arc::clone(&ctx),
        options,
        &mut console,
        &mut files,
    )
    .await;
    summary.elapsed = started.elapsed();

    let coverage = coverage_of(&plan, &ctx);
    let not_run = runner::run::secrets_not_run(&plan, &ctx);
    let end = RunEnd {
        plan: &plan,
        results: &results,
        summary: &summary,
        coverage: coverage.as_ref(),
        not_started: &[],
        written: &[],
        extra_secrets: &not_run,
    };
    let reports_written = finish_reports(&mut files, &mut console, end);
    let state = reports.state_file();
    if let Err(e) = runner::last_run::write(&state, &plan, &results) {
        note(&format!(
            "cannot record the failures for --rerun-failed in {}: {e}",
            state.display()
        ));
    }
    let coverage_path = reports.junit.with_file_name("coverage.json");
    let coverage = coverage_gate(&end, &coverage_path, coverage_min);
    if let Some(signal) = signal {
        signal.exit_code()
    } else if coverage == USAGE || !reports_written {
        USAGE
    } else if summary.scenarios_failed > 0
        || coverage == FAILED
        || (args.fail_on_flaky && summary.scenarios_flaky > 0)
    {
        FAILED
    } else {
        PASSED
    }
}

/// Has every reporter finish, the console last (it says where the others went). Every report
/// is written, also when one of them cannot be: each may be a reader's only copy. Returns
/// whether all were written; each failure has been printed.
pub(crate) fn finish_reports(
    files: &mut [Box<dyn Reporter>],
    console: &mut Console,
    end: RunEnd<'_>,
) -> bool {
    let mut written = Vec::new();
    let mut all = true;
    for reporter in files.iter_mut() {
        match reporter.finish(&end) {
            Ok(line) => written.extend(line),
            Err(e) => {
                usage_error(
                    &e.to_string(),
                    Some("name a file in a folder you can write to"),
                );
                all = false;
            }
        }
    }
    let _ = console.finish(&RunEnd {
        written: &written,
        ..end
    });
    all
}

/// Where the reports go: the command line, else `[reports]` (or `[run] junit`) of the
/// config, else the defaults: JUnit and HTML under reports/, Cucumber Messages and JSON only
/// when named. An empty path turns a report off.
pub(crate) struct Reports {
    pub(crate) junit: PathBuf,
    junit_on: bool,
    junit_file_attribute: bool,
    html: Option<PathBuf>,
    messages: Option<PathBuf>,
    cucumber_json: Option<PathBuf>,
    /// In a shard: the data its Cucumber Messages stream carries for `apitest merge`.
    shard: Option<crate::report::messages::ShardData>,
}

impl Reports {
    /// A shard always writes its Cucumber Messages stream (what `apitest merge` reads): where
    /// `--report-messages` says, else `shard-I-of-N.ndjson` beside the JUnit report.
    fn for_shard(&mut self, shard: &ShardRun) {
        if self.messages.is_none() {
            let name = format!(
                "shard-{}-of-{}.ndjson",
                shard.shard.index, shard.shard.total
            );
            self.messages = Some(self.folder().join(name));
        }
        self.shard = Some(shard.data());
    }

    /// Whether the run writes a Cucumber Messages stream: when asked to, and always in a
    /// shard (see [`Reports::for_shard`]).
    fn writes_messages(args: &RunArgs, config: &Config) -> bool {
        args.shard.is_some() || Reports::of(args, Some(config)).messages.is_some()
    }

    /// The folder of the JUnit report (reports/ when there is none).
    fn folder(&self) -> PathBuf {
        self.junit
            .parent()
            .filter(|d| !self.junit.as_os_str().is_empty() && !d.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("reports"), std::path::Path::to_path_buf)
    }

    /// Where the run's failures are recorded for `--rerun-failed`: beside the JUnit report.
    pub(crate) fn state_file(&self) -> PathBuf {
        self.folder().join(runner::last_run::FILE_NAME)
    }

    pub(crate) fn of(args: &RunArgs, config: Option<&Config>) -> Reports {
        let args = &args.reports;
        let configured = |pick: fn(&Config) -> Option<&PathBuf>| config.and_then(pick).cloned();
        let on = |path: Option<PathBuf>| path.filter(|p| !p.as_os_str().is_empty());
        let junit = args
            .junit
            .clone()
            .or(configured(|c| c.junit.as_ref()))
            .unwrap_or_else(|| PathBuf::from("reports/junit.xml"));
        let html = args
            .html
            .clone()
            .or(configured(|c| c.html.as_ref()))
            .unwrap_or_else(|| PathBuf::from("reports/report.html"));
        Reports {
            junit_on: !args.no_junit && !junit.as_os_str().is_empty(),
            junit,
            junit_file_attribute: config.is_some_and(|c| c.junit_file_attribute),
            html: on(Some(html)).filter(|_| !args.no_html),
            messages: on(args
                .messages
                .clone()
                .or(configured(|c| c.messages.as_ref()))),
            cucumber_json: on(args
                .cucumber_json
                .clone()
                .or(configured(|c| c.cucumber_json.as_ref()))),
            shard: None,
        }
    }

    /// A writer per report to write.
    pub(crate) fn writers(&self) -> Vec<Box<dyn Reporter>> {
        let mut files: Vec<Box<dyn Reporter>> = Vec::new();
        if self.junit_on {
            files.push(Box::new(JUnitReporter {
                path: self.junit.clone(),
                file_attribute: self.junit_file_attribute,
            }));
        }
        if let Some(path) = &self.html {
            files.push(Box::new(crate::report::html::reporter(path.clone())));
        }
        if let Some(path) = &self.messages {
            let mut writer = crate::report::messages::MessagesReporter::new(path.clone());
            if let Some(shard) = &self.shard {
                writer = writer.with_shard(shard.clone());
            }
            files.push(Box::new(writer));
        }
        if let Some(path) = &self.cucumber_json {
            files.push(Box::new(crate::report::cucumber_json::reporter(
                path.clone(),
            )));
        }
        files
    }
}

/// The API coverage of the run, when it used an OpenAPI spec.
fn coverage_of(plan: &runner::Plan, ctx: &RunContext) -> Option<crate::contract::CoverageReport> {
    let name_of = |(fi, si): (usize, usize)| {
        plan.features
            .get(fi)
            .and_then(|f| {
                f.scenarios
                    .get(si)
                    .map(|s| format!("{}:{} {}", f.display, s.line, s.name))
            })
            .unwrap_or_default()
    };
    ctx.contracts.report(&name_of)
}

/// `--list`: every selected scenario as `path:line  name  @tags`, then how many.
fn list(plan: &runner::Plan, config: &Config) {
    let mut out = String::new();
    if let Some(env) = &config.env {
        out.push_str(&format!("environment `{env}`\n"));
    }
    for feature in &plan.features {
        for scenario in &feature.scenarios {
            out.push_str(&format!(
                "{}:{}  {}",
                feature.display,
                scenario.line,
                crate::report::model::test_name(scenario)
            ));
            for tag in &scenario.tags {
                out.push_str(&format!("  @{tag}"));
            }
            if let Some(address) = first_address(scenario, config) {
                out.push_str(&format!("  -> {address}"));
            }
            out.push('\n');
        }
    }
    let n = plan.scenario_count();
    out.push_str(&format!(
        "{n} scenario{} selected; nothing was sent\n",
        crate::error::plural(n)
    ));
    crate::report::out(&out);
}

/// The address a scenario's first `Given address` step would set, resolved against the
/// config and the environment as the run would (a `#variable` stored by an earlier step is
/// shown as written).
fn first_address(scenario: &runner::PlannedScenario, config: &Config) -> Option<String> {
    struct ConfigOnly<'a>(&'a Config);
    impl crate::value::resolve::Lookup for ConfigOnly<'_> {
        fn variable(&self, _: &str) -> Option<&Value> {
            None
        }
        fn config(&self, key: &str) -> Option<&Value> {
            self.0.user.get(key)
        }
        fn env(&self, name: &str) -> Option<String> {
            self.0.env_var(name)
        }
        fn env_is_set(&self, name: &str) -> bool {
            self.0.env_is_set(name)
        }
    }
    let raw = address_step(&scenario.steps)?;
    // An address built from a secret is shown as written.
    match crate::value::resolve::resolve_text(&raw, &ConfigOnly(config)) {
        Ok((text, false)) => Some(text),
        _ => Some(raw),
    }
}

/// The argument of the first `address` step, looking into called scenarios in the order they
/// run.
fn address_step(steps: &runner::plan::Steps) -> Option<String> {
    let registry = &crate::steps::REGISTRY;
    steps.iter().find_map(|step| {
        let matched = step.matched.as_ref().as_ref().ok()?;
        let def = registry.defs.get(matched.index)?;
        if def.phrase == crate::steps::ADDRESS_PHRASE {
            return matched.captures.first().cloned();
        }
        address_step(&step.call.as_ref()?.steps)
    })
}

/// What a run needs before anything is started: every check that can fail without sending.
pub(crate) struct Prepared {
    pub(crate) project: runner::Project,
    pub(crate) config: Config,
    pub(crate) console: Console,
    pub(crate) plan: runner::Plan,
    pub(crate) initial_vars: HashMap<String, Value>,
    pub(crate) scope: Scope,
    pub(crate) jobs: usize,
    /// `--rerun-failed` after a run with no failure: nothing to do, and nothing to overwrite.
    pub(crate) nothing_to_rerun: bool,
    /// `--shard`: which shard this is and what it keeps (the plan holds only that).
    pub(crate) shard: Option<ShardRun>,
}

/// This process's part of a sharded run.
#[derive(Debug, Clone)]
pub struct ShardRun {
    pub shard: runner::shard::Shard,
    /// The hash of the whole plan, before the split: every shard of one plan has it.
    pub plan_hash: String,
    pub share: runner::shard::Share,
    /// Whether the shares are seconds (`--shard-by timing`) rather than scenarios.
    pub timed: bool,
    /// Where `--shard auto` read the shard from.
    pub from: Option<String>,
    /// The stable ID of each scenario this shard keeps, by its place in the shard's plan.
    pub ids: Vec<Vec<String>>,
    /// Every feature file of the whole plan, by URI (see `ShardData::sources`).
    pub sources: Vec<(String, Arc<str>)>,
    /// What `apitest merge` plans again from: the paths, tags, names, config, environment
    /// and scope of this run.
    pub selection: serde_json::Value,
}

impl ShardRun {
    /// What the shard's stream carries for `apitest merge`.
    fn data(&self) -> crate::report::messages::ShardData {
        crate::report::messages::ShardData {
            header: serde_json::json!({
                "format": 1,
                "shard": self.shard.to_string(),
                "index": self.shard.index,
                "total": self.shard.total,
                "plan": self.plan_hash,
                "scenarios": self.ids.iter().map(Vec::len).sum::<usize>(),
                "selection": self.selection,
            }),
            ids: self.ids.clone(),
            sources: self.sources.clone(),
        }
    }

    /// `Shard 2/4: 21 of 84 scenarios (about 25% by count)`.
    fn describe(&self) -> String {
        let share = &self.share;
        let scenarios = share.keep.len();
        let percent = if share.weight_total > 0.0 {
            100.0 * share.weight / share.weight_total
        } else {
            0.0
        };
        let mut text = format!(
            "Shard {}: {scenarios} of {} scenario{}",
            self.shard,
            share.scenarios_total,
            crate::error::plural(share.scenarios_total)
        );
        if share.units != scenarios || share.units_total != share.scenarios_total {
            text.push_str(&format!(
                " in {} of {} units",
                share.units, share.units_total
            ));
        }
        if self.timed {
            text.push_str(&format!(
                ", expected {:.1} s of {:.1} s ({percent:.0}%) by the timing file",
                share.weight, share.weight_total
            ));
            if share.unknown > 0 {
                text.push_str(&format!(
                    "; {} scenario{} not in it counted as the median",
                    share.unknown,
                    crate::error::plural(share.unknown)
                ));
            }
        } else {
            text.push_str(&format!(" ({percent:.0}% by count)"));
        }
        if let Some(from) = &self.from {
            text.push_str(&format!("; from {from}"));
        }
        text
    }
}

/// `--shard`: keeps in `plan` the scenarios of this shard.
fn split(
    args: &RunArgs,
    text: &str,
    plan: &mut runner::Plan,
    scope: Scope,
) -> Result<ShardRun, NotStarted> {
    use runner::shard::{self, Shard, Weights};
    let hint = "write `--shard 2/4` for the second of four shards, or `--shard auto` on GitLab, CircleCI, Buildkite or a Kubernetes Indexed Job";
    if args.rerun_failed {
        return Err(refuse(
            "--rerun-failed and --shard cannot be combined: a shard's share is computed from the whole plan",
            Some("rerun the failures without --shard, or run the shard again"),
        ));
    }
    let (shard, from) = if text.trim() == "auto" {
        let total = args.shard_total.map(|t| t as usize);
        let (shard, from) = Shard::from_engine(&|name| std::env::var(name).ok(), total)
            .map_err(|e| refuse(&e, Some(hint)))?;
        (shard, Some(from))
    } else {
        (
            Shard::parse(text).map_err(|e| refuse(&e, Some(hint)))?,
            None,
        )
    };
    let ids = shard::scenario_ids(plan);
    let units = shard::units(plan, scope, &ids);
    let plan_hash = shard::plan_hash(plan, scope, &ids);
    let how: Vec<&str> = args.shard_by.iter().map(String::as_str).collect();
    let by_hint = Some("write `--shard-by count` or `--shard-by timing reports/junit.xml`");
    let share = match how.as_slice() {
        [] | ["count"] => shard::share(&units, shard, &Weights::Count),
        ["timing", file] => {
            let times =
                crate::report::timing::read(std::path::Path::new(file), plan).map_err(|e| {
                    refuse(
                        &e,
                        Some(
                            "name the JUnit report or the Cucumber Messages file of an earlier run",
                        ),
                    )
                })?;
            let seconds = |fi: usize, si: usize| times.get(&(fi, si)).copied();
            shard::share(&units, shard, &Weights::Timing(&seconds))
        }
        ["timing"] => {
            return Err(refuse(
                "`--shard-by timing` needs the file of an earlier run to read the durations from",
                by_hint,
            ));
        }
        ["count", extra] => {
            return Err(refuse(
                &format!("`--shard-by count` takes no file, but was given `{extra}`"),
                Some(
                    "put the feature paths before `--shard-by count`, or leave it out: it is the default",
                ),
            ));
        }
        [other, ..] => {
            return Err(refuse(
                &format!("`--shard-by {other}` is not a way to balance shards"),
                by_hint,
            ));
        }
    };
    let sources = plan
        .features
        .iter()
        .map(|f| (crate::report::model::uri(f), f.text()))
        .collect();
    let ids = shard::keep_only(plan, &share.keep, &ids);
    let env_tags = std::env::var("Zato_API_Test_Tags").unwrap_or_default();
    let selection = serde_json::json!({
        "paths": args.paths.iter().map(|p| p.to_string_lossy()).collect::<Vec<_>>(),
        "tags": args.tags,
        "names": args.names,
        "config": args.config.as_ref().map(|p| p.to_string_lossy()),
        "env": args.env.as_deref().filter(|e| !e.is_empty()),
        "scope": scope.to_string(),
        "zato_tags": env_tags,
    });
    Ok(ShardRun {
        shard,
        plan_hash,
        ids,
        sources,
        selection,
        timed: how.first() == Some(&"timing"),
        share,
        from,
    })
}

/// Why a run did not start, already printed: the reasons go into the JUnit report, so that
/// CI never reads the previous run's report as this one's.
pub(crate) struct NotStarted {
    pub(crate) reasons: Vec<String>,
    /// The config, when it was read: it may name where the reports go.
    pub(crate) config: Option<Box<Config>>,
}

impl NotStarted {
    fn with_config(mut self, config: &Config) -> Self {
        self.config = self.config.or_else(|| Some(Box::new(config.clone())));
        self
    }
}

/// Prints a usage error and keeps it as the reason the run did not start.
fn refuse(message: &str, hint: Option<&str>) -> NotStarted {
    usage_error(message, hint);
    NotStarted {
        reasons: vec![message.to_string()],
        config: None,
    }
}

/// A run that stops before it starts writes every report it would have written, saying so
/// (JUnit: one `<error>` per reason), instead of leaving the previous run's in place; exit 2.
pub(crate) fn not_started(reports: &Reports, stop: &NotStarted) -> u8 {
    let plan = runner::Plan {
        features: Vec::new(),
        problems: Vec::new(),
        warnings: Vec::new(),
    };
    let summary = RunSummary::default();
    let end = RunEnd {
        plan: &plan,
        results: &[],
        summary: &summary,
        coverage: None,
        not_started: &stop.reasons,
        written: &[],
        extra_secrets: &[],
    };
    for mut reporter in reports.writers() {
        if let Err(e) = reporter.finish(&end) {
            usage_error(&e.to_string(), None);
        }
    }
    USAGE
}

/// Finds the features, reads the config, the tags and the variables, and plans the run; an
/// error has been printed when this returns why the run did not start.
pub(crate) fn prepare(args: &RunArgs) -> Result<Prepared, NotStarted> {
    // `a.feature:12` names a file and a line in it.
    let (paths, lines) = runner::select::split_lines(&args.paths);
    let project = runner::discover(&paths).map_err(|e| refuse(&e.message, e.hint.as_deref()))?;
    for skipped in &project.skipped {
        note(skipped);
    }
    let config = Config::load(
        &project.project_dir,
        &project.features_dir,
        args.config.as_deref(),
        &crate::value::config::Overrides {
            env: args.env.clone().filter(|e| !e.is_empty()),
            sets: args.sets.clone(),
        },
    )
    .map_err(|e| {
        let hint = if e.path.to_string_lossy().starts_with("--set") {
            "`--set` takes KEY=VALUE: a `[user]` key (`address=http://127.0.0.1:8080`) or \
             `section.key` (`run.timeout=5`)"
        } else if e.message.starts_with("no environment") {
            "choose one with `--env NAME` (or unset APITEST_ENV); see the README's Environments"
        } else {
            "fix the config file; see the README's Configuration section"
        };
        refuse(&e.to_string(), Some(hint))
    })?;
    let read = config.clone();
    prepare_run(args, project, config, &lines).map_err(|stop| stop.with_config(&read))
}

/// The rest of `prepare`, once the config is read.
fn prepare_run(
    args: &RunArgs,
    project: runner::Project,
    config: Config,
    lines: &[runner::select::Lines],
) -> Result<Prepared, NotStarted> {
    let console = Console::new(args.quiet, args.verbose, &args.color);
    for text in &config.notes {
        note(text);
    }
    if config.zato_layout {
        let python = python_files(&project.features_dir);
        if !python.is_empty() {
            note(&format!(
                "{} not run: apitest's steps are built in (custom Python steps need rewriting as features or a request to add a phrase)",
                python.join(", ")
            ));
        }
    }
    // Zato's runner reads extra tags from this variable; behave joins them with `,` (or).
    let env_tags = std::env::var("Zato_API_Test_Tags")
        .ok()
        .filter(|t| !t.trim().is_empty())
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(","));
    let filters: Vec<&str> = config
        .tags
        .iter()
        .chain(env_tags.iter())
        .chain(&args.tags)
        .map(String::as_str)
        .collect();
    let mut exprs = Vec::new();
    for &text in &filters {
        let expr = TagExpr::parse(text).map_err(|e| {
            refuse(
                &format!("invalid tag expression `{text}`: {e}"),
                Some("write e.g. `@smoke and not @slow`"),
            )
        })?;
        exprs.push(expr);
    }
    let tags = crate::gherkin::tags::all(exprs);
    let initial_vars = parse_vars(&args.vars).map_err(|e| refuse(&e, None))?;

    // Only the Cucumber Messages stream holds whole feature files: without it, the run keeps
    // none of their text, and reads back from the files the lines a failure shows.
    let plan = if Reports::writes_messages(args, &config) {
        runner::build_plan(&project.files, tags.as_ref())
    } else {
        runner::plan::build_plan_reading_lines_back(&project.files, tags.as_ref())
    };
    console.warnings(&plan.warnings);
    if !plan.problems.is_empty() {
        console.problems(&plan.problems);
        return Err(NotStarted {
            reasons: plan
                .problems
                .iter()
                .map(|p| format!("{}:{}:{}: {}", p.display, p.line, p.column, p.message))
                .collect(),
            config: None,
        });
    }
    let mut plan = plan;
    runner::select::keep_lines(&mut plan, lines).map_err(|e| {
        refuse(
            &e,
            Some("give the line of a Scenario, a Scenario Outline, an Examples table, one of its rows, or a step; `apitest run --list FILE` shows where scenarios start"),
        )
    })?;
    if !args.names.is_empty() {
        let names = args
            .names
            .iter()
            .map(|n| {
                regex::Regex::new(n).map_err(|e| {
                    refuse(
                        &format!("`--name {n}` is not a valid regular expression: {e}"),
                        Some("write e.g. `--name 'employee'` or `--name '^Get one'`"),
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        for feature in &mut plan.features {
            feature
                .scenarios
                .retain(|s| names.iter().any(|n| n.is_match(&s.name)));
        }
    }
    let selected: usize = plan.features.iter().map(|f| f.scenarios.len()).sum();
    if selected == 0 && !args.allow_empty && !args.names.is_empty() {
        let shown = args.names.join("` or `");
        let tags = if filters.is_empty() {
            String::new()
        } else {
            format!(" with the tags `{}`", filters.join("` and `"))
        };
        return Err(refuse(
            &format!("no scenario{tags} has a name matching `{shown}`"),
            Some(
                "`--name` is a regular expression matched anywhere in the name; pass --allow-empty if selecting nothing is expected",
            ),
        ));
    }
    if selected == 0 && !args.allow_empty && !filters.is_empty() {
        let shown = filters.join("` and `");
        return Err(refuse(
            &format!("no scenario matches the tags `{shown}`"),
            Some(
                "check the spelling of the tags (and `[run] tags` in apitest.toml); pass --allow-empty if selecting nothing is expected",
            ),
        ));
    }
    let scope = match args.scope.as_deref() {
        Some("feature") => Scope::Feature,
        Some(_) => Scope::Scenario,
        None => config.scope.unwrap_or(if config.zato_layout {
            Scope::Feature
        } else {
            Scope::Scenario
        }),
    };
    let jobs = args
        .jobs
        .map(|j| j as usize)
        .or(config.jobs)
        .unwrap_or_else(default_jobs);
    let mut nothing_to_rerun = false;
    if args.rerun_failed {
        nothing_to_rerun = keep_failed(args, &config, &mut plan, scope)?;
    }
    let shard = match &args.shard {
        Some(text) => Some(split(args, text, &mut plan, scope)?),
        None if !args.shard_by.is_empty() || args.shard_total.is_some() => {
            return Err(refuse(
                "--shard-by and --shard-total split a run into shards, but no --shard is given",
                Some(
                    "add `--shard I/N` (or `--shard auto` on a CI engine that sets its own variables)",
                ),
            ));
        }
        None => None,
    };
    Ok(Prepared {
        project,
        config,
        console,
        plan,
        initial_vars,
        scope,
        jobs,
        nothing_to_rerun,
        shard,
    })
}

/// `--rerun-failed`: keeps the scenarios that failed in the last run. Returns true when it
/// had no failure (said on stderr): there is nothing to run.
fn keep_failed(
    args: &RunArgs,
    config: &Config,
    plan: &mut runner::Plan,
    scope: Scope,
) -> Result<bool, NotStarted> {
    let file = Reports::of(args, Some(config)).state_file();
    let last = runner::last_run::read(&file).map_err(|e| {
        refuse(
            &e,
            Some("run the suite once without --rerun-failed: each run records its failures for the next"),
        )
    })?;
    if last.failed_count() == 0 {
        note(&format!(
            "the last run had no failed scenario ({}); nothing to rerun",
            last.file.display()
        ));
        return Ok(true);
    }
    if last.keep_failed(plan, scope) == 0 {
        return Err(refuse(
            &format!(
                "none of the scenarios that failed in the last run is selected or still at its line: {}",
                last.describe()
            ),
            Some(
                "the files changed since, or other selectors exclude them; run them by `FILE:LINE` or `--name`, or run the whole suite",
            ),
        ));
    }
    Ok(false)
}

/// With `--demo`, starts the demo API on a free port and points `@address` at it.
async fn start_demo(
    args: &RunArgs,
    config: &mut Config,
) -> Result<Option<crate::demo::DemoServer>, NotStarted> {
    if !args.demo {
        return Ok(None);
    }
    let server = crate::demo::DemoServer::start(std::net::SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .map_err(|e| refuse(&format!("cannot start the demo API: {e}"), None))?;
    config
        .user
        .insert("address".into(), Value::String(server.base_url()));
    if !args.quiet {
        crate::report::out(&format!("Demo API listening on {}\n", server.base_url()));
    }
    Ok(Some(server))
}

/// What every World of the run shares: the config, the HTTP client and the contracts. The
/// project's spec is read here, before anything is sent, so a broken one stops the run at once.
fn context(
    args: &RunArgs,
    config: Config,
    project: &runner::Project,
    initial_vars: HashMap<String, Value>,
) -> Result<Arc<RunContext>, NotStarted> {
    let contracts = match config.openapi.as_deref() {
        None => crate::contract::Contracts::default(),
        Some(name) => {
            let path = project.project_dir.join(name);
            crate::contract::Contracts::with_default(&path, name).map_err(|e| {
                refuse(
                    &format!("[contract] openapi: {e}"),
                    Some(
                        "fix the document, or name another in `[contract] openapi` (one self-contained OpenAPI 3.0 or 3.1 file, relative to the project folder)",
                    ),
                )
            })?
        }
    };
    let in_project = |file: &Option<String>| file.as_ref().map(|f| project.project_dir.join(f));
    let client_settings = ClientSettings {
        insecure: config.insecure,
        tls: TlsFiles {
            ca_cert: in_project(&config.ca_cert),
            client_cert: in_project(&config.client_cert),
            client_key: in_project(&config.client_key),
        },
        http2_prior_knowledge: config.http2_prior_knowledge,
        max_per_host: config.max_connections_per_host.unwrap_or(0),
    };
    let client = HttpClient::with(&client_settings).map_err(|e| {
        refuse(
            &e.to_string(),
            Some("certificate files are PEM, named relative to the project folder"),
        )
    })?;
    Ok(Arc::new(RunContext {
        timeout: config.timeout.unwrap_or(Duration::from_secs(30)),
        max_body: config.max_body.unwrap_or(DEFAULT_MAX_BODY),
        compat: config.zato_layout && !args.strict,
        config,
        features_dir: project.features_dir.clone(),
        project_dir: project.project_dir.clone(),
        client,
        client_settings,
        insecure_client: std::sync::OnceLock::new(),
        initial_vars,
        initial_secrets: std::sync::OnceLock::new(),
        verbose: args.verbose,
        contracts,
        schemas: Default::default(),
    }))
}

/// How long scenarios already running may take to finish after a signal, before they are
/// stopped and reported as skipped. CI systems allow 10 s or more before they kill.
const GRACE: Duration = Duration::from_secs(3);

/// The signals that stop a run: Ctrl-C, and on Unix SIGTERM and SIGHUP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Signal {
    Interrupt,
    Terminate,
    Hangup,
}

impl Signal {
    fn exit_code(self) -> u8 {
        match self {
            Signal::Interrupt => INTERRUPTED,
            Signal::Terminate => TERMINATED,
            Signal::Hangup => HANGUP,
        }
    }
}

/// Waits for the first signal that stops a run. The handlers are installed when this is
/// called, not when the future is first polled, so a signal sent as soon as the first line
/// is printed is never met by the default action (which would end the process with no
/// report). A handler that cannot be installed is not waited on.
fn stopped() -> impl std::future::Future<Output = Signal> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let int = signal(SignalKind::interrupt()).ok();
        let term = signal(SignalKind::terminate()).ok();
        let hup = signal(SignalKind::hangup()).ok();
        async move {
            let wait = |s: Option<tokio::signal::unix::Signal>| async move {
                match s {
                    Some(mut s) => s.recv().await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                _ = wait(int) => Signal::Interrupt,
                _ = wait(term) => Signal::Terminate,
                _ = wait(hup) => Signal::Hangup,
            }
        }
    }
    #[cfg(not(unix))]
    {
        async {
            let _ = tokio::signal::ctrl_c().await;
            Signal::Interrupt
        }
    }
}

/// Runs the plan, telling every reporter of each scenario as it finishes. On a signal no
/// scenario starts any more, the running ones get `GRACE` to finish, and the rest are
/// counted as skipped; the signal is returned so the exit code can name it.
async fn execute(
    plan: Arc<runner::Plan>,
    ctx: Arc<RunContext>,
    options: RunOptions,
    console: &mut Console,
    files: &mut [Box<dyn Reporter>],
) -> (Vec<ScenarioResult>, RunSummary, Option<Signal>) {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let mut results: Vec<ScenarioResult> = Vec::with_capacity(plan.scenario_count());
    let mut summary = RunSummary::default();
    let mut signal = None;
    let interrupt = stopped();
    record_start(&plan, options, console, files);
    let mut tell = |event: &Event<'_>, console: &mut Console| {
        console.event(&plan, event);
        for reporter in files.iter_mut() {
            reporter.event(&plan, event);
        }
    };
    let mut record =
        |progress: Progress, summary: &mut RunSummary, console: &mut Console| match progress {
            Progress::Started(feature, scenario, at) => {
                let event = Event::ScenarioStarted {
                    feature,
                    scenario,
                    at,
                };
                tell(&event, console);
            }
            Progress::Finished(result) => {
                tell(&Event::ScenarioFinished(&result), console);
                summary.add(&result);
                results.push(result);
            }
        };
    // The run lives in this block: leaving it drops the run, which aborts the scenarios
    // still going, so nothing is sent while the reports are written.
    {
        let stop = Arc::new(AtomicBool::new(false));
        let execution = runner::execute(Arc::clone(&plan), ctx, options, Arc::clone(&stop), tx);
        tokio::pin!(execution);
        let mut executing = true;
        tokio::pin!(interrupt);
        let grace = tokio::time::sleep(Duration::MAX);
        tokio::pin!(grace);
        let mut ticker = tokio::time::interval(Duration::from_millis(250));
        loop {
            tokio::select! {
                () = &mut execution, if executing => executing = false,
                received = rx.recv() => match received {
                    Some(progress) => record(progress, &mut summary, console),
                    None => break,
                },
                _ = ticker.tick(), if console.live() => console.tick(),
                got = &mut interrupt, if signal.is_none() => {
                    signal = Some(got);
                    summary.interrupted = true;
                    stop.store(true, Ordering::Relaxed);
                    grace.as_mut().reset(tokio::time::Instant::now() + GRACE);
                }
                () = &mut grace, if signal.is_some() => {
                    while let Ok(progress) = rx.try_recv() {
                        record(progress, &mut summary, console);
                    }
                    break;
                }
            }
        }
    }
    if summary.interrupted {
        // Scenarios that never finished count as skipped, so the totals add up.
        let finished: std::collections::HashSet<(usize, usize)> =
            results.iter().map(|r| (r.feature, r.scenario)).collect();
        for (fi, feature) in plan.features.iter().enumerate() {
            for si in 0..feature.scenarios.len() {
                if !finished.contains(&(fi, si)) {
                    summary.add(&runner::run::not_run(&plan, fi, si));
                }
            }
        }
    }
    (results, summary, signal)
}

/// Tells every reporter that the run starts.
fn record_start(
    plan: &runner::Plan,
    options: RunOptions,
    console: &mut Console,
    files: &mut [Box<dyn Reporter>],
) {
    let event = Event::RunStarted {
        jobs: options.jobs,
        scope: options.scope,
    };
    console.event(plan, &event);
    for reporter in files.iter_mut() {
        reporter.event(plan, &event);
    }
}

/// Writes and prints the API coverage of the run's OpenAPI specs, and applies
/// `--coverage-min`; returns the exit code the coverage alone calls for.
pub(crate) fn coverage_gate(
    end: &RunEnd<'_>,
    path: &std::path::Path,
    minimum: Option<CoverageMin>,
) -> u8 {
    let Some(report) = end.coverage else {
        if minimum.is_some() {
            return usage_error(
                "--coverage-min is set but the run used no OpenAPI spec",
                Some(
                    "set `[contract] openapi` in apitest.toml or use `Given OpenAPI spec \"...\"`",
                ),
            );
        }
        return PASSED;
    };
    // Request paths can hold tokens; every secret any scenario saw is masked.
    let secrets = end.all_secrets();
    let table = crate::secret::redact(&report.table(), &secrets);
    crate::report::out(&format!("\n{table}"));
    let written = serde_json::to_string_pretty(&report)
        .map_err(std::io::Error::other)
        .and_then(|json| {
            let json = crate::secret::redact(&json, &secrets);
            crate::report::write_atomic(path, |out| out.write_all(json.as_bytes()))
        });
    match written {
        Ok(()) => crate::report::out(&format!("Coverage report: {}\n", path.display())),
        Err(e) => {
            return usage_error(
                &format!(
                    "cannot write the coverage report to `{}`: {e}",
                    path.display()
                ),
                None,
            );
        }
    }
    let Some(minimum) = minimum else {
        return PASSED;
    };
    let mut code = PASSED;
    for (measure, actual, min) in [
        (
            "documented operations",
            report.operations_percent(),
            minimum.operations,
        ),
        (
            "documented responses",
            report.responses_percent(),
            minimum.responses,
        ),
    ] {
        if let Some(min) = min
            && actual < min
        {
            show(&Diagnostic::error(format!(
                "the run exercised {actual:.1}% of the {measure}, below the minimum of {min}% (--coverage-min)"
            )));
            code = FAILED;
        }
    }
    code
}
