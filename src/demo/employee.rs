//! The Employee API of the REST tutorial that Zato's apitest features are
//! written against: get, create, update, delete and list, the Basic-Auth
//! protected variant of get, and the XML rendering of one employee.
//!
//! Every handler accepts any HTTP method because Zato channels do, and every
//! outcome is an envelope: malformed input is a 400, an unknown or read-only
//! employee is a business error with HTTP 200.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Serialize;

use super::auth;
use super::envelope::{bad_request, business_error, ok, ok_empty, with_content_type};
use super::input::{
    decode_urlencoded, json_object, non_empty, optional_str, read_body, required_int,
    required_non_empty_str,
};
use super::state::{AppState, Employee, StoreError};

/// Error code of an employee number that does not exist.
pub(crate) const HR_NOT_FOUND: &str = "HR_NOT_FOUND";
/// Error code of an attempt to change a seeded employee.
pub(crate) const READ_ONLY: &str = "READ_ONLY";

/// One employee as it appears in `data`.
#[derive(Serialize)]
struct EmployeeData<'a> {
    employee_no: i64,
    name: &'a str,
    department: &'a str,
}

impl<'a> EmployeeData<'a> {
    fn new(employee_no: i64, employee: &'a Employee) -> EmployeeData<'a> {
        EmployeeData {
            employee_no,
            name: &employee.name,
            department: &employee.department,
        }
    }
}

/// `ANY /api/employee/get/{n}`.
pub(crate) async fn get(
    State(state): State<Arc<AppState>>,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, Response> {
    let employee_no = employee_no_from_path(path).map_err(|m| bad_request(&m))?;
    Ok(get_response(&state, employee_no))
}

/// `ANY /api/secure/employee/get/{n}`: `get` behind HTTP Basic Auth. The
/// credentials are checked before the path so that an anonymous caller learns
/// nothing about which numbers are valid.
pub(crate) async fn secure_get(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, Response> {
    if let Some(denied) = auth::basic_auth_failure(&headers) {
        return Err(denied);
    }
    let employee_no = employee_no_from_path(path).map_err(|m| bad_request(&m))?;
    Ok(get_response(&state, employee_no))
}

/// `ANY /api/employee/create` with `{"name", "department"}`.
pub(crate) async fn create(
    State(state): State<Arc<AppState>>,
    body: Body,
) -> Result<Response, Response> {
    let fields = read_body(body)
        .await
        .and_then(|bytes| json_object(&bytes))
        .map_err(|message| bad_request(&message))?;
    let name = required_non_empty_str(&fields, "name").map_err(|m| bad_request(&m))?;
    let department = required_non_empty_str(&fields, "department").map_err(|m| bad_request(&m))?;
    let employee_no = state.create_employee(name, department);
    Ok(ok(serde_json::json!({ "employee_no": employee_no })))
}

/// `ANY /api/employee/update` with `{"employee_no", "name"?, "department"?}`;
/// a field that is absent or `null` is left unchanged.
pub(crate) async fn update(
    State(state): State<Arc<AppState>>,
    body: Body,
) -> Result<Response, Response> {
    let fields = read_body(body)
        .await
        .and_then(|bytes| json_object(&bytes))
        .map_err(|message| bad_request(&message))?;
    let employee_no = required_int(&fields, "employee_no", false).map_err(|m| bad_request(&m))?;
    let name = optional_non_empty(&fields, "name").map_err(|m| bad_request(&m))?;
    let department = optional_non_empty(&fields, "department").map_err(|m| bad_request(&m))?;
    Ok(match state.update_employee(employee_no, name, department) {
        Ok(()) => ok_empty(),
        Err(err) => store_error(employee_no, err),
    })
}

/// `ANY /api/employee/delete` with `{"employee_no"}`, which may also be a
/// numeric string.
pub(crate) async fn delete(
    State(state): State<Arc<AppState>>,
    body: Body,
) -> Result<Response, Response> {
    let fields = read_body(body)
        .await
        .and_then(|bytes| json_object(&bytes))
        .map_err(|message| bad_request(&message))?;
    let employee_no = required_int(&fields, "employee_no", true).map_err(|m| bad_request(&m))?;
    Ok(match state.delete_employee(employee_no) {
        Ok(()) => ok_empty(),
        Err(err) => store_error(employee_no, err),
    })
}

/// `ANY /api/employee/list?department=...`: all employees by number, or only
/// those whose department matches exactly. A repeated `department` uses the
/// first value.
pub(crate) async fn list(
    State(state): State<Arc<AppState>>,
    RawQuery(query): RawQuery,
) -> Response {
    let department = query.as_deref().and_then(|query| {
        decode_urlencoded(query)
            .into_iter()
            .find(|(name, _)| name == "department")
            .map(|(_, value)| value)
    });
    let employees = state.employees(department.as_deref());
    let data: Vec<EmployeeData<'_>> = employees
        .iter()
        .map(|(employee_no, employee)| EmployeeData::new(*employee_no, employee))
        .collect();
    ok(data)
}

/// `GET /api/xml/employee/{n}`: the employee as an XML document, or an
/// `<error>` document (HTTP 200 for an unknown number, as a business error,
/// and HTTP 400 for a number that is not an integer).
pub(crate) async fn xml_get(
    State(state): State<Arc<AppState>>,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    let employee_no = match employee_no_from_path(path) {
        Ok(employee_no) => employee_no,
        Err(message) => return xml_error(StatusCode::BAD_REQUEST, "BAD_REQUEST", &message),
    };
    match state.employee(employee_no) {
        Some(employee) => xml_response(
            StatusCode::OK,
            format!(
                "{XML_DECLARATION}<employee><employee_no>{employee_no}</employee_no>\
                 <name>{}</name><department>{}</department></employee>",
                xml_escape(&employee.name),
                xml_escape(&employee.department)
            ),
        ),
        None => xml_error(
            StatusCode::OK,
            HR_NOT_FOUND,
            &not_found_message(employee_no),
        ),
    }
}

/// The XML prolog of every XML document served.
const XML_DECLARATION: &str = r#"<?xml version="1.0" encoding="UTF-8"?>"#;

/// An `<error>` document with a code and a message.
fn xml_error(status: StatusCode, code: &str, message: &str) -> Response {
    xml_response(
        status,
        format!(
            "{XML_DECLARATION}<error><code>{}</code><message>{}</message></error>",
            xml_escape(code),
            xml_escape(message)
        ),
    )
}

/// An `application/xml` response.
fn xml_response(status: StatusCode, document: String) -> Response {
    with_content_type(status, "application/xml", Body::from(document))
}

/// Escapes the five XML special characters, since names and departments of
/// created employees are arbitrary text.
fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            other => out.push(other),
        }
    }
    out
}

