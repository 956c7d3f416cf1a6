//! JUnit XML for CI: one `<testsuite>` per feature, one `<testcase>` per scenario
//! (classname = feature, name = scenario), `<failure>` for a wrong answer and `<error>` for a
//! scenario that could not run, both carrying the rendered block with file and line.
//!
//! The file is written to a temporary name and renamed into place, so a crash or Ctrl-C never
//! leaves a truncated report behind.

use std::path::{Path, PathBuf};

use junit_report::{Report, TestCase, TestCaseBuilder, TestSuite};

use crate::report::model::{
    by_position, called_lines, exchange_text, feature_title, not_run_reason, test_name, transcript,
    warning_line,
};
use crate::report::render::{Style, render_failure};
use crate::runner::plan::Plan;
use crate::runner::result::{ScenarioResult, Status};
use crate::secret::redact;
use crate::xml::is_xml_char;

/// Builds the report from `results` (any order); scenarios with no result are `skipped`,
/// with the reason (`interrupted`: Ctrl-C or a signal; else `--fail-fast`). A feature none of
/// whose scenarios was selected gets no suite.
///
/// The feature file and line of each scenario open its `<system-out>` (the Jenkins xUnit
/// schema allows no `file` attribute); `file_attribute` adds one too, for GitLab.
pub fn build(
    plan: &Plan,
    results: &[ScenarioResult],
    interrupted: bool,
    file_attribute: bool,
) -> Report {
    let not_run = not_run_reason(interrupted);
    let by_position = by_position(plan, results);
    // Step texts of called scenarios are listed whether or not this scenario ran, so they are
    // masked with every secret of the run, as the other reports mask step texts.
    let all_secrets = crate::report::all_secrets(results);
    let mut report = Report::new();
    for (feature, slots) in plan.features.iter().zip(&by_position) {
        if feature.scenarios.is_empty() {
            continue;
        }
        let suite_name = feature_title(feature).to_string();
        // The plain types rather than the builders: a builder's `build` copies what it holds,
        // which for a suite of 10,000 cases is the whole suite twice.
        let suite_name = xml_text(&suite_name);
        let mut suite = TestSuite::new(&suite_name);
        for (scenario, slot) in feature.scenarios.iter().zip(slots) {
            let secrets: &[String] = slot.map_or(&[], |r| r.secrets.as_slice());
            // Names are what the user wrote: never redacted (CI tracks tests by name); only
            // characters XML cannot carry are written as `\u{1B}`.
            let name = xml_text(&test_name(scenario));
            let mut case = match slot {
                None => TestCase::skipped_with_cause(&name, "not run", not_run),
                Some(result) => {
                    let time = junit_report::Duration::try_from(result.duration)
                        .unwrap_or(junit_report::Duration::ZERO);
                    match (&result.status, &result.failure) {
                        (Status::Passed, _) => TestCase::success(&name, time),
                        (_, Some(failure)) => {
                            let message = xml_text(&redact(&failure.error.to_string(), secrets));
                            let block = cdata(&render_failure(
                                feature,
                                scenario,
                                failure,
                                secrets,
                                Style::PLAIN,
                            ));
                            let mut case = if failure.error.is_assertion() {
                                TestCaseBuilder::failure(&name, time, "assertion", &message)
                            } else {
                                TestCaseBuilder::error(&name, time, "error", &message)
                            };
                            case.set_trace(&block);
                            case.build()
                        }
                        (_, None) => TestCase::skipped_with_cause(&name, "not run", not_run),
                    }
                }
            };
            case.set_classname(&suite_name);
            let location = xml_text(&format!("{}:{}", feature.display, scenario.line));
            if file_attribute {
                case.set_filepath(&location);
            }
            let mut out: Vec<String> = Vec::new();
            // The steps of the scenarios it called, each with its status and place.
            let called: Vec<String> = scenario
                .steps
                .iter()
                .enumerate()
                .filter(|(_, step)| step.call.is_some())
                .map(|(i, step)| {
                    let lines = called_lines(*slot, i, step, &all_secrets);
                    format!(
                        "{} {} ({}:{}) ran:\n{}",
                        step.keyword,
                        redact(&step.text, &all_secrets),
                        feature.display,
                        step.line,
                        lines.join("\n")
                    )
                })
                .collect();
            out.extend(called);
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
            // The location is the user's own text: never redacted.
            let system_out = match out.is_empty() {
                true => location,
                false => format!("{location}\n\n{}", out.join("\n\n")),
            };
            case.set_system_out(&cdata(&system_out));
            suite.add_testcase(case);
        }
        report.add_testsuite(suite);
    }
    report
}

/// The report of a run that did not start: one suite, one `<error>` per reason (a file that
/// does not parse, a bad option), so CI shows the run as broken rather than reading an old
/// report as this one's.
pub fn write_not_started(path: &Path, reasons: &[String]) -> std::io::Result<()> {
    let mut suite = TestSuite::new("apitest");
    for reason in reasons {
        let mut case = TestCaseBuilder::error(
            "the run did not start",
            junit_report::Duration::ZERO,
            "not started",
            &xml_text(reason),
        );
        case.set_classname("apitest");
        suite.add_testcase(case.build());
    }
    let mut report = Report::new();
    report.add_testsuite(suite);
    write(path, &report)
}

