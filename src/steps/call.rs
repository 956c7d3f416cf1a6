//! Reusing a scenario: `Given the scenario "Log in" from "common/auth.feature" is run`.
//!
//! The step itself only stores its parameters (`with "user" = "alice"`) as variables; the
//! plan finds the called scenario and keeps its steps under this one, and the runner runs
//! them right after it, in the caller's World, so what they store, the cookies they receive
//! and the headers they set are there for the caller's next steps.

use super::{Args, Effect, Family, StepDef, def};
use crate::error::Error;
use crate::world::World;

/// The phrase that runs another scenario.
pub const CALL_PHRASE: &str = r#"the scenario "{name}" from "{file}" is run"#;

/// The same, with parameters stored as variables first.
pub const CALL_WITH_PHRASE: &str =
    r#"the scenario "{name}" from "{file}" is run with {parameters}"#;

pub const STEPS: &[StepDef] = &[
    def(
        Family::Reuse,
        CALL_PHRASE,
        "Runs the steps of a scenario of another feature file (its Background first) here, in this scenario's context: what they store, the cookies they get and the headers they set stay for the next steps. The file is looked for beside this one, then in each folder above it (`common/auth.feature` from anywhere under `features/`). Scenarios and features tagged `@library` are only run this way.",
        r#"Given the scenario "Log in as admin" from "common/auth.feature" is run"#,
        given_scenario_is_run,
    ),
    def(
        Family::Reuse,
        CALL_WITH_PHRASE,
        "Same, storing each `\"name\" = \"value\"` as the variable `#name` first (values may refer to variables, config and the environment).",
        r##"Given the scenario "Log in" from "common/auth.feature" is run with "user" = "alice", "password" = "#password""##,
        given_scenario_is_run_with,
    )
    .checked_at_plan(parameters_are_well_formed),
];

fn parameters_are_well_formed(captures: &[String]) -> Result<(), Error> {
    call_parameters(captures.get(2).map_or("", String::as_str)).map(|_| ())
}

fn given_scenario_is_run(_: &mut World, _: Args<'_>) -> Result<Effect, Error> {
    Ok(Effect::Done)
}

fn given_scenario_is_run_with(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let text = a.captures.get(2).map_or("", String::as_str);
    for (name, raw) in call_parameters(text)? {
        let value = w.value(&raw).map_err(|e| e.at_arg(2))?;
        w.store(&name, value);
    }
    Ok(Effect::Done)
}

/// `"user" = "alice", "password" = "#pw"` as (name, value) pairs, values unresolved.
pub fn call_parameters(text: &str) -> Result<Vec<(String, String)>, Error> {
    // The message names parameters, never quotes their values: one may be a password.
    let bad = |why: &str| {
        Error::invalid(format!("the parameters {why}"))
            .at_arg(2)
            .with_hint(r##"write them as "name" = "value", separated by commas: with "user" = "alice", "password" = "#password""##)
    };
    let mut out: Vec<(String, String)> = Vec::new();
    let mut rest = text.trim();
    loop {
        let (name, after) = quoted(rest).ok_or_else(|| bad("do not start with a quoted name"))?;
        let after = after
            .trim_start()
            .strip_prefix('=')
            .ok_or_else(|| bad(&format!("have no `=` after \"{name}\"")))?;
        let (value, after) = quoted(after.trim_start())
            .ok_or_else(|| bad(&format!("have no quoted value after \"{name}\" =")))?;
        if name.is_empty() {
            return Err(bad("name an empty variable"));
        }
        if out.iter().any(|(n, _)| n == name) {
            return Err(bad(&format!("set \"{name}\" twice")));
        }
        out.push((name.to_string(), value.to_string()));
        let after = after.trim_start();
        if after.is_empty() {
            return Ok(out);
        }
        rest = after
            .strip_prefix(',')
            .ok_or_else(|| bad(&format!("have no comma after the value of \"{name}\"")))?
            .trim_start();
    }
}

/// The text between the double quotes `text` starts with, and what follows them.
fn quoted(text: &str) -> Option<(&str, &str)> {
    let inner = text.strip_prefix('"')?;
    let end = inner.find('"')?;
    Some((inner.get(..end)?, inner.get(end + 1..)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_read_in_order() {
        let got = call_parameters(r##""user" = "alice", "password"="#pw""##).unwrap();
        assert_eq!(
            got,
            vec![
                ("user".to_string(), "alice".to_string()),
                ("password".to_string(), "#pw".to_string())
            ]
        );
        let one = call_parameters(r#""empty" = """#).unwrap();
        assert_eq!(one, vec![("empty".to_string(), String::new())]);
    }

    #[test]
    fn malformed_parameters_say_what_is_wrong() {
        for (text, says) in [
            ("user = \"alice\"", "do not start with a quoted name"),
            (r#""user" "alice""#, "no `=` after \"user\""),
            (r#""user" = alice"#, "no quoted value"),
            (
                r#""user" = "a" "pw" = "b""#,
                "no comma after the value of \"user\"",
            ),
            (r#""user" = "a", "user" = "b""#, "set \"user\" twice"),
            (r#""" = "a""#, "empty variable"),
            (r#""user" = "a","#, "do not start with a quoted name"),
        ] {
            let error = call_parameters(text).unwrap_err().to_string();
            assert!(error.contains(says), "{text}: {error}");
        }
    }
}
