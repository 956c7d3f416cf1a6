//! Checks one request or response against the operation the spec documents for it. Every
//! broken promise becomes one line, and all of them are listed, not just the first:
//!
//! - `status 418 is not documented for GET /api/employee/get/{id} (documented: 200, 404)`
//! - `header X-Request-Id is required but missing`
//! - `content type text/plain is not documented (documented: application/json)`
//! - `/data/employee_no: "123" is not of type "integer" (components/schemas/Employee/properties/employee_no)`

use reqwest::header::HeaderMap;
use serde_json::Value;

use crate::contract::spec::{Operation, Side, Spec, escape};
use crate::contract::template::percent_decode;

/// How many violations one check lists; more are counted, not shown.
const MAX_LISTED: usize = 50;
/// Longer messages (a whole object quoted by a `type` error) are cut.
const MAX_MESSAGE: usize = 240;

/// Path parameters by name, as the URL gave them (percent-decoded).
pub type PathParams = Vec<(String, String)>;

/// The request as built by the scenario, in the terms the spec speaks of.
pub struct Request<'a> {
    pub method: &'a str,
    pub url: &'a reqwest::Url,
    /// Header names compare without regard to letter case.
    pub headers: &'a [(String, String)],
    pub body: RequestBody<'a>,
}

pub enum RequestBody<'a> {
    None,
    Json(&'a Value),
    Text(&'a str),
    Form(&'a [(String, String)]),
    /// Multipart uploads: only the text fields are known before sending.
    Multipart(&'a [(String, String)]),
}

impl RequestBody<'_> {
    /// The content type the body is sent with when no header says otherwise.
    fn default_content_type(&self) -> Option<&'static str> {
        match self {
            RequestBody::None | RequestBody::Text(_) => None,
            RequestBody::Json(_) => Some("application/json"),
            RequestBody::Form(_) => Some("application/x-www-form-urlencoded"),
            RequestBody::Multipart(_) => Some("multipart/form-data"),
        }
    }
}

/// The response as received.
pub struct Response<'a> {
    pub status: u16,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
    pub json: Result<&'a Value, String>,
}

