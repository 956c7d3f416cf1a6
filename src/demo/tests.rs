//! End-to-end tests of the demo API: each test starts its own server on an
//! ephemeral loopback port and drives it over real HTTP with reqwest, so that
//! routing, status codes, headers and bodies are checked exactly as example
//! features will see them.

use std::io::Read;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};

use super::*;

async fn start() -> (DemoServer, Client) {
    let addr: SocketAddr = "127.0.0.1:0".parse().unwrap();
    let server = DemoServer::start(addr).await.unwrap();
    (server, new_client())
}

/// A client from apitest's own HTTP layer, which installs the TLS crypto provider.
fn new_client() -> Client {
    crate::http::HttpClient::new(false).unwrap().inner
}

fn url(server: &DemoServer, path: &str) -> String {
    format!("{}{}", server.base_url(), path)
}

/// `GET path` on the server; the test stops if nothing answers.
async fn get(client: &Client, server: &DemoServer, path: &str) -> Response {
    client.get(url(server, path)).send().await.unwrap()
}

/// `POST path` with no body.
async fn post(client: &Client, server: &DemoServer, path: &str) -> Response {
    client.post(url(server, path)).send().await.unwrap()
}

/// `POST path` with a JSON body.
async fn post_json(client: &Client, server: &DemoServer, path: &str, body: &Value) -> Response {
    client
        .post(url(server, path))
        .json(body)
        .send()
        .await
        .unwrap()
}

async fn json_of(response: Response) -> Value {
    response.json::<Value>().await.unwrap()
}

fn header<'a>(response: &'a Response, name: &str) -> &'a str {
    response.headers().get(name).unwrap().to_str().unwrap()
}

fn is_lower_hex_32(text: &str) -> bool {
    text.len() == 32
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
}

/// Checks the envelope's meta and its X-Request-Id header, returning the body.
async fn envelope(response: Response, status: StatusCode, is_ok: bool) -> Value {
    assert_eq!(response.status(), status);
    assert_eq!(header(&response, "content-type"), "application/json");
    let request_id = header(&response, "x-request-id").to_owned();
    let body = json_of(response).await;
    let meta = &body["meta"];
    assert_eq!(meta["is_ok"], json!(is_ok), "{body}");
    let cid = meta["cid"].as_str().unwrap();
    assert!(is_lower_hex_32(cid), "{cid}");
    assert_eq!(cid, request_id);
    let timestamp = meta["timestamp"].as_str().unwrap();
    assert!(chrono::DateTime::parse_from_rfc3339(timestamp).is_ok());
    assert_eq!(timestamp.len(), "2026-07-19T14:30:00Z".len(), "{timestamp}");
    assert!(timestamp.ends_with('Z'));
    body
}

/// Checks a failed envelope and returns its message.
async fn envelope_error(response: Response, status: StatusCode, code: &str) -> String {
    let body = envelope(response, status, false).await;
    assert_eq!(body["meta"]["error_code"], json!(code), "{body}");
    assert!(body.get("data").is_none(), "{body}");
    body["meta"]["message"].as_str().unwrap().to_owned()
}

