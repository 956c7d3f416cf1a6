//! `${VAR}` and `${VAR:-default}` in config values, expanded from the environment (and the
//! project's `.env` file) when the config is read.
//!
//! Only the braced forms are expanded: a bare `$` is common in passwords and URLs, and a
//! config that worked before must not change meaning. `$${` writes a literal `${`.

use std::fmt;

/// Why a value could not be expanded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unexpanded {
    /// `${NAME}` with `NAME` set nowhere and no default.
    Unset(String),
    /// `${` with no closing `}`, or a name that is not one.
    Malformed(String),
}

impl Unexpanded {
    /// The text to look for in the file to find the line.
    pub fn needle(&self) -> String {
        match self {
            Unexpanded::Unset(name) => format!("${{{name}"),
            Unexpanded::Malformed(text) => text.clone(),
        }
    }
}

impl fmt::Display for Unexpanded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unexpanded::Unset(name) => write!(
                f,
                "`${{{name}}}` names an environment variable that is not set; set it (in the \
                 environment or in the project's .env file), or give a default: `${{{name}:-value}}`"
            ),
            Unexpanded::Malformed(text) => write!(
                f,
                "`{text}` is not a variable reference: write `${{NAME}}` or `${{NAME:-default}}` \
                 (NAME of letters, digits and _), or `$${{` for a literal `${{`"
            ),
        }
    }
}

/// Expands every `${NAME}` and `${NAME:-default}` in `text`; `lookup` gives a variable's
/// value. As in the shell, `:-` also applies when the variable is set but empty.
pub fn expand(text: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Result<String, Unexpanded> {
    if !text.contains("${") {
        return Ok(text.to_string());
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("${") {
        let (before, from) = rest.split_at(at);
        if let Some(kept) = before.strip_suffix('$') {
            // `$${` is a literal `${`.
            out.push_str(kept);
            out.push_str("${");
            rest = from.get(2..).unwrap_or("");
            continue;
        }
        out.push_str(before);
        let inner = from.get(2..).unwrap_or("");
        let Some(end) = inner.find('}') else {
            return Err(Unexpanded::Malformed(from.chars().take(40).collect()));
        };
        let body = inner.get(..end).unwrap_or("");
        let (name, default) = match body.split_once(":-") {
            Some((name, default)) => (name, Some(default)),
            None => (body, None),
        };
        if !is_name(name) {
            return Err(Unexpanded::Malformed(format!("${{{body}}}")));
        }
        match (
            lookup(name).filter(|v| default.is_none() || !v.is_empty()),
            default,
        ) {
            (Some(value), _) => out.push_str(&value),
            (None, Some(default)) => out.push_str(default),
            (None, None) => return Err(Unexpanded::Unset(name.to_string())),
        }
        rest = inner.get(end + 1..).unwrap_or("");
    }
    out.push_str(rest);
    Ok(out)
}

fn is_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str) -> Option<String> {
        match name {
            "API_URL" => Some("http://127.0.0.1:9000".into()),
            "EMPTY" => Some(String::new()),
            _ => None,
        }
    }

    #[test]
    fn braced_references_are_expanded() {
        assert_eq!(
            expand("${API_URL}/x", &env),
            Ok("http://127.0.0.1:9000/x".into())
        );
        assert_eq!(expand("a${MISSING:-b}c", &env), Ok("abc".into()));
        assert_eq!(expand("${EMPTY:-fallback}", &env), Ok("fallback".into()));
        assert_eq!(expand("${EMPTY}", &env), Ok(String::new()));
        assert_eq!(
            expand("${API_URL:-x}", &env),
            Ok("http://127.0.0.1:9000".into())
        );
    }

    #[test]
    fn bare_dollars_and_escapes_are_kept() {
        assert_eq!(expand("pa$$word $HOME", &env), Ok("pa$$word $HOME".into()));
        assert_eq!(expand("$${API_URL}", &env), Ok("${API_URL}".into()));
    }

    #[test]
    fn unset_and_malformed_references_are_errors() {
        assert_eq!(
            expand("${NOPE}", &env),
            Err(Unexpanded::Unset("NOPE".into()))
        );
        assert!(matches!(
            expand("${API_URL", &env),
            Err(Unexpanded::Malformed(_))
        ));
        assert!(matches!(
            expand("${1X}", &env),
            Err(Unexpanded::Malformed(_))
        ));
        let message = Unexpanded::Unset("NOPE".into()).to_string();
        assert!(message.contains("${NOPE:-value}"), "{message}");
    }
}
