//! `Exchange`: the request a failing step concerned and the answer it got, kept for the
//! reports (JUnit's `<system-out>`, the HTML report, Cucumber attachments) and as a `curl`
//! command line that sends the same request again. Credential headers are masked here, as
//! in `-v` output; the scenario's other secrets are redacted by each report on its way out.

use std::fmt::Write as _;

use crate::http::{RequestSpec, Response, WireBody};
use crate::secret::mask_header;

/// Response bodies are kept up to this many characters: enough to read, never a whole dump.
const BODY_SHOWN: usize = 8_000;

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Exchange {
    /// `> GET http://…` lines: the request as the steps set it up.
    pub request: String,
    /// `< 200 (3 ms)` lines, or none when no answer came.
    pub response: Option<String>,
    /// The same request as a shell command.
    pub curl: String,
}

impl Exchange {
    /// The exchange of `spec` (sent with `cookies`, the `Cookie` header the jar gave it) and,
    /// when one came, `response`.
    pub fn capture(spec: &RequestSpec, cookies: Option<&str>, response: Option<&Response>) -> Self {
        Exchange {
            request: describe_request(spec, cookies),
            response: response.map(|r| describe_response(r, BODY_SHOWN)),
            curl: curl(spec, cookies),
        }
    }

    /// Request and response as one text block.
    pub fn text(&self) -> String {
        match &self.response {
            Some(response) => format!("{}\n\n{response}", self.request),
            None => format!("{}\n\n< no response", self.request),
        }
    }
}

fn url_of(spec: &RequestSpec) -> String {
    spec.url().map_or_else(
        |_| {
            format!(
                "{}{}{}",
                spec.address.as_deref().unwrap_or(""),
                spec.path,
                spec.query
            )
        },
        |u| u.to_string(),
    )
}

/// The headers the request carries, with the `Authorization` the auth steps add.
fn headers_of(spec: &RequestSpec, cookies: Option<&str>) -> Vec<(String, String)> {
    let auth = spec.basic_auth.is_some() || spec.bearer.is_some() || spec.digest_auth.is_some();
    let mut headers: Vec<(String, String)> = spec
        .headers
        .iter()
        .filter(|(name, _)| !(auth && name.eq_ignore_ascii_case("authorization")))
        .cloned()
        .collect();
    if let (None, Some(token)) = (&spec.basic_auth, &spec.bearer) {
        headers.push(("Authorization".into(), format!("Bearer {token}")));
    }
    let has_type = headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("content-type"));
    if let (false, Some(kind)) = (has_type, spec.wire_body().default_content_type()) {
        headers.push(("Content-Type".into(), kind.into()));
    }
    if let Some(cookies) = cookies.filter(|c| !c.is_empty())
        && spec.header("cookie").is_none()
    {
        headers.push(("Cookie".into(), cookies.into()));
    }
    headers
}

/// The body as text, for showing: JSON compact, forms URL-encoded, uploads by file name.
fn body_of(spec: &RequestSpec) -> Option<String> {
    match spec.wire_body() {
        WireBody::None => None,
        WireBody::Json(value) => Some(value.to_string()),
        WireBody::Text(text) => Some(text.to_string()),
        WireBody::Form(fields) => Some(
            fields
                .iter()
                .map(|(k, v)| format!("{}={}", form_encode(k), form_encode(v)))
                .collect::<Vec<_>>()
                .join("&"),
        ),
        WireBody::Multipart(fields, files) => Some(
            fields
                .iter()
                .map(|(k, v)| format!("{k}: {v}"))
                .chain(
                    files
                        .iter()
                        .map(|(k, p)| format!("{k}: file {}", p.display())),
                )
                .collect::<Vec<_>>()
                .join("\n"),
        ),
    }
}

fn form_encode(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}

fn describe_request(spec: &RequestSpec, cookies: Option<&str>) -> String {
    let mut out = format!("> {} {}", spec.method, url_of(spec));
    if let Some((user, _)) = &spec.basic_auth {
        out.push_str(&format!("\n> Authorization: Basic *** (user {user})"));
    }
    for (name, value) in headers_of(spec, cookies) {
        let _ = write!(out, "\n> {name}: {}", mask_header(&name, &value));
    }
    if let Some(body) = body_of(spec) {
        out.push_str("\n>\n");
        out.push_str(&cut(&body, BODY_SHOWN));
    }
    out
}

/// `< 200 (3 ms)`, the headers (credentials masked) and the body up to `max` characters:
/// for the reports and for `-v` transcripts alike.
pub fn describe_response(response: &Response, max: usize) -> String {
    let mut out = format!(
        "< {} ({} ms)",
        response.status,
        response.summary.elapsed.as_millis()
    );
    for (name, value) in &response.headers {
        let value = String::from_utf8_lossy(value.as_bytes());
        let _ = write!(out, "\n< {name}: {}", mask_header(name.as_str(), &value));
    }
    if !response.body.is_empty() {
        out.push_str("\n<\n");
        out.push_str(&cut(&response.text(), max));
    }
    out
}

/// `text` cut at `max` characters, saying so.
fn cut(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_string(),
        // The `…` right after the cut: redaction then masks a secret cut in two, too.
        Some((at, _)) => format!(
            "{}…\n({} more bytes not shown)",
            text.get(..at).unwrap_or(text),
            text.len() - at
        ),
    }
}

