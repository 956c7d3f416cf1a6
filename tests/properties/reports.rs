//! Every report stays readable whatever text goes into it: hostile text (`]]>`, control
//! characters, `</script>`, invalid UTF-8 turned into text, very long lines) in scenario
//! names, doc strings, failure messages, exchanges, transcripts and warnings, through JUnit,
//! Cucumber Messages, Cucumber JSON and the HTML report. Each is parsed back by a parser of
//! its format, and the names come back as they were written.

use std::time::{Duration, SystemTime};

use apitest::error::Error;
use apitest::http::Exchange;
use apitest::report::messages::MessagesReporter;
use apitest::report::{Event, Reporter, RunEnd};
use apitest::runner::{
    Attempt, Failure, RunSummary, ScenarioResult, Status, StepCounts, build_plan,
};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

/// Text a hostile server or an unlucky feature file can produce.
fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        vec(any::<u8>(), 0..300).prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
        vec(
            select(&[
                "]]>",
                "<![CDATA[",
                "\u{1b}[31m",
                "\u{0}",
                "\u{1}",
                "\u{7f}",
                "\u{fffe}",
                "\u{ffff}",
                "</script>",
                "<!--",
                "-->",
                "&amp;",
                "\"",
                "'",
                "\r\n",
                "\t",
                "é",
                "\u{10ffff}",
                "\\u{1B}",
                "<b>",
                "${x}",
            ]),
            0..12,
        )
        .prop_map(|parts| parts.concat()),
        (1usize..40_000).prop_map(|n| "long ".repeat(n / 5 + 1)),
    ]
}

/// A name a Gherkin line can hold: no line end, not blank.
fn name_of(text: &str) -> String {
    let one_line: String = text
        .chars()
        .map(|c| {
            if matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}') {
                ' '
            } else {
                c
            }
        })
        .collect();
    format!("n {} n", one_line.trim())
}

/// A name as a JUnit reader gets it from an attribute: `\u{..}` for each character XML cannot
/// carry, and a tab read as a space (XML normalises white space in attribute values).
fn xml_safe(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => " ".to_string(),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {
                format!("\\u{{{:X}}}", c as u32)
            }
            c => c.to_string(),
        })
        .collect()
}

