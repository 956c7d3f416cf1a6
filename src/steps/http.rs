//! Building the request (`Given address`, `URL path`, `header`, `request is`, `path ... in
//! request is ...`) and sending it (`When the URL is invoked`).

use serde_json::Value;

use super::{Args, Effect, Family, Operand, StepDef, Target, def, parse_json, set, synonym};
use crate::check;
use crate::error::Error;
use crate::http::{Body, Format};
use crate::value::Lookup;
use crate::value::config::seconds_to_duration;
use crate::world::{DataKind, World};

pub const STEPS: &[StepDef] = &[
    def(
        Family::Request,
        ADDRESS_PHRASE,
        "Sets the base URL: scheme, host and port.",
        r#"Given address "http://127.0.0.1:17010""#,
        given_address,
    ),
    def(
        Family::Request,
        r#"URL path "{url_path}""#,
        "Sets the path added to the address (default `/`).",
        r#"Given URL path "/api/employee/get/123""#,
        given_url_path,
    ),
    def(
        Family::Request,
        r#"REST method "{method}""#,
        "Sets the HTTP method (default GET); taken literally, never resolved.",
        r#"Given REST method "POST""#,
        given_method,
    ),
    synonym(
        Family::Request,
        r#"HTTP method "{method}""#,
        "Same as `REST method` (zato-apitest 1.x spelling).",
        r#"Given HTTP method "DELETE""#,
        given_method,
    ),
    def(
        Family::Request,
        r#"query string "{query_string}""#,
        "Appends text to the URL as written, `?` included.",
        r#"Given query string "?department=HR&page=1""#,
        given_query_string,
    ),
    def(
        Family::Request,
        r#"header "{header}" "{value}""#,
        "Adds a request header, replacing one of the same name.",
        r#"Given header "X-Client" "qa-suite""#,
        given_header,
    ),
    def(
        Family::Request,
        r#"user agent is "{value}""#,
        "Sets the User-Agent header.",
        r#"Given user agent is "qa-bot/1.0""#,
        given_user_agent,
    ),
    def(
        Family::Request,
        r#"format "{format}""#,
        "Request format: JSON, XML, RAW or FORM; also how the response is read unless `response format` says otherwise.",
        r#"Given format "JSON""#,
        given_format,
    ),
    def(
        Family::Request,
        r#"request format "{format}""#,
        "Same as `format`.",
        r#"Given request format "JSON""#,
        given_format,
    ),
    def(
        Family::Request,
        r#"response format "{format}""#,
        "How the response body is read: JSON (parsed) or RAW/XML/FORM (text).",
        r#"Given response format "RAW""#,
        given_response_format,
    ),
    def(
        Family::Request,
        r#"request is "{data}""#,
        "Sets the body inline; JSON is parsed so `path ... in request` steps can edit it.",
        r#"Given request is "{"name": "Jane Roe", "department": "HR"}""#,
        given_request_is,
    ),
    def(
        Family::Request,
        "request is",
        "Sets the body from the doc string under the step (JSON is parsed).",
        "Given request is",
        given_request_doc,
    ),
    def(
        Family::Request,
        r#"request "{request_path}""#,
        "Sets the body from a data file under features/<format>/request/.",
        r#"Given request "create_employee.json""#,
        given_request_file,
    ),
    def(
        Family::Request,
        r#"form field "{name}" is "{value}""#,
        "Adds a form field (repeat a name for several values); sent form-encoded.",
        r#"Given form field "name" is "Jane Roe""#,
        given_form_field,
    ),
    def(
        Family::Request,
        r#"request file "{name}" is "{value}""#,
        "Adds a multipart upload of features/form/request/<value> under the field name; form fields go in the same body.",
        r#"Given request file "photo" is "avatar.png""#,
        given_request_file_upload,
    ),
    def(
        Family::Request,
        r#"Basic Auth "{username}" "{password}""#,
        "Sends HTTP Basic credentials with every later request; the password is redacted in reports.",
        r#"Given Basic Auth "hr" "@hr_password""#,
        given_basic_auth,
    ),
    def(
        Family::Request,
        r#"Digest Auth "{username}" "{password}""#,
        "Answers the server's `WWW-Authenticate: Digest` challenge (MD5 or SHA-256, as the server asks) on every later request: the request is sent, and on a 401 sent again with the answer; the password is redacted in reports.",
        r#"Given Digest Auth "hr" "@hr_password""#,
        given_digest_auth,
    ),
    def(
        Family::Request,
        "redirects are not followed",
        "The next requests return a 3xx as it came (check its status and `Location` header) instead of following it.",
        "Given redirects are not followed",
        given_no_redirects,
    ),
    def(
        Family::Request,
        "TLS certificates are not verified",
        "Accepts any TLS certificate for this scenario's requests (self-signed test servers); verification stays on everywhere else.",
        "Given TLS certificates are not verified",
        given_tls_insecure,
    ),
    def(
        Family::Request,
        r#"timeout "{seconds}""#,
        "Sets how long a request may take before it fails (default 30 s).",
        r#"Given timeout "5""#,
        given_timeout,
    ),
    set(
        Family::Request,
        r#"path "{path}" in request is "{value}""#,
        "Sets a JSON Pointer in the request body to a string (or to a referenced value, type kept).",
        r#"Given path "/name" in request is "Jane Roe""#,
        Target::RequestPath,
        Operand::Value,
    ),
    set(
        Family::Request,
        r#"path "{path}" in request is "{value}" (with literal_eval)"#,
        "Sets a JSON Pointer in the request body to a Python literal (`42`, `['a', 'b']`, `{'k': None}`).",
        r#"Given path "/tags" in request is "['a', 'b']" (with literal_eval)"#,
        Target::RequestPath,
        Operand::Literal,
    ),
    set(
        Family::Request,
        r#"path "{path}" in request is an integer "{value}""#,
        "Sets an integer in the request body.",
        r#"Given path "/employee_no" in request is an integer "123""#,
        Target::RequestPath,
        Operand::Integer,
    ),
    set(
        Family::Request,
        r#"path "{path}" in request is a float "{value}""#,
        "Sets a float in the request body.",
        r#"Given path "/salary" in request is a float "1234.5""#,
        Target::RequestPath,
        Operand::Float,
    ),
    set(
        Family::Request,
        r#"path "{path}" in request is a list "{value}""#,
        "Sets a list of strings, split at commas and trimmed.",
        r#"Given path "/tags" in request is a list "a, b, c""#,
        Target::RequestPath,
        Operand::List,
    ),
    set(
        Family::Request,
        r#"path "{path}" in request is True"#,
        "Sets true in the request body.",
        r#"Given path "/active" in request is True"#,
        Target::RequestPath,
        Operand::True,
    ),
    set(
        Family::Request,
        r#"path "{path}" in request is False"#,
        "Sets false in the request body.",
        r#"Given path "/active" in request is False"#,
        Target::RequestPath,
        Operand::False,
    ),
    set(
        Family::Request,
        r#"path "{path}" in request is one of "{value}""#,
        "Sets one string picked at random from the comma-separated list.",
        r#"Given path "/department" in request is one of "HR, Payroll""#,
        Target::RequestPath,
        Operand::PickOne,
    ),
    set(
        Family::Request,
        r#"path "{path}" in request is a random string"#,
        "Sets `a` followed by 32 random hex characters.",
        r#"Given path "/name" in request is a random string"#,
        Target::RequestPath,
        Operand::RandomString,
    ),
    set(
        Family::Request,
        r#"path "{path}" in request is a random integer"#,
        "Sets a random integer from 0 to 99.",
        r#"Given path "/floor" in request is a random integer"#,
        Target::RequestPath,
        Operand::RandomInteger,
    ),
    set(
        Family::Request,
        r#"path "{path}" in request is a random float"#,
        "Sets a random number from 0 to 100.",
        r#"Given path "/score" in request is a random float"#,
        Target::RequestPath,
        Operand::RandomFloat,
    ),
    set(
        Family::Request,
        r#"path "{path}" in request is a UUID4"#,
        "Sets a random UUID4 written as 32 hex characters (no dashes).",
        r#"Given path "/request_id" in request is a UUID4"#,
        Target::RequestPath,
        Operand::Uuid4,
    ),
    def(
        Family::Send,
        "the URL is invoked",
        "Sends the request and keeps the response for the checks that follow.",
        "When the URL is invoked",
        when_invoked,
    ),
    def(
        Family::Send,
        POLL_PHRASE,
        "Sends the request again and again, every so many seconds, until the check holds; fails with the last response and the number of attempts when it still does not after that many seconds. For APIs that finish work in the background.",
        r#"Then within "10" seconds, every "0.5" seconds, path "/status" is "done""#,
        then_within,
    )
    .checked_at_plan(poll_wraps_a_check),
];