/// The envelope of a get: the employee, or `HR_NOT_FOUND`.
fn get_response(state: &AppState, employee_no: i64) -> Response {
    match state.employee(employee_no) {
        Some(employee) => ok(EmployeeData::new(employee_no, &employee)),
        None => business_error(HR_NOT_FOUND, &not_found_message(employee_no)),
    }
}

/// The business error for a refused update or delete.
fn store_error(employee_no: i64, err: StoreError) -> Response {
    match err {
        StoreError::NotFound => business_error(HR_NOT_FOUND, &not_found_message(employee_no)),
        StoreError::ReadOnly => business_error(
            READ_ONLY,
            &format!("Employee {employee_no} is read-only and cannot be changed"),
        ),
    }
}

/// The message of `HR_NOT_FOUND`.
fn not_found_message(employee_no: i64) -> String {
    format!("Employee {employee_no} not found")
}

/// The message for a path segment that is not an employee number.
fn not_an_integer_message(raw: &str) -> String {
    format!("employee number must be an integer, got {raw:?}")
}

/// The employee number of a `{n}` path segment, or why it is not one.
fn employee_no_from_path(path: Result<Path<String>, PathRejection>) -> Result<i64, String> {
    let Path(raw) = path.map_err(|rejection| rejection.body_text())?;
    raw.parse::<i64>().map_err(|_| not_an_integer_message(&raw))
}

/// An optional string field that, when given, must not be blank.
fn optional_non_empty(
    fields: &serde_json::Map<String, serde_json::Value>,
    field: &str,
) -> Result<Option<String>, String> {
    optional_str(fields, field)
        .and_then(|value| value.map(|value| non_empty(field, value)).transpose())
}

#[cfg(test)]
mod tests {
    use super::xml_escape;

    #[test]
    fn xml_special_characters_are_escaped() {
        assert_eq!(
            xml_escape(r#"<a href="x">Tom & Jerry's</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;"
        );
    }
}
