//! Turns the text of a `.feature` file into the syntax tree of [`super::ast`].
//! Gherkin is a line-based language, so the parser reads the file once, line
//! by line, and decides what each line is from its first characters and from
//! the section it is in. Every step of that is linear in the length of the
//! line, which keeps the whole parse linear in the size of the file. Errors
//! carry the line, the column and a hint saying how to fix the file.

use std::fmt;

use super::ast::{
    Background, DocString, Examples, Feature, Rule, Scenario, Step, StepKind, Table, TableRow, Tag,
};

/// A problem in a `.feature` file, located by 1-based line and character
/// column.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// What the author can do about it; callers decide how to render it.
    pub hint: Option<String>,
}

impl ParseError {
    fn new(
        line: usize,
        column: usize,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        ParseError {
            line,
            column,
            message: message.into(),
            hint: Some(hint.into()),
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}

impl std::error::Error for ParseError {}

/// The hint for a line that is neither a keyword, a step, a table row nor a
/// doc string, when nothing more specific can be said about it.
const STEP_HINT: &str =
    "a step starts with Given, When, Then, And, But or *; did you forget the keyword?";

/// Parses a feature file held in memory as raw bytes. A leading UTF-8 byte
/// order mark is skipped, and bytes that are not UTF-8 are reported with the
/// position of the first bad byte rather than as a generic I/O failure.
pub fn parse_bytes(bytes: &[u8]) -> Result<Feature, ParseError> {
    parse_text(decode(bytes)?)
}

/// The text of a file: one leading byte order mark skipped (a second one is content, as it is
/// for `parse`), and bytes that are not UTF-8 reported where they are.
fn decode(bytes: &[u8]) -> Result<&str, ParseError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|error| utf8_error(bytes, error.valid_up_to()))
}

/// Locates the first invalid byte of a file that failed UTF-8 decoding.
fn utf8_error(bytes: &[u8], valid_up_to: usize) -> ParseError {
    // Everything before `valid_up_to` decoded fine, so it can be read as text
    // to count lines and characters.
    let prefix = bytes.get(..valid_up_to).unwrap_or_default();
    let text = std::str::from_utf8(prefix).unwrap_or_default();
    let line = text.matches('\n').count() + 1;
    let line_start = text.rfind('\n').map_or(0, |newline| newline + 1);
    let column = text.get(line_start..).map_or(0, char_count) + 1;
    let byte = bytes.get(valid_up_to).copied().unwrap_or_default();
    ParseError::new(
        line,
        column,
        format!("the file is not valid UTF-8 (invalid byte 0x{byte:02x})"),
        "save the file as UTF-8",
    )
}

/// Parses the text of one feature file.
pub fn parse(source: &str) -> Result<Feature, ParseError> {
    parse_text(source.strip_prefix('\u{feff}').unwrap_or(source))
}

/// The parser proper, for text whose one byte order mark (if any) is already gone.
fn parse_text(source: &str) -> Result<Feature, ParseError> {
    let mut parser = Parser::default();
    for (index, raw) in source.lines().enumerate() {
        parser.line(index + 1, raw)?;
    }
    parser.finish()
}

/// Parses a feature file like `parse_bytes`, but hands each scenario to `visit` (with the
/// feature and rule it belongs to) as soon as the next one starts, and drops it from the
/// tree: a 10,000-scenario file is never held whole. The feature returned holds everything
/// but the scenarios. On an error, the scenarios already handed over must be discarded.
pub fn parse_bytes_each(
    bytes: &[u8],
    mut visit: impl FnMut(&Feature, Option<&Rule>, Scenario),
) -> Result<Feature, ParseError> {
    let source = decode(bytes)?;
    let mut parser = Parser::default();
    for (index, raw) in source.lines().enumerate() {
        parser.line(index + 1, raw)?;
        parser.hand_over(&mut visit, false);
    }
    let mut feature = parser.finish()?;
    hand_over_from(&mut feature, &mut visit, true);
    Ok(feature)
}

/// Hands the complete scenarios of `feature` to `visit`: every one but the last, which may
/// still grow (steps, tables, examples); with `all`, the last too.
fn hand_over_from(
    feature: &mut Feature,
    visit: &mut impl FnMut(&Feature, Option<&Rule>, Scenario),
    all: bool,
) {
    // Once a rule has started, top-level scenarios can no longer grow.
    let keep = usize::from(feature.rules.is_empty() && !all);
    if feature.scenarios.len() > keep {
        let done: Vec<Scenario> = feature
            .scenarios
            .drain(..feature.scenarios.len() - keep)
            .collect();
        for scenario in done {
            visit(feature, None, scenario);
        }
    }
    let rules = feature.rules.len();
    for index in 0..rules {
        let keep = usize::from(index + 1 == rules && !all);
        let Some(rule) = feature.rules.get_mut(index) else {
            continue;
        };
        if rule.scenarios.len() <= keep {
            continue;
        }
        let done: Vec<Scenario> = rule
            .scenarios
            .drain(..rule.scenarios.len() - keep)
            .collect();
        for scenario in done {
            visit(feature, feature.rules.get(index), scenario);
        }
    }
}

/// The part of the file the parser is in, which decides what a line may be.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Section {
    /// Before the `Feature:` line.
    #[default]
    Start,
    Feature,
    Rule,
    Background,
    Scenario,
    Examples,
}

/// What the previous meaningful line was, as far as tables and doc strings
/// care: both may only follow a step directly.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum After {
    #[default]
    Other,
    Step,
    StepTable,
}

/// The two doc string fences Gherkin allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fence {
    Quotes,
    Backticks,
}

impl Fence {
    fn marker(self) -> &'static str {
        match self {
            Fence::Quotes => "\"\"\"",
            Fence::Backticks => "```",
        }
    }

    /// How a fence is written inside the doc string without closing it.
    fn escaped(self) -> &'static str {
        match self {
            Fence::Quotes => "\\\"\\\"\\\"",
            Fence::Backticks => "\\`\\`\\`",
        }
    }
}

/// The kinds of keyword lines, each of which opens a new part of the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Block {
    Feature,
    Rule,
    Background,
    Scenario,
    Examples,
}

/// The English block keywords of Gherkin 6; each is followed by `:`.
const BLOCK_KEYWORDS: [(&str, Block); 11] = [
    ("Feature", Block::Feature),
    ("Business Need", Block::Feature),
    ("Ability", Block::Feature),
    ("Rule", Block::Rule),
    ("Background", Block::Background),
    ("Scenario Outline", Block::Scenario),
    ("Scenario Template", Block::Scenario),
    ("Scenario", Block::Scenario),
    ("Example", Block::Scenario),
    ("Examples", Block::Examples),
    ("Scenarios", Block::Examples),
];

/// The English step keywords; `None` means the kind of the previous step.
const STEP_KEYWORDS: [(&str, Option<StepKind>); 6] = [
    ("Given", Some(StepKind::Given)),
    ("When", Some(StepKind::When)),
    ("Then", Some(StepKind::Then)),
    ("And", None),
    ("But", None),
    ("*", None),
];

/// What a non-blank, non-comment, non-tag line is, judged by its start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Line<'a> {
    Block {
        block: Block,
        keyword: &'static str,
        name: &'a str,
    },
    Step {
        keyword: &'static str,
        kind: Option<StepKind>,
        text: &'a str,
        /// Characters from the start of the keyword to the start of `text`.
        text_offset: usize,
    },
    StepWithoutText {
        keyword: &'static str,
    },
    Row,
    Fence {
        fence: Fence,
        rest: &'a str,
    },
    Other,
}

