//! The OAuth2 token request of `I store an OAuth2 bearer token under "name"`: built from the
//! World's OAuth2 settings, sent through the same `send` as every other request (so it gets
//! the same timeouts, limits, error messages and redaction), and read for `access_token`.

use std::time::Duration;

use serde_json::{Map, Value};

use crate::error::{Error, HttpCause};
use crate::http::{Body, Format, HttpClient, RequestSpec, Response, send};

/// The settings of an OAuth2 token request, as the `OAuth2 ...` steps leave them.
#[derive(Debug, Clone, PartialEq)]
pub struct OAuth2 {
    pub endpoint: Option<String>,
    pub credentials: Option<(String, String)>,
    pub scopes: String,
    pub grant_type: String,
    pub id_field: String,
    pub secret_field: String,
    pub format: Format,
    pub extra: Vec<(String, String)>,
}

impl Default for OAuth2 {
    fn default() -> Self {
        OAuth2 {
            endpoint: None,
            credentials: None,
            scopes: String::new(),
            grant_type: "password".into(),
            id_field: "username".into(),
            secret_field: "password".into(),
            format: Format::Form,
            extra: Vec::new(),
        }
    }
}

/// An OAuth2 token reply: the access token, and every secret the reply held.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub access: String,
    pub secrets: Vec<String>,
}

/// Requests a token; returns the `access_token` of a 2xx JSON reply. `sent` sees the reply
/// first, whatever its status, so the request counts in API coverage like any other.
pub async fn fetch_token(
    client: &HttpClient,
    settings: &OAuth2,
    timeout: Duration,
    max_body: u64,
    transcript: Option<&mut Vec<String>>,
    sent: impl FnOnce(&Response),
) -> Result<Token, Error> {
    let mut spec = RequestSpec {
        address: settings.endpoint.clone(),
        path: String::new(),
        method: "POST".into(),
        ..RequestSpec::default()
    };
    spec.set_header("Cache-Control", "no-cache".into());
    let mut fields: Vec<(String, String)> = Vec::new();
    if let Some((user, password)) = &settings.credentials {
        fields.push((settings.id_field.clone(), user.clone()));
        fields.push((settings.secret_field.clone(), password.clone()));
    }
    fields.push(("grant_type".into(), settings.grant_type.clone()));
    fields.push(("scopes".into(), settings.scopes.clone()));
    fields.extend(settings.extra.iter().cloned());
    match settings.format {
        Format::Json => {
            let object: Map<String, Value> = fields
                .into_iter()
                .map(|(k, v)| (k, Value::String(v)))
                .collect();
            spec.format = Some(Format::Json);
            spec.body = Body::Json(Value::Object(object));
        }
        _ => {
            spec.format = Some(Format::Form);
            spec.form = fields;
        }
    }
    let response = send(client, &spec, timeout, max_body, transcript, None).await?;
    sent(&response);
    let url = response.summary.url.clone();
    if !(200..300).contains(&response.status) {
        return Err(Error::http(HttpCause::Token, format!(
            "the OAuth2 token request to {url} was refused with status {}",
            response.status
        ))
        .with_detail("body", response.excerpt(400))
        .with_hint("check `OAuth2 credentials`, `OAuth2 grant type` and the field names the endpoint expects"));
    }
    let doc = response.json().map_err(|e| {
        Error::http(
            HttpCause::Token,
            format!("the OAuth2 token reply from {url} is not JSON"),
        )
        .with_detail("body", response.excerpt(200))
        .with_hint(e.to_string())
    })?;
    // Refresh and id tokens are as secret as the access token: each credential-named value of
    // the reply is masked, wherever the reply or an echo of it shows up later.
    let secrets = crate::secret::in_json(doc, &crate::secret::is_secret_name);
    match doc.get("access_token") {
        Some(Value::String(token)) if !token.is_empty() => Ok(Token {
            access: token.clone(),
            secrets,
        }),
        _ => {
            let keys: Vec<String> = doc
                .as_object()
                .map(|m| m.keys().map(|k| format!("`{k}`")).collect())
                .unwrap_or_default();
            Err(Error::http(
                HttpCause::Token,
                format!("the OAuth2 token reply from {url} has no `access_token`"),
            )
            .with_detail(
                "reply has",
                if keys.is_empty() {
                    "no keys".into()
                } else {
                    keys.join(", ")
                },
            ))
        }
    }
}
