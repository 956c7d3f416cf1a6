//! Sends the request a World has built and reads the answer, bounded in time and size.
//!
//! Every failure becomes a `Error` that names the fault in a tester's words (connection
//! refused, name not resolved, certificate not trusted, timed out) rather than a library's.

use std::time::{Duration, Instant};

use crate::error::{Error, HttpCause};
use crate::http::client::MAX_REDIRECTS;
use crate::http::{HttpClient, RequestSpec, RequestSummary, Response, WireBody};
use crate::secret::mask_header;

/// Sends `spec` and returns the response; `record` receives request/response text for
/// verbose transcripts (secrets are redacted later, when the transcript is printed).
pub async fn send(
    client: &HttpClient,
    spec: &RequestSpec,
    default_timeout: Duration,
    max_body: u64,
    record: Option<&mut Vec<String>>,
    jar: Option<&mut cookie_store::CookieStore>,
) -> Result<Response, Error> {
    let url = spec.url()?;
    let method = spec.http_method()?;
    let timeout = spec.timeout.unwrap_or(default_timeout);
    let mut builder = client
        .inner
        .request(method.clone(), url.clone())
        .timeout(timeout);

    let mut has_content_type = false;
    // Every encoding apitest decodes is offered, unless the feature asks for one itself.
    if !spec
        .headers
        .iter()
        .any(|(name, _)| name.eq_ignore_ascii_case("accept-encoding"))
    {
        builder = builder.header("Accept-Encoding", ACCEPTED_ENCODINGS);
    }
    for (name, value) in &spec.headers {
        has_content_type |= name.eq_ignore_ascii_case("content-type");
        // Basic Auth and an OAuth2 bearer token replace any Authorization header set by a
        // header step, as in Zato's apitest; sending two would be ambiguous.
        if (spec.bearer.is_some() || spec.basic_auth.is_some() || spec.digest_auth.is_some())
            && name.eq_ignore_ascii_case("authorization")
        {
            continue;
        }
        builder = builder.header(name.as_str(), value.as_str());
    }
    // Basic Auth wins over a bearer token, as in Zato's apitest; Digest Auth answers the
    // server's challenge below, so the first request carries no credentials at all.
    match (&spec.basic_auth, &spec.digest_auth, &spec.bearer) {
        (Some((user, password)), _, _) => builder = builder.basic_auth(user, Some(password)),
        (None, None, Some(token)) => builder = builder.bearer_auth(token),
        _ => {}
    }
    builder = attach_body(builder, spec, has_content_type)?;

    let request = builder.build().map_err(|e| {
        Error::http(
            HttpCause::Request,
            format!("cannot build the request: {}", describe(&e)),
        )
    })?;
    let mut summary = RequestSummary {
        method: method.to_string(),
        url: url.to_string(),
        path: url.path().to_string(),
        status: None,
        elapsed: Duration::ZERO,
    };
    let mut transcript = record;
    if let Some(log) = transcript.as_deref_mut() {
        log.push(describe_request(&request));
    }

    // A slot at the host, held until the body is read; waiting for it is not the response's
    // time, nor the timeout's.
    let _slot = client.limits.acquire(&url).await;
    let started = Instant::now();
    let follow_redirects = !spec.no_redirects;
    let digest = spec
        .digest_auth
        .as_ref()
        .map(|user| (user, request.try_clone()));
    let mut jar = jar;
    let mut response = follow(
        client,
        request,
        &summary,
        timeout,
        jar.as_deref_mut(),
        follow_redirects,
    )
    .await?;
    if let Some(((user, password), again)) = digest
        && response.status() == reqwest::StatusCode::UNAUTHORIZED
        && let Some(challenge) = digest_challenge(response.headers())
    {
        let Some(mut again) = again else {
            return Err(Error::http(
                HttpCause::Request,
                "the server asks for Digest Auth, and a file upload cannot be sent a second time",
            ));
        };
        let answer = digest_answer(&challenge, user, password, &again)?;
        again
            .headers_mut()
            .insert(reqwest::header::AUTHORIZATION, answer);
        if let Some(log) = transcript.as_deref_mut() {
            log.push(
                "< 401: a Digest Auth challenge, answered by sending the request again".into(),
            );
            log.push(describe_request(&again));
        }
        response = follow(client, again, &summary, timeout, jar, follow_redirects).await?;
    }
    summary.status = Some(response.status().as_u16());
    // After redirects, the URL that answered is the one worth naming.
    summary.url = response.url().to_string();

    let mut body = Vec::new();
    if let Some(length) = response.content_length()
        && length > max_body
    {
        return Err(too_large(length, max_body));
    }
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if (body.len() + chunk.len()) as u64 > max_body {
                    return Err(too_large((body.len() + chunk.len()) as u64, max_body));
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => break,
            Err(e) => return Err(body_error(&e, &summary, timeout)),
        }
    }
    summary.elapsed = started.elapsed();
    let status = response.status().as_u16();
    let headers = std::mem::take(response.headers_mut());
    // The body is decoded here rather than by the client, so that `Content-Encoding` (and
    // the wire size in `Content-Length`) stay visible to header checks.
    let encoding = headers
        .get(reqwest::header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let body = match encoding {
        Some(encoding) if status != 204 && status != 304 && !body.is_empty() => {
            decode(body, &encoding, max_body)?
        }
        _ => body,
    };
    let answer = Response::new(
        status,
        headers,
        body,
        spec.effective_response_format(),
        summary,
    );
    if let Some(log) = transcript {
        log.push(crate::http::exchange::describe_response(&answer, 4000));
    }
    Ok(answer)
}

