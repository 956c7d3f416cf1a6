//! Value references: the one place that understands `#name`, `$NAME`, `@key` and `#{name}`.
//!
//! Every step argument (except `REST method`) passes through here once. A whole argument that
//! is a reference keeps the referenced value's type (a stored integer stays an integer, so
//! `path "/id" is "#id"` compares numbers); anything else is text in which the embedded forms
//! `#{name}`, `${NAME}` and `@{key}` are replaced by the string form of their values.
//!
//! Where this differs from Zato's apitest, it is more lenient and never changes the verdict
//! of a suite that passes there: Zato treats any argument that starts with `#`, `$` or `@` as a
//! reference (so `"#{id}-x"` or `"# of items"` fail); here only `#name` with a plain name is a
//! reference, and `\#`, `\$`, `\@` at the start give the literal character.

use serde_json::Value;

use crate::error::{Error, ErrorKind};

/// Where references are looked up. The World implements it; tests use a map.
pub trait Lookup {
    /// A stored variable, `#name`.
    fn variable(&self, name: &str) -> Option<&Value>;
    /// A key of the config's `[user]` section, `@key`.
    fn config(&self, key: &str) -> Option<&Value>;
    /// An environment variable, `$NAME`.
    fn env(&self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }
    /// Whether the environment variable is set at all (also to bytes that are not UTF-8), to
    /// tell "not set" from "not text".
    fn env_is_set(&self, name: &str) -> bool {
        std::env::var_os(name).is_some()
    }
    /// Whether a name holds a secret whose value must be redacted from every report.
    fn is_secret_name(&self, name: &str) -> bool {
        crate::secret::is_secret_name(name)
    }
}

/// A resolved argument: its value, whether it came from a secret, and the secret values it
/// holds (the whole value for a whole reference; each secret expanded inside a longer text),
/// which are what must be masked wherever they appear later.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    pub value: Value,
    pub secret: bool,
    pub secrets: Vec<String>,
}

/// Resolves one step argument, keeping the type of a whole reference.
pub fn resolve(raw: &str, lookup: &dyn Lookup) -> Result<Resolved, Error> {
    if let Some((sigil, name)) = whole_reference(raw) {
        let value = fetch(sigil, name, lookup)?;
        let secret = lookup.is_secret_name(name);
        return Ok(Resolved {
            secrets: if secret {
                vec![to_text(&value)]
            } else {
                Vec::new()
            },
            value,
            secret,
        });
    }
    if let Some(rest) = raw.strip_prefix('\\')
        && rest.starts_with(['#', '$', '@'])
    {
        return Ok(Resolved {
            value: Value::String(rest.to_string()),
            secret: false,
            secrets: Vec::new(),
        });
    }
    let mut secrets = Vec::new();
    let text = interpolate(raw, lookup, &mut secrets)?;
    Ok(Resolved {
        value: Value::String(text),
        secret: !secrets.is_empty(),
        secrets,
    })
}

/// Resolves one argument to text: the string form of whatever it references.
pub fn resolve_text(raw: &str, lookup: &dyn Lookup) -> Result<(String, bool), Error> {
    let resolved = resolve(raw, lookup)?;
    Ok((to_text(&resolved.value), resolved.secret))
}

/// The string form of a value, as used in URLs, headers and embedded references.
///
/// Strings are themselves; everything else is written as JSON (`true`, `null`, `[1,2]`).
/// Zato writes Python's forms (`True`, `None`); JSON is what an HTTP API expects to receive.
pub fn to_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `#name`, `$NAME`, `@key`: the sigil and the name, when the whole argument is one reference.
fn whole_reference(raw: &str) -> Option<(char, &str)> {
    let sigil = raw.chars().next()?;
    if !matches!(sigil, '#' | '$' | '@') {
        return None;
    }
    let name = raw.get(1..)?;
    let plain = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '-'));
    plain.then_some((sigil, name))
}

fn fetch(sigil: char, name: &str, lookup: &dyn Lookup) -> Result<Value, Error> {
    let found = match sigil {
        '#' => lookup.variable(name).cloned(),
        '@' => lookup.config(name).cloned(),
        _ => lookup.env(name).map(Value::String),
    };
    found.ok_or_else(|| {
        if sigil == '$' && lookup.env_is_set(name) {
            return Error::invalid(format!(
                "environment variable `${name}` is set but not UTF-8 text"
            ))
            .with_hint("set it to UTF-8 text; apitest sends and compares text");
        }
        Error::new(ErrorKind::UndefinedValue {
            sigil,
            name: name.to_string(),
        })
    })
}

