//! `Response`: the last answer a scenario received: status, headers, the raw body, and the
//! body parsed as JSON once, on first use.

use std::fmt;
use std::sync::OnceLock;
use std::time::Duration;

use reqwest::header::HeaderMap;
use serde_json::Value;

use crate::error::{Error, ErrorKind};
use crate::http::Format;

/// One line about the exchange, attached to every failure that follows it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RequestSummary {
    pub method: String,
    pub url: String,
    /// The path of the URL as requested, before any redirect: what names the operation.
    pub path: String,
    pub status: Option<u16>,
    pub elapsed: Duration,
}

impl fmt::Display for RequestSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.url)?;
        match self.status {
            Some(status) => write!(f, " -> {status}"),
            None => write!(f, " -> no response"),
        }
    }
}

#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    /// How the body is meant to be read (`response format`, else `format`, else JSON).
    pub format: Format,
    pub summary: RequestSummary,
    json: OnceLock<Result<Value, String>>,
}

impl Response {
    pub fn new(
        status: u16,
        headers: HeaderMap,
        body: Vec<u8>,
        format: Format,
        summary: RequestSummary,
    ) -> Self {
        Response {
            status,
            headers,
            body,
            format,
            summary,
            json: OnceLock::new(),
        }
    }

    /// The body parsed as JSON; an error that says what the body is instead.
    pub fn json(&self) -> Result<&Value, Error> {
        let parsed = self.json.get_or_init(|| {
            if self.body.is_empty() {
                return Err("the body is empty".into());
            }
            // One pass for UTF-8, then the parser reads the checked text.
            match std::str::from_utf8(&self.body) {
                Err(e) => Err(format!(
                    "the body is not valid UTF-8 (invalid byte 0x{:02x} at offset {})",
                    self.body.get(e.valid_up_to()).copied().unwrap_or(0),
                    e.valid_up_to()
                )),
                Ok(text) => serde_json::from_str(text).map_err(|e| e.to_string()),
            }
        });
        parsed.as_ref().map_err(|error| {
            Error::new(ErrorKind::NotJson {
                content_type: self.header("content-type").map(str::to_string),
                starts_with: self.preview(60),
                error: error.clone(),
            })
        })
    }

    /// The first value of a header, looked up in any letter case; several values are joined
    /// with `, ` as HTTP allows.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// All values of a header joined with `, `, or None when it is absent.
    pub fn header_joined(&self, name: &str) -> Option<String> {
        let mut values = self.headers.get_all(name).iter().peekable();
        values.peek()?;
        let parts: Vec<String> = values
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
            .collect();
        Some(parts.join(", "))
    }

    /// The body as text (invalid UTF-8 shown with replacement characters).
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }

    /// The start of the body as it reads, on one line, cut to `max` characters: enough of an
    /// error envelope to show its message.
    pub fn excerpt(&self, max: usize) -> String {
        if self.body.is_empty() {
            return "empty".into();
        }
        let text = self.text();
        let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut cut: String = flat.chars().take(max).collect();
        if flat.chars().count() > max {
            cut.push('…');
        }
        cut
    }

    /// The start of the body, quoted and cut to `max` characters, for messages.
    pub fn preview(&self, max: usize) -> String {
        if self.body.is_empty() {
            return "(empty body)".into();
        }
        let text = self.text();
        let mut cut: String = text.chars().take(max).collect();
        if text.chars().count() > max {
            cut.push('…');
        }
        format!("{cut:?}")
    }
}
