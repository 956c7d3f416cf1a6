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
//! IDs are stable across runs: they are made of the feature's path and the line of the node
//! (`features/a.feature:12:scenario`), so a pickle keeps its ID while its file is unchanged,
//! and two shards of one plan agree on every ID.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use serde_json::{Value, json};

use crate::gherkin::{self, StepKind};
use crate::report::model::{
    at, failure_text, step_duration, step_started, step_status, test_name, transcript, unix, uri,
};
use crate::report::{AtomicFile, Event, ReportError, Reporter, RunEnd};
use crate::runner::plan::{Plan, PlannedFeature, PlannedScenario};
use crate::runner::result::ScenarioResult;
use crate::secret::redact;

/// The version of the messages protocol the stream follows (checked against the schema of
/// `@cucumber/messages` of that version in the tests).
pub const PROTOCOL_VERSION: &str = "34.2.1";

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
        }
    }

    fn emit(&mut self, kind: &str, message: Value) {
        if self.error.is_some() {
            return;
        }
        let Some(spool) = self.spool.as_mut() else {
            return;
        };
        if let Err(e) = line(&mut spool.writer, kind, message) {
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
            let uri = uri(feature);
            let document = Document::of(feature, secrets);
            line(
                out,
                "source",
                json!({
                    "uri": uri,
                    "data": redact_source(&feature.source, secrets, &document.named),
                    "mediaType": "text/x.cucumber.gherkin+plain",
                }),
            )?;
            line(out, "gherkinDocument", document.json.clone())?;
            for scenario in &feature.scenarios {
                line(out, "pickle", pickle(feature, scenario, &document))?;
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
                line(
                    out,
                    "testCase",
                    test_case(feature, scenario, &self.run_id, secrets),
                )?;
            }
        }
        Ok(())
    }

    fn case_started(&mut self, plan: &Plan, fi: usize, si: usize, when: SystemTime) {
        let Some((feature, scenario)) = at(plan, fi, si) else {
            return;
        };
        self.started.insert((fi, si));
        let (uri, line) = (uri(feature), scenario.line);
        self.emit(
            "testCaseStarted",
            json!({
                "attempt": 0,
                "id": format!("{uri}:{line}:started"),
                "testCaseId": format!("{uri}:{line}:case"),
                "timestamp": timestamp(when),
            }),
        );
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
        let (uri, line) = (uri(feature), scenario.line);
        let started_id = format!("{uri}:{line}:started");
        let failed_at = result.and_then(|r| r.failure.as_ref()).map(|f| f.step);
        for (i, step) in scenario.steps.iter().enumerate() {
            let step_id = format!("{uri}:{line}:{}:step", step.line);
            let begun = result.and_then(|r| step_started(r, i)).unwrap_or(now);
            let took = step_duration(result, i);
            self.emit(
                "testStepStarted",
                json!({
                    "testCaseStartedId": started_id,
                    "testStepId": step_id,
                    "timestamp": timestamp(begun),
                }),
            );
            let mut outcome = json!({
                "duration": duration(took),
                "status": step_status(result, i, step).upper(),
            });
            if let Some(result) = result {
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
                        set(&mut outcome, "message", json!(text));
                        set(
                            &mut outcome,
                            "exception",
                            json!({ "type": kind, "message": headline }),
                        );
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
            self.emit(
                "testStepFinished",
                json!({
                    "testCaseStartedId": started_id,
                    "testStepId": step_id,
                    "testStepResult": outcome,
                    "timestamp": timestamp(begun + took),
                }),
            );
        }
        let ended = result
            .and_then(|r| r.started.map(|at| at + r.duration))
            .unwrap_or(now);
        self.emit(
            "testCaseFinished",
            json!({ "testCaseStartedId": started_id, "timestamp": timestamp(ended), "willBeRetried": false }),
        );
    }

    fn attach(&mut self, started_id: &str, step_id: &str, body: &str, file_name: Option<&str>) {
        let mut attachment = json!({
            "body": body,
            "contentEncoding": "IDENTITY",
            "mediaType": "text/plain",
            "testCaseStartedId": started_id,
            "testStepId": step_id,
            "timestamp": timestamp(SystemTime::now()),
        });
        if let Some(name) = file_name {
            set(&mut attachment, "fileName", json!(name));
        }
        self.emit("attachment", attachment);
    }
}

