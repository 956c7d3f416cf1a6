//! Benchmark (not a test) of one contract check: how long `response matches the OpenAPI spec`
//! takes per response once the spec is loaded and its validator built (both happen once per
//! run). Three responses: the demo API's employee answer against contracts/employee.yaml
//! (valid), the same answer against contracts/employee-drifted.yaml (violations, so the cost
//! of building the messages shows), and a FastAPI-style answer whose Optional object holds a
//! renamed field (anyOf with null: the best branch is chosen and its faults listed). Run it with
//! `cargo bench --bench contract`.

use std::path::Path;
use std::time::{Duration, Instant};

use apitest::contract::Spec;
use apitest::contract::validate::Response;
use reqwest::header::{HeaderMap, HeaderValue};

const EMPLOYEE: &str = r#"{"meta":{"cid":"3080a00bb34f4c7ebcb3e22f9cc41bd6","is_ok":true,"timestamp":"2026-11-21T12:00:00Z"},"data":{"employee_no":123,"name":"John Doe","department":"HR"}}"#;
const ITEM: &str =
    r#"{"id": 1, "name": "widget", "price": 9.5, "owner": {"employee": 7, "name": 3}}"#;

/// One response to check: the spec, the request path, the body, and whether it conforms.
struct Case {
    label: &'static str,
    spec: &'static str,
    path: &'static str,
    body: &'static str,
    valid: bool,
}

const CASES: [Case; 3] = [
    Case {
        label: "valid employee, employee.yaml",
        spec: "contracts/employee.yaml",
        path: "/api/employee/get/123",
        body: EMPLOYEE,
        valid: true,
    },
    Case {
        label: "employee, employee-drifted.yaml",
        spec: "contracts/employee-drifted.yaml",
        path: "/api/employee/get/123",
        body: EMPLOYEE,
        valid: false,
    },
    Case {
        label: "FastAPI anyOf-null, renamed field",
        spec: "tests/contracts/fastapi-3.1.json",
        path: "/items/1",
        body: ITEM,
        valid: false,
    },
];

fn main() -> Result<(), String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut headers = HeaderMap::new();
    headers.insert("content-type", HeaderValue::from_static("application/json"));
    headers.insert(
        "x-request-id",
        HeaderValue::from_static("3080a00bb34f4c7ebcb3e22f9cc41bd6"),
    );
    println!(
        "{:<36} {:>10} {:>12} {:>14}",
        "response", "load", "first check", "each later"
    );
    for case in &CASES {
        let (load, first, each) = measure(root, case, &headers)?;
        println!(
            "{:<36} {:>10.2?} {:>12.2?} {:>14.2?}",
            case.label, load, first, each
        );
    }
    Ok(())
}

/// Loads the case's spec, checks its response once (building the validator), then times
/// enough further checks to last about half a second.
fn measure(
    root: &Path,
    case: &Case,
    headers: &HeaderMap,
) -> Result<(Duration, Duration, Duration), String> {
    let started = Instant::now();
    let spec = Spec::load(&root.join(case.spec), case.spec)?;
    let load = started.elapsed();
    let body: serde_json::Value = serde_json::from_str(case.body).map_err(|e| e.to_string())?;
    let check = || {
        let (op, _) = spec.find("GET", case.path)?;
        let found = spec.check_response(
            op,
            &Response {
                status: 200,
                headers,
                body: case.body.as_bytes(),
                json: Ok(&body),
            },
        );
        if found.is_empty() == case.valid {
            Ok(found.len())
        } else {
            Err(format!("{}: unexpected verdict {found:?}", case.label))
        }
    };
    let started = Instant::now();
    check()?;
    let first = started.elapsed();

    let rounds: u32 = if case.valid { 200_000 } else { 20_000 };
    let started = Instant::now();
    for _ in 0..rounds {
        std::hint::black_box(check()?);
    }
    Ok((load, first, started.elapsed() / rounds))
}
