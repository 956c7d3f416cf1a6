//! `RequestSpec`: the request a scenario builds step by step, and its conversion into a real
//! HTTP request when `When the URL is invoked` runs.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use serde_json::Value;

use crate::error::Error;

pub const USER_AGENT: &str = concat!("apitest/", env!("CARGO_PKG_VERSION"));

/// How a body is written (request) or read (response).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Xml,
    Raw,
    Form,
}

impl Format {
    /// Parses `JSON`, `XML`, `RAW` or `FORM` (any letter case).
    pub fn parse(name: &str) -> Result<Format, Error> {
        match name.trim().to_ascii_uppercase().as_str() {
            "JSON" => Ok(Format::Json),
            "XML" => Ok(Format::Xml),
            "RAW" => Ok(Format::Raw),
            "FORM" => Ok(Format::Form),
            _ => Err(Error::invalid(format!("unknown format `{name}`"))
                .at_arg(0)
                .with_hint("use one of JSON, XML, RAW, FORM")),
        }
    }

    /// The folder name of this format's data files (`json/request/...`).
    pub fn folder(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Xml => "xml",
            Format::Raw => "raw",
            Format::Form => "form",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Json => "JSON",
            Format::Xml => "XML",
            Format::Raw => "RAW",
            Format::Form => "FORM",
        })
    }
}

/// The request body as the steps left it.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Body {
    #[default]
    None,
    /// A JSON document, which `path ... in request is ...` steps edit in place.
    Json(Value),
    /// Text sent as written (RAW, XML).
    Text(String),
}

/// The body a request is sent with, decided once for sending and for contract checks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum WireBody<'a> {
    None,
    Json(&'a Value),
    Text(&'a str),
    /// Form fields, URL-encoded.
    Form(&'a [(String, String)]),
    /// Uploads: the text fields and the files.
    Multipart(&'a [(String, String)], &'a [(String, PathBuf)]),
}

impl WireBody<'_> {
    /// The content type the body is sent with when no header says otherwise.
    pub fn default_content_type(&self) -> Option<&'static str> {
        match self {
            WireBody::None | WireBody::Text(_) => None,
            WireBody::Json(_) => Some("application/json"),
            WireBody::Form(_) => Some("application/x-www-form-urlencoded"),
            WireBody::Multipart(..) => Some("multipart/form-data"),
        }
    }
}

/// Everything that `Given` steps set about the next request.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestSpec {
    pub address: Option<String>,
    pub path: String,
    pub method: String,
    /// Appended to the URL as written, `?` included.
    pub query: String,
    /// In the order set; names compare without regard to letter case.
    pub headers: Vec<(String, String)>,
    pub format: Option<Format>,
    pub response_format: Option<Format>,
    pub body: Body,
    pub form: Vec<(String, String)>,
    /// Multipart uploads: field name and file path.
    pub files: Vec<(String, PathBuf)>,
    pub basic_auth: Option<(String, String)>,
    /// Digest credentials, used to answer a 401's `WWW-Authenticate: Digest` challenge.
    pub digest_auth: Option<(String, String)>,
    pub bearer: Option<String>,
    pub timeout: Option<Duration>,
    /// Skip TLS certificate verification for this scenario's requests.
    pub insecure: bool,
    /// Return a 3xx as it is instead of following it (`Given redirects are not followed`).
    pub no_redirects: bool,
}

impl Default for RequestSpec {
    fn default() -> Self {
        RequestSpec {
            address: None,
            no_redirects: false,
            path: "/".into(),
            method: "GET".into(),
            query: String::new(),
            headers: vec![("User-Agent".into(), USER_AGENT.into())],
            format: None,
            response_format: None,
            body: Body::None,
            form: Vec::new(),
            files: Vec::new(),
            basic_auth: None,
            digest_auth: None,
            bearer: None,
            timeout: None,
            insecure: false,
        }
    }
}

impl RequestSpec {
    /// Adds a header, replacing any earlier one of the same name.
    pub fn set_header(&mut self, name: &str, value: String) {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name.to_string(), value));
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// What goes on the wire: uploads make it multipart, else form fields make it a form,
    /// else the body as the steps left it.
    pub fn wire_body(&self) -> WireBody<'_> {
        if !self.files.is_empty() {
            WireBody::Multipart(&self.form, &self.files)
        } else if !self.form.is_empty() {
            WireBody::Form(&self.form)
        } else {
            match &self.body {
                Body::None => WireBody::None,
                Body::Json(doc) => WireBody::Json(doc),
                Body::Text(text) => WireBody::Text(text),
            }
        }
    }

    /// The format responses are read with: `response format`, else `format`, else JSON.
    pub fn effective_response_format(&self) -> Format {
        self.response_format.or(self.format).unwrap_or(Format::Json)
    }

    /// The full URL: address, path and query string joined as written.
    pub fn url(&self) -> Result<reqwest::Url, Error> {
        let address = self.address.as_deref().ok_or_else(|| {
            Error::invalid("no address is set for this request").with_hint(
                "add `Given address \"http://host:port\"` before `When the URL is invoked`",
            )
        })?;
        let address = address.trim_end_matches('/');
        if !address.contains("://") {
            return Err(
                Error::invalid(format!("address `{address}` has no scheme")).with_hint(format!(
                    "write it as `http://{address}` or `https://{address}`"
                )),
            );
        }
        let path = if self.path.is_empty() || self.path.starts_with('/') {
            self.path.clone()
        } else {
            format!("/{}", self.path)
        };
        let text = format!("{address}{path}{}", self.query);
        let url = reqwest::Url::parse(&text).map_err(|e| {
            Error::invalid(format!("`{text}` is not a valid URL: {e}"))
                .with_hint("check `Given address`, `Given URL path` and `Given query string`")
        })?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Error::invalid(format!(
                "scheme `{}` is not supported in `{text}`",
                url.scheme()
            ))
            .with_hint("use an http:// or https:// address"));
        }
        Ok(url)
    }

    pub fn http_method(&self) -> Result<reqwest::Method, Error> {
        reqwest::Method::from_bytes(self.method.as_bytes()).map_err(|_| {
            Error::invalid(format!("`{}` is not a valid HTTP method", self.method))
                .with_hint("use a method such as GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS")
        })
    }
}

/// A URL component (a query name or value, a path segment): every byte but the unreserved
/// characters (`A-Z a-z 0-9 - . _ ~`) percent-encoded.
pub fn url_component(text: &str) -> String {
    const KEEP: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(text, KEEP).to_string()
}
