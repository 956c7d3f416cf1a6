//! `Error`, the one error type that steps return.
//!
//! A step either finds that the API answered wrongly (an *assertion*, reported as a JUnit
//! `<failure>`) or cannot proceed at all (a missing variable, an unreachable host, a bad
//! argument: an *error*, reported as `<error>`). The kind carries the facts; `report::render`
//! places them against the feature file's line, so nothing here knows about files or colours.

use std::fmt;

/// What went wrong in a step, with the facts a tester needs to act on it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum ErrorKind {
    /// The response (or a variable) does not satisfy the check.
    Assertion {
        message: String,
        expected: Option<String>,
        actual: Option<String>,
    },
    /// A JSON Pointer names a key or index that is not in the document.
    PathNotFound {
        pointer: String,
        /// The longest prefix of `pointer` that does exist.
        found: String,
        /// What the document has at `found` (its keys, or its length), to point at the typo.
        there: String,
    },
    /// `#name`, `$NAME` or `@key` names nothing.
    UndefinedValue { sigil: char, name: String },
    /// Text that should be JSON is not.
    InvalidJson { what: String, error: String },
    /// A JSON check ran on a response whose body is not JSON.
    NotJson {
        content_type: Option<String>,
        starts_with: String,
        error: String,
    },
    /// A check ran before `When the URL is invoked`.
    NoResponse,
    /// The request could not be sent or its answer could not be read.
    Http { cause: HttpCause, message: String },
    /// A fault of apitest itself, never of the feature or the API.
    Internal(String),
    /// A step argument that cannot mean anything (`status is "abc"`, an unknown format).
    InvalidArgument(String),
    /// A data file could not be read, or is refused.
    File(String),
    /// No phrase of the step library matches the step's text.
    UnknownStep { suggestions: Vec<String> },
    /// More than one phrase matches the step's text.
    AmbiguousStep { phrases: Vec<String> },
}

/// Why a request failed, for the cases a tester handles differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum HttpCause {
    /// Nothing listens at the address.
    Refused,
    /// The host name does not resolve.
    Dns,
    /// The TLS handshake or the certificate failed.
    Tls,
    /// No answer (or no whole body) within the timeout.
    Timeout,
    /// The body is larger than the limit.
    TooLarge,
    /// The server redirects in a loop.
    Redirects,
    /// The connection closed before the answer was complete.
    Closed,
    /// The request could not be built (a bad URL, header or body).
    Request,
    /// The HTTP client could not be set up.
    Setup,
    /// The OAuth2 token endpoint refused the request or answered without a token.
    Token,
    /// Anything else the transport reports.
    Other,
}

/// The error every layer returns: a kind, plus where to point and what to suggest. It is
/// serialized into a shard's stream for `apitest merge`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Error {
    /// Boxed so that `Result<_, Error>` stays small on the happy path.
    pub kind: Box<ErrorKind>,
    /// Index of the step argument the error is about, so the report can underline it.
    pub arg: Option<usize>,
    pub hint: Option<String>,
    /// One line per difference, for whole-document comparisons.
    pub diff: Vec<String>,
    /// More labelled facts shown under expected/actual (the body of a wrong status, ...).
    #[serde(deserialize_with = "static_labels")]
    pub extra: Vec<(&'static str, String)>,
    /// Remarks made only of what the user wrote (scenario names, files), shown under the
    /// step's line and never redacted: names must read as written.
    pub notes: Vec<String>,
}

/// Labels read back from a shard's stream: each distinct one is kept once for the process,
/// as the labels written in the code are.
fn static_labels<'de, D: serde::Deserializer<'de>>(
    de: D,
) -> Result<Vec<(&'static str, String)>, D::Error> {
    use std::collections::HashSet;
    use std::sync::Mutex;
    static LABELS: Mutex<Option<HashSet<&'static str>>> = Mutex::new(None);
    let pairs: Vec<(String, String)> = serde::Deserialize::deserialize(de)?;
    let mut labels = LABELS
        .lock()
        .map_err(|_| serde::de::Error::custom("the label table is poisoned"))?;
    let labels = labels.get_or_insert_with(HashSet::new);
    Ok(pairs
        .into_iter()
        .map(|(label, value)| {
            let label = match labels.get(label.as_str()) {
                Some(known) => *known,
                None => {
                    let leaked: &'static str = Box::leak(label.into_boxed_str());
                    labels.insert(leaked);
                    leaked
                }
            };
            (label, value)
        })
        .collect())
}

