//! Checks one request or response against the operation the spec documents for it. Every
//! broken promise becomes one line, and all of them are listed, not just the first:
//!
//! - `status 418 is not documented for GET /api/employee/get/{id} (documented: 200, 404)`
//! - `header X-Request-Id is required but missing`
//! - `content type text/plain is not documented (documented: application/json)`
//! - `/data/employee_no: "123" is not of type "integer" (components/schemas/Employee/properties/employee_no)`

use reqwest::header::HeaderMap;
use serde_json::Value;

use crate::check::compare::cut;
use crate::contract::index::{MediaDoc, ParamDoc, SchemaDoc, Scheme, essence};
use crate::contract::spec::{Operation, Side, Spec, escape};
use crate::contract::template::{percent_decode, split, strip_base};
use crate::http::WireBody;

/// How many violations one check lists; more are counted, not shown.
const MAX_LISTED: usize = 50;
/// Longer messages (a whole object quoted by a `type` error) are cut.
const MAX_MESSAGE: usize = 240;

/// Path parameters by name, as the URL gave them (percent-decoded).
pub type PathParams = Vec<(String, String)>;

/// The request as built by the scenario, in the terms the spec speaks of.
pub struct Request<'a> {
    pub url: &'a reqwest::Url,
    /// Header names compare without regard to letter case.
    pub headers: &'a [(String, String)],
    /// The body as it goes on the wire (`RequestSpec::wire_body`).
    pub body: WireBody<'a>,
}

/// The response as received.
pub struct Response<'a> {
    pub status: u16,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
    pub json: Result<&'a Value, String>,
}

