//! Turns the text of a `.feature` file into the syntax tree of [`super::ast`].
//! Gherkin is a line-based language, so the parser reads the file once, line
//! by line, and decides what each line is from its first characters and from
//! the section it is in. Every step of that is linear in the length of the
//! line, which keeps the whole parse linear in the size of the file.
//!
//! The grammar is that of the official Gherkin parsers, checked against their conformance
//! data (tests/conformance.rs): the same files are accepted, with the same pickles, and the
//! same files refused, with an error at each place theirs reports one. A line that is out of
//! place is reported and skipped, and reading goes on, so one run lists every problem of a
//! file. The messages are apitest's own: they say what is wrong and how to fix it.

use std::fmt;

use super::ast::{
    Background, DocString, Examples, Feature, Rule, Scenario, Step, StepKind, Table, TableRow, Tag,
};
use super::dialect::{self, Dialect};

/// A problem in a `.feature` file, located by 1-based line and character
/// column. Column 0 means the end of the file, which has no column.
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
        if self.column == 0 {
            write!(f, "line {} (end of file): {}", self.line, self.message)
        } else {
            write!(
                f,
                "line {}, column {}: {}",
                self.line, self.column, self.message
            )
        }
    }
}

impl std::error::Error for ParseError {}

/// The hint for a line that is neither a keyword, a step, a table row nor a
/// doc string, when nothing more specific can be said about it.
const STEP_HINT: &str =
    "a step starts with Given, When, Then, And, But or *; did you forget the keyword?";

/// Parses a whole file held in memory as raw bytes, with every error it has. A file with no
/// `Feature:` at all (empty, or only comments) is valid and gives `None`. A leading UTF-8
/// byte order mark is skipped, and bytes that are not UTF-8 are reported with the position
/// of the first bad byte.
pub fn parse_document_bytes(bytes: &[u8]) -> Result<Option<Feature>, Vec<ParseError>> {
    parse_text(decode(bytes).map_err(|e| vec![e])?)
}

/// [`parse_document_bytes`] for text.
pub fn parse_document(source: &str) -> Result<Option<Feature>, Vec<ParseError>> {
    parse_text(source.strip_prefix('\u{feff}').unwrap_or(source))
}

/// Parses a file that must hold a feature, giving its first error: for callers (and tests)
/// that want one feature or one message.
pub fn parse_bytes(bytes: &[u8]) -> Result<Feature, ParseError> {
    first_error(parse_document_bytes(bytes))
}

/// [`parse_bytes`] for text.
pub fn parse(source: &str) -> Result<Feature, ParseError> {
    first_error(parse_document(source))
}

