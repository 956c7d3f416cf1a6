//! The cookie jar: checks on the cookies the responses set, setting one by hand, clearing
//! them. Cookies are sent back by the HTTP layer by domain, path, secure and expiry rules.

use super::{Args, Effect, Family, Kind, Operand, StepDef, Subject, check, def, is, is_not};
use crate::error::Error;
use crate::world::World;

pub const STEPS: &[StepDef] = &[
    check(
        Family::Cookies,
        r#"cookie "{name}" is "{value}""#,
        "The cookie in the jar has exactly this value.",
        r#"Then cookie "sid" is "abc123""#,
        Subject::Cookie,
        is(Kind::Equals, Operand::Text),
    ),
    check(
        Family::Cookies,
        r#"cookie "{name}" is not "{value}""#,
        "The cookie in the jar has another value.",
        r#"Then cookie "theme" is not "dark""#,
        Subject::Cookie,
        is_not(Kind::Equals, Operand::Text),
    ),
    check(
        Family::Cookies,
        r#"cookie "{name}" matches the regex "{regex}""#,
        "The cookie's value is one in which the regular expression finds a match.",
        r#"Then cookie "sid" matches the regex "^[0-9a-f]+$""#,
        Subject::Cookie,
        is(Kind::Matches, Operand::Text),
    ),
    def(
        Family::Cookies,
        r#"cookie "{name}" exists"#,
        "A cookie of that name is in the jar (set by a response, a redirect or by hand).",
        r#"Then cookie "sid" exists"#,
        then_cookie_exists,
    ),
    def(
        Family::Cookies,
        r#"cookie "{name}" does not exist"#,
        "No unexpired cookie of that name is in the jar.",
        r#"Then cookie "sid" does not exist"#,
        then_cookie_not_exists,
    ),
    def(
        Family::Cookies,
        r#"cookie "{name}" "{value}""#,
        "Puts a cookie in the jar for the address of the request (set `Given address` first); it is sent with every request to that host.",
        r#"Given cookie "theme" "dark""#,
        given_cookie,
    ),
    def(
        Family::Cookies,
        "cookies are cleared",
        "Empties the cookie jar (a log-out, without a new scenario).",
        "Given cookies are cleared",
        given_cookies_cleared,
    ),
];

/// The value of the cookie `name` in the jar (the most specific one when several domains or
/// paths set it), or the error listing the cookies there are.
pub(super) fn measure(w: &World, name: &str) -> Result<String, Error> {
    let mut found: Vec<&cookie_store::Cookie<'static>> = w
        .cookies
        .iter_unexpired()
        .filter(|c| c.name() == name)
        .collect();
    found.sort_by_key(|c| std::cmp::Reverse(c.path().map_or(0, |p| p.len())));
    match found.first() {
        Some(cookie) => Ok(cookie.value().to_string()),
        None => Err(missing(w, name)),
    }
}

fn missing(w: &World, name: &str) -> Error {
    let mut names: Vec<String> = w
        .cookies
        .iter_unexpired()
        .map(|c| format!("`{}`", c.name()))
        .collect();
    names.sort();
    names.dedup();
    let actual = if names.is_empty() {
        "an empty cookie jar".to_string()
    } else {
        format!("cookies {}", names.join(", "))
    };
    Error::mismatch(
        format!("cookie `{name}` is not set"),
        format!("a cookie named `{name}`"),
        actual,
    )
    .at_arg(0)
}

fn then_cookie_exists(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let name = a.text(w, 0)?;
    measure(w, &name)?;
    Ok(Effect::Done)
}

fn then_cookie_not_exists(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let name = a.text(w, 0)?;
    match measure(w, &name) {
        Err(_) => Ok(Effect::Done),
        Ok(value) => Err(Error::mismatch(
            format!("cookie `{name}` is set"),
            "no such cookie",
            format!("{value:?}"),
        )
        .at_arg(0)),
    }
}

fn given_cookie(w: &mut World, a: Args<'_>) -> Result<Effect, Error> {
    let name = a.text(w, 0)?;
    let value = a.text(w, 1)?;
    if name.trim().is_empty() || name.contains(['=', ';', ' ']) {
        return Err(Error::invalid(format!("`{name}` is not a cookie name"))
            .at_arg(0)
            .with_hint("a cookie name has no `=`, `;` or spaces"));
    }
    let url = w.request.url().map_err(|e| {
        e.with_hint("set `Given address` before `Given cookie`: a cookie belongs to a host")
    })?;
    w.add_secret(&value);
    w.cookies
        .parse(&format!("{name}={value}; Path=/"), &url)
        .map_err(|e| Error::invalid(format!("cannot set cookie `{name}`: {e}")).at_arg(1))?;
    Ok(Effect::Done)
}

fn given_cookies_cleared(w: &mut World, _: Args<'_>) -> Result<Effect, Error> {
    w.cookies.clear();
    Ok(Effect::Done)
}