/// The JUnit report as a reporter: built and written when the run ends.
pub struct JUnitReporter {
    pub path: PathBuf,
    /// `[reports] junit_file_attribute`: see [`build`].
    pub file_attribute: bool,
}

impl super::Reporter for JUnitReporter {
    fn event(&mut self, _: &Plan, _: &super::Event<'_>) {}

    fn finish(&mut self, end: &super::RunEnd<'_>) -> Result<Option<String>, super::ReportError> {
        if !end.not_started.is_empty() {
            write_not_started(&self.path, end.not_started).map_err(|error| super::ReportError {
                what: "JUnit report",
                path: self.path.clone(),
                error,
            })?;
            return Ok(Some(format!("JUnit report: {}", self.path.display())));
        }
        let xml = to_xml(
            end.plan,
            end.results,
            end.summary.interrupted,
            self.file_attribute,
        );
        super::write_atomic(&self.path, |out| out.write_all(&xml?)).map_err(|error| {
            super::ReportError {
                what: "JUnit report",
                path: self.path.clone(),
                error,
            }
        })?;
        Ok(Some(format!("JUnit report: {}", self.path.display())))
    }
}

/// The whole report as XML: [`build`], then, in each testcase of a scenario that was run
/// again, one Surefire element per failed attempt: `<flakyFailure>` (or `<flakyError>`) when
/// it passed in the end, `<rerunFailure>` (or `<rerunError>`) when it failed anyway — what
/// Jenkins, GitLab and the Maven tools read as flaky. `junit_report` has no such elements,
/// so they are added to its output by a streaming pass that copies every other event as is.
pub fn to_xml(
    plan: &Plan,
    results: &[ScenarioResult],
    interrupted: bool,
    file_attribute: bool,
) -> std::io::Result<Vec<u8>> {
    let report = build(plan, results, interrupted, file_attribute);
    let mut xml = Vec::new();
    report
        .write_xml(&mut xml)
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    // The attempts of each testcase, in the order `build` wrote them.
    let by_position = by_position(plan, results);
    let mut reruns: Vec<Vec<Element>> = Vec::new();
    for (feature, slots) in plan.features.iter().zip(&by_position) {
        for (scenario, slot) in feature.scenarios.iter().zip(slots) {
            let Some(result) = slot.filter(|r| !r.retries.is_empty()) else {
                reruns.push(Vec::new());
                continue;
            };
            let flaky = result.is_flaky();
            reruns.push(
                result
                    .retries
                    .iter()
                    .map(|attempt| {
                        let assertion = attempt.failure.error.is_assertion();
                        Element {
                            name: match (flaky, assertion) {
                                (true, true) => "flakyFailure",
                                (true, false) => "flakyError",
                                (false, true) => "rerunFailure",
                                (false, false) => "rerunError",
                            },
                            kind: if assertion { "assertion" } else { "error" },
                            message: xml_text(&redact(
                                &attempt.failure.error.to_string(),
                                &attempt.secrets,
                            )),
                            trace: cdata(&render_failure(
                                feature,
                                scenario,
                                &attempt.failure,
                                &attempt.secrets,
                                Style::PLAIN,
                            )),
                        }
                    })
                    .collect(),
            );
        }
    }
    if reruns.iter().all(Vec::is_empty) {
        return Ok(xml);
    }
    add_reruns(&xml, &reruns).map_err(|e| std::io::Error::other(e.to_string()))
}

/// One `<flakyFailure>`-like element.
struct Element {
    name: &'static str,
    kind: &'static str,
    message: String,
    trace: String,
}

/// Copies `xml`, adding `reruns[i]` at the end of the i-th `<testcase>`.
fn add_reruns(xml: &[u8], reruns: &[Vec<Element>]) -> Result<Vec<u8>, quick_xml::Error> {
    use quick_xml::events::{BytesCData, BytesEnd, BytesStart, Event as Xml};
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut writer = quick_xml::Writer::new(Vec::with_capacity(xml.len() + 1024));
    let mut case = 0usize;
    loop {
        let event = reader.read_event()?;
        match &event {
            Xml::Eof => break,
            Xml::End(end) if end.name().as_ref() == b"testcase" => {
                for element in reruns.get(case).into_iter().flatten() {
                    let start = BytesStart::new(element.name).with_attributes([
                        ("message", element.message.as_str()),
                        ("type", element.kind),
                    ]);
                    writer.write_event(Xml::Start(start))?;
                    writer.write_event(Xml::Start(BytesStart::new("stackTrace")))?;
                    writer.write_event(Xml::CData(BytesCData::new(element.trace.as_str())))?;
                    writer.write_event(Xml::End(BytesEnd::new("stackTrace")))?;
                    writer.write_event(Xml::End(BytesEnd::new(element.name)))?;
                }
                case += 1;
            }
            Xml::Empty(start) if start.name().as_ref() == b"testcase" => case += 1,
            _ => {}
        }
        writer.write_event(event)?;
    }
    Ok(writer.into_inner())
}

/// Writes the report atomically, so CI never reads half a file.
pub fn write(path: &Path, report: &Report) -> std::io::Result<()> {
    super::write_atomic(path, |out| {
        report
            .write_xml(out)
            .map_err(|e| std::io::Error::other(e.to_string()))
    })
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
