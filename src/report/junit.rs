//! JUnit XML for CI: one `<testsuite>` per feature, one `<testcase>` per scenario
//! (classname = feature, name = scenario), `<failure>` for a wrong answer and `<error>` for a
//! scenario that could not run, both carrying the rendered block with file and line; the
//! Surefire elements (`<flakyFailure>`, `<rerunFailure>`, ...) for the attempts of a scenario
//! that was run again.
//!
//! The XML is written as it is made, one testcase at a time, straight into the report file:
//! a suite of 100,000 scenarios is never held as a tree, nor as a string (see the design
//! notes in the README). The file is written to a temporary name and renamed into place, so
//! a crash or Ctrl-C never leaves a truncated report behind.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use quick_xml::events::{BytesCData, BytesDecl, BytesEnd, BytesStart, Event as Xml};

use crate::report::model::{
    by_position, called_lines, exchange_text, feature_title, not_run_reason, test_name, transcript,
    warning_line,
};
use crate::report::render::{Style, render_failure};
use crate::runner::plan::{Plan, PlannedFeature, PlannedScenario};
use crate::runner::result::{ScenarioResult, Status};
use crate::secret::redact;
use crate::xml::is_xml_char;

type Writer<'w> = quick_xml::Writer<&'w mut dyn Write>;

/// The whole report as XML, in memory: [`write_xml`] into a buffer, for tests.
pub fn to_xml(
    plan: &Plan,
    results: &[ScenarioResult],
    interrupted: bool,
    file_attribute: bool,
) -> std::io::Result<Vec<u8>> {
    let mut xml = Vec::new();
    write_xml(&mut xml, plan, results, interrupted, file_attribute)?;
    Ok(xml)
}

/// Writes the report of `results` (any order) to `out`; scenarios with no result are
/// `skipped`, with the reason (`interrupted`: Ctrl-C or a signal; else `--fail-fast`). A
/// feature none of whose scenarios was selected gets no suite.
///
/// The feature file and line of each scenario open its `<system-out>` (the Jenkins xUnit
/// schema allows no `file` attribute); `file_attribute` adds one too, for GitLab.
pub fn write_xml(
    out: &mut dyn Write,
    plan: &Plan,
    results: &[ScenarioResult],
    interrupted: bool,
    file_attribute: bool,
) -> std::io::Result<()> {
    let not_run = not_run_reason(interrupted);
    let by_position = by_position(plan, results);
    // Step texts of called scenarios are listed whether or not this scenario ran, so they are
    // masked with every secret of the run, as the other reports mask step texts.
    let all_secrets = crate::report::all_secrets(results);
    let mut w = quick_xml::Writer::new(out);
    w.write_event(Xml::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
    let suites: Vec<_> = plan
        .features
        .iter()
        .zip(&by_position)
        .filter(|(feature, _)| !feature.scenarios.is_empty())
        .map(|(feature, slots)| {
            let verdicts: Vec<Verdict> = slots.iter().map(|slot| verdict(*slot)).collect();
            (feature, slots, verdicts)
        })
        .collect();
    if suites.is_empty() {
        w.write_event(Xml::Empty(BytesStart::new("testsuites")))?;
        return Ok(());
    }
    let all = suites
        .iter()
        .flat_map(|(_, slots, verdicts)| slots.iter().zip(verdicts));
    Totals::of(all).start_suites(&mut w)?;
    for (id, (feature, slots, verdicts)) in suites.iter().enumerate() {
        // Names are what the user wrote: never redacted (CI tracks tests by name); only
        // characters XML cannot carry are written as `\u{1B}`.
        let suite_name = xml_text(feature_title(feature));
        let suite = Totals::of(slots.iter().zip(verdicts));
        // When the feature's first scenario started; a suite of which none ran, now.
        let started = slots
            .iter()
            .filter_map(|slot| slot.and_then(|r| r.started))
            .min()
            .unwrap_or_else(SystemTime::now);
        suite.start_suite(&mut w, id, &suite_name, started)?;
        let cases = feature.scenarios.iter().zip(slots.iter().zip(verdicts));
        for (scenario, (slot, verdict)) in cases {
            let case = Case {
                feature,
                scenario,
                slot: *slot,
                verdict: *verdict,
                suite_name: &suite_name,
                not_run,
                file_attribute,
                all_secrets: &all_secrets,
            };
            case.write(&mut w)?;
        }
        w.write_event(Xml::End(BytesEnd::new("testsuite")))?;
    }
    w.write_event(Xml::End(BytesEnd::new("testsuites")))?;
    Ok(())
}

/// What a testcase reports: JUnit tells a wrong answer (`<failure>`) from a scenario that
/// could not run to its checks (`<error>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Passed,
    Failure,
    Error,
    NotRun,
}