impl Spec {
    /// The index of the operation documented for `method` and the URL `path`, and the path
    /// below the server base path; no message is built, so recording a request stays cheap.
    pub fn locate<'p>(&self, method: &str, path: &'p str) -> Option<(usize, &'p str)> {
        // The path below each base path, split once per base, not once per operation.
        let mut below: Vec<(&str, &'p str, Vec<&'p str>)> = Vec::new();
        // The longest base path wins, then the template with the most literal text.
        let mut best: Option<(usize, usize, usize, &'p str)> = None;
        for (index, op) in self.operations.iter().enumerate() {
            if !op.method.eq_ignore_ascii_case(method) {
                continue;
            }
            // An operation's own `servers` (or its path item's) replace the document's.
            let bases = op.bases.as_deref().unwrap_or(&self.bases);
            for base in bases {
                let known = below.iter().position(|(b, ..)| b == base);
                let at = match known {
                    Some(at) => at,
                    None => {
                        let Some(rest) = strip_base(path, base) else {
                            continue;
                        };
                        below.push((base.as_str(), rest, split(rest).collect()));
                        below.len() - 1
                    }
                };
                let Some((_, rest, parts)) = below.get(at) else {
                    continue;
                };
                if op.template.matches(parts) {
                    let rank = (base.len(), op.template.literal_len());
                    if best.is_none_or(|(_, b, l, _)| rank > (b, l)) {
                        best = Some((index, rank.0, rank.1, rest));
                    }
                    // Bases are longest first: a shorter one cannot rank higher for this op.
                    break;
                }
            }
        }
        best.map(|(index, _, _, rest)| (index, rest))
    }

    /// The operation documented for `method` and the URL `path`, with its path parameters; or
    /// a message naming the closest documented operations.
    pub fn find(&self, method: &str, path: &str) -> Result<(&Operation, PathParams), String> {
        if let Some((index, rest)) = self.locate(method, path)
            && let Some(op) = self.operations.get(index)
        {
            let parts: Vec<&str> = split(rest).collect();
            return Ok((op, op.template.params(&parts).unwrap_or_default()));
        }
        Err(self.undocumented(method, path))
    }

    /// Why `method path` is not documented: the methods its path does document, or the
    /// closest documented operations.
    fn undocumented(&self, method: &str, path: &str) -> String {
        let method = method.to_ascii_uppercase();
        let mut other_methods: Vec<&str> = Vec::new();
        for base in &self.bases {
            let Some(rest) = strip_base(path, base) else {
                continue;
            };
            let parts: Vec<&str> = split(rest).collect();
            for op in &self.operations {
                if op.template.matches(&parts) && !other_methods.contains(&op.method.as_str()) {
                    other_methods.push(&op.method);
                }
            }
        }
        if !other_methods.is_empty() {
            return format!(
                "{method} {path} is not documented in `{}`: that path documents only {}",
                self.name,
                other_methods.join(", ")
            );
        }
        format!(
            "{method} {path} is not documented in `{}`; the closest documented operations are {}",
            self.name,
            self.closest(&method, path).join(", ")
        )
    }

    /// Up to three operations whose method and path read most like the given ones.
    fn closest(&self, method: &str, path: &str) -> Vec<String> {
        let wanted = format!("{method} {path}");
        let mut scored: Vec<(f64, String)> = self
            .operations
            .iter()
            .map(|op| {
                let base = self.bases.first().map_or("", String::as_str);
                let full = format!("{} {base}{}", op.method, op.template.text);
                (strsim::normalized_levenshtein(&wanted, &full), full)
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        let names: Vec<String> = scored.into_iter().take(3).map(|(_, name)| name).collect();
        if names.is_empty() {
            vec!["(none: the spec documents no operations)".into()]
        } else {
            names
        }
    }

    /// Every way `response` breaks the promise of `op`.
    pub fn check_response(&self, op: &Operation, response: &Response<'_>) -> Vec<String> {
        let mut out = Vec::new();
        let Some(documented) = op.response_for(response.status) else {
            let keys: Vec<&str> = op.responses.iter().map(|r| r.key.as_str()).collect();
            out.push(format!(
                "status {} is not documented for {} (documented: {})",
                response.status,
                op.label(),
                if keys.is_empty() {
                    "none".to_string()
                } else {
                    keys.join(", ")
                }
            ));
            return out;
        };
        let key = &documented.key;
        for header in &documented.headers {
            let values: Vec<String> = response
                .headers
                .get_all(header.name.as_str())
                .iter()
                .filter_map(|v| v.to_str().ok().map(str::to_string))
                .collect();
            self.check_parameter(Side::Response, header, &values, &mut out);
        }

        let content_type = response
            .headers
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok());
        let has_body = !response.body.is_empty();
        match (&documented.content, has_body) {
            // A response without `content` leaves its payload undescribed (error responses
            // often do); that is not a promise of an empty body.
            (None, _) => {}
            (Some(content), false) => {
                if !content.is_empty() && op.method != "HEAD" {
                    out.push(format!(
                        "the response has no body but the spec documents {} for status {key}",
                        keys(content)
                    ));
                }
            }
            (Some(content), true) => {
                let Some(actual) = content_type else {
                    out.push(format!(
                        "the response has no Content-Type header; the spec documents {}",
                        keys(content)
                    ));
                    return out;
                };
                let Some(media) = media_doc(content, actual) else {
                    out.push(format!(
                        "content type {actual} is not documented for status {key} (documented: {})",
                        keys(content)
                    ));
                    return out;
                };
                if let Some(schema) = &media.schema
                    && is_json(actual)
                {
                    match &response.json {
                        Ok(body) => self.schema_violations(
                            Side::Response,
                            &schema.pointer,
                            body,
                            "",
                            &mut out,
                        ),
                        Err(e) => out.push(format!(
                            "the body is not valid JSON although its content type is {actual}: {e}"
                        )),
                    }
                }
            }
        }
        out
    }

    /// Every way `request` breaks the promise of `op`, whose path parameters are `params`.
    pub fn check_request(
        &self,
        op: &Operation,
        params: &[(String, String)],
        request: &Request<'_>,
    ) -> Vec<String> {
        let mut out = Vec::new();
        let query: Vec<(String, String)> = request
            .url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        for param in &op.parameters {
            let name = param.name.as_str();
            let values: Vec<String> = match param.place.as_str() {
                "path" => params
                    .iter()
                    .filter(|(n, _)| n == name)
                    .map(|(_, v)| v.clone())
                    .collect(),
                "query" => query
                    .iter()
                    .filter(|(n, _)| n == name)
                    .map(|(_, v)| v.clone())
                    .collect(),
                // The spec says these three are described elsewhere and their parameter
                // entries are ignored.
                "header"
                    if ["accept", "content-type", "authorization"]
                        .contains(&name.to_ascii_lowercase().as_str()) =>
                {
                    continue;
                }
                "header" => request
                    .headers
                    .iter()
                    .filter(|(n, _)| n.eq_ignore_ascii_case(name))
                    .map(|(_, v)| v.clone())
                    .collect(),
                "cookie" => cookies(request.headers)
                    .filter(|(n, _)| n == name)
                    .map(|(_, v)| v)
                    .collect(),
                _ => continue,
            };
            self.check_parameter(Side::Request, param, &values, &mut out);
        }

        if let Some(missing) = missing_credentials(op, &query, request.headers) {
            out.push(missing);
        }

        let has_body = !matches!(request.body, WireBody::None);
        let Some(body) = &op.request_body else {
            if has_body {
                out.push(format!(
                    "the request has a body but the spec documents none for {}",
                    op.label()
                ));
            }
            return out;
        };
        if !has_body {
            if body.required {
                out.push(format!(
                    "the spec requires a request body ({}) but the request has none",
                    if body.content.is_empty() {
                        "any type".to_string()
                    } else {
                        keys(&body.content)
                    }
                ));
            }
            return out;
        }
        if body.content.is_empty() {
            return out;
        }
        let header = request
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-type"))
            .map(|(_, v)| v.as_str());
        let Some(actual) = header.or(request.body.default_content_type()) else {
            out.push(format!(
                "the request body has no Content-Type; the spec documents {}",
                keys(&body.content)
            ));
            return out;
        };
        let Some(media) = media_doc(&body.content, actual) else {
            out.push(format!(
                "request content type {actual} is not documented for {} (documented: {})",
                op.label(),
                keys(&body.content)
            ));
            return out;
        };
        let Some(schema) = &media.schema else {
            return out;
        };
        let at = schema.pointer.as_str();
        match &request.body {
            WireBody::Json(doc) => {
                self.schema_violations(Side::Request, at, doc, "", &mut out);
            }
            WireBody::Text(text) if is_json(actual) => match serde_json::from_str::<Value>(text) {
                Ok(doc) => self.schema_violations(Side::Request, at, &doc, "", &mut out),
                Err(e) => out.push(format!(
                    "the request body is not valid JSON although its content type is {actual}: {e}"
                )),
            },
            WireBody::Form(fields) => {
                let doc = self.form_object(at, fields);
                self.schema_violations(Side::Request, at, &doc, "", &mut out);
            }
            // Multipart: the text fields read as their properties' types, and each file as
            // its name (a `format: binary` string), a list of names for an array property.
            WireBody::Multipart(fields, files) => {
                let mut doc = self.form_object(at, fields);
                let base = self.at(at).map(|(p, _)| p).unwrap_or_default();
                if let Value::Object(object) = &mut doc {
                    for (field, _) in files.iter() {
                        if object.contains_key(field) {
                            continue;
                        }
                        let names: Vec<Value> =
                            files
                                .iter()
                                .filter(|(f, _)| f == field)
                                .map(|(_, path)| {
                                    Value::String(path.file_name().map_or_else(String::new, |n| {
                                        n.to_string_lossy().into_owned()
                                    }))
                                })
                                .collect();
                        let property = format!("{base}/properties/{}", escape(field));
                        let is_list = crate::contract::index::schema_doc(&self.doc, &property)
                            .ok()
                            .flatten()
                            .is_some_and(|schema| schema.types.iter().any(|t| t == "array"));
                        let value = match (is_list, names.len()) {
                            (false, 1) => names.into_iter().next().unwrap_or(Value::Null),
                            _ => Value::Array(names),
                        };
                        object.insert(field.clone(), value);
                    }
                }
                self.schema_violations(Side::Request, at, &doc, "", &mut out);
            }
            _ => {}
        }
        out
    }

    /// Checks one parameter or header, `values` as received, against its description.
    fn check_parameter(
        &self,
        side: Side,
        param: &ParamDoc,
        values: &[String],
        out: &mut Vec<String>,
    ) {
        let label = if side == Side::Response {
            "header".to_string()
        } else {
            format!("{} parameter", param.place)
        };
        if values.is_empty() {
            if param.required {
                out.push(format!("{label} {} is required but missing", param.name));
            }
            return;
        }
        let Some(schema) = &param.schema else { return };
        let value = coerce(schema, values, param.explode);
        let first = out.len();
        let label = format!("{label} {}", param.name);
        self.schema_violations(side, &schema.pointer, &value, &label, out);
        // `api_key`, `X-Auth-Token`: a violation must not quote the credential it is about,
        // not even cut short. (The World registers these values as secrets too; this keeps
        // the check's own output clean for any caller.)
        if crate::secret::is_secret_name(&param.name) {
            let secrets: Vec<String> = values.iter().filter(|v| v.len() >= 3).cloned().collect();
            for line in out.iter_mut().skip(first) {
                *line = crate::secret::redact(line, &secrets);
            }
        }
    }

    /// Form fields as an object, each read as its property's type.
    fn form_object(&self, schema_at: &str, fields: &[(String, String)]) -> Value {
        let base = self.at(schema_at).map(|(p, _)| p).unwrap_or_default();
        let mut object = serde_json::Map::new();
        for (name, _) in fields {
            if object.contains_key(name) {
                continue;
            }
            let values: Vec<String> = fields
                .iter()
                .filter(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
                .collect();
            let at = format!("{base}/properties/{}", escape(name));
            let value = match crate::contract::index::schema_doc(&self.doc, &at) {
                Ok(Some(schema)) => coerce(&schema, &values, true),
                _ => Value::String(values.concat()),
            };
            object.insert(name.clone(), value);
        }
        Value::Object(object)
    }

    /// Validates `instance` against the schema at `pointer`, one line per violation.
    fn schema_violations(
        &self,
        side: Side,
        pointer: &str,
        instance: &Value,
        prefix: &str,
        out: &mut Vec<String>,
    ) {
        let validator = match self.validator(side, pointer) {
            Ok(v) => v,
            Err(e) => {
                out.push(e);
                return;
            }
        };
        // The happy path asks only yes or no, which is several times cheaper than collecting
        // errors; the errors are gathered only for an instance that has some.
        if validator.is_valid(instance) {
            return;
        }
        let mut faults = Vec::new();
        for error in validator.iter_errors(instance) {
            self.faults(&error, 0, &mut faults);
        }
        let hidden = faults.len().saturating_sub(MAX_LISTED);
        for fault in faults.into_iter().take(MAX_LISTED) {
            // A body's root is `/`; a parameter's root is the parameter itself.
            let at = if fault.at.is_empty() && prefix.is_empty() {
                "/".to_string()
            } else {
                fault.at
            };
            out.push(format!(
                "{prefix}{at}: {} ({})",
                cut(&fault.message, MAX_MESSAGE),
                fault.location
            ));
        }
        if hidden > 0 {
            out.push(format!("… and {hidden} more"));
        }
    }

    /// The faults one error stands for. An `anyOf`/`oneOf` that no branch matches says only
    /// that ("... is not valid under any of the schemas"), so it is replaced by the faults of
    /// the branch meant: the one the discriminator names, else the one that fits best (its
    /// type matches, then it has the fewest faults, then the deepest), as ajv and
    /// Schemathesis pick; so a drifted field inside an Optional (`anyOf: [X, null]`) object
    /// is named with its own path and reason.
    fn faults(&self, error: &jsonschema::ValidationError<'_>, depth: usize, out: &mut Vec<Fault>) {
        use jsonschema::error::ValidationErrorKind as K;
        let plain = |message: String| Fault {
            at: error.instance_path().to_string(),
            message,
            location: location(error),
        };
        match error.kind() {
            K::AnyOf { context } | K::OneOfNotValid { context } if depth < MAX_DEPTH => {
                let keyword = keyword_pointer(error);
                let chosen = match self.discriminated(error, &keyword, context.len()) {
                    Some(Ok(index)) => Some(index),
                    Some(Err(message)) => {
                        out.push(plain(message));
                        return;
                    }
                    None => best_branch(error, context),
                };
                match chosen.and_then(|index| context.get(index)) {
                    Some(branch) if !branch.is_empty() => {
                        for inner in branch {
                            self.faults(inner, depth + 1, out);
                        }
                    }
                    _ => out.push(plain(no_branch_fits(error, context))),
                }
            }
            K::OneOfMultipleValid { context } => {
                let matched: Vec<String> = context
                    .iter()
                    .enumerate()
                    .filter(|(_, errors)| errors.is_empty())
                    .map(|(index, _)| self.branch_name(&keyword_pointer(error), index))
                    .collect();
                out.push(plain(format!(
                    "matches {} of the `oneOf` schemas ({}), but must match exactly one",
                    matched.len(),
                    matched.join(", ")
                )));
            }
            // A readOnly property in a request, or a writeOnly one in a response: the view
            // made it refuse any value (see `spec::drop_hidden_required`).
            K::Not { .. } if let Some(message) = self.hidden_property(error) => {
                out.push(plain(message));
            }
            _ => out.push(plain(error.to_string())),
        }
    }

    /// The message for a value given to a property marked readOnly or writeOnly, read from
    /// the document at the schema the failing `not` stands in for.
    fn hidden_property(&self, error: &jsonschema::ValidationError<'_>) -> Option<String> {
        let pointer = keyword_pointer(error);
        let property = pointer.strip_suffix("/not")?;
        let (_, schema) = self.at(property).ok()?;
        let name = property
            .rsplit('/')
            .next()
            .map(crate::check::pointer::unescape)?;
        if schema.get("readOnly") == Some(&Value::Bool(true)) {
            Some(format!(
                "`{name}` is read-only (set by the server): a request must not send it"
            ))
        } else if schema.get("writeOnly") == Some(&Value::Bool(true)) {
            Some(format!(
                "`{name}` is write-only (sent by clients): a response must not return it"
            ))
        } else {
            None
        }
    }

    /// The branch an OpenAPI `discriminator` beside the keyword at `keyword` names for the
    /// instance: `None` without a discriminator, an error when the instance names no branch.
    fn discriminated(
        &self,
        error: &jsonschema::ValidationError<'_>,
        keyword: &str,
        branches: usize,
    ) -> Option<Result<usize, String>> {
        let (parent, _) = keyword.rsplit_once('/')?;
        let discriminator = self.doc.pointer(parent)?.get("discriminator")?;
        let property = discriminator.get("propertyName")?.as_str()?;
        let Some(name) = error.instance().get(property).and_then(Value::as_str) else {
            return Some(Err(format!(
                "`{property}` is required: it is the discriminator that chooses the schema"
            )));
        };
        let target = discriminator
            .get("mapping")
            .and_then(|m| m.get(name))
            .and_then(Value::as_str)
            .map_or_else(|| format!("#/components/schemas/{name}"), str::to_string);
        let list = self.doc.pointer(keyword)?.as_array()?;
        let index = list
            .iter()
            .take(branches)
            .position(|branch| branch.get("$ref").and_then(Value::as_str) == Some(target.as_str()));
        Some(index.ok_or_else(|| {
            let names: Vec<String> = (0..branches)
                .map(|i| self.branch_name(keyword, i))
                .collect();
            format!(
                "`{property}` is \"{name}\", which names none of the schemas ({})",
                names.join(", ")
            )
        }))
    }

    /// A branch as a reader knows it: the schema its `$ref` names, else its position.
    fn branch_name(&self, keyword: &str, index: usize) -> String {
        self.doc
            .pointer(&format!("{keyword}/{index}"))
            .and_then(|branch| branch.get("$ref"))
            .and_then(Value::as_str)
            .and_then(|r| r.rsplit('/').next())
            .map_or_else(|| format!("#{index}"), str::to_string)
    }
}

/// The violation when the request carries none of the requirements of the operation's
/// `security`, naming what each would need; no credential value is ever shown.
fn missing_credentials(
    op: &Operation,
    query: &[(String, String)],
    headers: &[(String, String)],
) -> Option<String> {
    if op.security.is_empty() {
        return None;
    }
    let header = |name: &str| {
        headers
            .iter()
            .any(|(n, v)| n.eq_ignore_ascii_case(name) && !v.trim().is_empty())
    };
    let shown = |scheme: &Scheme| match scheme {
        Scheme::ApiKey { name, place } => match place.as_str() {
            "query" => format!("query parameter `{name}`"),
            "cookie" => format!("cookie `{name}`"),
            _ => format!("header `{name}`"),
        },
        Scheme::Http { scheme } => {
            let mut word = scheme.clone();
            if let Some(first) = word.get_mut(..1) {
                first.make_ascii_uppercase();
            }
            format!("`Authorization: {word} ...`")
        }
        Scheme::Tls => "a TLS client certificate".to_string(),
    };
    let present = |scheme: &Scheme| match scheme {
        Scheme::ApiKey { name, place } => match place.as_str() {
            "query" => query.iter().any(|(n, _)| n == name),
            "cookie" => cookies(headers).any(|(n, _)| &n == name),
            _ => header(name),
        },
        Scheme::Http { scheme } => headers.iter().any(|(n, v)| {
            n.eq_ignore_ascii_case("authorization")
                && v.split_whitespace()
                    .next()
                    .is_some_and(|w| w.eq_ignore_ascii_case(scheme))
        }),
        Scheme::Tls => true,
    };
    if op
        .security
        .iter()
        .any(|requirement| requirement.iter().all(|(_, scheme)| present(scheme)))
    {
        return None;
    }
    let options: Vec<String> = op
        .security
        .iter()
        .map(|requirement| {
            let needs: Vec<String> = requirement.iter().map(|(_, s)| shown(s)).collect();
            let names: Vec<&str> = requirement.iter().map(|(n, _)| n.as_str()).collect();
            format!("{} ({})", needs.join(" and "), names.join(" + "))
        })
        .collect();
    Some(format!(
        "the request carries none of the credentials {} requires: {}",
        op.label(),
        options.join(", or ")
    ))
}

/// How deep `anyOf`/`oneOf` inside each other are explained; deeper ones are shown as they
/// are (a schema that deep is generated, and its message still names the place).
const MAX_DEPTH: usize = 8;

/// One violation: where in the instance, what is wrong, and where in the schema.
struct Fault {
    at: String,
    message: String,
    location: String,
}

/// The JSON Pointer in the document of the keyword that failed (`/components/.../anyOf`).
fn keyword_pointer(error: &jsonschema::ValidationError<'_>) -> String {
    let full = error
        .absolute_keyword_location()
        .map(|uri| uri.as_str().to_string())
        .unwrap_or_else(|| format!("#{}", error.schema_path()));
    let fragment = full.split_once('#').map_or(full.as_str(), |(_, f)| f);
    percent_decode(fragment)
}

/// The branch that fits best: one that does not refuse the value's type outright, then the
/// one with the fewest faults, then the one whose faults lie deepest. `None` when every
/// branch refuses the type.
fn best_branch(
    error: &jsonschema::ValidationError<'_>,
    context: &[Vec<jsonschema::ValidationError<'static>>],
) -> Option<usize> {
    let here = error.instance_path().to_string();
    context
        .iter()
        .enumerate()
        .filter(|(_, errors)| {
            !errors.iter().any(|e| {
                matches!(
                    e.kind(),
                    jsonschema::error::ValidationErrorKind::Type { .. }
                ) && e.instance_path().to_string() == here
            })
        })
        .min_by_key(|(_, errors)| {
            let deepest = errors
                .iter()
                .map(|e| e.instance_path().to_string().matches('/').count())
                .max()
                .unwrap_or(0);
            (errors.len(), std::cmp::Reverse(deepest))
        })
        .map(|(index, _)| index)
}

/// The message when no branch takes the value's type: the types they would take.
fn no_branch_fits(
    error: &jsonschema::ValidationError<'_>,
    context: &[Vec<jsonschema::ValidationError<'static>>],
) -> String {
    let mut types: Vec<String> = Vec::new();
    for errors in context {
        for e in errors {
            if let jsonschema::error::ValidationErrorKind::Type { kind } = e.kind() {
                let shown = match kind {
                    jsonschema::error::TypeKind::Single(t) => format!("\"{t}\""),
                    jsonschema::error::TypeKind::Multiple(ts) => ts
                        .iter()
                        .map(|t| format!("\"{t}\""))
                        .collect::<Vec<_>>()
                        .join(" or "),
                };
                if !types.contains(&shown) {
                    types.push(shown);
                }
            }
        }
    }
    let value = cut(&error.instance().to_string(), 60);
    if types.is_empty() {
        error.to_string()
    } else {
        format!("{value} is not of type {}", types.join(" or "))
    }
}

/// Where in the document the failing keyword's schema sits, as a path from its root:
/// `components/schemas/Employee/properties/employee_no`.
fn location(error: &jsonschema::ValidationError<'_>) -> String {
    let mut path = keyword_pointer(error);
    let keyword = error.kind().keyword();
    if let Some(parent) = path.strip_suffix(&format!("/{keyword}")) {
        path = parent.to_string();
    }
    let path = path.trim_start_matches('/');
    if path.is_empty() {
        "/".into()
    } else {
        path.to_string()
    }
}

/// Text read as the first of `types` it fits; otherwise kept as text.
fn scalar(types: &[String], text: &str) -> Value {
    for t in types {
        let parsed = match t.as_str() {
            "integer" => text.parse::<i64>().ok().map(Value::from),
            "number" => text
                .parse::<f64>()
                .ok()
                .and_then(|n| serde_json::Number::from_f64(n).map(Value::Number)),
            "boolean" => match text {
                "true" => Some(Value::Bool(true)),
                "false" => Some(Value::Bool(false)),
                _ => None,
            },
            "null" if text.is_empty() => Some(Value::Null),
            _ => None,
        };
        if let Some(value) = parsed {
            return value;
        }
    }
    Value::String(text.to_string())
}

/// `name=value` pairs of the request's `Cookie` headers.
fn cookies(headers: &[(String, String)]) -> impl Iterator<Item = (String, String)> + '_ {
    headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("cookie"))
        .flat_map(|(_, v)| v.split(';'))
        .filter_map(|pair| {
            let (name, value) = pair.split_once('=')?;
            Some((name.trim().to_string(), value.trim().to_string()))
        })
}

/// The documented media type that covers `actual` (parameters such as `charset` aside):
/// the exact type first, then `type/*`, then `*/*`.
fn media_doc<'c>(content: &'c [MediaDoc], actual: &str) -> Option<&'c MediaDoc> {
    let essence = crate::contract::index::essence(actual);
    let major = essence.split('/').next().unwrap_or("");
    let wildcard = format!("{major}/*");
    content
        .iter()
        .find(|m| m.essence == essence)
        .or_else(|| content.iter().find(|m| m.essence == wildcard))
        .or_else(|| content.iter().find(|m| m.essence == "*/*"))
}

/// Text from a URL, header or form read as the type its schema asks for, so `?limit=10` is
/// the integer 10. Text that does not read as that type stays text, and the schema then says
/// why it is wrong.
fn coerce(schema: &SchemaDoc, values: &[String], explode: bool) -> Value {
    if schema.types.iter().any(|t| t == "array") {
        let parts: Vec<&str> = if values.len() == 1 || !explode {
            values
                .iter()
                .flat_map(|v| v.split(','))
                .map(str::trim)
                .collect()
        } else {
            values.iter().map(String::as_str).collect()
        };
        return Value::Array(
            parts
                .iter()
                .map(|p| scalar(&schema.item_types, p))
                .collect(),
        );
    }
    values
        .first()
        .map_or(Value::Null, |v| scalar(&schema.types, v))
}

/// `application/json` and the `+json` types.
fn is_json(content_type: &str) -> bool {
    let essence = essence(content_type);
    essence == "application/json" || essence.ends_with("+json")
}

fn keys(content: &[MediaDoc]) -> String {
    if content.is_empty() {
        "no content".into()
    } else {
        content
            .iter()
            .map(|m| m.media.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}