/// A polling step wraps a check: it must be one, known before anything is sent.
fn poll_wraps_a_check(captures: &[String]) -> Result<(), Error> {
    polled_check(captures.get(2).map_or("", String::as_str)).map(|_| ())
}

/// The phrase that sets the address (read by `run --list` to show where a scenario goes).
pub const ADDRESS_PHRASE: &str = r#"address "{address}""#;

/// The polling phrase; its last argument is another step: a check.
pub const POLL_PHRASE: &str = r#"within "{seconds}" seconds, every "{interval}" seconds, {check}"#;

/// Whether `text`, the check a polling step wraps, is a check; the error says why not.
pub fn polled_check(text: &str) -> Result<(usize, Vec<String>), Error> {
    match super::REGISTRY.find(text) {
        super::Lookup::Found {
            index, captures, ..
        } => {
            let def = super::REGISTRY.defs.get(index);
            // A check is a row that reads the response: every row of the response families.
            let is_check = def.is_some_and(|d| {
                matches!(d.run, super::Run::Check(..))
                    || matches!(
                        d.family,
                        Family::Status
                            | Family::Headers
                            | Family::Cookies
                            | Family::Json
                            | Family::Response
                            | Family::Contract
                            | Family::Xml
                    ) && !matches!(d.run, super::Run::Set(..))
            });
            if is_check {
                Ok((index, captures))
            } else {
                Err(Error::invalid(format!("`{text}` is not a check"))
                    .at_arg(2)
                    .with_hint("a polling step repeats a check, e.g. `path \"/status\" is \"done\"` or `status is \"200\"`"))
            }
        }
        super::Lookup::Unknown { suggestions } => {
            let mut e = Error::invalid(format!("`{text}` is not a check apitest knows")).at_arg(2);
            if let Some(first) = suggestions.first() {
                e = e.with_hint(format!(
                    "did you mean `{first}`? (`apitest steps WORD` searches the list)"
                ));
            }
            Err(e)
        }
        super::Lookup::Ambiguous { phrases } => Err(Error::invalid(format!(
            "`{text}` matches several phrases: `{}`",
            phrases.join("`, `")
        ))
        .at_arg(2)),
    }
}

