//! Properties of the Gherkin reader: any text or bytes give a feature or an error (never a
//! panic), errors point inside the file, and a generated valid feature parses into exactly the
//! pickles it describes, with every step's line and columns pointing at its text.

use apitest::gherkin::{self, Feature, ParseError, Pickle, StepKind};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

// ---------------------------------------------------------------------------------------------
// Arbitrary input
// ---------------------------------------------------------------------------------------------

/// Lines that reach the parser's states: keywords, steps, tables, fences, tags, comments and
/// near misses.
const FRAGMENTS: &[&str] = &[
    "Feature: f",
    "Feature:",
    "Business Need: b",
    "Rule: r",
    "Background:",
    "Scenario: s",
    "Example: e",
    "Scenario Outline: o <a>",
    "Scenario Template: t",
    "Examples:",
    "Scenarios: x",
    "Given a",
    "When <a> b",
    "Then c",
    "And d",
    "But e",
    "* f",
    "Given",
    "Givenness",
    "| a | b |",
    "| 1 |",
    "| <a> | x |",
    r"|x\|y\\z\n|",
    "|",
    "||",
    "| a",
    "\"\"\"",
    "\"\"\"json",
    "```",
    "```xml",
    r#"\"\"\""#,
    "@t",
    "@a @b #c",
    "@",
    "@a b",
    "# c",
    "# language: fr",
    "# language: en",
    "#language:",
    "",
    "   ",
    "\t",
    "desc",
    "Scenari: typo",
    "Givn x",
    "Feature: é😀",
    "\u{feff}Feature: bom",
];

fn soup_line() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => select(FRAGMENTS).prop_map(str::to_string),
        1 => any::<String>(),
        1 => "[ \t|@#*:a-zA-Z\"`<>\\\\é]{0,12}",
    ]
}

/// Lines of keywords, steps, tables and noise, indented and joined by any line ending.
fn soup() -> impl Strategy<Value = String> {
    (
        vec(("[ \t]{0,3}", soup_line()), 0..40),
        select(&["\n", "\r\n", "\r"][..]),
    )
        .prop_map(|(lines, end)| {
            lines
                .into_iter()
                .map(|(indent, line)| format!("{indent}{line}"))
                .collect::<Vec<_>>()
                .join(end)
        })
}

/// The source as the parser numbers it: without a leading byte order mark.
fn source_lines(source: &str) -> Vec<&str> {
    source
        .strip_prefix('\u{feff}')
        .unwrap_or(source)
        .lines()
        .collect()
}

/// The characters of `line` from the 1-based character `column` on.
fn from_column(line: &str, column: usize) -> String {
    line.chars().skip(column.saturating_sub(1)).collect()
}

