//! Validation of requests and responses against a small spec, one test per kind of violation.

use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::{Value, json};

use crate::contract::Spec;
use crate::contract::validate::{Request, Response};
use crate::http::WireBody as RequestBody;

fn spec() -> Spec {
    let yaml = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
servers:
  - url: http://127.0.0.1:17010/api
paths:
  /employee/get/{id}:
    parameters:
      - $ref: '#/components/parameters/Id'
    get:
      parameters:
        - {name: verbose, in: query, schema: {type: boolean}}
        - {name: X-Tenant, in: header, required: true, schema: {type: string, enum: [acme, umbrella]}}
      responses:
        "200":
          description: found
          headers:
            X-Request-Id: {required: true, schema: {type: string}}
            X-Rate: {schema: {type: integer}}
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Envelope'}
        "404": {description: none}
  /employee/me:
    get:
      responses:
        "200": {description: me}
  /employee/create:
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Employee'}
          application/x-www-form-urlencoded:
            schema: {$ref: '#/components/schemas/Employee'}
      responses:
        default: {description: any}
components:
  parameters:
    Id: {name: id, in: path, required: true, schema: {type: integer, minimum: 1}}
  schemas:
    Envelope:
      type: object
      required: [meta, data]
      properties:
        meta: {type: object, required: [is_ok], properties: {is_ok: {type: boolean}}}
        data: {$ref: '#/components/schemas/Employee'}
    Employee:
      type: object
      required: [employee_no, name]
      properties:
        employee_no: {type: integer, readOnly: true}
        name: {type: string}
        manager: {type: string, nullable: true}
        password: {type: string, writeOnly: true}
"##;
    let doc: Value = serde_saphyr::from_str(yaml).unwrap();
    Spec::from_value(doc, "employee.yaml").unwrap()
}

fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.append(*name, HeaderValue::from_static(value));
    }
    map
}

fn check_response(
    path: &str,
    status: u16,
    hdrs: &[(&'static str, &'static str)],
    body: &str,
) -> Vec<String> {
    let s = spec();
    let (op, _) = s.find("GET", path).unwrap();
    let json: Result<Value, String> = serde_json::from_str(body).map_err(|e| e.to_string());
    let headers = headers(hdrs);
    s.check_response(
        op,
        &Response {
            status,
            headers: &headers,
            body: body.as_bytes(),
            json: json.as_ref().map_err(Clone::clone),
        },
    )
}

const GOOD: &str = r#"{"meta": {"is_ok": true}, "data": {"employee_no": 123, "name": "John Doe", "manager": null}}"#;
const JSON: (&str, &str) = ("content-type", "application/json; charset=utf-8");
const REQ_ID: (&str, &str) = ("x-request-id", "r1");

#[test]
fn a_documented_response_passes() {
    assert_eq!(
        check_response(
            "/api/employee/get/123",
            200,
            &[JSON, REQ_ID, ("x-rate", "5")],
            GOOD
        ),
        Vec::<String>::new()
    );
    assert_eq!(
        check_response("/api/employee/get/123", 404, &[], ""),
        Vec::<String>::new()
    );
}

#[test]
fn paths_are_found_by_template_below_the_server_base_path() {
    let s = spec();
    let (op, params) = s.find("get", "/api/employee/get/123").unwrap();
    assert_eq!(op.label(), "GET /employee/get/{id}");
    assert_eq!(params, [("id".to_string(), "123".to_string())]);
    // A literal path wins over a template that also matches.
    assert_eq!(
        s.find("GET", "/api/employee/me").unwrap().0.label(),
        "GET /employee/me"
    );
}

#[test]
fn an_undocumented_path_names_the_closest_operations() {
    let e = spec().find("GET", "/api/employe/get/1").unwrap_err();
    assert!(e.starts_with("GET /api/employe/get/1 is not documented in `employee.yaml`; the closest documented operations are GET /api/employee/get/{id}"), "{e}");
    let outside = spec().find("GET", "/employee/get/1").unwrap_err();
    assert!(outside.contains("/api/employee/get/{id}"), "{outside}");
}

