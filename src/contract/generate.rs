//! Readable, editable Gherkin scenarios written from an OpenAPI document
//! (`apitest generate`): per operation, one scenario for each documented response that can
//! be reached without guessing.
//!
//! - a success (the lowest 2xx), with path, query and header parameters and a JSON body
//!   from the document's `example`/`examples`, else the smallest values its schemas allow;
//! - a 400/422/4XX from a body without one of its required properties, or from a path
//!   parameter of the wrong type;
//! - a 401/403 without credentials, for an operation whose `security` needs some (its
//!   success needs credentials apitest cannot guess, so it is left as a note).
//!
//! Only phrases of the step library are used, so the scenarios run as they are and read as
//! any other. The command (`cmd::generate`) writes them out.

use serde_json::{Map, Value, json};

use crate::contract::spec::{Operation, Spec, resolve_in};
use crate::http::url_component;

/// One feature file to write.
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureDraft {
    /// The file name, `employees.feature`.
    pub file: String,
    pub title: String,
    pub scenarios: Vec<ScenarioDraft>,
    /// Responses left out, one line each, written as comments.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioDraft {
    pub name: String,
    /// Step lines with their keywords (`Given URL path "/x"`).
    pub steps: Vec<String>,
}

/// How deep schemas are followed when building a value; deeper parts are left out.
const MAX_DEPTH: usize = 12;

/// The features for `spec`, one per tag (an operation's first), else per path segment (the
/// first after the segments every path shares), in document order.
pub fn drafts(spec: &Spec) -> Vec<FeatureDraft> {
    let shared = shared_segments(spec);
    let mut features: Vec<FeatureDraft> = Vec::new();
    for op in &spec.operations {
        let group = group_of(spec, op, shared);
        let file = format!("{}.feature", slug(&group));
        let index = match features.iter().position(|f| f.file == file) {
            Some(index) => index,
            None => {
                features.push(FeatureDraft {
                    file,
                    title: group.clone(),
                    scenarios: Vec::new(),
                    notes: Vec::new(),
                });
                features.len() - 1
            }
        };
        let (scenarios, notes) = scenarios_of(spec, op);
        if let Some(feature) = features.get_mut(index) {
            feature.scenarios.extend(scenarios);
            feature.notes.extend(notes);
        }
    }
    features
}

/// How many leading path segments every operation's path shares (`/api` of `/api/a` and
/// `/api/b`), leaving at least one to group by.
fn shared_segments(spec: &Spec) -> usize {
    let paths: Vec<Vec<&str>> = spec
        .operations
        .iter()
        .map(|op| {
            op.template
                .text
                .split('/')
                .filter(|s| !s.is_empty())
                .collect()
        })
        .collect();
    let Some(first) = paths.first() else {
        return 0;
    };
    let shortest = paths.iter().map(Vec::len).min().unwrap_or(0);
    let mut shared = 0;
    while shared + 1 < shortest && paths.iter().all(|p| p.get(shared) == first.get(shared)) {
        shared += 1;
    }
    shared
}

/// The operation's first tag, else the first literal segment of its path after the shared
/// ones.
fn group_of(spec: &Spec, op: &Operation, shared: usize) -> String {
    if let Some(tag) = spec
        .doc
        .pointer(&format!("{}/tags/0", op.pointer))
        .and_then(Value::as_str)
    {
        return tag.to_string();
    }
    op.template
        .text
        .split('/')
        .filter(|s| !s.is_empty())
        .skip(shared)
        .find(|s| !s.starts_with('{'))
        .unwrap_or("api")
        .to_string()
}

/// A file name from a group name: lower case letters, digits and `_`.
fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    let out = out.trim_matches('_').to_string();
    if out.is_empty() { "api".into() } else { out }
}

/// The operation as a request the scenarios start from.
struct Plan {
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    /// The JSON body and the pointer of its schema.
    body: Option<(Value, String)>,
    /// A path parameter that is a number, for the wrong-type scenario: its name.
    numeric_param: Option<String>,
}