/// What must hold of any result: errors point at a line and column of the file, and every
/// pickle step that was not filled from an examples row points at its own text.
fn check_result(source: &str, result: &Result<Feature, ParseError>) -> Result<(), TestCaseError> {
    let lines = source_lines(source);
    match result {
        // The end of the file is the line after the last one, with column 0.
        Err(error) if error.column == 0 => {
            prop_assert_eq!(error.line, lines.len() + 1, "end-of-file error {:?}", error);
        }
        Err(error) => {
            prop_assert!(error.line >= 1, "error line {} in {error:?}", error.line);
            prop_assert!(
                error.line <= lines.len().max(1),
                "error line {} beyond the {} lines: {error:?}",
                error.line,
                lines.len()
            );
            let width = lines
                .get(error.line - 1)
                .map_or(0, |line| line.chars().count());
            prop_assert!(
                error.column >= 1 && error.column <= width + 1,
                "error column {} outside line {} of {width} characters: {error:?}",
                error.column,
                error.line
            );
        }
        Ok(feature) => {
            for pickle in gherkin::pickles(feature) {
                for step in &pickle.steps {
                    if pickle.example.is_some() && !step.background {
                        continue;
                    }
                    let line = lines.get(step.line.wrapping_sub(1));
                    prop_assert!(line.is_some(), "step line {} out of range", step.line);
                    let line = line.unwrap();
                    prop_assert!(
                        from_column(line, step.column).starts_with(step.keyword),
                        "keyword {:?} not at column {} of line {} {line:?}",
                        step.keyword,
                        step.column,
                        step.line
                    );
                    prop_assert!(
                        from_column(line, step.text_column).starts_with(&step.text),
                        "text {:?} not at column {} of line {} {line:?}",
                        step.text,
                        step.text_column,
                        step.line
                    );
                }
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(crate::config())]

    #[test]
    fn parse_never_panics_on_any_string(source in any::<String>()) {
        let result = gherkin::parse(&source);
        check_result(&source, &result)?;
    }

    #[test]
    fn parse_never_panics_on_gherkin_like_text(source in soup()) {
        let result = gherkin::parse(&source);
        check_result(&source, &result)?;
    }

    #[test]
    fn parse_bytes_never_panics_and_reports_the_first_bad_byte(
        bytes in prop_oneof![
            any::<Vec<u8>>(),
            (soup(), any::<prop::sample::Index>(), 0x80u8..=0xff).prop_map(|(s, at, bad)| {
                let mut bytes = s.into_bytes();
                let at = at.index(bytes.len() + 1);
                bytes.insert(at, bad);
                bytes
            }),
        ]
    ) {
        let result = gherkin::parse_bytes(&bytes);
        let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        match std::str::from_utf8(body) {
            Ok(text) => prop_assert_eq!(result, gherkin::parse(text)),
            Err(utf8) => {
                let error = result.expect_err("invalid UTF-8 must be refused");
                let prefix = std::str::from_utf8(&body[..utf8.valid_up_to()]).unwrap();
                let line = prefix.matches('\n').count() + 1;
                let column = prefix.rsplit('\n').next().unwrap().chars().count() + 1;
                prop_assert_eq!((error.line, error.column), (line, column), "{:?}", error);
                let byte = format!("0x{:02x}", body[utf8.valid_up_to()]);
                prop_assert!(error.message.contains(&byte), "{:?} lacks {}", error, byte);
            }
        }
    }

    #[test]
    fn parse_bytes_agrees_with_parse_on_text(
        bom in any::<bool>(),
        source in prop_oneof![any::<String>(), soup(), valid_feature().prop_map(|f| f.render().0)],
    ) {
        // Two marks are the next property's case.
        let source = source.trim_start_matches('\u{feff}');
        let source = format!("{}{source}", if bom { "\u{feff}" } else { "" });
        prop_assert_eq!(gherkin::parse_bytes(source.as_bytes()), gherkin::parse(&source));
    }

    /// A second byte order mark is text, in bytes as in a string: only one is skipped.
    #[test]
    fn parse_bytes_skips_only_one_byte_order_mark(
        source in prop_oneof![soup(), valid_feature().prop_map(|f| f.render().0)],
    ) {
        let source = format!("\u{feff}\u{feff}{}", source.trim_start_matches('\u{feff}'));
        prop_assert_eq!(gherkin::parse_bytes(source.as_bytes()), gherkin::parse(&source));
    }
}

// ---------------------------------------------------------------------------------------------
// Generated valid features
// ---------------------------------------------------------------------------------------------

/// The columns of every outline's examples; an outline uses the first 1 to 3.
const HEADERS: [&str; 3] = ["name", "id", "x"];

/// A deterministic stream of choices for the layout (indentation, blank lines, comments), so
/// that the layout shrinks with the rest of the case.
#[derive(Debug, Clone)]
struct Noise {
    bytes: Vec<u8>,
    at: usize,
}

impl Noise {
    fn next(&mut self) -> usize {
        if self.bytes.is_empty() {
            return 0;
        }
        let byte = self.bytes[self.at % self.bytes.len()];
        self.at += 1;
        usize::from(byte)
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.next() % items.len()]
    }
}

#[derive(Debug, Clone)]
enum StepArg {
    Nothing,
    /// Rows of cells; every row has the same number of cells.
    Table(Vec<Vec<String>>),
    Doc {
        backticks: bool,
        media: Option<String>,
        lines: Vec<String>,
    },
}

#[derive(Debug, Clone)]
struct StepSpec {
    keyword: &'static str,
    text: String,
    /// In an outline, the step ends with the placeholder of this column (modulo the columns).
    placeholder: Option<usize>,
    arg: StepArg,
}

#[derive(Debug, Clone)]
struct ExamplesSpec {
    keyword: &'static str,
    name: String,
    tags: Vec<String>,
    /// Data rows of three cells, cut to the outline's columns; `None` for no table at all.
    rows: Option<Vec<Vec<String>>>,
}

#[derive(Debug, Clone)]
struct ScenarioSpec {
    keyword: &'static str,
    name: String,
    tags: Vec<String>,
    description: Vec<String>,
    steps: Vec<StepSpec>,
    /// The number of columns and the examples sections of an outline.
    outline: Option<(usize, Vec<ExamplesSpec>)>,
}

#[derive(Debug, Clone)]
struct FeatureSpec {
    keyword: &'static str,
    name: String,
    tags: Vec<String>,
    /// Description lines, each with the number of blank lines before it.
    description: Vec<(usize, String)>,
    background: Option<(String, Vec<StepSpec>)>,
    scenarios: Vec<ScenarioSpec>,
    crlf: bool,
    bom: bool,
    noise: Vec<u8>,
}

/// What one pickle step must be.
#[derive(Debug, Clone, PartialEq)]
struct ExpectedStep {
    keyword: String,
    kind: StepKind,
    text: String,
    line: usize,
    column: usize,
    text_column: usize,
    background: bool,
    table: Option<Vec<Vec<String>>>,
    doc: Option<(String, Option<String>)>,
}

/// What one pickle must be.
#[derive(Debug, Clone, PartialEq)]
struct ExpectedPickle {
    name: String,
    keyword: String,
    line: usize,
    scenario_line: usize,
    tags: Vec<String>,
    steps: Vec<ExpectedStep>,
}

/// Text for names: words of letters, digits, `_` and `-`, possibly none.
fn name() -> impl Strategy<Value = String> {
    "([A-Za-z0-9_-]{1,8}( [A-Za-z0-9_-]{1,8}){0,2})?"
}

/// Step text without `<` (placeholders are added on purpose) and without surrounding space.
fn step_text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9\"/#@|:.,_*-]([a-zA-Z0-9 \"/#@|:.,_*-]{0,24}[a-zA-Z0-9\"/#@|:.,_*-])?"
}

