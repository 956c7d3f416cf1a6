//! An OpenAPI 3.0 or 3.1 document, loaded once per run: its operations, its servers' base
//! paths, and JSON Schema validators for the schemas it holds, built on first use.
//!
//! The document is kept as plain JSON rather than in a typed model: validation hands its
//! schemas to the `jsonschema` crate as written (a typed model drops keywords it does not
//! know), and one walk over `paths` serves both versions. What differs between them is settled
//! here, once: 3.0's `nullable` becomes a JSON Schema type, 3.0 schemas are read as Draft 4
//! and 3.1 schemas as Draft 2020-12, and a `required` property that is `readOnly` is not
//! required of a request (nor a `writeOnly` one of a response), as the specification says.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

use jsonschema::{Draft, Registry, Validator};
use serde_json::{Map, Value};

use crate::contract::index::{self, BodyDoc, ParamDoc, ResponseDoc};
use crate::contract::template::{self, Template};

/// The URI the document is registered under, so `$ref: '#/components/...'` resolves in it.
pub const DOC_URI: &str = "urn:apitest:openapi";

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// One documented operation: a method on a path template, with what it documents.
#[derive(Debug)]
pub struct Operation {
    /// Upper case, as sent: `GET`.
    pub method: String,
    pub template: Template,
    /// JSON Pointer to the operation object in the document.
    pub pointer: String,
    /// The path item's parameters and the operation's own.
    pub parameters: Vec<ParamDoc>,
    pub request_body: Option<BodyDoc>,
    /// Keyed `200`, `4XX`, `default`, in document order.
    pub responses: Vec<ResponseDoc>,
    /// What the request must carry to be let in: any one requirement of the list (empty:
    /// nothing).
    pub security: Vec<index::Requirement>,
    /// Base paths of the operation's own `servers`, or its path item's; `None` when neither
    /// has any and the document's apply.
    pub bases: Option<Vec<String>>,
}

impl Operation {
    /// `GET /api/employee/get/{id}`
    pub fn label(&self) -> String {
        format!("{} {}", self.method, self.template.text)
    }

    /// The response that documents `status`: the code itself, then its range (`4XX`), then
    /// `default`.
    pub fn response_for(&self, status: u16) -> Option<&ResponseDoc> {
        let is_range = |key: &str| {
            let bytes = key.as_bytes();
            bytes.len() == 3
                && bytes.first().copied()
                    == char::from_digit(u32::from(status / 100), 10).map(|d| d as u8)
                && key.get(1..).is_some_and(|x| x.eq_ignore_ascii_case("xx"))
        };
        let find = |wanted: &dyn Fn(&str) -> bool| self.responses.iter().find(|r| wanted(&r.key));
        find(&|key| key.parse::<u16>() == Ok(status))
            .or_else(|| find(&is_range))
            .or_else(|| find(&|key| key.eq_ignore_ascii_case("default")))
    }
}

/// Which side of an exchange a schema is applied to; it decides `readOnly`/`writeOnly`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Request,
    Response,
}

/// The document as one side sees it, registered for `$ref` resolution, with its validators.
struct View {
    registry: Registry<'static>,
    validators: Mutex<HashMap<String, Arc<Validator>>>,
}

pub struct Spec {
    /// The file as the user named it, for messages.
    pub name: String,
    /// The `openapi` field: `3.0.3`, `3.1.0`.
    pub version: String,
    pub doc: Value,
    pub operations: Vec<Operation>,
    /// Base paths from `servers`; the empty path when there are none.
    pub bases: Vec<String>,
    draft: Draft,
    request_view: OnceLock<Result<View, String>>,
    response_view: OnceLock<Result<View, String>>,
}

impl std::fmt::Debug for Spec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Spec")
            .field("name", &self.name)
            .field("version", &self.version)
            .field("operations", &self.operations.len())
            .finish_non_exhaustive()
    }
}