impl Error {
    pub fn new(kind: ErrorKind) -> Self {
        Error {
            kind: Box::new(kind),
            arg: None,
            hint: None,
            diff: Vec::new(),
            extra: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// A remark made only of what the user wrote; see `notes`.
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// A failed check: `message` says what does not hold.
    pub fn assertion(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Assertion {
            message: message.into(),
            expected: None,
            actual: None,
        })
    }

    /// A failed check with the two values side by side.
    pub fn mismatch(
        message: impl Into<String>,
        expected: impl Into<String>,
        actual: impl Into<String>,
    ) -> Self {
        Self::new(ErrorKind::Assertion {
            message: message.into(),
            expected: Some(expected.into()),
            actual: Some(actual.into()),
        })
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidArgument(message.into()))
    }

    pub fn http(cause: HttpCause, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Http {
            cause,
            message: message.into(),
        })
    }

    /// A fault of apitest itself: shown as a bug to report, never blamed on the user.
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Internal(message.into()))
    }

    pub fn file(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::File(message.into()))
    }

    pub fn at_arg(mut self, index: usize) -> Self {
        self.arg = Some(index);
        self
    }

    pub fn with_detail(mut self, label: &'static str, value: impl Into<String>) -> Self {
        self.extra.push((label, value.into()));
        self
    }

    pub fn with_diff(mut self, diff: Vec<String>) -> Self {
        self.diff = diff;
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// True when the API answered and the answer was wrong; false when the step could not run.
    pub fn is_assertion(&self) -> bool {
        matches!(
            *self.kind,
            ErrorKind::Assertion { .. } | ErrorKind::PathNotFound { .. }
        )
    }

    /// The detail lines shown under the headline: expected/actual and similar facts.
    pub fn details(&self) -> Vec<(&'static str, String)> {
        let mut lines = self.kind_details();
        lines.extend(self.extra.iter().cloned());
        lines
    }

    fn kind_details(&self) -> Vec<(&'static str, String)> {
        match self.kind.as_ref() {
            ErrorKind::Assertion {
                expected, actual, ..
            } => {
                let mut lines = Vec::new();
                if let Some(e) = expected {
                    lines.push(("expected", e.clone()));
                }
                if let Some(a) = actual {
                    lines.push(("actual", a.clone()));
                }
                lines
            }
            ErrorKind::PathNotFound { found, there, .. } => {
                vec![("found", format!("`{found}` {there}"))]
            }
            ErrorKind::NotJson {
                content_type,
                starts_with,
                error,
            } => vec![
                (
                    "content type",
                    content_type.clone().unwrap_or_else(|| "(none)".into()),
                ),
                ("body starts with", starts_with.clone()),
                ("parse error", error.clone()),
            ],
            ErrorKind::UnknownStep { suggestions } => suggestions
                .iter()
                .map(|s| ("did you mean", s.clone()))
                .collect(),
            ErrorKind::AmbiguousStep { phrases } => {
                phrases.iter().map(|p| ("candidate", p.clone())).collect()
            }
            _ => Vec::new(),
        }
    }
}

impl fmt::Display for Error {
    /// The headline: a lowercase fragment, values in backticks.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind.as_ref() {
            ErrorKind::Assertion { message, .. } => write!(f, "{message}"),
            ErrorKind::PathNotFound { pointer, .. } => {
                write!(f, "path `{pointer}` is not in the response")
            }
            ErrorKind::UndefinedValue { sigil, name } => match sigil {
                '#' => write!(f, "variable `#{name}` is not defined"),
                '$' => write!(f, "environment variable `${name}` is not set"),
                '@' => write!(f, "config key `@{name}` is not defined"),
                _ => write!(f, "value `{sigil}{name}` is not defined"),
            },
            ErrorKind::InvalidJson { what, error } => {
                write!(f, "{what} is not valid JSON: {error}")
            }
            ErrorKind::NotJson { .. } => write!(f, "the response body is not JSON"),
            ErrorKind::NoResponse => write!(f, "no response yet"),
            ErrorKind::Http { message, .. } => write!(f, "{message}"),
            ErrorKind::Internal(message) => write!(f, "internal error in apitest: {message}"),
            ErrorKind::InvalidArgument(message) => write!(f, "{message}"),
            ErrorKind::File(message) => write!(f, "{message}"),
            ErrorKind::UnknownStep { .. } => write!(f, "no step matches this text"),
            ErrorKind::AmbiguousStep { phrases } => {
                write!(f, "this text matches {} steps", phrases.len())
            }
        }
    }
}

