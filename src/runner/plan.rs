//! The plan: every feature parsed, expanded into runnable scenarios (Background steps first,
//! one scenario per Examples row), filtered by tags, and every step matched against the step
//! library, all before a single request is sent.
//!
//! Matching up front is what lets `apitest check` find every unknown step without the API
//! being up, and lets a run fail a scenario with a bad step without sending half of it.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use crate::error::{Error, ErrorKind};
use crate::gherkin::{self, Table, TagExpr};
use crate::steps::{Lookup, REGISTRY};

#[derive(Debug)]
pub struct Plan {
    pub features: Vec<PlannedFeature>,
    /// Files that could not be read or parsed: the run stops with exit code 2.
    pub problems: Vec<PlanProblem>,
    /// What the run goes on without: a Scenario Outline with no examples, a file with no
    /// `Feature:`.
    pub warnings: Vec<PlanProblem>,
}

#[derive(Debug)]
pub struct PlannedFeature {
    pub path: PathBuf,
    /// The path as shown in messages (relative to the working folder when possible).
    pub display: String,
    /// The file's text: see [`Source`].
    pub source: Source,
    pub name: String,
    pub line: usize,
    pub scenarios: Vec<PlannedScenario>,
    /// How many scenarios the file holds before any selection (tags, lines, names, shards,
    /// `@library`): when `scenarios` holds fewer, the source shows steps this run did not run.
    pub written: usize,
}

impl PlannedFeature {
    /// Line `n` (1-based) of the source, without its line end.
    pub fn source_line(&self, n: usize) -> Option<Cow<'_, str>> {
        self.source.line(n)
    }

    /// The file's whole text.
    pub fn text(&self) -> Arc<str> {
        self.source.text()
    }
}

/// The text of a feature file, as the reports show it: kept in memory, or, in a run none of
/// whose reports needs whole files ([`build_plan_reading_lines_back`]), never held: the file
/// is parsed as it is read, and the lines a failure shows are read back from it. A suite of
/// 100,000 scenarios then holds none of its 30 MB of text, only the lines of what failed.
///
/// The file is checked against what was planned before anything is read back (length and
/// a hash when its lines are first marked, the length at every read after): a file
/// changed during the run shows no lines rather than lines of another text.
#[derive(Debug)]
pub struct Source {
    path: PathBuf,
    kept: Option<Arc<str>>,
    len: usize,
    digest: u64,
    /// Where each line of the kept text starts, built when a line is first shown.
    line_starts: std::sync::OnceLock<Vec<usize>>,
    /// For a file read back: where every [`MARK_EVERY`]th line starts, found in one pass
    /// over the file when a line is first shown (reading it whole, or keeping every line's
    /// start, would hold a large file's worth again just to show a few lines); empty when
    /// the file changed since it was planned.
    marks: std::sync::OnceLock<Vec<u64>>,
}

/// Lines between two marks of a file read back: a line is found by reading on from the
/// mark before it, at most this many lines.
const MARK_EVERY: usize = 64;

impl Source {
    /// The file at `path`, of `len` bytes hashing to `digest` as read, with its text when
    /// it is `kept`, else read back from the file when it is needed.
    fn new(path: &Path, len: usize, digest: u64, kept: Option<Arc<str>>) -> Source {
        Source {
            path: path.to_path_buf(),
            len,
            digest,
            kept,
            line_starts: std::sync::OnceLock::new(),
            marks: std::sync::OnceLock::new(),
        }
    }

    /// Line `n` (1-based), without its line end.
    pub fn line(&self, n: usize) -> Option<Cow<'_, str>> {
        if let Some(text) = &self.kept {
            return line_of(text, &self.line_starts, n).map(Cow::Borrowed);
        }
        let marks = self
            .marks
            .get_or_init(|| self.find_marks().unwrap_or_default());
        let index = n.checked_sub(1)?;
        let mark = *marks.get(index / MARK_EVERY)?;
        let mut file = std::fs::File::open(&self.path).ok()?;
        if usize::try_from(file.metadata().ok()?.len()).ok()? != self.len {
            return None;
        }
        std::io::Seek::seek(&mut file, std::io::SeekFrom::Start(mark)).ok()?;
        let mut reader = std::io::BufReader::new(file);
        for _ in 0..index % MARK_EVERY {
            read_line(&mut reader)?;
        }
        let line = read_line(&mut reader)?;
        Some(Cow::Owned(String::from_utf8_lossy(&line).into_owned()))
    }

    /// The start of every [`MARK_EVERY`]th line of the file (line ends as the planner reads
    /// them: LF, CRLF or a lone CR), if it is still the file that was planned.
    fn find_marks(&self) -> Option<Vec<u64>> {
        use std::io::BufRead;
        let file = std::fs::File::open(&self.path).ok()?;
        let mut hashing = Hashing::new(file);
        let mut reader = std::io::BufReader::with_capacity(64 * 1024, &mut hashing);
        let mut marks = vec![0];
        let (mut at, mut index, mut after_cr) = (0u64, 0usize, false);
        let mut line_starts = |at: u64| {
            index += 1;
            if index % MARK_EVERY == 0 {
                marks.push(at);
            }
        };
        loop {
            let chunk = reader.fill_buf().ok()?;
            if chunk.is_empty() {
                break;
            }
            for &b in chunk {
                if after_cr && b != b'\n' {
                    line_starts(at);
                }
                after_cr = b == b'\r';
                at += 1;
                if b == b'\n' {
                    line_starts(at);
                }
            }
            let read = chunk.len();
            reader.consume(read);
        }
        drop(reader);
        (hashing.len == self.len && hashing.digest() == self.digest).then_some(marks)
    }

    /// The whole text: the copy kept, else the file read again (empty when it changed).
    pub fn text(&self) -> Arc<str> {
        match &self.kept {
            Some(text) => Arc::clone(text),
            None => self.read().map_or_else(
                || Arc::from(""),
                |bytes| Arc::from(String::from_utf8_lossy(&bytes)),
            ),
        }
    }

    /// The file's bytes read again, when they are still those that were planned, with old
    /// Mac line ends read as the planner read them.
    fn read(&self) -> Option<Vec<u8>> {
        let bytes = std::fs::read(&self.path).ok()?;
        (bytes.len() == self.len && digest(&bytes) == self.digest).then(|| lone_cr_to_lf(bytes))
    }
}

