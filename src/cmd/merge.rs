//! `apitest merge`: the Cucumber Messages streams of the shards of one run (`--shard I/N`)
//! made into that run's reports, as if one process had run it all.
//!
//! The plan is made again here, from the feature files and the selection each stream
//! records, and must hash the same as the shards' (same commit, same selection); every
//! shard 1..N must be there once, and every planned scenario must have run in exactly one.
//! The results are then fed, in the order they started, through the same report writers a
//! run uses, and the API coverage is computed from what all shards saw together.
//!
//! A shard's stream holds no secret: its results were redacted when written, and of the
//! secrets that stand in a feature file it records only where they stand, so that the
//! merge, reading the file, masks them in what it shows of it as the shard did.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Args, FromArgMatches};
use serde_json::Value;

use crate::cmd::run::{
    NotStarted, Prepared, ReportArgs, Reports, RunArgs, coverage_gate, finish_reports, not_started,
    prepare,
};
use crate::cmd::usage_error;
use crate::contract::CoverageReport;
use crate::exit_code::{FAILED, PASSED, USAGE};
use crate::report::messages::{
    COVERAGE_MEDIA_TYPE, RESULT_MEDIA_TYPE, SECRETS_MEDIA_TYPE, SHARD_MEDIA_TYPE,
};
use crate::report::{Event, RunEnd};
use crate::runner::{self, RunSummary, ScenarioResult, shard};
use crate::value::config::CoverageMin;

#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// The Cucumber Messages stream of every shard (`reports/shard-I-of-N.ndjson`, written
    /// by `apitest run --shard I/N`), one file per shard, in any order.
    #[arg(required = true, value_name = "SHARD_FILE")]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub reports: ReportArgs,
    /// Fail (exit 1) when the merged run exercised less than PCT percent of the operations
    /// of its OpenAPI spec(s); `ops:80,responses:60` as for `apitest run`.
    #[arg(long, value_name = "PCT", value_parser = CoverageMin::parse)]
    pub coverage_min: Option<CoverageMin>,
    /// When to colour the output: `auto`, `always` or `never`.
    #[arg(long, value_name = "WHEN", value_parser = ["auto", "always", "never"], default_value = "auto")]
    pub color: String,
    /// Print only failures and the summary.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// One shard's stream, as read.
struct ShardFile {
    path: PathBuf,
    index: usize,
    total: usize,
    plan: String,
    selection: Value,
    /// Each result with the stable ID of its scenario and where its secrets stand in its
    /// feature file (byte offset and length).
    results: Vec<ShardResult>,
    coverage: Option<CoverageReport>,
    /// Where the secrets the shard saw stand in the feature files: URI, offset, length.
    secret_places: Vec<(String, usize, usize)>,
}

/// A result as a shard's stream has it: the stable ID of its scenario, the result, and where
/// its secrets stand in its feature file (byte offset and length).
type ShardResult = (String, ScenarioResult, Vec<(usize, usize)>);

/// Why the merge cannot go on: the message and what to do.
struct Refused {
    message: String,
    hint: &'static str,
}

fn refused(message: String, hint: &'static str) -> Refused {
    Refused { message, hint }
}

const SHARD_HINT: &str = "give the `--report-messages` file of every shard of one run: `apitest run --shard I/N` writes reports/shard-I-of-N.ndjson";

/// Merges the shards' streams and writes the reports; returns the exit code.
pub fn merge(args: MergeArgs) -> u8 {
    match merge_or_refuse(&args) {
        Ok(code) => code,
        Err(refusal) => {
            usage_error(&refusal.message, Some(refusal.hint));
            // As a run that cannot start: every report says why, so that CI never reads an
            // older report as this merge's.
            if let Ok(run_args) = replan_args(&Value::Null, &args) {
                let stop = NotStarted {
                    reasons: vec![format!("the merge did not start: {}", refusal.message)],
                    config: None,
                };
                not_started(&Reports::of(&run_args, None), &stop);
            }
            USAGE
        }
    }
}

