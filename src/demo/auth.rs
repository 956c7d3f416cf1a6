//! Authentication of the demo API: HTTP Basic Auth for the secure employee
//! endpoint, the `/api/login` token flow with `/api/email/send` as its
//! protected endpoint, and an OAuth2 token endpoint whose tokens are valid for
//! that same protected endpoint.
//!
//! Credentials are compile-time constants because the demo only exists so that
//! example features have something stable to authenticate against.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::header::{AUTHORIZATION, CACHE_CONTROL, HeaderValue, PRAGMA, WWW_AUTHENTICATE};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Serialize;
use serde_json::{Map, Value};

use super::envelope::{bad_request, error, forbidden, json_response, new_cid, ok};
use super::input::{
    form_or_json_object, kind, optional_str, read_body, required_non_empty_str, required_str,
};
use super::state::{AppState, TOKEN_TTL_SECS};
use super::{
    BASIC_PASSWORD, BASIC_USER, LOGIN_PASSWORD, LOGIN_USER, OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET,
};

/// The realm of the Digest Auth challenge.
const DIGEST_REALM: &str = "apitest-demo";

/// The realm announced to callers that fail Basic Auth.
const BASIC_CHALLENGE: &str = r#"Basic realm="demo""#;

/// Splits an `Authorization` header into its scheme and credentials.
fn authorization(headers: &HeaderMap) -> Option<(&str, &str)> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, credentials) = value.split_once(' ')?;
    Some((scheme, credentials.trim()))
}

/// The user and password of a `Basic` authorization header, if well-formed.
fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let (scheme, encoded) = authorization(headers)?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(STANDARD.decode(encoded).ok()?).ok()?;
    let (user, password) = decoded.split_once(':')?;
    Some((user.to_owned(), password.to_owned()))
}

/// The token of a `Bearer` authorization header, if any.
fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let (scheme, token) = authorization(headers)?;
    scheme.eq_ignore_ascii_case("bearer").then_some(token)
}

/// Lets the request through (`None`) only with the demo Basic Auth
/// credentials; any other outcome is a 403 envelope that also carries a Basic
/// challenge so that clients know which scheme is expected.
pub(crate) fn basic_auth_failure(headers: &HeaderMap) -> Option<Response> {
    let message = match basic_credentials(headers) {
        Some((user, password)) if user == BASIC_USER && password == BASIC_PASSWORD => {
            return None;
        }
        Some(_) => "invalid Basic Auth credentials",
        None if headers.contains_key(AUTHORIZATION) => {
            "the Authorization header is not valid Basic Auth"
        }
        None => "Basic Auth credentials are required",
    };
    let mut response = forbidden(message);
    response
        .headers_mut()
        .insert(WWW_AUTHENTICATE, HeaderValue::from_static(BASIC_CHALLENGE));
    Some(response)
}

/// `GET /api/secure/digest`: HTTP Digest Auth (RFC 7616, MD5 with `qop=auth`) for the
/// Basic Auth user. Without a valid answer it replies 401 with a fresh challenge. Any nonce
/// is accepted: the demo keeps no nonce state.
pub(crate) async fn digest(method: Method, uri: Uri, headers: HeaderMap) -> Response {
    let target = uri.path_and_query().map_or("/", |p| p.as_str()).to_string();
    let answer = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .filter(|v| v.trim_start().starts_with("Digest "))
        .and_then(|v| digest_auth::AuthorizationHeader::parse(v).ok());
    let message = match answer {
        Some(answer) if answer.username == BASIC_USER && answer.uri == target => {
            let mut expected = answer.clone();
            let context = digest_auth::AuthContext::new_with_method(
                BASIC_USER,
                BASIC_PASSWORD,
                target.as_str(),
                None::<&[u8]>,
                digest_auth::HttpMethod::from(method.as_str()),
            );
            expected.digest(&context);
            if expected.response == answer.response {
                return ok(serde_json::json!({ "user": BASIC_USER, "scheme": "Digest" }));
            }
            "invalid Digest Auth credentials"
        }
        Some(_) => "the Digest answer is for another user or URI",
        None => "Digest Auth credentials are required",
    };
    let mut response = error(StatusCode::UNAUTHORIZED, "UNAUTHORIZED", message);
    let challenge = format!(
        r#"Digest realm="{DIGEST_REALM}", qop="auth", algorithm=MD5, nonce="{}", opaque="demo""#,
        new_cid()
    );
    if let Ok(value) = HeaderValue::from_str(&challenge) {
        response.headers_mut().insert(WWW_AUTHENTICATE, value);
    }
    response
}