impl Reporter for MessagesReporter {
    fn event(&mut self, plan: &Plan, event: &Event<'_>) {
        match event {
            Event::RunStarted { .. } => self.start(),
            Event::ScenarioStarted {
                feature,
                scenario,
                at,
            } => self.case_started(plan, *feature, *scenario, *at),
            Event::ScenarioFinished(result) => {
                self.case_finished(plan, result.feature, result.scenario, Some(result));
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
        let failed = |error| ReportError {
            what: "Cucumber Messages report",
            path: self.path.clone(),
            error,
        };
        if let Some(error) = self.error.take() {
            return Err(failed(error));
        }
        let secrets = end.all_secrets();
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

fn duration(d: Duration) -> Value {
    json!({ "seconds": d.as_secs(), "nanos": d.subsec_nanos() })
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
    json: Value,
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

/// Tags with the IDs of their nodes.
fn tag_ids(uri: &str, tags: &[gherkin::Tag]) -> Vec<(String, String)> {
    tags.iter()
        .map(|t| (t.name.clone(), format!("{uri}:{}:{}:tag", t.line, t.column)))
        .collect()
}

impl<'s> Document<'s> {
    fn of(feature: &PlannedFeature, secrets: &'s [String]) -> Document<'s> {
        let uri = uri(feature);
        let lines: Vec<&str> = feature.source.lines().collect();
        let mut doc = Document {
            json: Value::Null,
            steps: HashMap::new(),
            scenario_tags: HashMap::new(),
            row_tags: HashMap::new(),
            named: HashSet::new(),
            secrets,
        };
        let feature_json = match gherkin::parse(&feature.source) {
            Ok(ast) => {
                doc.index(&uri, &ast);
                Some(doc.feature(&uri, &lines, &ast))
            }
            Err(_) => None,
        };
        let mut json = json!({ "uri": uri, "comments": comments(&lines, secrets) });
        if let Some(feature_json) = feature_json {
            set(&mut json, "feature", feature_json);
        }
        doc.json = json;
        doc
    }

    /// The name lines, and the tags each scenario and each Examples row carries.
    fn index(&mut self, uri: &str, ast: &gherkin::Feature) {
        let feature_tags = tag_ids(uri, &ast.tags);
        self.named.insert(ast.line);
        self.named.extend(ast.background.as_ref().map(|b| b.line));
        let mut groups = vec![(feature_tags.clone(), &ast.scenarios)];
        for rule in &ast.rules {
            self.named.insert(rule.line);
            self.named.extend(rule.background.as_ref().map(|b| b.line));
            let mut inherited = feature_tags.clone();
            inherited.extend(tag_ids(uri, &rule.tags));
            groups.push((inherited, &rule.scenarios));
        }
        for (inherited, scenarios) in groups {
            for scenario in scenarios {
                self.named.insert(scenario.line);
                let mut tags = inherited.clone();
                tags.extend(tag_ids(uri, &scenario.tags));
                self.scenario_tags.insert(scenario.line, tags);
                for examples in &scenario.examples {
                    self.named.insert(examples.line);
                    let own = tag_ids(uri, &examples.tags);
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

    fn feature(&mut self, uri: &str, lines: &[&str], ast: &gherkin::Feature) -> Value {
        let mut children: Vec<Value> = Vec::new();
        if let Some(background) = &ast.background {
            children.push(json!({ "background": self.background(uri, lines, background) }));
        }
        for scenario in &ast.scenarios {
            children.push(json!({ "scenario": self.scenario(uri, lines, scenario) }));
        }
        for rule in &ast.rules {
            let mut rule_children = Vec::new();
            if let Some(background) = &rule.background {
                rule_children
                    .push(json!({ "background": self.background(uri, lines, background) }));
            }
            for scenario in &rule.scenarios {
                rule_children.push(json!({ "scenario": self.scenario(uri, lines, scenario) }));
            }
            children.push(json!({ "rule": {
                "id": format!("{uri}:{}:rule", rule.line),
                "location": location(lines, rule.line),
                "tags": self.tags_json(uri, &rule.tags),
                "keyword": rule.keyword,
                "name": rule.name,
                "description": "",
                "children": rule_children,
            }}));
        }
        json!({
            "location": location(lines, ast.line),
            "tags": self.tags_json(uri, &ast.tags),
            "language": "en",
            "keyword": ast.keyword,
            "name": ast.name,
            "description": redact_with(self.secrets, &ast.description),
            "children": children,
        })
    }

    fn tags_json(&self, uri: &str, tags: &[gherkin::Tag]) -> Vec<Value> {
        tags.iter()
            .zip(tag_ids(uri, tags))
            .map(|(tag, (name, id))| {
                json!({
                    "location": { "line": tag.line, "column": tag.column },
                    "name": format!("@{name}"),
                    "id": id,
                })
            })
            .collect()
    }

    fn background(&mut self, uri: &str, lines: &[&str], background: &gherkin::Background) -> Value {
        json!({
            "id": format!("{uri}:{}:background", background.line),
            "location": location(lines, background.line),
            "keyword": background.keyword,
            "name": background.name,
            "description": "",
            "steps": background.steps.iter().map(|s| self.step(uri, lines, s)).collect::<Vec<_>>(),
        })
    }

    fn scenario(&mut self, uri: &str, lines: &[&str], scenario: &gherkin::Scenario) -> Value {
        let examples: Vec<Value> = scenario
            .examples
            .iter()
            .map(|examples| {
                let rows = examples.table.as_ref().map_or(&[][..], |t| t.rows.as_slice());
                let mut json = json!({
                    "id": format!("{uri}:{}:examples", examples.line),
                    "location": location(lines, examples.line),
                    "tags": self.tags_json(uri, &examples.tags),
                    "keyword": examples.keyword,
                    "name": examples.name,
                    "description": "",
                    "tableBody": rows.iter().skip(1).map(|r| row(uri, lines, r, self.secrets)).collect::<Vec<_>>(),
                });
                if let Some(header) = rows.first() {
                    set(&mut json, "tableHeader", row(uri, lines, header, self.secrets));
                }
                json
            })
            .collect();
        json!({
            "id": format!("{uri}:{}:scenario", scenario.line),
            "location": location(lines, scenario.line),
            "tags": self.tags_json(uri, &scenario.tags),
            "keyword": scenario.keyword,
            "name": scenario.name,
            "description": "",
            "steps": scenario.steps.iter().map(|s| self.step(uri, lines, s)).collect::<Vec<_>>(),
            "examples": examples,
        })
    }

    fn step(&mut self, uri: &str, lines: &[&str], step: &gherkin::Step) -> Value {
        let kind = match step.kind {
            StepKind::Given => "Context",
            StepKind::When => "Action",
            StepKind::Then => "Outcome",
        };
        let keyword_type = match step.keyword {
            "And" | "But" => "Conjunction",
            "*" => "Unknown",
            _ => kind,
        };
        self.steps.insert(
            step.line,
            (
                kind,
                step.docstring.as_ref().and_then(|d| d.media_type.clone()),
            ),
        );
        let mut json = json!({
            "id": format!("{uri}:{}:step", step.line),
            "location": { "line": step.line, "column": step.column },
            "keyword": format!("{} ", step.keyword),
            "keywordType": keyword_type,
            "text": redact_with(self.secrets, &step.text),
        });
        if let Some(doc) = &step.docstring {
            let fence = lines.get(doc.line.saturating_sub(1)).map_or("\"\"\"", |l| {
                if l.trim_start().starts_with("```") {
                    "```"
                } else {
                    "\"\"\""
                }
            });
            let mut doc_json = json!({
                "location": location(lines, doc.line),
                "content": redact_with(self.secrets, &doc.content),
                "delimiter": fence,
            });
            if let Some(media) = &doc.media_type {
                set(&mut doc_json, "mediaType", json!(media));
            }
            set(&mut json, "docString", doc_json);
        }
        if let Some(table) = &step.table {
            set(
                &mut json,
                "dataTable",
                json!({
                    "location": location(lines, table.rows.first().map_or(step.line + 1, |r| r.line)),
                    "rows": table.rows.iter().map(|r| row(uri, lines, r, self.secrets)).collect::<Vec<_>>(),
                }),
            );
        }
        json
    }
}

/// `text` with every secret of the run masked.
fn redact_with(secrets: &[String], text: &str) -> String {
    redact(text, secrets)
}

/// The comment lines of a file, as Gherkin reports them.
fn comments(lines: &[&str], secrets: &[String]) -> Vec<Value> {
    lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.trim_start().starts_with('#'))
        .map(|(i, l)| json!({ "location": { "line": i + 1, "column": 1 }, "text": redact_with(secrets, l) }))
        .collect()
}

/// Line and column (of the first character that is not a space) of a line.
fn location(lines: &[&str], line: usize) -> Value {
    let column = lines.get(line.saturating_sub(1)).map_or(1, |l| {
        l.chars().take_while(|c| c.is_whitespace()).count() + 1
    });
    json!({ "line": line, "column": column })
}

fn row(uri: &str, lines: &[&str], row: &gherkin::TableRow, secrets: &[String]) -> Value {
    let columns = cell_columns(lines.get(row.line.saturating_sub(1)).copied().unwrap_or(""));
    json!({
        "id": format!("{uri}:{}:row", row.line),
        "location": location(lines, row.line),
        "cells": row.cells.iter().enumerate().map(|(i, value)| json!({
            "location": { "line": row.line, "column": columns.get(i).copied().unwrap_or(1) },
            "value": redact_with(secrets, value),
        })).collect::<Vec<_>>(),
    })
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

fn pickle(feature: &PlannedFeature, scenario: &PlannedScenario, doc: &Document) -> Value {
    let uri = uri(feature);
    let line = scenario.line;
    let outline_row = (scenario.scenario_line != line).then(|| format!("{uri}:{line}:row"));
    let mut ast_ids = vec![format!("{uri}:{}:scenario", scenario.scenario_line)];
    ast_ids.extend(outline_row.clone());
    let steps: Vec<Value> = scenario
        .steps
        .iter()
        .map(|step| {
            let mut ids = vec![format!("{uri}:{}:step", step.line)];
            if !step.background {
                ids.extend(outline_row.clone());
            }
            let (kind, media) = doc
                .steps
                .get(&step.line)
                .cloned()
                .unwrap_or(("Unknown", None));
            let mut json = json!({
                "id": format!("{uri}:{line}:{}:pickle-step", step.line),
                "astNodeIds": ids,
                "type": kind,
                "text": redact_with(doc.secrets, &step.text),
            });
            if let Some(content) = step.docstring.as_deref() {
                let mut doc_json = json!({ "content": redact_with(doc.secrets, content) });
                if let Some(media) = media {
                    set(&mut doc_json, "mediaType", json!(media));
                }
                set(&mut json, "argument", json!({ "docString": doc_json }));
            } else if let Some(table) = step.table.as_deref() {
                set(
                    &mut json,
                    "argument",
                    json!({ "dataTable": { "rows": table.rows.iter().map(|r| json!({
                    "cells": r.cells.iter().map(|c| json!({ "value": redact_with(doc.secrets, c) })).collect::<Vec<_>>(),
                })).collect::<Vec<_>>() } }),
                );
            }
            json
        })
        .collect();
    let tags: Vec<Value> = scenario
        .tags
        .iter()
        .filter_map(|t| {
            let id = doc.tag_node(scenario, t)?;
            Some(json!({ "name": format!("@{t}"), "astNodeId": id }))
        })
        .collect();
    json!({
        "id": format!("{uri}:{line}:pickle"),
        "uri": uri,
        "location": { "line": line },
        "name": test_name(scenario),
        "language": "en",
        "steps": steps,
        "tags": tags,
        "astNodeIds": ast_ids,
    })
}

fn test_case(
    feature: &PlannedFeature,
    scenario: &PlannedScenario,
    run_id: &str,
    secrets: &[String],
) -> Value {
    let uri = uri(feature);
    let line = scenario.line;
    let steps: Vec<Value> = scenario
        .steps
        .iter()
        .map(|step| {
            let (defs, arguments) = match &*step.matched {
                Ok(m) => {
                    let arguments = match_arguments(&step.text, m, secrets);
                    (
                        vec![def_id(m.index)],
                        vec![json!({ "stepMatchArguments": arguments })],
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
            json!({
                "id": format!("{uri}:{line}:{}:step", step.line),
                "pickleStepId": format!("{uri}:{line}:{}:pickle-step", step.line),
                "stepDefinitionIds": defs,
                "stepMatchArgumentsLists": arguments,
            })
        })
        .collect();
    json!({
        "id": format!("{uri}:{line}:case"),
        "pickleId": format!("{uri}:{line}:pickle"),
        "testSteps": steps,
        "testRunStartedId": run_id,
    })
}

/// The step's arguments, where they start in its text (in characters, as the pickle step's
/// text is read). The text and the values are redacted alike, so each start is looked up
/// again in the redacted text when a secret changed it.
fn match_arguments(
    text: &str,
    matched: &crate::runner::plan::Matched,
    secrets: &[String],
) -> Vec<Value> {
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
            json!({ "group": { "children": [], "start": start, "value": value } })
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