/// The next line's bytes without its line end (LF, CRLF or a lone CR); none at the end of
/// the file (the empty rest after a final line end is not a line, as for `str::lines`).
fn read_line(reader: &mut impl std::io::BufRead) -> Option<Vec<u8>> {
    let mut line = Vec::new();
    let mut any = false;
    loop {
        let chunk = reader.fill_buf().ok()?;
        let Some(&b) = chunk.first() else {
            return any.then_some(line);
        };
        any = true;
        reader.consume(1);
        match b {
            b'\n' => return Some(line),
            b'\r' => {
                if reader.fill_buf().ok()?.first() == Some(&b'\n') {
                    reader.consume(1);
                }
                return Some(line);
            }
            _ => line.push(b),
        }
    }
}

/// A hash of a file's bytes, to tell whether it changed during the run; the same however
/// the bytes are split (see `Hashing`).
fn digest(bytes: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut hasher = std::hash::DefaultHasher::new();
    hasher.write(bytes);
    hasher.finish()
}

/// Where each line of a text starts.
fn starts_of(text: &[u8]) -> Vec<usize> {
    std::iter::once(0)
        .chain(
            text.iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .map(|(at, _)| at + 1),
        )
        .collect()
}

/// Line `n` (1-based) of `source`, without its line end; `starts` is built on first use.
fn line_of<'s>(
    source: &'s str,
    starts: &std::sync::OnceLock<Vec<usize>>,
    n: usize,
) -> Option<&'s str> {
    let starts = starts.get_or_init(|| starts_of(source.as_bytes()));
    let (start, end) = line_span(starts, source.len(), n)?;
    let line = source.get(start..end)?;
    Some(line.strip_suffix('\r').unwrap_or(line))
}

/// Where line `n` (1-based) of a text of `len` bytes starts and ends, without its line feed;
/// none past the last line (the empty rest after a final line feed is not a line, as for
/// `str::lines`).
fn line_span(starts: &[usize], len: usize, n: usize) -> Option<(usize, usize)> {
    let start = *starts.get(n.checked_sub(1)?)?;
    let end = starts.get(n).map_or(len, |next| next - 1);
    (start < len).then_some((start, end))
}

/// A file whose lines a message shows: a planned feature, or the file of a called scenario.
pub trait SourceFile {
    /// The path as shown in messages.
    fn display(&self) -> &str;
    /// Line `n` (1-based), without its line end.
    fn source_line(&self, n: usize) -> Option<Cow<'_, str>>;
}

impl SourceFile for PlannedFeature {
    fn display(&self) -> &str {
        &self.display
    }
    fn source_line(&self, n: usize) -> Option<Cow<'_, str>> {
        PlannedFeature::source_line(self, n)
    }
}

/// A scenario another one runs (`Given the scenario "Log in" from "common/auth.feature" is
/// run`), planned once however many steps call it: its file and its steps, Background first.
#[derive(Debug)]
pub struct Called {
    /// The file as shown in messages.
    pub display: String,
    pub name: String,
    pub line: usize,
    pub steps: Steps,
    source: Arc<str>,
    line_starts: std::sync::OnceLock<Vec<usize>>,
}

impl SourceFile for Called {
    fn display(&self) -> &str {
        &self.display
    }
    fn source_line(&self, n: usize) -> Option<Cow<'_, str>> {
        line_of(&self.source, &self.line_starts, n).map(Cow::Borrowed)
    }
}

#[derive(Debug)]
pub struct PlannedScenario {
    pub name: String,
    /// The scenario's line, or for an outline row the line of its data row.
    pub line: usize,
    /// The `Scenario Outline:` line of an outline row; `line` otherwise.
    pub scenario_line: usize,
    /// The `Rule:` the scenario belongs to, if any.
    pub rule: Option<String>,
    /// Empty for most scenarios; one pointer where a `Vec` is three.
    pub tags: thin_vec::ThinVec<String>,
    pub steps: Steps,
}

/// A matched step: the step definition's index and its captured arguments.
#[derive(Debug, Clone, PartialEq)]
pub struct Matched {
    pub index: usize,
    pub captures: Vec<String>,
    pub spans: Vec<(usize, usize)>,
}

/// A step ready to run: its line, and everything else, in a `StepShape` shared by all steps
/// written the same way. A view into [`Steps`], copied freely.
#[derive(Debug, Clone, Copy)]
pub struct PlannedStep<'p> {
    pub line: usize,
    shape: &'p StepShape,
}

impl<'p> PlannedStep<'p> {
    /// What the step is, for as long as the plan lives (`Deref` lends it only as long as this
    /// copy lives).
    pub fn shape(self) -> &'p StepShape {
        self.shape
    }
}

impl std::ops::Deref for PlannedStep<'_> {
    type Target = StepShape;
    fn deref(&self) -> &StepShape {
        self.shape
    }
}

/// The steps of a scenario, Background first. Scenarios written alike (the same Background,
/// and their own steps the same at the same distances from the first of them, as in a
/// generated suite) share one list, so a suite of thousands of similar scenarios keeps each
/// list once plus a line number per scenario.
#[derive(Debug, Clone)]
pub struct Steps {
    /// The line of the first step that is not a Background's; each of those steps' lines is
    /// this plus its offset.
    first: usize,
    list: Arc<[Slot]>,
}

/// A step in a shared list and its shape: a Background step's line (the same in every
/// scenario of the file), or another step's distance from the first of them.
#[derive(Debug)]
struct Slot {
    offset: usize,
    shape: Arc<StepShape>,
}

