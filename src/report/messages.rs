//! Cucumber Messages: the Cucumber project's own report format, one JSON message per line
//! (NDJSON), read by the official HTML formatter, the JUnit and JSON formatters, Allure and
//! ReportPortal. The stream is written as the run goes (to a temporary file renamed into
//! place when the run ends, also when it is interrupted):
//!
//! `meta`, then per feature `source`, `gherkinDocument` and its `pickle`s, the step
//! definitions, `testRunStarted` and every `testCase`; per scenario `testCaseStarted`, a
//! `testStepStarted`/`testStepFinished` pair per step (attachments with the failing
//! exchange and the `-v` transcript), `testCaseFinished`; finally `testRunFinished`.
//!
//! IDs are stable across runs: they are made of a short hash of the feature's path and the
//! line of the node (`5f0c2e9a61b4:12:scenario`), so a pickle keeps its ID while its file is
//! unchanged, and two shards of one plan agree on every ID.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use serde::Serialize;
use serde_json::{Value, json};

use crate::gherkin::{self, StepKind};
use crate::report::model::{
    at, called_lines, failure_text, step_duration, step_started, step_status, test_name,
    transcript, unix, uri,
};
use crate::report::{AtomicFile, Event, ReportError, Reporter, RunEnd};
use crate::runner::plan::{Plan, PlannedFeature, PlannedScenario};
use crate::runner::result::{ScenarioResult, Status, StepCounts};
use crate::secret::redact;

/// The version of the messages protocol the stream follows (checked against the schema of
/// `@cucumber/messages` of that version in the tests).
pub const PROTOCOL_VERSION: &str = "34.2.1";

/// The messages written once per scenario and step, typed: built as `serde_json::Value`s they
/// cost an allocation per field, which at 10,000 scenarios is most of the report's time.
#[derive(Serialize)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase")]
enum Message<'a> {
    TestCase {
        id: String,
        pickle_id: String,
        test_steps: Vec<TestStep>,
        test_run_started_id: &'a str,
    },
    TestCaseStarted {
        attempt: u32,
        id: &'a str,
        test_case_id: &'a str,
        timestamp: Stamp,
    },
    TestStepStarted {
        test_case_started_id: &'a str,
        test_step_id: &'a str,
        timestamp: Stamp,
    },
    TestStepFinished {
        test_case_started_id: &'a str,
        test_step_id: &'a str,
        test_step_result: StepResult,
        timestamp: Stamp,
    },
    TestCaseFinished {
        test_case_started_id: &'a str,
        timestamp: Stamp,
        will_be_retried: bool,
    },
    /// An attachment of the whole run (a shard's data for `apitest merge`).
    #[serde(rename = "attachment")]
    RunAttachment {
        body: &'a str,
        content_encoding: &'static str,
        media_type: &'static str,
        test_run_started_id: &'a str,
        timestamp: Stamp,
    },
    Attachment {
        body: &'a str,
        content_encoding: &'static str,
        media_type: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        file_name: Option<&'a str>,
        test_case_started_id: &'a str,
        test_step_id: &'a str,
        timestamp: Stamp,
    },
}

/// A timestamp or a duration: seconds and nanoseconds.
#[derive(Serialize)]
struct Stamp {
    seconds: u64,
    nanos: u32,
}

impl Stamp {
    fn at(at: SystemTime) -> Stamp {
        let (seconds, nanos) = unix(at);
        Stamp { seconds, nanos }
    }

    fn took(d: Duration) -> Stamp {
        Stamp {
            seconds: d.as_secs(),
            nanos: d.subsec_nanos(),
        }
    }
}

#[derive(Serialize)]
struct StepResult {
    duration: Stamp,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    exception: Option<Exception>,
}