/// Sends `request`, following redirects as browsers and curl do: up to `MAX_REDIRECTS` hops;
/// 303 (and 301/302 after a POST) turn into a GET without a body; 307/308 repeat the method
/// and body (a body that cannot be sent twice, a multipart upload, stops at the redirect).
/// On a hop to another origin (scheme, host or port) every header apitest counts as a
/// credential is dropped, not only `Authorization` and `Cookie`.
///
/// With a cookie jar, every hop sends the jar's cookies for its URL (by domain, path, secure
/// and expiry rules) unless the feature set a `Cookie` header itself, and every response's
/// `Set-Cookie` (a redirect's too) goes into the jar.
async fn follow(
    client: &HttpClient,
    first: reqwest::Request,
    summary: &RequestSummary,
    timeout: Duration,
    mut jar: Option<&mut cookie_store::CookieStore>,
    follow_redirects: bool,
) -> Result<reqwest::Response, Error> {
    let mut current = first;
    let mut hops = 0;
    let own_cookie = current.headers().contains_key(reqwest::header::COOKIE);
    loop {
        if let Some(jar) = jar.as_deref()
            && !own_cookie
        {
            let pairs: Vec<String> = jar
                .get_request_values(current.url())
                .map(|(name, value)| format!("{name}={value}"))
                .collect();
            current.headers_mut().remove(reqwest::header::COOKIE);
            if !pairs.is_empty()
                && let Ok(value) = reqwest::header::HeaderValue::from_str(&pairs.join("; "))
            {
                current.headers_mut().insert(reqwest::header::COOKIE, value);
            }
        }
        let again = current.try_clone();
        let retry = current.try_clone();
        let idempotent = matches!(
            current.method().as_str(),
            "GET" | "HEAD" | "PUT" | "DELETE" | "OPTIONS" | "TRACE"
        );
        let response = match client.inner.execute(current).await {
            Ok(response) => response,
            // A pooled connection the server closed while it sat idle (uvicorn does after
            // a 500, and every server at its keep-alive timeout): an idempotent request is
            // sent once more on a new connection, as curl and browsers do.
            Err(e) if idempotent && stale_connection(&e) => match retry {
                Some(again) => client
                    .fresh
                    .execute(again)
                    .await
                    .map_err(|e| transport_error(&e, summary, timeout))?,
                None => return Err(transport_error(&e, summary, timeout)),
            },
            Err(e) if stale_connection(&e) => {
                return Err(transport_error(&e, summary, timeout).with_hint(
                    "the server closed a kept-alive connection as the request was sent; a POST or PATCH is not sent twice, since it may not be safe to repeat",
                ));
            }
            Err(e) => return Err(transport_error(&e, summary, timeout)),
        };
        if let Some(jar) = jar.as_deref_mut() {
            for value in response.headers().get_all(reqwest::header::SET_COOKIE) {
                if let Ok(text) = value.to_str() {
                    let _ = jar.parse(text, response.url());
                }
            }
        }
        let status = response.status();
        let location = response
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|l| response.url().join(l).ok());
        let (Some(mut next), Some(target)) = (again, location) else {
            return Ok(response);
        };
        if !follow_redirects
            || !status.is_redirection()
            || status == reqwest::StatusCode::NOT_MODIFIED
        {
            return Ok(response);
        }
        if hops == MAX_REDIRECTS {
            return Err(Error::http(
                HttpCause::Redirects,
                format!(
                    "too many redirects (more than {MAX_REDIRECTS}) starting at {}",
                    summary.url
                ),
            )
            .with_hint("the server redirects in a loop"));
        }
        hops += 1;
        let code = status.as_u16();
        let post = next.method() == reqwest::Method::POST;
        if code == 303 && next.method() != reqwest::Method::HEAD
            || (code == 301 || code == 302) && post
        {
            *next.method_mut() = reqwest::Method::GET;
            *next.body_mut() = None;
            for name in ["content-type", "content-length", "content-encoding"] {
                next.headers_mut().remove(name);
            }
        }
        if origin(next.url()) != origin(&target) {
            let credentials: Vec<reqwest::header::HeaderName> = next
                .headers()
                .keys()
                .filter(|name| crate::secret::is_secret_header(name.as_str()))
                .cloned()
                .collect();
            for name in credentials {
                next.headers_mut().remove(name);
            }
        }
        *next.url_mut() = target;
        current = next;
    }
}

