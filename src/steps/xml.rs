//! XML requests and responses, checked and edited with XPath 1.0: the zato-apitest 1.x
//! `XPath "..."` family, mirroring the JSON Pointer steps, plus namespace prefixes and the
//! SOAP action header.
//!
//! XML text has no types, so typed checks read the selected text as the type asked for:
//! `XPath "/a/no" is an integer "5"` passes for `<no>5</no>` and for `<no> 5 </no>`.

use serde_json::Value;

use super::{
    Args, Effect, Family, Kind, Operand, Read, StepDef, Subject, Target, check, def, is, is_not,
    set,
};
use crate::check::JsonType;
use crate::contract::index::essence;
use crate::error::Error;
use crate::http::Body;
use crate::world::World;
use crate::xml::{XValue, XmlDoc};

pub const STEPS: &[StepDef] = &[
    def(
        Family::Xml,
        r#"namespace prefix "{prefix}" of "{namespace}""#,
        "Lets XPath expressions use `prefix:` for the namespace URI (prefixes declared on the document's root work without this).",
        r#"Given namespace prefix "emp" of "http://example.com/employee""#,
        given_namespace,
    ),
    def(
        Family::Xml,
        r#"SOAP action "{value}""#,
        "Sets the SOAPAction header of a SOAP 1.1 request.",
        r#"Given SOAP action "urn:get-employee""#,
        given_soap_action,
    ),
    set(
        Family::Xml,
        r#"XPath "{xpath}" in request is "{value}""#,
        "Sets the text of every element (or the value of every attribute) the XPath selects in the XML request.",
        r#"Given XPath "/employee/name" in request is "Jane Roe""#,
        Target::RequestXPath,
        Operand::Text,
    ),
    set(
        Family::Xml,
        r#"XPath "{xpath}" in request is an integer "{value}""#,
        "Sets an integer (checked to be one) as the selected text.",
        r#"Given XPath "/employee/employee_no" in request is an integer "123""#,
        Target::RequestXPath,
        Operand::Integer,
    ),
    set(
        Family::Xml,
        r#"XPath "{xpath}" in request is a float "{value}""#,
        "Sets a number (checked to be one) as the selected text.",
        r#"Given XPath "/employee/salary" in request is a float "1234.5""#,
        Target::RequestXPath,
        Operand::Float,
    ),
    set(
        Family::Xml,
        r#"XPath "{xpath}" in request is True"#,
        "Sets the selected text to `true`.",
        r#"Given XPath "/employee/active" in request is True"#,
        Target::RequestXPath,
        Operand::True,
    ),
    set(
        Family::Xml,
        r#"XPath "{xpath}" in request is False"#,
        "Sets the selected text to `false`.",
        r#"Given XPath "/employee/active" in request is False"#,
        Target::RequestXPath,
        Operand::False,
    ),
    set(
        Family::Xml,
        r#"XPath "{xpath}" in request is one of "{value}""#,
        "Sets one of the comma-separated values, picked at random.",
        r#"Given XPath "/employee/department" in request is one of "HR, Payroll""#,
        Target::RequestXPath,
        Operand::PickOne,
    ),
    set(
        Family::Xml,
        r#"XPath "{xpath}" in request is a random string"#,
        "Sets `a` followed by 32 random hex characters.",
        r#"Given XPath "/employee/name" in request is a random string"#,
        Target::RequestXPath,
        Operand::RandomString,
    ),
    set(
        Family::Xml,
        r#"XPath "{xpath}" in request is a random integer"#,
        "Sets a random integer from 0 to 99.",
        r#"Given XPath "/employee/floor" in request is a random integer"#,
        Target::RequestXPath,
        Operand::RandomInteger,
    ),
    set(
        Family::Xml,
        r#"XPath "{xpath}" in request is a UUID4"#,
        "Sets a random UUID4 (32 hex characters).",
        r#"Given XPath "/employee/request_id" in request is a UUID4"#,
        Target::RequestXPath,
        Operand::Uuid4,
    ),
    check(
        Family::Xml,
        r#"XPath "{xpath}" is "{value}""#,
        "The selected text (or the XPath's string result) equals the text.",
        r#"Then XPath "/employee/name" is "John Doe""#,
        Subject::XPath(Read::Text),
        is(Kind::Equals, Operand::Text),
    ),
    check(
        Family::Xml,
        r#"XPath "{xpath}" is an integer "{value}""#,
        "The selected text is that integer.",
        r#"Then XPath "/employee/employee_no" is an integer "123""#,
        Subject::XPath(Read::Integer),
        is(Kind::Equals, Operand::Integer),
    ),
    check(
        Family::Xml,
        r#"XPath "{xpath}" is a float "{value}""#,
        "The selected text is that number (or `count(...)` gives it).",
        r#"Then XPath "count(//employee)" is a float "1""#,
        Subject::XPath(Read::Float),
        is(Kind::Equals, Operand::Float),
    ),
    check(
        Family::Xml,
        r#"XPath "{xpath}" is True"#,
        "The selected text is `true` (or `1`), or the XPath's boolean result is true.",
        r#"Then XPath "boolean(/employee/name)" is True"#,
        Subject::XPath(Read::Bool),
        is(Kind::Equals, Operand::True),
    ),
    check(
        Family::Xml,
        r#"XPath "{xpath}" is False"#,
        "The selected text is `false` (or `0`), or the XPath's boolean result is false.",
        r#"Then XPath "boolean(/employee/manager)" is False"#,
        Subject::XPath(Read::Bool),
        is(Kind::Equals, Operand::False),
    ),
    check(
        Family::Xml,
        r#"XPath "{xpath}" is empty"#,
        "The selected text is empty.",
        r#"Then XPath "/employee/nickname" is empty"#,
        Subject::XPath(Read::Text),
        is(Kind::EmptyString, Operand::None),
    ),
    check(
        Family::Xml,
        r#"XPath "{xpath}" is not empty"#,
        "The XPath selects something whose text is not empty.",
        r#"Then XPath "/employee/name" is not empty"#,
        Subject::XPath(Read::Text),
        is_not(Kind::Blank, Operand::None),
    ),
    check(
        Family::Xml,
        r#"XPath "{xpath}" is one of "{value}""#,
        "The selected text is one of the comma-separated values.",
        r#"Then XPath "/employee/department" is one of "HR, Payroll""#,
        Subject::XPath(Read::Text),
        is(Kind::OneOf, Operand::List),
    ),
    check(
        Family::Xml,
        r#"XPath "{xpath}" is not one of "{value}""#,
        "The selected text is none of the comma-separated values.",
        r#"Then XPath "/employee/department" is not one of "Sales, Legal""#,
        Subject::XPath(Read::Text),
        is_not(Kind::OneOf, Operand::List),
    ),
    check(
        Family::Xml,
        r#"XPath "{xpath}" is any integer"#,
        "The selected text reads as an integer.",
        r#"Then XPath "/employee/employee_no" is any integer"#,
        Subject::XPath(Read::Integer),
        is(Kind::Type(JsonType::Integer), Operand::None),
    ),
    check(
        Family::Xml,
        r#"XPath "{xpath}" is any float"#,
        "The selected text reads as a number.",
        r#"Then XPath "/employee/salary" is any float"#,
        Subject::XPath(Read::Float),
        is(Kind::Type(JsonType::Number), Operand::None),
    ),
    check(
        Family::Xml,
        r#"XPath "{xpath}" starts with "{value}""#,
        "The selected text starts with the text.",
        r#"Then XPath "/employee/name" starts with "John""#,
        Subject::XPath(Read::Text),
        is(Kind::StartsWith, Operand::Text),
    ),
    check(
        Family::Xml,
        r#"XPath "{xpath}" ends with "{value}""#,
        "The selected text ends with the text.",
        r#"Then XPath "/employee/name" ends with "Doe""#,
        Subject::XPath(Read::Text),
        is(Kind::EndsWith, Operand::Text),
    ),
    check(
        Family::Xml,
        r#"XPath "{xpath}" matches the regex "{regex}""#,
        "The text the XPath selects is one in which the regular expression finds a match.",
        r#"Then XPath "//employee/name" matches the regex "^John""#,
        Subject::XPath(Read::Text),
        is(Kind::Matches, Operand::Text),
    ),
    check(
        Family::Xml,
        r#"XPath "{xpath}" does not match the regex "{regex}""#,
        "The value is not a string the regular expression finds a match in.",
        r#"Then XPath "//employee/name" does not match the regex "^Jane""#,
        Subject::XPath(Read::Text),
        is_not(Kind::Matches, Operand::Text),
    ),
    check(
        Family::Xml,
        r#"XPath "{xpath}" contains "{value}""#,
        "One of the selected nodes has exactly this text.",
        r#"Then XPath "//employee/name" contains "John Doe""#,
        Subject::XPath(Read::Text),
        is(Kind::HasElement, Operand::Text),
    ),
    def(
        Family::Xml,
        r#"XPath "{xpath}" exists"#,
        "The XPath selects at least one node.",
        r#"Then XPath "/employee/name" exists"#,
        then_xpath_exists,
    ),
    def(
        Family::Xml,
        r#"XPath "{xpath}" does not exist"#,
        "The XPath selects nothing.",
        r#"Then XPath "/employee/password" does not exist"#,
        then_xpath_not_exists,
    ),
];