#[test]
fn an_undocumented_method_names_the_documented_ones() {
    let e = spec().find("DELETE", "/api/employee/get/1").unwrap_err();
    assert!(e.ends_with("that path documents only GET"), "{e}");
}

#[test]
fn an_undocumented_status_lists_the_documented_ones() {
    let found = check_response("/api/employee/get/1", 500, &[], "");
    assert_eq!(
        found,
        ["status 500 is not documented for GET /employee/get/{id} (documented: 200, 404)"]
    );
}

#[test]
fn a_missing_required_header_and_a_wrongly_typed_one() {
    let found = check_response(
        "/api/employee/get/1",
        200,
        &[JSON, ("x-rate", "many")],
        GOOD,
    );
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0], "header X-Request-Id is required but missing");
    assert!(found[1].starts_with("header X-Rate: \"many\" is not of type \"integer\" (paths/~1employee~1get~1{id}/get/responses/200/headers/X-Rate/schema)"), "{found:?}");
}

#[test]
fn an_undocumented_or_missing_content_type() {
    let found = check_response(
        "/api/employee/get/1",
        200,
        &[("content-type", "text/plain"), REQ_ID],
        "hi",
    );
    assert_eq!(
        found,
        ["content type text/plain is not documented for status 200 (documented: application/json)"]
    );
    let found = check_response("/api/employee/get/1", 200, &[REQ_ID], GOOD);
    assert_eq!(
        found,
        ["the response has no Content-Type header; the spec documents application/json"]
    );
}

#[test]
fn an_undescribed_body_passes_and_a_missing_documented_one_fails() {
    // Without `content`, the payload is undescribed, not forbidden.
    let found = check_response("/api/employee/get/1", 404, &[JSON], "{}");
    assert_eq!(found, Vec::<String>::new());
    let found = check_response("/api/employee/get/1", 200, &[JSON, REQ_ID], "");
    assert_eq!(
        found,
        ["the response has no body but the spec documents application/json for status 200"]
    );
}

