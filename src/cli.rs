//! The command line: `apitest run`, `init` and `demo`, with help text a newcomer can follow.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};
use serde_json::Value;

use crate::exit_code::{self, FAILED, INTERRUPTED, PASSED, USAGE};
use crate::gherkin::TagExpr;
use crate::http::{DEFAULT_MAX_BODY, HttpClient};
use crate::report::console::Console;
use crate::report::junit;
use crate::runner::{self, RunOptions, RunSummary, ScenarioResult};
use crate::value::{Config, Scope};
use crate::world::RunContext;

const ABOUT: &str = "apitest runs API tests written in plain English (Gherkin feature files) \
against a running HTTP API, and reports the results on the console and as JUnit XML.";

const AFTER_HELP: &str = "Examples:
  apitest run --demo                 run ./features against the built-in demo API
  apitest run features/employee      run one folder of features
  apitest run --tags '@smoke and not @slow' --jobs 4
  apitest check                      find unknown steps and syntax errors, sending nothing
  apitest steps header               the steps that mention \"header\"
  apitest init my-api-tests          start a new project
  apitest demo                       serve the demo API on http://127.0.0.1:17010";

#[derive(Debug, Parser)]
#[command(name = "apitest", version, about = ABOUT, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run feature files against an API.
    #[command(after_help = exit_code::HELP)]
    Run(RunArgs),
    /// Create a ready-to-run project: features/, an example feature, apitest.toml and reports/.
    Init {
        /// Folder to create the project in (created if missing).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Overwrite files that already exist.
        #[arg(long)]
        force: bool,
    },
    /// List the step phrases with their meaning and an example, optionally only those that
    /// mention TEXT.
    Steps {
        /// Show only steps whose phrase or meaning contains this text.
        text: Option<String>,
        /// `text` for the terminal, `markdown` for docs/steps.md.
        #[arg(long, default_value = "text", value_parser = ["text", "markdown"])]
        format: String,
    },
    /// Parse every feature and match every step, without sending anything; exit 2 on any
    /// problem (for pre-commit hooks and quick CI gates).
    #[command(
        after_help = "Exit codes:\n  0    every file parses and every step matches a phrase\n  2    a problem was found (each is listed with file and line)"
    )]
    Check {
        /// Feature files, folders of them, or a project folder holding `features/`.
        #[arg(default_value = "features")]
        paths: Vec<PathBuf>,
    },
    /// Serve the built-in demo API (an Employee API) in the foreground, on 127.0.0.1.
    Demo {
        /// Port to listen on (0 picks a free one).
        #[arg(long, default_value_t = crate::demo::DEFAULT_PORT)]
        port: u16,
    },
}

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Feature files, folders of them (searched recursively), or a project folder holding
    /// `features/`.
    #[arg(default_value = "features")]
    pub paths: Vec<PathBuf>,
    /// Run only scenarios whose tags match, e.g. `@smoke and not @slow`. Repeat to require all.
    #[arg(long = "tags", short = 't', value_name = "EXPR")]
    pub tags: Vec<String>,
    /// How many scenarios run at the same time [default: twice the CPU count, at least 4].
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub jobs: Option<u32>,
    /// Where to write the JUnit XML report [default: `[run] junit` in apitest.toml, else
    /// reports/junit.xml]. An API coverage report, when a run uses an OpenAPI spec, is written
    /// beside it as coverage.json.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Do not write a JUnit report.
    #[arg(long, conflicts_with = "junit")]
    pub no_junit: bool,
    /// Stop starting new scenarios after the first failure.
    #[arg(long)]
    pub fail_fast: bool,
    /// A variable readable as `#NAME` in every scenario. Repeatable.
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,
    /// Config file to use instead of `apitest.toml` / `features/config.ini`.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
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
    /// its OpenAPI spec(s) [default: `[contract] coverage_min` in apitest.toml].
    #[arg(long, value_name = "PCT", value_parser = parse_percent)]
    pub coverage_min: Option<f64>,
    /// Print every request and response (credentials are redacted).
    #[arg(long, short = 'v')]
    pub verbose: bool,
    /// Print only failures and the summary.
    #[arg(long, short = 'q', conflicts_with = "verbose")]
    pub quiet: bool,
}

/// Parses the command line, runs the command, and returns the exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return exit_code::code(if e.use_stderr() { USAGE } else { PASSED });
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return exit_code::code(USAGE);
        }
    };
    let code = runtime.block_on(async {
        match cli.command {
            Command::Run(args) => run(args).await,
            Command::Init { dir, force } => crate::init::init(&dir, force),
            Command::Demo { port } => demo(port).await,
            Command::Check { paths } => crate::check_cmd::check(&paths),
            Command::Steps { text, format } => {
                if format == "markdown" {
                    crate::report::out(&crate::steps_doc::markdown());
                } else {
                    crate::report::out(&crate::steps_doc::text(text.as_deref()));
                }
                PASSED
            }
        }
    });
    // Background tasks (a demo server, idle connections) must not hold the exit.
    runtime.shutdown_timeout(Duration::from_millis(100));
    exit_code::code(code)
}