/// Classifies a line that has already been trimmed on both sides.
fn classify(text: &str) -> Line<'_> {
    if text.starts_with('|') {
        return Line::Row;
    }
    for fence in [Fence::Quotes, Fence::Backticks] {
        if let Some(rest) = text.strip_prefix(fence.marker()) {
            return Line::Fence { fence, rest };
        }
    }
    for (keyword, block) in BLOCK_KEYWORDS {
        if let Some(rest) = text.strip_prefix(keyword).and_then(|r| r.strip_prefix(':')) {
            return Line::Block {
                block,
                keyword,
                name: rest.trim(),
            };
        }
    }
    for (keyword, kind) in STEP_KEYWORDS {
        let Some(rest) = text.strip_prefix(keyword) else {
            continue;
        };
        // A keyword glued to the next word (`Givenness`) is not a step.
        if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
            continue;
        }
        let step_text = rest.trim_start();
        if step_text.is_empty() {
            return Line::StepWithoutText { keyword };
        }
        let gap = rest
            .get(..rest.len() - step_text.len())
            .map_or(0, char_count);
        return Line::Step {
            keyword,
            kind,
            text: step_text,
            text_offset: char_count(keyword) + gap,
        };
    }
    Line::Other
}

/// A doc string whose closing fence has not been seen yet.
#[derive(Debug)]
struct OpenDocString {
    fence: Fence,
    /// How many leading whitespace characters to strip from content lines:
    /// the indentation of the opening fence.
    indent: usize,
    line: usize,
    column: usize,
    media_type: Option<String>,
    content: String,
    lines: usize,
}

impl OpenDocString {
    fn push(&mut self, raw: &str) {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        let mut cut = 0;
        for (count, (byte, c)) in raw.char_indices().enumerate() {
            if count >= self.indent || !c.is_whitespace() {
                cut = byte;
                break;
            }
            cut = byte + c.len_utf8();
        }
        let text = raw.get(cut..).unwrap_or(raw);
        if self.lines > 0 {
            self.content.push('\n');
        }
        self.lines += 1;
        if text.contains(self.fence.escaped()) {
            self.content
                .push_str(&text.replace(self.fence.escaped(), self.fence.marker()));
        } else {
            self.content.push_str(text);
        }
    }
}

/// A description line that looks like a misspelled keyword, remembered so
/// that a later "step outside a scenario" error can point at it.
#[derive(Debug)]
struct Misspelling {
    line: usize,
    text: String,
    hint: String,
}

/// The parser state between lines. The tree is built in place: new parts
/// are pushed onto the feature at once, and "the current scenario" is always
/// the last one pushed, so nothing has to be flushed at the end of a block.
#[derive(Debug, Default)]
struct Parser {
    feature: Option<Feature>,
    section: Section,
    /// Whether free-text description lines are still allowed, which is only
    /// the case directly after a keyword line.
    description_open: bool,
    /// Blank lines seen inside the feature description and not yet written,
    /// so that trailing blank lines never reach the description.
    blank_description_lines: usize,
    after: After,
    /// The kind that `And`, `But` and `*` inherit.
    previous_kind: Option<StepKind>,
    pending_tags: Vec<Tag>,
    doc: Option<OpenDocString>,
    misspelling: Option<Misspelling>,
}

impl Parser {
    fn line(&mut self, number: usize, raw: &str) -> Result<(), ParseError> {
        // Inside a doc string every line is content until the closing fence,
        // including blank lines and lines that start with `#`.
        if let Some(doc) = self.doc.as_mut()
            && raw.trim() != doc.fence.marker()
        {
            doc.push(raw);
            return Ok(());
        }
        if let Some(doc) = self.doc.take() {
            self.close_doc(doc);
            return Ok(());
        }

        let line = raw.trim_end();
        let text = line.trim_start();
        if text.is_empty() {
            if self.description_open
                && self.section == Section::Feature
                && self
                    .feature
                    .as_ref()
                    .is_some_and(|f| !f.description.is_empty())
            {
                self.blank_description_lines += 1;
            }
            return Ok(());
        }
        let column = line.get(..line.len() - text.len()).map_or(0, char_count) + 1;

        if let Some(comment) = text.strip_prefix('#') {
            if self.section == Section::Start {
                check_language(comment, number, column)?;
            }
            return Ok(());
        }
        if text.starts_with('@') {
            let tags = parse_tags(text, number, column)?;
            self.pending_tags.extend(tags);
            self.description_open = false;
            self.after = After::Other;
            return Ok(());
        }

        let kind = classify(text);
        if let Some(first) = self.pending_tags.first() {
            let takes_tags = matches!(
                kind,
                Line::Block {
                    block: Block::Feature | Block::Rule | Block::Scenario | Block::Examples,
                    ..
                }
            );
            if !takes_tags {
                return Err(dangling_tags(first, Some((number, text))));
            }
        }
        if self.section == Section::Start
            && !matches!(
                kind,
                Line::Block {
                    block: Block::Feature,
                    ..
                }
            )
        {
            // Only an unrecognised line can be a misspelling; a real keyword
            // or step is simply in the wrong place.
            let typo = match kind {
                Line::Other => keyword_hint(text),
                _ => None,
            };
            let hint = typo.unwrap_or_else(|| {
                "a feature file starts with `Feature: <name>`; only comments, blank lines and tags may come before it".to_string()
            });
            return Err(ParseError::new(
                number,
                column,
                format!("unexpected text {} before `Feature:`", quote(text)),
                hint,
            ));
        }

        match kind {
            Line::Block {
                block,
                keyword,
                name,
            } => self.block(block, keyword, name, number, column),
            Line::Step {
                keyword,
                kind,
                text,
                text_offset,
            } => self.step(keyword, kind, text, number, column, text_offset),
            Line::StepWithoutText { keyword } => Err(ParseError::new(
                number,
                column,
                "step has no text",
                format!("write the step as `{keyword} <text>`"),
            )),
            Line::Row => self.row(text, number, column),
            Line::Fence { fence, rest } => self.open_doc(fence, rest, number, column),
            Line::Other => self.other(text, number, column),
        }
    }