#[derive(Serialize)]
struct Exception {
    #[serde(rename = "type")]
    kind: &'static str,
    message: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TestStep {
    id: String,
    pickle_step_id: String,
    step_definition_ids: Vec<String>,
    step_match_arguments_lists: Vec<ArgumentsList>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArgumentsList {
    step_match_arguments: Vec<Argument>,
}

#[derive(Serialize)]
struct Argument {
    group: Group,
}

#[derive(Serialize)]
struct Group {
    children: [(); 0],
    start: usize,
    value: String,
}

pub struct MessagesReporter {
    path: PathBuf,
    /// The messages of the scenarios, spooled to a temporary file as they finish; the file
    /// itself is assembled when the run ends, once every secret of the run is known (the
    /// sources and pickles that lead the stream are redacted with them).
    spool: Option<Spool>,
    /// An error met while writing, reported when the run ends.
    error: Option<std::io::Error>,
    run_id: String,
    run_started: SystemTime,
    started: HashSet<(usize, usize)>,
    finished: HashSet<(usize, usize)>,
    /// In a shard (`--shard`): what `apitest merge` needs, carried as run attachments.
    shard: Option<ShardData>,
}

/// What a shard's stream carries for `apitest merge`, besides the messages themselves.
#[derive(Debug, Clone)]
pub struct ShardData {
    /// The shard, the plan hash and the selection the plan was made from.
    pub header: Value,
    /// The stable ID of each scenario of this shard's plan, by feature and scenario.
    pub ids: Vec<Vec<String>>,
    /// Every feature file of the whole plan (its URI and text): where the merge will show
    /// them, a secret this shard saw must be masked too.
    pub sources: Vec<(String, std::sync::Arc<str>)>,
}

/// The media types of a shard's run attachments.
pub const SHARD_MEDIA_TYPE: &str = "application/vnd.apitest.shard+json";
pub const RESULT_MEDIA_TYPE: &str = "application/vnd.apitest.result+json";
pub const COVERAGE_MEDIA_TYPE: &str = "application/vnd.apitest.coverage+json";
pub const SECRETS_MEDIA_TYPE: &str = "application/vnd.apitest.secrets+json";

/// Where each of `secrets` first stands in each of `sources`: (URI, byte offset, length),
/// found in one pass over each file. The places, never the values, go into a shard's stream.
pub fn secret_places(
    secrets: &[String],
    sources: &[(String, std::sync::Arc<str>)],
) -> Vec<(String, usize, usize)> {
    let patterns: Vec<&str> = secrets
        .iter()
        .map(String::as_str)
        .filter(|s| !s.is_empty())
        .collect();
    let Ok(finder) = aho_corasick::AhoCorasick::new(&patterns) else {
        return Vec::new();
    };
    let mut places = Vec::new();
    for (uri, text) in sources {
        let mut seen = HashSet::new();
        for found in finder.find_overlapping_iter(text.as_ref()) {
            if seen.insert(found.pattern()) {
                places.push((uri.clone(), found.start(), found.len()));
            }
        }
    }
    places
}

/// A temporary file, removed when dropped.
struct Spool {
    writer: std::io::BufWriter<std::fs::File>,
    path: PathBuf,
}

impl Spool {
    /// A new file of the temporary folder, readable by its owner only (it holds the run's
    /// exchanges, redacted, but still nobody else's business); never an existing one.
    fn create() -> std::io::Result<Spool> {
        let path = std::env::temp_dir().join(format!(
            "apitest-messages-{}-{}.ndjson",
            std::process::id(),
            uuid::Uuid::new_v4().simple()
        ));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(&path)?;
        Ok(Spool {
            writer: std::io::BufWriter::with_capacity(64 * 1024, file),
            path,
        })
    }

    /// Everything spooled, copied to `out`.
    fn copy_to(&mut self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        use std::io::Write as _;
        self.writer.flush()?;
        let mut file = std::fs::File::open(&self.path)?;
        std::io::copy(&mut file, out)?;
        Ok(())
    }
}

impl Drop for Spool {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// One message as an NDJSON line.
fn line(out: &mut dyn std::io::Write, kind: &str, message: Value) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, &json!({ kind: message })).map_err(std::io::Error::other)?;
    out.write_all(b"\n")
}

impl MessagesReporter {
    pub fn new(path: PathBuf) -> Self {
        MessagesReporter {
            path,
            spool: None,
            error: None,
            run_id: uuid::Uuid::new_v4().to_string(),
            run_started: SystemTime::now(),
            started: HashSet::new(),
            finished: HashSet::new(),
            shard: None,
        }
    }

    /// The stream of one shard: with the data `apitest merge` reads.
    pub fn with_shard(mut self, shard: ShardData) -> Self {
        self.shard = Some(shard);
        self
    }

    fn run_attachment(&mut self, media_type: &'static str, body: &str) {
        let run_id = self.run_id.clone();
        self.emit(&Message::RunAttachment {
            body,
            content_encoding: "IDENTITY",
            media_type,
            test_run_started_id: &run_id,
            timestamp: Stamp::at(SystemTime::now()),
        });
    }

    /// A finished scenario's result, for `apitest merge`: every text redacted with its
    /// secrets here, so the stream holds none (the merge redacts nothing further of it).
    fn shard_result(&mut self, plan: &Plan, result: &ScenarioResult) {
        let Some(shard) = &self.shard else { return };
        // Where the scenario's secrets stand in its feature file, so that the merge can mask
        // them in what it shows of the file, as this run does, without the stream holding them.
        let text = plan.features.get(result.feature).map(|f| f.text());
        let source = text.as_deref().unwrap_or("");
        let mut spans: Vec<(usize, usize)> = result
            .secrets
            .iter()
            .chain(result.retries.iter().flat_map(|r| r.secrets.iter()))
            .filter(|s| !s.is_empty())
            .filter_map(|s| source.find(s.as_str()).map(|at| (at, s.len())))
            .collect();
        spans.sort_unstable();
        spans.dedup();
        let id = shard
            .ids
            .get(result.feature)
            .and_then(|f| f.get(result.scenario))
            .cloned()
            .unwrap_or_default();
        let body = match serde_json::to_value(result) {
            Ok(mut value) => {
                redact_value(&mut value, &result.secrets);
                set(&mut value, "secrets", json!([]));
                if let Some(retries) = value.get_mut("retries").and_then(Value::as_array_mut) {
                    for retry in retries {
                        set(retry, "secrets", json!([]));
                    }
                }
                json!({ "id": id, "result": value, "source_secrets": spans }).to_string()
            }
            Err(e) => {
                self.error = Some(std::io::Error::other(e));
                return;
            }
        };
        self.run_attachment(RESULT_MEDIA_TYPE, &body);
    }

    fn emit(&mut self, message: &Message<'_>) {
        if self.error.is_some() {
            return;
        }
        let Some(spool) = self.spool.as_mut() else {
            return;
        };
        let written = serde_json::to_writer(&mut spool.writer, message)
            .map_err(std::io::Error::other)
            .and_then(|()| std::io::Write::write_all(&mut spool.writer, b"\n"));
        if let Err(e) = written {
            self.error = Some(e);
        }
    }

    fn start(&mut self) {
        self.run_started = SystemTime::now();
        match Spool::create() {
            Ok(spool) => self.spool = Some(spool),
            Err(e) => self.error = Some(e),
        }
    }

