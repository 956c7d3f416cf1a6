//! The syntax tree of a parsed `.feature` file. These types mirror the
//! structure a reader sees in the file (feature, rules, backgrounds,
//! scenarios, examples, steps) and keep every line and column so that
//! later stages can point the user at the exact place of a problem.

/// One `.feature` file: the single `Feature:` and everything under it.
#[derive(Debug, Clone, PartialEq)]
pub struct Feature {
    /// The keyword as written, normally `Feature`.
    pub keyword: String,
    pub name: String,
    /// Free text between the `Feature:` line and its first child, with each
    /// line trimmed and the lines joined with `\n`.
    pub description: String,
    pub tags: Vec<Tag>,
    pub line: usize,
    /// The 1-based character column of the keyword.
    pub column: usize,
    /// The `# language:` of the file, `en` when it names none.
    pub language: String,
    pub background: Option<Background>,
    /// Scenarios that sit directly under the feature, outside any rule.
    pub scenarios: Vec<Scenario>,
    pub rules: Vec<Rule>,
}

/// A tag such as `@smoke`, stored without the leading `@`.
#[derive(Debug, Clone, PartialEq)]
pub struct Tag {
    pub name: String,
    pub line: usize,
    /// The 1-based character column of the `@`.
    pub column: usize,
}

/// Steps that run before every scenario of a feature or of a rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Background {
    pub keyword: String,
    pub name: String,
    pub line: usize,
    pub column: usize,
    pub steps: Vec<Step>,
}

/// A `Rule:` grouping scenarios, optionally with its own background.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub keyword: String,
    pub name: String,
    pub line: usize,
    pub column: usize,
    pub tags: Vec<Tag>,
    pub background: Option<Background>,
    pub scenarios: Vec<Scenario>,
}

/// A `Scenario:`, `Example:`, `Scenario Outline:` or `Scenario Template:`.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// The keyword as written: `Scenario`, `Scenario Outline`, `Example` or
    /// `Scenario Template`.
    pub keyword: String,
    pub name: String,
    pub line: usize,
    pub column: usize,
    /// Written with an outline keyword (`Scenario Outline:`, `Scenario Template:` or their
    /// translations).
    pub outline: bool,
    pub tags: Vec<Tag>,
    pub steps: Vec<Step>,
    pub examples: Vec<Examples>,
}

/// An `Examples:` (or `Scenarios:`) section of a scenario outline. The
/// first row of the table is the header naming the placeholders.
#[derive(Debug, Clone, PartialEq)]
pub struct Examples {
    pub keyword: String,
    pub name: String,
    pub line: usize,
    pub column: usize,
    pub tags: Vec<Tag>,
    /// `None` when the section has no table row at all.
    pub table: Option<Table>,
}

/// The meaning of a step, with `And`, `But` and `*` already resolved to the
/// kind of the step before them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StepKind {
    Given,
    When,
    Then,
    /// `And`, `But` or `*` with no `Given`, `When` or `Then` before it in its scenario or
    /// background, as Gherkin's pickles say.
    Unknown,
}

/// One step line, with its optional doc string or data table.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// The keyword as written, such as `Given`, `And` or `*`, without the
    /// space that follows it.
    pub keyword: &'static str,
    /// `And`, `But` and `*` take the kind of the previous step; a first step
    /// written with one of them is `Unknown`.
    pub kind: StepKind,
    /// Written with `And` or `But`, which take the kind of the step before them, even across
    /// a background into its scenario.
    pub conjunction: bool,
    /// The text after the keyword, with surrounding whitespace trimmed.
    pub text: String,
    pub line: usize,
    /// The 1-based character column of the keyword.
    pub column: usize,
    /// The 1-based character column where `text` starts.
    pub text_column: usize,
    /// Boxed: most steps have neither, and a 10,000-scenario file holds 100,000 steps.
    pub docstring: Option<Box<DocString>>,
    pub table: Option<Box<Table>>,
}

/// A block of text between `"""` (or ```` ``` ````) fences under a step.
#[derive(Debug, Clone, PartialEq)]
pub struct DocString {
    /// The lines between the fences, joined with `\n`, with the fence's
    /// indentation removed.
    pub content: String,
    /// The word after the opening fence, such as `json`.
    pub media_type: Option<String>,
    /// The line of the opening fence.
    pub line: usize,
    /// The 1-based character column of the opening fence.
    pub column: usize,
}

/// A data table under a step or in an `Examples:` section.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub rows: Vec<TableRow>,
}

/// One `| a | b |` line of a table, with its cells trimmed and unescaped.
#[derive(Debug, Clone, PartialEq)]
pub struct TableRow {
    pub cells: Vec<String>,
    pub line: usize,
    /// The 1-based character column of the first `|`.
    pub column: usize,
}
