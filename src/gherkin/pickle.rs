//! Expands a parsed feature into pickles: flat, self-contained scenarios
//! ready to run. Backgrounds are copied in front of each scenario, tags are
//! inherited from the feature, rule and examples, and every data row of a
//! scenario outline becomes its own pickle with the `<placeholders>` filled
//! in, so that the runner never has to look back at the syntax tree.

use super::ast::{DocString, Feature, Rule, Scenario, Step, StepKind, Table, TableRow, Tag};

/// One runnable scenario, as Gherkin's pickles define it.
#[derive(Debug, Clone, PartialEq)]
pub struct Pickle {
    /// The scenario name with the placeholders of its examples row filled in.
    /// [`Pickle::report_name`] tells the rows of an outline apart.
    pub name: String,
    pub keyword: String,
    /// The scenario line, or for an outline row the line of the data row.
    pub line: usize,
    /// The column of the scenario keyword, or for an outline row of the row's first `|`.
    pub column: usize,
    pub scenario_line: usize,
    /// The name of the enclosing `Rule:`, if any.
    pub rule: Option<String>,
    /// Feature, rule, scenario and examples tags, in that order, as written (a tag written
    /// twice is there twice, as in Gherkin's pickles).
    pub tags: Vec<Tag>,
    pub steps: Vec<PickleStep>,
    /// Which examples row produced this pickle, for outline rows.
    pub example: Option<ExampleRef>,
    /// Written with an outline keyword.
    pub outline: bool,
}

impl Pickle {
    /// The name reports show: for an outline row the name followed by
    /// ` -- @<examples index>.<row> <examples name>`, as behave writes it, so that every row
    /// has a distinct name; otherwise the name.
    pub fn report_name(&self) -> String {
        match &self.example {
            Some(example) => format!(
                "{} -- @{}.{} {}",
                self.name, example.examples_index, example.row, example.examples_name
            )
            .trim_end()
            .to_string(),
            None => self.name.clone(),
        }
    }

    /// The tag names without `@`, each once, in order.
    pub fn tag_names(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::with_capacity(self.tags.len());
        for tag in &self.tags {
            if !names.contains(&tag.name) {
                names.push(tag.name.clone());
            }
        }
        names
    }
}

/// The examples row a pickle was made from.
#[derive(Debug, Clone, PartialEq)]
pub struct ExampleRef {
    pub examples_name: String,
    /// 1-based position among the scenario's `Examples:` sections.
    pub examples_index: usize,
    /// 1-based data row; the header row is not counted.
    pub row: usize,
    /// Each header cell with the value of this row.
    pub values: Vec<(String, String)>,
}

/// One step of a pickle, with placeholders already filled.
#[derive(Debug, Clone, PartialEq)]
pub struct PickleStep {
    pub keyword: &'static str,
    pub kind: StepKind,
    pub text: String,
    pub line: usize,
    pub column: usize,
    pub text_column: usize,
    pub docstring: Option<DocString>,
    pub table: Option<Table>,
    /// `true` for steps copied from a `Background:`.
    pub background: bool,
}

/// Expands every scenario of the feature, in file order.
pub fn pickles(feature: &Feature) -> Vec<Pickle> {
    let mut out = Vec::new();
    let scenarios = feature.scenarios.iter().map(|s| (None, s)).chain(
        feature
            .rules
            .iter()
            .flat_map(|r| r.scenarios.iter().map(move |s| (Some(r), s))),
    );
    for (rule, scenario) in scenarios {
        scenario_pickles(feature, rule, scenario, |pickle| out.push(pickle));
    }
    out
}

/// The pickles of one scenario of `feature` (inside `rule`, if any), for callers that get
/// scenarios one at a time from `parse_bytes_each`.
pub fn scenario_pickles(
    feature: &Feature,
    rule: Option<&Rule>,
    scenario: &Scenario,
    visit: impl FnMut(Pickle),
) {
    let mut batch = Vec::new();
    compile(&mut batch, feature, rule, scenario);
    batch.into_iter().for_each(visit);
}