    /// What leads the stream: `meta`, each feature's `source`, `gherkinDocument` and
    /// `pickle`s, the step definitions, `testRunStarted` and every `testCase`. Step texts,
    /// doc strings, table cells and the source (but its keyword lines: names stay as
    /// written) are redacted with every secret of the run.
    fn preamble(
        &self,
        plan: &Plan,
        secrets: &[String],
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        line(out, "meta", meta())?;
        for feature in &plan.features {
            if feature.scenarios.is_empty() {
                continue;
            }
            let (uri, key) = (uri(feature), id_key(feature));
            let document = Document::of(feature, secrets);
            line(
                out,
                "source",
                json!({
                    "uri": uri,
                    "data": redact_source(&feature.text(), secrets, &document.named),
                    "mediaType": "text/x.cucumber.gherkin+plain",
                }),
            )?;
            document.write(out)?;
            for scenario in &feature.scenarios {
                pickle(scenario, &document, &key, out)?;
            }
        }
        for (index, def) in crate::steps::REGISTRY.defs.iter().enumerate() {
            line(
                out,
                "stepDefinition",
                json!({
                    "id": def_id(index),
                    "pattern": { "source": def.phrase, "type": "CUCUMBER_EXPRESSION" },
                    "sourceReference": { "uri": "apitest:steps" },
                }),
            )?;
        }
        line(
            out,
            "testRunStarted",
            json!({ "timestamp": timestamp(self.run_started), "id": self.run_id }),
        )?;
        for feature in &plan.features {
            for scenario in &feature.scenarios {
                let case = test_case(feature, scenario, &self.run_id, secrets);
                serde_json::to_writer(&mut *out, &case).map_err(std::io::Error::other)?;
                out.write_all(b"\n")?;
            }
        }
        Ok(())
    }

    fn case_started(&mut self, plan: &Plan, fi: usize, si: usize, when: SystemTime) {
        let Some((feature, scenario)) = at(plan, fi, si) else {
            return;
        };
        self.started.insert((fi, si));
        let (key, line) = (id_key(feature), scenario.line);
        self.emit(&Message::TestCaseStarted {
            attempt: 0,
            id: &format!("{key}:{line}:started"),
            test_case_id: &format!("{key}:{line}:case"),
            timestamp: Stamp::at(when),
        });
    }

    /// Every step of a scenario, with `result` (or skipped without one), then its end.
    fn case_finished(
        &mut self,
        plan: &Plan,
        fi: usize,
        si: usize,
        result: Option<&ScenarioResult>,
    ) {
        let Some((feature, scenario)) = at(plan, fi, si) else {
            return;
        };
        if !self.finished.insert((fi, si)) {
            return;
        }
        let now = SystemTime::now();
        if !self.started.contains(&(fi, si)) {
            self.case_started(plan, fi, si, result.and_then(|r| r.started).unwrap_or(now));
        }
        let (key, line) = (id_key(feature), scenario.line);
        let mut started_id = format!("{key}:{line}:started");
        // Each failed attempt before the last: its steps, then `willBeRetried`, then the next
        // attempt's start (the first attempt's start was sent as it began).
        let retries = result.map_or(&[][..], |r| r.retries.as_slice());
        for (n, attempt) in retries.iter().enumerate() {
            let Some(last) = result else { break };
            let steps = scenario.steps.len();
            let view = ScenarioResult {
                feature: last.feature,
                scenario: last.scenario,
                status: Status::Failed,
                steps: StepCounts::of(steps, Some(attempt.failure.step)),
                failure: Some(attempt.failure.clone()),
                duration: attempt.duration,
                started: attempt.started,
                step_micros: Box::default(),
                secrets: attempt.secrets.clone(),
                transcript: thin_vec::ThinVec::new(),
                warnings: thin_vec::ThinVec::new(),
                retries: thin_vec::ThinVec::new(),
            };
            self.attempt(feature, scenario, &started_id, Some(&view), now, true);
            let next = n + 1;
            started_id = format!("{key}:{line}:started:{next}");
            let attempt_no = u32::try_from(next).unwrap_or(u32::MAX);
            self.emit(&Message::TestCaseStarted {
                attempt: attempt_no,
                id: &started_id,
                test_case_id: &format!("{key}:{line}:case"),
                timestamp: Stamp::at(
                    retries
                        .get(next)
                        .and_then(|a| a.started)
                        .or(last.started)
                        .unwrap_or(now),
                ),
            });
        }
        self.attempt(feature, scenario, &started_id, result, now, false);
    }

    /// One attempt of a scenario: every step with `result` (or skipped without one), then
    /// its end.
    fn attempt(
        &mut self,
        feature: &PlannedFeature,
        scenario: &PlannedScenario,
        started_id: &str,
        result: Option<&ScenarioResult>,
        now: SystemTime,
        will_be_retried: bool,
    ) {
        let started_id = started_id.to_string();
        let (key, line) = (id_key(feature), scenario.line);
        let failed_at = result.and_then(|r| r.failure.as_ref()).map(|f| f.step);
        for (i, step) in scenario.steps.iter().enumerate() {
            let step_id = format!("{key}:{line}:{}:step", step.line);
            let begun = result.and_then(|r| step_started(r, i)).unwrap_or(now);
            let took = step_duration(result, i);
            self.emit(&Message::TestStepStarted {
                test_case_started_id: &started_id,
                test_step_id: &step_id,
                timestamp: Stamp::at(begun),
            });
            let mut outcome = StepResult {
                duration: Stamp::took(took),
                status: step_status(result, i, step).upper(),
                message: None,
                exception: None,
            };
            if let Some(result) = result {
                let called = called_lines(Some(result), i, step, &result.secrets);
                if !called.is_empty() {
                    let text = format!("{} ran:\n{}", step.keyword, called.join("\n"));
                    self.attach(&started_id, &step_id, &text, Some("called-steps.txt"));
                }
                for (_, warning) in result.warnings.iter().filter(|(at, _)| *at == i) {
                    self.attach(
                        &started_id,
                        &step_id,
                        &format!("warning: {}", redact(warning, &result.secrets)),
                        None,
                    );
                }
                if failed_at == Some(i) {
                    if let Some(text) = failure_text(feature, scenario, result) {
                        let kind = match result.failure.as_ref() {
                            Some(f) if f.error.is_assertion() => "apitest.AssertionFailed",
                            _ => "apitest.Error",
                        };
                        let headline = result
                            .failure
                            .as_ref()
                            .map(|f| redact(&f.error.to_string(), &result.secrets))
                            .unwrap_or_default();
                        outcome.message = Some(text);
                        outcome.exception = Some(Exception {
                            kind,
                            message: headline,
                        });
                    }
                    if let Some(exchange) =
                        result.failure.as_ref().and_then(|f| f.exchange.as_ref())
                    {
                        let text = redact(&exchange.text(), &result.secrets);
                        self.attach(&started_id, &step_id, &text, Some("exchange.txt"));
                        let curl = redact(&exchange.curl, &result.secrets);
                        self.attach(&started_id, &step_id, &curl, Some("curl.sh"));
                    }
                }
                // The `-v` transcript goes with the failing step, else with the last one.
                let last = failed_at.unwrap_or(scenario.steps.len().saturating_sub(1));
                if i == last
                    && let Some(text) = transcript(result)
                {
                    self.attach(&started_id, &step_id, &text, Some("transcript.txt"));
                }
            }
            self.emit(&Message::TestStepFinished {
                test_case_started_id: &started_id,
                test_step_id: &step_id,
                test_step_result: outcome,
                timestamp: Stamp::at(begun + took),
            });
        }
        let ended = result
            .and_then(|r| r.started.map(|at| at + r.duration))
            .unwrap_or(now);
        self.emit(&Message::TestCaseFinished {
            test_case_started_id: &started_id,
            timestamp: Stamp::at(ended),
            will_be_retried,
        });
    }

