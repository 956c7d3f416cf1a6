//! OAuth2: the settings of a token request (`OAuth2 endpoint`, `credentials`, `scopes`, ...),
//! fetching a token (`I store an OAuth2 bearer token under "name"`), and sending it
//! (`OAuth2 bearer token "#name"`). The request itself is made by the runner (`Effect::FetchToken`).

use super::{Args, Effect, Family, StepDef, def};
use crate::error::Error;
use crate::http::Format;
use crate::world::World;

pub const STEPS: &[StepDef] = &[
    def(
        Family::Auth,
        r#"OAuth2 endpoint "{address}""#,
        "The token endpoint's full URL.",
        r#"Given OAuth2 endpoint "@{address}/oauth/token""#,
        given_endpoint,
    ),
    def(
        Family::Auth,
        r#"OAuth2 credentials "{username}" "{password}""#,
        "The credentials sent in the token request (the password is redacted in reports).",
        r#"Given OAuth2 credentials "alice" "$OAUTH_PASSWORD""#,
        given_credentials,
    ),
    def(
        Family::Auth,
        r#"OAuth2 scopes "{scopes}""#,
        "Sent as the field `scopes` (default empty).",
        r#"Given OAuth2 scopes "employees:read""#,
        given_scopes,
    ),
    def(
        Family::Auth,
        r#"OAuth2 grant type "{grant_type}""#,
        "The `grant_type` field (default `password`).",
        r#"Given OAuth2 grant type "client_credentials""#,
        given_grant_type,
    ),
    def(
        Family::Auth,
        r#"OAuth2 client ID field "{client_id_field}""#,
        "The field name that carries the username (default `username`).",
        r#"Given OAuth2 client ID field "client_id""#,
        given_id_field,
    ),
    def(
        Family::Auth,
        r#"OAuth2 client secret field "{client_secret_field}""#,
        "The field name that carries the password (default `password`).",
        r#"Given OAuth2 client secret field "client_secret""#,
        given_secret_field,
    ),
    def(
        Family::Auth,
        r#"OAuth2 request format "{request_format}""#,
        "`JSON` sends the token request as JSON; anything else sends a form.",
        r#"Given OAuth2 request format "JSON""#,
        given_request_format,
    ),
    def(
        Family::Auth,
        r#"OAuth2 extra fields "{extra_fields}""#,
        "More fields for the token request, as `k1=v1, k2=v2`.",
        r#"Given OAuth2 extra fields "audience=employees, tenant=demo""#,
        given_extra_fields,
    ),
    def(
        Family::Auth,
        r#"I store an OAuth2 bearer token under "{name}""#,
        "Requests a token (with `Cache-Control: no-cache`) and stores `access_token` from the reply; a non-2xx answer fails.",
        r#"Given I store an OAuth2 bearer token under "token""#,
        given_store_token,
    ),
    def(
        Family::Auth,
        r#"OAuth2 bearer token "{token}""#,
        "Every later request sends `Authorization: Bearer <token>` (Basic Auth, if set, wins).",
        r##"Given OAuth2 bearer token "#token""##,
        given_bearer,
    ),
    def(
        Family::Housekeeping,
        "OAuth2 context is cleaned up",
        "Forgets the OAuth2 settings and the bearer token.",
        "Then OAuth2 context is cleaned up",
        then_oauth_cleaned_up,
    ),
];

fn given_endpoint(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    w.oauth.endpoint = Some(a.text(w, 0)?);
    Ok(Effect::Done)
}

fn given_credentials(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let user = a.text(w, 0)?;
    let password = a.text(w, 1)?;
    w.add_secret(&password);
    w.oauth.credentials = Some((user, password));
    Ok(Effect::Done)
}

fn given_scopes(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    w.oauth.scopes = a.text(w, 0)?;
    Ok(Effect::Done)
}

fn given_grant_type(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    w.oauth.grant_type = a.text(w, 0)?;
    Ok(Effect::Done)
}

fn given_id_field(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    w.oauth.id_field = a.text(w, 0)?;
    Ok(Effect::Done)
}

fn given_secret_field(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    w.oauth.secret_field = a.text(w, 0)?;
    Ok(Effect::Done)
}

fn given_request_format(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let text = a.text(w, 0)?;
    w.oauth.format = if text.trim().eq_ignore_ascii_case("json") {
        Format::Json
    } else {
        Format::Form
    };
    Ok(Effect::Done)
}

fn given_extra_fields(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let text = a.text(w, 0)?;
    let mut fields = Vec::new();
    for item in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let Some((key, value)) = item.split_once('=') else {
            return Err(
                Error::invalid(format!("extra field `{item}` needs the form key=value"))
                    .at_arg(0)
                    .with_hint("write the fields as `k1=v1, k2=v2`"),
            );
        };
        fields.push((key.trim().to_string(), value.trim().to_string()));
    }
    w.oauth.extra = fields;
    Ok(Effect::Done)
}

fn given_store_token(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let name = a.name(w, 0)?;
    if w.oauth.endpoint.is_none() {
        return Err(Error::invalid("no OAuth2 endpoint is set")
            .with_hint("add `Given OAuth2 endpoint \"https://host/token\"` before this step"));
    }
    Ok(Effect::FetchToken(name))
}

fn given_bearer(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let token = a.text(w, 0)?;
    w.add_secret(&token);
    w.request.bearer = Some(token);
    Ok(Effect::Done)
}

fn then_oauth_cleaned_up(w: &mut World, _: Args<'_>) -> Result<Effect, Error> {
    w.oauth = crate::http::oauth::OAuth2::default();
    w.request.bearer = None;
    Ok(Effect::Done)
}
