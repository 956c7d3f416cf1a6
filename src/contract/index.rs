//! What each operation documents, read out of the document once when the spec loads:
//! parameters, request body, and per response its headers and content types, each with the
//! pointer to its schema. Checking a response then walks these small lists instead of
//! looking JSON Pointers up in the document (which costs a string copy per token), and a
//! dangling `$ref` is reported when the spec loads rather than halfway through a run.

use serde_json::Value;

use crate::contract::spec::{escape, resolve_in};

/// A parameter, or a response header (`place` is then `header`).
#[derive(Debug, Clone)]
pub struct ParamDoc {
    pub name: String,
    /// `path`, `query`, `header` or `cookie`.
    pub place: String,
    pub required: bool,
    /// Whether a list is sent as repeated `name=value` pairs (else one comma-separated value).
    pub explode: bool,
    pub schema: Option<SchemaDoc>,
}

/// Where a schema is, and the types text must be read as to be checked against it.
#[derive(Debug, Clone)]
pub struct SchemaDoc {
    pub pointer: String,
    pub types: Vec<String>,
    /// For an array schema, its items' types.
    pub item_types: Vec<String>,
}

/// One entry of a `content` map.
#[derive(Debug, Clone)]
pub struct MediaDoc {
    /// As written in the document: `application/json`.
    pub media: String,
    /// Lower case, parameters removed, for matching.
    pub essence: String,
    pub schema: Option<SchemaDoc>,
}

#[derive(Debug, Clone)]
pub struct ResponseDoc {
    /// `200`, `4XX` or `default`.
    pub key: String,
    pub headers: Vec<ParamDoc>,
    /// `None` when the response leaves its payload undescribed.
    pub content: Option<Vec<MediaDoc>>,
}

#[derive(Debug, Clone)]
pub struct BodyDoc {
    pub required: bool,
    pub content: Vec<MediaDoc>,
}

/// The parameters that apply to an operation: the path item's, overridden by the operation's
/// own of the same name and place.
pub fn parameters(doc: &Value, item: &str, op: &str) -> Result<Vec<ParamDoc>, String> {
    let mut found: Vec<ParamDoc> = Vec::new();
    for owner in [item, op] {
        let Some(Value::Array(list)) = doc.pointer(&format!("{owner}/parameters")) else {
            continue;
        };
        for (i, entry) in list.iter().enumerate() {
            let (at, param) = resolve_in(doc, &format!("{owner}/parameters/{i}"), entry)
                .map_err(|e| format!("parameter {i}: {e}"))?;
            let name = param.get("name").and_then(Value::as_str).unwrap_or("");
            let place = param.get("in").and_then(Value::as_str).unwrap_or("");
            found.retain(|p| !(p.name == name && p.place == place));
            found.push(param_doc(doc, &at, param, name, place)?);
        }
    }
    Ok(found)
}

fn param_doc(
    doc: &Value,
    at: &str,
    param: &Value,
    name: &str,
    place: &str,
) -> Result<ParamDoc, String> {
    Ok(ParamDoc {
        name: name.to_string(),
        place: place.to_string(),
        required: param.get("required") == Some(&Value::Bool(true)),
        explode: param
            .get("explode")
            .and_then(Value::as_bool)
            .unwrap_or(place == "query" || place == "cookie"),
        schema: schema_doc(doc, &format!("{at}/schema"))?,
    })
}

/// The responses of the operation at `op`, in document order.
pub fn responses(doc: &Value, op: &str) -> Result<Vec<ResponseDoc>, String> {
    let Some(Value::Object(map)) = doc.pointer(&format!("{op}/responses")) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (key, entry) in map {
        let (at, response) = resolve_in(doc, &format!("{op}/responses/{}", escape(key)), entry)
            .map_err(|e| format!("response {key}: {e}"))?;
        let mut headers = Vec::new();
        if let Some(Value::Object(map)) = response.get("headers") {
            for (name, entry) in map {
                // The spec says a `Content-Type` entry here is ignored: `content` says it.
                if name.eq_ignore_ascii_case("content-type") {
                    continue;
                }
                let (at, header) =
                    resolve_in(doc, &format!("{at}/headers/{}", escape(name)), entry)
                        .map_err(|e| format!("response {key}, header {name}: {e}"))?;
                headers.push(param_doc(doc, &at, header, name, "header")?);
            }
        }
        let content = match response.get("content") {
            Some(Value::Object(_)) => Some(media(doc, &at)?),
            _ => None,
        };
        out.push(ResponseDoc {
            key: key.clone(),
            headers,
            content,
        });
    }
    Ok(out)
}