/// Adds the pickles of one scenario to `out`.
fn compile(out: &mut Vec<Pickle>, feature: &Feature, rule: Option<&Rule>, scenario: &Scenario) {
    // Background steps are shared by all scenarios and are not part of the
    // outline, so their placeholders are never filled, as in Cucumber. A scenario without
    // steps gets none of them either, as in Gherkin's pickles.
    let background_steps: Vec<&Step> = if scenario.steps.is_empty() {
        Vec::new()
    } else {
        feature
            .background
            .iter()
            .chain(rule.and_then(|r| r.background.as_ref()))
            .flat_map(|background| &background.steps)
            .collect()
    };
    let mut tags = Vec::new();
    tags.extend_from_slice(&feature.tags);
    if let Some(rule) = rule {
        tags.extend_from_slice(&rule.tags);
    }
    tags.extend_from_slice(&scenario.tags);
    let rule_name = rule.map(|r| r.name.clone());
    let steps_for = |values: &[(String, String)]| -> Vec<PickleStep> {
        // `And` and `But` take the kind of the step before them, even when that one is in
        // the background.
        let mut previous = StepKind::Unknown;
        let mut steps = Vec::with_capacity(background_steps.len() + scenario.steps.len());
        let all = background_steps
            .iter()
            .map(|step| (*step, true))
            .chain(scenario.steps.iter().map(|step| (step, false)));
        for (step, background) in all {
            let fill_with: &[(String, String)] = if background { &[] } else { values };
            let mut pickled = pickle_step(step, fill_with, background);
            if step.conjunction {
                pickled.kind = previous;
            }
            previous = pickled.kind;
            steps.push(pickled);
        }
        steps
    };

    // Gherkin compiles a scenario without examples as a single pickle, even
    // when it is written as an outline.
    if scenario.examples.is_empty() {
        out.push(Pickle {
            name: scenario.name.clone(),
            keyword: scenario.keyword.clone(),
            line: scenario.line,
            column: scenario.column,
            scenario_line: scenario.line,
            rule: rule_name,
            tags,
            steps: steps_for(&[]),
            example: None,
            outline: scenario.outline,
        });
        return;
    }

    for (index, examples) in scenario.examples.iter().enumerate() {
        let Some(table) = &examples.table else {
            continue;
        };
        let mut rows = table.rows.iter();
        let Some(header) = rows.next() else {
            continue;
        };
        let mut example_tags = tags.clone();
        example_tags.extend_from_slice(&examples.tags);
        for (row_index, row) in rows.enumerate() {
            let values: Vec<(String, String)> = header
                .cells
                .iter()
                .cloned()
                .zip(row.cells.iter().cloned())
                .collect();
            out.push(Pickle {
                name: fill(&scenario.name, &values),
                keyword: scenario.keyword.clone(),
                line: row.line,
                column: row.column,
                scenario_line: scenario.line,
                rule: rule_name.clone(),
                tags: example_tags.clone(),
                steps: steps_for(&values),
                example: Some(ExampleRef {
                    examples_name: examples.name.clone(),
                    examples_index: index + 1,
                    row: row_index + 1,
                    values,
                }),
                outline: scenario.outline,
            });
        }
    }
}

fn pickle_step(step: &Step, values: &[(String, String)], background: bool) -> PickleStep {
    PickleStep {
        keyword: step.keyword,
        kind: step.kind,
        text: fill(&step.text, values),
        line: step.line,
        column: step.column,
        text_column: step.text_column,
        docstring: step.docstring.as_ref().map(|doc| DocString {
            content: fill(&doc.content, values),
            media_type: doc.media_type.as_ref().map(|m| fill(m, values)),
            line: doc.line,
            column: doc.column,
        }),
        table: step.table.as_ref().map(|table| Table {
            rows: table
                .rows
                .iter()
                .map(|row| TableRow {
                    cells: row.cells.iter().map(|c| fill(c, values)).collect(),
                    line: row.line,
                    column: row.column,
                })
                .collect(),
        }),
        background,
    }
}