impl Slot {
    /// The step, in a list whose first step that is not a Background's is at line `first`.
    fn at(&self, first: usize) -> PlannedStep<'_> {
        PlannedStep {
            line: if self.shape.background {
                self.offset
            } else {
                first.wrapping_add(self.offset)
            },
            shape: &self.shape,
        }
    }
}

impl Steps {
    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub fn get(&self, index: usize) -> Option<PlannedStep<'_>> {
        self.list.get(index).map(|slot| slot.at(self.first))
    }

    pub fn iter(&self) -> StepsIter<'_> {
        StepsIter {
            first: self.first,
            slots: self.list.iter(),
        }
    }
}

impl<'p> IntoIterator for &'p Steps {
    type Item = PlannedStep<'p>;
    type IntoIter = StepsIter<'p>;
    fn into_iter(self) -> StepsIter<'p> {
        self.iter()
    }
}

/// The steps of a [`Steps`], in order.
#[derive(Debug, Clone)]
pub struct StepsIter<'p> {
    first: usize,
    slots: std::slice::Iter<'p, Slot>,
}

impl<'p> Iterator for StepsIter<'p> {
    type Item = PlannedStep<'p>;
    fn next(&mut self) -> Option<PlannedStep<'p>> {
        Some(self.slots.next()?.at(self.first))
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.slots.size_hint()
    }
}

impl ExactSizeIterator for StepsIter<'_> {}

impl DoubleEndedIterator for StepsIter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        Some(self.slots.next_back()?.at(self.first))
    }
}

/// A step being planned: its line and its shape, before it joins a [`Steps`].
struct Placed {
    line: usize,
    shape: Arc<StepShape>,
}

/// The step lists planned so far, each once, found by offsets and shapes (shapes are
/// interned, so comparing them is comparing pointers).
#[derive(Default)]
struct Lists(std::collections::HashSet<ListKey>);

struct ListKey(Arc<[Slot]>);

impl std::hash::Hash for ListKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        for slot in self.0.iter() {
            slot.offset.hash(state);
            std::ptr::hash(Arc::as_ptr(&slot.shape), state);
        }
    }
}

impl PartialEq for ListKey {
    fn eq(&self, other: &Self) -> bool {
        self.0.len() == other.0.len()
            && self
                .0
                .iter()
                .zip(other.0.iter())
                .all(|(a, b)| a.offset == b.offset && Arc::ptr_eq(&a.shape, &b.shape))
    }
}

impl Eq for ListKey {}

impl Lists {
    /// `steps` as a list shared with every scenario planned alike.
    fn steps(&mut self, steps: Vec<Placed>) -> Steps {
        let first = steps
            .iter()
            .find(|s| !s.shape.background)
            .map_or(0, |s| s.line);
        let list: Arc<[Slot]> = steps
            .into_iter()
            .map(|s| Slot {
                offset: if s.shape.background {
                    s.line
                } else {
                    s.line.wrapping_sub(first)
                },
                shape: s.shape,
            })
            .collect();
        let key = ListKey(list);
        let list = match self.0.get(&key) {
            Some(found) => Arc::clone(&found.0),
            None => {
                let list = Arc::clone(&key.0);
                self.0.insert(key);
                list
            }
        };
        Steps { first, list }
    }
}

/// What a step is, apart from where.
#[derive(Debug)]
pub struct StepShape {
    pub keyword: &'static str,
    pub text: Arc<str>,
    pub column: usize,
    pub text_column: usize,
    pub docstring: Option<Box<str>>,
    pub table: Option<Box<Table>>,
    pub background: bool,
    pub matched: Arc<Result<Matched, Error>>,
    /// The scenario a call step runs (`the scenario "..." from "..." is run`).
    pub call: Option<Arc<Called>>,
}

/// A file that cannot be run, with the position of the fault.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanProblem {
    pub display: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub hint: Option<String>,
    /// The offending line of the file, when there is one, for the report.
    pub source_line: Option<String>,
}

/// Parses and matches `files`; `tags` keeps only the scenarios it matches. `@library`
/// scenarios are left out: they run only when called. Each file's text is kept for the
/// reports.
pub fn build_plan(files: &[PathBuf], tags: Option<&TagExpr>) -> Plan {
    plan_files(files, tags, false, true)
}

/// [`build_plan`] for a run none of whose reports holds whole files (only the Cucumber
/// Messages stream does): each file is parsed as it is read and none of its text is kept;
/// the lines a failure shows are read back from the file (see [`Source`]).
pub fn build_plan_reading_lines_back(files: &[PathBuf], tags: Option<&TagExpr>) -> Plan {
    plan_files(files, tags, false, false)
}

/// The plan `apitest check` checks: every scenario, `@library` ones too (run or not, each
/// step must match).
pub fn build_check_plan(files: &[PathBuf]) -> Plan {
    plan_files(files, None, true, true)
}

/// A reader that counts and hashes what passes through it, as [`digest`] hashes a file.
struct Hashing<R> {
    inner: R,
    len: usize,
    hasher: std::hash::DefaultHasher,
}

impl<R> Hashing<R> {
    fn new(inner: R) -> Hashing<R> {
        Hashing {
            inner,
            len: 0,
            hasher: std::hash::DefaultHasher::new(),
        }
    }

    /// The hash of what was read, equal to [`digest`] of the same bytes.
    fn digest(&self) -> u64 {
        std::hash::Hasher::finish(&self.hasher)
    }
}

impl<R: std::io::Read> std::io::Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        use std::hash::Hasher;
        let n = self.inner.read(buf)?;
        self.hasher.write(buf.get(..n).unwrap_or_default());
        self.len += n;
        Ok(n)
    }
}