fn merge_or_refuse(args: &MergeArgs) -> Result<u8, Refused> {
    let shards = args
        .files
        .iter()
        .map(|path| read_shard(path))
        .collect::<Result<Vec<_>, _>>()?;
    check_shards(&shards)?;
    let first = shards
        .first()
        .ok_or_else(|| refused("no shard file".into(), SHARD_HINT))?;
    let run_args = replan_args(&first.selection, args)?;
    // The plan, made again as each shard made it before its split; an error in it (a file
    // that no longer parses) has been printed.
    let Ok(Prepared {
        mut console,
        plan,
        scope,
        config,
        ..
    }) = prepare(&run_args)
    else {
        return Ok(USAGE);
    };
    let ids = shard::scenario_ids(&plan);
    let hash = shard::plan_hash(&plan, scope, &ids);
    if hash != first.plan {
        return Err(refused(
            format!(
                "the shards were planned from other feature files or another selection than this folder's (plan {} in the shards, {hash} here)",
                first.plan
            ),
            "run `apitest merge` in a checkout of the commit the shards ran, from the folder they ran in",
        ));
    }
    let results = place_results(&plan, &ids, &shards)?;
    let reports = Reports::of(&run_args, Some(&config));
    let mut files = reports.writers();

    console.merging(&plan, shards.len());
    let mut summary = RunSummary::default();
    for reporter in files.iter_mut() {
        reporter.event(
            &plan,
            &Event::RunStarted {
                jobs: shards.len(),
                scope,
            },
        );
    }
    let mut ordered: Vec<ScenarioResult> = results;
    // In plan order: the console groups them under their features.
    ordered.sort_by_key(|r| (r.feature, r.scenario));
    for result in &ordered {
        if let Some(at) = result.started {
            let started = Event::ScenarioStarted {
                feature: result.feature,
                scenario: result.scenario,
                at,
            };
            for reporter in files.iter_mut() {
                reporter.event(&plan, &started);
            }
        }
        let finished = Event::ScenarioFinished(result);
        crate::report::Reporter::event(&mut console, &plan, &finished);
        for reporter in files.iter_mut() {
            reporter.event(&plan, &finished);
        }
        summary.add(result);
    }
    summary.elapsed = span(&ordered);

    let coverage = {
        let order = scenario_order(&plan);
        let parts = shards.iter().filter_map(|s| s.coverage.clone()).collect();
        CoverageReport::merge(parts, &|name| {
            order.get(name).copied().unwrap_or(usize::MAX)
        })
    };
    let end = RunEnd {
        plan: &plan,
        results: &ordered,
        summary: &summary,
        coverage: coverage.as_ref(),
        not_started: &[],
        written: &[],
        extra_secrets: &secrets_in_files(&plan, &shards),
    };
    let written = finish_reports(&mut files, &mut console, end);
    if let Err(e) = runner::last_run::write(&reports.state_file(), &plan, &ordered) {
        crate::cmd::note(&format!(
            "cannot record the failures for --rerun-failed: {e}"
        ));
    }
    let coverage_path = reports.junit.with_file_name("coverage.json");
    let minimum = args.coverage_min.or(config.coverage_min);
    let coverage_code = coverage_gate(&end, &coverage_path, minimum);
    Ok(if coverage_code == USAGE || !written {
        USAGE
    } else if summary.scenarios_failed > 0 || coverage_code == FAILED {
        FAILED
    } else {
        PASSED
    })
}

/// Reads one shard's stream: its shard header, results and coverage.
fn read_shard(path: &Path) -> Result<ShardFile, Refused> {
    let shown = path.display();
    let text = std::fs::read_to_string(path).map_err(|e| {
        refused(
            format!("cannot read the shard file `{shown}`: {e}"),
            SHARD_HINT,
        )
    })?;
    let mut header: Option<Value> = None;
    let mut results = Vec::new();
    let mut coverage = None;
    let mut secret_places = Vec::new();
    let mut ended = false;
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let bad = |e: String| {
            refused(
                format!(
                    "`{shown}` line {}: not a Cucumber Messages line: {e}",
                    n + 1
                ),
                SHARD_HINT,
            )
        };
        let message: Value = serde_json::from_str(line).map_err(|e| bad(e.to_string()))?;
        if message.get("testRunFinished").is_some() {
            ended = true;
            continue;
        }
        let Some(attachment) = message.get("attachment") else {
            continue;
        };
        let media = attachment.get("mediaType").and_then(Value::as_str);
        let body = attachment.get("body").and_then(Value::as_str).unwrap_or("");
        match media {
            Some(SHARD_MEDIA_TYPE) => {
                header = Some(serde_json::from_str(body).map_err(|e| bad(e.to_string()))?);
            }
            Some(RESULT_MEDIA_TYPE) => {
                #[derive(serde::Deserialize)]
                struct Entry {
                    id: String,
                    result: ScenarioResult,
                    #[serde(default)]
                    source_secrets: Vec<(usize, usize)>,
                }
                let entry: Entry = serde_json::from_str(body).map_err(|e| bad(e.to_string()))?;
                results.push((entry.id, entry.result, entry.source_secrets));
            }
            Some(SECRETS_MEDIA_TYPE) => {
                secret_places = serde_json::from_str(body).map_err(|e| bad(e.to_string()))?;
            }
            Some(COVERAGE_MEDIA_TYPE) => {
                coverage = Some(serde_json::from_str(body).map_err(|e| bad(e.to_string()))?);
            }
            _ => {}
        }
    }
    let Some(header) = header else {
        return Err(refused(
            format!(
                "`{shown}` is not a shard's stream: it has no shard header (was it written by `apitest run --shard I/N`?)"
            ),
            SHARD_HINT,
        ));
    };
    if !ended {
        return Err(refused(
            format!("`{shown}` ends before the run's end: the shard did not finish writing it"),
            "run that shard again",
        ));
    }
    let number = |key: &str| header.get(key).and_then(Value::as_u64).map(|n| n as usize);
    let (Some(index), Some(total), Some(plan)) = (
        number("index"),
        number("total"),
        header.get("plan").and_then(Value::as_str),
    ) else {
        return Err(refused(
            format!("`{shown}`: the shard header lacks its index, total or plan"),
            SHARD_HINT,
        ));
    };
    Ok(ShardFile {
        path: path.to_path_buf(),
        index,
        total,
        plan: plan.to_string(),
        selection: header.get("selection").cloned().unwrap_or(Value::Null),
        results,
        coverage,
        secret_places,
    })
}