    /// Handles a `Feature:`, `Rule:`, `Background:`, scenario or examples
    /// line.
    fn block(
        &mut self,
        block: Block,
        keyword: &str,
        name: &str,
        line: usize,
        column: usize,
    ) -> Result<(), ParseError> {
        let tags = std::mem::take(&mut self.pending_tags);
        let section = self.section;
        if block == Block::Feature {
            if self.feature.is_some() {
                return Err(ParseError::new(
                    line,
                    column,
                    "a file can contain only one `Feature:`",
                    "move the second feature into a `.feature` file of its own",
                ));
            }
            self.feature = Some(Feature {
                keyword: keyword.to_string(),
                name: name.to_string(),
                description: String::new(),
                tags,
                line,
                background: None,
                scenarios: Vec::new(),
                rules: Vec::new(),
            });
            self.enter(Section::Feature);
            return Ok(());
        }
        let Some(feature) = self.feature.as_mut() else {
            return Err(missing_feature());
        };
        match block {
            Block::Feature => {}
            Block::Rule => {
                feature.rules.push(Rule {
                    keyword: keyword.to_string(),
                    name: name.to_string(),
                    line,
                    tags,
                    background: None,
                    scenarios: Vec::new(),
                });
                self.enter(Section::Rule);
            }
            Block::Background => {
                let (slot, has_scenarios, owner) = match feature.rules.last_mut() {
                    Some(rule) => (&mut rule.background, !rule.scenarios.is_empty(), "rule"),
                    None => (
                        &mut feature.background,
                        !feature.scenarios.is_empty(),
                        "feature",
                    ),
                };
                if slot.is_some() {
                    return Err(ParseError::new(
                        line,
                        column,
                        format!("a {owner} can have only one `Background:`"),
                        "merge the steps of both backgrounds into the first one",
                    ));
                }
                if has_scenarios {
                    return Err(ParseError::new(
                        line,
                        column,
                        format!("`Background:` must come before the first scenario of the {owner}"),
                        "move the background above the first scenario",
                    ));
                }
                *slot = Some(Background {
                    keyword: keyword.to_string(),
                    name: name.to_string(),
                    line,
                    steps: Vec::new(),
                });
                self.enter(Section::Background);
            }
            Block::Scenario => {
                // A finished scenario's steps never grow again; without this, growth slack
                // doubles the memory of a file with thousands of scenarios.
                if let Some(previous) = scenarios_mut(feature).last_mut() {
                    previous.steps.shrink_to_fit();
                }
                scenarios_mut(feature).push(Scenario {
                    keyword: keyword.to_string(),
                    name: name.to_string(),
                    line,
                    tags,
                    steps: Vec::new(),
                    examples: Vec::new(),
                });
                self.enter(Section::Scenario);
            }
            Block::Examples => {
                let scenario = match section {
                    Section::Scenario | Section::Examples => scenarios_mut(feature).last_mut(),
                    _ => None,
                };
                let Some(scenario) = scenario else {
                    return Err(ParseError::new(
                        line,
                        column,
                        format!("`{keyword}:` must belong to a scenario"),
                        "put the examples after the steps of a `Scenario Outline:`",
                    ));
                };
                scenario.examples.push(Examples {
                    keyword: keyword.to_string(),
                    name: name.to_string(),
                    line,
                    tags,
                    table: None,
                });
                self.enter(Section::Examples);
            }
        }
        Ok(())
    }

    /// Resets the per-block state when a keyword line opens a new block.
    fn enter(&mut self, section: Section) {
        self.section = section;
        self.description_open = true;
        self.blank_description_lines = 0;
        self.after = After::Other;
        self.previous_kind = None;
        self.misspelling = None;
    }

    fn step(
        &mut self,
        keyword: &'static str,
        kind: Option<StepKind>,
        text: &str,
        line: usize,
        column: usize,
        text_offset: usize,
    ) -> Result<(), ParseError> {
        match self.section {
            Section::Background | Section::Scenario => {}
            Section::Examples => {
                return Err(ParseError::new(
                    line,
                    column,
                    "step after `Examples:`",
                    "move the step above the `Examples:` line, or start a new scenario with `Scenario: <name>`",
                ));
            }
            Section::Start | Section::Feature | Section::Rule => {
                return Err(ParseError::new(
                    line,
                    column,
                    "step outside a scenario",
                    self.misspelling_hint("add a `Scenario: <name>` line before the steps"),
                ));
            }
        }
        let kind = kind.or(self.previous_kind).unwrap_or(StepKind::Given);
        self.previous_kind = Some(kind);
        let step = Step {
            keyword,
            kind,
            text: text.to_string(),
            line,
            column,
            text_column: column + text_offset,
            docstring: None,
            table: None,
        };
        if let Some(steps) = self.steps_mut() {
            steps.push(step);
        }
        self.description_open = false;
        self.after = After::Step;
        Ok(())
    }

    fn row(&mut self, text: &str, line: usize, column: usize) -> Result<(), ParseError> {
        let row = parse_row(text, line, column)?;
        self.description_open = false;
        let in_examples = self.section == Section::Examples;
        let table = if in_examples {
            self.feature
                .as_mut()
                .and_then(|f| scenarios_mut(f).last_mut())
                .and_then(|s| s.examples.last_mut())
                .map(|e| e.table.get_or_insert_with(empty_table))
        } else if matches!(self.after, After::Step | After::StepTable) {
            self.last_step_mut()
                .map(|s| &mut **s.table.get_or_insert_with(|| Box::new(empty_table())))
        } else {
            None
        };
        let Some(table) = table else {
            return Err(ParseError::new(
                line,
                column,
                "table row outside a step or `Examples:`",
                self.misspelling_hint(
                    "a data table goes directly under a step or an `Examples:` line",
                ),
            ));
        };
        if let Some(first) = table.rows.first()
            && first.cells.len() != row.cells.len()
        {
            return Err(ParseError::new(
                line,
                column,
                format!(
                    "table row has {} cells but the first row has {}",
                    row.cells.len(),
                    first.cells.len()
                ),
                "give every row of the table the same number of `|`-separated cells",
            ));
        }
        table.rows.push(row);
        if !in_examples {
            self.after = After::StepTable;
        }
        Ok(())
    }

    fn open_doc(
        &mut self,
        fence: Fence,
        rest: &str,
        line: usize,
        column: usize,
    ) -> Result<(), ParseError> {
        if self.after != After::Step {
            return Err(ParseError::new(
                line,
                column,
                "doc string must directly follow a step",
                format!(
                    "put the opening `{}` right under its step; a step cannot have both a table and a doc string",
                    fence.marker()
                ),
            ));
        }
        let media_type = rest.trim();
        self.doc = Some(OpenDocString {
            fence,
            indent: column - 1,
            line,
            column,
            media_type: (!media_type.is_empty()).then(|| media_type.to_string()),
            content: String::new(),
            lines: 0,
        });
        self.description_open = false;
        Ok(())
    }

    fn close_doc(&mut self, doc: OpenDocString) {
        let docstring = DocString {
            content: doc.content,
            media_type: doc.media_type,
            line: doc.line,
        };
        // A doc string is only opened directly after a step, so the step is
        // always there.
        if let Some(step) = self.last_step_mut() {
            step.docstring = Some(Box::new(docstring));
        }
        self.after = After::Other;
    }

    /// Handles a line that is not a keyword, step, table row or doc string.
    fn other(&mut self, text: &str, line: usize, column: usize) -> Result<(), ParseError> {
        if !self.description_open {
            return Err(ParseError::new(
                line,
                column,
                format!("unexpected text {}", quote(text)),
                keyword_hint(text).unwrap_or_else(|| STEP_HINT.to_string()),
            ));
        }
        if self.section == Section::Feature
            && let Some(feature) = self.feature.as_mut()
        {
            if !feature.description.is_empty() {
                for _ in 0..=self.blank_description_lines {
                    feature.description.push('\n');
                }
            }
            feature.description.push_str(text);
            self.blank_description_lines = 0;
        }
        // Only lines shaped like `Word:` or `Two words:` are worth checking;
        // ordinary prose rarely is, and the check is skipped for it.
        if self.misspelling.is_none()
            && text
                .split_once(':')
                .is_some_and(|(head, _)| head.split_whitespace().count() <= 2)
            && let Some(hint) = keyword_hint(text)
        {
            self.misspelling = Some(Misspelling {
                line,
                text: text.to_string(),
                hint,
            });
        }
        Ok(())
    }