impl Spec {
    /// Reads and checks an OpenAPI document (YAML or JSON).
    pub fn load(path: &Path, name: &str) -> Result<Spec, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read OpenAPI document `{name}`: {e}"))?;
        let is_json = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        let doc: Value = if is_json {
            serde_json::from_str(&text).map_err(|e| format!("`{name}` is not valid JSON: {e}"))?
        } else {
            serde_saphyr::from_str(&text)
                .map_err(|e| format!("`{name}` is not valid YAML: {}", one_line(&e.to_string())))?
        };
        Spec::from_value(doc, name)
    }

    /// Checks a parsed document and indexes its operations.
    pub fn from_value(mut doc: Value, name: &str) -> Result<Spec, String> {
        let version = match (doc.get("openapi"), doc.get("swagger")) {
            (Some(Value::String(v)), _) => v.clone(),
            (_, Some(v)) => {
                return Err(format!(
                    "`{name}` is a Swagger {} document; apitest reads OpenAPI 3.0 and 3.1 (convert it, e.g. with swagger2openapi)",
                    v.as_str().unwrap_or("2.0")
                ));
            }
            _ => {
                return Err(format!(
                    "`{name}` has no `openapi` version field; is it an OpenAPI document?"
                ));
            }
        };
        let draft = if version.starts_with("3.0") {
            Draft::Draft4
        } else if version.starts_with("3.1") {
            dialect(&doc)
        } else {
            return Err(format!(
                "`{name}` is OpenAPI {version}; apitest reads OpenAPI 3.0 and 3.1"
            ));
        };
        if draft == Draft::Draft4 {
            nullable_to_type(&mut doc);
        }
        let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
            return Err(format!(
                "`{name}` has no `paths` object, so it documents no operations"
            ));
        };
        let mut operations = Vec::new();
        for (path, item) in paths {
            let item_pointer = format!("/paths/{}", escape(path));
            let (item_pointer, item) = resolve_in(&doc, &item_pointer, item)
                .map_err(|e| format!("`{name}`: path `{path}`: {e}"))?;
            let template = Template::parse(path);
            for method in METHODS {
                if item.get(method).is_none() {
                    continue;
                }
                let pointer = format!("{item_pointer}/{method}");
                let method = method.to_ascii_uppercase();
                let what = |e: String| format!("`{name}`: {method} {path}: {e}");
                operations.push(Operation {
                    parameters: index::parameters(&doc, &item_pointer, &pointer).map_err(what)?,
                    request_body: index::request_body(&doc, &pointer).map_err(what)?,
                    responses: index::responses(&doc, &pointer).map_err(what)?,
                    security: index::security(&doc, &pointer).map_err(what)?,
                    bases: item
                        .get(method.to_ascii_lowercase().as_str())
                        .and_then(|op| op.get("servers"))
                        .or_else(|| item.get("servers"))
                        .map(base_paths_of),
                    method,
                    template: template.clone(),
                    pointer,
                });
            }
        }
        let bases = base_paths(&doc);
        Ok(Spec {
            name: name.to_string(),
            version,
            doc,
            operations,
            bases,
            draft,
            request_view: OnceLock::new(),
            response_view: OnceLock::new(),
        })
    }

    /// The value at `pointer`, following `$ref`s, with the pointer it was found at.
    pub fn at(&self, pointer: &str) -> Result<(String, &Value), String> {
        let value = self
            .doc
            .pointer(pointer)
            .ok_or_else(|| format!("nothing at `#{pointer}`"))?;
        resolve_in(&self.doc, pointer, value)
    }

    /// A validator for the schema at `pointer`, built once per run and side.
    pub fn validator(&self, side: Side, pointer: &str) -> Result<Arc<Validator>, String> {
        let cell = match side {
            Side::Request => &self.request_view,
            Side::Response => &self.response_view,
        };
        let view = cell
            .get_or_init(|| self.view(side))
            .as_ref()
            .map_err(Clone::clone)?;
        let mut cache = view
            .validators
            .lock()
            .map_err(|_| "internal error: validator cache poisoned".to_string())?;
        if let Some(found) = cache.get(pointer) {
            return Ok(Arc::clone(found));
        }
        let root = serde_json::json!({ "$ref": format!("{DOC_URI}#{}", fragment(pointer)) });
        let validator = jsonschema::options()
            .with_draft(self.draft)
            .with_registry(&view.registry)
            .should_validate_formats(true)
            .build(&root)
            .map_err(|e| format!("the schema at `#{pointer}` cannot be used: {e}"))?;
        let validator = Arc::new(validator);
        cache.insert(pointer.to_string(), Arc::clone(&validator));
        Ok(validator)
    }

    fn view(&self, side: Side) -> Result<View, String> {
        let mut doc = self.doc.clone();
        let hidden = match side {
            Side::Request => "readOnly",
            Side::Response => "writeOnly",
        };
        drop_hidden_required(&self.doc, &mut doc, hidden);
        let registry = Registry::new()
            .draft(self.draft)
            .add(DOC_URI, doc)
            .and_then(|b| b.prepare())
            .map_err(|e| format!("the schemas of `{}` cannot be used: {e}", self.name))?;
        Ok(View {
            registry,
            validators: Mutex::new(HashMap::new()),
        })
    }
}