proptest! {
    #![proptest_config(crate::slow_config(24))]

    #[test]
    fn every_report_parses_whatever_text_goes_in(
        name in hostile(),
        doc in hostile(),
        message in hostile(),
        body in hostile(),
        transcript in hostile(),
        warning in hostile(),
    ) {
        let name = name_of(&name);
        let dir = std::env::temp_dir().join(format!("apitest-prop-reports-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let feature = dir.join("hostile.feature");
        let doc_lines: String = doc.lines().map(|l| format!("      {}\n", l.replace("\"\"\"", "'''"))).collect();
        let source = format!(
            "Feature: {name}\n  Scenario: {name}\n    Given address \"http://127.0.0.1:9\"\n    Given request is\n      \"\"\"\n{doc_lines}      \"\"\"\n    When the URL is invoked\n\n  Scenario: passes\n    Given address \"http://127.0.0.1:9\"\n"
        );
        std::fs::write(&feature, &source).unwrap();
        let plan = build_plan(&[feature], None);
        prop_assume!(plan.problems.is_empty() && plan.scenario_count() == 2);
        let scenario_name = plan.features[0].scenarios[0].name.clone();

        let started = Some(SystemTime::now());
        let mut failed = ScenarioResult {
            feature: 0,
            scenario: 0,
            status: Status::Failed,
            steps: StepCounts::of(3, Some(2)),
            failure: Some(Box::new(Failure {
                step: 2,
                nested: Vec::new(),
                error: Error::invalid(message.clone()),
                request: None,
                exchange: Some(Exchange {
                    request: format!("> POST http://127.0.0.1:9/\n>\n{body}"),
                    response: Some(format!("< 500\n<\n{body}")),
                    curl: format!("curl --data-binary '{body}'"),
                }),
            })),
            duration: Duration::from_millis(3),
            started,
            step_micros: vec![1, 2, 3].into_boxed_slice(),
            secrets: vec!["s3cr3t-value".into()].into(),
            transcript: vec![transcript.clone()].into(),
            warnings: vec![(0, warning.clone())].into(),
            retries: Default::default(),
        };
        // A failed attempt before the last, with the same hostile text: `<rerunError>`.
        failed.retries = thin_vec::thin_vec![Attempt {
            failure: failed.failure.clone().unwrap(),
            started,
            duration: Duration::from_millis(1),
            secrets: failed.secrets.clone(),
        }];
        let passed = ScenarioResult {
            scenario: 1,
            status: Status::Passed,
            steps: StepCounts::of(1, None),
            failure: None,
            step_micros: vec![1].into_boxed_slice(),
            transcript: Default::default(),
            warnings: Default::default(),
            retries: Default::default(),
            ..failed.clone()
        };
        let results = vec![failed, passed];
        let summary = RunSummary { scenarios_passed: 1, scenarios_failed: 1, ..RunSummary::default() };
        let end = RunEnd { plan: &plan, results: &results, summary: &summary, coverage: None, not_started: &[], written: &[], extra_secrets: &[] };

        // JUnit: well-formed, the name back as written (with `\u{..}` for what XML forbids).
        let xml = apitest::report::junit::to_xml(&plan, &results, false, false).unwrap();
        let xml = String::from_utf8(xml).unwrap();
        let parsed = roxmltree::Document::parse(&xml);
        prop_assert!(parsed.is_ok(), "JUnit does not parse: {:?}", parsed.err());
        let parsed = parsed.unwrap();
        let names: Vec<&str> = parsed.descendants().filter(|n| n.has_tag_name("testcase")).filter_map(|n| n.attribute("name")).collect();
        let expected = xml_safe(&scenario_name);
        prop_assert_eq!(names, vec![expected.as_str(), "passes"]);
        let reruns = parsed.descendants().filter(|n| n.has_tag_name("rerunError")).count();
        prop_assert_eq!(reruns, 1, "the earlier attempt is in the report");
        prop_assert!(!xml.contains("s3cr3t-value"), "a secret leaked into JUnit");

        // Cucumber JSON: parses, names as written.
        let mut json = Vec::new();
        (apitest::report::cucumber_json::reporter(dir.join("c.json")).write)(&end, &mut json).unwrap();
        let json: serde_json::Value = serde_json::from_slice(&json).unwrap();
        prop_assert_eq!(json[0]["elements"][0]["name"].as_str(), Some(scenario_name.as_str()));
        prop_assert_eq!(json[0]["elements"][0]["steps"][2]["result"]["status"].as_str(), Some("failed"));

        // HTML: one script (ours), a scenario element each, the name as the page's text.
        let page = apitest::report::html::page(&end);
        let html = scraper::Html::parse_document(&page);
        let scripts = scraper::Selector::parse("script").unwrap();
        prop_assert_eq!(html.select(&scripts).count(), 1, "a text escaped the page");
        let scenarios = scraper::Selector::parse("details.scenario").unwrap();
        prop_assert_eq!(html.select(&scenarios).count(), 2);
        let pre = scraper::Selector::parse("pre.exchange").unwrap();
        prop_assert_eq!(html.select(&pre).count(), 1);

        // Cucumber Messages: every line JSON, one message each, the pickle named as written.
        let path = dir.join("m.ndjson");
        let mut writer = MessagesReporter::new(path.clone());
        writer.event(&plan, &Event::RunStarted { jobs: 1, scope: apitest::value::Scope::Scenario });
        for result in &results {
            writer.event(&plan, &Event::ScenarioStarted { feature: result.feature, scenario: result.scenario, at: SystemTime::now() });
            writer.event(&plan, &Event::ScenarioFinished(result));
        }
        writer.finish(&end).unwrap();
        let stream = std::fs::read_to_string(&path).unwrap();
        let mut pickles = Vec::new();
        for line in stream.lines() {
            let message: serde_json::Value = serde_json::from_str(line).unwrap();
            let object = message.as_object().unwrap();
            prop_assert_eq!(object.len(), 1);
            if let Some(pickle) = object.get("pickle") {
                pickles.push(pickle["name"].as_str().unwrap().to_string());
            }
        }
        prop_assert_eq!(pickles, vec![scenario_name.clone(), "passes".to_string()]);
    }
}