    fn attach(&mut self, started_id: &str, step_id: &str, body: &str, file_name: Option<&str>) {
        self.emit(&Message::Attachment {
            body,
            content_encoding: "IDENTITY",
            media_type: "text/plain",
            file_name,
            test_case_started_id: started_id,
            test_step_id: step_id,
            timestamp: Stamp::at(SystemTime::now()),
        });
    }
}

impl Reporter for MessagesReporter {
    fn event(&mut self, plan: &Plan, event: &Event<'_>) {
        match event {
            Event::RunStarted { .. } => {
                self.start();
                if let Some(header) = self.shard.as_ref().map(|s| s.header.to_string()) {
                    self.run_attachment(SHARD_MEDIA_TYPE, &header);
                }
            }
            Event::ScenarioStarted {
                feature,
                scenario,
                at,
            } => self.case_started(plan, *feature, *scenario, *at),
            Event::ScenarioFinished(result) => {
                self.case_finished(plan, result.feature, result.scenario, Some(result));
                self.shard_result(plan, result);
            }
        }
    }

    fn finish(&mut self, end: &RunEnd<'_>) -> Result<Option<String>, ReportError> {
        if self.spool.is_none() && self.error.is_none() {
            self.start();
        }
        // Scenarios the run never finished (Ctrl-C, a signal) end skipped, so every test case
        // has a result.
        for (fi, feature) in end.plan.features.iter().enumerate() {
            for si in 0..feature.scenarios.len() {
                if !self.finished.contains(&(fi, si)) {
                    self.case_finished(end.plan, fi, si, None);
                }
            }
        }
        let path = self.path.clone();
        let failed = |error| ReportError {
            what: "Cucumber Messages report",
            path: path.clone(),
            error,
        };
        if let Some(error) = self.error.take() {
            return Err(failed(error));
        }
        let secrets = end.all_secrets();
        if let Some(shard) = &self.shard {
            let places = secret_places(&secrets, &shard.sources);
            let body = json!(places).to_string();
            self.run_attachment(SECRETS_MEDIA_TYPE, &body);
        }
        if self.shard.is_some()
            && let Some(coverage) = end.coverage
        {
            match serde_json::to_value(coverage) {
                Ok(mut value) => {
                    redact_value(&mut value, &secrets);
                    self.run_attachment(COVERAGE_MEDIA_TYPE, &value.to_string());
                }
                Err(e) => self.error = Some(std::io::Error::other(e)),
            }
        }
        if let Some(error) = self.error.take() {
            return Err(failed(error));
        }
        let mut finished = json!({
            "success": end.summary.scenarios_failed == 0
                && !end.summary.interrupted
                && end.not_started.is_empty(),
            "timestamp": timestamp(SystemTime::now()),
            "testRunStartedId": self.run_id,
        });
        if !end.not_started.is_empty() {
            let message = format!("the run did not start:\n{}", end.not_started.join("\n"));
            set(&mut finished, "message", json!(message));
        }
        let mut spool = self.spool.take();
        let written = AtomicFile::create(&self.path).and_then(|mut file| {
            self.preamble(end.plan, &secrets, file.writer())?;
            if let Some(spool) = spool.as_mut() {
                spool.copy_to(file.writer())?;
            }
            line(file.writer(), "testRunFinished", finished)?;
            file.commit()
        });
        written.map_err(failed)?;
        Ok(Some(format!("Cucumber Messages: {}", self.path.display())))
    }
}

/// Every string in `value` redacted with `secrets`, but under `notes`: those are made of
/// what the user wrote (names), which is never altered.
fn redact_value(value: &mut Value, secrets: &[String]) {
    if secrets.is_empty() {
        return;
    }
    match value {
        Value::String(text) => *text = redact(text, secrets),
        Value::Array(items) => items.iter_mut().for_each(|v| redact_value(v, secrets)),
        Value::Object(fields) => {
            for (key, v) in fields.iter_mut() {
                if key != "notes" {
                    redact_value(v, secrets);
                }
            }
        }
        _ => {}
    }
}

/// The feature file with every secret masked, but on the lines that give a name
/// (`Feature:`, `Rule:`, `Scenario:` …): names are the user's and are never altered.
fn redact_source(source: &str, secrets: &[String], named: &HashSet<usize>) -> String {
    if secrets.is_empty() {
        return source.to_string();
    }
    source
        .split_inclusive('\n')
        .enumerate()
        .map(|(i, l)| {
            if named.contains(&(i + 1)) {
                l.to_string()
            } else {
                redact(l, secrets)
            }
        })
        .collect()
}

/// The ID of a scenario's `testCase`: what a timing file (`--shard-by timing`) finds it by.
pub fn case_id(feature: &PlannedFeature, scenario: &PlannedScenario) -> String {
    format!("{}:{}:case", id_key(feature), scenario.line)
}

/// The part of every ID that names the feature: twelve hex digits of a hash of its path
/// (FNV-1a), stable across runs and machines, and far shorter than the path repeated on
/// every line of the stream.
fn id_key(feature: &PlannedFeature) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in uri(feature).bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{:012x}", hash >> 16)
}