/// `data` of a successful login.
#[derive(Serialize)]
struct LoginData {
    token: String,
    token_type: &'static str,
    expires_in: u64,
}

/// `POST /api/login` with `{"username", "password"}` as JSON or as an
/// URL-encoded form.
pub(crate) async fn login(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, Response> {
    let bytes = read_body(body).await.map_err(|m| bad_request(&m))?;
    let fields = form_or_json_object(&headers, &bytes).map_err(|m| bad_request(&m))?;
    let username = required_str(&fields, "username").map_err(|m| bad_request(&m))?;
    let password = required_str(&fields, "password").map_err(|m| bad_request(&m))?;
    if username != LOGIN_USER || password != LOGIN_PASSWORD {
        return Err(forbidden("invalid username or password"));
    }
    Ok(ok(LoginData {
        token: state.issue_token(),
        token_type: "Bearer",
        expires_in: TOKEN_TTL_SECS,
    }))
}

/// `data` of a sent e-mail.
#[derive(Serialize)]
struct EmailData {
    message_id: String,
    to: String,
}

/// `POST /api/email/send` with `{"to", "subject", "body"?}`, protected by a
/// bearer token from `/api/login` or `/oauth/token`. The token is checked
/// before the body so that anonymous callers get 403 whatever they send.
pub(crate) async fn send_email(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, Response> {
    match bearer_token(&headers) {
        Some(token) if state.token_is_valid(token) => {}
        Some(_) => return Err(forbidden("the bearer token is unknown or has expired")),
        None => {
            return Err(forbidden(
                "a bearer token from /api/login or /oauth/token is required",
            ));
        }
    }
    let bytes = read_body(body).await.map_err(|m| bad_request(&m))?;
    let fields = form_or_json_object(&headers, &bytes).map_err(|m| bad_request(&m))?;
    let to = required_non_empty_str(&fields, "to").map_err(|m| bad_request(&m))?;
    required_str(&fields, "subject").map_err(|m| bad_request(&m))?;
    optional_str(&fields, "body").map_err(|m| bad_request(&m))?;
    Ok(ok(EmailData {
        message_id: new_cid(),
        to,
    }))
}

/// A successful OAuth2 token response (RFC 6749 section 5.1).
#[derive(Serialize)]
struct OAuthToken {
    access_token: String,
    token_type: &'static str,
    expires_in: u64,
    scope: String,
}

/// An OAuth2 error response (RFC 6749 section 5.2).
#[derive(Serialize)]
struct OAuthError<'a> {
    error: &'static str,
    error_description: &'a str,
}

/// An OAuth2 error with its status.
fn oauth_error(status: StatusCode, error: &'static str, description: &str) -> Response {
    json_response(
        status,
        &OAuthError {
            error,
            error_description: description,
        },
    )
}

/// The `invalid_request` error for malformed input.
fn invalid_request(description: &str) -> Response {
    oauth_error(StatusCode::BAD_REQUEST, "invalid_request", description)
}

/// `POST /oauth/token` with `grant_type` `password` or `client_credentials`
/// and either `username`/`password` or `client_id`/`client_secret` (the latter
/// also as a Basic authorization header), as an URL-encoded form or JSON.
///
/// Every credential pair that is given must be right and at least one must be
/// given, so a wrong user is refused even alongside a right client.
pub(crate) async fn oauth_token(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, Response> {
    let bytes = read_body(body).await.map_err(|m| invalid_request(&m))?;
    let fields = if bytes.iter().all(u8::is_ascii_whitespace) {
        Map::new()
    } else {
        form_or_json_object(&headers, &bytes).map_err(|m| invalid_request(&m))?
    };
    // Every field is read up front so that a wrongly typed one is reported as
    // `invalid_request` before any credential is judged.
    let text = |field: &str| optional_str(&fields, field);
    let read = || -> Result<_, String> {
        Ok((
            text("grant_type")?,
            (text("username")?, text("password")?),
            (text("client_id")?, text("client_secret")?),
            scope(&fields)?,
        ))
    };
    let (grant_type, user, client, scope) = read().map_err(|m| invalid_request(&m))?;

    let grant_type =
        grant_type.ok_or_else(|| invalid_request("missing required field `grant_type`"))?;
    if grant_type != "password" && grant_type != "client_credentials" {
        return Err(oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "grant_type must be `password` or `client_credentials`",
        ));
    }

    let client = match client {
        (None, None) => basic_credentials(&headers)
            .map(|(id, secret)| (Some(id), Some(secret)))
            .unwrap_or((None, None)),
        given => given,
    };
    let user_ok = matches_pair(&user, LOGIN_USER, LOGIN_PASSWORD);
    let client_ok = matches_pair(&client, OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET);
    let any_given = user_ok.is_some() || client_ok.is_some();
    if !any_given || user_ok == Some(false) || client_ok == Some(false) {
        return Err(oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "the credentials are missing or wrong",
        ));
    }

    // The demo knows a few scopes, so that a suite can see an unknown one refused
    // (RFC 6749, section 5.2: `invalid_scope`).
    if let Some(unknown) = scope
        .split([' ', ','])
        .map(str::trim)
        .find(|s| !s.is_empty() && !KNOWN_SCOPES.contains(s))
    {
        return Err(oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_scope",
            &format!(
                "unknown scope `{unknown}`; known: {}",
                KNOWN_SCOPES.join(", ")
            ),
        ));
    }

    let mut response = json_response(
        StatusCode::OK,
        &OAuthToken {
            access_token: state.issue_token(),
            token_type: "Bearer",
            expires_in: TOKEN_TTL_SECS,
            scope,
        },
    );
    // RFC 6749 requires token responses never to be cached.
    let headers = response.headers_mut();
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(PRAGMA, HeaderValue::from_static("no-cache"));
    Ok(response)
}