/// A table cell as it must read back: `|`, `\` and newlines are escaped when written; no
/// surrounding spaces, which the reader trims.
fn cell() -> impl Strategy<Value = String> {
    "([a-z0-9|\\\\\n#@]([a-z0-9|\\\\\n#@ ]{0,6}[a-z0-9|\\\\\n#@])?)?"
}

fn tags() -> impl Strategy<Value = Vec<String>> {
    vec(
        select(&["smoke", "slow", "wip", "a", "b"][..]).prop_map(str::to_string),
        0..3,
    )
}

fn table() -> impl Strategy<Value = Vec<Vec<String>>> {
    (1usize..=3, vec(vec(cell(), 3), 1..4)).prop_map(|(columns, rows)| {
        rows.into_iter()
            .map(|row| row.into_iter().take(columns).collect())
            .collect()
    })
}

fn doc_line(backticks: bool) -> impl Strategy<Value = String> {
    "[ a-zA-Z0-9#@|:*\"-]{0,20}".prop_map(move |line| {
        let marker = if backticks { "```" } else { "\"\"\"" };
        if line.trim() == marker {
            format!("{line}x")
        } else {
            line
        }
    })
}

fn step_arg() -> impl Strategy<Value = StepArg> {
    prop_oneof![
        6 => Just(StepArg::Nothing),
        1 => table().prop_map(StepArg::Table),
        1 => (any::<bool>(), proptest::option::of("[a-z]{1,5}"))
            .prop_flat_map(|(backticks, media)| {
                vec(doc_line(backticks), 0..4).prop_map(move |lines| StepArg::Doc {
                    backticks,
                    media: media.clone(),
                    lines,
                })
            }),
    ]
}