fn plan_files(files: &[PathBuf], tags: Option<&TagExpr>, library: bool, keep: bool) -> Plan {
    let mut features = Vec::new();
    let mut problems = Vec::new();
    let mut warnings = Vec::new();
    let mut planner = Planner::default();
    for path in files {
        let display = display_path(path);
        let cannot_read = |display: String, e: std::io::Error| PlanProblem {
            display,
            line: 0,
            column: 0,
            message: format!("cannot read the file: {e}"),
            hint: None,
            source_line: None,
        };
        // Each scenario is planned as soon as the parser has read it, and its tree dropped,
        // so a large file is never held twice (as a tree and as a plan).
        let mut scenarios = Vec::new();
        let mut outlines = Vec::new();
        let mut written = 0;
        let mut visit = |feature: &gherkin::Feature,
                         rule: Option<&gherkin::Rule>,
                         scenario: gherkin::Scenario| {
            gherkin::scenario_pickles(feature, rule, &scenario, |pickle| {
                // An outline without examples has nothing to fill its placeholders with: it
                // is left out with a warning, as behave does, not sent as written.
                if pickle.outline && pickle.example.is_none() {
                    outlines.push(pickle.line);
                    return;
                }
                written += 1;
                let tag_names = pickle.tag_names();
                if tags.is_some_and(|t| !t.matches(&tag_names)) {
                    return;
                }
                // A `@library` scenario is only run by the scenarios that call it.
                if !library && tag_names.iter().any(|t| t == LIBRARY_TAG) {
                    return;
                }
                let name = pickle.report_name();
                planner.enter(path, &name);
                // A fresh vector: `collect` would reuse the pickle's buffer in place, which is
                // sized for pickle steps, eight times larger than planned ones.
                let mut steps = Vec::with_capacity(pickle.steps.len());
                steps.extend(
                    pickle
                        .steps
                        .into_iter()
                        .map(|step| planner.step(step, path)),
                );
                let steps = planner.lists.steps(steps);
                planner.leave();
                scenarios.push(PlannedScenario {
                    name,
                    line: pickle.line,
                    scenario_line: pickle.scenario_line,
                    rule: pickle.rule,
                    tags: tag_names.into(),
                    steps,
                });
            });
        };
        let (parsed, source) = if keep {
            let raw = match std::fs::read(path) {
                Ok(raw) => raw,
                Err(e) => {
                    problems.push(cannot_read(display, e));
                    continue;
                }
            };
            let digest = digest(&raw);
            // The source the reports show, made before the plan: the file's bytes are
            // dropped before any scenario is planned, so a large file is held once beside
            // its plan, not twice. Bytes that are not UTF-8 are kept for the parser.
            let (text, invalid): (Arc<str>, Option<Vec<u8>>) =
                match String::from_utf8(lone_cr_to_lf(raw)) {
                    Ok(text) => (Arc::from(text), None),
                    Err(e) => (
                        Arc::from(String::from_utf8_lossy(e.as_bytes()).into_owned()),
                        Some(e.into_bytes()),
                    ),
                };
            let parsed = gherkin::parse_bytes_each(
                invalid.as_deref().unwrap_or(text.as_bytes()),
                &mut visit,
            );
            (parsed, Source::new(path, text.len(), digest, Some(text)))
        } else {
            let file = match std::fs::File::open(path) {
                Ok(file) => file,
                Err(e) => {
                    problems.push(cannot_read(display, e));
                    continue;
                }
            };
            let mut hashing = Hashing::new(file);
            let parsed = gherkin::parse_reader_each(
                std::io::BufReader::with_capacity(64 * 1024, &mut hashing),
                &mut visit,
            );
            let digest = hashing.digest();
            (parsed, Source::new(path, hashing.len, digest, None))
        };
        let feature = match parsed {
            Ok(Some(feature)) => feature,
            Ok(None) => {
                warnings.push(PlanProblem {
                    display,
                    line: 0,
                    column: 0,
                    message: "the file has no `Feature:`, so nothing in it runs".into(),
                    hint: Some("a feature file starts with `Feature: <name>`; remove the file if it is not meant to hold one".into()),
                    source_line: None,
                });
                continue;
            }
            Err(errors) => {
                for e in errors {
                    problems.push(PlanProblem {
                        display: display.clone(),
                        line: e.line,
                        column: e.column,
                        message: e.message,
                        hint: e.hint,
                        source_line: source.line(e.line).map(Cow::into_owned),
                    });
                }
                continue;
            }
        };
        for line in outlines {
            warnings.push(outline_without_examples(line, &display, &source));
        }
        // Grown by doubling while the file was read: the slack would be kept all run long.
        scenarios.shrink_to_fit();
        let (name, line) = (feature.name, feature.line);
        features.push(PlannedFeature {
            path: path.clone(),
            display,
            source,
            name,
            line,
            scenarios,
            written,
        });
    }
    Plan {
        features,
        problems,
        warnings,
    }
}

/// The warning for a Scenario Outline with no Examples, which is left out of the run.
fn outline_without_examples(line: usize, display: &str, source: &Source) -> PlanProblem {
    let source_line = source.line(line).map(Cow::into_owned);
    PlanProblem {
        display: display.to_string(),
        line,
        column: 1 + source_line.as_deref().map_or(0, |l| l.len() - l.trim_start().len()),
        message: "this Scenario Outline has no `Examples:` table, so it does not run".into(),
        hint: Some("add an `Examples:` table whose header names the <placeholders>, or make it a plain `Scenario:`".into()),
        source_line,
    }
}

/// A file written with old Mac line ends (a lone CR) reads as lines, as Gherkin's reference
/// parsers read it, instead of one long line with no scenario in it. CRLF is left as it is.
fn lone_cr_to_lf(mut bytes: Vec<u8>) -> Vec<u8> {
    for i in 0..bytes.len() {
        if bytes.get(i + 1) != Some(&b'\n')
            && let Some(b) = bytes.get_mut(i)
            && *b == b'\r'
        {
            *b = b'\n';
        }
    }
    bytes
}

/// The tag (without `@`) of scenarios and features that only run when another scenario calls
/// them.
pub const LIBRARY_TAG: &str = "library";