fn then_within(_: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let seconds = |i: usize, what: &str| {
        let text = a.get(i).trim();
        text.parse::<f64>()
            .ok()
            .and_then(seconds_to_duration)
            .ok_or_else(|| {
                Error::invalid(format!(
                    "{what} `{text}` is not a positive number of seconds"
                ))
                .at_arg(i)
            })
    };
    let within = seconds(0, "the time limit")?;
    let every = seconds(1, "the interval")?;
    if every > within {
        return Err(Error::invalid(format!(
            "the interval ({} s) is longer than the time limit ({} s): the request would be sent once",
            a.get(1).trim(),
            a.get(0).trim()
        ))
        .at_arg(1));
    }
    let (check, captures) = polled_check(a.get(2))?;
    Ok(Effect::Poll(Box::new(super::Poll {
        within,
        every,
        check,
        captures,
    })))
}

fn given_address(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    w.request.address = Some(a.text(w, 0)?);
    Ok(Effect::Done)
}

fn given_url_path(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    w.request.path = a.text(w, 0)?;
    Ok(Effect::Done)
}

fn given_method(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let method = a.get(0).trim();
    if method.is_empty()
        || !method
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(
            Error::invalid(format!("`{method}` is not a valid HTTP method"))
                .at_arg(0)
                .with_hint("use a method such as GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS"),
        );
    }
    w.request.method = method.to_string();
    Ok(Effect::Done)
}

fn given_query_string(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let query = a.text(w, 0)?;
    // `?api_key=...&password=...`: parameters named like credentials are secrets.
    for pair in query.trim_start_matches('?').split('&') {
        if let Some((name, value)) = pair.split_once('=')
            && w.is_secret_name(name)
        {
            w.add_secret(value);
        }
    }
    w.request.query = query;
    Ok(Effect::Done)
}

fn given_header(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let name = a.text(w, 0)?;
    let value = a.text(w, 1)?;
    if reqwest::header::HeaderName::from_bytes(name.as_bytes()).is_err() {
        return Err(Error::invalid(format!("`{name}` is not a valid header name")).at_arg(0));
    }
    if reqwest::header::HeaderValue::from_str(&value).is_err() {
        return Err(Error::invalid(format!(
            "the value of header `{name}` has characters a header cannot carry"
        ))
        .at_arg(1));
    }
    for secret in crate::secret::in_request_header(&name, &value) {
        w.add_secret(&secret);
    }
    w.request.set_header(&name, value);
    Ok(Effect::Done)
}

fn given_user_agent(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let value = a.text(w, 0)?;
    w.request.set_header("User-Agent", value);
    Ok(Effect::Done)
}

fn given_format(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let name = a.text(w, 0)?;
    w.request.format = Some(Format::parse(&name)?);
    Ok(Effect::Done)
}

fn given_response_format(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let name = a.text(w, 0)?;
    w.request.response_format = Some(Format::parse(&name)?);
    Ok(Effect::Done)
}