impl Spec {
    /// The operation documented for `method` and the URL `path`, with its path parameters; or
    /// a message naming the closest documented operations.
    pub fn find(&self, method: &str, path: &str) -> Result<(&Operation, PathParams), String> {
        let method = method.to_ascii_uppercase();
        let mut best: Option<(&Operation, PathParams)> = None;
        let mut other_methods: Vec<&str> = Vec::new();
        for base in &self.bases {
            let Some(rest) = crate::contract::template::strip_base(path, base) else {
                continue;
            };
            for op in &self.operations {
                let Some(params) = op.template.matches(rest) else {
                    continue;
                };
                if op.method != method {
                    if !other_methods.contains(&op.method.as_str()) {
                        other_methods.push(&op.method);
                    }
                    continue;
                }
                let better = best
                    .as_ref()
                    .is_none_or(|(b, _)| op.template.literal_len() > b.template.literal_len());
                if better {
                    best = Some((op, params));
                }
            }
            if best.is_some() {
                break;
            }
        }
        if let Some(found) = best {
            return Ok(found);
        }
        if !other_methods.is_empty() {
            return Err(format!(
                "{method} {path} is not documented in `{}`: that path documents only {}",
                self.name,
                other_methods.join(", ")
            ));
        }
        Err(format!(
            "{method} {path} is not documented in `{}`; the closest documented operations are {}",
            self.name,
            self.closest(&method, path).join(", ")
        ))
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

    /// The key of `op.responses` that documents `status`: the code itself, then its range
    /// (`4XX`), then `default`.
    pub fn response_key<'o>(&self, op: &'o Operation, status: u16) -> Option<&'o str> {
        let code = status.to_string();
        let range = format!("{}XX", status / 100);
        let find = |want: &str| {
            op.responses
                .iter()
                .find(|k| k.eq_ignore_ascii_case(want))
                .map(String::as_str)
        };
        find(&code)
            .or_else(|| find(&range))
            .or_else(|| find("default"))
    }

    /// Every way `response` breaks the promise of `op`.
    pub fn check_response(&self, op: &Operation, response: &Response<'_>) -> Vec<String> {
        let mut out = Vec::new();
        let Some(key) = self.response_key(op, response.status) else {
            out.push(format!(
                "status {} is not documented for {} (documented: {})",
                response.status,
                op.label(),
                if op.responses.is_empty() {
                    "none".to_string()
                } else {
                    op.responses.join(", ")
                }
            ));
            return out;
        };
        let pointer = format!("{}/responses/{}", op.pointer, escape(key));
        let (pointer, documented) = match self.at(&pointer) {
            Ok(found) => found,
            Err(e) => return vec![format!("response `{key}` of {}: {e}", op.label())],
        };

        if let Some(headers) = documented.get("headers").and_then(Value::as_object) {
            for (name, _) in headers {
                if name.eq_ignore_ascii_case("content-type") {
                    continue;
                }
                let at = format!("{pointer}/headers/{}", escape(name));
                let values: Vec<String> = response
                    .headers
                    .get_all(name.as_str())
                    .iter()
                    .filter_map(|v| v.to_str().ok().map(str::to_string))
                    .collect();
                self.check_parameter(Side::Response, &at, "header", name, &values, &mut out);
            }
        }

        let content_type = response
            .headers
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok());
        let content = documented.get("content").and_then(Value::as_object);
        let has_body = !response.body.is_empty();
        match (content, has_body) {
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
                let Some(media) = media_key(content, actual) else {
                    out.push(format!(
                        "content type {actual} is not documented for status {key} (documented: {})",
                        keys(content)
                    ));
                    return out;
                };
                let schema_at = format!("{pointer}/content/{}/schema", escape(media));
                if is_json(actual) && self.doc.pointer(&schema_at).is_some() {
                    match &response.json {
                        Ok(body) => {
                            self.schema_violations(Side::Response, &schema_at, body, "", &mut out)
                        }
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
        for (at, param) in self.parameters(op, &mut out) {
            let (Some(name), Some(place)) = (
                param.get("name").and_then(Value::as_str),
                param.get("in").and_then(Value::as_str),
            ) else {
                continue;
            };
            let values: Vec<String> = match place {
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
            let label = format!("{place} parameter");
            self.check_parameter(Side::Request, &at, &label, name, &values, &mut out);
        }

        let body_at = format!("{}/requestBody", op.pointer);
        let documented = self.doc.pointer(&body_at).map(|_| self.at(&body_at));
        let has_body = !matches!(request.body, RequestBody::None);
        match documented {
            None if has_body => out.push(format!(
                "the request has a body but the spec documents none for {}",
                op.label()
            )),
            None => {}
            Some(Err(e)) => out.push(format!("request body of {}: {e}", op.label())),
            Some(Ok((pointer, body))) => {
                let content = body.get("content").and_then(Value::as_object);
                if !has_body {
                    if body.get("required") == Some(&Value::Bool(true)) {
                        out.push(format!(
                            "the spec requires a request body ({}) but the request has none",
                            content.map_or_else(|| "any type".into(), keys)
                        ));
                    }
                    return out;
                }
                let Some(content) = content else { return out };
                let header = request
                    .headers
                    .iter()
                    .find(|(n, _)| n.eq_ignore_ascii_case("content-type"))
                    .map(|(_, v)| v.as_str());
                let Some(actual) = header.or(request.body.default_content_type()) else {
                    out.push(format!(
                        "the request body has no Content-Type; the spec documents {}",
                        keys(content)
                    ));
                    return out;
                };
                let Some(media) = media_key(content, actual) else {
                    out.push(format!(
                        "request content type {actual} is not documented for {} (documented: {})",
                        op.label(),
                        keys(content)
                    ));
                    return out;
                };
                let schema_at = format!("{pointer}/content/{}/schema", escape(media));
                if self.doc.pointer(&schema_at).is_none() {
                    return out;
                }
                match &request.body {
                    RequestBody::Json(doc) => {
                        self.schema_violations(Side::Request, &schema_at, doc, "", &mut out);
                    }
                    RequestBody::Text(text) if is_json(actual) => match serde_json::from_str::<Value>(text) {
                        Ok(doc) => self.schema_violations(Side::Request, &schema_at, &doc, "", &mut out),
                        Err(e) => out.push(format!(
                            "the request body is not valid JSON although its content type is {actual}: {e}"
                        )),
                    },
                    RequestBody::Form(fields) => {
                        let doc = self.form_object(&schema_at, fields);
                        self.schema_violations(Side::Request, &schema_at, &doc, "", &mut out);
                    }
                    _ => {}
                }
            }
        }
        out
    }

    /// The parameters that apply to `op`: the path item's, overridden by the operation's own
    /// of the same name and place; each with the pointer it was found at.
    fn parameters(&self, op: &Operation, out: &mut Vec<String>) -> Vec<(String, &Value)> {
        let mut found: Vec<(String, &Value)> = Vec::new();
        for owner in [&op.item_pointer, &op.pointer] {
            let Some(Value::Array(list)) = self.doc.pointer(&format!("{owner}/parameters")) else {
                continue;
            };
            for i in 0..list.len() {
                match self.at(&format!("{owner}/parameters/{i}")) {
                    Ok((at, param)) => {
                        let key = |p: &Value| (p.get("name").cloned(), p.get("in").cloned());
                        found.retain(|(_, p)| key(p) != key(param));
                        found.push((at, param));
                    }
                    Err(e) => out.push(format!("parameter {i} of {}: {e}", op.label())),
                }
            }
        }
        found
    }

    /// Checks one parameter or header (`values` as received) against its description at `at`.
    fn check_parameter(
        &self,
        side: Side,
        at: &str,
        label: &str,
        name: &str,
        values: &[String],
        out: &mut Vec<String>,
    ) {
        let Ok((at, param)) = self.at(at) else { return };
        let required = param.get("required") == Some(&Value::Bool(true));
        if values.is_empty() {
            if required {
                out.push(format!("{label} {name} is required but missing"));
            }
            return;
        }
        let schema_at = format!("{at}/schema");
        if self.doc.pointer(&schema_at).is_none() {
            return;
        }
        let explode = param
            .get("explode")
            .and_then(Value::as_bool)
            .unwrap_or(param.get("in").and_then(Value::as_str) == Some("query"));
        let value = self.coerce(&schema_at, values, explode);
        self.schema_violations(side, &schema_at, &value, &format!("{label} {name}"), out);
    }

    /// Text from a URL, header or form read as the type the schema at `at` asks for, so
    /// `?limit=10` is the integer 10. Text that does not read as that type stays text, and
    /// the schema then says why it is wrong.
    fn coerce(&self, at: &str, values: &[String], explode: bool) -> Value {
        let types = self.types_at(at);
        if types.iter().any(|t| t == "array") {
            let items_at = format!("{}/items", self.at(at).map(|(p, _)| p).unwrap_or_default());
            let parts: Vec<String> = if values.len() == 1 && !explode {
                values
                    .iter()
                    .flat_map(|v| v.split(','))
                    .map(str::to_string)
                    .collect()
            } else if values.len() == 1 {
                values
                    .iter()
                    .flat_map(|v| v.split(','))
                    .map(|s| s.trim().to_string())
                    .collect()
            } else {
                values.to_vec()
            };
            return Value::Array(
                parts
                    .iter()
                    .map(|p| scalar(&self.types_at(&items_at), p))
                    .collect(),
            );
        }
        values.first().map_or(Value::Null, |v| scalar(&types, v))
    }

    /// The `type`s of the schema at `at` (after `$ref`s); empty if it names none.
    fn types_at(&self, at: &str) -> Vec<String> {
        match self.at(at).map(|(_, s)| s.get("type")) {
            Ok(Some(Value::String(t))) => vec![t.clone()],
            Ok(Some(Value::Array(ts))) => ts
                .iter()
                .filter_map(|t| t.as_str().map(String::from))
                .collect(),
            _ => Vec::new(),
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
            let value = if self.doc.pointer(&at).is_some() {
                self.coerce(&at, &values, true)
            } else {
                Value::String(values.concat())
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
        let mut shown = 0;
        let mut hidden = 0;
        for error in validator.iter_errors(instance) {
            if shown == MAX_LISTED {
                hidden += 1;
                continue;
            }
            shown += 1;
            // A body's root is `/`; a parameter's root is the parameter itself.
            let at = error.instance_path().to_string();
            let at = if at.is_empty() && prefix.is_empty() {
                "/".to_string()
            } else {
                at
            };
            let location = location(&error);
            out.push(format!(
                "{prefix}{at}: {} ({location})",
                cut(&error.to_string())
            ));
        }
        if hidden > 0 {
            out.push(format!("… and {hidden} more"));
        }
    }
}

/// Where in the document the failing keyword's schema sits, as a path from its root:
/// `components/schemas/Employee/properties/employee_no`.
fn location(error: &jsonschema::ValidationError<'_>) -> String {
    let full = error
        .absolute_keyword_location()
        .map(|uri| uri.as_str().to_string())
        .unwrap_or_else(|| format!("#{}", error.schema_path()));
    let fragment = full.split_once('#').map_or(full.as_str(), |(_, f)| f);
    let mut path = percent_decode(fragment);
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

fn cut(message: &str) -> String {
    if message.chars().count() <= MAX_MESSAGE {
        return message.to_string();
    }
    let kept: String = message.chars().take(MAX_MESSAGE).collect();
    format!("{kept}…")
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
fn media_key<'c>(content: &'c serde_json::Map<String, Value>, actual: &str) -> Option<&'c str> {
    let essence = actual
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let major = essence.split('/').next().unwrap_or("");
    let plain = |key: &str| {
        key.split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
    };
    content
        .keys()
        .find(|k| plain(k) == essence)
        .or_else(|| content.keys().find(|k| plain(k) == format!("{major}/*")))
        .or_else(|| content.keys().find(|k| plain(k) == "*/*"))
        .map(String::as_str)
}

/// `application/json` and the `+json` types.
fn is_json(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

fn keys(content: &serde_json::Map<String, Value>) -> String {
    if content.is_empty() {
        "no content".into()
    } else {
        content.keys().cloned().collect::<Vec<_>>().join(", ")
    }
}