    fn finish(self) -> Result<Feature, ParseError> {
        if let Some(doc) = &self.doc {
            return Err(ParseError::new(
                doc.line,
                doc.column,
                "doc string opened here is never closed",
                format!(
                    "add a closing `{}` line after the doc string",
                    doc.fence.marker()
                ),
            ));
        }
        if let Some(first) = self.pending_tags.first() {
            return Err(dangling_tags(first, None));
        }
        let mut feature = self.feature.ok_or_else(missing_feature)?;
        if let Some(last) = feature.scenarios.last_mut() {
            last.steps.shrink_to_fit();
        }
        Ok(feature)
    }

    /// The hint for a line that is out of place, which is often caused by
    /// a misspelled keyword a few lines earlier that was read as description.
    fn misspelling_hint(&self, fallback: &str) -> String {
        match &self.misspelling {
            Some(m) => format!(
                "line {} {} looks like a misspelled keyword: {}",
                m.line,
                quote(&m.text),
                m.hint
            ),
            None => fallback.to_string(),
        }
    }

    /// The step list that a step line adds to, if the section has one.
    fn steps_mut(&mut self) -> Option<&mut Vec<Step>> {
        let feature = self.feature.as_mut()?;
        match self.section {
            Section::Background => match feature.rules.last_mut() {
                Some(rule) => rule.background.as_mut(),
                None => feature.background.as_mut(),
            }
            .map(|background| &mut background.steps),
            Section::Scenario => scenarios_mut(feature)
                .last_mut()
                .map(|scenario| &mut scenario.steps),
            _ => None,
        }
    }

    fn last_step_mut(&mut self) -> Option<&mut Step> {
        self.steps_mut()?.last_mut()
    }

    fn hand_over(&mut self, visit: &mut impl FnMut(&Feature, Option<&Rule>, Scenario), all: bool) {
        if let Some(feature) = self.feature.as_mut() {
            hand_over_from(feature, visit, all);
        }
    }
}

/// The list new scenarios go to: the last rule's once a rule has started,
/// because Gherkin has no way to leave a rule again.
fn scenarios_mut(feature: &mut Feature) -> &mut Vec<Scenario> {
    match feature.rules.last_mut() {
        Some(rule) => &mut rule.scenarios,
        None => &mut feature.scenarios,
    }
}

fn empty_table() -> Table {
    Table { rows: Vec::new() }
}

fn missing_feature() -> ParseError {
    ParseError::new(
        1,
        1,
        "the file has no `Feature:`",
        "a feature file starts with `Feature: <name>`",
    )
}

/// The error for tags that are not followed by something that can carry
/// them; `found` is the offending line, or `None` at the end of the file.
fn dangling_tags(first: &Tag, found: Option<(usize, &str)>) -> ParseError {
    let hint = match found {
        Some((line, text)) => format!(
            "line {line} has {} instead; remove the tags or move them above a scenario",
            quote(text)
        ),
        None => {
            "the file ends after the tags; remove them or add a scenario below them".to_string()
        }
    };
    ParseError::new(
        first.line,
        first.column,
        "tags must be followed by `Feature:`, `Rule:`, `Scenario:` or `Examples:`",
        hint,
    )
}

/// Rejects a `# language:` header for anything but English, because only
/// the English keywords are implemented.
fn check_language(comment: &str, line: usize, column: usize) -> Result<(), ParseError> {
    let Some(value) = comment
        .trim_start()
        .strip_prefix("language")
        .and_then(|rest| rest.trim_start().strip_prefix(':'))
        .map(str::trim)
    else {
        return Ok(());
    };
    if value.is_empty() || value.contains(char::is_whitespace) || value.eq_ignore_ascii_case("en") {
        return Ok(());
    }
    Err(ParseError::new(
        line,
        column,
        format!("only English Gherkin keywords are supported (found language `{value}`)"),
        "remove the `# language:` line and write the keywords in English",
    ))
}

/// Reads the `@tag` words of a tag line; `column` is where `text` starts.
fn parse_tags(text: &str, line: usize, column: usize) -> Result<Vec<Tag>, ParseError> {
    let mut tags = Vec::new();
    for (offset, word) in words(text) {
        let column = column + offset;
        if word.starts_with('#') {
            break;
        }
        match word.strip_prefix('@') {
            Some("") => {
                return Err(ParseError::new(
                    line,
                    column,
                    "a tag needs a name after `@`",
                    "write the tag as `@name`, or remove the lone `@`",
                ));
            }
            Some(name) => tags.push(Tag {
                name: name.to_string(),
                line,
                column,
            }),
            None => {
                return Err(ParseError::new(
                    line,
                    column,
                    format!("{} is not a tag", quote(word)),
                    "every word on a tag line must start with `@`; start a comment with ` #`",
                ));
            }
        }
    }
    Ok(tags)
}

/// Splits `text` at whitespace, giving each word with its offset in
/// characters from the start of `text`.
fn words(text: &str) -> Vec<(usize, &str)> {
    let mut words = Vec::new();
    let mut start: Option<(usize, usize)> = None;
    for (offset, (byte, c)) in text.char_indices().enumerate() {
        if c.is_whitespace() {
            if let Some((first_byte, first_offset)) = start.take()
                && let Some(word) = text.get(first_byte..byte)
            {
                words.push((first_offset, word));
            }
        } else if start.is_none() {
            start = Some((byte, offset));
        }
    }
    if let Some((first_byte, first_offset)) = start
        && let Some(word) = text.get(first_byte..)
    {
        words.push((first_offset, word));
    }
    words
}

/// Reads one `| a | b |` table row. Cells are trimmed of the whitespace
/// written around them, but not of whitespace produced by an escape such as
/// `\n`, since that was asked for explicitly.
fn parse_row(text: &str, line: usize, column: usize) -> Result<TableRow, ParseError> {
    let mut cells = Vec::new();
    let mut cell = String::new();
    // The length of `cell` up to its last character that trimming keeps.
    let mut keep = 0;
    let mut chars = text.strip_prefix('|').unwrap_or(text).chars();
    while let Some(c) = chars.next() {
        match c {
            '|' => {
                cell.truncate(keep);
                cells.push(std::mem::take(&mut cell));
                keep = 0;
            }
            '\\' => {
                match chars.next() {
                    Some('|') => cell.push('|'),
                    Some('\\') => cell.push('\\'),
                    Some('n') => cell.push('\n'),
                    Some(other) => {
                        cell.push('\\');
                        cell.push(other);
                    }
                    None => cell.push('\\'),
                }
                keep = cell.len();
            }
            c if c.is_whitespace() => {
                if !cell.is_empty() {
                    cell.push(c);
                }
            }
            c => {
                cell.push(c);
                keep = cell.len();
            }
        }
    }
    if !cell.is_empty() {
        return Err(ParseError::new(
            line,
            column,
            "table row does not end with `|`",
            "close the row with `|`, and write `\\|` for a pipe inside a cell",
        ));
    }
    Ok(TableRow { cells, line })
}

/// Everyday words one edit away from a short step keyword. A line such as
/// `the user logs in` more likely lacks its keyword than misspells `Then`,
/// so these never produce a suggestion.
const ENGLISH_WORDS: [&str; 8] = ["the", "they", "them", "than", "an", "as", "at", "end"];