fn step() -> impl Strategy<Value = StepSpec> {
    (
        select(&["Given", "When", "Then", "And", "But", "*"][..]),
        step_text(),
        proptest::option::of(0usize..3),
        step_arg(),
    )
        .prop_map(|(keyword, text, placeholder, arg)| StepSpec {
            keyword,
            text,
            placeholder,
            arg,
        })
}

fn examples() -> impl Strategy<Value = ExamplesSpec> {
    (
        select(&["Examples", "Scenarios"][..]),
        name(),
        tags(),
        prop_oneof![
            1 => Just(None),
            7 => vec(vec(cell(), 3), 0..4).prop_map(Some),
        ],
    )
        .prop_map(|(keyword, name, tags, rows)| ExamplesSpec {
            keyword,
            name,
            tags,
            rows,
        })
}

fn description_line() -> impl Strategy<Value = String> {
    "[a-z]([a-z ,.]{0,20}[a-z,.])?"
}

fn scenario() -> impl Strategy<Value = ScenarioSpec> {
    (
        select(
            &[
                "Scenario",
                "Example",
                "Scenario Outline",
                "Scenario Template",
            ][..],
        ),
        name(),
        tags(),
        vec(description_line(), 0..2),
        vec(step(), 0..=6),
        proptest::option::of((1usize..=3, vec(examples(), 1..3))),
    )
        .prop_map(
            |(keyword, name, tags, description, steps, outline)| ScenarioSpec {
                keyword,
                name,
                tags,
                description,
                steps,
                outline,
            },
        )
}

fn valid_feature() -> impl Strategy<Value = FeatureSpec> {
    (
        (
            select(&["Feature", "Business Need", "Ability"][..]),
            name(),
            tags(),
            vec((0usize..3, description_line()), 0..3),
        ),
        proptest::option::of((name(), vec(step(), 0..=6))),
        vec(scenario(), 0..=5),
        any::<bool>(),
        any::<bool>(),
        vec(any::<u8>(), 0..64),
    )
        .prop_map(
            |((keyword, name, tags, description), background, scenarios, crlf, bom, noise)| {
                FeatureSpec {
                    keyword,
                    name,
                    tags,
                    description,
                    background,
                    scenarios,
                    crlf,
                    bom,
                    noise,
                }
            },
        )
}

/// Writes a table cell so that the reader gives `cell` back.
fn escape_cell(cell: &str) -> String {
    cell.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('\n', "\\n")
}

/// Fills `<column>` placeholders the way an examples row does.
fn fill(text: &str, values: &[(String, String)]) -> String {
    let mut out = text.to_string();
    for (header, value) in values {
        out = out.replace(&format!("<{header}>"), value);
    }
    out
}

/// Collects the source lines and the pickles they must produce.
struct Writer {
    lines: Vec<String>,
    noise: Noise,
}

impl Writer {
    fn push(&mut self, line: String) -> usize {
        self.lines.push(line);
        self.lines.len()
    }

    fn indent(&mut self) -> String {
        let width = self.noise.next() % 5;
        (0..width)
            .map(|_| {
                if self.noise.next().is_multiple_of(4) {
                    '\t'
                } else {
                    ' '
                }
            })
            .collect()
    }