/// Plans steps: matches them (each text once) and expands call steps into the scenarios they
/// call, each called scenario planned once, a cycle of calls refused.
#[derive(Default)]
struct Planner {
    interned: Interner,
    lists: Lists,
    /// Called files, parsed once, by canonical path.
    files: HashMap<PathBuf, Result<Arc<CalleeFile>, Error>>,
    /// Called scenarios by canonical path and name.
    called: HashMap<(PathBuf, String), Result<Arc<Called>, Error>>,
    /// The scenario being planned, then the calls that led to the step being planned.
    stack: Vec<Frame>,
    /// The working folder (canonical), found at the first call: where the search for a
    /// called file stops.
    cwd: Option<PathBuf>,
}

/// A scenario being planned: its file as given, the canonical path once needed, its name.
struct Frame {
    path: PathBuf,
    canonical: Option<PathBuf>,
    name: String,
}

/// A parsed file that holds called scenarios.
struct CalleeFile {
    display: String,
    source: Arc<str>,
    pickles: Vec<gherkin::Pickle>,
}

impl Planner {
    /// A scenario of `path` named `name` is being planned (until `leave`).
    fn enter(&mut self, path: &Path, name: &str) {
        self.stack.push(Frame {
            path: path.to_path_buf(),
            canonical: None,
            name: name.to_string(),
        });
    }

    fn leave(&mut self) {
        self.stack.pop();
    }

    /// One step of a scenario of `from`, matched, and expanded when it calls a scenario.
    fn step(&mut self, step: gherkin::PickleStep, from: &Path) -> Placed {
        let planned = self.interned.planned(step);
        let Some((name, file)) = call_target(&planned) else {
            return planned;
        };
        let (call, matched) = match self.resolve(from, &name, &file) {
            Ok(called) => (Some(called), Arc::clone(&planned.shape.matched)),
            Err(error) => (None, Arc::new(Err(error))),
        };
        // Its own shape: the same text in another folder may call another file.
        let shape = &planned.shape;
        Placed {
            line: planned.line,
            shape: Arc::new(StepShape {
                keyword: shape.keyword,
                text: Arc::clone(&shape.text),
                column: shape.column,
                text_column: shape.text_column,
                docstring: shape.docstring.clone(),
                table: shape.table.clone(),
                background: shape.background,
                matched,
                call,
            }),
        }
    }