fn verdict(slot: Option<&ScenarioResult>) -> Verdict {
    match slot.map(|r| (r.status, r.failure.as_deref())) {
        Some((Status::Passed, _)) => Verdict::Passed,
        Some((_, Some(failure))) if failure.error.is_assertion() => Verdict::Failure,
        Some((_, Some(_))) => Verdict::Error,
        Some((_, None)) | None => Verdict::NotRun,
    }
}

/// How many testcases, of each verdict, and their summed time (that of the ones that ran).
#[derive(Default)]
struct Totals {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
    time: Duration,
}

impl Totals {
    fn of<'r>(
        cases: impl Iterator<Item = (&'r Option<&'r ScenarioResult>, &'r Verdict)>,
    ) -> Totals {
        let mut totals = Totals::default();
        for (slot, verdict) in cases {
            totals.tests += 1;
            match verdict {
                Verdict::Failure => totals.failures += 1,
                Verdict::Error => totals.errors += 1,
                Verdict::NotRun => totals.skipped += 1,
                Verdict::Passed => {}
            }
            totals.time += time(*slot, *verdict);
        }
        totals
    }

    /// `<testsuites>` with the run's totals, which GitLab, Azure DevOps and the Surefire
    /// readers show first.
    fn start_suites(&self, w: &mut Writer<'_>) -> std::io::Result<()> {
        w.write_event(Xml::Start(BytesStart::new("testsuites").with_attributes([
            ("tests", self.tests.to_string().as_str()),
            ("failures", self.failures.to_string().as_str()),
            ("errors", self.errors.to_string().as_str()),
            ("time", seconds(self.time).as_str()),
        ])))
    }

    /// `<testsuite>` number `id`, named `name`, with these totals and the time it started.
    fn start_suite(
        &self,
        w: &mut Writer<'_>,
        id: usize,
        name: &str,
        started: SystemTime,
    ) -> std::io::Result<()> {
        let timestamp = chrono::DateTime::<chrono::Utc>::from(started)
            .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true);
        let package = format!("testsuite/{name}");
        w.write_event(Xml::Start(BytesStart::new("testsuite").with_attributes([
            ("id", id.to_string().as_str()),
            ("name", name),
            ("package", package.as_str()),
            ("tests", self.tests.to_string().as_str()),
            ("errors", self.errors.to_string().as_str()),
            ("failures", self.failures.to_string().as_str()),
            ("skipped", self.skipped.to_string().as_str()),
            ("hostname", "localhost"),
            ("timestamp", timestamp.as_str()),
            ("time", seconds(self.time).as_str()),
        ])))
    }
}

/// The time a testcase reports: that of the scenario when it ran, else none.
fn time(slot: Option<&ScenarioResult>, verdict: Verdict) -> Duration {
    match (verdict, slot) {
        (Verdict::NotRun, _) | (_, None) => Duration::ZERO,
        (_, Some(result)) => result.duration,
    }
}

/// Seconds as JUnit readers take them (`0.001276248`).
fn seconds(duration: Duration) -> String {
    duration.as_secs_f64().to_string()
}

/// One `<testcase>` and what it needs to write itself.
struct Case<'a> {
    feature: &'a PlannedFeature,
    scenario: &'a PlannedScenario,
    slot: Option<&'a ScenarioResult>,
    verdict: Verdict,
    suite_name: &'a str,
    not_run: &'a str,
    file_attribute: bool,
    all_secrets: &'a [String],
}