    /// Maybe a blank, white or comment line, which must change nothing.
    fn filler(&mut self) {
        match self.noise.next() % 8 {
            0 => {
                self.push(String::new());
            }
            1 => {
                self.push(" \t ".to_string());
            }
            2 => {
                let indent = self.indent();
                self.push(format!("{indent}# a comment | @tag Given x"));
            }
            _ => {}
        }
    }

    fn tags(&mut self, tags: &[String]) {
        if tags.is_empty() {
            return;
        }
        let indent = self.indent();
        let separator = self.noise.pick(&[" ", "  ", "\t"]);
        let names: Vec<String> = tags.iter().map(|t| format!("@{t}")).collect();
        let comment = self.noise.pick(&["", " # tags", " #x"]);
        self.push(format!("{indent}{}{comment}", names.join(separator)));
    }

    fn titled(&mut self, keyword: &str, name: &str) -> usize {
        let indent = self.indent();
        let gap = if name.is_empty() {
            self.noise.pick(&["", " "])
        } else {
            self.noise.pick(&[" ", "  ", "\t"])
        };
        self.push(format!("{indent}{keyword}:{gap}{name}"))
    }

    fn table(&mut self, rows: &[Vec<String>]) {
        let indent = self.indent();
        for row in rows {
            let pad = self.noise.pick(&["", " ", "  "]);
            let cells: Vec<String> = row.iter().map(|c| escape_cell(c)).collect();
            let inner = cells.join(&format!("{pad}|{pad}"));
            self.push(format!("{indent}|{pad}{inner}{pad}|"));
        }
    }

    /// Writes a step and gives back what its pickle step must be, before filling.
    fn step(
        &mut self,
        step: &StepSpec,
        columns: Option<usize>,
        kind: &mut Option<StepKind>,
        background: bool,
    ) -> ExpectedStep {
        let indent = self.indent();
        let gap = self.noise.pick(&[" ", "  ", "\t", " \t "]);
        let text = match (columns, step.placeholder) {
            (Some(columns), Some(column)) => {
                format!("{} <{}>", step.text, HEADERS[column % columns])
            }
            _ => step.text.clone(),
        };
        let line = self.push(format!("{indent}{}{gap}{text}", step.keyword));
        let column = indent.chars().count() + 1;
        let text_column = column + step.keyword.chars().count() + gap.chars().count();
        // `*` has no kind of its own (Unknown); `And` and `But` take the one before them.
        let own = match step.keyword {
            "Given" => Some(StepKind::Given),
            "When" => Some(StepKind::When),
            "Then" => Some(StepKind::Then),
            "*" => Some(StepKind::Unknown),
            _ => None,
        };
        let step_kind = own.or(*kind).unwrap_or(StepKind::Unknown);
        *kind = Some(step_kind);
        let mut table = None;
        let mut doc = None;
        match &step.arg {
            StepArg::Nothing => {}
            StepArg::Table(rows) => {
                self.table(rows);
                table = Some(rows.clone());
            }
            StepArg::Doc {
                backticks,
                media,
                lines,
            } => {
                let marker = if *backticks { "```" } else { "\"\"\"" };
                let fence_indent = self.indent();
                let media_gap = self.noise.pick(&["", " "]);
                let media_text = media.as_deref().unwrap_or("");
                self.push(format!("{fence_indent}{marker}{media_gap}{media_text}"));
                for content in lines {
                    self.push(format!("{fence_indent}{content}"));
                }
                let close_indent = self.indent();
                self.push(format!("{close_indent}{marker}"));
                doc = Some((lines.join("\n"), media.clone()));
            }
        }
        ExpectedStep {
            keyword: step.keyword.to_string(),
            kind: step_kind,
            text,
            line,
            column,
            text_column,
            background,
            table,
            doc,
        }
    }

    fn steps(
        &mut self,
        steps: &[StepSpec],
        columns: Option<usize>,
        background: bool,
    ) -> Vec<ExpectedStep> {
        let mut kind = None;
        let mut out = Vec::new();
        for step in steps {
            self.filler();
            out.push(self.step(step, columns, &mut kind, background));
        }
        out
    }
}

