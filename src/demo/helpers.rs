//! Small test-helper endpoints that let features exercise a client's handling
//! of HTTP itself rather than of the employee API: arbitrary statuses and
//! response headers, XML and plain-text bodies, slow responses, redirect
//! chains and compressed bodies. None of them use the envelope.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::header::{CONTENT_ENCODING, HeaderName, HeaderValue, LOCATION};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::json;

use super::envelope::{bad_request, json_response, with_content_type};
use super::input::{decode_urlencoded, group_pairs, read_body};
use super::state::AppState;

/// The longest delay `/api/delay/{ms}` agrees to wait.
pub(crate) const MAX_DELAY_MS: u64 = 60_000;

/// Response headers that `/api/headers/set` refuses to set, because they
/// govern message framing and the connection and would corrupt the exchange.
const FORBIDDEN_HEADERS: [&str; 6] = [
    "content-length",
    "transfer-encoding",
    "connection",
    "keep-alive",
    "upgrade",
    "trailer",
];

/// Extracts a single path parameter and parses it, or explains why not;
/// `what` states the expectation and starts the message.
fn parse_path<T: std::str::FromStr>(
    path: Result<Path<String>, PathRejection>,
    what: &str,
) -> Result<T, String> {
    let Path(raw) = path.map_err(|rejection| rejection.body_text())?;
    raw.parse::<T>().map_err(|_| format!("{what}, got {raw:?}"))
}

/// `ANY /api/status/{code}`: answers with that status and `{"status": code}`,
/// except for statuses that forbid a body, which get an empty one.
pub(crate) async fn status(
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, Response> {
    let code: u16 = parse_path(path, "status code must be an integer from 200 to 599")
        .map_err(|m| bad_request(&m))?;
    if !(200..=599).contains(&code) {
        return Err(bad_request(&format!(
            "status code must be from 200 to 599, got {code}"
        )));
    }
    let status = StatusCode::from_u16(code)
        .map_err(|err| bad_request(&format!("invalid status code {code}: {err}")))?;
    Ok(match code {
        204 | 205 | 304 => {
            let mut response = Response::new(Body::empty());
            *response.status_mut() = status;
            response
        }
        _ => json_response(status, &json!({ "status": code })),
    })
}

/// `GET /api/headers/set?Name=Value&...`: sets every query pair as a response
/// header (a repeated name gives repeated headers, and a name given here
/// replaces a default such as `Content-Type`) and echoes the pairs as JSON.
pub(crate) async fn set_headers(RawQuery(query): RawQuery) -> Result<Response, Response> {
    let pairs = decode_urlencoded(query.as_deref().unwrap_or(""));
    let mut extra = HeaderMap::new();
    for (name, value) in &pairs {
        let header_name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| bad_request(&format!("{name:?} is not a valid header name")))?;
        if FORBIDDEN_HEADERS.contains(&header_name.as_str()) {
            return Err(bad_request(&format!(
                "header {name:?} cannot be set because it controls message framing"
            )));
        }
        let header_value = HeaderValue::from_str(value).map_err(|_| {
            bad_request(&format!(
                "{value:?} is not a valid value for header {name:?}"
            ))
        })?;
        extra.append(header_name, header_value);
    }
    let mut response = json_response(StatusCode::OK, &group_pairs(pairs));
    let headers = response.headers_mut();
    for name in extra.keys() {
        headers.remove(name);
    }
    for (name, value) in &extra {
        headers.append(name, value.clone());
    }
    Ok(response)
}

/// `POST /api/xml/echo`: the body back unchanged, labelled as XML.
pub(crate) async fn xml_echo(body: Body) -> Response {
    match read_body(body).await {
        Ok(bytes) => with_content_type(StatusCode::OK, "application/xml", Body::from(bytes)),
        Err(message) => bad_request(&message),
    }
}

/// `GET /api/text`: a fixed plain-text body.
pub(crate) async fn text() -> Response {
    with_content_type(StatusCode::OK, "text/plain", Body::from("Hello, World!"))
}

/// `GET /api/delay/{ms}`: waits, then reports how long.
pub(crate) async fn delay(path: Result<Path<String>, PathRejection>) -> Result<Response, Response> {
    let what = format!("delay must be an integer number of milliseconds from 0 to {MAX_DELAY_MS}");
    let ms: u64 = parse_path(path, &what).map_err(|m| bad_request(&m))?;
    if ms > MAX_DELAY_MS {
        return Err(bad_request(&format!("{what}, got {ms}")));
    }
    tokio::time::sleep(Duration::from_millis(ms)).await;
    Ok(json_response(StatusCode::OK, &json!({ "delayed_ms": ms })))
}

/// The number in `name=N` of a query string, or `default`.
fn query_number(query: Option<&str>, name: &str, default: u64) -> Result<u64, String> {
    let pairs = decode_urlencoded(query.unwrap_or(""));
    match pairs.iter().find(|(k, _)| k == name) {
        None => Ok(default),
        Some((_, v)) => v
            .parse()
            .map_err(|_| format!("`{name}` must be a whole number, got {v:?}")),
    }
}