/// The draft of a 3.1 document's schemas: its `jsonSchemaDialect`, else 2020-12.
fn dialect(doc: &Value) -> Draft {
    match doc.get("jsonSchemaDialect").and_then(Value::as_str) {
        Some(d) if d.contains("draft-07") => Draft::Draft7,
        Some(d) if d.contains("draft-06") => Draft::Draft6,
        Some(d) if d.contains("draft-04") => Draft::Draft4,
        Some(d) if d.contains("2019-09") => Draft::Draft201909,
        _ => Draft::Draft202012,
    }
}

/// Follows `$ref`s from `value` (found at `pointer`) to what they name, at most 32 deep.
pub(crate) fn resolve_in<'d>(
    doc: &'d Value,
    pointer: &str,
    value: &'d Value,
) -> Result<(String, &'d Value), String> {
    let mut pointer = pointer.to_string();
    let mut value = value;
    for _ in 0..32 {
        let Some(reference) = value.get("$ref").and_then(Value::as_str) else {
            return Ok((pointer, value));
        };
        let Some(local) = reference.strip_prefix('#') else {
            return Err(format!(
                "`$ref: {reference}` points outside the document; bundle the spec into one file (e.g. `redocly bundle`)"
            ));
        };
        let local = template::percent_decode(local);
        value = doc
            .pointer(&local)
            .ok_or_else(|| format!("`$ref: {reference}` names nothing in the document"))?;
        pointer = local;
    }
    Err(format!("`$ref`s at `#{pointer}` form a loop"))
}

pub use crate::check::pointer::escape;

/// What a URI fragment may hold as it is (RFC 3986 `pchar` and `/`); the rest is %-escaped.
const FRAGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'/')
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=')
    .remove(b':')
    .remove(b'@');

/// A JSON Pointer written as a URI fragment.
fn fragment(pointer: &str) -> String {
    percent_encoding::utf8_percent_encode(pointer, FRAGMENT).to_string()
}

/// OpenAPI 3.0's `nullable: true` as JSON Schema says it: `null` joins the `type` (and the
/// `enum`); without a `type`, the schema becomes "null, or what it was".
fn nullable_to_type(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for child in map.values_mut() {
                nullable_to_type(child);
            }
            if map.get("nullable") != Some(&Value::Bool(true)) {
                return;
            }
            map.remove("nullable");
            if let Some(Value::Array(items)) = map.get_mut("enum")
                && !items.contains(&Value::Null)
            {
                items.push(Value::Null);
            }
            match map.get_mut("type") {
                Some(Value::String(t)) => {
                    let t = std::mem::take(t);
                    map.insert("type".into(), serde_json::json!([t, "null"]));
                }
                Some(_) => {}
                None => {
                    let rest = std::mem::take(map);
                    let mut wrapped = Map::new();
                    wrapped.insert(
                        "anyOf".into(),
                        serde_json::json!([{"type": "null"}, Value::Object(rest)]),
                    );
                    *map = wrapped;
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(nullable_to_type),
        _ => {}
    }
}

/// Removes from every `required` list the properties marked `hidden` (`readOnly` for
/// requests, `writeOnly` for responses), and makes each such property refuse any value
/// (`{"not": {}}`): a request must not send what the server sets, nor a response return
/// what only clients send. `original` is read (to follow `$ref`s) while `doc`, its copy, is
/// changed; the validator's message for such a property is rewritten to say why.
fn drop_hidden_required(original: &Value, doc: &mut Value, hidden: &str) {
    let mut edits: Vec<(String, Vec<String>, bool)> = Vec::new();
    collect_hidden(original, original, String::new(), hidden, &mut edits);
    for (pointer, names, required) in edits {
        if required
            && let Some(Value::Array(list)) = doc.pointer_mut(&format!("{pointer}/required"))
        {
            list.retain(|r| !r.as_str().is_some_and(|r| names.iter().any(|n| n == r)));
        }
        for name in &names {
            if let Some(schema) = doc.pointer_mut(&format!("{pointer}/properties/{}", escape(name)))
            {
                *schema = serde_json::json!({"not": {}});
            }
        }
    }
}

/// Every object schema with properties marked `hidden`: its pointer, those names, and
/// whether it has a `required` list.
fn collect_hidden(
    doc: &Value,
    value: &Value,
    pointer: String,
    hidden: &str,
    edits: &mut Vec<(String, Vec<String>, bool)>,
) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Object(props)) = map.get("properties") {
                let names: Vec<String> = props
                    .iter()
                    .filter(|(_, schema)| {
                        resolve_in(doc, "", schema)
                            .is_ok_and(|(_, s)| s.get(hidden) == Some(&Value::Bool(true)))
                    })
                    .map(|(name, _)| name.clone())
                    .collect();
                if !names.is_empty() {
                    let required = matches!(map.get("required"), Some(Value::Array(_)));
                    edits.push((pointer.clone(), names, required));
                }
            }
            for (key, child) in map {
                collect_hidden(
                    doc,
                    child,
                    format!("{pointer}/{}", escape(key)),
                    hidden,
                    edits,
                );
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                collect_hidden(doc, child, format!("{pointer}/{i}"), hidden, edits);
            }
        }
        _ => {}
    }
}