/// `And` and `But` take the kind of the step before them, across the background into the
/// scenario.
fn resolve_conjunctions(steps: &mut [ExpectedStep]) {
    let mut previous = StepKind::Unknown;
    for step in steps {
        if step.keyword == "And" || step.keyword == "But" {
            step.kind = previous;
        }
        previous = step.kind;
    }
}

/// Adds tag names not seen yet, in order.
fn add_tags(into: &mut Vec<String>, tags: &[String]) {
    for tag in tags {
        if !into.contains(tag) {
            into.push(tag.clone());
        }
    }
}

impl FeatureSpec {
    /// The feature file, and the pickles it must compile to.
    fn render(&self) -> (String, Vec<ExpectedPickle>, String) {
        let mut w = Writer {
            lines: Vec::new(),
            noise: Noise {
                bytes: self.noise.clone(),
                at: 0,
            },
        };
        w.filler();
        w.tags(&self.tags);
        w.titled(self.keyword, &self.name);
        let mut description = String::new();
        for (index, (blanks, line)) in self.description.iter().enumerate() {
            if index > 0 {
                for _ in 0..*blanks {
                    w.push(String::new());
                }
                description.push_str(&"\n".repeat(blanks + 1));
            }
            let indent = w.indent();
            w.push(format!("{indent}{line}"));
            description.push_str(line);
        }
        w.filler();
        let background = match &self.background {
            Some((name, steps)) => {
                w.titled("Background", name);
                w.steps(steps, None, true)
            }
            None => Vec::new(),
        };
        let mut pickles = Vec::new();
        for scenario in &self.scenarios {
            w.filler();
            w.tags(&scenario.tags);
            let outline = scenario.outline.as_ref();
            let columns = outline.map(|(columns, _)| *columns);
            let name = match columns {
                Some(_) if !scenario.name.is_empty() => format!("{} <name>", scenario.name),
                _ => scenario.name.clone(),
            };
            let scenario_line = w.titled(scenario.keyword, &name);
            for line in &scenario.description {
                let indent = w.indent();
                w.push(format!("{indent}{line}"));
            }
            let steps = w.steps(&scenario.steps, columns, false);
            let mut tags = Vec::new();
            add_tags(&mut tags, &self.tags);
            add_tags(&mut tags, &scenario.tags);
            // A scenario without steps gets no background steps, as in Gherkin's pickles.
            let background = if steps.is_empty() {
                Vec::new()
            } else {
                background.clone()
            };
            let mut all_steps = background.clone();
            all_steps.extend(steps.iter().cloned());
            resolve_conjunctions(&mut all_steps);
            let Some((columns, sections)) = outline else {
                pickles.push(ExpectedPickle {
                    name: name.clone(),
                    keyword: scenario.keyword.to_string(),
                    line: scenario_line,
                    scenario_line,
                    tags,
                    steps: all_steps,
                });
                continue;
            };
            let header: Vec<String> = HEADERS[..*columns].iter().map(|h| h.to_string()).collect();
            for (index, examples) in sections.iter().enumerate() {
                w.filler();
                w.tags(&examples.tags);
                w.titled(examples.keyword, &examples.name);
                let Some(rows) = &examples.rows else {
                    continue;
                };
                let rows: Vec<Vec<String>> = rows
                    .iter()
                    .map(|row| row.iter().take(*columns).cloned().collect())
                    .collect();
                let mut table = vec![header.clone()];
                table.extend(rows.iter().cloned());
                let header_line = w.lines.len() + 1;
                w.table(&table);
                let mut example_tags = tags.clone();
                add_tags(&mut example_tags, &examples.tags);
                for (row_index, row) in rows.iter().enumerate() {
                    let values: Vec<(String, String)> =
                        header.iter().cloned().zip(row.iter().cloned()).collect();
                    let mut filled = background.clone();
                    filled.extend(steps.iter().map(|s| ExpectedStep {
                        text: fill(&s.text, &values),
                        ..s.clone()
                    }));
                    resolve_conjunctions(&mut filled);
                    let full = format!(
                        "{} -- @{}.{} {}",
                        fill(&name, &values),
                        index + 1,
                        row_index + 1,
                        examples.name
                    );
                    pickles.push(ExpectedPickle {
                        name: full.trim_end().to_string(),
                        keyword: scenario.keyword.to_string(),
                        line: header_line + 1 + row_index,
                        scenario_line,
                        tags: example_tags.clone(),
                        steps: filled,
                    });
                }
            }
        }
        w.filler();
        let end = if self.crlf { "\r\n" } else { "\n" };
        let bom = if self.bom { "\u{feff}" } else { "" };
        (
            format!("{bom}{}{end}", w.lines.join(end)),
            pickles,
            description,
        )
    }
}