/// `GET /api/eventually/{key}[?after_ms=N]`: `{"status": "pending"}` until `after_ms`
/// (default 1000) after the first call for that key, `{"status": "done"}` from then on; each
/// answer says which call it was. For polling steps.
pub(crate) async fn eventually(
    State(state): State<Arc<AppState>>,
    Path(key): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, Response> {
    let after = query_number(query.as_deref(), "after_ms", 1000)
        .map_err(|m| bad_request(&m))?
        .min(MAX_DELAY_MS);
    let (since, calls) = state.call(&format!("eventually/{key}"));
    let status = if since >= Duration::from_millis(after) {
        "done"
    } else {
        "pending"
    };
    Ok(json_response(
        StatusCode::OK,
        &json!({ "status": status, "calls": calls }),
    ))
}

/// `GET /api/flaky/{key}[?failures=N]`: a 503 for the first `failures` (default 1) calls
/// for that key, then a 200. For retries.
pub(crate) async fn flaky(
    State(state): State<Arc<AppState>>,
    Path(key): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, Response> {
    let failures = query_number(query.as_deref(), "failures", 1).map_err(|m| bad_request(&m))?;
    let (_, calls) = state.call(&format!("flaky/{key}"));
    Ok(if u64::from(calls) <= failures {
        json_response(
            StatusCode::SERVICE_UNAVAILABLE,
            &json!({ "status": "unavailable", "calls": calls }),
        )
    } else {
        json_response(StatusCode::OK, &json!({ "status": "ok", "calls": calls }))
    })
}

/// `GET /api/inflight/{key}[?hold_ms=N]`: holds the answer N ms (default 0, at most
/// `MAX_DELAY_MS`) and says how many requests for that key were being answered when this one
/// came (`in_flight`, itself included) and the most at once so far (`max`). For checking
/// concurrency limits.
pub(crate) async fn in_flight(
    State(state): State<Arc<AppState>>,
    Path(key): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, Response> {
    let hold = query_number(query.as_deref(), "hold_ms", 0).map_err(|m| bad_request(&m))?;
    if hold > MAX_DELAY_MS {
        return Err(bad_request(&format!(
            "hold_ms must be from 0 to {MAX_DELAY_MS}, got {hold}"
        )));
    }
    let key = format!("inflight/{key}");
    let (_guard, now) = state.enter(&key);
    tokio::time::sleep(Duration::from_millis(hold)).await;
    let most = state.most_in_flight(&key);
    Ok(json_response(
        StatusCode::OK,
        &json!({ "in_flight": now, "max": most }),
    ))
}

/// `GET /api/redirect/{n}`: a 302 to `/api/redirect/{n-1}`, ending with a 200
/// at zero, so a client following redirects makes `n + 1` requests.
pub(crate) async fn redirect(
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, Response> {
    let remaining: u32 = parse_path(path, "redirect count must be a non-negative integer")
        .map_err(|m| bad_request(&m))?;
    let Some(next) = remaining.checked_sub(1) else {
        return Ok(json_response(
            StatusCode::OK,
            &json!({ "redirected": true }),
        ));
    };
    let location = HeaderValue::from_str(&format!("/api/redirect/{next}"))
        .map_err(|err| bad_request(&format!("cannot build the redirect location: {err}")))?;
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::FOUND;
    response.headers_mut().insert(LOCATION, location);
    Ok(response)
}

/// `GET /api/gzip`: `{"compressed": true}` gzip-compressed, whatever the
/// request's `Accept-Encoding`, so that clients' decompression can be tested.
pub(crate) async fn gzip(State(state): State<Arc<AppState>>) -> Response {
    let mut response = with_content_type(
        StatusCode::OK,
        "application/json",
        Body::from(state.gzip_body()),
    );
    response
        .headers_mut()
        .insert(CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    response
}

/// `GET /api/loop`: a redirect to itself, for clients' redirect limits.
pub(crate) async fn redirect_loop() -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::FOUND;
    response
        .headers_mut()
        .insert(LOCATION, HeaderValue::from_static("/api/loop"));
    response
}

/// The largest body `/api/bytes/{n}` sends: enough to exceed a client's limit in tests,
/// small enough that the demo never holds much memory.
const MAX_BYTES: usize = 64 * 1024 * 1024;

/// `GET /api/bytes/{n}`: a body of `n` bytes (`x`), at most 64 MiB, for body-size limits.
pub(crate) async fn bytes(path: Result<Path<String>, PathRejection>) -> Result<Response, Response> {
    let n: usize = parse_path(path, "the byte count must be a non-negative integer")
        .map_err(|m| bad_request(&m))?;
    if n > MAX_BYTES {
        return Err(bad_request(&format!("at most {MAX_BYTES} bytes")));
    }
    Ok(with_content_type(
        StatusCode::OK,
        "application/octet-stream",
        Body::from(vec![b'x'; n]),
    ))
}

/// `GET /api/binary`: a JSON content type with bytes that are not UTF-8, for clients'
/// handling of undecodable bodies.
pub(crate) async fn binary() -> Response {
    with_content_type(
        StatusCode::OK,
        "application/json",
        Body::from(vec![
            b'{', b'"', b'a', b'"', b':', b' ', b'"', 0xff, 0xfe, 0x80, b'"', b'}',
        ]),
    )
}