/// `text` quoted for a POSIX shell: in single quotes, each `'` written as `'\''`.
fn quote(text: &str) -> String {
    if !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c))
    {
        return text.to_string();
    }
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// The request as a `curl` command line. apitest follows redirects and decodes compressed
/// answers by default, so the command says `-L` and `--compressed` too. Credentials appear
/// as the feature gave them; the reports redact the scenario's secrets from it like any text.
pub fn curl(spec: &RequestSpec, cookies: Option<&str>) -> String {
    let mut parts: Vec<String> = vec!["curl".into()];
    let has_body = !matches!(spec.wire_body(), WireBody::None);
    // A body makes curl send a POST by itself, and a POST it chose is turned into a GET on a
    // 301/302/303 as apitest does (`-X POST` would re-post); HEAD wants `-I`, or curl waits
    // for a body that never comes.
    match spec.method.as_str() {
        "GET" if !has_body => {}
        "POST" if has_body => {}
        "HEAD" => parts.push("-I".into()),
        method => parts.extend(["-X".into(), quote(method)]),
    }
    parts.push(quote(&url_of(spec)));
    if !spec.no_redirects {
        parts.push("-L".into());
    }
    parts.push("--compressed".into());
    if spec.insecure {
        parts.push("-k".into());
    }
    if let Some(timeout) = spec.timeout {
        parts.extend(["--max-time".into(), format!("{}", timeout.as_secs_f64())]);
    }
    match (&spec.basic_auth, &spec.digest_auth) {
        (Some((user, password)), _) => {
            parts.extend(["-u".into(), quote(&format!("{user}:{password}"))])
        }
        (None, Some((user, password))) => parts.extend([
            "--digest".into(),
            "-u".into(),
            quote(&format!("{user}:{password}")),
        ]),
        _ => {}
    }
    for (name, value) in headers_of(spec, cookies) {
        // curl sets these itself for forms and uploads, with the boundary a multipart needs;
        // apitest's own User-Agent says nothing a server needs to answer the same way.
        let form = matches!(
            spec.wire_body(),
            WireBody::Form(_) | WireBody::Multipart(..)
        );
        let own = (form && name.eq_ignore_ascii_case("content-type"))
            || (name.eq_ignore_ascii_case("user-agent")
                && value == crate::http::request::USER_AGENT);
        if !own {
            parts.extend(["-H".into(), quote(&format!("{name}: {value}"))]);
        }
    }
    match spec.wire_body() {
        WireBody::None => {}
        WireBody::Json(value) => parts.extend(["--data-binary".into(), quote(&value.to_string())]),
        WireBody::Text(text) => parts.extend(["--data-binary".into(), quote(text)]),
        WireBody::Form(fields) => {
            for (k, v) in fields {
                // curl encodes what follows the first `=`; the name goes as it is given.
                parts.extend([
                    "--data-urlencode".into(),
                    quote(&format!("{}={v}", form_encode(k))),
                ]);
            }
        }
        WireBody::Multipart(fields, files) => {
            for (k, v) in fields {
                parts.extend(["--form-string".into(), quote(&format!("{k}={v}"))]);
            }
            for (k, path) in files {
                parts.extend(["-F".into(), quote(&format!("{k}=@{}", path.display()))]);
            }
        }
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::Body;

    fn spec() -> RequestSpec {
        RequestSpec {
            address: Some("http://127.0.0.1:9".into()),
            path: "/api/items".into(),
            ..RequestSpec::default()
        }
    }

    #[test]
    fn a_get_is_a_plain_curl_with_the_headers_set() {
        let mut s = spec();
        s.set_header("X-Trace", "it's 1".into());
        let line = curl(&s, None);
        assert_eq!(
            line,
            "curl http://127.0.0.1:9/api/items -L --compressed -H 'X-Trace: it'\\''s 1'"
        );
    }

    #[test]
    fn a_json_post_says_its_method_body_and_content_type() {
        let mut s = spec();
        s.method = "POST".into();
        s.body = Body::Json(serde_json::json!({"name": "O'Brien"}));
        s.bearer = Some("tok-123".into());
        s.no_redirects = true;
        let line = curl(&s, Some("session=abc"));
        assert!(
            line.starts_with("curl http://127.0.0.1:9/api/items --compressed"),
            "{line}"
        );
        assert!(
            line.contains("-H 'Authorization: Bearer tok-123'"),
            "{line}"
        );
        assert!(
            line.contains("-H 'Content-Type: application/json'"),
            "{line}"
        );
        assert!(line.contains("-H 'Cookie: session=abc'"), "{line}");
        assert!(
            line.ends_with(r#"--data-binary '{"name":"O'\''Brien"}'"#),
            "{line}"
        );
        assert!(!line.contains(" -L"), "{line}");
    }

    #[test]
    fn forms_and_uploads_leave_the_content_type_to_curl() {
        let mut s = spec();
        s.method = "POST".into();
        s.form = vec![("a b".into(), "c&d".into())];
        let line = curl(&s, None);
        assert!(line.contains("--data-urlencode 'a%20b=c&d'"), "{line}");
        assert!(!line.contains("Content-Type"), "{line}");
        s.files = vec![("doc".into(), "up/load.txt".into())];
        let line = curl(&s, None);
        assert!(
            line.contains("--form-string 'a b=c&d' -F doc=@up/load.txt"),
            "{line}"
        );
    }

    #[test]
    fn the_request_text_masks_credential_headers() {
        let mut s = spec();
        s.basic_auth = Some(("hr".into(), "pw-1".into()));
        let exchange = Exchange::capture(&s, None, None);
        assert!(exchange.request.contains("Basic *** (user hr)"));
        assert!(!exchange.request.contains("pw-1"));
        assert!(exchange.curl.contains("-u hr:pw-1"), "{}", exchange.curl);
        assert!(exchange.text().ends_with("< no response"));
    }

    #[test]
    fn long_bodies_are_cut_and_say_so() {
        let text = "é".repeat(BODY_SHOWN + 5);
        let shown = cut(&text, BODY_SHOWN);
        assert!(shown.ends_with("é…\n(10 more bytes not shown)"), "{shown}");
    }
}