impl Case<'_> {
    fn write(&self, w: &mut Writer<'_>) -> std::io::Result<()> {
        let (feature, scenario) = (self.feature, self.scenario);
        let name = xml_text(&test_name(scenario));
        let verdict = self.verdict;
        let time = seconds(time(self.slot, verdict));
        // The location is the user's own text: never redacted.
        let location = xml_text(&format!("{}:{}", feature.display, scenario.line));
        let mut start = BytesStart::new("testcase").with_attributes([
            ("name", name.as_str()),
            ("time", time.as_str()),
            ("classname", self.suite_name),
        ]);
        if self.file_attribute {
            start.push_attribute(("file", location.as_str()));
        }
        w.write_event(Xml::Start(start))?;
        match (verdict, self.slot.and_then(|r| r.failure.as_deref())) {
            (Verdict::Passed, _) => {}
            (Verdict::Failure | Verdict::Error, Some(failure)) => {
                let secrets = self.slot.map_or(&[][..], |r| r.secrets.as_slice());
                let (element, kind) = match verdict {
                    Verdict::Failure => ("failure", "assertion"),
                    _ => ("error", "error"),
                };
                let message = xml_text(&redact(&failure.error.to_string(), secrets));
                let block = render_failure(feature, scenario, failure, secrets, Style::PLAIN);
                w.write_event(Xml::Start(
                    BytesStart::new(element)
                        .with_attributes([("type", kind), ("message", message.as_str())]),
                ))?;
                w.write_event(Xml::CData(BytesCData::new(cdata(&block))))?;
                w.write_event(Xml::End(BytesEnd::new(element)))?;
            }
            _ => w.write_event(Xml::Empty(
                BytesStart::new("skipped")
                    .with_attributes([("type", "not run"), ("message", self.not_run)]),
            ))?,
        }
        let system_out = match self.system_out() {
            out if out.is_empty() => location,
            out => format!("{location}\n\n{}", out.join("\n\n")),
        };
        write_cdata_element(w, "system-out", &system_out)?;
        self.write_attempts(w)?;
        w.write_event(Xml::End(BytesEnd::new("testcase")))
    }

    /// The steps of the scenarios it called, each with its status and place; the exchange,
    /// the warnings and the transcript of the scenario.
    fn system_out(&self) -> Vec<String> {
        let (feature, scenario, slot) = (self.feature, self.scenario, self.slot);
        let mut out: Vec<String> = scenario
            .steps
            .iter()
            .enumerate()
            .filter(|(_, step)| step.call.is_some())
            .map(|(i, step)| {
                let lines = called_lines(slot, i, step, self.all_secrets);
                format!(
                    "{} {} ({}:{}) ran:\n{}",
                    step.keyword,
                    redact(&step.text, self.all_secrets),
                    feature.display,
                    step.line,
                    lines.join("\n")
                )
            })
            .collect();
        if let Some(result) = slot {
            out.extend(exchange_text(result));
            out.extend(
                result
                    .warnings
                    .iter()
                    .map(|w| warning_line(feature, scenario, result, w)),
            );
            out.extend(transcript(result));
        }
        out
    }

    /// One Surefire element per failed attempt of a scenario that was run again:
    /// `<flakyFailure>` (or `<flakyError>`) when it passed in the end, `<rerunFailure>` (or
    /// `<rerunError>`) when it failed anyway — what Jenkins, GitLab and the Maven tools read
    /// as flaky.
    fn write_attempts(&self, w: &mut Writer<'_>) -> std::io::Result<()> {
        let Some(result) = self.slot else {
            return Ok(());
        };
        let flaky = result.is_flaky();
        for attempt in &result.retries {
            let assertion = attempt.failure.error.is_assertion();
            let name = match (flaky, assertion) {
                (true, true) => "flakyFailure",
                (true, false) => "flakyError",
                (false, true) => "rerunFailure",
                (false, false) => "rerunError",
            };
            let kind = if assertion { "assertion" } else { "error" };
            let message = xml_text(&redact(
                &attempt.failure.error.to_string(),
                &attempt.secrets,
            ));
            let trace = render_failure(
                self.feature,
                self.scenario,
                &attempt.failure,
                &attempt.secrets,
                Style::PLAIN,
            );
            w.write_event(Xml::Start(
                BytesStart::new(name)
                    .with_attributes([("message", message.as_str()), ("type", kind)]),
            ))?;
            write_cdata_element(w, "stackTrace", &trace)?;
            w.write_event(Xml::End(BytesEnd::new(name)))?;
        }
        Ok(())
    }
}