fn actual(pickle: &Pickle) -> ExpectedPickle {
    ExpectedPickle {
        name: pickle.report_name(),
        keyword: pickle.keyword.clone(),
        line: pickle.line,
        scenario_line: pickle.scenario_line,
        tags: pickle.tag_names(),
        steps: pickle
            .steps
            .iter()
            .map(|s| ExpectedStep {
                keyword: s.keyword.to_string(),
                kind: s.kind,
                text: s.text.clone(),
                line: s.line,
                column: s.column,
                text_column: s.text_column,
                background: s.background,
                table: s
                    .table
                    .as_ref()
                    .map(|t| t.rows.iter().map(|r| r.cells.clone()).collect()),
                doc: s
                    .docstring
                    .as_ref()
                    .map(|d| (d.content.clone(), d.media_type.clone())),
            })
            .collect(),
    }
}

proptest! {
    #![proptest_config(crate::config())]

    #[test]
    fn a_valid_feature_compiles_to_the_pickles_it_describes(spec in valid_feature()) {
        let (source, expected, description) = spec.render();
        let feature = gherkin::parse(&source);
        prop_assert!(feature.is_ok(), "{:?}\n--- source ---\n{}", feature, source);
        let feature = feature.unwrap();
        prop_assert_eq!(&feature.keyword, spec.keyword);
        prop_assert_eq!(&feature.name, &spec.name);
        prop_assert_eq!(&feature.description, &description);
        let tag_names: Vec<&str> = feature.tags.iter().map(|t| t.name.as_str()).collect();
        prop_assert_eq!(tag_names, spec.tags.iter().map(String::as_str).collect::<Vec<_>>());
        prop_assert_eq!(feature.scenarios.len(), spec.scenarios.len());

        let pickles = gherkin::pickles(&feature);
        prop_assert_eq!(pickles.len(), expected.len(), "pickle count\n{}", source);
        for (pickle, want) in pickles.iter().zip(&expected) {
            prop_assert_eq!(pickle.steps.len(), want.steps.len(), "step count\n{}", source);
            prop_assert_eq!(&actual(pickle), want, "\n--- source ---\n{}", source);
        }

        // Independently of the model: each step's line holds its text as written.
        let lines = source_lines(&source);
        for pickle in &pickles {
            for step in &pickle.steps {
                let line = lines[step.line - 1];
                let written = if pickle.example.is_some() && !step.background {
                    // The source has the placeholders, not the row's values.
                    let scenario_step = feature
                        .scenarios
                        .iter()
                        .flat_map(|s| &s.steps)
                        .find(|s| s.line == step.line)
                        .expect("the outline step");
                    scenario_step.text.clone()
                } else {
                    step.text.clone()
                };
                prop_assert!(line.contains(&written), "line {} {:?} lacks {:?}", step.line, line, written);
                prop_assert!(from_column(line, step.text_column).starts_with(&written));
            }
        }
    }
}