#[test]
fn body_violations_name_the_pointer_and_the_schema_location() {
    let body = r#"{"meta": {"is_ok": "yes"}, "data": {"employee_no": "123", "full_name": "J", "manager": 7}}"#;
    let found = check_response("/api/employee/get/1", 200, &[JSON, REQ_ID], body);
    assert!(found.contains(&r#"/data/employee_no: "123" is not of type "integer" (components/schemas/Employee/properties/employee_no)"#.to_string()), "{found:?}");
    assert!(
        found.contains(
            &r#"/data: "name" is a required property (components/schemas/Employee)"#.to_string()
        ),
        "{found:?}"
    );
    assert!(found.contains(&r#"/meta/is_ok: "yes" is not of type "boolean" (components/schemas/Envelope/properties/meta/properties/is_ok)"#.to_string()), "{found:?}");
    // 3.0's `nullable` admits null and nothing else beyond the type.
    assert!(
        found
            .iter()
            .any(|f| f.starts_with("/data/manager: 7 is not of type")),
        "{found:?}"
    );
    assert_eq!(found.len(), 4, "{found:?}");
}

#[test]
fn a_body_that_is_not_json() {
    let found = check_response("/api/employee/get/1", 200, &[JSON, REQ_ID], "{oops");
    assert_eq!(found.len(), 1);
    assert!(
        found[0].starts_with(
            "the body is not valid JSON although its content type is application/json"
        ),
        "{found:?}"
    );
}

fn check_request(
    method: &str,
    url: &str,
    hdrs: &[(&str, &str)],
    body: RequestBody<'_>,
) -> Vec<String> {
    let s = spec();
    let url = reqwest::Url::parse(url).unwrap();
    let (op, params) = s.find(method, url.path()).unwrap();
    let headers: Vec<(String, String)> = hdrs
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    s.check_request(
        op,
        &params,
        &Request {
            url: &url,
            headers: &headers,
            body,
        },
    )
}

#[test]
fn request_parameters_are_read_as_their_types() {
    let ok = check_request(
        "GET",
        "http://h/api/employee/get/5?verbose=true",
        &[("X-Tenant", "acme")],
        RequestBody::None,
    );
    assert_eq!(ok, Vec::<String>::new());
    let found = check_request(
        "GET",
        "http://h/api/employee/get/0?verbose=maybe",
        &[],
        RequestBody::None,
    );
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(
        found.iter().any(|f| f.starts_with(
            "path parameter id: 0 is less than the minimum of 1 (components/parameters/Id/schema)"
        )),
        "{found:?}"
    );
    assert!(found.iter().any(|f| f.starts_with("query parameter verbose: \"maybe\" is not of type \"boolean\"")), "{found:?}");
    assert!(
        found.contains(&"header parameter X-Tenant is required but missing".to_string()),
        "{found:?}"
    );
}

#[test]
fn request_bodies_required_typed_and_read_only_aware() {
    let good = json!({"name": "Jane"});
    assert_eq!(
        check_request(
            "POST",
            "http://h/api/employee/create",
            &[],
            RequestBody::Json(&good)
        ),
        Vec::<String>::new(),
        "employee_no is readOnly, so not required of requests"
    );
    let bad = json!({"name": 5});
    let found = check_request(
        "POST",
        "http://h/api/employee/create",
        &[],
        RequestBody::Json(&bad),
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("/name: 5 is not of type \"string\""),
        "{found:?}"
    );
    let found = check_request(
        "POST",
        "http://h/api/employee/create",
        &[],
        RequestBody::None,
    );
    assert_eq!(
        found,
        [
            "the spec requires a request body (application/json, application/x-www-form-urlencoded) but the request has none"
        ]
    );
    let found = check_request(
        "POST",
        "http://h/api/employee/create",
        &[("Content-Type", "text/csv")],
        RequestBody::Text("a,b"),
    );
    assert_eq!(
        found,
        [
            "request content type text/csv is not documented for POST /employee/create (documented: application/json, application/x-www-form-urlencoded)"
        ]
    );
    let form = [("name".to_string(), "Jane".to_string())];
    assert_eq!(
        check_request(
            "POST",
            "http://h/api/employee/create",
            &[],
            RequestBody::Form(&form)
        ),
        Vec::<String>::new()
    );
    let doc = json!({"a": 1});
    let found = check_request(
        "GET",
        "http://h/api/employee/me",
        &[],
        RequestBody::Json(&doc),
    );
    assert_eq!(
        found,
        ["the request has a body but the spec documents none for GET /employee/me"]
    );
}

#[test]
fn a_read_only_property_sent_and_a_write_only_one_returned_are_reported() {
    let sent = json!({"name": "Jane", "employee_no": 5});
    assert_eq!(
        check_request(
            "POST",
            "http://h/api/employee/create",
            &[],
            RequestBody::Json(&sent)
        ),
        [
            "/employee_no: `employee_no` is read-only (set by the server): a request must not send it (components/schemas/Employee/properties/employee_no)"
        ]
    );
    // Sending the write-only one is what it is for.
    let with_password = json!({"name": "Jane", "password": "pw"});
    assert!(
        check_request(
            "POST",
            "http://h/api/employee/create",
            &[],
            RequestBody::Json(&with_password)
        )
        .is_empty()
    );
    let returned =
        r#"{"meta": {"is_ok": true}, "data": {"employee_no": 1, "name": "J", "password": "x"}}"#;
    assert_eq!(
        check_response("/api/employee/get/1", 200, &[JSON, REQ_ID], returned),
        [
            "/data/password: `password` is write-only (sent by clients): a response must not return it (components/schemas/Employee/properties/password)"
        ]
    );
}

#[test]
fn a_violation_never_quotes_a_credential_parameter() {
    let doc: Value = serde_saphyr::from_str(
        r#"
openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /a:
    get:
      parameters:
        - {name: api_key, in: query, schema: {type: string, minLength: 40}}
      responses: {"200": {description: ok}}
"#,
    )
    .unwrap();
    let s = Spec::from_value(doc, "a.yaml").unwrap();
    let url = reqwest::Url::parse("http://h/a?api_key=k3y-s3cr3t").unwrap();
    let (op, params) = s.find("GET", url.path()).unwrap();
    let found = s.check_request(
        op,
        &params,
        &Request {
            url: &url,
            headers: &[],
            body: RequestBody::None,
        },
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("query parameter api_key: \"***\" is shorter than 40 characters"),
        "{found:?}"
    );
    assert!(!found[0].contains("k3y-s3cr3t"), "{found:?}");
}

/// A 200 JSON response to `GET path`, checked against `s` as `Then response matches the
/// OpenAPI spec` checks it.
fn json_violations(s: &Spec, path: &str, body: &str) -> Vec<String> {
    let (op, _) = s.find("GET", path).unwrap();
    let json: Value = serde_json::from_str(body).unwrap();
    let headers = headers(&[JSON]);
    s.check_response(
        op,
        &Response {
            status: 200,
            headers: &headers,
            body: body.as_bytes(),
            json: Ok(&json),
        },
    )
}

/// The same, against a spec of `tests/contracts/`.
fn violations_in(file: &str, path: &str, body: &str) -> Vec<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let s = Spec::load(&root.join(file), file).unwrap();
    json_violations(&s, path, body)
}

const FASTAPI: &str = "tests/contracts/fastapi-3.1.json";

#[test]
fn an_optional_field_of_the_wrong_type_names_the_field_and_every_type_allowed() {
    let found = violations_in(
        FASTAPI,
        "/items/1",
        r#"{"id": 1, "name": "widget", "price": 9.5, "description": 42}"#,
    );
    assert_eq!(
        found,
        [
            "/description: 42 is not of type \"string\" or \"null\" (components/schemas/Item/properties/description)"
        ]
    );
}

#[test]
fn faults_inside_an_optional_object_are_named_with_their_own_paths() {
    // A renamed field (`employee_no` sent as `employee`) and a wrong type, inside the
    // Optional `owner` (anyOf Owner or null): the faults of the Owner branch are listed.
    let found = violations_in(
        FASTAPI,
        "/items/1",
        r#"{"id": 1, "name": "widget", "price": 9.5, "owner": {"employee": 7, "name": 3}}"#,
    );
    assert_eq!(
        found,
        [
            "/owner: \"employee_no\" is a required property (components/schemas/Owner)",
            "/owner/name: 3 is not of type \"string\" (components/schemas/Owner/properties/name)",
            "/owner: Additional properties are not allowed ('employee' was unexpected) (components/schemas/Owner)",
        ]
    );
}

#[test]
fn a_discriminator_chooses_the_schema_to_report() {
    let found = violations_in(FASTAPI, "/pets/1", r#"{"kind": "dog", "lives": 9}"#);
    assert_eq!(
        found,
        ["/: \"good\" is a required property (components/schemas/Dog)"]
    );
    let found = violations_in(FASTAPI, "/pets/1", r#"{"kind": "bird"}"#);
    assert_eq!(
        found,
        [
            "/: `kind` is \"bird\", which names none of the schemas (Cat, Dog) (components/schemas/Pet)"
        ]
    );
    let found = violations_in(FASTAPI, "/pets/1", r#"{"lives": 9}"#);
    assert_eq!(
        found,
        [
            "/: `kind` is required: it is the discriminator that chooses the schema (components/schemas/Pet)"
        ]
    );
    assert!(violations_in(FASTAPI, "/pets/1", r#"{"kind": "cat", "lives": 9}"#).is_empty());
}

#[test]
fn a_value_matching_several_one_of_schemas_names_them() {
    let found = violations_in(FASTAPI, "/shapes/1", r#"{"r": 1}"#);
    assert_eq!(
        found,
        [
            "/: matches 2 of the `oneOf` schemas (#0, #1), but must match exactly one (components/schemas/Shape)"
        ]
    );
}

#[test]
fn a_nullable_all_of_ref_of_openapi_3_0_names_the_inner_field() {
    let yaml = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /e:
    get:
      responses:
        "200":
          description: one
          content:
            application/json:
              schema:
                type: object
                properties:
                  manager:
                    nullable: true
                    allOf: [{$ref: '#/components/schemas/Person'}]
components:
  schemas:
    Person:
      type: object
      required: [name]
      properties:
        name: {type: string}
"##;
    let doc: Value = serde_saphyr::from_str(yaml).unwrap();
    let s = Spec::from_value(doc, "nullable.yaml").unwrap();
    let check = |body: &str| json_violations(&s, "/e", body);
    assert!(check(r#"{"manager": null}"#).is_empty());
    assert_eq!(
        check(r#"{"manager": {"name": 5}}"#),
        ["/manager/name: 5 is not of type \"string\" (components/schemas/Person/properties/name)"]
    );
}

#[test]
fn servers_of_a_path_item_or_an_operation_replace_the_documents() {
    let yaml = r##"
openapi: 3.1.0
info: {title: t, version: "1"}
servers: [{url: "http://h/api"}]
paths:
  /items:
    get: {responses: {"200": {description: ok}}}
  /things:
    servers: [{url: "http://h/v2"}]
    get: {responses: {"200": {description: ok}}}
  /other:
    get:
      servers: [{url: "/beta"}, {url: "/beta/long"}]
      responses: {"200": {description: ok}}
"##;
    let doc: Value = serde_saphyr::from_str(yaml).unwrap();
    let s = Spec::from_value(doc, "servers.yaml").unwrap();
    let found = |path: &str| s.find("GET", path).map(|(op, _)| op.template.text.clone());
    assert_eq!(found("/api/items").unwrap(), "/items");
    assert_eq!(found("/v2/things").unwrap(), "/things");
    assert!(found("/api/things").is_err());
    assert_eq!(found("/beta/other").unwrap(), "/other");
    assert_eq!(found("/beta/long/other").unwrap(), "/other");
    assert!(found("/api/other").is_err());
    assert!(found("/v2/items").is_err());
}

#[test]
fn multipart_bodies_are_checked_field_by_field() {
    let yaml = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /upload:
    post:
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [name, photo]
              properties:
                name: {type: string}
                age: {type: integer}
                photo: {type: string, format: binary}
                extras: {type: array, items: {type: string, format: binary}}
      responses: {"200": {description: ok}}
"##;
    let doc: Value = serde_saphyr::from_str(yaml).unwrap();
    let s = Spec::from_value(doc, "upload.yaml").unwrap();
    let url = reqwest::Url::parse("http://h/upload").unwrap();
    let (op, params) = s.find("POST", url.path()).unwrap();
    let check = |fields: &[(String, String)], files: &[(String, std::path::PathBuf)]| {
        s.check_request(
            op,
            &params,
            &Request {
                url: &url,
                headers: &[],
                body: RequestBody::Multipart(fields, files),
            },
        )
    };
    let field = |n: &str, v: &str| (n.to_string(), v.to_string());
    let file = |n: &str, p: &str| (n.to_string(), std::path::PathBuf::from(p));
    assert!(
        check(
            &[field("name", "Jane"), field("age", "41")],
            &[
                file("photo", "features/form/request/a.png"),
                file("extras", "b.png")
            ]
        )
        .is_empty()
    );
    assert_eq!(
        check(&[field("age", "old")], &[]),
        [
            "/: \"name\" is a required property (paths/~1upload/post/requestBody/content/multipart~1form-data/schema)",
            "/: \"photo\" is a required property (paths/~1upload/post/requestBody/content/multipart~1form-data/schema)",
            "/age: \"old\" is not of type \"integer\" (paths/~1upload/post/requestBody/content/multipart~1form-data/schema/properties/age)",
        ]
    );
}