/// `<name><![CDATA[text]]></name>`, with `text` made safe for CDATA.
fn write_cdata_element(w: &mut Writer<'_>, name: &str, text: &str) -> std::io::Result<()> {
    w.write_event(Xml::Start(BytesStart::new(name)))?;
    w.write_event(Xml::CData(BytesCData::new(cdata(text))))?;
    w.write_event(Xml::End(BytesEnd::new(name)))
}

/// The report of a run that did not start: one suite, one `<error>` per reason (a file that
/// does not parse, a bad option), so CI shows the run as broken rather than reading an old
/// report as this one's.
pub fn write_not_started(path: &Path, reasons: &[String]) -> std::io::Result<()> {
    super::write_atomic(path, |out| {
        let mut w = quick_xml::Writer::new(out);
        w.write_event(Xml::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
        let totals = Totals {
            tests: reasons.len(),
            errors: reasons.len(),
            ..Totals::default()
        };
        totals.start_suites(&mut w)?;
        totals.start_suite(&mut w, 0, "apitest", SystemTime::now())?;
        for reason in reasons {
            w.write_event(Xml::Start(BytesStart::new("testcase").with_attributes([
                ("name", "the run did not start"),
                ("time", "0"),
                ("classname", "apitest"),
            ])))?;
            w.write_event(Xml::Empty(BytesStart::new("error").with_attributes([
                ("type", "not started"),
                ("message", xml_text(reason).as_str()),
            ])))?;
            w.write_event(Xml::End(BytesEnd::new("testcase")))?;
        }
        w.write_event(Xml::End(BytesEnd::new("testsuite")))?;
        w.write_event(Xml::End(BytesEnd::new("testsuites")))?;
        Ok(())
    })
}

/// The JUnit report as a reporter: written when the run ends.
pub struct JUnitReporter {
    pub path: PathBuf,
    /// `[reports] junit_file_attribute`: see [`write_xml`].
    pub file_attribute: bool,
}

impl super::Reporter for JUnitReporter {
    fn event(&mut self, _: &Plan, _: &super::Event<'_>) {}

    fn finish(&mut self, end: &super::RunEnd<'_>) -> Result<Option<String>, super::ReportError> {
        let written = if end.not_started.is_empty() {
            super::write_atomic(&self.path, |out| {
                write_xml(
                    out,
                    end.plan,
                    end.results,
                    end.summary.interrupted,
                    self.file_attribute,
                )
            })
        } else {
            write_not_started(&self.path, end.not_started)
        };
        written.map_err(|error| super::ReportError {
            what: "JUnit report",
            path: self.path.clone(),
            error,
        })?;
        Ok(Some(format!("JUnit report: {}", self.path.display())))
    }
}

/// `text` with every character XML 1.0 cannot carry (control characters but tab and line
/// ends, lone surrogates' replacement, U+FFFE/U+FFFF) written as `\u{..}`, so that any name,
/// message or body keeps the file well-formed and still shows what was there.
fn xml_text(text: &str) -> String {
    if text.chars().all(is_xml_char) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_xml_char(c) {
            out.push(c);
        } else {
            out.push_str(&format!("\\u{{{:X}}}", u32::from(c)));
        }
    }
    out
}

/// Text for a CDATA section (the library writes it as it is): XML-safe as [`xml_text`], and
/// every `]]>` split across two sections, which readers join back into the same text.
fn cdata(text: &str) -> String {
    xml_text(text).replace("]]>", "]]]]><![CDATA[>")
}