/// Whether a send failed because the connection was closed under it before any answer (a
/// reused keep-alive connection the server had already closed).
fn stale_connection(e: &reqwest::Error) -> bool {
    if e.is_timeout() || e.is_connect() {
        return false;
    }
    let root = root_cause(e).to_ascii_lowercase();
    [
        "connection closed before message completed",
        "connection reset",
        "broken pipe",
    ]
    .iter()
    .any(|m| root.contains(m))
}

/// A URL's origin: scheme, host and port.
fn origin(url: &reqwest::Url) -> (String, Option<String>, Option<u16>) {
    (
        url.scheme().to_string(),
        url.host_str().map(str::to_ascii_lowercase),
        url.port_or_known_default(),
    )
}

fn attach_body(
    builder: reqwest::RequestBuilder,
    spec: &RequestSpec,
    has_content_type: bool,
) -> Result<reqwest::RequestBuilder, Error> {
    Ok(match spec.wire_body() {
        WireBody::None => builder,
        WireBody::Multipart(fields, files) => {
            let mut form = reqwest::multipart::Form::new();
            for (name, value) in fields {
                form = form.text(name.clone(), value.clone());
            }
            for (field, path) in files {
                let bytes = std::fs::read(path).map_err(|e| {
                    Error::file(format!("cannot read upload `{}`: {e}", path.display()))
                })?;
                let file_name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let part = reqwest::multipart::Part::bytes(bytes)
                    .file_name(file_name)
                    .mime_str(content_type_of(path))
                    .map_err(|e| {
                        Error::invalid(format!("cannot upload `{}`: {e}", path.display()))
                    })?;
                form = form.part(field.clone(), part);
            }
            builder.multipart(form)
        }
        WireBody::Form(fields) => builder.form(fields),
        WireBody::Json(value) => {
            let text = serde_json::to_vec(value)
                .map_err(|e| Error::invalid(format!("cannot serialise the request: {e}")))?;
            let builder = if has_content_type {
                builder
            } else {
                builder.header("Content-Type", "application/json")
            };
            builder.body(text)
        }
        WireBody::Text(text) => {
            // Every format says what it sends, unless the feature set a Content-Type itself;
            // without one a server does not parse a form or an XML body.
            let content_type = match spec.format {
                _ if has_content_type => None,
                Some(crate::http::Format::Form) => Some("application/x-www-form-urlencoded"),
                Some(crate::http::Format::Xml) => Some("application/xml"),
                Some(crate::http::Format::Json) => Some("application/json"),
                _ => None,
            };
            let builder = match content_type {
                Some(value) => builder.header("Content-Type", value),
                None => builder,
            };
            builder.body(text.to_string())
        }
    })
}

/// The content type of an upload, from its file name; unknown kinds are plain bytes.
fn content_type_of(path: &std::path::Path) -> &'static str {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "txt" => "text/plain",
        "csv" => "text/csv",
        "json" => "application/json",
        "xml" => "application/xml",
        "html" | "htm" => "text/html",
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