/// Replaces each `<header>` in `text` with the row's value. The text is
/// scanned once, so a value that itself contains `<other>` is not expanded
/// again, and a placeholder without a matching column is left as written.
fn fill(text: &str, values: &[(String, String)]) -> String {
    if values.is_empty() || !text.contains('<') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some((before, after)) = rest.split_once('<') {
        out.push_str(before);
        let Some((name, tail)) = after.split_once('>') else {
            // Without a closing `>` there is no placeholder left to fill.
            out.push('<');
            rest = after;
            break;
        };
        match values.iter().find(|(header, _)| header == name) {
            Some((_, value)) => {
                out.push_str(value);
                rest = tail;
            }
            None => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::super::parse::parse;
    use super::*;

    fn compile_source(source: &str) -> Vec<Pickle> {
        pickles(&parse(source).unwrap())
    }

    fn texts(pickle: &Pickle) -> Vec<&str> {
        pickle.steps.iter().map(|s| s.text.as_str()).collect()
    }

    #[test]
    fn compiles_the_zato_example() {
        let source = r#"Feature: Employee API
  Scenario: *** Get Employee API ***
    Given address "http://localhost:17010"
    Given URL path "/api/employee/get/123"
    Given REST method "GET"
    When the URL is invoked
    Then status is "200"
    And path "/meta/is_ok" is True
    And path "/meta/cid" is not empty
    And path "/meta/timestamp" is not empty
    And path "/data/name" is "John Doe"
    And path "/data/department" is "HR"
"#;
        let pickles = compile_source(source);
        assert_eq!(pickles.len(), 1);
        let pickle = &pickles[0];
        assert_eq!(pickle.name, "*** Get Employee API ***");
        assert_eq!(pickle.keyword, "Scenario");
        assert_eq!((pickle.line, pickle.scenario_line), (2, 2));
        assert_eq!(pickle.rule, None);
        assert!(pickle.tags.is_empty());
        assert_eq!(pickle.example, None);
        assert_eq!(
            texts(pickle),
            [
                r#"address "http://localhost:17010""#,
                r#"URL path "/api/employee/get/123""#,
                r#"REST method "GET""#,
                "the URL is invoked",
                r#"status is "200""#,
                r#"path "/meta/is_ok" is True"#,
                r#"path "/meta/cid" is not empty"#,
                r#"path "/meta/timestamp" is not empty"#,
                r#"path "/data/name" is "John Doe""#,
                r#"path "/data/department" is "HR""#,
            ]
        );
        let kinds: Vec<_> = pickle.steps.iter().map(|s| s.kind).collect();
        let mut expected = vec![StepKind::Given; 3];
        expected.push(StepKind::When);
        expected.extend([StepKind::Then; 6]);
        assert_eq!(kinds, expected);
        let last = &pickle.steps[9];
        assert_eq!(last.keyword, "And");
        assert_eq!((last.line, last.column, last.text_column), (12, 5, 9));
        assert!(pickle.steps.iter().all(|s| !s.background));
        assert!(
            pickle
                .steps
                .iter()
                .all(|s| s.docstring.is_none() && s.table.is_none())
        );
    }

    #[test]
    fn prepends_feature_and_rule_backgrounds() {
        let source = "\
Feature: f
  Background:
    Given feature setup
  Scenario: outside
    When a
  Rule: r
    Background:
      Given rule setup
    Scenario: inside
      When b
  Rule: without background
    Scenario: bare
      When c
";
        let pickles = compile_source(source);
        assert_eq!(pickles.len(), 3);
        assert_eq!(texts(&pickles[0]), ["feature setup", "a"]);
        assert_eq!(pickles[0].rule, None);
        assert_eq!(texts(&pickles[1]), ["feature setup", "rule setup", "b"]);
        assert_eq!(pickles[1].rule.as_deref(), Some("r"));
        let flags: Vec<_> = pickles[1].steps.iter().map(|s| s.background).collect();
        assert_eq!(flags, [true, true, false]);
        assert_eq!(texts(&pickles[2]), ["feature setup", "c"]);
        assert_eq!(pickles[2].rule.as_deref(), Some("without background"));
    }

    #[test]
    fn inherits_tags_and_names_each_once() {
        let source = "\
@feature @shared
Feature: f
  @rule @shared
  Rule: r
    @scenario @rule
    Scenario Outline: o
      Given <x>
      @examples @scenario
      Examples:
        | x |
        | 1 |
      Examples:
        | x |
        | 2 |
";
        let pickles = compile_source(source);
        let written: Vec<&str> = pickles[0].tags.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            written,
            [
                "feature", "shared", "rule", "shared", "scenario", "rule", "examples", "scenario"
            ]
        );
        assert_eq!((pickles[0].tags[3].line, pickles[0].tags[3].column), (3, 9));
        assert_eq!(
            pickles[0].tag_names(),
            ["feature", "shared", "rule", "scenario", "examples"]
        );
        assert_eq!(
            pickles[1].tag_names(),
            ["feature", "shared", "rule", "scenario"]
        );
    }

    #[test]
    fn expands_outlines_row_by_row() {
        let source = "\
Feature: f
  Background:
    Given the <server> is up
  Scenario Outline: get <id> as <role>
    Given user <role>
    When GET /items/<id>
      \"\"\"<format>
      {\"id\": <id>, \"unknown\": \"<missing>\"}
      \"\"\"
    Then rows
      | id   | <role> |
      | <id> | x<id>y |
    Examples: admins
      | id | role  | format |
      | 1  | admin | json   |
      | 2  | root  | xml    |
    Examples:
      | id | role |
      | 3  | user |
";
        let pickles = compile_source(source);
        assert_eq!(pickles.len(), 3);
        let names: Vec<_> = pickles.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["get 1 as admin", "get 2 as root", "get 3 as user"]);
        let names: Vec<_> = pickles.iter().map(Pickle::report_name).collect();
        assert_eq!(
            names,
            [
                "get 1 as admin -- @1.1 admins",
                "get 2 as root -- @1.2 admins",
                "get 3 as user -- @2.1",
            ]
        );
        let lines: Vec<_> = pickles.iter().map(|p| (p.line, p.scenario_line)).collect();
        assert_eq!(lines, [(15, 4), (16, 4), (19, 4)]);

        let first = &pickles[0];
        assert_eq!(first.keyword, "Scenario Outline");
        assert_eq!(
            texts(first),
            ["the <server> is up", "user admin", "GET /items/1", "rows"]
        );
        let doc = first.steps[2].docstring.as_ref().unwrap();
        assert_eq!(doc.content, "{\"id\": 1, \"unknown\": \"<missing>\"}");
        assert_eq!(doc.media_type.as_deref(), Some("json"));
        let table = first.steps[3].table.as_ref().unwrap();
        assert_eq!(table.rows[0].cells, ["id", "admin"]);
        assert_eq!(table.rows[1].cells, ["1", "x1y"]);
        assert_eq!(table.rows[1].line, 12);

        let example = first.example.as_ref().unwrap();
        assert_eq!(example.examples_name, "admins");
        assert_eq!((example.examples_index, example.row), (1, 1));
        assert_eq!(
            example.values,
            [
                ("id".to_string(), "1".to_string()),
                ("role".to_string(), "admin".to_string()),
                ("format".to_string(), "json".to_string())
            ]
        );
        let third = pickles[2].example.as_ref().unwrap();
        assert_eq!((third.examples_index, third.row), (2, 1));
        assert_eq!(third.examples_name, "");
        // The second table has no `format` column, so the placeholder stays.
        let doc = pickles[2].steps[2].docstring.as_ref().unwrap();
        assert_eq!(doc.media_type.as_deref(), Some("<format>"));
    }

    #[test]
    fn names_rows_even_without_placeholders() {
        let source = "\
Feature: f
  Scenario Outline: fixed name
    Given <a>
    Examples: set
      | a |
      | 1 |
";
        let pickles = compile_source(source);
        assert_eq!(pickles[0].report_name(), "fixed name -- @1.1 set");
        assert_eq!(texts(&pickles[0]), ["1"]);
    }

    #[test]
    fn yields_nothing_for_empty_examples() {
        let source = "\
Feature: f
  Scenario Outline: header only
    Given <a>
    Examples:
      | a |
    Examples: no table
  Scenario Outline: no examples at all
    Given <a>
";
        let pickles = compile_source(source);
        // An outline without any Examples section runs once, as written.
        assert_eq!(pickles.len(), 1);
        assert_eq!(pickles[0].name, "no examples at all");
        assert_eq!(texts(&pickles[0]), ["<a>"]);
        assert_eq!(pickles[0].example, None);
    }

    #[test]
    fn accepts_examples_on_a_plain_scenario() {
        let source = "\
Feature: f
  Scenario: plain <n>
    Given <n>
    Examples:
      | n |
      | 7 |
";
        let pickles = compile_source(source);
        assert_eq!(pickles.len(), 1);
        assert_eq!(pickles[0].report_name(), "plain 7 -- @1.1");
        assert_eq!(pickles[0].keyword, "Scenario");
    }

    #[test]
    fn fills_placeholders_in_one_pass() {
        let values = vec![
            ("a".to_string(), "<b>".to_string()),
            ("b".to_string(), "B".to_string()),
        ];
        assert_eq!(fill("<a> <b>", &values), "<b> B");
        assert_eq!(fill("x < y <a>", &values), "x < y <b>");
        assert_eq!(fill("<<b>>", &values), "<B>");
        assert_eq!(fill("<c> <b", &values), "<c> <b");
        assert_eq!(fill("no placeholders", &values), "no placeholders");
        assert_eq!(fill("<a>", &[]), "<a>");
    }

    #[test]
    fn keeps_file_order_across_rules() {
        let source = "\
Feature: f
  Scenario: one
    Given a
  Rule: r1
    Scenario: two
      Given b
  Rule: r2
    Scenario: three
      Given c
    Scenario: four
      Given d
";
        let names: Vec<_> = compile_source(source).into_iter().map(|p| p.name).collect();
        assert_eq!(names, ["one", "two", "three", "four"]);
    }
}

#[cfg(test)]
mod streaming_tests {
    use super::*;
    use crate::gherkin::{parse, parse_bytes_each};

    const TEXT: &str = r#"@f
Feature: F
  Background:
    Given address "a"

  Scenario: one
    When the URL is invoked
    Then status is "200"
      """
      body
      """

  @o
  Scenario Outline: two <n>
    Given URL path "/<n>"
    Examples:
      | n |
      | 1 |
      | 2 |

  Rule: R
    Background:
      Given header "X" "y"

    Scenario: three
      Given I store "1" under "x"
        | a | b |

    Scenario: four
      Given I store "2" under "x"

  Rule: S
    Scenario: five
      Given I store "3" under "x"
"#;

    #[test]
    fn streaming_hands_over_the_same_pickles_in_the_same_order() {
        let whole = pickles(&parse(TEXT).unwrap());
        let mut streamed = Vec::new();
        let rest = parse_bytes_each(TEXT.as_bytes(), |feature, rule, scenario| {
            scenario_pickles(feature, rule, &scenario, |p| streamed.push(p));
        })
        .unwrap()
        .unwrap();
        assert_eq!(whole.len(), 6);
        assert_eq!(streamed, whole);
        assert!(rest.scenarios.is_empty());
        assert!(rest.rules.iter().all(|r| r.scenarios.is_empty()));
    }

    #[test]
    fn streaming_reports_an_error_after_scenarios_were_handed_over() {
        let broken =
            format!("{TEXT}\n  Scenario: six\n    Given a step\n    \"\"\"\n    never closed\n");
        let mut handed = 0;
        let errors = parse_bytes_each(broken.as_bytes(), |_, _, _| handed += 1).unwrap_err();
        let e = &errors[0];
        assert!(
            e.message.contains("ends inside the doc string"),
            "{}",
            e.message
        );
        assert!(
            handed >= 4,
            "scenarios before the error were handed over: {handed}"
        );
    }
}