async fn login_token(server: &DemoServer, client: &Client) -> String {
    let response = client
        .post(url(server, "/api/login"))
        .json(&json!({"username": LOGIN_USER, "password": LOGIN_PASSWORD}))
        .send()
        .await
        .unwrap();
    let body = envelope(response, StatusCode::OK, true).await;
    body["data"]["token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn start_reports_the_bound_loopback_address() {
    let (server, _) = start().await;
    let addr = server.addr();
    assert!(addr.ip().is_loopback());
    assert_ne!(addr.port(), 0);
    assert_eq!(
        server.base_url(),
        format!("http://127.0.0.1:{}", addr.port())
    );
    server.shutdown().await;
}

#[tokio::test]
async fn shutdown_stops_the_server() {
    let (server, client) = start().await;
    let target = url(&server, "/api/text");
    assert_eq!(client.get(&target).send().await.unwrap().status(), 200);
    server.shutdown().await;
    // A fresh client, so that no pooled connection hides the closed listener.
    assert!(new_client().get(&target).send().await.is_err());
}

#[tokio::test]
async fn banner_lists_url_endpoints_and_credentials() {
    let line = banner("http://127.0.0.1:17010");
    assert!(!line.contains('\n'));
    for needle in [
        "http://127.0.0.1:17010",
        "/api/employee/get/{n}",
        "/oauth/token",
        "/api/gzip",
        BASIC_PASSWORD,
        LOGIN_PASSWORD,
        OAUTH_CLIENT_SECRET,
    ] {
        assert!(line.contains(needle), "{needle} missing from {line}");
    }
}

#[tokio::test]
async fn get_returns_a_seeded_employee() {
    let (server, client) = start().await;
    let response = get(&client, &server, "/api/employee/get/123").await;
    let body = envelope(response, StatusCode::OK, true).await;
    assert_eq!(
        body["data"],
        json!({"employee_no": 123, "name": "John Doe", "department": "HR"})
    );
    assert!(body["meta"].get("error_code").is_none());
    // Any method is accepted, as by Zato channels.
    let response = post(&client, &server, "/api/employee/get/124").await;
    let body = envelope(response, StatusCode::OK, true).await;
    assert_eq!(body["data"]["name"], "Jane Roe");
    assert_eq!(body["data"]["department"], "Payroll");
}

#[tokio::test]
async fn get_of_an_unknown_employee_is_a_business_error() {
    let (server, client) = start().await;
    let response = get(&client, &server, "/api/employee/get/999").await;
    let message = envelope_error(response, StatusCode::OK, "HR_NOT_FOUND").await;
    assert_eq!(message, "Employee 999 not found");
}

#[tokio::test]
async fn get_with_a_non_integer_number_is_a_bad_request() {
    let (server, client) = start().await;
    let response = get(&client, &server, "/api/employee/get/abc").await;
    let message = envelope_error(response, StatusCode::BAD_REQUEST, "BAD_REQUEST").await;
    assert!(
        message.contains("integer") && message.contains("abc"),
        "{message}"
    );
}

#[tokio::test]
async fn employee_lifecycle_create_update_delete() {
    let (server, client) = start().await;
    let response = post_json(
        &client,
        &server,
        "/api/employee/create",
        &json!({"name": "Ann Smith", "department": "Sales"}),
    )
    .await;
    let body = envelope(response, StatusCode::OK, true).await;
    let employee_no = body["data"]["employee_no"].as_i64().unwrap();
    assert!(employee_no >= 1000);

    let response = post_json(
        &client,
        &server,
        "/api/employee/update",
        &json!({"employee_no": employee_no, "name": "Ann Jones", "department": null}),
    )
    .await;
    let body = envelope(response, StatusCode::OK, true).await;
    assert!(body.get("data").is_none(), "{body}");

    let response = get(
        &client,
        &server,
        &format!("/api/employee/get/{employee_no}"),
    )
    .await;
    let body = envelope(response, StatusCode::OK, true).await;
    assert_eq!(
        body["data"],
        json!({"employee_no": employee_no, "name": "Ann Jones", "department": "Sales"})
    );

    // The number may also be given as a numeric string when deleting.
    let response = post_json(
        &client,
        &server,
        "/api/employee/delete",
        &json!({"employee_no": employee_no.to_string()}),
    )
    .await;
    let body = envelope(response, StatusCode::OK, true).await;
    assert!(body.get("data").is_none());

    let response = get(
        &client,
        &server,
        &format!("/api/employee/get/{employee_no}"),
    )
    .await;
    envelope_error(response, StatusCode::OK, "HR_NOT_FOUND").await;
    let response = post_json(
        &client,
        &server,
        "/api/employee/delete",
        &json!({"employee_no": employee_no}),
    )
    .await;
    envelope_error(response, StatusCode::OK, "HR_NOT_FOUND").await;
    let response = post_json(
        &client,
        &server,
        "/api/employee/update",
        &json!({"employee_no": employee_no, "name": "X"}),
    )
    .await;
    let message = envelope_error(response, StatusCode::OK, "HR_NOT_FOUND").await;
    assert_eq!(message, format!("Employee {employee_no} not found"));
}

#[tokio::test]
async fn concurrent_creates_get_distinct_numbers() {
    let (server, client) = start().await;
    let mut tasks = Vec::new();
    for i in 0..50 {
        let client = client.clone();
        let target = url(&server, "/api/employee/create");
        tasks.push(tokio::spawn(async move {
            let response = client
                .post(target)
                .json(&json!({"name": format!("E{i}"), "department": "Load"}))
                .send()
                .await
                .unwrap();
            json_of(response).await["data"]["employee_no"]
                .as_i64()
                .unwrap()
        }));
    }
    let mut numbers = Vec::new();
    for task in tasks {
        numbers.push(task.await.unwrap());
    }
    numbers.sort_unstable();
    numbers.dedup();
    assert_eq!(numbers.len(), 50);
    assert_eq!(numbers.first(), Some(&1000));
    assert_eq!(numbers.last(), Some(&1049));
}

#[tokio::test]
async fn create_rejects_malformed_input() {
    let (server, client) = start().await;
    let target = url(&server, "/api/employee/create");
    let cases: [(&str, &str); 7] = [
        (r#"{"name": "A"}"#, "`department`"),
        (r#"{"department": "A"}"#, "`name`"),
        (r#"{"name": 5, "department": "A"}"#, "must be a string"),
        (r#"{"name": "  ", "department": "A"}"#, "must not be empty"),
        (r#"{"name": "A", "#, "not valid JSON"),
        (r#"["A"]"#, "JSON object"),
        ("", "empty"),
    ];
    for (body, expected) in cases {
        let response = client
            .post(&target)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        let message = envelope_error(response, StatusCode::BAD_REQUEST, "BAD_REQUEST").await;
        assert!(message.contains(expected), "{body}: {message}");
    }
}

#[tokio::test]
async fn update_and_delete_reject_wrong_types() {
    let (server, client) = start().await;
    let response = post_json(
        &client,
        &server,
        "/api/employee/update",
        &json!({"employee_no": "1000", "name": "X"}),
    )
    .await;
    let message = envelope_error(response, StatusCode::BAD_REQUEST, "BAD_REQUEST").await;
    assert!(message.contains("`employee_no`"), "{message}");

    let response = post_json(
        &client,
        &server,
        "/api/employee/update",
        &json!({"employee_no": 1000, "department": 7}),
    )
    .await;
    let message = envelope_error(response, StatusCode::BAD_REQUEST, "BAD_REQUEST").await;
    assert!(message.contains("`department`"), "{message}");

    let response = post_json(
        &client,
        &server,
        "/api/employee/delete",
        &json!({"employee_no": "twelve"}),
    )
    .await;
    let message = envelope_error(response, StatusCode::BAD_REQUEST, "BAD_REQUEST").await;
    assert!(message.contains("twelve"), "{message}");

    let response = post_json(&client, &server, "/api/employee/delete", &json!({})).await;
    let message = envelope_error(response, StatusCode::BAD_REQUEST, "BAD_REQUEST").await;
    assert!(
        message.contains("missing required field `employee_no`"),
        "{message}"
    );
}

#[tokio::test]
async fn seeded_employees_are_read_only() {
    let (server, client) = start().await;
    let response = post_json(
        &client,
        &server,
        "/api/employee/update",
        &json!({"employee_no": 123, "name": "Changed"}),
    )
    .await;
    envelope_error(response, StatusCode::OK, "READ_ONLY").await;
    let response = post_json(
        &client,
        &server,
        "/api/employee/delete",
        &json!({"employee_no": "124"}),
    )
    .await;
    envelope_error(response, StatusCode::OK, "READ_ONLY").await;
    let response = get(&client, &server, "/api/employee/get/123").await;
    let body = envelope(response, StatusCode::OK, true).await;
    assert_eq!(body["data"]["name"], "John Doe");
}

#[tokio::test]
async fn list_is_sorted_and_filterable() {
    let (server, client) = start().await;
    let response = post_json(
        &client,
        &server,
        "/api/employee/create",
        &json!({"name": "New Hire", "department": "HR"}),
    )
    .await;
    let created = json_of(response).await["data"]["employee_no"].clone();

    let response = get(&client, &server, "/api/employee/list").await;
    let body = envelope(response, StatusCode::OK, true).await;
    let numbers: Vec<Value> = body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|employee| employee["employee_no"].clone())
        .collect();
    assert_eq!(numbers, vec![json!(123), json!(124), created.clone()]);

    let response = get(&client, &server, "/api/employee/list?department=HR").await;
    let body = envelope(response, StatusCode::OK, true).await;
    assert_eq!(
        body["data"],
        json!([
            {"employee_no": 123, "name": "John Doe", "department": "HR"},
            {"employee_no": created, "name": "New Hire", "department": "HR"},
        ])
    );

    let response = get(&client, &server, "/api/employee/list?department=No+Such").await;
    let body = envelope(response, StatusCode::OK, true).await;
    assert_eq!(body["data"], json!([]));
}

#[tokio::test]
async fn secure_get_requires_basic_auth() {
    let (server, client) = start().await;
    let target = url(&server, "/api/secure/employee/get/123");

    let response = client.get(&target).send().await.unwrap();
    assert_eq!(
        header(&response, "www-authenticate"),
        r#"Basic realm="demo""#
    );
    envelope_error(response, StatusCode::FORBIDDEN, "FORBIDDEN").await;

    let response = client
        .get(&target)
        .basic_auth(BASIC_USER, Some("wrong"))
        .send()
        .await
        .unwrap();
    assert!(response.headers().contains_key("www-authenticate"));
    envelope_error(response, StatusCode::FORBIDDEN, "FORBIDDEN").await;

    let response = client
        .get(&target)
        .header("authorization", "Basic not-base64!")
        .send()
        .await
        .unwrap();
    envelope_error(response, StatusCode::FORBIDDEN, "FORBIDDEN").await;

    let response = client
        .get(&target)
        .basic_auth(BASIC_USER, Some(BASIC_PASSWORD))
        .send()
        .await
        .unwrap();
    let body = envelope(response, StatusCode::OK, true).await;
    assert_eq!(body["data"]["name"], "John Doe");

    // A hand-written header with a lower-case scheme works too.
    let encoded = STANDARD.encode(format!("{BASIC_USER}:{BASIC_PASSWORD}"));
    let response = client
        .get(url(&server, "/api/secure/employee/get/999"))
        .header("authorization", format!("basic {encoded}"))
        .send()
        .await
        .unwrap();
    envelope_error(response, StatusCode::OK, "HR_NOT_FOUND").await;
}

#[tokio::test]
async fn login_issues_tokens_from_json_and_forms() {
    let (server, client) = start().await;
    let response = post_json(
        &client,
        &server,
        "/api/login",
        &json!({"username": LOGIN_USER, "password": LOGIN_PASSWORD}),
    )
    .await;
    let body = envelope(response, StatusCode::OK, true).await;
    let data = &body["data"];
    assert!(is_lower_hex_32(data["token"].as_str().unwrap()));
    assert_eq!(data["token_type"], "Bearer");
    assert_eq!(data["expires_in"], 3600);

    let response = client
        .post(url(&server, "/api/login"))
        .form(&[("username", LOGIN_USER), ("password", LOGIN_PASSWORD)])
        .send()
        .await
        .unwrap();
    let body = envelope(response, StatusCode::OK, true).await;
    assert!(is_lower_hex_32(body["data"]["token"].as_str().unwrap()));

    let response = post_json(
        &client,
        &server,
        "/api/login",
        &json!({"username": LOGIN_USER, "password": "nope"}),
    )
    .await;
    envelope_error(response, StatusCode::FORBIDDEN, "FORBIDDEN").await;

    let response = post_json(
        &client,
        &server,
        "/api/login",
        &json!({"username": LOGIN_USER}),
    )
    .await;
    let message = envelope_error(response, StatusCode::BAD_REQUEST, "BAD_REQUEST").await;
    assert!(message.contains("`password`"), "{message}");

    let response = get(&client, &server, "/api/login").await;
    assert_eq!(header(&response, "allow"), "POST");
    envelope_error(
        response,
        StatusCode::METHOD_NOT_ALLOWED,
        "METHOD_NOT_ALLOWED",
    )
    .await;
}

#[tokio::test]
async fn email_send_requires_a_login_token() {
    let (server, client) = start().await;
    let target = url(&server, "/api/email/send");
    let email = json!({"to": "bob@example.com", "subject": "Hi", "body": "Hello"});

    let response = client.post(&target).json(&email).send().await.unwrap();
    envelope_error(response, StatusCode::FORBIDDEN, "FORBIDDEN").await;

    let response = client
        .post(&target)
        .bearer_auth("0123456789abcdef0123456789abcdef")
        .json(&email)
        .send()
        .await
        .unwrap();
    envelope_error(response, StatusCode::FORBIDDEN, "FORBIDDEN").await;

    let token = login_token(&server, &client).await;
    let response = client
        .post(&target)
        .bearer_auth(&token)
        .json(&email)
        .send()
        .await
        .unwrap();
    let body = envelope(response, StatusCode::OK, true).await;
    assert!(is_lower_hex_32(
        body["data"]["message_id"].as_str().unwrap()
    ));
    assert_eq!(body["data"]["to"], "bob@example.com");

    let response = client
        .post(&target)
        .bearer_auth(&token)
        .json(&json!({"to": "bob@example.com"}))
        .send()
        .await
        .unwrap();
    let message = envelope_error(response, StatusCode::BAD_REQUEST, "BAD_REQUEST").await;
    assert!(message.contains("`subject`"), "{message}");

    // Tokens are per server: another server does not know this one's.
    let (other, _) = start().await;
    let response = client
        .post(url(&other, "/api/email/send"))
        .bearer_auth(&token)
        .json(&email)
        .send()
        .await
        .unwrap();
    envelope_error(response, StatusCode::FORBIDDEN, "FORBIDDEN").await;
}

#[tokio::test]
async fn oauth_token_accepts_forms_json_and_basic_clients() {
    let (server, client) = start().await;
    let target = url(&server, "/oauth/token");

    let response = client
        .post(&target)
        .form(&[
            ("grant_type", "password"),
            ("username", LOGIN_USER),
            ("password", LOGIN_PASSWORD),
            ("scope", "email:send employees:read"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "content-type"), "application/json");
    assert_eq!(header(&response, "cache-control"), "no-store");
    let body = json_of(response).await;
    assert!(body.get("meta").is_none(), "{body}");
    assert!(is_lower_hex_32(body["access_token"].as_str().unwrap()));
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    assert_eq!(body["scope"], "email:send employees:read");
    let form_token = body["access_token"].as_str().unwrap().to_owned();

    let response = client
        .post(&target)
        .json(&json!({
            "grant_type": "client_credentials",
            "client_id": OAUTH_CLIENT_ID,
            "client_secret": OAUTH_CLIENT_SECRET,
            "scopes": ["email:send", "employees:read"],
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body = json_of(response).await;
    assert_eq!(body["scope"], "email:send employees:read");

    let response = client
        .post(&target)
        .basic_auth(OAUTH_CLIENT_ID, Some(OAUTH_CLIENT_SECRET))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body = json_of(response).await;
    assert_eq!(body["scope"], "");

    // The OAuth2 token is good for the token-protected endpoint too.
    let response = client
        .post(url(&server, "/api/email/send"))
        .bearer_auth(&form_token)
        .json(&json!({"to": "a@example.com", "subject": "S"}))
        .send()
        .await
        .unwrap();
    envelope(response, StatusCode::OK, true).await;
}

#[tokio::test]
async fn oauth_token_errors_follow_rfc_6749() {
    let (server, client) = start().await;
    let target = url(&server, "/oauth/token");
    let cases = [
        (
            json!({"grant_type": "client_credentials", "client_id": OAUTH_CLIENT_ID, "client_secret": "x"}),
            401,
            "invalid_client",
        ),
        (json!({"grant_type": "password"}), 401, "invalid_client"),
        (
            json!({"grant_type": "password", "username": LOGIN_USER, "password": "x",
                   "client_id": OAUTH_CLIENT_ID, "client_secret": OAUTH_CLIENT_SECRET}),
            401,
            "invalid_client",
        ),
        (
            json!({"grant_type": "authorization_code", "client_id": OAUTH_CLIENT_ID,
                   "client_secret": OAUTH_CLIENT_SECRET}),
            400,
            "unsupported_grant_type",
        ),
        (json!({"username": LOGIN_USER}), 400, "invalid_request"),
        (json!({"grant_type": 5}), 400, "invalid_request"),
    ];
    for (request, status, error) in cases {
        let response = client.post(&target).json(&request).send().await.unwrap();
        assert_eq!(response.status().as_u16(), status, "{request}");
        let body = json_of(response).await;
        assert_eq!(body["error"], error, "{request}");
    }
    let response = client
        .post(&target)
        .form(&[("grant_type", "implicit")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    assert_eq!(json_of(response).await["error"], "unsupported_grant_type");
}

#[tokio::test]
async fn echo_reflects_query_headers_and_json() {
    let (server, client) = start().await;
    let response = client
        .post(url(&server, "/api/echo?a=1&b=two+words&a=3&flag"))
        .header("X-Custom", "yes")
        .json(&json!({"k": [1, 2]}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(is_lower_hex_32(header(&response, "x-request-id")));
    let body = json_of(response).await;
    assert_eq!(body["method"], "POST");
    assert_eq!(body["path"], "/api/echo");
    assert_eq!(body["query"], "a=1&b=two+words&a=3&flag");
    assert_eq!(
        body["args"],
        json!({"a": ["1", "3"], "b": "two words", "flag": ""})
    );
    assert_eq!(body["headers"]["x-custom"], "yes");
    assert_eq!(body["headers"]["content-type"], "application/json");
    assert_eq!(body["body"], r#"{"k":[1,2]}"#);
    assert_eq!(body["json"], json!({"k": [1, 2]}));
    assert_eq!(body["form"], json!({}));
    assert_eq!(body["files"], json!({}));
}

#[tokio::test]
async fn echo_accepts_any_method_and_sub_path() {
    let (server, client) = start().await;
    let response = client
        .put(url(&server, "/api/echo/a/b"))
        .body("plain text")
        .send()
        .await
        .unwrap();
    let body = json_of(response).await;
    assert_eq!(body["method"], "PUT");
    assert_eq!(body["path"], "/api/echo/a/b");
    assert_eq!(body["query"], "");
    assert_eq!(body["args"], json!({}));
    assert_eq!(body["body"], "plain text");
    assert_eq!(body["json"], Value::Null);

    for (method, path) in [
        (reqwest::Method::DELETE, "/api/echo"),
        (reqwest::Method::PATCH, "/api/echo/"),
        (reqwest::Method::OPTIONS, "/api/echo/x"),
    ] {
        let response = client
            .request(method.clone(), url(&server, path))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{method} {path}");
        let body = json_of(response).await;
        assert_eq!(body["method"], method.as_str());
        assert_eq!(body["path"], path);
        assert_eq!(body["body"], "");
    }
}

#[tokio::test]
async fn echo_decodes_urlencoded_forms() {
    let (server, client) = start().await;
    let response = client
        .post(url(&server, "/api/echo"))
        .form(&[("name", "Ann Smith"), ("tag", "a"), ("tag", "b&c")])
        .send()
        .await
        .unwrap();
    let body = json_of(response).await;
    assert_eq!(
        body["form"],
        json!({"name": "Ann Smith", "tag": ["a", "b&c"]})
    );
    assert_eq!(body["json"], Value::Null);
    assert_eq!(body["files"], json!({}));
}

#[tokio::test]
async fn echo_decodes_multipart_fields_and_files() {
    let (server, client) = start().await;
    let file = reqwest::multipart::Part::bytes(b"line 1\nline 2\n".to_vec())
        .file_name("notes.txt")
        .mime_str("text/plain")
        .unwrap();
    let form = reqwest::multipart::Form::new()
        .text("title", "Report")
        .text("title", "Second")
        .part("upload", file);
    let response = client
        .post(url(&server, "/api/echo"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body = json_of(response).await;
    assert_eq!(body["form"], json!({"title": ["Report", "Second"]}));
    assert_eq!(
        body["files"],
        json!({"upload": {
            "filename": "notes.txt",
            "content_type": "text/plain",
            "size": 14,
            "content": "line 1\nline 2\n",
        }})
    );
    assert!(body["body"].as_str().unwrap().contains("line 2"));

    let response = client
        .post(url(&server, "/api/echo"))
        .header("content-type", "multipart/form-data; boundary=xyz")
        .body("--xyz\r\nbroken")
        .send()
        .await
        .unwrap();
    let message = envelope_error(response, StatusCode::BAD_REQUEST, "BAD_REQUEST").await;
    assert!(message.contains("multipart"), "{message}");
}

#[tokio::test]
async fn status_answers_with_the_requested_code() {
    let (server, client) = start().await;
    let response = get(&client, &server, "/api/status/418").await;
    assert_eq!(response.status(), 418);
    assert_eq!(json_of(response).await, json!({"status": 418}));

    let response = client
        .delete(url(&server, "/api/status/503"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 503);
    assert_eq!(json_of(response).await, json!({"status": 503}));

    let response = get(&client, &server, "/api/status/204").await;
    assert_eq!(response.status(), 204);
    assert!(response.bytes().await.unwrap().is_empty());

    for code in ["100", "199", "600", "abc", "-1"] {
        let response = get(&client, &server, &format!("/api/status/{code}")).await;
        envelope_error(response, StatusCode::BAD_REQUEST, "BAD_REQUEST").await;
    }
}

#[tokio::test]
async fn headers_set_adds_response_headers() {
    let (server, client) = start().await;
    let response = client
        .get(url(
            &server,
            "/api/headers/set?X-Demo=one&X-Demo=two&Cache-Control=no-cache&Content-Type=text%2Fcsv",
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let demo: Vec<&str> = response
        .headers()
        .get_all("x-demo")
        .iter()
        .map(|value| value.to_str().unwrap())
        .collect();
    assert_eq!(demo, vec!["one", "two"]);
    assert_eq!(header(&response, "cache-control"), "no-cache");
    assert_eq!(header(&response, "content-type"), "text/csv");
    let body: Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    assert_eq!(body["X-Demo"], json!(["one", "two"]));

    for query in ["Bad%20Name=x", "X-Ok=bad%0Avalue", "Content-Length=5"] {
        let response = get(&client, &server, &format!("/api/headers/set?{query}")).await;
        envelope_error(response, StatusCode::BAD_REQUEST, "BAD_REQUEST").await;
    }
}

#[tokio::test]
async fn xml_endpoints_serve_and_echo_xml() {
    let (server, client) = start().await;
    let response = get(&client, &server, "/api/xml/employee/123").await;
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "content-type"), "application/xml");
    assert_eq!(
        response.text().await.unwrap(),
        r#"<?xml version="1.0" encoding="UTF-8"?><employee><employee_no>123</employee_no><name>John Doe</name><department>HR</department></employee>"#
    );

    let response = get(&client, &server, "/api/xml/employee/999").await;
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    assert!(text.contains("<error><code>HR_NOT_FOUND</code>"), "{text}");
    assert!(text.contains("Employee 999 not found"), "{text}");

    let response = get(&client, &server, "/api/xml/employee/x").await;
    assert_eq!(response.status(), 400);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("<code>BAD_REQUEST</code>")
    );

    let document = "<order id=\"7\"><item>Tea &amp; cake</item></order>";
    let response = client
        .post(url(&server, "/api/xml/echo"))
        .header("content-type", "application/xml")
        .body(document)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "content-type"), "application/xml");
    assert_eq!(response.text().await.unwrap(), document);
}

#[tokio::test]
async fn text_is_plain() {
    let (server, client) = start().await;
    let response = get(&client, &server, "/api/text").await;
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "content-type"), "text/plain");
    assert!(is_lower_hex_32(header(&response, "x-request-id")));
    assert_eq!(response.text().await.unwrap(), "Hello, World!");

    let response = post(&client, &server, "/api/text").await;
    assert_eq!(header(&response, "allow"), "GET, HEAD");
    envelope_error(
        response,
        StatusCode::METHOD_NOT_ALLOWED,
        "METHOD_NOT_ALLOWED",
    )
    .await;
}

#[tokio::test]
async fn delay_waits_and_is_bounded() {
    let (server, client) = start().await;
    let started = Instant::now();
    let response = get(&client, &server, "/api/delay/150").await;
    assert!(started.elapsed() >= Duration::from_millis(150));
    assert_eq!(response.status(), 200);
    assert_eq!(json_of(response).await, json!({"delayed_ms": 150}));

    for ms in ["60001", "soon"] {
        let response = get(&client, &server, &format!("/api/delay/{ms}")).await;
        envelope_error(response, StatusCode::BAD_REQUEST, "BAD_REQUEST").await;
    }
}

#[tokio::test]
async fn redirects_chain_down_to_zero() {
    let (server, _) = start().await;
    // apitest's own client follows redirects itself (in `http::send`), so a client that
    // follows them is built here.
    let client = Client::builder()
        .redirect(reqwest::redirect::Policy::limited(10))
        .build()
        .unwrap();
    let response = get(&client, &server, "/api/redirect/3").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.url().path(), "/api/redirect/0");
    assert_eq!(json_of(response).await, json!({"redirected": true}));

    let _ = new_client();
    let manual = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let response = manual
        .get(url(&server, "/api/redirect/2"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 302);
    assert_eq!(header(&response, "location"), "/api/redirect/1");

    let response = manual
        .get(url(&server, "/api/redirect/-1"))
        .send()
        .await
        .unwrap();
    envelope_error(response, StatusCode::BAD_REQUEST, "BAD_REQUEST").await;
}

#[tokio::test]
async fn gzip_serves_a_compressed_body() {
    let (server, _) = start().await;
    // apitest's client decodes gzip; this one must not, so the bytes arrive as sent.
    let _ = new_client();
    let raw = Client::builder().no_gzip().build().unwrap();
    let response = raw.get(url(&server, "/api/gzip")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "content-encoding"), "gzip");
    assert_eq!(header(&response, "content-type"), "application/json");
    let compressed = response.bytes().await.unwrap();
    let mut decoded = String::new();
    flate2::read::GzDecoder::new(compressed.as_ref())
        .read_to_string(&mut decoded)
        .unwrap();
    let body: Value = serde_json::from_str(&decoded).unwrap();
    assert_eq!(body, json!({"compressed": true}));
}

#[tokio::test]
async fn unknown_routes_are_enveloped_404s() {
    let (server, client) = start().await;
    for path in ["/api/nothing/here", "/", "/api/employee/list/extra"] {
        let response = get(&client, &server, path).await;
        let message = envelope_error(response, StatusCode::NOT_FOUND, "NOT_FOUND").await;
        assert_eq!(message, format!("no endpoint at {path}"));
    }
}

#[tokio::test]
async fn keep_alive_connections_serve_many_requests() {
    let (server, client) = start().await;
    let target = url(&server, "/api/employee/get/123");
    let mut cids = std::collections::HashSet::new();
    for _ in 0..200 {
        let response = client.get(&target).send().await.unwrap();
        assert_eq!(response.version(), reqwest::Version::HTTP_11);
        cids.insert(header(&response, "x-request-id").to_owned());
        response.bytes().await.unwrap();
    }
    assert_eq!(cids.len(), 200);
    server.shutdown().await;
}

#[tokio::test]
async fn oauth_token_refuses_unknown_scopes() {
    let (server, client) = start().await;
    let response = client
        .post(url(&server, "/oauth/token"))
        .form(&[
            ("grant_type", "password"),
            ("username", LOGIN_USER),
            ("password", LOGIN_PASSWORD),
            ("scopes", "email:send admin:all"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "invalid_scope");
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .contains("`admin:all`")
    );
}