/// What `Accept-Encoding` offers: every encoding `decode` reads.
const ACCEPTED_ENCODINGS: &str = "gzip, deflate, br, zstd";

/// Undoes `Content-Encoding` (a list is undone last first): gzip, deflate (zlib, or raw as
/// some servers send it), br and zstd; `identity` and encodings apitest does not know leave
/// the body as it came. The decoded size is bounded by `max_body`, so a small compressed body
/// cannot expand without limit.
fn decode(body: Vec<u8>, encoding: &str, max_body: u64) -> Result<Vec<u8>, Error> {
    use std::io::Read;
    let mut body = body;
    for coding in encoding
        .split(',')
        .rev()
        .map(|c| c.trim().to_ascii_lowercase())
    {
        let reader: Box<dyn Read + '_> = match coding.as_str() {
            "gzip" | "x-gzip" => Box::new(flate2::read::MultiGzDecoder::new(body.as_slice())),
            "deflate" if body.first().is_some_and(|b| b & 0x0f == 8) => {
                Box::new(flate2::read::ZlibDecoder::new(body.as_slice()))
            }
            "deflate" => Box::new(flate2::read::DeflateDecoder::new(body.as_slice())),
            "br" => Box::new(brotli_decompressor::Decompressor::new(
                body.as_slice(),
                4096,
            )),
            "zstd" => match ruzstd::decoding::StreamingDecoder::new(body.as_slice()) {
                Ok(decoder) => Box::new(decoder),
                Err(e) => return Err(undecodable(&coding, &e.to_string())),
            },
            _ => continue,
        };
        let mut decoded = Vec::new();
        reader
            .take(max_body.saturating_add(1))
            .read_to_end(&mut decoded)
            .map_err(|e| undecodable(&coding, &e.to_string()))?;
        if decoded.len() as u64 > max_body {
            return Err(too_large(decoded.len() as u64, max_body)
                .with_detail("content encoding", coding.clone()));
        }
        body = decoded;
    }
    Ok(body)
}

fn undecodable(coding: &str, why: &str) -> Error {
    Error::http(
        HttpCause::Other,
        format!("the response body is not valid `{coding}` data, though `Content-Encoding` says so: {why}"),
    )
    .with_hint("the server's Content-Encoding header does not match its body; check the server, or read the body raw with `Given header \"Accept-Encoding\" \"identity\"`")
}

fn too_large(length: u64, max_body: u64) -> Error {
    Error::http(
        HttpCause::TooLarge,
        format!("the response body is larger than the limit ({length} bytes > {max_body} bytes)"),
    )
    .with_hint("raise `[run] max_body_mib` in apitest.toml if such bodies are expected")
}

/// The innermost cause of an error, which is usually the one a person understands.
fn root_cause(e: &reqwest::Error) -> String {
    let mut cause: &dyn std::error::Error = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

fn describe(e: &reqwest::Error) -> String {
    let root = root_cause(e);
    let top = e.to_string();
    if top.contains(&root) {
        top
    } else {
        format!("{top}: {root}")
    }
}

fn host_of(summary: &RequestSummary) -> String {
    reqwest::Url::parse(&summary.url)
        .ok()
        .and_then(|u| {
            u.host_str()
                .map(|h| format!("{h}:{}", u.port_or_known_default().unwrap_or(0)))
        })
        .unwrap_or_else(|| summary.url.clone())
}

fn transport_error(e: &reqwest::Error, summary: &RequestSummary, timeout: Duration) -> Error {
    let root = root_cause(e);
    let lower = root.to_ascii_lowercase();
    let host = host_of(summary);
    if e.is_timeout() {
        return Error::http(HttpCause::Timeout, format!(
            "no response from {host} within {}",
            seconds(timeout)
        ))
        .with_hint("the server may be stuck; raise the limit with `Given timeout \"60\"` or `[run] timeout` if it is just slow");
    }
    if lower.contains("connection refused") {
        return Error::http(HttpCause::Refused, format!("connection refused by {host}"))
            .with_hint("is the server running on that address? check `Given address`");
    }
    if lower.contains("dns error")
        || lower.contains("failed to lookup")
        || lower.contains("name or service not known")
    {
        return Error::http(
            HttpCause::Dns,
            format!("cannot resolve the host name in {}", summary.url),
        )
        .with_hint("check the spelling of the host in `Given address`");
    }
    let hung_up = [
        "connection closed",
        "connection reset",
        "broken pipe",
        "close_notify",
        "connection was not ready",
        "unexpected eof",
    ]
    .iter()
    .any(|sign| lower.contains(sign));
    if hung_up && summary.url.starts_with("https:") {
        // Under TLS 1.3 a server that requires a client certificate finds it missing only
        // after the client's side of the handshake is done, and often just hangs up.
        return Error::http(
            HttpCause::Other,
            format!("the server at {host} closed the connection before it answered: {root}"),
        )
        .with_hint("if the server requires a client certificate (mutual TLS), name it in `[run] client_cert` (and its key in `client_key`) in apitest.toml");
    }
    if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake") {
        let hint = if lower.contains("certificate required")
            || lower.contains("handshake failure")
            || lower.contains("bad certificate")
        {
            "the server may want a client certificate: name it in `[run] client_cert` (and its key in `client_key`) in apitest.toml"
        } else {
            "if the server's certificate comes from your own authority, name its PEM file in `[run] ca_cert` in apitest.toml; only for a throwaway test server, `[run] insecure = true` skips verification"
        };
        return Error::http(
            HttpCause::Tls,
            format!("TLS failure talking to {host}: {root}"),
        )
        .with_hint(hint);
    }
    Error::http(
        HttpCause::Other,
        format!("request to {} failed: {}", summary.url, describe(e)),
    )
}