fn first_error(parsed: Result<Option<Feature>, Vec<ParseError>>) -> Result<Feature, ParseError> {
    match parsed {
        Ok(Some(feature)) => Ok(feature),
        Ok(None) => Err(missing_feature()),
        Err(errors) => Err(errors.into_iter().next().unwrap_or_else(missing_feature)),
    }
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

/// The parser proper, for text whose one byte order mark (if any) is already gone.
fn parse_text(source: &str) -> Result<Option<Feature>, Vec<ParseError>> {
    let mut parser = Parser::new();
    for (index, raw) in source.lines().enumerate() {
        parser.read(index + 1, raw);
    }
    parser.finish()
}

/// Parses a feature file like `parse_document_bytes`, but hands each scenario to `visit`
/// (with the feature and rule it belongs to) as soon as the next one starts, and drops it
/// from the tree: a 10,000-scenario file is never held whole. The feature returned holds
/// everything but the scenarios. On an error, the scenarios already handed over must be
/// discarded. A lone CR ends a line, as a line feed does.
pub fn parse_bytes_each(
    bytes: &[u8],
    visit: impl FnMut(&Feature, Option<&Rule>, Scenario),
) -> Result<Option<Feature>, Vec<ParseError>> {
    parse_reader_each(bytes, visit)
}

/// [`parse_bytes_each`] for a file read as it is parsed, a line at a time, so that its text
/// is never held whole: a lone CR ends a line, as a line feed does; one leading byte order
/// mark is skipped; bytes that are not UTF-8 are reported alone, as the first bad byte.
pub fn parse_reader_each(
    mut reader: impl std::io::BufRead,
    mut visit: impl FnMut(&Feature, Option<&Rule>, Scenario),
) -> Result<Option<Feature>, Vec<ParseError>> {
    let mut parser = Parser::new();
    let mut chunk = Vec::new();
    let mut number = 0;
    loop {
        chunk.clear();
        let read = reader.read_until(b'\n', &mut chunk).map_err(|e| {
            vec![ParseError::new(
                number + 1,
                1,
                format!("cannot read the file: {e}"),
                "check that the file can be read",
            )]
        })?;
        if read == 0 {
            break;
        }
        let mut body = chunk.as_slice();
        if number == 0 {
            body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
        }
        // One CR before the line feed is part of the line end; any other CR ends a line.
        let ended = body.strip_suffix(b"\n");
        body = ended.map_or(body, |b| b.strip_suffix(b"\r").unwrap_or(b));
        let mut pieces: Vec<&[u8]> = body.split(|b| *b == b'\r').collect();
        if ended.is_none() && body.ends_with(b"\r") {
            // A lone CR at the very end of the file ends its last line, as a line feed does.
            pieces.pop();
        }
        for piece in pieces {
            number += 1;
            let line = std::str::from_utf8(piece).map_err(|error| {
                let bad = utf8_error(piece, error.valid_up_to());
                vec![ParseError {
                    line: number,
                    ..bad
                }]
            })?;
            parser.read(number, line);
            parser.hand_over(&mut visit, false);
        }
    }
    let mut feature = parser.finish()?;
    if let Some(feature) = feature.as_mut() {
        hand_over_from(feature, &mut visit, true);
    }
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
/// care: both may only follow a step or the step's other argument.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum After {
    #[default]
    Other,
    /// The step line, or the end of one of its arguments.
    Step,
    /// A row of the step's data table, which further rows extend.
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
    Outline,
    Examples,
}

/// The keywords of the file's language, each list longest first so that `Scenario Outline`
/// is tried before `Scenario`.
#[derive(Debug)]
struct Keywords {
    blocks: Vec<(&'static str, Block)>,
    steps: Vec<StepKeyword>,
}

/// A step keyword, ready for matching.
#[derive(Debug)]
struct StepKeyword {
    /// The keyword without the space after it: what a step line must start with.
    bare: &'static str,
    /// Whether the language writes a space after it (`Given `); then the text must be
    /// separated from it by whitespace. Without one (`前提`) the text follows directly.
    spaced: bool,
    /// `None` for a conjunction (`And`, `But`), which takes the kind of the step before it.
    kind: Option<StepKind>,
}

/// `text` after `prefix`, compared first by their first byte: a line is tried against every
/// keyword, and nearly all of them differ there.
fn after<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    if text.as_bytes().first() != prefix.as_bytes().first() {
        return None;
    }
    text.strip_prefix(prefix)
}

/// The keywords of every language, ordered for matching once, on first use: a suite of a
/// thousand files sorts them once, not once per file.
static KEYWORDS: std::sync::LazyLock<Vec<Keywords>> =
    std::sync::LazyLock::new(|| dialect::all().iter().map(Keywords::of).collect());

impl Keywords {
    /// The keywords of `dialect`, from the table built once.
    fn cached(dialect: &'static Dialect) -> &'static Keywords {
        let index = dialect::all()
            .iter()
            .position(|d| std::ptr::eq(d, dialect))
            .unwrap_or_default();
        match KEYWORDS.get(index) {
            Some(keywords) => keywords,
            // The table is built from the same list, so every language is in it.
            None => Box::leak(Box::new(Keywords::of(dialect))),
        }
    }

    fn of(dialect: &'static Dialect) -> Keywords {
        let mut blocks: Vec<(&'static str, Block)> = [
            (dialect.feature, Block::Feature),
            (dialect.rule, Block::Rule),
            (dialect.background, Block::Background),
            (dialect.scenario_outline, Block::Outline),
            (dialect.scenario, Block::Scenario),
            (dialect.examples, Block::Examples),
        ]
        .into_iter()
        .flat_map(|(words, block)| words.iter().map(move |word| (*word, block)))
        .collect();
        blocks.sort_by_key(|(word, _)| std::cmp::Reverse(word.len()));
        // A keyword in several lists (`* ` is in all five) has no kind of its own: Gherkin
        // calls it Unknown, and it does not take the kind of the step before it either.
        let mut steps: Vec<(&'static str, Option<StepKind>)> = Vec::new();
        for (words, kind) in [
            (dialect.given, Some(StepKind::Given)),
            (dialect.when, Some(StepKind::When)),
            (dialect.then, Some(StepKind::Then)),
            (dialect.and, None),
            (dialect.but, None),
        ] {
            for word in words {
                match steps.iter_mut().find(|(seen, _)| seen == word) {
                    Some(entry) if entry.1 != kind => entry.1 = Some(StepKind::Unknown),
                    Some(_) => {}
                    None => steps.push((word, kind)),
                }
            }
        }
        steps.sort_by_key(|(word, _)| std::cmp::Reverse(word.len()));
        let steps = steps
            .into_iter()
            .map(|(word, kind)| StepKeyword {
                bare: word.trim_end(),
                spaced: word.trim_end().len() != word.len(),
                kind,
            })
            .collect();
        Keywords { blocks, steps }
    }
}

/// What a non-blank, non-comment, non-tag line is, judged by its start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Line<'a> {
    Block {
        block: Block,
        keyword: &'static str,
        name: &'a str,
    },
    Step {
        /// The keyword without the space after it.
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
fn classify<'a>(text: &'a str, keywords: &Keywords) -> Line<'a> {
    if text.starts_with('|') {
        return Line::Row;
    }
    for fence in [Fence::Quotes, Fence::Backticks] {
        if let Some(rest) = text.strip_prefix(fence.marker()) {
            return Line::Fence { fence, rest };
        }
    }
    for &(keyword, block) in &keywords.blocks {
        if let Some(rest) = after(text, keyword).and_then(|r| r.strip_prefix(':')) {
            return Line::Block {
                block,
                keyword,
                name: rest.trim(),
            };
        }
    }
    for step in &keywords.steps {
        let (bare, kind) = (step.bare, step.kind);
        // Where the language puts a space after the keyword, any whitespace will do (a tab
        // too); where it puts none (`前提`), the text follows the keyword directly.
        let Some(rest) = after(text, bare).filter(|rest| {
            !step.spaced || rest.is_empty() || rest.starts_with(char::is_whitespace)
        }) else {
            continue;
        };
        let step_text = rest.trim_start();
        if step_text.is_empty() {
            return Line::StepWithoutText { keyword: bare };
        }
        let gap = rest
            .get(..rest.len() - step_text.len())
            .map_or(0, char_count);
        return Line::Step {
            keyword: bare,
            kind,
            text: step_text,
            text_offset: char_count(bare) + gap,
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
#[derive(Debug)]
struct Parser {
    keywords: &'static Keywords,
    /// Set by a `# language:` line.
    language: Option<&'static str>,
    feature: Option<Feature>,
    section: Section,
    /// Whether free-text description lines are still allowed, which is only
    /// the case directly after a keyword line.
    description_open: bool,
    /// Blank lines seen inside the feature description and not yet written,
    /// so that trailing blank lines never reach the description.
    blank_description_lines: usize,
    after: After,
    /// The kind that `And` and `But` inherit.
    previous_kind: Option<StepKind>,
    pending_tags: Vec<Tag>,
    doc: Option<OpenDocString>,
    misspelling: Option<Misspelling>,
    /// Whether the table being read already has a row of the wrong width reported: Gherkin
    /// reports one per table.
    table_reported: bool,
    /// Every problem so far, in file order.
    errors: Vec<ParseError>,
    /// The number of the last line read, so the end of the file has a line too.
    last_line: usize,
}

impl Parser {
    fn new() -> Parser {
        Parser {
            keywords: Keywords::cached(dialect::english()),
            language: None,
            feature: None,
            section: Section::Start,
            description_open: false,
            blank_description_lines: 0,
            after: After::Other,
            previous_kind: None,
            pending_tags: Vec::new(),
            doc: None,
            misspelling: None,
            table_reported: false,
            errors: Vec::new(),
            last_line: 0,
        }
    }

    /// Reads one line; a line that is out of place is recorded as an error and skipped, as
    /// Gherkin's parsers do, so that the lines after it are still checked.
    fn read(&mut self, number: usize, raw: &str) {
        self.last_line = number;
        if let Err(error) = self.line(number, raw) {
            self.errors.push(error);
        }
    }

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
            if self.section == Section::Start
                && self.pending_tags.is_empty()
                && self.language.is_none()
                && let Some(code) = language_code(comment)
            {
                return self.set_language(code, number, column);
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

        let kind = classify(text, self.keywords);
        if !self.pending_tags.is_empty() {
            let takes_tags = matches!(
                kind,
                Line::Block {
                    block: Block::Feature
                        | Block::Rule
                        | Block::Scenario
                        | Block::Outline
                        | Block::Examples,
                    ..
                }
            );
            if !takes_tags {
                return Err(self.after_tags(number, column, text));
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
                Line::Other => keyword_hint(text, self.keywords),
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

    /// Switches to the keywords of the language `code` names.
    fn set_language(&mut self, code: &str, line: usize, column: usize) -> Result<(), ParseError> {
        let Some(found) = dialect::find(code) else {
            let hint = dialect::unknown_hint(code);
            return Err(ParseError::new(
                line,
                column,
                format!("Gherkin has no language `{code}`"),
                hint,
            ));
        };
        self.language = Some(found.code);
        self.keywords = Keywords::cached(found);
        Ok(())
    }

    /// The error for a line that cannot carry the tags above it.
    fn after_tags(&self, line: usize, column: usize, text: &str) -> ParseError {
        let tags = self.pending_tags.first().map_or(line, |tag| tag.line);
        ParseError::new(
            line,
            column,
            format!("{} cannot follow tags", quote(text)),
            format!(
                "the tags at line {tags} must be followed by `Feature:`, `Rule:`, `Scenario:` or `Examples:`; remove them or move them above one"
            ),
        )
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
                tags: std::mem::take(&mut self.pending_tags),
                line,
                column,
                language: self.language.unwrap_or("en").to_string(),
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
                    column,
                    tags: std::mem::take(&mut self.pending_tags),
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
                    column,
                    steps: Vec::new(),
                });
                self.enter(Section::Background);
            }
            Block::Scenario | Block::Outline => {
                // A finished scenario's steps never grow again; without this, growth slack
                // doubles the memory of a file with thousands of scenarios.
                if let Some(previous) = scenarios_mut(feature).last_mut() {
                    previous.steps.shrink_to_fit();
                }
                scenarios_mut(feature).push(Scenario {
                    keyword: keyword.to_string(),
                    name: name.to_string(),
                    line,
                    column,
                    outline: block == Block::Outline,
                    tags: std::mem::take(&mut self.pending_tags),
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
                    column,
                    tags: std::mem::take(&mut self.pending_tags),
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
        self.table_reported = false;
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
        let conjunction = kind.is_none();
        let kind = kind.or(self.previous_kind).unwrap_or(StepKind::Unknown);
        self.previous_kind = Some(kind);
        let step = Step {
            keyword,
            kind,
            conjunction,
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
        self.table_reported = false;
        Ok(())
    }

    fn row(&mut self, text: &str, line: usize, column: usize) -> Result<(), ParseError> {
        let row = parse_row(text, line, column);
        self.description_open = false;
        let in_examples = self.section == Section::Examples;
        let after = self.after;
        let table = if in_examples {
            self.feature
                .as_mut()
                .and_then(|f| scenarios_mut(f).last_mut())
                .and_then(|s| s.examples.last_mut())
                .map(|e| e.table.get_or_insert_with(empty_table))
        } else {
            match after {
                After::StepTable => self.last_step_mut().and_then(|s| s.table.as_deref_mut()),
                // A step takes one table: a second one after its doc string is out of place.
                After::Step => self
                    .last_step_mut()
                    .filter(|s| s.table.is_none())
                    .map(|s| &mut **s.table.get_or_insert_with(|| Box::new(empty_table()))),
                After::Other => None,
            }
        };
        let Some(table) = table else {
            let hint = if after == After::Step {
                "a step takes one data table; this one follows the step's table and doc string"
                    .to_string()
            } else {
                self.misspelling_hint(
                    "a data table goes directly under a step or an `Examples:` line",
                )
            };
            return Err(ParseError::new(
                line,
                column,
                "table row outside a step or `Examples:`",
                hint,
            ));
        };
        let width = table.rows.first().map(|first| first.cells.len());
        let cells = row.cells.len();
        let fits = width.is_none_or(|width| width == cells);
        if fits {
            table.rows.push(row);
        }
        if !in_examples {
            self.after = After::StepTable;
        }
        if fits || std::mem::replace(&mut self.table_reported, true) {
            return Ok(());
        }
        Err(ParseError::new(
            line,
            column,
            format!(
                "table row has {cells} cells but the first row has {}",
                width.unwrap_or_default()
            ),
            "give every row of the table the same number of `|`-separated cells; a cell ends at the next `|`, and `\\|` writes a pipe inside a cell",
        ))
    }

    fn open_doc(
        &mut self,
        fence: Fence,
        rest: &str,
        line: usize,
        column: usize,
    ) -> Result<(), ParseError> {
        let free = matches!(self.after, After::Step | After::StepTable)
            && self.last_step_mut().is_some_and(|s| s.docstring.is_none());
        if !free {
            return Err(ParseError::new(
                line,
                column,
                "doc string must directly follow a step",
                format!(
                    "put the opening `{}` right under its step; a step has at most one doc string",
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
            column: doc.column,
        };
        // A doc string is only opened directly after a step, so the step is
        // always there.
        if let Some(step) = self.last_step_mut() {
            step.docstring = Some(Box::new(docstring));
        }
        // The step may still take a table after its doc string.
        self.after = After::Step;
    }

    /// Handles a line that is not a keyword, step, table row or doc string.
    fn other(&mut self, text: &str, line: usize, column: usize) -> Result<(), ParseError> {
        if !self.description_open {
            return Err(ParseError::new(
                line,
                column,
                format!("unexpected text {}", quote(text)),
                keyword_hint(text, self.keywords).unwrap_or_else(|| STEP_HINT.to_string()),
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
            && let Some(hint) = keyword_hint(text, self.keywords)
        {
            self.misspelling = Some(Misspelling {
                line,
                text: text.to_string(),
                hint,
            });
        }
        Ok(())
    }

    fn finish(mut self) -> Result<Option<Feature>, Vec<ParseError>> {
        // The end of the file is the line after the last one, with no column.
        let end = self.last_line + 1;
        if let Some(doc) = &self.doc {
            self.errors.push(ParseError::new(
                end,
                0,
                format!(
                    "the file ends inside the doc string opened at line {}",
                    doc.line
                ),
                format!(
                    "add a closing `{}` line after the doc string",
                    doc.fence.marker()
                ),
            ));
        }
        if let Some(first) = self.pending_tags.first() {
            self.errors.push(ParseError::new(
                end,
                0,
                format!("the file ends after the tags at line {}", first.line),
                "remove the tags, or add the scenario they belong to below them",
            ));
        }
        if !self.errors.is_empty() {
            return Err(self.errors);
        }
        let mut feature = self.feature;
        if let Some(last) = feature.as_mut().and_then(|f| f.scenarios.last_mut()) {
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

/// The language code of a `# language: xx` comment (given without its `#`), or `None` for
/// any other comment. Codes are letters, `-` and `_`, as Gherkin's own reader takes them.
fn language_code(comment: &str) -> Option<&str> {
    let value = comment
        .trim_start()
        .strip_prefix("language")?
        .trim_start()
        .strip_prefix(':')?
        .trim();
    let valid = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphabetic() || c == '-' || c == '_');
    valid.then_some(value)
}

/// Reads the tags of a tag line; `column` is where `text` starts. As in Gherkin, a comment
/// starts at a `#` after whitespace, every `@` starts a tag (`@a@b` is two), and a tag may
/// not contain whitespace.
fn parse_tags(text: &str, line: usize, column: usize) -> Result<Vec<Tag>, ParseError> {
    let uncommented = comment_start(text).map_or(text, |cut| text.get(..cut).unwrap_or(text));
    let mut tags = Vec::new();
    let mut column = column;
    for (index, item) in uncommented.split('@').enumerate() {
        let name = item.trim_end();
        if name.is_empty() {
            // The text before the first `@` is always empty; an `@@` adds nothing either.
            if index > 0 {
                column += char_count(item) + 1;
            }
            continue;
        }
        if name.contains(char::is_whitespace) {
            return Err(ParseError::new(
                line,
                column,
                format!(
                    "a tag may not contain whitespace: {}",
                    quote(&format!("@{name}"))
                ),
                "join the words with `_` or `-`, or start each tag with `@`; a comment on a tag line starts with ` #`",
            ));
        }
        tags.push(Tag {
            name: name.to_string(),
            line,
            column,
        });
        column += char_count(item) + 1;
    }
    Ok(tags)
}

/// The byte offset of a `#` that follows whitespace: where a comment on a tag line starts.
fn comment_start(text: &str) -> Option<usize> {
    let mut previous_blank = false;
    for (byte, c) in text.char_indices() {
        if c == '#' && previous_blank {
            return Some(byte);
        }
        previous_blank = c.is_whitespace();
    }
    None
}

/// Reads one `| a | b |` table row. Cells are trimmed of the whitespace
/// written around them, but not of whitespace produced by an escape such as
/// `\n`, since that was asked for explicitly. As in Gherkin, text after the last `|` is not
/// part of the table.
fn parse_row(text: &str, line: usize, column: usize) -> TableRow {
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
                    // Any other escape is written as it is; a space after the backslash
                    // is trimmed like any other at the end of a cell, as in Gherkin.
                    Some(other) => {
                        cell.push('\\');
                        if other.is_whitespace() {
                            keep = cell.len();
                            cell.push(other);
                            continue;
                        }
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
    TableRow {
        cells,
        line,
        column,
    }
}

/// Everyday words one edit away from a short step keyword. A line such as
/// `the user logs in` more likely lacks its keyword than misspells `Then`,
/// so these never produce a suggestion.
const ENGLISH_WORDS: [&str; 8] = ["the", "they", "them", "than", "an", "as", "at", "end"];

/// Suggests the keyword a line probably meant, for lines such as
/// `Sceanrio: Foo`, `Givne the user` or `Given: the user`. Returns `None`
/// when no keyword is close enough to be a plausible typo.
fn keyword_hint(text: &str, keywords: &Keywords) -> Option<String> {
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
    let candidates = keywords
        .blocks
        .iter()
        .map(|(keyword, _)| (*keyword, true))
        .chain(
            keywords
                .steps
                .iter()
                .map(|step| (step.bare, false))
                .filter(|(keyword, _)| *keyword != "*"),
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
pub(super) fn edit_distance(a: &str, b: &str) -> usize {
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
    fn reads_the_keywords_of_the_language_the_file_names() {
        let feature = parse("# language: en\nFeature: x\n").unwrap();
        assert_eq!((feature.line, feature.language.as_str()), (2, "en"));
        let french = "\n  # language: fr\nFonctionnalité: Panier\n  Scénario: vide\n    Soit un panier\n    Lorsqu'il est vidé\n    Et que rien n'y est\n    Alors il est vide\n";
        let feature = parse(french).unwrap();
        assert_eq!(
            (feature.keyword.as_str(), feature.language.as_str()),
            ("Fonctionnalité", "fr")
        );
        let steps = &feature.scenarios[0].steps;
        let read: Vec<(&str, StepKind, &str)> = steps
            .iter()
            .map(|s| (s.keyword, s.kind, s.text.as_str()))
            .collect();
        assert_eq!(
            read,
            [
                ("Soit", StepKind::Given, "un panier"),
                ("Lorsqu'", StepKind::When, "il est vidé"),
                ("Et que", StepKind::When, "rien n'y est"),
                ("Alors", StepKind::Then, "il est vide"),
            ]
        );
        assert_eq!(steps[1].text_column, 12);
        let japanese = parse("# language: ja\n機能: 在庫\n  シナリオ: 一覧\n    前提在庫がある\n    もし 一覧を見る\n    ならば 表示される\n").unwrap();
        let steps = &japanese.scenarios[0].steps;
        assert_eq!(
            (steps[0].keyword, steps[0].text.as_str()),
            ("前提", "在庫がある")
        );
        assert_eq!(steps[2].kind, StepKind::Then);
        // English keywords mean nothing in a French file.
        let e =
            error("# language: fr\nFonctionnalité: x\n  Scénario: s\n    Soit x\n    Given y\n");
        assert_eq!((e.line, e.column), (5, 5));
        // After the feature line, or after tags, it is an ordinary comment.
        parse("Feature: x\n# language: fr\n").unwrap();
    }

    #[test]
    fn rejects_an_unknown_language_naming_close_ones() {
        let e = error("#language:EN\nFeature: x\n");
        assert_eq!((e.line, e.column), (1, 1));
        assert_eq!(e.message, "Gherkin has no language `EN`");
        assert!(hint(&e).contains("`en`"), "{e:?}");
        let e = error("# language: french\nFeature: x\n");
        assert!(hint(&e).contains("`fr`"), "{e:?}");
        // The rest of the file is still read, in English.
        let errors =
            parse_document("# language: xx\nFeature: x\n  Scenario: s\n    Given y\n").unwrap_err();
        assert_eq!(errors.len(), 1);
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
    fn reads_tags_as_gherkin_does() {
        let feature = parse("@a@b  @c #note\n@d#e\nFeature: f\n  @ok\n  Scenario: s\n").unwrap();
        let tags: Vec<(&str, usize)> = feature
            .tags
            .iter()
            .map(|t| (t.name.as_str(), t.column))
            .collect();
        assert_eq!(tags, [("a", 1), ("b", 3), ("c", 7), ("d#e", 1)]);
        let e = error("Feature: f\n  @ok @a tag with spaces\n  Scenario: s\n");
        assert_eq!((e.line, e.column), (2, 7));
        assert_eq!(
            e.message,
            "a tag may not contain whitespace: `@a tag with spaces`"
        );
    }

    #[test]
    fn rejects_tags_that_precede_no_taggable_line() {
        let e = error("Feature: f\n  Scenario: s\n    @wip\n    Given x\n");
        assert_eq!((e.line, e.column), (4, 5));
        assert_eq!(e.message, "`Given x` cannot follow tags");
        assert!(
            hint(&e).starts_with("the tags at line 3 must be followed by"),
            "{e:?}"
        );

        let e = error("Feature: f\n  @a\n  Background:\n    Given x\n");
        assert_eq!((e.line, e.column), (3, 3));
        assert!(e.message.ends_with("cannot follow tags"));

        // At the end of the file the error is at the end of the file, which has no column.
        let e = error("Feature: f\n  Scenario: s\n    Given x\n  @orphan\n\n# end\n");
        assert_eq!((e.line, e.column), (7, 0));
        assert_eq!(e.message, "the file ends after the tags at line 4");
        assert_eq!(
            e.to_string(),
            "line 7 (end of file): the file ends after the tags at line 4"
        );

        let errors = parse_document("@only\n").unwrap_err();
        assert_eq!((errors[0].line, errors[0].column), (2, 0));
    }

    #[test]
    fn reports_every_error_and_reads_on() {
        let source = "\ninvalid line here\n\nFeature: f\n  Scenario: s\n    Given x\n      | a | b |\n      | c |\n      | d |\n\nanother invalid line\n    \"\"\"\n";
        let errors = parse_document(source).unwrap_err();
        let at: Vec<(usize, usize)> = errors.iter().map(|e| (e.line, e.column)).collect();
        // One error per table however many rows are ragged; the open doc string is reported
        // at the end of the file.
        assert_eq!(at, [(2, 1), (8, 7), (11, 1), (13, 0)]);
    }

    #[test]
    fn accepts_a_file_without_a_feature() {
        assert_eq!(parse_document("").unwrap(), None);
        assert_eq!(parse_document("# only a comment\n\n").unwrap(), None);
        assert_eq!(error("").message, "the file has no `Feature:`");
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
                // `*` has no kind of its own, and a conjunction after it has none either.
                ("*", StepKind::Unknown),
                ("And", StepKind::Unknown),
                ("When", StepKind::When),
                ("But", StepKind::When),
                ("*", StepKind::Unknown),
                ("Then", StepKind::Then),
                ("And", StepKind::Then)
            ]
        );
        // Kind resolution starts over in every scenario.
        assert_eq!(feature.scenarios[1].steps[0].kind, StepKind::Unknown);
        assert!(feature.scenarios[1].steps[0].conjunction);
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

        // As in Gherkin, text after the last `|` is not part of the row.
        let feature = parse("Feature: f\n  Scenario: s\n    Given a\n      | a | b\n").unwrap();
        let table = feature.scenarios[0].steps[0].table.as_deref().unwrap();
        assert_eq!(table.rows[0].cells, ["a"]);
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
        assert_eq!((e.line, e.column), (6, 0));
        assert_eq!(
            e.message,
            "the file ends inside the doc string opened at line 4"
        );
        assert_eq!(hint(&e), "add a closing `\"\"\"` line after the doc string");

        let e = error("Feature: f\n  Scenario: s\n    ```\n    ```\n");
        assert_eq!((e.line, e.column), (3, 5));
        assert_eq!(e.message, "doc string must directly follow a step");

        // A step takes a table and a doc string, in either order, but one of each.
        for both in [
            "Feature: f\n  Scenario: s\n    Given a\n      | x |\n      \"\"\"\n      d\n      \"\"\"\n",
            "Feature: f\n  Scenario: s\n    Given a\n      \"\"\"\n      d\n      \"\"\"\n      | x |\n",
        ] {
            let step = &parse(both).unwrap().scenarios[0].steps[0];
            assert_eq!(step.docstring.as_ref().unwrap().content, "d");
            assert_eq!(step.table.as_ref().unwrap().rows[0].cells, ["x"]);
        }
        let e = error(
            "Feature: f\n  Scenario: s\n    Given a\n      | x |\n      \"\"\"\n      \"\"\"\n      | y |\n",
        );
        assert_eq!(
            (e.line, e.message.as_str()),
            (7, "table row outside a step or `Examples:`")
        );
        let e = error(
            "Feature: f\n  Scenario: s\n    Given a\n      \"\"\"\n      \"\"\"\n      \"\"\"\n      \"\"\"\n",
        );
        assert_eq!(
            (e.line, e.message.as_str()),
            (6, "doc string must directly follow a step")
        );
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
