//! Storing values for later steps (`I store ...`) and housekeeping (`context is cleaned up`,
//! `I sleep for`, steps that do nothing on purpose).

use serde_json::Value;

use super::{Args, Effect, Family, Kind, Operand, StepDef, Subject, check, def, is, is_not};
use crate::check::JsonType;
use crate::error::{Error, ErrorKind};
use crate::value::config::seconds_to_duration;
use crate::value::random;
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
        Family::Variables,
        "I store a random string under \"{name}\"",
        "Stores `a` followed by 32 random hex characters.",
        r#"Given I store a random string under "name""#,
        given_store_random_string,
    ),
    def(
        Family::Variables,
        "I store a random integer under \"{name}\"",
        "Stores a random integer from 0 to 99.",
        r#"Given I store a random integer under "floor""#,
        given_store_random_integer,
    ),
    def(
        Family::Variables,
        "I store a random float under \"{name}\"",
        "Stores a random number from 0 to 100.",
        r#"Given I store a random float under "score""#,
        given_store_random_float,
    ),
    def(
        Family::Variables,
        r#"I encode "{value}" using Base64 under "{name}""#,
        "Stores the Base64 encoding of the text (UTF-8).",
        r#"Given I encode "hr:hr-secret-pw" using Base64 under "credentials""#,
        given_encode_base64,
    ),
    check(
        Family::Variables,
        r#"variable "{variable}" is a string "{value}""#,
        "The variable (usually `#name`) equals the text.",
        r##"Then variable "#department" is a string "HR""##,
        Subject::Variable,
        is(Kind::Equals, Operand::Text),
    ),
    check(
        Family::Variables,
        r#"variable "{variable}" is an integer "{value}""#,
        "The variable equals the integer (a stored string \"42\" is not 42).",
        r##"Then variable "#employee_no" is an integer "123""##,
        Subject::Variable,
        is(Kind::Equals, Operand::Literal),
    ),
    check(
        Family::Variables,
        r#"variable "{variable}" is a float "{value}""#,
        "The variable equals the number.",
        r##"Then variable "#ratio" is a float "0.25""##,
        Subject::Variable,
        is(Kind::Equals, Operand::Literal),
    ),
    check(
        Family::Variables,
        r#"variable "{variable}" is a list "{value}""#,
        "The variable equals the list, written as a Python or JSON list (`['a', 'b']`).",
        r##"Then variable "#tags" is a list "['a', 'b']""##,
        Subject::Variable,
        is(Kind::Equals, Operand::Literal),
    ),
    check(
        Family::Variables,
        r#"variable "{variable}" is True"#,
        "The variable is the boolean true (the text \"True\" does not count).",
        r##"Then variable "#is_ok" is True"##,
        Subject::Variable,
        is(Kind::Equals, Operand::True),
    ),
    check(
        Family::Variables,
        r#"variable "{variable}" is False"#,
        "The variable is the boolean false.",
        r##"Then variable "#archived" is False"##,
        Subject::Variable,
        is(Kind::Equals, Operand::False),
    ),
    check(
        Family::Variables,
        r#"variable "{variable}" is an empty list"#,
        "The variable is [].",
        r##"Then variable "#projects" is an empty list"##,
        Subject::Variable,
        is(Kind::EmptyList, Operand::None),
    ),
    check(
        Family::Variables,
        r#"variable "{variable}" is any string"#,
        "The variable is text.",
        r##"Then variable "#name" is any string"##,
        Subject::Variable,
        is(Kind::Type(JsonType::String), Operand::None),
    ),
    check(
        Family::Variables,
        r#"variable "{variable}" is any list"#,
        "The variable is a list.",
        r##"Then variable "#tags" is any list"##,
        Subject::Variable,
        is(Kind::Type(JsonType::List), Operand::None),
    ),
    check(
        Family::Variables,
        r#"variable "{variable}" is any dict"#,
        "The variable is an object.",
        r##"Then variable "#employee" is any dict"##,
        Subject::Variable,
        is(Kind::Type(JsonType::Object), Operand::None),
    ),
    check(
        Family::Variables,
        r#"variable "{variable}" is any integer"#,
        "The variable is an integer.",
        r##"Then variable "#employee_no" is any integer"##,
        Subject::Variable,
        is(Kind::Type(JsonType::Integer), Operand::None),
    ),
    check(
        Family::Variables,
        r#"variable "{variable}" is any float"#,
        "The variable is a number with a fraction.",
        r##"Then variable "#ratio" is any float"##,
        Subject::Variable,
        is(Kind::Type(JsonType::Float), Operand::None),
    ),
    check(
        Family::Variables,
        r#"variable "{variable}" is any Boolean"#,
        "The variable is true or false.",
        r##"Then variable "#is_ok" is any Boolean"##,
        Subject::Variable,
        is(Kind::Type(JsonType::Bool), Operand::None),
    ),
    check(
        Family::Variables,
        r#"variable "{variable}" is any UUID4"#,
        "The variable is a version-4 UUID (with or without dashes).",
        r##"Then variable "#request_id" is any UUID4"##,
        Subject::Variable,
        is(Kind::Uuid4, Operand::None),
    ),
    check(
        Family::Variables,
        r#"variable "{variable}" matches the regex "{regex}""#,
        "The variable is a string in which the regular expression finds a match.",
        r##"Then variable "#cid" matches the regex "^[0-9a-f]{32}$""##,
        Subject::Variable,
        is(Kind::Matches, Operand::Text),
    ),
    check(
        Family::Variables,
        r#"variable "{variable}" does not match the regex "{regex}""#,
        "The value is not a string the regular expression finds a match in.",
        r##"Then variable "#cid" does not match the regex "[A-Z]""##,
        Subject::Variable,
        is_not(Kind::Matches, Operand::Text),
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

fn given_store_value(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let value = a.value(w, 0)?;
    let name = a.name(w, 1)?;
    w.store(&name, value);
    Ok(Effect::Done)
}

fn then_store_from_response(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let pointer = a.text(w, 0)?;
    let name = a.name(w, 1)?;
    let value = crate::check::lookup(w.response()?.json()?, &pointer)?.clone();
    w.store(&name, value);
    Ok(Effect::Done)
}

fn then_store_from_response_default(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let pointer = a.text(w, 0)?;
    let name = a.name(w, 1)?;
    let default = a.value(w, 2)?;
    let value = match crate::check::lookup(w.response()?.json()?, &pointer) {
        Ok(found) => found.clone(),
        Err(e) if matches!(*e.kind, ErrorKind::PathNotFound { .. }) => default,
        Err(e) => return Err(e),
    };
    w.store(&name, value);
    Ok(Effect::Done)
}

fn given_store_random_string(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let name = a.name(w, 0)?;
    w.store(&name, Value::String(random::string()));
    Ok(Effect::Done)
}

fn given_store_random_integer(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let name = a.name(w, 0)?;
    w.store(&name, random::integer());
    Ok(Effect::Done)
}

fn given_store_random_float(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let name = a.name(w, 0)?;
    w.store(&name, random::float());
    Ok(Effect::Done)
}

fn given_encode_base64(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let text = a.text(w, 0)?;
    let name = a.name(w, 1)?;
    let encoded =
        base64::Engine::encode(&base64::engine::general_purpose::STANDARD, text.as_bytes());
    // The encoding of a secret reveals it as surely as the secret itself.
    if w.secrets
        .as_slice()
        .iter()
        .any(|s| text.contains(s.as_str()))
    {
        w.add_secret(&encoded);
    }
    w.store(&name, Value::String(encoded));
    Ok(Effect::Done)
}

fn noop(_: &mut World, _: Args<'_>) -> Result<Effect, Error> {
    Ok(Effect::Done)
}

fn given_sleep(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let text = a.text(w, 0)?;
    let seconds: f64 = text
        .trim()
        .parse()
        .map_err(|_| Error::invalid(format!("`{text}` is not a number of seconds")).at_arg(0))?;
    if seconds == 0.0 {
        return Ok(Effect::Done);
    }
    let duration = seconds_to_duration(seconds).ok_or_else(|| {
        Error::invalid(format!(
            "cannot sleep for `{text}` seconds: the time must be a positive number"
        ))
        .at_arg(0)
    })?;
    Ok(Effect::Sleep(duration))
}

fn then_context_cleaned_up(w: &mut World, _: Args<'_>) -> Result<Effect, Error> {
    // Secrets seen so far must stay redacted in this scenario's report.
    let secrets = std::mem::take(&mut w.secrets);
    let transcript = std::mem::take(&mut w.transcript);
    w.reset();
    w.secrets = secrets;
    w.transcript = transcript;
    Ok(Effect::Done)
}

fn then_form_cleaned_up(w: &mut World, _: Args<'_>) -> Result<Effect, Error> {
    w.request.form.clear();
    w.request.files.clear();
    Ok(Effect::Done)
}

fn then_context_logged(w: &mut World, _: Args<'_>) -> Result<Effect, Error> {
    let mut stored: Vec<(&String, &Value)> = w.vars.iter().collect();
    stored.sort_unstable_by_key(|&(name, _)| name);
    let mut text = String::from("stored values:");
    for (name, value) in stored {
        text.push_str(&format!("\n  #{name} = {value}"));
    }
    w.transcript.push(text);
    Ok(Effect::Done)
}