/// Every shard of one plan, each once.
fn check_shards(shards: &[ShardFile]) -> Result<(), Refused> {
    let Some(first) = shards.first() else {
        return Err(refused("no shard file given".into(), SHARD_HINT));
    };
    let mut by_index: HashMap<usize, &ShardFile> = HashMap::new();
    for shard in shards {
        if shard.plan != first.plan || shard.total != first.total {
            return Err(refused(
                format!(
                    "`{}` (shard {}/{}, plan {}) and `{}` (shard {}/{}, plan {}) are shards of different runs",
                    first.path.display(),
                    first.index,
                    first.total,
                    first.plan,
                    shard.path.display(),
                    shard.index,
                    shard.total,
                    shard.plan
                ),
                "merge the shards of one run: the same commit, selection and number of shards",
            ));
        }
        if let Some(other) = by_index.insert(shard.index, shard) {
            return Err(refused(
                format!(
                    "shard {}/{} is given twice: `{}` and `{}`",
                    shard.index,
                    shard.total,
                    other.path.display(),
                    shard.path.display()
                ),
                "give each shard's file once",
            ));
        }
    }
    let missing: Vec<String> = (1..=first.total)
        .filter(|i| !by_index.contains_key(i))
        .map(|i| format!("{i}/{}", first.total))
        .collect();
    if !missing.is_empty() {
        return Err(refused(
            format!(
                "shard{} {} {} missing: every shard of the run must be merged",
                crate::error::plural(missing.len()),
                missing.join(", "),
                if missing.len() == 1 { "is" } else { "are" }
            ),
            "wait for every shard's job (and download its artifact) before merging",
        ));
    }
    Ok(())
}

/// `apitest run`'s arguments that make the shards' plan again, with the merge's reports.
fn replan_args(selection: &Value, args: &MergeArgs) -> Result<RunArgs, Refused> {
    let strings = |key: &str| -> Vec<String> {
        selection
            .get(key)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };
    let text = |key: &str| selection.get(key).and_then(Value::as_str).map(String::from);
    let mut argv: Vec<String> = vec!["merge".into()];
    argv.extend(strings("paths"));
    for tag in strings("tags") {
        argv.extend(["--tags".into(), tag]);
    }
    if let Some(zato) = text("zato_tags").filter(|t| !t.trim().is_empty()) {
        argv.extend([
            "--tags".into(),
            zato.split_whitespace().collect::<Vec<_>>().join(","),
        ]);
    }
    for name in strings("names") {
        argv.extend(["--name".into(), name]);
    }
    for (option, key) in [
        ("--config", "config"),
        ("--env", "env"),
        ("--scope", "scope"),
    ] {
        if let Some(value) = text(key) {
            argv.extend([option.into(), value]);
        }
    }
    argv.extend(["--allow-empty".into(), "--color".into(), args.color.clone()]);
    if args.quiet {
        argv.push("-q".into());
    }
    let command = RunArgs::augment_args(clap::Command::new("merge"));
    let matches = command.try_get_matches_from(&argv).map_err(|e| {
        refused(
            format!("the shards' selection cannot be read back: {}", e.kind()),
            SHARD_HINT,
        )
    })?;
    let mut run = RunArgs::from_arg_matches(&matches).map_err(|e| {
        refused(
            format!("the shards' selection cannot be read back: {}", e.kind()),
            SHARD_HINT,
        )
    })?;
    // The plan before the split: this process is no shard, whatever its environment says.
    run.shard = None;
    run.shard_by.clear();
    run.shard_total = None;
    run.env = text("env");
    run.reports = args.reports.clone();
    Ok(run)
}

