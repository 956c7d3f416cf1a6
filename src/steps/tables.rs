//! Steps that read a data table: several request headers, query parameters, form fields or
//! JSON fields set at once, and several paths of the response checked at once. Each row does
//! what the one-line step of the same meaning does (`header "X" "Y"`, `path "/a" is "b"`),
//! so the two forms cannot drift apart; a failing row is named by its line.
//!
//! The first row of every table names its columns (`| name | value |`), so a table reads on
//! its own and a table written for another step is caught when the plan is built.

use super::def::{Args, Effect, Family, StepDef, def};
use super::registry::REGISTRY;
use crate::error::Error;
use crate::gherkin::TableRow;
use crate::http::Body;
use crate::http::url_component as encode;
use crate::value::Lookup;
use crate::world::World;

pub const STEPS: &[StepDef] = &[
    def(
        Family::Request,
        "request headers are:",
        "Adds the request headers of the table under the step (`| name | value |`), as `header` does for one.",
        "Given request headers are:",
        given_headers,
    )
    .with_table(&["name", "value"]),
    def(
        Family::Request,
        "query parameters are:",
        "Adds the query parameters of the table (`| name | value |`), each URL-encoded, after any `query string`.",
        "Given query parameters are:",
        given_query_parameters,
    )
    .with_table(&["name", "value"]),
    def(
        Family::Request,
        "form fields are:",
        "Adds the form fields of the table (`| name | value |`), as `form field ... is ...` does for one.",
        "Given form fields are:",
        given_form_fields,
    )
    .with_table(&["name", "value"]),
    def(
        Family::Request,
        "JSON fields in request are:",
        "Sets each JSON Pointer of the table (`| path | value |`) in the request body; a request with no body starts from `{}`.",
        "Given JSON fields in request are:",
        given_json_fields,
    )
    .with_table(&["path", "value"]),
    def(
        Family::Json,
        "the response has:",
        "Checks each JSON Pointer of the table (`| path | is |`), as `path ... is ...` does for one; every failing row is listed.",
        "Then the response has:",
        then_response_has,
    )
    .with_table(&["path", "is"]),
];

/// The data rows of the step's table: every row but the one naming the columns.
fn data_rows<'a>(a: &Args<'a>) -> Result<&'a [TableRow], Error> {
    // The plan refuses such a step without its table; this keeps the function total.
    let table = a.table.ok_or_else(|| {
        Error::invalid("this step reads the data table under it, and it has none")
    })?;
    Ok(table.rows.get(1..).unwrap_or_default())
}

/// Runs the one-line step `phrase` with the two cells of `row` as its arguments. An error
/// names the row, since the table step's own text has no argument to underline.
fn run_row(w: &mut World, phrase: &str, row: &TableRow) -> Result<Effect, Error> {
    let Some(step) = REGISTRY.defs.iter().find(|d| d.phrase == phrase) else {
        return Err(Error::invalid(format!(
            "the step library has no `{phrase}`"
        )));
    };
    let args = Args {
        captures: &row.cells,
        docstring: None,
        table: None,
    };
    step.run.call(w, args).map_err(|e| in_row(e, row))
}

fn in_row(mut e: Error, row: &TableRow) -> Error {
    e.arg = None;
    e.with_note(format!("in the table row at line {}", row.line))
}

fn each_row(w: &mut World, a: &Args<'_>, phrase: &str) -> Result<Effect, Error> {
    for row in data_rows(a)? {
        run_row(w, phrase, row)?;
    }
    Ok(Effect::Done)
}

fn given_headers(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    each_row(w, &a, r#"header "{header}" "{value}""#)
}

fn given_form_fields(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    each_row(w, &a, r#"form field "{name}" is "{value}""#)
}

fn given_json_fields(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    if matches!(w.request.body, Body::None) {
        w.request.body = Body::Json(serde_json::Value::Object(serde_json::Map::new()));
    }
    each_row(w, &a, r#"path "{path}" in request is "{value}""#)
}

fn given_query_parameters(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let mut query = w.request.query.clone();
    for row in data_rows(&a)? {
        let args = Args {
            captures: &row.cells,
            docstring: None,
            table: None,
        };
        let name = args.text(w, 0).map_err(|e| in_row(e, row))?;
        let value = args.text(w, 1).map_err(|e| in_row(e, row))?;
        if name.is_empty() {
            return Err(in_row(
                Error::invalid("a query parameter needs a name"),
                row,
            ));
        }
        if w.is_secret_name(&name) {
            w.add_secret(&value);
        }
        query.push(if query.is_empty() { '?' } else { '&' });
        query.push_str(&encode(&name));
        query.push('=');
        query.push_str(&encode(&value));
    }
    w.request.query = query;
    Ok(Effect::Done)
}

fn then_response_has(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let mut failures: Vec<Error> = Vec::new();
    for row in data_rows(&a)? {
        if let Err(e) = run_row(w, r#"path "{path}" is "{value}""#, row) {
            // A request that cannot be read fails every row alike: one message says it.
            if !e.is_assertion() {
                return Err(e);
            }
            failures.push(e);
        }
    }
    let mut failures = failures.into_iter();
    let Some(mut error) = failures.next() else {
        return Ok(Effect::Done);
    };
    // The first failing row is the error; the others are listed under it.
    for other in failures {
        let line = other
            .notes
            .first()
            .cloned()
            .unwrap_or_else(|| "in another row".to_string());
        error = error.with_detail("also failing", format!("{other} ({line})"));
    }
    Err(error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_query_components() {
        assert_eq!(encode("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
        assert_eq!(encode("plain-text_1.0~"), "plain-text_1.0~");
    }

    #[test]
    fn every_row_phrase_is_in_the_library() {
        for phrase in [
            r#"header "{header}" "{value}""#,
            r#"form field "{name}" is "{value}""#,
            r#"path "{path}" in request is "{value}""#,
            r#"path "{path}" is "{value}""#,
        ] {
            assert!(REGISTRY.defs.iter().any(|d| d.phrase == phrase), "{phrase}");
        }
    }
}