    /// The scenario `name` of `file`, planned. The file is looked for beside `from`, then in
    /// each folder above it up to the working folder, nearest first: `common/auth.feature`
    /// is found from `features/orders/list.feature` as `features/common/auth.feature`.
    fn resolve(&mut self, from: &Path, name: &str, file: &str) -> Result<Arc<Called>, Error> {
        let cwd = self.cwd.get_or_insert_with(|| {
            std::env::current_dir()
                .and_then(std::fs::canonicalize)
                .unwrap_or_default()
        });
        let folder = from.parent().unwrap_or(Path::new(""));
        let mut tried = Vec::new();
        for dir in folder.ancestors() {
            tried.push(dir.join(file));
            if dir == cwd.as_path() {
                break;
            }
        }
        let found = tried.iter().find(|p| p.is_file()).ok_or_else(|| {
            Error::file(format!(
                "there is no file \"{file}\" to call a scenario from (looked for {})",
                tried
                    .iter()
                    .map(|p| display_path(p))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
            .at_arg(1)
            .with_hint(
                "the file is looked for beside this feature file, then in each folder above it",
            )
        })?;
        // From here on the file is known by its real path: the same file reached through
        // `..` or a link is one file, shown one way, and its own calls start from where it is.
        let canonical = std::fs::canonicalize(found).unwrap_or_else(|_| found.clone());
        self.refuse_cycle(&canonical, name)?;
        let key = (canonical.clone(), name.to_string());
        if let Some(done) = self.called.get(&key) {
            return done.clone();
        }
        let planned = self.plan_called(&canonical, name);
        self.called.insert(key, planned.clone());
        planned
    }

    /// Refuses a call to a scenario that is already being planned further up the stack.
    fn refuse_cycle(&mut self, canonical: &Path, name: &str) -> Result<(), Error> {
        let mut cycle_from = None;
        for (i, frame) in self.stack.iter_mut().enumerate() {
            let path = frame.canonical.get_or_insert_with(|| {
                std::fs::canonicalize(&frame.path).unwrap_or_else(|_| frame.path.clone())
            });
            if path == canonical && frame.name == name {
                cycle_from = Some(i);
                break;
            }
        }
        let Some(start) = cycle_from else {
            return Ok(());
        };
        let chain: Vec<String> = self
            .stack
            .get(start..)
            .unwrap_or_default()
            .iter()
            .map(|f| format!("\"{}\" ({})", f.name, display_path(&f.path)))
            .chain(std::iter::once(format!("\"{name}\"")))
            .collect();
        // Names go in a note, which redaction leaves alone: they are the user's text.
        Err(Error::invalid(
            "this call makes a cycle: the scenario it calls is already running further up",
        )
        .with_note(format!("the cycle: {}", chain.join(" → ")))
        .at_arg(0)
        .with_hint("a called scenario must not call, directly or through others, a scenario that calls it; move the shared steps into a scenario of their own"))
    }

    /// Parses the file at `canonical` (once) and plans its scenario `name`. Messages name
    /// scenarios only in notes, which redaction leaves as the user wrote them.
    fn plan_called(&mut self, canonical: &Path, name: &str) -> Result<Arc<Called>, Error> {
        let file = self.callee_file(canonical)?;
        let matching: Vec<&gherkin::Pickle> =
            file.pickles.iter().filter(|p| p.name == name).collect();
        let pickle = match matching.as_slice() {
            [one] => *one,
            [] => {
                let outline = file.pickles.iter().any(|p| {
                    p.line != p.scenario_line && p.name.split(" -- @").next() == Some(name)
                });
                if outline {
                    return Err(Error::invalid(format!(
                        "the scenario called in {} is a Scenario Outline, which cannot be called",
                        file.display
                    ))
                    .at_arg(0)
                    .with_hint("call a plain Scenario and pass the values with `is run with \"name\" = \"value\"`"));
                }
                let mut names: Vec<&str> = file
                    .pickles
                    .iter()
                    .filter(|p| p.line == p.scenario_line)
                    .map(|p| p.name.as_str())
                    .collect();
                names.dedup();
                let note = if names.is_empty() {
                    "the file has no scenario that can be called".to_string()
                } else {
                    let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
                    format!("its scenarios: {}", quoted.join(", "))
                };
                return Err(Error::invalid(format!(
                    "{} has no scenario of this name",
                    file.display
                ))
                .at_arg(0)
                .with_note(note)
                .with_hint("name the scenario as its `Scenario:` line does"));
            }
            several => {
                let lines: Vec<String> = several.iter().map(|p| p.line.to_string()).collect();
                return Err(Error::invalid(format!(
                    "{} has {} scenarios of this name (lines {})",
                    file.display,
                    several.len(),
                    lines.join(", ")
                ))
                .at_arg(0)
                .with_hint("give the scenarios different names, so a call names one"));
            }
        };
        // An outline row is not a scenario that can be called, even by its row name.
        if pickle.line != pickle.scenario_line {
            return Err(Error::invalid(format!(
                "the scenario called in {} is a row of a Scenario Outline, which cannot be called",
                file.display
            ))
            .at_arg(0)
            .with_hint(
                "call a plain Scenario and pass the values with `is run with \"name\" = \"value\"`",
            ));
        }
        let (line, steps) = (pickle.line, pickle.steps.clone());
        self.stack.push(Frame {
            path: canonical.to_path_buf(),
            canonical: Some(canonical.to_path_buf()),
            name: name.to_string(),
        });
        let steps = steps
            .into_iter()
            .map(|step| self.step(step, canonical))
            .collect();
        let steps = self.lists.steps(steps);
        self.stack.pop();
        Ok(Arc::new(Called {
            display: file.display.clone(),
            name: name.to_string(),
            line,
            steps,
            source: Arc::clone(&file.source),
            line_starts: std::sync::OnceLock::new(),
        }))
    }

    /// The parsed file at `canonical`, read once per plan.
    fn callee_file(&mut self, canonical: &Path) -> Result<Arc<CalleeFile>, Error> {
        if let Some(file) = self.files.get(canonical) {
            return file.clone();
        }
        let display = display_path(canonical);
        let parsed = std::fs::read(canonical)
            .map_err(|e| Error::file(format!("cannot read {display}: {e}")).at_arg(1))
            .and_then(|bytes| {
                let bytes = lone_cr_to_lf(bytes);
                let feature = gherkin::parse_bytes(&bytes).map_err(|e| {
                    Error::file(format!(
                        "{display}:{}:{} cannot be parsed: {}",
                        e.line, e.column, e.message
                    ))
                    .at_arg(1)
                    .with_hint(format!("`apitest check {display}` shows the problem"))
                })?;
                Ok(Arc::new(CalleeFile {
                    display: display.clone(),
                    source: Arc::from(String::from_utf8_lossy(&bytes).into_owned()),
                    pickles: gherkin::pickles(&feature),
                }))
            });
        self.files.insert(canonical.to_path_buf(), parsed.clone());
        parsed
    }
}

/// The scenario name and file a call step names; `None` for any other step.
fn call_target(step: &Placed) -> Option<(String, String)> {
    // Asked of every step of the plan: two integers compared, not two phrases.
    static CALLS: LazyLock<Vec<usize>> = LazyLock::new(|| {
        let calls = [crate::steps::CALL_PHRASE, crate::steps::CALL_WITH_PHRASE];
        (0..REGISTRY.defs.len())
            .filter(|&i| {
                REGISTRY
                    .defs
                    .get(i)
                    .is_some_and(|d| calls.contains(&d.phrase))
            })
            .collect()
    });
    let matched = (*step.shape.matched).as_ref().ok()?;
    if !CALLS.contains(&matched.index) {
        return None;
    }
    Some((
        matched.captures.first()?.clone(),
        matched.captures.get(1)?.clone(),
    ))
}

/// One copy of each step text with its match result, and of each step shape, for a plan.
#[derive(Default)]
struct Interner {
    texts: HashMap<Arc<str>, TextEntry>,
}

/// A step text's match result, and the shapes (without doc string or table) it appears in.
struct TextEntry {
    text: Arc<str>,
    matched: Arc<Result<Matched, Error>>,
    shapes: Vec<Arc<StepShape>>,
}

impl Interner {
    /// One hash of the text per step; a step seen before costs no allocation.
    fn planned(&mut self, step: gherkin::PickleStep) -> Placed {
        let entry = match self.texts.get_mut(step.text.as_str()) {
            Some(entry) => entry,
            None => {
                let text: Arc<str> = Arc::from(step.text.as_str());
                let matched = Arc::new(match_step(&step.text));
                self.texts.entry(Arc::clone(&text)).or_insert(TextEntry {
                    text,
                    matched,
                    shapes: Vec::new(),
                })
            }
        };
        let plain = step.docstring.is_none() && step.table.is_none();
        if plain
            && let Some(shape) = entry.shapes.iter().find(|s| {
                s.keyword == step.keyword
                    && s.column == step.column
                    && s.text_column == step.text_column
                    && s.background == step.background
            })
        {
            return Placed {
                line: step.line,
                shape: Arc::clone(shape),
            };
        }
        // A table under a step that reads none would be silently ignored, and a table step
        // without its table has nothing to do: both are refused before anything is sent.
        let matched = match (
            table_problem(step.table.as_ref(), &entry.matched),
            &*entry.matched,
        ) {
            (Some(problem), Ok(_)) => Arc::new(Err(problem)),
            _ => Arc::clone(&entry.matched),
        };
        let shape = Arc::new(StepShape {
            keyword: step.keyword,
            text: Arc::clone(&entry.text),
            column: step.column,
            text_column: step.text_column,
            docstring: step.docstring.map(|d| d.content.into_boxed_str()),
            table: step.table.map(Box::new),
            background: step.background,
            matched,
            call: None,
        });
        // Steps with a doc string or a table are rare and seldom repeated; they keep their own.
        if plain {
            entry.shapes.push(Arc::clone(&shape));
        }
        Placed {
            line: step.line,
            shape,
        }
    }
}

/// What is wrong with the data table under a step (or its lack), if anything.
fn table_problem(
    table: Option<&gherkin::Table>,
    matched: &Result<Matched, Error>,
) -> Option<Error> {
    let Ok(matched) = matched else {
        return None;
    };
    let columns = REGISTRY.defs.get(matched.index).and_then(|d| d.table);
    let shown = |columns: &[&str]| format!("| {} |", columns.join(" | "));
    match (table, columns) {
        (None, None) => None,
        (Some(_), None) => Some(
            Error::invalid("this step takes no table")
                .with_hint("remove the table, whose rows would be ignored; to run the steps once per row, make the scenario a Scenario Outline with the rows as its Examples; `apitest steps table` lists the steps that read one"),
        ),
        (None, Some(columns)) => Some(
            Error::invalid("this step reads a data table under it, and it has none")
                .with_hint(format!("add the table under the step, its first row naming the columns: `{}`", shown(columns))),
        ),
        (Some(table), Some(columns)) => {
            let header: Vec<String> = table
                .rows
                .first()
                .map(|row| row.cells.iter().map(|c| c.trim().to_lowercase()).collect())
                .unwrap_or_default();
            if header != columns {
                let line = table.rows.first().map_or(0, |row| row.line);
                return Some(
                    Error::invalid(format!(
                        "the first row of the table (line {line}) must name its columns `{}`",
                        shown(columns)
                    ))
                    .with_hint(format!(
                        "start the table with `{}`, then one row per item",
                        shown(columns)
                    )),
                );
            }
            if table.rows.len() < 2 {
                return Some(
                    Error::invalid("the table has no row under the one naming its columns")
                        .with_hint("add a row per item, or remove the step"),
                );
            }
            None
        }
    }
}

fn match_step(text: &str) -> Result<Matched, Error> {
    match REGISTRY.find(text) {
        Lookup::Found {
            index,
            captures,
            spans,
        } => {
            // Arguments that can never work are refused now, not halfway through a run.
            if let Some(check) = REGISTRY.defs.get(index).and_then(|d| d.plan_check) {
                check(&captures)?;
            }
            Ok(Matched {
                index,
                captures,
                spans,
            })
        }
        Lookup::Unknown { suggestions } => Err(Error::new(ErrorKind::UnknownStep {
            suggestions: suggestions.into_iter().map(str::to_string).collect(),
        })),
        Lookup::Ambiguous { phrases } => Err(Error::new(ErrorKind::AmbiguousStep {
            phrases: phrases.into_iter().map(str::to_string).collect(),
        })),
    }
}

/// `path` relative to the working folder when it lies below it, as people typed it.
pub fn display_path(path: &Path) -> String {
    let shown = std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(&cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf());
    let text = shown.display().to_string();
    text.strip_prefix("./").map_or(text.clone(), str::to_string)
}

impl Plan {
    pub fn scenario_count(&self) -> usize {
        self.features.iter().map(|f| f.scenarios.len()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A feature file of this test's own in the temporary folder.
    fn write_file(name: &str, text: &[u8]) -> PathBuf {
        let path = std::env::temp_dir().join(format!("apitest-plan-{}-{name}", std::process::id()));
        std::fs::write(&path, text).unwrap();
        path
    }

    fn lines(feature: &PlannedFeature) -> Vec<Option<String>> {
        (0..=8)
            .map(|n| feature.source_line(n).map(Cow::into_owned))
            .collect()
    }

    /// CRLF, a lone CR, a byte order mark, a character beyond ASCII, no line end at the end.
    const TEXT: &[u8] = b"\xEF\xBB\xBFFeature: F\r\n  Scenario: S\n    Given address \"http://127.0.0.1\"\r\n\n    # \xC3\xA9\r    And URL path \"/x\"\n  Scenario: T";

    fn plans(path: &PathBuf) -> (Plan, Plan) {
        let files = std::slice::from_ref(path);
        (
            build_plan(files, None),
            build_plan_reading_lines_back(files, None),
        )
    }

    /// Each step's line and text.
    fn step_lines(steps: &Steps) -> Vec<(usize, String)> {
        steps.iter().map(|s| (s.line, s.text.to_string())).collect()
    }

    #[test]
    fn scenarios_written_alike_share_one_step_list_and_keep_their_own_lines() {
        let text = b"Feature: F\n  Background:\n    Given address \"http://127.0.0.1\"\n\n  Scenario: A\n    Given URL path \"/x\"\n    When the URL is invoked\n\n  Scenario: B\n    Given URL path \"/x\"\n    When the URL is invoked\n\n  Scenario: C\n    Given URL path \"/x\"\n\n    When the URL is invoked\n\n  Scenario: D\n    Given URL path \"/y\"\n    When the URL is invoked\n";
        let path = write_file("alike.feature", text);
        let plan = build_plan(std::slice::from_ref(&path), None);
        let [a, b, c, d] = [0, 1, 2, 3].map(|i| &plan.features[0].scenarios[i].steps);
        let address = "address \"http://127.0.0.1\"".to_string();
        let path_x = "URL path \"/x\"".to_string();
        let invoked = "the URL is invoked".to_string();
        assert_eq!(
            step_lines(a),
            [
                (3, address.clone()),
                (6, path_x.clone()),
                (7, invoked.clone())
            ]
        );
        assert_eq!(
            step_lines(b),
            [
                (3, address.clone()),
                (10, path_x.clone()),
                (11, invoked.clone())
            ]
        );
        assert_eq!(
            step_lines(c),
            [(3, address.clone()), (14, path_x), (16, invoked.clone())]
        );
        assert_eq!(b.get(2).map(|s| s.line), Some(11));
        assert_eq!(
            b.iter().rev().map(|s| s.line).collect::<Vec<_>>(),
            [11, 10, 3]
        );
        // A Background's lines are the same in every scenario, the scenario's own are not:
        // scenarios are alike when their own steps' distances from the first of them are.
        assert!(Arc::ptr_eq(&a.list, &b.list), "A and B are written alike");
        assert!(
            !Arc::ptr_eq(&b.list, &c.list),
            "C has a blank line between its steps"
        );
        assert_eq!(step_lines(d).len(), 3);
        assert!(
            !Arc::ptr_eq(&d.list, &b.list),
            "another step text is another list"
        );
        std::fs::remove_file(&path).unwrap();

        // Without a Background, the same steps at the same distances are one list.
        let text = b"Feature: F\n  Scenario: A\n    Given URL path \"/x\"\n    When the URL is invoked\n  Scenario: B\n    Given URL path \"/x\"\n    When the URL is invoked\n";
        let path = write_file("alike2.feature", text);
        let plan = build_plan(std::slice::from_ref(&path), None);
        let (a, b) = (
            &plan.features[0].scenarios[0].steps,
            &plan.features[0].scenarios[1].steps,
        );
        assert!(Arc::ptr_eq(&a.list, &b.list));
        assert_eq!(
            step_lines(a),
            [(3, "URL path \"/x\"".into()), (4, invoked.clone())]
        );
        assert_eq!(step_lines(b), [(6, "URL path \"/x\"".into()), (7, invoked)]);
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn lines_read_back_past_many_marks_are_those_kept() {
        // Line ends of every kind, lines across several marks, one beyond ASCII, none at
        // the end of the file.
        let mut text = b"Feature: F\r\n  Scenario: S\n".to_vec();
        for i in 0..(3 * MARK_EVERY + 5) {
            let end: &[u8] = match i % 3 {
                0 => b"\n",
                1 => b"\r\n",
                _ => b"\r",
            };
            text.extend_from_slice(format!("    # comment {i} \u{e9}").as_bytes());
            text.extend_from_slice(end);
        }
        text.extend_from_slice(b"    Given address \"http://127.0.0.1\"");
        let path = write_file("marks.feature", &text);
        let (kept, read) = plans(&path);
        let (kept, read) = (&kept.features[0], &read.features[0]);
        let last = 3 * MARK_EVERY + 8;
        for n in 0..=last + 2 {
            assert_eq!(read.source_line(n), kept.source_line(n), "line {n}");
        }
        assert_eq!(
            read.source_line(last).as_deref(),
            Some("    Given address \"http://127.0.0.1\"")
        );
        assert_eq!(
            read.source_line(MARK_EVERY + 3).as_deref(),
            Some(format!("    # comment {} \u{e9}", MARK_EVERY).as_str())
        );
        assert_eq!(read.source_line(last + 1), None);
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn a_plan_that_reads_lines_back_plans_and_shows_what_a_kept_one_does() {
        let path = write_file("same.feature", TEXT);
        let (kept, read) = plans(&path);
        assert!(kept.problems.is_empty(), "{:?}", kept.problems);
        let (k, r) = (&kept.features[0], &read.features[0]);
        assert!(k.source.kept.is_some() && r.source.kept.is_none());
        assert_eq!(k.scenarios.len(), 2);
        assert_eq!(
            k.scenarios
                .iter()
                .map(|s| (s.line, s.steps.len()))
                .collect::<Vec<_>>(),
            r.scenarios
                .iter()
                .map(|s| (s.line, s.steps.len()))
                .collect::<Vec<_>>()
        );
        let shown = lines(k);
        assert_eq!(shown[2].as_deref(), Some("  Scenario: S"));
        assert_eq!(
            shown[3].as_deref(),
            Some("    Given address \"http://127.0.0.1\"")
        );
        assert_eq!(shown[5].as_deref(), Some("    # é"));
        assert_eq!(shown[6].as_deref(), Some("    And URL path \"/x\""));
        assert_eq!(shown[7].as_deref(), Some("  Scenario: T"));
        assert_eq!(lines(r), shown);
        assert_eq!(r.text(), k.text());
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn parse_errors_are_the_same_whether_the_text_is_kept_or_not() {
        let bad: &[&[u8]] = &[
            b"Feature: F\n  Scenario: S\n    Given x\n  oops\n",
            b"Feature: F\r  Scenario: S\r    Given \xFF\xFEx\n",
            b"\xEF\xBB\xBFFeature: F\n  Scenario: S\n    \"\"\"\n",
        ];
        for (i, text) in bad.iter().enumerate() {
            let path = write_file(&format!("bad{i}.feature"), text);
            let (kept, read) = plans(&path);
            assert!(!kept.problems.is_empty(), "case {i}");
            assert_eq!(kept.problems, read.problems, "case {i}");
            std::fs::remove_file(path).unwrap();
        }
    }

    #[test]
    fn a_file_changed_during_the_run_shows_none_of_its_new_text() {
        let path = write_file("changed.feature", TEXT);
        let (_, plan) = plans(&path);
        // Same length, other text: the hash tells them apart.
        let other = String::from_utf8_lossy(TEXT).replace("Given", "Gxven");
        std::fs::write(&path, other).unwrap();
        assert_eq!(lines(&plan.features[0]), vec![None; 9]);
        assert_eq!(plan.features[0].text().as_ref(), "");
        std::fs::remove_file(&path).unwrap();
        assert_eq!(plan.features[0].source_line(2), None);
    }

    #[test]
    fn a_file_changed_after_its_lines_were_indexed_shows_no_line_of_it() {
        let path = write_file("longer.feature", TEXT);
        let (_, plan) = plans(&path);
        assert_eq!(
            plan.features[0].source_line(2).as_deref(),
            Some("  Scenario: S")
        );
        let mut longer = b"# a new first line\n".to_vec();
        longer.extend_from_slice(TEXT);
        std::fs::write(&path, longer).unwrap();
        assert_eq!(plan.features[0].source_line(2), None);
        std::fs::remove_file(path).unwrap();
    }
}