fn body_error(e: &reqwest::Error, summary: &RequestSummary, timeout: Duration) -> Error {
    if e.is_timeout() {
        return Error::http(
            HttpCause::Timeout,
            format!(
                "the response body from {} did not arrive within {}",
                host_of(summary),
                seconds(timeout)
            ),
        );
    }
    Error::http(
        HttpCause::Closed,
        format!(
            "the connection closed before the whole response body arrived from {} ({})",
            summary.url,
            root_cause(e)
        ),
    )
}

fn seconds(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 {
        format!("{s:.0} s")
    } else {
        format!("{s} s")
    }
}

fn describe_request(request: &reqwest::Request) -> String {
    let mut out = format!("> {} {}", request.method(), request.url());
    for (name, value) in request.headers() {
        let shown = mask_header(name.as_str(), &String::from_utf8_lossy(value.as_bytes()));
        out.push_str(&format!("\n> {name}: {shown}"));
    }
    if let Some(bytes) = request.body().and_then(|b| b.as_bytes()) {
        out.push_str("\n>\n");
        out.push_str(&String::from_utf8_lossy(bytes));
    }
    out
}

/// The Digest challenge among a 401's `WWW-Authenticate` headers, if there is one.
fn digest_challenge(headers: &reqwest::header::HeaderMap) -> Option<String> {
    headers
        .get_all(reqwest::header::WWW_AUTHENTICATE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .map(str::trim)
        .find(|value| {
            value
                .get(..7)
                .is_some_and(|s| s.eq_ignore_ascii_case("digest "))
        })
        .map(str::to_string)
}

/// The `Authorization` header that answers a Digest `challenge` (RFC 7616: MD5 or SHA-256,
/// `qop=auth` or `auth-int`) for `request`.
fn digest_answer(
    challenge: &str,
    user: &str,
    password: &str,
    request: &reqwest::Request,
) -> Result<reqwest::header::HeaderValue, Error> {
    let refused = |why: String| {
        Error::http(
            HttpCause::Request,
            format!("the server's Digest Auth challenge cannot be answered: {why}"),
        )
        .with_detail("challenge", challenge.to_string())
    };
    let mut prompt = digest_auth::parse(challenge).map_err(|e| refused(e.to_string()))?;
    let url = request.url();
    let uri = match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_string(),
    };
    let body = request.body().and_then(reqwest::Body::as_bytes);
    let context = digest_auth::AuthContext::new_with_method(
        user,
        password,
        uri,
        body,
        digest_auth::HttpMethod::from(request.method().as_str()),
    );
    let answer = prompt
        .respond(&context)
        .map_err(|e| refused(e.to_string()))?;
    reqwest::header::HeaderValue::from_str(&answer.to_header_string())
        .map_err(|e| refused(e.to_string()))
}