fn def_id(index: usize) -> String {
    format!("apitest:step:{index}")
}

/// Sets `key` of a JSON object.
fn set(object: &mut Value, key: &str, value: Value) {
    if let Some(map) = object.as_object_mut() {
        map.insert(key.to_string(), value);
    }
}

fn timestamp(at: SystemTime) -> Value {
    let (seconds, nanos) = unix(at);
    json!({ "seconds": seconds, "nanos": nanos })
}

fn meta() -> Value {
    let mut meta = json!({
        "protocolVersion": PROTOCOL_VERSION,
        "implementation": { "name": "apitest", "version": env!("CARGO_PKG_VERSION") },
        "runtime": { "name": "rust" },
        "os": { "name": std::env::consts::OS },
        "cpu": { "name": std::env::consts::ARCH },
    });
    if let Some(ci) = ci() {
        set(&mut meta, "ci", ci);
    }
    meta
}

/// The CI system the run is in, from the variables the common ones set.
fn ci() -> Option<Value> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let (name, url, build) = if var("GITHUB_ACTIONS").is_some() {
        let url = match (
            var("GITHUB_SERVER_URL"),
            var("GITHUB_REPOSITORY"),
            var("GITHUB_RUN_ID"),
        ) {
            (Some(server), Some(repo), Some(run)) => {
                Some(format!("{server}/{repo}/actions/runs/{run}"))
            }
            _ => None,
        };
        ("GitHub Actions", url, var("GITHUB_RUN_NUMBER"))
    } else if var("GITLAB_CI").is_some() {
        ("GitLab", var("CI_PIPELINE_URL"), var("CI_PIPELINE_IID"))
    } else if var("JENKINS_URL").is_some() {
        ("Jenkins", var("BUILD_URL"), var("BUILD_NUMBER"))
    } else if var("CIRCLECI").is_some() {
        ("CircleCI", var("CIRCLE_BUILD_URL"), var("CIRCLE_BUILD_NUM"))
    } else if var("BUILDKITE").is_some() {
        (
            "Buildkite",
            var("BUILDKITE_BUILD_URL"),
            var("BUILDKITE_BUILD_NUMBER"),
        )
    } else {
        return None;
    };
    let mut ci = json!({ "name": name });
    if let Some(url) = url {
        set(&mut ci, "url", json!(url));
    }
    if let Some(build) = build {
        set(&mut ci, "buildNumber", json!(build));
    }
    Some(ci)
}

/// A feature's `gherkinDocument`, and what its pickles need to name its nodes.
struct Document<'s> {
    uri: String,
    /// The file's `# language:`, `en` without one.
    language: String,
    feature: Option<GFeature>,
    comments: Vec<GComment>,
    /// Per step line: the pickle step type (`Context`, `Action`, `Outcome`) and the doc
    /// string's media type.
    steps: HashMap<usize, (&'static str, Option<String>)>,
    /// Per scenario line: the tags it carries and inherits (feature, rule, its own), each
    /// with the ID of its tag node; per Examples row line: the tags of its Examples.
    scenario_tags: HashMap<usize, Vec<(String, String)>>,
    row_tags: HashMap<usize, Vec<(String, String)>>,
    /// The lines that give a name (`Feature:`, `Rule:`, `Scenario:` …), never redacted.
    named: HashSet<usize>,
    /// Every secret of the run, masked in step texts, doc strings and table cells.
    secrets: &'s [String],
}

// The gherkinDocument's nodes, typed for the same reason as `Message`: a 10,000-scenario
// document is a million JSON values otherwise.

#[derive(Serialize, Clone, Copy)]
struct Loc {
    line: usize,
    column: usize,
}

#[derive(Serialize)]
struct GTag {
    location: Loc,
    name: String,
    id: String,
}

#[derive(Serialize)]
struct GFeature {
    location: Loc,
    tags: Vec<GTag>,
    language: String,
    keyword: String,
    name: String,
    description: String,
    children: Vec<GChild>,
}

/// A child of a feature, or (never a rule then) of a rule.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
enum GChild {
    Background(GBackground),
    Scenario(GScenario),
    Rule(GRule),
}

#[derive(Serialize)]
struct GRule {
    id: String,
    location: Loc,
    tags: Vec<GTag>,
    keyword: String,
    name: String,
    description: &'static str,
    children: Vec<GChild>,
}

#[derive(Serialize)]
struct GBackground {
    id: String,
    location: Loc,
    keyword: String,
    name: String,
    description: &'static str,
    steps: Vec<GStep>,
}