/// Suggests the keyword a line probably meant, for lines such as
/// `Sceanrio: Foo`, `Givne the user` or `Given: the user`. Returns `None`
/// when no keyword is close enough to be a plausible typo.
fn keyword_hint(text: &str) -> Option<String> {
    let (heads, colon) = match text.split_once(':') {
        Some((head, _)) if head.split_whitespace().count() <= 2 => {
            (vec![head.trim_end().to_string()], true)
        }
        _ => {
            let mut words = text.split_whitespace();
            let first = words.next()?;
            let mut heads = Vec::new();
            // The two-word form comes first so that `Scenario Outline x`
            // suggests `Scenario Outline:` rather than `Scenario:`.
            if let Some(second) = words.next() {
                heads.push(format!("{first} {second}"));
            }
            heads.push(first.to_string());
            (heads, false)
        }
    };
    let candidates = BLOCK_KEYWORDS
        .iter()
        .map(|(keyword, _)| (*keyword, true))
        .chain(
            STEP_KEYWORDS
                .iter()
                .filter(|(keyword, _)| *keyword != "*")
                .map(|(keyword, _)| (*keyword, false)),
        );
    let mut best: Option<(usize, &str, bool, &str)> = None;
    for (keyword, is_block) in candidates {
        let allowed = if char_count(keyword) <= 4 { 1 } else { 2 };
        for head in &heads {
            if ENGLISH_WORDS.contains(&head.to_lowercase().as_str()) {
                continue;
            }
            let distance = edit_distance(&head.to_lowercase(), &keyword.to_lowercase());
            if distance <= allowed && best.is_none_or(|(d, ..)| distance < d) {
                best = Some((distance, keyword, is_block, head));
            }
        }
    }
    let (distance, keyword, is_block, head) = best?;
    let shown = if is_block {
        format!("`{keyword}:`")
    } else {
        format!("`{keyword}`")
    };
    let hint = match (head == keyword, is_block, colon) {
        (true, true, true) => format!("remove the space before the colon, as in {shown}"),
        (true, true, false) => format!("did you mean {shown}? a keyword must be followed by `:`"),
        (true, false, true) => format!(
            "a step keyword is followed by a space and the step text, as in `{keyword} <text>`, not by `:`"
        ),
        _ if distance == 0 => format!("did you mean {shown}? keywords are case-sensitive"),
        _ => format!("did you mean {shown}?"),
    };
    Some(hint)
}

/// The optimal-string-alignment distance: insertions, deletions,
/// substitutions and swaps of neighbouring characters each cost one, so
/// `Sceanrio` is one edit away from `Scenario`.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Out-of-range cells count as unreachable rather than panicking.
    let at = |row: &[usize], j: usize| row.get(j).copied().unwrap_or(usize::MAX / 2);
    let mut before: Vec<usize> = Vec::new();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, &ca) in a.iter().enumerate() {
        let mut current = Vec::with_capacity(b.len() + 1);
        current.push(i + 1);
        for (j, &cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let mut best = (at(&previous, j) + cost)
                .min(at(&previous, j + 1) + 1)
                .min(at(&current, j) + 1);
            let swapped = i > 0 && j > 0 && a.get(i - 1) == Some(&cb) && b.get(j - 1) == Some(&ca);
            if swapped {
                best = best.min(at(&before, j - 1) + 1);
            }
            current.push(best);
        }
        before = std::mem::replace(&mut previous, current);
    }
    at(&previous, b.len())
}

/// Quotes a line for an error message, shortening very long lines so the
/// message stays readable.
fn quote(text: &str) -> String {
    const LIMIT: usize = 60;
    match text.char_indices().nth(LIMIT) {
        Some((cut, _)) => format!("`{}...`", text.get(..cut).unwrap_or(text)),
        None => format!("`{text}`"),
    }
}

