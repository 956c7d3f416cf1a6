//! Benchmark (not a test) of one contract check: how long `response matches the OpenAPI spec`
//! takes for the demo API's employee answer against contracts/employee.yaml, once the spec is
//! loaded and its validator built (both happen once per run). Run it with
//! `cargo bench --bench contract`.

use std::time::Instant;

use apitest::contract::Spec;
use apitest::contract::validate::Response;
use reqwest::header::{HeaderMap, HeaderValue};

const BODY: &str = r#"{"meta":{"cid":"3080a00bb34f4c7ebcb3e22f9cc41bd6","is_ok":true,"timestamp":"2026-11-21T12:00:00Z"},"data":{"employee_no":123,"name":"John Doe","department":"HR"}}"#;

fn main() -> Result<(), String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let started = Instant::now();
    let spec = Spec::load(
        &root.join("contracts/employee.yaml"),
        "contracts/employee.yaml",
    )?;
    let load = started.elapsed();

    let mut headers = HeaderMap::new();
    headers.insert("content-type", HeaderValue::from_static("application/json"));
    headers.insert(
        "x-request-id",
        HeaderValue::from_static("3080a00bb34f4c7ebcb3e22f9cc41bd6"),
    );
    let body: serde_json::Value = serde_json::from_str(BODY).map_err(|e| e.to_string())?;
    let check = || {
        let (op, _) = spec.find("GET", "/api/employee/get/123")?;
        let found = spec.check_response(
            op,
            &Response {
                status: 200,
                headers: &headers,
                body: BODY.as_bytes(),
                json: Ok(&body),
            },
        );
        if found.is_empty() {
            Ok(())
        } else {
            Err(found.join("; "))
        }
    };
    let started = Instant::now();
    check()?;
    let first = started.elapsed();

    let rounds: u32 = 100_000;
    let started = Instant::now();
    for _ in 0..rounds {
        check()?;
    }
    let each = started.elapsed() / rounds;
    println!("load and index contracts/employee.yaml: {load:?}");
    println!("first check (builds the validator):     {first:?}");
    println!("each later check ({rounds} rounds):     {each:?} per response");
    Ok(())
}
