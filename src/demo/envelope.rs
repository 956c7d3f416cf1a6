//! Response builders shared by all handlers: the Zato-style `{"meta", "data"}`
//! envelope of the employee and auth endpoints, plain JSON documents for the
//! helper endpoints, and the middleware that gives every response an
//! `X-Request-Id` header.
//!
//! Responses are assembled directly as `Response` values rather than through
//! extractor rejections so that every error, including malformed input, keeps
//! the envelope shape that example features assert on.

use axum::body::Body;
use axum::http::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use axum::http::{Method, StatusCode, Uri};
use axum::response::Response;
use chrono::{SecondsFormat, Utc};
use serde::Serialize;

/// Name of the header that repeats the envelope's correlation id.
pub(crate) static X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Error code of security failures (HTTP 403).
pub(crate) const FORBIDDEN: &str = "FORBIDDEN";
/// Error code of malformed input (HTTP 400).
pub(crate) const BAD_REQUEST: &str = "BAD_REQUEST";
/// Error code of unknown routes (HTTP 404).
pub(crate) const NOT_FOUND: &str = "NOT_FOUND";
/// Error code of a known route called with a method it does not serve (HTTP 405).
pub(crate) const METHOD_NOT_ALLOWED: &str = "METHOD_NOT_ALLOWED";

/// The `meta` object of every envelope.
#[derive(Serialize)]
struct Meta<'a> {
    cid: &'a str,
    is_ok: bool,
    timestamp: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_code: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<&'a str>,
}

/// The whole envelope; `data` is left out entirely when there is none, which
/// is how Zato services that return nothing look on the wire.
#[derive(Serialize)]
struct Envelope<'a, T: Serialize> {
    meta: Meta<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<T>,
}

/// A new correlation id: a random UUID as 32 lower-case hex digits.
pub(crate) fn new_cid() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// The current UTC time in RFC 3339 with whole seconds, e.g. `2026-07-19T14:30:00Z`.
fn timestamp() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Builds an envelope response with the given outcome.
fn envelope<T: Serialize>(
    status: StatusCode,
    error: Option<(&str, &str)>,
    data: Option<T>,
) -> Response {
    let cid = new_cid();
    let body = Envelope {
        meta: Meta {
            cid: &cid,
            is_ok: error.is_none(),
            timestamp: timestamp(),
            error_code: error.map(|(code, _)| code),
            message: error.map(|(_, message)| message),
        },
        data,
    };
    let mut response = json_response(status, &body);
    if let Ok(value) = HeaderValue::from_str(&cid) {
        response.headers_mut().insert(X_REQUEST_ID.clone(), value);
    }
    response
}

/// A successful envelope carrying `data`.
pub(crate) fn ok<T: Serialize>(data: T) -> Response {
    envelope(StatusCode::OK, None, Some(data))
}

/// A successful envelope without a `data` key.
pub(crate) fn ok_empty() -> Response {
    envelope::<()>(StatusCode::OK, None, None)
}

/// A business error: HTTP 200 with `is_ok: false`, as Zato reports them.
pub(crate) fn business_error(error_code: &str, message: &str) -> Response {
    error(StatusCode::OK, error_code, message)
}

/// A security failure: HTTP 403 with `error_code: "FORBIDDEN"`.
pub(crate) fn forbidden(message: &str) -> Response {
    error(StatusCode::FORBIDDEN, FORBIDDEN, message)
}

/// Malformed input: HTTP 400 with `error_code: "BAD_REQUEST"`.
pub(crate) fn bad_request(message: &str) -> Response {
    error(StatusCode::BAD_REQUEST, BAD_REQUEST, message)
}

/// Any failed envelope with an explicit status.
pub(crate) fn error(status: StatusCode, error_code: &str, message: &str) -> Response {
    envelope::<()>(status, Some((error_code, message)), None)
}

/// The router's fallback: an enveloped 404 naming the path that was asked for.
pub(crate) async fn not_found(uri: Uri) -> Response {
    error(
        StatusCode::NOT_FOUND,
        NOT_FOUND,
        &format!("no endpoint at {}", uri.path()),
    )
}

/// An enveloped 405 for a known route called with the wrong method; `allow`
/// lists the methods the route does serve, as the `Allow` header requires.
pub(crate) fn method_not_allowed(method: &Method, uri: &Uri, allow: &'static str) -> Response {
    let mut response = error(
        StatusCode::METHOD_NOT_ALLOWED,
        METHOD_NOT_ALLOWED,
        &format!(
            "method {method} is not allowed at {}; use {allow}",
            uri.path()
        ),
    );
    response
        .headers_mut()
        .insert(axum::http::header::ALLOW, HeaderValue::from_static(allow));
    response
}

/// A plain JSON document with `Content-Type: application/json`.
pub(crate) fn json_response<T: Serialize + ?Sized>(status: StatusCode, body: &T) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => with_content_type(status, "application/json", Body::from(bytes)),
        // Only maps with non-string keys fail to serialise, and none are built
        // here; answering 500 keeps the server alive should that ever change.
        Err(err) => with_content_type(
            StatusCode::INTERNAL_SERVER_ERROR,
            "text/plain",
            Body::from(format!("could not serialise response: {err}")),
        ),
    }
}

/// A response with the given status, content type and body.
pub(crate) fn with_content_type(
    status: StatusCode,
    content_type: &'static str,
    body: Body,
) -> Response {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// Middleware that gives responses without an envelope an `X-Request-Id` too,
/// so that every answer of the demo API can be correlated the same way.
pub(crate) async fn ensure_request_id(mut response: Response) -> Response {
    if !response.headers().contains_key(&X_REQUEST_ID)
        && let Ok(value) = HeaderValue::from_str(&new_cid())
    {
        response.headers_mut().insert(X_REQUEST_ID.clone(), value);
    }
    response
}
