//! Contract steps: which OpenAPI document is in effect, and whether the request a scenario
//! built and the response it received keep that document's promises.

use std::sync::Arc;

use super::{Args, Effect, Family, StepDef, def, fail_listing};
use crate::contract::Spec;
use crate::contract::validate::{Request, Response};
use crate::error::Error;
use crate::world::World;

pub const STEPS: &[StepDef] = &[
    def(
        Family::Contract,
        r#"OpenAPI spec "{file}""#,
        "Use this OpenAPI 3.0 or 3.1 document (YAML or JSON, named relative to the project folder) for contract checks and coverage from here on; `[contract] openapi` in apitest.toml sets it for every scenario.",
        r#"Given OpenAPI spec "contracts/employee.yaml""#,
        given_openapi_spec,
    ),
    def(
        Family::Contract,
        "response matches the OpenAPI spec",
        "The operation (method and path template) is documented, its status is documented (or `default` is), required headers are there, the content type is documented and the body is valid against its schema; every violation is listed.",
        "Then response matches the OpenAPI spec",
        then_response_matches_spec,
    ),
    def(
        Family::Contract,
        "request matches the OpenAPI spec",
        "The request as built (before or after sending) is documented: its operation, path, query and header parameters, and its body's content type and schema.",
        "Then request matches the OpenAPI spec",
        then_request_matches_spec,
    ),
];

fn given_openapi_spec(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let name = a.text(w, 0)?;
    let path = w.project_file(&name).map_err(|e| e.at_arg(0))?;
    let spec = w.run.contracts.load(&path, &name).map_err(|e| {
        Error::file(e)
            .at_arg(0)
            .with_hint("apitest reads one self-contained OpenAPI 3.0 or 3.1 file, YAML or JSON")
    })?;
    w.openapi = Some(spec);
    Ok(Effect::Done)
}

fn spec(w: &World) -> Result<Arc<Spec>, Error> {
    w.openapi.clone().ok_or_else(|| {
        Error::invalid("no OpenAPI spec is in effect").with_hint(
            "add `Given OpenAPI spec \"contracts/api.yaml\"` or set `[contract] openapi` in apitest.toml",
        )
    })
}

fn then_response_matches_spec(w: &mut World, _: Args<'_>) -> Result<Effect, Error> {
    let spec = spec(w)?;
    let response = w.response()?;
    let summary = &response.summary;
    let (op, _) = spec
        .find(&summary.method, &summary.path)
        .map_err(|e| Error::assertion(e).with_hint(undocumented_hint()))?;
    let json = response.json().map_err(|e| e.to_string());
    let found = spec.check_response(
        op,
        &Response {
            status: response.status,
            headers: &response.headers,
            body: &response.body,
            json,
        },
    );
    fail_listing(
        format!(
            "the response does not match {} -> {} in `{}`",
            op.label(),
            response.status,
            spec.name
        ),
        found,
    )
}

fn then_request_matches_spec(w: &mut World, _: Args<'_>) -> Result<Effect, Error> {
    let spec = spec(w)?;
    let request = &w.request;
    let url = request.url()?;
    let (op, params) = spec
        .find(&request.method, url.path())
        .map_err(|e| Error::assertion(e).with_hint(undocumented_hint()))?;
    // The request as it will go out: the credentials the auth steps add and the cookies of
    // the jar count, so `security` sees them (their values are never shown).
    let mut headers = request.headers.clone();
    let has_authorization = headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("authorization"));
    let scheme = if request.basic_auth.is_some() {
        Some("Basic")
    } else if request.bearer.is_some() {
        Some("Bearer")
    } else if request.digest_auth.is_some() {
        Some("Digest")
    } else {
        None
    };
    if let (Some(scheme), false) = (scheme, has_authorization) {
        headers.push(("Authorization".into(), format!("{scheme} ***")));
    }
    let jar: Vec<String> = w
        .cookies
        .get_request_values(&url)
        .map(|(name, value)| format!("{name}={value}"))
        .collect();
    if !jar.is_empty() {
        headers.push(("Cookie".into(), jar.join("; ")));
    }
    let found = spec.check_request(
        op,
        &params,
        &Request {
            url: &url,
            headers: &headers,
            body: request.wire_body(),
        },
    );
    fail_listing(
        format!(
            "the request does not match {} in `{}`",
            op.label(),
            spec.name
        ),
        found,
    )
}

fn undocumented_hint() -> &'static str {
    "check `Given URL path` and `Given REST method`, or document the operation in the spec"
}