impl std::error::Error for Error {}

/// `s` for a plural count, for messages: `1 place`, `3 places`.
pub fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// A default hint for kinds whose remedy is always the same.
pub fn default_hint(kind: &ErrorKind) -> Option<&'static str> {
    match kind {
        ErrorKind::NoResponse => Some("add `When the URL is invoked` before checking the response"),
        ErrorKind::NotJson { .. } => Some(
            "to check a body that is not JSON, read it as text with `Given response format \"RAW\"` and use `Then response is equal to \"...\"`",
        ),
        ErrorKind::UnknownStep { .. } => Some("run `apitest steps WORD` to search the step list"),
        ErrorKind::Internal(_) => {
            Some("this is a bug in apitest; please report it with the feature file")
        }
        ErrorKind::UndefinedValue { sigil: '#', .. } => Some(
            "store it first (`Given I store \"value\" under \"name\"`) or pass `--var name=value`",
        ),
        ErrorKind::UndefinedValue { sigil: '$', .. } => {
            Some("export the variable before running apitest")
        }
        ErrorKind::UndefinedValue { sigil: '@', .. } => {
            Some("add the key to the `[user]` section of apitest.toml or features/config.ini")
        }
        _ => None,
    }
}

/// Whether a diagnostic reports a wrong answer or a run that could not proceed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Label {
    Failed,
    #[default]
    Error,
    /// Something the run goes on without, such as a Scenario Outline with no examples.
    Warning,
}

impl Label {
    pub fn as_str(self) -> &'static str {
        match self {
            Label::Failed => "failed",
            Label::Error => "error",
            Label::Warning => "warning",
        }
    }
}

/// Where a diagnostic points: a file, a line (0 for the whole file) and a column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub column: Option<usize>,
}

/// One line of the source excerpt under the location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Context {
    /// The gutter alone, to frame the excerpt.
    Gutter,
    /// A line of the file, numbered.
    Source { line: usize, text: String },
    /// `...`: lines left out between two shown.
    Elided,
    /// Carets under the part of the line above that is at fault.
    Carets(String),
    /// A remark on the line above naming places the user wrote (`(Background step, ...)`,
    /// `in "Log in", called at features/orders.feature:9`); never redacted.
    Note(String),
}

/// Every error as it is shown: label and headline, the place in the feature file with the
/// lines around it, the facts (expected, actual, ...), the differences, the request and a
/// hint. `report::render` draws it the same way for the console, JUnit and `apitest check`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Diagnostic {
    pub label: Label,
    pub headline: String,
    pub location: Option<Location>,
    pub context: Vec<Context>,
    /// The width of the line numbers in the gutter (at least 1).
    pub width: usize,
    pub details: Vec<(&'static str, String)>,
    pub diff: Vec<String>,
    pub request: Option<String>,
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error with no place in a feature file (a usage error, an unreadable config).
    pub fn error(headline: impl Into<String>) -> Self {
        Diagnostic {
            label: Label::Error,
            headline: headline.into(),
            ..Diagnostic::default()
        }
    }

    pub fn with_hint(mut self, hint: Option<&str>) -> Self {
        self.hint = hint.map(str::to_string);
        self
    }

    /// The number of digits of `line`, for the gutter.
    pub fn digits(line: usize) -> usize {
        line.to_string().len()
    }
}

impl Error {
    /// The diagnostic of this error, before it is placed in a file: label, headline, facts,
    /// differences and hint (the kind's default hint when the error gives none).
    pub fn diagnostic(&self) -> Diagnostic {
        Diagnostic {
            label: if self.is_assertion() {
                Label::Failed
            } else {
                Label::Error
            },
            headline: self.to_string(),
            details: self.details(),
            diff: self.diff.clone(),
            hint: self
                .hint
                .clone()
                .or_else(|| default_hint(&self.kind).map(str::to_string)),
            ..Diagnostic::default()
        }
    }
}