#[derive(Serialize)]
struct GScenario {
    id: String,
    location: Loc,
    tags: Vec<GTag>,
    keyword: String,
    name: String,
    description: &'static str,
    steps: Vec<GStep>,
    examples: Vec<GExamples>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct GExamples {
    id: String,
    location: Loc,
    tags: Vec<GTag>,
    keyword: String,
    name: String,
    description: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    table_header: Option<GRow>,
    table_body: Vec<GRow>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct GStep {
    id: String,
    location: Loc,
    keyword: String,
    keyword_type: &'static str,
    text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    doc_string: Option<GDoc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    data_table: Option<GTable>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct GDoc {
    location: Loc,
    #[serde(skip_serializing_if = "Option::is_none")]
    media_type: Option<String>,
    content: String,
    delimiter: &'static str,
}

#[derive(Serialize)]
struct GTable {
    location: Loc,
    rows: Vec<GRow>,
}

#[derive(Serialize)]
struct GRow {
    id: String,
    location: Loc,
    cells: Vec<GCell>,
}

#[derive(Serialize)]
struct GCell {
    location: Loc,
    value: String,
}

#[derive(Serialize)]
struct GComment {
    location: Loc,
    text: String,
}

/// Tags with the IDs of their nodes.
fn tag_ids(key: &str, tags: &[gherkin::Tag]) -> Vec<(String, String)> {
    tags.iter()
        .map(|t| (t.name.clone(), format!("{key}:{}:{}:tag", t.line, t.column)))
        .collect()
}

impl<'s> Document<'s> {
    fn of(feature: &PlannedFeature, secrets: &'s [String]) -> Document<'s> {
        let (uri, key) = (uri(feature), id_key(feature));
        let text = feature.text();
        let lines: Vec<&str> = text.lines().collect();
        let mut doc = Document {
            uri,
            language: "en".to_string(),
            feature: None,
            comments: comments(&lines, secrets),
            steps: HashMap::new(),
            scenario_tags: HashMap::new(),
            row_tags: HashMap::new(),
            named: HashSet::new(),
            secrets,
        };
        if let Ok(ast) = gherkin::parse(&text) {
            doc.language.clone_from(&ast.language);
            doc.index(&key, &ast);
            doc.feature = Some(doc.feature(&key, &lines, &ast));
        }
        doc
    }

    /// The `gherkinDocument` message, written as it is serialised.
    fn write(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        enum Envelope<'a> {
            GherkinDocument {
                uri: &'a str,
                #[serde(skip_serializing_if = "Option::is_none")]
                feature: Option<&'a GFeature>,
                comments: &'a [GComment],
            },
        }
        let message = Envelope::GherkinDocument {
            uri: &self.uri,
            feature: self.feature.as_ref(),
            comments: &self.comments,
        };
        serde_json::to_writer(&mut *out, &message).map_err(std::io::Error::other)?;
        out.write_all(b"\n")
    }

    /// The name lines, and the tags each scenario and each Examples row carries.
    fn index(&mut self, key: &str, ast: &gherkin::Feature) {
        let feature_tags = tag_ids(key, &ast.tags);
        self.named.insert(ast.line);
        self.named.extend(ast.background.as_ref().map(|b| b.line));
        let mut groups = vec![(feature_tags.clone(), &ast.scenarios)];
        for rule in &ast.rules {
            self.named.insert(rule.line);
            self.named.extend(rule.background.as_ref().map(|b| b.line));
            let mut inherited = feature_tags.clone();
            inherited.extend(tag_ids(key, &rule.tags));
            groups.push((inherited, &rule.scenarios));
        }
        for (inherited, scenarios) in groups {
            for scenario in scenarios {
                self.named.insert(scenario.line);
                let mut tags = inherited.clone();
                tags.extend(tag_ids(key, &scenario.tags));
                self.scenario_tags.insert(scenario.line, tags);
                for examples in &scenario.examples {
                    self.named.insert(examples.line);
                    let own = tag_ids(key, &examples.tags);
                    for row in examples.table.iter().flat_map(|t| t.rows.iter().skip(1)) {
                        self.row_tags.insert(row.line, own.clone());
                    }
                }
            }
        }
    }

    /// The ID of the tag node that gives the tag `name` to the pickle of `scenario`.
    fn tag_node(&self, scenario: &PlannedScenario, name: &str) -> Option<&str> {
        let row = self.row_tags.get(&scenario.line).into_iter().flatten();
        let own = self
            .scenario_tags
            .get(&scenario.scenario_line)
            .into_iter()
            .flatten();
        row.chain(own)
            .find(|(tag, _)| tag == name)
            .map(|(_, id)| id.as_str())
    }

    fn feature(&mut self, key: &str, lines: &[&str], ast: &gherkin::Feature) -> GFeature {
        let mut children = Vec::new();
        if let Some(background) = &ast.background {
            children.push(GChild::Background(self.background(key, lines, background)));
        }
        for scenario in &ast.scenarios {
            children.push(GChild::Scenario(self.scenario(key, lines, scenario)));
        }
        for rule in &ast.rules {
            let mut rule_children = Vec::new();
            if let Some(background) = &rule.background {
                rule_children.push(GChild::Background(self.background(key, lines, background)));
            }
            for scenario in &rule.scenarios {
                rule_children.push(GChild::Scenario(self.scenario(key, lines, scenario)));
            }
            children.push(GChild::Rule(GRule {
                id: format!("{key}:{}:rule", rule.line),
                location: location(lines, rule.line),
                tags: self.tags_json(key, &rule.tags),
                keyword: rule.keyword.clone(),
                name: rule.name.clone(),
                description: "",
                children: rule_children,
            }));
        }
        GFeature {
            location: location(lines, ast.line),
            tags: self.tags_json(key, &ast.tags),
            language: ast.language.clone(),
            keyword: ast.keyword.clone(),
            name: ast.name.clone(),
            description: redact(&ast.description, self.secrets),
            children,
        }
    }

    fn tags_json(&self, key: &str, tags: &[gherkin::Tag]) -> Vec<GTag> {
        tags.iter()
            .zip(tag_ids(key, tags))
            .map(|(tag, (name, id))| GTag {
                location: Loc {
                    line: tag.line,
                    column: tag.column,
                },
                name: format!("@{name}"),
                id,
            })
            .collect()
    }

    fn background(
        &mut self,
        key: &str,
        lines: &[&str],
        background: &gherkin::Background,
    ) -> GBackground {
        GBackground {
            id: format!("{key}:{}:background", background.line),
            location: location(lines, background.line),
            keyword: background.keyword.clone(),
            name: background.name.clone(),
            description: "",
            steps: background
                .steps
                .iter()
                .map(|s| self.step(key, lines, s))
                .collect(),
        }
    }

    fn scenario(&mut self, key: &str, lines: &[&str], scenario: &gherkin::Scenario) -> GScenario {
        let examples = scenario
            .examples
            .iter()
            .map(|examples| {
                let rows = examples
                    .table
                    .as_ref()
                    .map_or(&[][..], |t| t.rows.as_slice());
                GExamples {
                    id: format!("{key}:{}:examples", examples.line),
                    location: location(lines, examples.line),
                    tags: self.tags_json(key, &examples.tags),
                    keyword: examples.keyword.clone(),
                    name: examples.name.clone(),
                    description: "",
                    table_header: rows.first().map(|r| row(key, lines, r, self.secrets)),
                    table_body: rows
                        .iter()
                        .skip(1)
                        .map(|r| row(key, lines, r, self.secrets))
                        .collect(),
                }
            })
            .collect();
        GScenario {
            id: format!("{key}:{}:scenario", scenario.line),
            location: location(lines, scenario.line),
            tags: self.tags_json(key, &scenario.tags),
            keyword: scenario.keyword.clone(),
            name: scenario.name.clone(),
            description: "",
            steps: scenario
                .steps
                .iter()
                .map(|s| self.step(key, lines, s))
                .collect(),
            examples,
        }
    }

    fn step(&mut self, key: &str, lines: &[&str], step: &gherkin::Step) -> GStep {
        let kind = match step.kind {
            StepKind::Given => "Context",
            StepKind::When => "Action",
            StepKind::Then => "Outcome",
            StepKind::Unknown => "Unknown",
        };
        let keyword_type = if step.conjunction {
            "Conjunction"
        } else {
            kind
        };
        self.steps.insert(
            step.line,
            (
                kind,
                step.docstring.as_ref().and_then(|d| d.media_type.clone()),
            ),
        );
        GStep {
            id: format!("{key}:{}:step", step.line),
            location: Loc {
                line: step.line,
                column: step.column,
            },
            keyword: format!("{} ", step.keyword),
            keyword_type,
            text: redact(&step.text, self.secrets),
            doc_string: step.docstring.as_ref().map(|doc| GDoc {
                location: location(lines, doc.line),
                media_type: doc.media_type.clone(),
                content: redact(&doc.content, self.secrets),
                delimiter: lines.get(doc.line.saturating_sub(1)).map_or("\"\"\"", |l| {
                    if l.trim_start().starts_with("```") {
                        "```"
                    } else {
                        "\"\"\""
                    }
                }),
            }),
            data_table: step.table.as_ref().map(|table| GTable {
                location: location(lines, table.rows.first().map_or(step.line + 1, |r| r.line)),
                rows: table
                    .rows
                    .iter()
                    .map(|r| row(key, lines, r, self.secrets))
                    .collect(),
            }),
        }
    }
}

/// The comment lines of a file, as Gherkin reports them.
fn comments(lines: &[&str], secrets: &[String]) -> Vec<GComment> {
    lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.trim_start().starts_with('#'))
        .map(|(i, l)| GComment {
            location: Loc {
                line: i + 1,
                column: 1,
            },
            text: redact(l, secrets),
        })
        .collect()
}

/// Line and column (of the first character that is not a space) of a line.
fn location(lines: &[&str], line: usize) -> Loc {
    let column = lines.get(line.saturating_sub(1)).map_or(1, |l| {
        l.chars().take_while(|c| c.is_whitespace()).count() + 1
    });
    Loc { line, column }
}

fn row(key: &str, lines: &[&str], row: &gherkin::TableRow, secrets: &[String]) -> GRow {
    let columns = cell_columns(lines.get(row.line.saturating_sub(1)).copied().unwrap_or(""));
    GRow {
        id: format!("{key}:{}:row", row.line),
        location: location(lines, row.line),
        cells: row
            .cells
            .iter()
            .enumerate()
            .map(|(i, value)| GCell {
                location: Loc {
                    line: row.line,
                    column: columns.get(i).copied().unwrap_or(1),
                },
                value: redact(value, secrets),
            })
            .collect(),
    }
}

/// The column where each cell's text starts in a `| a | b |` line.
fn cell_columns(line: &str) -> Vec<usize> {
    let mut columns = Vec::new();
    let mut escaped = false;
    // Inside a cell: the column of its first character that is not a space, once seen.
    let mut cell: Option<Option<usize>> = None;
    for (i, c) in line.chars().enumerate() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '|' => {
                if let Some(start) = cell {
                    columns.push(start.unwrap_or(i + 1));
                }
                cell = Some(None);
            }
            '\\' => {
                escaped = true;
                if let Some(None) = cell {
                    cell = Some(Some(i + 1));
                }
            }
            c if c.is_whitespace() => {}
            _ => {
                if let Some(None) = cell {
                    cell = Some(Some(i + 1));
                }
            }
        }
    }
    columns
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Pickle<'a> {
    id: String,
    uri: &'a str,
    location: Line,
    name: String,
    language: &'a str,
    steps: Vec<PickleStep>,
    tags: Vec<PickleTag<'a>>,
    ast_node_ids: Vec<String>,
}

