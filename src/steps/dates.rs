//! Dates: named formats in the token syntax of Python's arrow library, as Zato's apitest
//! uses them (`date format "short" "YYYY-MM-DD"`; `default` is `YYYY-MM-DDTHH:mm:ss`), and the
//! steps that put the current time or a random date into the request or a variable.

use chrono::{DateTime, FixedOffset, Local, Utc};
use serde_json::Value;

use super::http::set_in_request;
use super::{Args, Effect, Family, StepDef, def};
use crate::error::Error;
use crate::value::dates::{self, DateError};
use crate::world::World;

pub const STEPS: &[StepDef] = &[
    def(
        Family::Request,
        r#"date format "{name}" "{format}""#,
        "Registers a date format (arrow tokens: YYYY MM DD HH mm ss ...) under a name for the date steps.",
        r#"Given date format "short" "YYYY-MM-DD""#,
        given_date_format,
    ),
    def(
        Family::Request,
        r#"path "{path}" in request is now "{format}""#,
        "Sets the local time, written in the named date format.",
        r#"Given path "/created" in request is now "default""#,
        given_now_local,
    ),
    def(
        Family::Request,
        r#"path "{path}" in request is UTC now "{format}""#,
        "Sets the current UTC time, written in the named date format.",
        r#"Given path "/created" in request is UTC now "default""#,
        given_now_utc,
    ),
    def(
        Family::Request,
        r#"path "{path}" in request is UTC now "{format}" minus one hour"#,
        "Sets the UTC time one hour ago (broken in Zato 24.10.1; works here).",
        r#"Given path "/since" in request is UTC now "default" minus one hour"#,
        given_utc_minus_hour,
    ),
    def(
        Family::Request,
        r#"path "{path}" in request is a random date "{format}""#,
        "Sets the current time in the named format (what Zato's step gives).",
        r#"Given path "/hired" in request is a random date "short""#,
        given_now_local,
    ),
    def(
        Family::Request,
        r#"path "{path}" in request is a random date after "{date_start}" "{format}""#,
        "Sets a random date within five years after the start date (written in the same format).",
        r#"Given path "/hired" in request is a random date after "2024-01-01" "short""#,
        given_random_after,
    ),
    def(
        Family::Request,
        r#"path "{path}" in request is a random date before "{date_end}" "{format}""#,
        "Sets a random date within five years before the end date.",
        r#"Given path "/born" in request is a random date before "2000-01-01" "short""#,
        given_random_before,
    ),
    def(
        Family::Request,
        r#"path "{path}" in request is a random date between "{date_start}" and "{date_end}" "{format}""#,
        "Sets a random date between the two dates.",
        r#"Given path "/hired" in request is a random date between "2024-01-01" and "2024-12-31" "short""#,
        given_random_between,
    ),
    def(
        Family::Variables,
        r#"I store a random date under "{name}", format "{format}""#,
        "Stores the current time in the named format.",
        r#"Given I store a random date under "today", format "short""#,
        given_store_date,
    ),
];

fn date_error(e: DateError, arg: usize) -> Error {
    Error::invalid(e.message).at_arg(arg)
}

/// The named format of argument `arg`, and `t` written with it.
fn written(
    w: &mut World,
    a: Args<'_>,
    arg: usize,
    t: &DateTime<FixedOffset>,
) -> Result<Value, Error> {
    let name = a.text(w, arg)?;
    let format = w.date_formats.get(&name).map_err(|e| date_error(e, arg))?;
    Ok(Value::String(format.format(t)))
}

/// A date argument read with the named format of argument `format_arg`.
fn read_date(
    w: &mut World,
    a: Args<'_>,
    arg: usize,
    format_arg: usize,
) -> Result<DateTime<FixedOffset>, Error> {
    let text = a.text(w, arg)?;
    let name = a.text(w, format_arg)?;
    let format = w
        .date_formats
        .get(&name)
        .map_err(|e| date_error(e, format_arg))?;
    format.parse_datetime(&text).map_err(|e| date_error(e, arg))
}

fn given_date_format(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let name = a.text(w, 0)?;
    let pattern = a.text(w, 1)?;
    w.date_formats
        .register(&name, &pattern)
        .map_err(|e| date_error(e, 1))?;
    Ok(Effect::Done)
}

fn given_now_local(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let now = Local::now().fixed_offset();
    let value = written(w, a, 1, &now)?;
    set_in_request(w, a, value)
}

fn given_now_utc(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let now = Utc::now().fixed_offset();
    let value = written(w, a, 1, &now)?;
    set_in_request(w, a, value)
}

fn given_utc_minus_hour(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let then = (Utc::now() - chrono::Duration::hours(1)).fixed_offset();
    let value = written(w, a, 1, &then)?;
    set_in_request(w, a, value)
}

fn given_random_after(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let start = read_date(w, a, 1, 2)?;
    let picked = dates::random_after(start).map_err(|e| date_error(e, 1))?;
    let value = written(w, a, 2, &picked)?;
    set_in_request(w, a, value)
}

fn given_random_before(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let end = read_date(w, a, 1, 2)?;
    let picked = dates::random_before(end).map_err(|e| date_error(e, 1))?;
    let value = written(w, a, 2, &picked)?;
    set_in_request(w, a, value)
}

fn given_random_between(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let start = read_date(w, a, 1, 3)?;
    let end = read_date(w, a, 2, 3)?;
    let picked = dates::random_between(start, end).map_err(|e| date_error(e, 2))?;
    let value = written(w, a, 3, &picked)?;
    set_in_request(w, a, value)
}

fn given_store_date(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let name = a.name(w, 0)?;
    let now = Local::now().fixed_offset();
    let value = written(w, a, 1, &now)?;
    w.store(&name, value);
    Ok(Effect::Done)
}