/// Replaces `#{name}`, `${NAME}` and `@{key}` inside `raw`; the values of secret names go
/// into `secrets`.
fn interpolate(raw: &str, lookup: &dyn Lookup, secrets: &mut Vec<String>) -> Result<String, Error> {
    if !raw.contains('{') {
        return Ok(raw.to_string());
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(start) = rest.find(['#', '$', '@']) {
        let (before, from_sigil) = rest.split_at(start);
        out.push_str(before);
        let mut chars = from_sigil.chars();
        let sigil = chars.next().unwrap_or('#');
        let after_sigil = chars.as_str();
        let name_end = after_sigil
            .strip_prefix('{')
            .and_then(|inner| inner.find('}').map(|end| (inner, end)));
        match name_end {
            Some((inner, end)) if is_embedded_name(inner.get(..end).unwrap_or("")) => {
                let name = inner.get(..end).unwrap_or("");
                let value = fetch(sigil, name, lookup)?;
                let text = to_text(&value);
                if lookup.is_secret_name(name) {
                    secrets.push(text.clone());
                }
                out.push_str(&text);
                rest = inner.get(end + 1..).unwrap_or("");
            }
            _ => {
                out.push(sigil);
                rest = after_sigil;
            }
        }
    }
    out.push_str(rest);
    Ok(out)
}

fn is_embedded_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::collections::HashMap;

    struct Map {
        vars: HashMap<String, Value>,
        config: HashMap<String, Value>,
        env: HashMap<String, String>,
    }

    impl Lookup for Map {
        fn variable(&self, name: &str) -> Option<&Value> {
            self.vars.get(name)
        }
        fn config(&self, key: &str) -> Option<&Value> {
            self.config.get(key)
        }
        fn env(&self, name: &str) -> Option<String> {
            self.env.get(name).cloned()
        }
    }

    fn scope() -> Map {
        Map {
            vars: HashMap::from([
                ("id".into(), json!(123)),
                ("name".into(), json!("John")),
                ("list".into(), json!(["a", "b"])),
                ("token".into(), json!("s3cr3t")),
            ]),
            config: HashMap::from([("address".into(), json!("http://127.0.0.1:1"))]),
            env: HashMap::from([("HOME_DIR".into(), "/home/x".into())]),
        }
    }

    fn value(raw: &str) -> Value {
        resolve(raw, &scope()).unwrap().value
    }

    #[test]
    fn whole_references_keep_their_type() {
        assert_eq!(value("#id"), json!(123));
        assert_eq!(value("#list"), json!(["a", "b"]));
        assert_eq!(value("@address"), json!("http://127.0.0.1:1"));
        assert_eq!(value("$HOME_DIR"), json!("/home/x"));
    }

    #[test]
    fn embedded_references_become_text() {
        assert_eq!(value("/api/get/#{id}"), json!("/api/get/123"));
        assert_eq!(
            value("Hi ${HOME_DIR} @{address}"),
            json!("Hi /home/x http://127.0.0.1:1")
        );
        assert_eq!(value("#{id}-x"), json!("123-x"));
        assert_eq!(value("list=#{list}"), json!(r#"list=["a","b"]"#));
    }

    #[test]
    fn plain_text_and_lone_sigils_stay_literal() {
        assert_eq!(value("John Doe"), json!("John Doe"));
        assert_eq!(value("# of items"), json!("# of items"));
        assert_eq!(value("price in $"), json!("price in $"));
        assert_eq!(value("{not a ref}"), json!("{not a ref}"));
        assert_eq!(value("#{}"), json!("#{}"));
        assert_eq!(value(""), json!(""));
    }

    #[test]
    fn a_backslash_escapes_a_leading_sigil() {
        assert_eq!(value(r"\@example.com"), json!("@example.com"));
        assert_eq!(value(r"\#1"), json!("#1"));
    }

    #[test]
    fn a_missing_name_is_an_error_naming_sigil_and_name() {
        let cases = [
            ("#nope", '#', "nope"),
            ("$NOPE_NOT_SET", '$', "NOPE_NOT_SET"),
            ("@nokey", '@', "nokey"),
            ("/x/#{gone}", '#', "gone"),
        ];
        for (raw, sigil, name) in cases {
            let err = resolve(raw, &scope()).unwrap_err();
            assert_eq!(
                *err.kind,
                ErrorKind::UndefinedValue {
                    sigil,
                    name: name.into()
                },
                "{raw}"
            );
        }
        let err = resolve("$NOPE_NOT_SET", &scope()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "environment variable `$NOPE_NOT_SET` is not set"
        );
    }

    #[test]
    fn secrets_are_marked_by_name() {
        assert!(resolve("#token", &scope()).unwrap().secret);
        assert!(resolve("Bearer #{token}", &scope()).unwrap().secret);
        assert!(!resolve("#name", &scope()).unwrap().secret);
        assert!(crate::secret::is_secret_name("DB_PASSWORD"));
        assert!(crate::secret::is_secret_name("client_secret"));
        assert!(!crate::secret::is_secret_name("address"));
        assert!(crate::secret::is_secret_name("access_token"));
        assert!(!crate::secret::is_secret_name("token_type"));
        assert!(!crate::secret::is_secret_name("expires_in"));
        // Each word, in any case, at the start, the middle and the end of a name.
        for name in [
            "PASSWORD",
            "db_Passwd",
            "x-secret",
            "Token",
            "my_apikey",
            "API_KEY",
            "Api-Key",
            "X-Credential-Id",
            "private_key",
            "aapasswd",
            "sstoken",
            "ccredential",
        ] {
            assert!(crate::secret::is_secret_name(name), "{name}");
        }
        for name in ["", "p", "pass", "apike", "tok", "credentia", "secre"] {
            assert!(!crate::secret::is_secret_name(name), "{name}");
        }
        assert!(!crate::secret::is_secret_name("token_url"));
    }
}