fn scenarios_of(spec: &Spec, op: &Operation) -> (Vec<ScenarioDraft>, Vec<String>) {
    let label = op.label();
    let mut notes = Vec::new();
    let Some(plan) = plan_of(spec, op, &mut notes) else {
        return (Vec::new(), notes);
    };
    let codes: Vec<&str> = op.responses.iter().map(|r| r.key.as_str()).collect();
    let client_error = ["400", "422", "4XX"]
        .into_iter()
        .find(|code| codes.contains(code));
    let mut scenarios = Vec::new();
    let secured = !op.security.is_empty();
    let success = codes
        .iter()
        .filter(|c| c.starts_with('2') && c.len() == 3 && c.chars().all(|d| d.is_ascii_digit()))
        .min()
        .copied();
    if secured {
        if let Some(code) = ["401", "403"].into_iter().find(|c| codes.contains(c)) {
            scenarios.push(ScenarioDraft {
                name: format!("{label} answers {code} without credentials"),
                steps: steps(op, &plan, &plan.path, None, code, false),
            });
        }
        if let Some(code) = success {
            notes.push(format!(
                "{label} -> {code} needs credentials ({}): add `Given Basic Auth \"@user\" \"@password\"` or a token step and a scenario for it",
                op.security
                    .iter()
                    .flat_map(|r| r.iter().map(|(name, _)| name.as_str()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        return (scenarios, notes);
    }
    if let Some(code) = success {
        // The request is checked too, before it is sent: generated values must be valid.
        let body = plan.body.as_ref().map(|(b, _)| b);
        scenarios.push(ScenarioDraft {
            name: format!("{label} answers {code}"),
            steps: steps(op, &plan, &plan.path, body, code, true),
        });
    }
    if let Some(code) = client_error {
        let code = if code == "4XX" { "4xx" } else { code };
        if let Some((body, schema_at)) = &plan.body
            && let Some(field) = first_required(spec, schema_at)
            && let Value::Object(object) = body
        {
            let mut without = object.clone();
            without.remove(&field);
            scenarios.push(ScenarioDraft {
                name: format!("{label} answers {code} without `{field}`"),
                steps: steps(
                    op,
                    &plan,
                    &plan.path,
                    Some(&Value::Object(without)),
                    code,
                    false,
                ),
            });
        } else if let Some(param) = &plan.numeric_param {
            let wrong = fill_path(spec, op, Some(param));
            let body = plan.body.as_ref().map(|(b, _)| b);
            scenarios.push(ScenarioDraft {
                name: format!("{label} answers {code} when `{param}` is not a number"),
                steps: steps(op, &plan, &wrong, body, code, false),
            });
        }
    }
    (scenarios, notes)
}

/// The step lines of one scenario: `plan`'s request sent to `path` with `body`; `checked`
/// has the request matched against the spec before it is sent.
fn steps(
    op: &Operation,
    plan: &Plan,
    path: &str,
    body: Option<&Value>,
    code: &str,
    checked: bool,
) -> Vec<String> {
    let mut lines = vec![format!("Given URL path \"{path}\"")];
    if op.method != "GET" {
        lines.push(format!("And REST method \"{}\"", op.method));
    }
    if !plan.query.is_empty() {
        let pairs: Vec<String> = plan
            .query
            .iter()
            .map(|(n, v)| format!("{n}={}", url_component(v)))
            .collect();
        lines.push(format!("And query string \"?{}\"", pairs.join("&")));
    }
    for (name, value) in &plan.headers {
        lines.push(format!("And header \"{name}\" \"{value}\""));
    }
    if let Some(body) = body {
        lines.push(format!("And request is \"{body}\""));
    }
    if checked {
        lines.push("And request matches the OpenAPI spec".into());
    }
    lines.push("When the URL is invoked".into());
    lines.push(format!("Then status is \"{code}\""));
    lines.push("And response matches the OpenAPI spec".into());
    lines
}

/// The request every scenario of the operation starts from; `None` (with a note) when a
/// required part has no value to give.
fn plan_of(spec: &Spec, op: &Operation, notes: &mut Vec<String>) -> Option<Plan> {
    let mut query = Vec::new();
    let mut headers = Vec::new();
    let mut numeric_param = None;
    for param in &op.parameters {
        let value = parameter_value(spec, op, &param.name, &param.place);
        match param.place.as_str() {
            "path" => {
                let numeric = param.schema.as_ref().is_some_and(|s| {
                    s.types.iter().all(|t| t == "integer" || t == "number") && !s.types.is_empty()
                });
                if numeric && numeric_param.is_none() {
                    numeric_param = Some(param.name.clone());
                }
            }
            "query" if param.required => query.push((param.name.clone(), text_of(&value?))),
            "header" if param.required => headers.push((param.name.clone(), text_of(&value?))),
            "cookie" if param.required => {
                notes.push(format!(
                    "{} needs the cookie `{}`: add `Given cookie \"{}\" \"...\"` and its scenarios",
                    op.label(),
                    param.name,
                    param.name
                ));
                return None;
            }
            _ => {}
        }
    }
    let body = match &op.request_body {
        Some(body) => {
            let json = body
                .content
                .iter()
                .find(|m| m.essence == "application/json" || m.essence.ends_with("+json"));
            match (json, body.required) {
                (Some(media), _) => {
                    let example = media_example(spec, op, &media.media);
                    let schema_at = media.schema.as_ref().map(|s| s.pointer.clone());
                    let value = example
                        .or_else(|| schema_at.as_deref().and_then(|at| sample_at(spec, at, 0)));
                    value.zip(schema_at.or(Some(String::new())))
                }
                (None, true) => {
                    notes.push(format!(
                        "{} takes only {} bodies, which are not generated: write its scenarios by hand",
                        op.label(),
                        body.content.iter().map(|m| m.media.as_str()).collect::<Vec<_>>().join(", ")
                    ));
                    return None;
                }
                (None, false) => None,
            }
        }
        None => None,
    };
    Some(Plan {
        path: fill_path(spec, op, None),
        query,
        headers,
        body,
        numeric_param,
    })
}

/// The URL path of the operation below its first base path, each path parameter given its
/// value; `wrong` gets `not-a-number` instead.
fn fill_path(spec: &Spec, op: &Operation, wrong: Option<&str>) -> String {
    let base = op
        .bases
        .as_ref()
        .and_then(|b| b.last())
        .or_else(|| spec.bases.last())
        .cloned()
        .unwrap_or_default();
    let mut out = base.trim_end_matches('/').to_string();
    let mut rest = op.template.text.as_str();
    while let Some((before, after)) = rest.split_once('{') {
        out.push_str(before);
        let Some((name, tail)) = after.split_once('}') else {
            out.push('{');
            rest = after;
            continue;
        };
        let value = if wrong == Some(name) {
            "not-a-number".to_string()
        } else {
            parameter_value(spec, op, name, "path").map_or_else(|| "1".to_string(), |v| text_of(&v))
        };
        out.push_str(&url_component(&value));
        rest = tail;
    }
    out.push_str(rest);
    out
}

/// A value for a parameter: its `example`, its first `examples` entry, else its schema's
/// example or smallest value.
fn parameter_value(spec: &Spec, op: &Operation, name: &str, place: &str) -> Option<Value> {
    let item = op.pointer.rsplit_once('/').map_or("", |(item, _)| item);
    for owner in [op.pointer.as_str(), item] {
        let Some(Value::Array(list)) = spec.doc.pointer(&format!("{owner}/parameters")) else {
            continue;
        };
        for (i, entry) in list.iter().enumerate() {
            let Ok((at, param)) = resolve_in(&spec.doc, &format!("{owner}/parameters/{i}"), entry)
            else {
                continue;
            };
            if param.get("name").and_then(Value::as_str) != Some(name)
                || param.get("in").and_then(Value::as_str) != Some(place)
            {
                continue;
            }
            if let Some(example) = example_of(&spec.doc, param) {
                return Some(example);
            }
            return param
                .get("schema")
                .and_then(|_| sample_at(spec, &format!("{at}/schema"), 0));
        }
    }
    None
}

/// A media type's `example` or first `examples` value.
fn media_example(spec: &Spec, op: &Operation, media: &str) -> Option<Value> {
    let body = spec.doc.pointer(&format!("{}/requestBody", op.pointer))?;
    let (_, body) = resolve_in(&spec.doc, "", body).ok()?;
    example_of(&spec.doc, body.get("content")?.get(media)?)
}

/// `example`, else the `value` of the first of `examples` (following `$ref`s).
fn example_of(doc: &Value, owner: &Value) -> Option<Value> {
    if let Some(example) = owner.get("example") {
        return Some(example.clone());
    }
    let first = owner.get("examples")?.as_object()?.values().next()?;
    let (_, resolved) = resolve_in(doc, "", first).ok()?;
    resolved.get("value").cloned()
}

/// The smallest value the schema at `pointer` allows (or its example).
fn sample_at(spec: &Spec, pointer: &str, depth: usize) -> Option<Value> {
    let (at, schema) = spec.at(pointer).ok()?;
    sample(spec, &at, schema, depth)
}

fn sample(spec: &Spec, at: &str, schema: &Value, depth: usize) -> Option<Value> {
    if depth > MAX_DEPTH {
        return None;
    }
    let (at, schema) = resolve_in(&spec.doc, at, schema).ok()?;
    if let Some(example) = schema.get("example") {
        return Some(example.clone());
    }
    if let Some(Value::Array(examples)) = schema.get("examples")
        && let Some(first) = examples.first()
    {
        return Some(first.clone());
    }
    if let Some(value) = schema.get("const").or_else(|| schema.get("default")) {
        return Some(value.clone());
    }
    if let Some(Value::Array(options)) = schema.get("enum") {
        return options
            .iter()
            .find(|v| !v.is_null())
            .or(options.first())
            .cloned();
    }
    if let Some(Value::Array(all)) = schema.get("allOf") {
        let mut merged = Map::new();
        let mut other = None;
        for (i, part) in all.iter().enumerate() {
            match sample(spec, &format!("{at}/allOf/{i}"), part, depth + 1) {
                Some(Value::Object(object)) => merged.extend(object),
                Some(value) => other = Some(value),
                None => {}
            }
        }
        // The object properties written beside `allOf` (`properties`, `required`) count too.
        if let Some(Value::Object(own)) = object_sample(spec, &at, schema, depth) {
            merged.extend(own);
        }
        return if merged.is_empty() {
            other
        } else {
            Some(Value::Object(merged))
        };
    }
    for keyword in ["oneOf", "anyOf"] {
        if let Some(Value::Array(branches)) = schema.get(keyword) {
            // The first branch that is not `null` gives a value that reads as meant.
            return branches.iter().enumerate().find_map(|(i, branch)| {
                if branch.get("type") == Some(&json!("null")) {
                    return None;
                }
                sample(spec, &format!("{at}/{keyword}/{i}"), branch, depth + 1)
            });
        }
    }
    let kind = match schema.get("type") {
        Some(Value::String(t)) => t.clone(),
        Some(Value::Array(types)) => types
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .unwrap_or("null")
            .to_string(),
        _ if schema.get("properties").is_some() => "object".into(),
        _ => "string".into(),
    };
    let number = |key: &str| schema.get(key).and_then(Value::as_f64);
    Some(match kind.as_str() {
        "integer" => {
            let low = number("minimum")
                .or_else(|| number("exclusiveMinimum").map(|m| m.floor() + 1.0))
                .unwrap_or(1.0);
            json!(low.ceil() as i64)
        }
        "number" => json!(number("minimum").unwrap_or(1.0)),
        "boolean" => json!(true),
        "null" => Value::Null,
        "array" => {
            let count = schema.get("minItems").and_then(Value::as_u64).unwrap_or(0);
            let items = schema.get("items");
            let mut list = Vec::new();
            for _ in 0..count.min(3) {
                if let Some(item) =
                    items.and_then(|i| sample(spec, &format!("{at}/items"), i, depth + 1))
                {
                    list.push(item);
                }
            }
            Value::Array(list)
        }
        "object" => object_sample(spec, &at, schema, depth)?,
        _ => string_sample(schema),
    })
}

/// An object with the schema's required properties, each given its smallest value.
fn object_sample(spec: &Spec, at: &str, schema: &Value, depth: usize) -> Option<Value> {
    let mut object = Map::new();
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let properties = schema.get("properties").and_then(Value::as_object);
    for name in required {
        let Some(property) = properties.and_then(|p| p.get(name)) else {
            object.insert(name.to_string(), json!("text"));
            continue;
        };
        // A property the server sets is not sent.
        let resolved = resolve_in(&spec.doc, "", property)
            .map(|(_, s)| s)
            .unwrap_or(property);
        if resolved.get("readOnly") == Some(&Value::Bool(true)) {
            continue;
        }
        let at = format!("{at}/properties/{}", crate::contract::spec::escape(name));
        object.insert(name.to_string(), sample(spec, &at, property, depth + 1)?);
    }
    Some(Value::Object(object))
}

/// A string within the schema's length bounds, in its format where one is known.
fn string_sample(schema: &Value) -> Value {
    let format = schema.get("format").and_then(Value::as_str).unwrap_or("");
    let text = match format {
        "date-time" => "2024-01-01T00:00:00Z".to_string(),
        "date" => "2024-01-01".to_string(),
        "time" => "00:00:00Z".to_string(),
        "email" => "user@example.com".to_string(),
        "uuid" => "00000000-0000-4000-8000-000000000000".to_string(),
        "uri" | "url" => "https://example.com/".to_string(),
        "ipv4" => "127.0.0.1".to_string(),
        _ => {
            let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
            let max = schema
                .get("maxLength")
                .and_then(Value::as_u64)
                .map(|m| m as usize);
            let mut text = "text".to_string();
            while text.len() < min {
                text.push('x');
            }
            if let Some(max) = max {
                text.truncate(max.max(min));
            }
            text
        }
    };
    Value::String(text)
}

/// A parameter value as text: strings as they are, everything else as JSON.
fn text_of(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// Whether a property schema (after its `$ref`) is marked `readOnly`: the server sets it.
fn read_only(spec: &Spec, property: &Value) -> bool {
    resolve_in(&spec.doc, "", property)
        .is_ok_and(|(_, schema)| schema.get("readOnly") == Some(&Value::Bool(true)))
}

/// The first required property of the object schema at `pointer` that a request sends.
fn first_required(spec: &Spec, pointer: &str) -> Option<String> {
    let (_, schema) = spec.at(pointer).ok()?;
    let mut schemas = vec![schema];
    if let Some(Value::Array(all)) = schema.get("allOf") {
        schemas.extend(
            all.iter()
                .filter_map(|part| resolve_in(&spec.doc, "", part).ok().map(|(_, s)| s)),
        );
    }
    schemas.iter().find_map(|schema| {
        let properties = schema.get("properties").and_then(Value::as_object);
        schema
            .get("required")?
            .as_array()?
            .iter()
            .filter_map(Value::as_str)
            .find(|name| {
                properties
                    .and_then(|p| p.get(*name))
                    .is_none_or(|p| !read_only(spec, p))
            })
            .map(str::to_string)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec_of(yaml: &str) -> Spec {
        let doc: Value = serde_saphyr::from_str(yaml).unwrap();
        Spec::from_value(doc, "t.yaml").unwrap()
    }

    #[test]
    fn minimal_values_keep_to_the_schema() {
        let s = spec_of(
            r##"
openapi: 3.1.0
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    New:
      type: object
      required: [id, name, age, tags, kind, when, owner]
      properties:
        id: {type: integer, readOnly: true}
        name: {type: string, minLength: 6}
        age: {type: integer, minimum: 18}
        tags: {type: array, minItems: 1, items: {type: string}}
        kind: {enum: [a, b]}
        when: {type: string, format: date-time}
        owner: {anyOf: [{type: "null"}, {$ref: '#/components/schemas/Owner'}]}
        note: {type: string}
    Owner:
      type: object
      required: [name]
      properties:
        name: {type: string, example: Ada}
"##,
        );
        let value = sample_at(&s, "/components/schemas/New", 0).unwrap();
        assert_eq!(
            value,
            json!({"name": "textxx", "age": 18, "tags": ["text"], "kind": "a",
                   "when": "2024-01-01T00:00:00Z", "owner": {"name": "Ada"}})
        );
        assert_eq!(
            first_required(&s, "/components/schemas/New").as_deref(),
            Some("name")
        );
    }

    #[test]
    fn operations_are_grouped_by_tag_else_by_the_first_segment_they_do_not_share() {
        let s = spec_of(
            r##"
openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /api/employee/get/{n}: {get: {responses: {"200": {description: ok}}}}
  /api/employee/list: {get: {responses: {"200": {description: ok}}}}
  /api/secure/get: {get: {responses: {"200": {description: ok}}}}
  /api/orders: {get: {tags: [Orders], responses: {"200": {description: ok}}}}
"##,
        );
        let files: Vec<(String, usize)> = drafts(&s)
            .iter()
            .map(|f| (f.file.clone(), f.scenarios.len()))
            .collect();
        assert_eq!(
            files,
            [
                ("employee.feature".to_string(), 2),
                ("secure.feature".to_string(), 1),
                ("orders.feature".to_string(), 1)
            ]
        );
    }

    #[test]
    fn slugs_are_file_names() {
        assert_eq!(slug("Employee API"), "employee_api");
        assert_eq!(slug("  --  "), "api");
    }
}