/// The request body of the operation at `op`, if it documents one.
pub fn request_body(doc: &Value, op: &str) -> Result<Option<BodyDoc>, String> {
    let at = format!("{op}/requestBody");
    let Some(entry) = doc.pointer(&at) else {
        return Ok(None);
    };
    let (at, body) = resolve_in(doc, &at, entry).map_err(|e| format!("request body: {e}"))?;
    Ok(Some(BodyDoc {
        required: body.get("required") == Some(&Value::Bool(true)),
        content: media(doc, &at)?,
    }))
}

/// The `content` map of the object at `owner`.
fn media(doc: &Value, owner: &str) -> Result<Vec<MediaDoc>, String> {
    let Some(Value::Object(map)) = doc.pointer(&format!("{owner}/content")) else {
        return Ok(Vec::new());
    };
    map.keys()
        .map(|media| {
            Ok(MediaDoc {
                media: media.clone(),
                essence: essence(media),
                schema: schema_doc(doc, &format!("{owner}/content/{}/schema", escape(media)))?,
            })
        })
        .collect()
}

/// The schema at `at`, if there is one, with the types its text values are read as.
pub fn schema_doc(doc: &Value, at: &str) -> Result<Option<SchemaDoc>, String> {
    let Some(schema) = doc.pointer(at) else {
        return Ok(None);
    };
    let (resolved_at, resolved) = resolve_in(doc, at, schema)?;
    let types = types_of(resolved);
    let item_types = match resolved.get("items") {
        Some(items) => resolve_in(doc, &format!("{resolved_at}/items"), items)
            .map(|(_, items)| types_of(items))
            .unwrap_or_default(),
        None => Vec::new(),
    };
    Ok(Some(SchemaDoc {
        pointer: at.to_string(),
        types,
        item_types,
    }))
}

fn types_of(schema: &Value) -> Vec<String> {
    match schema.get("type") {
        Some(Value::String(t)) => vec![t.clone()],
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(|t| t.as_str().map(String::from))
            .collect(),
        _ => Vec::new(),
    }
}

/// A media type without its parameters, in lower case: `application/json`.
pub fn essence(media: &str) -> String {
    media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// One security scheme an operation may require, as the request must show it.
#[derive(Debug, Clone, PartialEq)]
pub enum Scheme {
    /// An API key in a header, a query parameter or a cookie.
    ApiKey { name: String, place: String },
    /// `Authorization: <scheme> ...`: `basic`, `bearer`, `digest` (lower case); OAuth2 and
    /// OpenID Connect tokens are sent as `bearer`.
    Http { scheme: String },
    /// Mutual TLS, which a request's headers cannot show: never counted missing.
    Tls,
}

/// A requirement: every scheme of it together, the name it has in the document for each.
pub type Requirement = Vec<(String, Scheme)>;

/// The security an operation requires: its own `security`, else the document's; any one
/// requirement of the list will do. Empty when it requires none (`security: []` or none
/// written).
pub fn security(doc: &Value, op: &str) -> Result<Vec<Requirement>, String> {
    let list = match doc.pointer(&format!("{op}/security")) {
        Some(list) => list,
        None => match doc.get("security") {
            Some(list) => list,
            None => return Ok(Vec::new()),
        },
    };
    let Some(list) = list.as_array() else {
        return Err("`security` must be a list of requirements".into());
    };
    let mut requirements = Vec::new();
    for requirement in list {
        let Some(names) = requirement.as_object() else {
            return Err("each `security` requirement must be an object of scheme names".into());
        };
        let mut schemes = Vec::new();
        for name in names.keys() {
            let pointer = format!("/components/securitySchemes/{}", escape(name));
            let Some(entry) = doc.pointer(&pointer) else {
                return Err(format!(
                    "`security` names the scheme `{name}`, which `components/securitySchemes` does not define"
                ));
            };
            let (_, scheme) = resolve_in(doc, &pointer, entry)?;
            let text = |key: &str| scheme.get(key).and_then(Value::as_str).unwrap_or("");
            let scheme = match text("type") {
                "apiKey" => Scheme::ApiKey {
                    name: text("name").to_string(),
                    place: text("in").to_string(),
                },
                "http" => Scheme::Http {
                    scheme: text("scheme").to_ascii_lowercase(),
                },
                "oauth2" | "openIdConnect" => Scheme::Http {
                    scheme: "bearer".into(),
                },
                "mutualTLS" => Scheme::Tls,
                other => {
                    return Err(format!(
                        "the security scheme `{name}` has the unknown type `{other}`"
                    ));
                }
            };
            schemes.push((name.clone(), scheme));
        }
        // `{}` in the list makes the security optional: nothing is required.
        if schemes.is_empty() {
            return Ok(Vec::new());
        }
        requirements.push(schemes);
    }
    Ok(requirements)
}
