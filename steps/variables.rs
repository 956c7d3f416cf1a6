//! Storing values for later steps (`I store ...`) and housekeeping (`context is cleaned up`,
//! `I sleep for`, steps that do nothing on purpose).

use serde_json::Value;

use super::{Args, Effect, Family, StepDef, def};
use crate::check;
use crate::error::{ErrorKind, StepError};
use crate::value::config::seconds_to_duration;
use crate::world::World;

pub const STEPS: &[StepDef] = &[
    def(
        Family::Variables,
        r#"I store "{value}" under "{name}""#,
        "Stores a value (text, or a referenced value with its type) under a name, readable later as `#name`.",
        r#"Given I store "123" under "employee_id""#,
        given_store_value,
    ),
    def(
        Family::Variables,
        r#"I store "{path}" from response under "{name}""#,
        "Stores the value at a JSON Pointer of the response, type kept; a missing path fails.",
        r#"Then I store "/data/employee_no" from response under "employee_no""#,
        then_store_from_response,
    ),
    def(
        Family::Variables,
        r#"I store "{path}" from response under "{name}", default "{default}""#,
        "Same, but a missing path stores the default text instead of failing.",
        r#"Then I store "/data/nickname" from response under "nickname", default "none""#,
        then_store_from_response_default,
    ),
    def(
        Family::Housekeeping,
        "this step is invoked",
        "Does nothing (for scenarios that only work with variables).",
        "When this step is invoked",
        noop,
    ),
    def(
        Family::Housekeeping,
        "this scenario is invoked",
        "Does nothing (for scenarios that only work with variables).",
        "When this scenario is invoked",
        noop,
    ),
    def(
        Family::Housekeeping,
        "I proceed further",
        "Does nothing.",
        "Then I proceed further",
        noop,
    ),
    def(
        Family::Housekeeping,
        r#"I sleep for "{sleep_time}""#,
        "Waits that many seconds (fractions allowed).",
        r#"Given I sleep for "0.5""#,
        given_sleep,
    ),
    def(
        Family::Housekeeping,
        "context is cleaned up",
        "Forgets the request settings, headers, auth, response and stored values.",
        "Then context is cleaned up",
        then_context_cleaned_up,
    ),
    def(
        Family::Housekeeping,
        "form is cleaned up",
        "Drops the form fields and uploads.",
        "Then form is cleaned up",
        then_form_cleaned_up,
    ),
    def(
        Family::Housekeeping,
        "context is logged",
        "Writes the stored values to the verbose transcript (`-v`).",
        "Then context is logged",
        then_context_logged,
    ),
];

fn given_store_value(w: &mut World, a: Args<'_>) -> Result<Effect, StepError> {
    let value = w.arg_value(a, 0)?;
    let name = w.arg_text(a, 1)?;
    w.store(&name, value);
    Ok(Effect::Done)
}

fn then_store_from_response(w: &mut World, a: Args<'_>) -> Result<Effect, StepError> {
    let pointer = w.arg_text(a, 0)?;
    let name = w.arg_text(a, 1)?;
    let value = check::lookup(w.response()?.json()?, &pointer)?.clone();
    w.store(&name, value);
    Ok(Effect::Done)
}

fn then_store_from_response_default(w: &mut World, a: Args<'_>) -> Result<Effect, StepError> {
    let pointer = w.arg_text(a, 0)?;
    let name = w.arg_text(a, 1)?;
    let default = w.arg_value(a, 2)?;
    let value = match check::lookup(w.response()?.json()?, &pointer) {
        Ok(found) => found.clone(),
        Err(e) if matches!(*e.kind, ErrorKind::PathNotFound { .. }) => default,
        Err(e) => return Err(e),
    };
    w.store(&name, value);
    Ok(Effect::Done)
}

fn noop(_: &mut World, _: Args<'_>) -> Result<Effect, StepError> {
    Ok(Effect::Done)
}

fn given_sleep(w: &mut World, a: Args<'_>) -> Result<Effect, StepError> {
    let text = w.arg_text(a, 0)?;
    let seconds: f64 = text.trim().parse().map_err(|_| {
        StepError::invalid(format!("`{text}` is not a number of seconds")).at_arg(0)
    })?;
    if seconds == 0.0 {
        return Ok(Effect::Done);
    }
    let duration = seconds_to_duration(seconds).ok_or_else(|| {
        StepError::invalid(format!(
            "cannot sleep for `{text}` seconds: the time must be a positive number"
        ))
        .at_arg(0)
    })?;
    Ok(Effect::Sleep(duration))
}

fn then_context_cleaned_up(w: &mut World, _: Args<'_>) -> Result<Effect, StepError> {
    // Secrets seen so far must stay redacted in this scenario's report.
    let secrets = std::mem::take(&mut w.secrets);
    let transcript = std::mem::take(&mut w.transcript);
    w.reset();
    w.secrets = secrets;
    w.transcript = transcript;
    Ok(Effect::Done)
}

fn then_form_cleaned_up(w: &mut World, _: Args<'_>) -> Result<Effect, StepError> {
    w.request.form.clear();
    w.request.files.clear();
    Ok(Effect::Done)
}

fn then_context_logged(w: &mut World, _: Args<'_>) -> Result<Effect, StepError> {
    let mut names: Vec<&String> = w.vars.keys().collect();
    names.sort();
    let mut text = String::from("stored values:");
    for name in names {
        let value = w.vars.get(name).cloned().unwrap_or(Value::Null);
        text.push_str(&format!("\n  #{name} = {value}"));
    }
    w.transcript.push(text);
    Ok(Effect::Done)
}