pub(crate) fn usage_error(message: &str, hint: Option<&str>) -> u8 {
    eprintln!("error: {message}");
    if let Some(hint) = hint {
        eprintln!("  = hint: {hint}");
    }
    USAGE
}

async fn demo(port: u16) -> u8 {
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    match crate::demo::serve_forever(addr).await {
        Ok(()) => PASSED,
        Err(e) => usage_error(
            &format!("cannot serve the demo API on {addr}: {e}"),
            Some("is another program using that port? try `--port 0`"),
        ),
    }
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

fn default_jobs() -> usize {
    let cpus = std::thread::available_parallelism().map_or(2, usize::from);
    (cpus * 2).max(4)
}

fn parse_percent(text: &str) -> Result<f64, String> {
    let value: f64 = text
        .trim_end_matches('%')
        .parse()
        .map_err(|_| format!("`{text}` is not a number"))?;
    if (0.0..=100.0).contains(&value) {
        Ok(value)
    } else {
        Err(format!("{value} is not a percentage from 0 to 100"))
    }
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

async fn run(args: RunArgs) -> u8 {
    let started = Instant::now();
    let project = match runner::discover(&args.paths) {
        Ok(p) => p,
        Err(e) => return usage_error(&e.message, e.hint.as_deref()),
    };
    let mut config = match Config::load(
        &project.project_dir,
        &project.features_dir,
        args.config.as_deref(),
    ) {
        Ok(c) => c,
        Err(e) => {
            return usage_error(
                &e.to_string(),
                Some("fix the config file; see the README's Configuration section"),
            );
        }
    };
    let console = Console::new(args.quiet, args.verbose);
    for note in &config.notes {
        eprintln!("note: {note}");
    }

    if config.zato_layout {
        let python = python_files(&project.features_dir);
        if !python.is_empty() {
            eprintln!(
                "note: {} not run: apitest's steps are built in (custom Python steps need rewriting as features or a request to add a phrase)",
                python.join(", ")
            );
        }
    }
    // Zato's runner reads extra tags from this variable; behave joins them with `,` (or).
    let env_tags = std::env::var("Zato_API_Test_Tags")
        .ok()
        .filter(|t| !t.trim().is_empty())
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(","));
    let mut exprs = Vec::new();
    for text in config.tags.iter().chain(env_tags.iter()).chain(&args.tags) {
        match TagExpr::parse(text) {
            Ok(expr) => exprs.push(expr),
            Err(e) => {
                return usage_error(
                    &format!("invalid tag expression `{text}`: {e}"),
                    Some("write e.g. `@smoke and not @slow`"),
                );
            }
        }
    }
    let tags = crate::gherkin::tags::all(exprs);
    let initial_vars = match parse_vars(&args.vars) {
        Ok(v) => v,
        Err(e) => return usage_error(&e, None),
    };

    let plan = runner::build_plan(&project.files, tags.as_ref());
    if !plan.problems.is_empty() {
        console.problems(&plan.problems);
        return USAGE;
    }

    let zato_layout = config.zato_layout;
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

    // The demo server lives as long as this function; it stops when the run ends.
    let _demo = if args.demo {
        match crate::demo::DemoServer::start(std::net::SocketAddr::from(([127, 0, 0, 1], 0))).await
        {
            Ok(server) => {
                config
                    .user
                    .insert("address".into(), Value::String(server.base_url()));
                if !args.quiet {
                    crate::report::out(&format!("Demo API listening on {}\n", server.base_url()));
                }
                Some(server)
            }
            Err(e) => return usage_error(&format!("cannot start the demo API: {e}"), None),
        }
    } else {
        None
    };

    // The project's spec is read before anything is sent, so a broken one stops the run at once.
    let contracts = match config.openapi.as_deref() {
        None => crate::contract::Contracts::default(),
        Some(name) => {
            let path = project.project_dir.join(name);
            match crate::contract::Contracts::with_default(&path, name) {
                Ok(c) => c,
                Err(e) => {
                    return usage_error(
                        &format!("[contract] openapi: {e}"),
                        Some(
                            "fix the document, or name another in `[contract] openapi` (one self-contained OpenAPI 3.0 or 3.1 file, relative to the project folder)",
                        ),
                    );
                }
            }
        }
    };
    let coverage_min = args.coverage_min.or(config.coverage_min);
    let junit_file = args
        .junit
        .clone()
        .or_else(|| config.junit.clone())
        .unwrap_or_else(|| PathBuf::from("reports/junit.xml"));

    let client = match HttpClient::new(config.insecure) {
        Ok(c) => c,
        Err(e) => return usage_error(&e.to_string(), None),
    };
    let ctx = Arc::new(RunContext {
        timeout: config.timeout.unwrap_or(Duration::from_secs(30)),
        max_body: config.max_body.unwrap_or(DEFAULT_MAX_BODY),
        config,
        features_dir: project.features_dir.clone(),
        project_dir: project.project_dir.clone(),
        client,
        insecure_client: std::sync::OnceLock::new(),
        initial_vars,
        verbose: args.verbose,
        compat: zato_layout && !args.strict,
        contracts,
        schemas: Default::default(),
    });

    let plan = Arc::new(plan);
    console.start(&plan, jobs, &scope.to_string());
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let options = RunOptions {
        jobs,
        fail_fast: args.fail_fast,
        scope,
    };
    let mut results: Vec<ScenarioResult> = Vec::with_capacity(plan.scenario_count());
    let mut summary = RunSummary::default();

    // The run lives in this block: leaving it after Ctrl-C drops the run, which aborts the
    // scenarios still going, so nothing is sent while the reports are written.
    {
        let execution = runner::execute(Arc::clone(&plan), Arc::clone(&ctx), options, tx);
        tokio::pin!(execution);
        let mut executing = true;
        let interrupt = tokio::signal::ctrl_c();
        tokio::pin!(interrupt);
        loop {
            tokio::select! {
                () = &mut execution, if executing => executing = false,
                received = rx.recv() => match received {
                    Some(result) => {
                        console.scenario(&plan, &result);
                        summary.add(&result);
                        results.push(result);
                    }
                    None => break,
                },
                _ = &mut interrupt => {
                    summary.interrupted = true;
                    while let Ok(result) = rx.try_recv() {
                        summary.add(&result);
                        results.push(result);
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
    summary.elapsed = started.elapsed();

    let junit_path = (!args.no_junit).then_some(&junit_file);
    let mut junit_shown = None;
    if let Some(path) = junit_path {
        let report = junit::build(&plan, &results);
        match junit::write(path, &report) {
            Ok(()) => junit_shown = Some(path.display().to_string()),
            Err(e) => {
                console.finish(&plan, &results, &summary, None);
                eprintln!(
                    "error: cannot write the JUnit report to `{}`: {e}",
                    path.display()
                );
                return USAGE;
            }
        }
    }
    console.finish(&plan, &results, &summary, junit_shown.as_deref());
    let coverage_path = junit_file.with_file_name("coverage.json");
    let coverage = coverage_gate(&plan, &ctx, &results, &coverage_path, coverage_min);
    if summary.interrupted {
        INTERRUPTED
    } else if coverage == USAGE {
        USAGE
    } else if summary.scenarios_failed > 0 || coverage == FAILED {
        FAILED
    } else {
        PASSED
    }
}

/// Writes and prints the API coverage of the run's OpenAPI specs, and applies
/// `--coverage-min`; returns the exit code the coverage alone calls for.
fn coverage_gate(
    plan: &runner::Plan,
    ctx: &RunContext,
    results: &[ScenarioResult],
    path: &std::path::Path,
    minimum: Option<f64>,
) -> u8 {
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
    let Some(report) = ctx.contracts.report(&name_of) else {
        if minimum.is_some() {
            eprintln!("error: --coverage-min is set but the run used no OpenAPI spec");
            eprintln!(
                "  = hint: set `[contract] openapi` in apitest.toml or use `Given OpenAPI spec \"...\"`"
            );
            return USAGE;
        }
        return PASSED;
    };
    // Request paths can hold tokens; every secret any scenario saw is masked.
    let secrets: Vec<String> = results
        .iter()
        .flat_map(|r| r.secrets.iter().cloned())
        .collect();
    let table = crate::secret::redact(&report.table(), &secrets);
    crate::report::out(&format!("\n{table}"));
    let written = serde_json::to_string_pretty(&report)
        .map_err(std::io::Error::other)
        .and_then(|json| {
            let json = crate::secret::redact(&json, &secrets);
            crate::report::write_atomic(path, |out| {
                use std::io::Write;
                out.write_all(json.as_bytes())
            })
        });
    match written {
        Ok(()) => crate::report::out(&format!("Coverage report: {}\n", path.display())),
        Err(e) => {
            eprintln!(
                "error: cannot write the coverage report to `{}`: {e}",
                path.display()
            );
            return USAGE;
        }
    }
    let percent = report.operations_percent();
    match minimum {
        Some(min) if percent < min => {
            eprintln!(
                "error: the run exercised {percent:.1}% of the documented operations, below the minimum of {min}% (--coverage-min)"
            );
            FAILED
        }
        _ => PASSED,
    }
}