/// The base paths of the document's `servers`, longest first so the most specific wins.
fn base_paths(doc: &Value) -> Vec<String> {
    doc.get("servers")
        .map_or_else(|| vec![String::new()], base_paths_of)
}

/// The base paths of a `servers` list, longest first; the empty path when it has none.
fn base_paths_of(servers: &Value) -> Vec<String> {
    let mut bases: Vec<String> = Some(servers)
        .and_then(Value::as_array)
        .map(|servers| {
            servers
                .iter()
                .filter_map(|s| {
                    let url = s.get("url")?.as_str()?;
                    let defaults: Vec<(String, String)> = s
                        .get("variables")
                        .and_then(Value::as_object)
                        .map(|vars| {
                            vars.iter()
                                .filter_map(|(k, v)| {
                                    Some((k.clone(), v.get("default")?.as_str()?.to_string()))
                                })
                                .collect()
                        })
                        .unwrap_or_default();
                    Some(template::server_base_path(url, &defaults))
                })
                .collect()
        })
        .unwrap_or_default();
    if bases.is_empty() {
        bases.push(String::new());
    }
    bases.sort_by_key(|b| std::cmp::Reverse(b.len()));
    bases.dedup();
    bases
}

/// The first line of a multi-line parser message, for one-line errors.
fn one_line(message: &str) -> String {
    let line = message.lines().next().unwrap_or(message).trim();
    line.strip_prefix("error: ").unwrap_or(line).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec(doc: Value) -> Spec {
        Spec::from_value(doc, "test.yaml").unwrap()
    }

    #[test]
    fn refs_resolve_through_chains_and_report_dangling_and_external_ones() {
        let s = spec(json!({
            "openapi": "3.1.0",
            "paths": {},
            "components": {
                "schemas": {"A": {"$ref": "#/components/schemas/B"}, "B": {"type": "string"}},
                "parameters": {
                    "Loop": {"$ref": "#/components/parameters/Loop"},
                    "Gone": {"$ref": "#/components/parameters/Nope"},
                    "Far": {"$ref": "other.yaml#/x"}
                }
            }
        }));
        let (at, value) = s.at("/components/schemas/A").unwrap();
        assert_eq!(at, "/components/schemas/B");
        assert_eq!(value, &json!({"type": "string"}));
        assert!(
            s.at("/components/parameters/Loop")
                .unwrap_err()
                .contains("loop")
        );
        assert!(
            s.at("/components/parameters/Gone")
                .unwrap_err()
                .contains("names nothing")
        );
        assert!(
            s.at("/components/parameters/Far")
                .unwrap_err()
                .contains("bundle")
        );
    }

    #[test]
    fn operations_come_from_paths_and_referenced_path_items() {
        let s = spec(json!({
            "openapi": "3.0.3",
            "paths": {
                "/a/{id}": {"get": {"responses": {"200": {}, "default": {}}}, "delete": {"responses": {}}},
                "/b": {"$ref": "#/components/pathItems/B"}
            },
            "components": {"pathItems": {"B": {"post": {"responses": {"201": {}}}}}}
        }));
        let labels: Vec<String> = s.operations.iter().map(Operation::label).collect();
        assert_eq!(labels, ["GET /a/{id}", "DELETE /a/{id}", "POST /b"]);
        let keys: Vec<&str> = s.operations[0]
            .responses
            .iter()
            .map(|r| r.key.as_str())
            .collect();
        assert_eq!(keys, ["200", "default"]);
        assert_eq!(s.operations[0].pointer, "/paths/~1a~1{id}/get");
        assert_eq!(s.operations[2].pointer, "/components/pathItems/B/post");
    }

    #[test]
    fn versions_other_than_3_0_and_3_1_are_refused() {
        for (doc, says) in [
            (json!({"swagger": "2.0", "paths": {}}), "Swagger 2.0"),
            (json!({"openapi": "4.0.0", "paths": {}}), "OpenAPI 4.0.0"),
            (json!({"info": {}}), "no `openapi`"),
            (json!({"openapi": "3.1.0"}), "no `paths`"),
        ] {
            let e = Spec::from_value(doc, "x.yaml").unwrap_err();
            assert!(e.contains(says), "{e}");
        }
    }

    #[test]
    fn nullable_becomes_a_json_schema_type() {
        let mut doc = json!({
            "a": {"type": "string", "nullable": true, "enum": ["x"]},
            "b": {"nullable": true, "allOf": [{"$ref": "#/c"}]},
            "c": {"type": "integer", "nullable": false}
        });
        nullable_to_type(&mut doc);
        assert_eq!(
            doc["a"],
            json!({"type": ["string", "null"], "enum": ["x", null]})
        );
        assert_eq!(
            doc["b"],
            json!({"anyOf": [{"type": "null"}, {"allOf": [{"$ref": "#/c"}]}]})
        );
        assert_eq!(doc["c"], json!({"type": "integer", "nullable": false}));
    }

    #[test]
    fn read_only_properties_are_not_required_of_requests() {
        let s = spec(json!({
            "openapi": "3.1.0",
            "paths": {},
            "components": {"schemas": {
                "Id": {"type": "integer", "readOnly": true},
                "E": {"type": "object", "required": ["id", "name", "password"], "properties": {
                    "id": {"$ref": "#/components/schemas/Id"},
                    "name": {"type": "string"},
                    "password": {"type": "string", "writeOnly": true}
                }}
            }}
        }));
        let request = s.validator(Side::Request, "/components/schemas/E").unwrap();
        let response = s
            .validator(Side::Response, "/components/schemas/E")
            .unwrap();
        let sent = json!({"name": "x", "password": "p"});
        let answered = json!({"id": 1, "name": "x"});
        assert!(request.is_valid(&sent));
        assert!(
            !request.is_valid(&answered),
            "password is required of requests"
        );
        assert!(response.is_valid(&answered));
        assert!(!response.is_valid(&sent), "id is required of responses");
    }

    #[test]
    fn validators_follow_refs_from_pointers_with_braces() {
        let s = spec(json!({
            "openapi": "3.0.3",
            "paths": {"/e/{id}": {"get": {"responses": {"200": {"content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/E"}}}}}}}},
            "components": {"schemas": {"E": {"type": "object", "properties": {
                "n": {"type": "integer", "nullable": true}}}}}
        }));
        let v = s
            .validator(
                Side::Response,
                "/paths/~1e~1{id}/get/responses/200/content/application~1json/schema",
            )
            .unwrap();
        assert!(v.is_valid(&json!({"n": null})));
        assert!(v.is_valid(&json!({"n": 3})));
        assert!(!v.is_valid(&json!({"n": "3"})));
    }

    #[test]
    fn servers_give_base_paths_longest_first() {
        let s = spec(json!({
            "openapi": "3.1.0",
            "servers": [{"url": "http://localhost:1"}, {"url": "/{base}/v1", "variables": {"base": {"default": "api"}}}],
            "paths": {}
        }));
        assert_eq!(s.bases, ["/api/v1", ""]);
        assert_eq!(spec(json!({"openapi": "3.1.0", "paths": {}})).bases, [""]);
    }
}