/// Each shard's results placed on the plan by scenario ID: every planned scenario exactly
/// once.
fn place_results(
    plan: &runner::Plan,
    ids: &[Vec<String>],
    shards: &[ShardFile],
) -> Result<Vec<ScenarioResult>, Refused> {
    let mut place: HashMap<&str, (usize, usize)> = HashMap::new();
    for (fi, feature_ids) in ids.iter().enumerate() {
        for (si, id) in feature_ids.iter().enumerate() {
            place.insert(id.as_str(), (fi, si));
        }
    }
    let mut seen: HashMap<(usize, usize), &Path> = HashMap::new();
    let mut results = Vec::new();
    let mut unknown = Vec::new();
    let mut twice = Vec::new();
    for shard in shards {
        for (id, result, spans) in &shard.results {
            let Some(&(fi, si)) = place.get(id.as_str()) else {
                unknown.push(format!("`{id}` ({})", shard.path.display()));
                continue;
            };
            if let Some(other) = seen.insert((fi, si), &shard.path) {
                twice.push(format!(
                    "`{id}` ({} and {})",
                    other.display(),
                    shard.path.display()
                ));
                continue;
            }
            let mut result = result.clone();
            result.feature = fi;
            result.scenario = si;
            // The secrets written in the feature file, back from where they stand in it.
            let text = plan.features.get(fi).map(|f| f.text());
            let source = text.as_deref().unwrap_or("");
            result.secrets = spans
                .iter()
                .filter_map(|&(at, len)| source.get(at..at.checked_add(len)?))
                .map(str::to_string)
                .collect();
            results.push(result);
        }
    }
    let missing: Vec<String> = ids
        .iter()
        .enumerate()
        .flat_map(|(fi, f)| f.iter().enumerate().map(move |(si, id)| (fi, si, id)))
        .filter(|(fi, si, _)| !seen.contains_key(&(*fi, *si)))
        .map(|(_, _, id)| format!("`{id}`"))
        .collect();
    let list = |items: &[String]| {
        let shown: Vec<&str> = items.iter().take(10).map(String::as_str).collect();
        let more = items.len().saturating_sub(shown.len());
        if more > 0 {
            format!("{} and {more} more", shown.join(", "))
        } else {
            shown.join(", ")
        }
    };
    if !twice.is_empty() {
        return Err(refused(
            format!(
                "{} scenario{} ran in two shards: {}",
                twice.len(),
                crate::error::plural(twice.len()),
                list(&twice)
            ),
            "the shards must be of one plan; run them again with one `--shard I/N` each",
        ));
    }
    if !unknown.is_empty() || !missing.is_empty() {
        let mut message = String::new();
        if !missing.is_empty() {
            message.push_str(&format!(
                "{} planned scenario{} ran in no shard: {}",
                missing.len(),
                crate::error::plural(missing.len()),
                list(&missing)
            ));
        }
        if !unknown.is_empty() {
            if !message.is_empty() {
                message.push_str("; ");
            }
            message.push_str(&format!(
                "{} scenario{} of the shards {} not in the plan: {}",
                unknown.len(),
                crate::error::plural(unknown.len()),
                if unknown.len() == 1 { "is" } else { "are" },
                list(&unknown)
            ));
        }
        return Err(refused(
            message,
            "a shard was interrupted, or the shards ran from another folder: run every shard to its end, from the folder you merge in",
        ));
    }
    Ok(results)
}

/// The secrets the shards saw that stand in the feature files, read back from their places.
fn secrets_in_files(plan: &runner::Plan, shards: &[ShardFile]) -> Vec<String> {
    let by_uri: HashMap<String, std::sync::Arc<str>> = plan
        .features
        .iter()
        .map(|f| (crate::report::model::uri(f), f.text()))
        .collect();
    let mut found: Vec<String> = shards
        .iter()
        .flat_map(|s| s.secret_places.iter())
        .filter_map(|(uri, at, len)| by_uri.get(uri)?.get(*at..at.checked_add(*len)?))
        .map(str::to_string)
        .collect();
    found.sort_unstable();
    found.dedup();
    found
}

/// The place in the plan of each scenario as the coverage report names it.
fn scenario_order(plan: &runner::Plan) -> HashMap<String, usize> {
    let mut order = HashMap::new();
    let mut n = 0;
    for feature in &plan.features {
        for scenario in &feature.scenarios {
            order.insert(
                format!("{}:{} {}", feature.display, scenario.line, scenario.name),
                n,
            );
            n += 1;
        }
    }
    order
}

/// From the first scenario's start to the last one's end: the wall time of the sharded run.
fn span(results: &[ScenarioResult]) -> Duration {
    let starts = results.iter().filter_map(|r| r.started);
    let ends = results
        .iter()
        .filter_map(|r| r.started.map(|s| s + r.duration));
    match (starts.min(), ends.max()) {
        (Some(first), Some(last)) => last.duration_since(first).unwrap_or_default(),
        _ => Duration::ZERO,
    }
}