fn char_count(text: &str) -> usize {
    text.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(source: &str) -> ParseError {
        parse(source).unwrap_err()
    }

    fn hint(error: &ParseError) -> &str {
        error.hint.as_deref().unwrap()
    }

    const ZATO: &str = r#"Feature: Employee API
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

    #[test]
    fn parses_the_zato_example() {
        let feature = parse(ZATO).unwrap();
        assert_eq!(feature.keyword, "Feature");
        assert_eq!(feature.name, "Employee API");
        assert_eq!(feature.line, 1);
        assert_eq!(feature.description, "");
        assert_eq!(feature.scenarios.len(), 1);
        let scenario = &feature.scenarios[0];
        assert_eq!(scenario.keyword, "Scenario");
        assert_eq!(scenario.name, "*** Get Employee API ***");
        assert_eq!(scenario.line, 2);
        assert_eq!(scenario.steps.len(), 10);
        let first = &scenario.steps[0];
        assert_eq!(first.keyword, "Given");
        assert_eq!(first.kind, StepKind::Given);
        assert_eq!(first.text, r#"address "http://localhost:17010""#);
        assert_eq!((first.line, first.column, first.text_column), (3, 5, 11));
        let when = &scenario.steps[3];
        assert_eq!(
            (when.kind, when.text.as_str()),
            (StepKind::When, "the URL is invoked")
        );
        let last = &scenario.steps[9];
        assert_eq!(last.keyword, "And");
        assert_eq!(last.kind, StepKind::Then);
        assert_eq!(last.text, r#"path "/data/department" is "HR""#);
        assert_eq!((last.line, last.column, last.text_column), (12, 5, 9));
    }

    #[test]
    fn collects_the_feature_description_and_tags() {
        let source = "\
# a comment before everything
@api @smoke # trailing comment
@slow
Feature:   Accounts  
  As a client
     I want accounts

  # a comment inside the description

  So that I can bill

  Scenario: one
    Given a
";
        let feature = parse(source).unwrap();
        assert_eq!(feature.name, "Accounts");
        assert_eq!(feature.line, 4);
        assert_eq!(
            feature.description,
            "As a client\nI want accounts\n\n\nSo that I can bill"
        );
        let tags: Vec<_> = feature
            .tags
            .iter()
            .map(|t| (t.name.as_str(), t.line, t.column))
            .collect();
        assert_eq!(tags, [("api", 2, 1), ("smoke", 2, 6), ("slow", 3, 1)]);
    }

    #[test]
    fn accepts_the_other_feature_keywords() {
        assert_eq!(parse("Ability: x").unwrap().keyword, "Ability");
        assert_eq!(parse("Business Need: x").unwrap().keyword, "Business Need");
        let feature = parse("Feature:").unwrap();
        assert_eq!(feature.name, "");
    }

    #[test]
    fn rejects_an_empty_file() {
        for source in ["", "\n\n", "# just a comment\n   \n# another\n"] {
            let e = error(source);
            assert_eq!((e.line, e.column), (1, 1));
            assert_eq!(e.message, "the file has no `Feature:`");
            assert_eq!(hint(&e), "a feature file starts with `Feature: <name>`");
        }
    }

    #[test]
    fn rejects_content_before_the_feature() {
        let e = error("# comment\n  Scenario: x\nFeature: y\n");
        assert_eq!((e.line, e.column), (2, 3));
        assert_eq!(e.message, "unexpected text `Scenario: x` before `Feature:`");
        assert!(hint(&e).starts_with("a feature file starts with"), "{e:?}");

        let e = error("Given a step\n");
        assert_eq!(
            e.message,
            "unexpected text `Given a step` before `Feature:`"
        );

        let e = error("hello\nFeature: y\n");
        assert_eq!((e.line, e.column), (1, 1));
        assert!(hint(&e).starts_with("a feature file starts with"), "{e:?}");

        let e = error("Featuer: y\n");
        assert_eq!(hint(&e), "did you mean `Feature:`?");
    }

    #[test]
    fn rejects_a_second_feature() {
        let e = error("Feature: a\n  Scenario: s\n    Given x\n @t\n Feature: b\n");
        assert_eq!((e.line, e.column), (5, 2));
        assert_eq!(e.message, "a file can contain only one `Feature:`");
        assert!(hint(&e).contains("own"));
    }

    #[test]
    fn accepts_english_and_rejects_other_languages() {
        let feature = parse("# language: en\nFeature: x\n").unwrap();
        assert_eq!(feature.line, 2);
        parse("#language:EN\nFeature: x\n").unwrap();
        let e = error("\n  # language: fr\nFonctionnalité: x\n");
        assert_eq!((e.line, e.column), (2, 3));
        assert_eq!(
            e.message,
            "only English Gherkin keywords are supported (found language `fr`)"
        );
        assert!(hint(&e).contains("English"));
        // After the feature line it is an ordinary comment.
        parse("Feature: x\n# language: fr\n").unwrap();
    }

    #[test]
    fn attaches_tags_to_rules_scenarios_and_examples() {
        let source = "\
Feature: f
  @rule-tag
  Rule: r
    @s1 @s2
    Scenario Outline: o
      Given <x>
      @ex
      Examples: first
        | x |
        | 1 |
";
        let feature = parse(source).unwrap();
        let rule = &feature.rules[0];
        assert_eq!(rule.tags[0].name, "rule-tag");
        assert_eq!((rule.tags[0].line, rule.tags[0].column), (2, 3));
        let scenario = &rule.scenarios[0];
        let names: Vec<_> = scenario.tags.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["s1", "s2"]);
        assert_eq!(scenario.tags[1].column, 9);
        let examples = &scenario.examples[0];
        assert_eq!(examples.tags[0].name, "ex");
        assert_eq!(examples.name, "first");
        assert_eq!(examples.line, 8);
    }

    #[test]
    fn counts_tag_columns_in_characters() {
        let feature = parse("@é @ü\nFeature: x\n").unwrap();
        assert_eq!(feature.tags[1].column, 4);
        assert_eq!(feature.tags[1].name, "ü");
    }

    #[test]
    fn rejects_bad_tags() {
        let e = error("Feature: f\n  @ok @ x\n  Scenario: s\n");
        assert_eq!((e.line, e.column), (2, 7));
        assert_eq!(e.message, "a tag needs a name after `@`");

        let e = error("Feature: f\n  @ok word\n  Scenario: s\n");
        assert_eq!((e.line, e.column), (2, 7));
        assert_eq!(e.message, "`word` is not a tag");
    }

    #[test]
    fn rejects_tags_that_precede_no_taggable_line() {
        let e = error("Feature: f\n  Scenario: s\n    @wip\n    Given x\n");
        assert_eq!((e.line, e.column), (3, 5));
        assert_eq!(
            e.message,
            "tags must be followed by `Feature:`, `Rule:`, `Scenario:` or `Examples:`"
        );
        assert!(
            hint(&e).starts_with("line 4 has `Given x` instead"),
            "{e:?}"
        );

        let e = error("Feature: f\n  @a\n  Background:\n    Given x\n");
        assert_eq!((e.line, e.column), (2, 3));
        assert!(e.message.starts_with("tags must be followed by"));

        let e = error("Feature: f\n  Scenario: s\n    Given x\n  @orphan\n\n# end\n");
        assert_eq!((e.line, e.column), (4, 3));
        assert!(hint(&e).starts_with("the file ends after the tags"));

        let e = error("@only\n");
        assert_eq!((e.line, e.column), (1, 1));
    }

    #[test]
    fn parses_backgrounds_of_features_and_rules() {
        let source = "\
Feature: f
  Background: setup
    Given a
  Scenario: s
    When b
  Rule: r
    Background:
      Given c
    Example: e
      Then d
";
        let feature = parse(source).unwrap();
        let background = feature.background.as_ref().unwrap();
        assert_eq!(background.keyword, "Background");
        assert_eq!(background.name, "setup");
        assert_eq!(background.line, 2);
        assert_eq!(background.steps[0].text, "a");
        let rule = &feature.rules[0];
        assert_eq!(rule.name, "r");
        assert_eq!(rule.line, 6);
        assert_eq!(rule.background.as_ref().unwrap().steps[0].text, "c");
        assert_eq!(rule.scenarios[0].keyword, "Example");
        assert_eq!(rule.scenarios[0].steps[0].text, "d");
        assert_eq!(feature.scenarios.len(), 1);
    }

    #[test]
    fn rejects_misplaced_backgrounds() {
        let e = error("Feature: f\n  Scenario: s\n    Given a\n  Background:\n    Given b\n");
        assert_eq!((e.line, e.column), (4, 3));
        assert_eq!(
            e.message,
            "`Background:` must come before the first scenario of the feature"
        );

        let e = error("Feature: f\n  Background:\n    Given a\n  Background:\n");
        assert_eq!(e.line, 4);
        assert_eq!(e.message, "a feature can have only one `Background:`");

        let e = error("Feature: f\n  Rule: r\n    Scenario: s\n      Given a\n    Background:\n");
        assert_eq!(e.line, 5);
        assert_eq!(
            e.message,
            "`Background:` must come before the first scenario of the rule"
        );

        let e = error("Feature: f\n  Rule: r\n    Background:\n    Background:\n");
        assert_eq!(e.message, "a rule can have only one `Background:`");
    }

    #[test]
    fn recognises_every_scenario_keyword() {
        let source = "\
Feature: f
  Scenario: a
  Example: b
  Scenario Outline: c
  Scenario Template: d
";
        let feature = parse(source).unwrap();
        let keywords: Vec<_> = feature
            .scenarios
            .iter()
            .map(|s| (s.keyword.as_str(), s.name.as_str(), s.line))
            .collect();
        assert_eq!(
            keywords,
            [
                ("Scenario", "a", 2),
                ("Example", "b", 3),
                ("Scenario Outline", "c", 4),
                ("Scenario Template", "d", 5)
            ]
        );
    }

    #[test]
    fn parses_examples_sections() {
        let source = "\
Feature: f
  Scenario Outline: o
    Given <a>
    Examples: with table
      Some description
      | a |
      # comment between rows

      | 1 |
    Scenarios:
    Examples: header only
      | a |
  Scenario: plain with examples
    Given x
    Examples:
      | b |
      | 2 |
";
        let feature = parse(source).unwrap();
        let outline = &feature.scenarios[0];
        assert_eq!(outline.examples.len(), 3);
        let first = &outline.examples[0];
        assert_eq!(first.keyword, "Examples");
        let rows = &first.table.as_ref().unwrap().rows;
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[1].cells[0].as_str(), rows[1].line), ("1", 9));
        assert_eq!(outline.examples[1].keyword, "Scenarios");
        assert_eq!(outline.examples[1].table, None);
        assert_eq!(outline.examples[2].table.as_ref().unwrap().rows.len(), 1);
        assert_eq!(feature.scenarios[1].examples.len(), 1);
    }

    #[test]
    fn rejects_examples_outside_a_scenario() {
        let e = error("Feature: f\n  Examples:\n    | a |\n");
        assert_eq!((e.line, e.column), (2, 3));
        assert_eq!(e.message, "`Examples:` must belong to a scenario");

        let e = error("Feature: f\n  Background:\n    Given a\n  Scenarios:\n");
        assert_eq!(e.message, "`Scenarios:` must belong to a scenario");
    }

    #[test]
    fn resolves_step_kinds() {
        let source = "\
Feature: f
  Scenario: s
    * first star
    And an and
    When w
    But a but
    * a star
    Then t
    And more
  Scenario: t
    But starts with but
";
        let feature = parse(source).unwrap();
        let kinds: Vec<_> = feature.scenarios[0]
            .steps
            .iter()
            .map(|s| (s.keyword, s.kind))
            .collect();
        assert_eq!(
            kinds,
            [
                ("*", StepKind::Given),
                ("And", StepKind::Given),
                ("When", StepKind::When),
                ("But", StepKind::When),
                ("*", StepKind::When),
                ("Then", StepKind::Then),
                ("And", StepKind::Then)
            ]
        );
        // Kind resolution starts over in every scenario.
        assert_eq!(feature.scenarios[1].steps[0].kind, StepKind::Given);
    }

    #[test]
    fn measures_step_columns_in_characters() {
        let source =
            "Feature: f\n  Scenario: s\n\tGiven   spaced text   \n  * é\n  Then ünïcode é\n";
        let feature = parse(source).unwrap();
        let steps = &feature.scenarios[0].steps;
        assert_eq!(steps[0].text, "spaced text");
        assert_eq!((steps[0].column, steps[0].text_column), (2, 10));
        assert_eq!((steps[1].column, steps[1].text_column), (3, 5));
        assert_eq!(steps[2].text, "ünïcode é");
        assert_eq!((steps[2].column, steps[2].text_column), (3, 8));
    }

    #[test]
    fn rejects_steps_without_text() {
        let e = error("Feature: f\n  Scenario: s\n    Given   \n");
        assert_eq!((e.line, e.column), (3, 5));
        assert_eq!(e.message, "step has no text");
        assert_eq!(hint(&e), "write the step as `Given <text>`");

        let e = error("Feature: f\n  Scenario: s\n    Given a\n    *\n");
        assert_eq!((e.line, e.column), (4, 5));
        assert_eq!(hint(&e), "write the step as `* <text>`");
    }

    #[test]
    fn rejects_a_step_keyword_followed_by_a_colon() {
        let e = error("Feature: f\n  Scenario: s\n    Given a\n    Given: b\n");
        assert_eq!((e.line, e.column), (4, 5));
        assert_eq!(e.message, "unexpected text `Given: b`");
        assert!(hint(&e).starts_with("a step keyword is followed by a space"));
    }

    #[test]
    fn rejects_steps_outside_a_scenario() {
        let e = error("Feature: f\n  Given a\n");
        assert_eq!((e.line, e.column), (2, 3));
        assert_eq!(e.message, "step outside a scenario");
        assert_eq!(hint(&e), "add a `Scenario: <name>` line before the steps");

        let e = error("Feature: f\n  Rule: r\n    When a\n");
        assert_eq!((e.line, e.column), (3, 5));
        assert_eq!(e.message, "step outside a scenario");

        // A misspelled scenario line reads as description; the error for the
        // step that follows points at it.
        let e = error("Feature: f\n  Sceanrio: Foo\n    Given a\n");
        assert_eq!((e.line, e.column), (3, 5));
        assert_eq!(
            hint(&e),
            "line 2 `Sceanrio: Foo` looks like a misspelled keyword: did you mean `Scenario:`?"
        );
    }

    #[test]
    fn rejects_steps_after_examples() {
        let e = error(
            "Feature: f\n  Scenario: s\n    Given a\n    Examples:\n      | a |\n    Then b\n",
        );
        assert_eq!((e.line, e.column), (6, 5));
        assert_eq!(e.message, "step after `Examples:`");
    }

    #[test]
    fn ignores_descriptions_of_other_blocks() {
        let source = "\
Feature: f
  Rule: r
    rule description
  Background: b
    background description
    Given a
  Scenario: s
    This scenario has a description
    spanning: several lines
    Given b
";
        let feature = parse(source).unwrap();
        let rule = &feature.rules[0];
        assert_eq!(rule.background.as_ref().unwrap().steps.len(), 1);
        assert_eq!(rule.scenarios[0].steps.len(), 1);
        assert_eq!(feature.description, "");
    }

    #[test]
    fn rejects_text_after_steps() {
        let e = error("Feature: f\n  Scenario: s\n    Given a\n    the user logs in\n");
        assert_eq!((e.line, e.column), (4, 5));
        assert_eq!(e.message, "unexpected text `the user logs in`");
        assert_eq!(hint(&e), STEP_HINT);

        let e = error("Feature: f\n  Scenario: s\n    Given a\n    The user logs in\n");
        assert_eq!(hint(&e), STEP_HINT);
    }

    #[test]
    fn suggests_the_closest_keyword() {
        let e = error("Feature: f\n  Scenario: s\n    Given a\n  Sceanrio: Foo\n    Given b\n");
        assert_eq!((e.line, e.column), (4, 3));
        assert_eq!(e.message, "unexpected text `Sceanrio: Foo`");
        assert_eq!(hint(&e), "did you mean `Scenario:`?");

        let cases = [
            ("Givne the user", "did you mean `Given`?"),
            ("Whne it runs", "did you mean `When`?"),
            ("Scenario Outlin: o", "did you mean `Scenario Outline:`?"),
            ("Exmaples:", "did you mean `Examples:`?"),
            ("Bakground:", "did you mean `Background:`?"),
            (
                "scenario: lower",
                "did you mean `Scenario:`? keywords are case-sensitive",
            ),
            (
                "Scenario Outline without colon",
                "did you mean `Scenario Outline:`? a keyword must be followed by `:`",
            ),
            (
                "Scenario : spaced",
                "remove the space before the colon, as in `Scenario:`",
            ),
        ];
        for (line, expected) in cases {
            let source = format!("Feature: f\n  Scenario: s\n    Given a\n  {line}\n");
            let e = error(&source);
            assert_eq!(e.message, format!("unexpected text `{line}`"));
            assert_eq!(hint(&e), expected, "for {line:?}");
        }
    }

    #[test]
    fn computes_edit_distances() {
        assert_eq!(edit_distance("scenario", "scenario"), 0);
        assert_eq!(edit_distance("sceanrio", "scenario"), 1);
        assert_eq!(edit_distance("scenari", "scenario"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "and"), 3);
        assert_eq!(edit_distance("abc", ""), 3);
        assert_eq!(edit_distance("ca", "abc"), 3);
    }

    #[test]
    fn parses_data_tables() {
        let source = "\
Feature: f
  Scenario: s
    Given users
      |  name  | note            |
      | a\\|b   | back\\\\slash    |
      | x      | line\\nbreak     |
      |        | \\q kept         |
      # a comment inside the table

      | last   | \\n |
    When run
";
        let feature = parse(source).unwrap();
        let table = feature.scenarios[0].steps[0].table.as_ref().unwrap();
        let cells: Vec<Vec<&str>> = table
            .rows
            .iter()
            .map(|r| r.cells.iter().map(String::as_str).collect())
            .collect();
        assert_eq!(
            cells,
            [
                vec!["name", "note"],
                vec!["a|b", "back\\slash"],
                vec!["x", "line\nbreak"],
                vec!["", "\\q kept"],
                vec!["last", "\n"],
            ]
        );
        let lines: Vec<_> = table.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [4, 5, 6, 7, 10]);
        assert_eq!(feature.scenarios[0].steps[1].table, None);
    }

    #[test]
    fn rejects_ragged_tables() {
        let e = error("Feature: f\n  Scenario: s\n    Given t\n      | a | b |\n       | 1 |\n");
        assert_eq!((e.line, e.column), (5, 8));
        assert_eq!(e.message, "table row has 1 cells but the first row has 2");

        let e = error(
            "Feature: f\n  Scenario Outline: s\n    Given t\n    Examples:\n      | a |\n      | 1 | 2 |\n",
        );
        assert_eq!((e.line, e.column), (6, 7));
        assert_eq!(e.message, "table row has 2 cells but the first row has 1");
    }

    #[test]
    fn rejects_misplaced_or_unclosed_rows() {
        let e = error("Feature: f\n  Scenario: s\n    | a |\n");
        assert_eq!((e.line, e.column), (3, 5));
        assert_eq!(e.message, "table row outside a step or `Examples:`");

        let e = error("Feature: f\n  | a |\n");
        assert_eq!(e.message, "table row outside a step or `Examples:`");

        let e = error("Feature: f\n  Scenario: s\n    Exmaples:\n      | a |\n");
        assert_eq!((e.line, e.column), (4, 7));
        assert_eq!(
            hint(&e),
            "line 3 `Exmaples:` looks like a misspelled keyword: did you mean `Examples:`?"
        );

        let e = error("Feature: f\n  Scenario: s\n    Given a\n      | a | b\n");
        assert_eq!((e.line, e.column), (4, 7));
        assert_eq!(e.message, "table row does not end with `|`");
    }

    #[test]
    fn parses_doc_strings() {
        let source = "Feature: f
  Scenario: s
    Given a body
      \"\"\"json
      {
        \"a\": 1,

      # not a comment
   less indented
      \\\"\\\"\\\" escaped
      ```
      \"\"\"
    When another
      ```  text/plain  
      plain \\`\\`\\`
      \"\"\"
      ```
    Then an empty one
      \"\"\"
      \"\"\"
";
        let feature = parse(source).unwrap();
        let steps = &feature.scenarios[0].steps;
        let first = steps[0].docstring.as_ref().unwrap();
        assert_eq!(first.media_type.as_deref(), Some("json"));
        assert_eq!(first.line, 4);
        assert_eq!(
            first.content,
            "{\n  \"a\": 1,\n\n# not a comment\nless indented\n\"\"\" escaped\n```"
        );
        let second = steps[1].docstring.as_ref().unwrap();
        assert_eq!(second.media_type.as_deref(), Some("text/plain"));
        assert_eq!(second.content, "plain ```\n\"\"\"");
        let third = steps[2].docstring.as_ref().unwrap();
        assert_eq!(
            (third.content.as_str(), third.media_type.as_ref()),
            ("", None)
        );
    }

    #[test]
    fn rejects_unclosed_and_misplaced_doc_strings() {
        let e = error("Feature: f\n  Scenario: s\n    Given a\n      \"\"\"\n      text\n");
        assert_eq!((e.line, e.column), (4, 7));
        assert_eq!(e.message, "doc string opened here is never closed");
        assert_eq!(hint(&e), "add a closing `\"\"\"` line after the doc string");

        let e = error("Feature: f\n  Scenario: s\n    ```\n    ```\n");
        assert_eq!((e.line, e.column), (3, 5));
        assert_eq!(e.message, "doc string must directly follow a step");

        let e = error(
            "Feature: f\n  Scenario: s\n    Given a\n      | x |\n      \"\"\"\n      \"\"\"\n",
        );
        assert_eq!(e.line, 5);
        assert_eq!(e.message, "doc string must directly follow a step");

        let e = error(
            "Feature: f\n  Scenario: s\n    Given a\n      \"\"\"\n      \"\"\"\n      | x |\n",
        );
        assert_eq!(e.line, 6);
        assert_eq!(e.message, "table row outside a step or `Examples:`");
    }

    #[test]
    fn handles_crlf_line_endings() {
        let lf = "Feature: f\n  Desc\n  Scenario: s\n    Given a\n      \"\"\"\n      x\n      y\n      \"\"\"\n    Then t\n      | a |\n";
        let crlf = lf.replace('\n', "\r\n");
        assert_eq!(parse(&crlf).unwrap(), parse(lf).unwrap());
        let feature = parse(&crlf).unwrap();
        assert_eq!(
            feature.scenarios[0].steps[0]
                .docstring
                .as_ref()
                .unwrap()
                .content,
            "x\ny"
        );
        assert_eq!(feature.description, "Desc");
    }

    #[test]
    fn skips_a_byte_order_mark() {
        let feature = parse("\u{feff}Feature: f\n").unwrap();
        assert_eq!(feature.name, "f");
        let feature = parse_bytes(b"\xEF\xBB\xBFFeature: g\n").unwrap();
        assert_eq!(feature.name, "g");
        assert_eq!(parse_bytes(b"Feature: h").unwrap().name, "h");
    }

    #[test]
    fn reports_invalid_utf8_with_its_position() {
        let e = parse_bytes(b"Feature: f\n  Scenario: \xc3\xa9t\xff\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 15));
        assert_eq!(e.message, "the file is not valid UTF-8 (invalid byte 0xff)");
        assert_eq!(hint(&e), "save the file as UTF-8");

        let e = parse_bytes(b"\xEF\xBB\xBF\xfe").unwrap_err();
        assert_eq!((e.line, e.column), (1, 1));
        assert_eq!(e.message, "the file is not valid UTF-8 (invalid byte 0xfe)");
    }

    #[test]
    fn displays_errors_without_the_hint() {
        let e = error("");
        assert_eq!(
            e.to_string(),
            "line 1, column 1: the file has no `Feature:`"
        );
        let boxed: Box<dyn std::error::Error> = Box::new(e);
        assert!(boxed.to_string().starts_with("line 1"));
    }

    #[test]
    fn quotes_long_lines_shortened() {
        let long = "x".repeat(100);
        assert_eq!(quote(&long), format!("`{}...`", "x".repeat(60)));
        assert_eq!(quote("short"), "`short`");
    }

    /// Builds a feature with `count` scenarios of six steps each, seven
    /// lines per scenario.
    pub(crate) fn big_feature(count: usize) -> String {
        let mut source = String::from("Feature: big\n");
        for i in 0..count {
            source.push_str(&format!(
                "  Scenario: scenario {i}\n    Given address \"http://localhost:17010\"\n    And URL path \"/api/{i}\"\n    When the URL is invoked\n    Then status is \"200\"\n    And path \"/meta/is_ok\" is True\n    But path \"/data/name\" is \"John\"\n"
            ));
        }
        source
    }

    #[test]
    fn parses_a_large_file() {
        let feature = parse(&big_feature(1_000)).unwrap();
        assert_eq!(feature.scenarios.len(), 1_000);
        assert_eq!(feature.scenarios[999].line, 6_995);
    }
}