fn xml_error(e: crate::xml::XmlError, arg: usize) -> Error {
    Error::invalid(e.message).at_arg(arg)
}

fn given_namespace(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let prefix = a.text(w, 0)?;
    let uri = a.text(w, 1)?;
    w.namespaces.retain(|(p, _)| *p != prefix);
    w.namespaces.push((prefix, uri));
    Ok(Effect::Done)
}

fn given_soap_action(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let action = a.text(w, 0)?;
    w.request.set_header("SOAPAction", format!("\"{action}\""));
    Ok(Effect::Done)
}

/// Sets `text` at the XPath of argument 0 in the XML request body.
pub(super) fn set_in_request(w: &mut World, a: Args<'_>, text: String) -> Result<Effect, Error> {
    let xpath = a.text(w, 0)?;
    let Body::Text(body) = &w.request.body else {
        return Err(Error::invalid(format!("cannot set `{xpath}`: the request has no XML body"))
            .at_arg(0)
            .with_hint("set `Given format \"XML\"` and the body (`Given request is \"<a/>\"` or a data file) first"));
    };
    let mut doc = XmlDoc::parse(body).map_err(|e| xml_error(e, 0))?;
    doc.set(&xpath, &w.namespaces, &text)
        .map_err(|e| xml_error(e, 0))?;
    w.request.body = Body::Text(doc.to_string());
    Ok(Effect::Done)
}