#[derive(Serialize)]
struct Line {
    line: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PickleStep {
    id: String,
    ast_node_ids: Vec<String>,
    #[serde(rename = "type")]
    kind: &'static str,
    text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    argument: Option<PickleArgument>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
enum PickleArgument {
    DocString {
        content: String,
        #[serde(rename = "mediaType", skip_serializing_if = "Option::is_none")]
        media_type: Option<String>,
    },
    DataTable {
        rows: Vec<PickleRow>,
    },
}

#[derive(Serialize)]
struct PickleRow {
    cells: Vec<PickleCell>,
}

#[derive(Serialize)]
struct PickleCell {
    value: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PickleTag<'a> {
    name: String,
    ast_node_id: &'a str,
}

/// The `pickle` message of a planned scenario.
fn pickle(
    scenario: &PlannedScenario,
    doc: &Document<'_>,
    key: &str,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let line = scenario.line;
    let outline_row = (scenario.scenario_line != line).then(|| format!("{key}:{line}:row"));
    let mut ast_node_ids = vec![format!("{key}:{}:scenario", scenario.scenario_line)];
    ast_node_ids.extend(outline_row.clone());
    let steps = scenario
        .steps
        .iter()
        .map(|step| {
            let mut ids = vec![format!("{key}:{}:step", step.line)];
            if !step.background {
                ids.extend(outline_row.clone());
            }
            let (kind, media) = doc
                .steps
                .get(&step.line)
                .cloned()
                .unwrap_or(("Unknown", None));
            let argument = match (step.docstring.as_deref(), step.table.as_deref()) {
                (Some(content), _) => Some(PickleArgument::DocString {
                    content: redact(content, doc.secrets),
                    media_type: media,
                }),
                (None, Some(table)) => Some(PickleArgument::DataTable {
                    rows: table
                        .rows
                        .iter()
                        .map(|r| PickleRow {
                            cells: r
                                .cells
                                .iter()
                                .map(|c| PickleCell {
                                    value: redact(c, doc.secrets),
                                })
                                .collect(),
                        })
                        .collect(),
                }),
                (None, None) => None,
            };
            PickleStep {
                id: format!("{key}:{line}:{}:pickle-step", step.line),
                ast_node_ids: ids,
                kind,
                text: redact(&step.text, doc.secrets),
                argument,
            }
        })
        .collect();
    let tags = scenario
        .tags
        .iter()
        .filter_map(|t| {
            Some(PickleTag {
                name: format!("@{t}"),
                ast_node_id: doc.tag_node(scenario, t)?,
            })
        })
        .collect();
    #[derive(Serialize)]
    struct Envelope<'a> {
        pickle: Pickle<'a>,
    }
    let message = Envelope {
        pickle: Pickle {
            id: format!("{key}:{line}:pickle"),
            uri: &doc.uri,
            location: Line { line },
            name: test_name(scenario),
            language: &doc.language,
            steps,
            tags,
            ast_node_ids,
        },
    };
    serde_json::to_writer(&mut *out, &message).map_err(std::io::Error::other)?;
    out.write_all(b"\n")
}

fn test_case<'a>(
    feature: &PlannedFeature,
    scenario: &PlannedScenario,
    run_id: &'a str,
    secrets: &[String],
) -> Message<'a> {
    let key = id_key(feature);
    let line = scenario.line;
    let steps: Vec<TestStep> = scenario
        .steps
        .iter()
        .map(|step| {
            let (defs, arguments) = match &*step.matched {
                Ok(m) => {
                    let arguments = match_arguments(&step.text, m, secrets);
                    (
                        vec![def_id(m.index)],
                        vec![ArgumentsList {
                            step_match_arguments: arguments,
                        }],
                    )
                }
                // An ambiguous step names every phrase it matches; an undefined one none.
                Err(error) => match &*error.kind {
                    crate::error::ErrorKind::AmbiguousStep { phrases } => (
                        crate::steps::REGISTRY
                            .defs
                            .iter()
                            .enumerate()
                            .filter(|(_, d)| phrases.iter().any(|p| p == d.phrase))
                            .map(|(i, _)| def_id(i))
                            .collect(),
                        Vec::new(),
                    ),
                    _ => (Vec::new(), Vec::new()),
                },
            };
            TestStep {
                id: format!("{key}:{line}:{}:step", step.line),
                pickle_step_id: format!("{key}:{line}:{}:pickle-step", step.line),
                step_definition_ids: defs,
                step_match_arguments_lists: arguments,
            }
        })
        .collect();
    Message::TestCase {
        id: format!("{key}:{line}:case"),
        pickle_id: format!("{key}:{line}:pickle"),
        test_steps: steps,
        test_run_started_id: run_id,
    }
}

/// The step's arguments, where they start in its text (in characters, as the pickle step's
/// text is read). The text and the values are redacted alike, so each start is looked up
/// again in the redacted text when a secret changed it.
fn match_arguments(
    text: &str,
    matched: &crate::runner::plan::Matched,
    secrets: &[String],
) -> Vec<Argument> {
    let shown = redact(text, secrets);
    let changed = shown != text;
    let mut from = 0;
    matched
        .spans
        .iter()
        .zip(&matched.captures)
        .map(|(&(start, end), value)| {
            let raw = text.get(start..end).unwrap_or(value);
            let value = redact(raw, secrets);
            let byte = if changed {
                shown
                    .get(from..)
                    .and_then(|rest| rest.find(&value))
                    .map_or(from, |at| from + at)
            } else {
                start
            };
            from = byte + value.len();
            let start = shown.get(..byte).map_or(0, |before| before.chars().count());
            Argument {
                group: Group {
                    children: [],
                    start,
                    value,
                },
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::cell_columns;

    #[test]
    fn cells_start_after_their_pipe_and_spaces() {
        assert_eq!(cell_columns("    | name | a\\|b |"), vec![7, 14]);
        assert_eq!(cell_columns("|x|y|"), vec![2, 4]);
    }
}