/// Turns body text into a body by the request format. With no format set, text that parses
/// as JSON is taken as JSON (so `path ... in request` works), anything else as raw text.
fn body_from_text(w: &World, text: String, what: &str) -> Result<Body, Error> {
    match w.request.format {
        Some(Format::Json) => parse_json(&text, what, 0).map(Body::Json).map_err(|e| {
            e.with_hint("JSON needs double quotes around keys and strings, and no trailing commas")
        }),
        None => Ok(serde_json::from_str(&text).map_or(Body::Text(text), Body::Json)),
        Some(_) => Ok(Body::Text(text)),
    }
}

fn given_request_is(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    // A doc-string body resolves `#{}`, `${}` and `@{}` exactly as the inline form does.
    let text = match a.docstring {
        Some(doc) if a.get(0).is_empty() => w.text(doc)?,
        _ => a.text(w, 0)?,
    };
    w.request.body = body_from_text(w, text, "the request")?;
    Ok(Effect::Done)
}

fn given_request_doc(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let Some(doc) = a.docstring else {
        return Err(Error::invalid("this step needs the body in a doc string under it")
            .with_hint("put the body between two `\"\"\"` lines below the step, or write `request is \"...\"`"));
    };
    let text = w.text(doc)?;
    w.request.body = body_from_text(w, text, "the request")?;
    Ok(Effect::Done)
}

fn given_request_file(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let name = a.text(w, 0)?;
    let (path, text) = w.read_data_file(DataKind::Request, &name)?;
    if w.request.format.is_none() && path.components().any(|c| c.as_os_str() == "json") {
        w.request.format = Some(Format::Json);
    }
    w.request.body = body_from_text(w, text, &format!("data file `{}`", path.display()))?;
    Ok(Effect::Done)
}

fn given_form_field(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let name = a.text(w, 0)?;
    let value = a.text(w, 1)?;
    if w.is_secret_name(&name) {
        w.add_secret(&value);
    }
    w.request.form.push((name, value));
    Ok(Effect::Done)
}

fn given_request_file_upload(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let field = a.text(w, 0)?;
    let name = a.text(w, 1)?;
    let path = w.upload_file(&name).map_err(|e| e.at_arg(1))?;
    w.request.files.push((field, path));
    Ok(Effect::Done)
}

fn given_basic_auth(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let user = a.text(w, 0)?;
    let password = a.text(w, 1)?;
    w.add_secret(&password);
    let encoded = base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD,
        format!("{user}:{password}"),
    );
    w.add_secret(&encoded);
    w.request.digest_auth = None;
    w.request.basic_auth = Some((user, password));
    Ok(Effect::Done)
}

fn given_digest_auth(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let user = a.text(w, 0)?;
    let password = a.text(w, 1)?;
    w.add_secret(&password);
    w.request.basic_auth = None;
    w.request.digest_auth = Some((user, password));
    Ok(Effect::Done)
}

fn given_no_redirects(w: &mut World, _: Args<'_>) -> Result<Effect, Error> {
    w.request.no_redirects = true;
    Ok(Effect::Done)
}

fn given_tls_insecure(w: &mut World, _: Args<'_>) -> Result<Effect, Error> {
    w.request.insecure = true;
    Ok(Effect::Done)
}

fn given_timeout(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let text = a.text(w, 0)?;
    let seconds: f64 = text.trim().parse().map_err(|_| {
        Error::invalid(format!("timeout `{text}` is not a number of seconds")).at_arg(0)
    })?;
    w.request.timeout = Some(seconds_to_duration(seconds).ok_or_else(|| {
        Error::invalid(format!(
            "timeout `{text}` must be a positive number of seconds"
        ))
        .at_arg(0)
    })?);
    Ok(Effect::Done)
}

/// Sets `value` at the JSON Pointer of argument 0 in the JSON request body.
pub fn set_in_request(w: &mut World, a: Args<'_>, value: Value) -> Result<Effect, Error> {
    let pointer = a.text(w, 0)?;
    let doc = match &mut w.request.body {
        Body::Json(doc) => doc,
        Body::None => {
            return Err(Error::invalid(format!("cannot set `{pointer}`: the request has no body yet"))
                .at_arg(0)
                .with_hint("start from `Given request is \"{}\"` or a data file with `Given request \"file.json\"`"));
        }
        Body::Text(_) => {
            return Err(Error::invalid(format!(
                "cannot set `{pointer}`: the request body is not JSON"
            ))
            .at_arg(0)
            .with_hint("set `Given format \"JSON\"` before the request body"));
        }
    };
    check::set(doc, &pointer, value)?;
    Ok(Effect::Done)
}

fn when_invoked(_: &mut World, _: Args<'_>) -> Result<Effect, Error> {
    Ok(Effect::Invoke)
}