/// What the XPath selects in the response, read as a check wants it: the first node's text
/// (typed by `read`), or every node's text when `listed`.
pub(super) fn measure(w: &World, xpath: &str, read: Read, listed: bool) -> Result<Value, Error> {
    Ok(match query(w, xpath)? {
        XValue::Nodes(nodes) if nodes.is_empty() => return Err(selects_nothing(xpath)),
        XValue::Nodes(nodes) if listed => {
            Value::Array(nodes.into_iter().map(Value::String).collect())
        }
        XValue::Nodes(nodes) => typed(nodes.into_iter().next().unwrap_or_default(), read),
        XValue::String(s) if listed => Value::Array(vec![Value::String(s)]),
        XValue::String(s) => typed(s, read),
        XValue::Number(n) => serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number),
        XValue::Boolean(b) => Value::Bool(b),
    })
}

fn selects_nothing(xpath: &str) -> Error {
    Error::mismatch(
        format!("XPath `{xpath}` selects nothing in the response"),
        "at least one node",
        "an empty node-set",
    )
    .at_arg(0)
}

/// The text of a node read as the type a check wants; text that does not read stays text,
/// so the check fails saying what the text was.
fn typed(text: String, read: Read) -> Value {
    let t = text.trim();
    match read {
        Read::Text => Value::String(text),
        Read::Integer => t
            .parse::<i64>()
            .map_or(Value::String(text.clone()), Value::from),
        Read::Float => t
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or(Value::String(text.clone()), Value::Number),
        Read::Bool => match t {
            "true" | "1" => Value::Bool(true),
            "false" | "0" => Value::Bool(false),
            _ => Value::String(text),
        },
    }
}

/// The XPath's result on the XML response.
fn query(w: &World, xpath: &str) -> Result<XValue, Error> {
    let response = w.response()?;
    let html = response
        .header("Content-Type")
        .is_some_and(|t| essence(t) == "text/html");
    let doc = if html {
        XmlDoc::parse_html(&response.text())
    } else {
        XmlDoc::parse(&response.text())
    };
    let doc = doc.map_err(|e| {
        let what = if html {
            "an HTML page XPath can read"
        } else {
            "XML"
        };
        Error::invalid(format!("the response is not {what}: {}", e.message))
            .with_detail("body starts with", response.preview(60))
    })?;
    doc.query(xpath, &w.namespaces).map_err(|e| xml_error(e, 0))
}

fn then_xpath_exists(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let xpath = a.text(w, 0)?;
    match query(w, &xpath)? {
        XValue::Nodes(nodes) if nodes.is_empty() => Err(selects_nothing(&xpath)),
        _ => Ok(Effect::Done),
    }
}

fn then_xpath_not_exists(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let xpath = a.text(w, 0)?;
    match query(w, &xpath)? {
        XValue::Nodes(nodes) if !nodes.is_empty() => Err(Error::mismatch(
            format!(
                "XPath `{xpath}` selects {} node{}",
                nodes.len(),
                if nodes.len() == 1 { "" } else { "s" }
            ),
            "nothing",
            format!("{:?}", nodes.first().cloned().unwrap_or_default()),
        )
        .at_arg(0)),
        XValue::Nodes(_) => Ok(Effect::Done),
        other => Err(Error::invalid(format!(
            "XPath `{xpath}` gives a value ({other:?}), not nodes; `does not exist` needs a path"
        ))
        .at_arg(0)),
    }
}