/// Whether a credential pair matches: `None` when neither half was given.
fn matches_pair(pair: &(Option<String>, Option<String>), id: &str, secret: &str) -> Option<bool> {
    match pair {
        (None, None) => None,
        (given_id, given_secret) => {
            Some(given_id.as_deref() == Some(id) && given_secret.as_deref() == Some(secret))
        }
    }
}

/// The scopes the demo's token endpoint grants.
pub const KNOWN_SCOPES: &[&str] = &["email:send", "employees:read", "employees:write"];

/// The requested scope from `scopes` or `scope`: a string as given, or an
/// array of strings joined by spaces as RFC 6749 writes scope lists.
fn scope(fields: &Map<String, Value>) -> Result<String, String> {
    let (field, value) = match (fields.get("scopes"), fields.get("scope")) {
        (Some(value), _) if !value.is_null() => ("scopes", value),
        (_, Some(value)) => ("scope", value),
        _ => return Ok(String::new()),
    };
    match value {
        Value::Null => Ok(String::new()),
        Value::String(text) => Ok(text.clone()),
        Value::Array(items) => items
            .iter()
            .map(|item| {
                item.as_str().ok_or_else(|| {
                    format!("field `{field}` must hold only strings, got {}", kind(item))
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(|items| items.join(" ")),
        other => Err(format!(
            "field `{field}` must be a string or an array of strings, got {}",
            kind(other)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn headers_with(authorization: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, HeaderValue::from_str(authorization).unwrap());
        headers
    }

    #[test]
    fn basic_credentials_are_decoded() {
        let encoded = STANDARD.encode("hr:pw:with:colons");
        let headers = headers_with(&format!("basic {encoded}"));
        assert_eq!(
            basic_credentials(&headers),
            Some(("hr".to_owned(), "pw:with:colons".to_owned()))
        );
        assert_eq!(basic_credentials(&headers_with("Basic !!!")), None);
        assert_eq!(basic_credentials(&headers_with("Bearer abc")), None);
        assert_eq!(bearer_token(&headers_with("Bearer abc")), Some("abc"));
        assert_eq!(bearer_token(&headers_with("Bearer")), None);
    }

    #[test]
    fn scope_accepts_strings_and_arrays() {
        let fields = |value: Value| value.as_object().unwrap().clone();
        assert_eq!(scope(&fields(json!({"scope": "a b"}))).unwrap(), "a b");
        assert_eq!(
            scope(&fields(json!({"scopes": ["a", "b"]}))).unwrap(),
            "a b"
        );
        assert_eq!(scope(&fields(json!({}))).unwrap(), "");
        assert!(scope(&fields(json!({"scope": 1}))).is_err());
        assert!(scope(&fields(json!({"scopes": [1]}))).is_err());
    }
}
