//! Secrets: what counts as one, where they are found, and `redact`, which every text that is
//! printed or written to a report passes through.
//!
//! A secret is found by name (a variable, config key, JSON or form field, query parameter or
//! header that names a credential) and remembered by value, so that the value is masked
//! wherever it appears later: in a body, a message or a header. This module sits below every
//! other: values, HTTP, contracts and reports all ask it the same questions.

use serde_json::Value;

/// The replacement for a secret.
pub const MASK: &str = "***";

/// Headers whose values are credentials. Asked of every header of every exchange, so it
/// does not allocate. CORS headers name credentials without holding any
/// (`Access-Control-Allow-Credentials: true`): taking their values for secrets would mask
/// every `true` in every report, and `is_secret_name` says no to them.
pub fn is_secret_header(name: &str) -> bool {
    const CREDENTIALS: [&str; 7] = [
        "authorization",
        "proxy-authorization",
        "cookie",
        "set-cookie",
        "x-api-key",
        "api-key",
        "x-auth-token",
    ];
    CREDENTIALS.iter().any(|h| name.eq_ignore_ascii_case(h)) || is_secret_name(name)
}

/// A credential header's value as shown: the scheme kept, the credential masked
/// (`Bearer ***`); other headers unchanged.
pub fn mask_header(name: &str, value: &str) -> String {
    if !is_secret_header(name) {
        return value.to_string();
    }
    match value.split_once(' ') {
        Some((scheme, _))
            if matches!(
                scheme.to_ascii_lowercase().as_str(),
                "basic" | "bearer" | "digest" | "token"
            ) =>
        {
            format!("{scheme} {MASK}")
        }
        _ => MASK.to_string(),
    }
}

/// Replaces every occurrence of every secret in `text` with `***`. Longer secrets go first,
/// so a secret that contains another is hidden whole.
pub fn redact(text: &str, secrets: &[String]) -> String {
    if secrets.is_empty() {
        return text.to_string();
    }
    let mut sorted: Vec<&String> = secrets.iter().filter(|s| !s.is_empty()).collect();
    sorted.sort_by_key(|s| std::cmp::Reverse(s.len()));
    let mut out = text.to_string();
    for secret in &sorted {
        if out.contains(secret.as_str()) {
            out = replace_words(&out, secret, MASK);
        }
    }
    mask_cut_secrets(&out, &sorted)
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Replaces the occurrences of `secret` that stand as words of their own: where the secret
/// starts (ends) with a letter or digit, the text before (after) it must not be one, so the
/// password `wrong` masks `"wrong"` and `=wrong&` but leaves `wrongly` and `headwrong` alone.
fn replace_words(text: &str, secret: &str, with: &str) -> String {
    let starts_word = secret.chars().next().is_some_and(is_word);
    let ends_word = secret.chars().next_back().is_some_and(is_word);
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut before: Option<char> = None;
    while let Some(at) = rest.find(secret) {
        let (head, tail) = rest.split_at(at);
        let prev = head.chars().next_back().or(before);
        let next = tail.get(secret.len()..).and_then(|t| t.chars().next());
        let joined_before = starts_word && prev.is_some_and(is_word);
        let joined_after = ends_word && next.is_some_and(is_word);
        let alone = !(joined_before || joined_after);
        out.push_str(head);
        if alone {
            out.push_str(with);
            before = secret.chars().next_back();
            rest = tail.get(secret.len()..).unwrap_or("");
        } else {
            // Step over one character and keep looking.
            let step = tail.chars().next().map_or(1, char::len_utf8);
            out.push_str(tail.get(..step).unwrap_or(""));
            before = tail.chars().next();
            rest = tail.get(step..).unwrap_or("");
        }
    }
    out.push_str(rest);
    out
}

/// Long values are shown cut, ending in `…`, and a cut can fall inside a secret, leaving its
/// start (`"env-to…"`) where no whole secret matches. Any text just before a `…` that begins a
/// secret is masked too.
fn mask_cut_secrets(text: &str, secrets: &[&String]) -> String {
    if !text.contains('…') {
        return text.to_string();
    }
    let pieces: Vec<&str> = text.split('…').collect();
    let last = pieces.len().saturating_sub(1);
    let mut out = String::with_capacity(text.len());
    for (i, piece) in pieces.iter().enumerate() {
        if i > 0 {
            out.push('…');
        }
        // Only a piece followed by `…` was cut.
        let cut = if i < last {
            cut_secret_len(piece, secrets)
        } else {
            0
        };
        match piece.get(..piece.len() - cut) {
            Some(kept) if cut > 0 => {
                out.push_str(kept);
                out.push_str(MASK);
            }
            _ => out.push_str(piece),
        }
    }
    out
}

/// The length of the longest start of a secret that `piece` ends with (0 if none).
fn cut_secret_len(piece: &str, secrets: &[&String]) -> usize {
    secrets
        .iter()
        .flat_map(|secret| {
            secret
                .char_indices()
                .map(|(at, c)| at + c.len_utf8())
                .filter(|&end| {
                    secret
                        .get(..end)
                        .is_some_and(|start| piece.ends_with(start))
                })
                .max()
        })
        .max()
        .unwrap_or(0)
}

/// The naming rule for secrets: a variable, config key or environment variable whose name
/// says it holds a credential is redacted wherever its value appears.
pub fn is_secret_name(name: &str) -> bool {
    // Called for every key of every JSON body, so it must not allocate.
    let bytes = name.as_bytes();
    // CORS names (`Access-Control-Allow-Credentials`) speak of credentials, hold none.
    if bytes
        .get(..15)
        .is_some_and(|p| p.eq_ignore_ascii_case(b"access-control-"))
    {
        return false;
    }
    // Names about a credential rather than holding one: `token_type`, `expires_in`,
    // `token_url`, `password_field`.
    let about: [&[u8]; 9] = [
        b"type",
        b"_in",
        b"_at",
        b"url",
        b"uri",
        b"endpoint",
        b"field",
        b"_name",
        b"_length",
    ];
    if about
        .iter()
        .any(|suffix| ends_with_ignore_case(bytes, suffix))
    {
        return false;
    }
    // One pass over the name, comparing only the words that start with the letter there:
    // this runs for every header and JSON key of every exchange.
    (0..bytes.len()).any(|at| {
        let rest = bytes.get(at..).unwrap_or_default();
        let words: &[&[u8]] = match rest.first().map(u8::to_ascii_lowercase) {
            Some(b'p') => &[b"password", b"passwd", b"private"],
            Some(b's') => &[b"secret"],
            Some(b't') => &[b"token"],
            Some(b'a') => &[b"apikey", b"api_key", b"api-key"],
            Some(b'c') => &[b"credential"],
            _ => return false,
        };
        words.iter().any(|word| {
            rest.get(..word.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(word))
        })
    })
}

fn ends_with_ignore_case(hay: &[u8], suffix: &[u8]) -> bool {
    hay.len() >= suffix.len()
        && hay
            .get(hay.len() - suffix.len()..)
            .is_some_and(|tail| tail.eq_ignore_ascii_case(suffix))
}

/// The values in `doc` under keys that name a credential (`is_secret` decides). A walk over a
/// borrowed document, so a response can be searched while it is still borrowed, without a copy.
pub fn in_json(doc: &Value, is_secret: &dyn Fn(&str) -> bool) -> Vec<String> {
    fn walk(doc: &Value, is_secret: &dyn Fn(&str) -> bool, out: &mut Vec<String>) {
        match doc {
            Value::Object(map) => {
                for (key, value) in map {
                    match value {
                        Value::String(s) if is_secret(key) => out.push(s.clone()),
                        Value::Number(n) if is_secret(key) => out.push(n.to_string()),
                        other => walk(other, is_secret, out),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|item| walk(item, is_secret, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(doc, is_secret, &mut out);
    out
}

/// The values of the fields of a query string (`?a=1&api_key=x`) or form whose names
/// `is_secret` calls credentials, percent-decoded.
pub fn in_query(query: &str, is_secret: &dyn Fn(&str) -> bool) -> Vec<String> {
    let decode = |t: &str| {
        percent_encoding::percent_decode_str(&t.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned()
    };
    query
        .trim_start_matches('?')
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(name, value)| (decode(name), decode(value)))
        .filter(|(name, _)| is_secret(name))
        .map(|(_, value)| value)
        .collect()
}

/// A credential header's value (`sid=abc; Path=/`, `Bearer xyz`): the whole value and each
/// cookie's value are secrets; the attribute names are not.
pub fn in_credential_header(value: &str) -> Vec<String> {
    let mut out = vec![value.to_string()];
    for part in value.split(';') {
        if let Some((_, v)) = part.split_once('=') {
            out.push(v.trim().to_string());
        }
    }
    out
}

/// The secrets in a header a request sends: each cookie of a `Cookie` header, the credential
/// of any other credential header (`Bearer abc` gives `abc`: the scheme is no secret).
pub fn in_request_header(name: &str, value: &str) -> Vec<String> {
    if name.eq_ignore_ascii_case("cookie") {
        return in_credential_header(value);
    }
    if !is_secret_header(name) {
        return Vec::new();
    }
    match value.split_once(' ') {
        Some((_, credential)) if !credential.trim().is_empty() => {
            vec![credential.trim().to_string()]
        }
        _ => vec![value.to_string()],
    }
}

/// The other spellings a secret takes on its way out, each masked as well: inside a JSON
/// string (`"` and `\` escaped, non-ASCII as `\u` escapes), percent-encoded in a URL or form
/// (`%40`, `+` for a space), and Base64 (a Basic credential, a token wrapped once more).
pub fn encoded_forms(secret: &str) -> Vec<String> {
    use base64::Engine;
    use percent_encoding::{AsciiSet, CONTROLS, NON_ALPHANUMERIC, utf8_percent_encode};
    let mut forms = Vec::new();
    if let Ok(json) = serde_json::to_string(secret)
        && let Some(inner) = json.get(1..json.len().saturating_sub(1))
    {
        forms.push(inner.to_string());
    }
    let ascii_escaped: String = secret
        .chars()
        .flat_map(|c| match c {
            '"' => vec!['\\', '"'],
            '\\' => vec!['\\', '\\'],
            c if c.is_ascii() => vec![c],
            c => {
                let mut units = [0u16; 2];
                c.encode_utf16(&mut units)
                    .iter()
                    .flat_map(|u| format!("\\u{u:04x}").chars().collect::<Vec<_>>())
                    .collect()
            }
        })
        .collect();
    forms.push(ascii_escaped);
    // Every character but letters and digits; only what URLs must encode (RFC 3986 keeps
    // `-._~`); and what the URL standard's query set encodes, which is how a URL shows it.
    const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    const QUERY: &AsciiSet = &CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'#')
        .add(b'<')
        .add(b'>')
        .add(b'\'');
    for set in [NON_ALPHANUMERIC, UNRESERVED, QUERY] {
        let percent = utf8_percent_encode(secret, set).to_string();
        forms.push(percent.replace("%20", "+"));
        forms.push(percent);
    }
    forms.push(base64::engine::general_purpose::STANDARD.encode(secret));
    forms.retain(|f| f != secret);
    forms.sort();
    forms.dedup();
    forms
}

/// The secrets found so far in a scenario, by value.
#[derive(Debug, Clone, Default)]
pub struct Secrets(Vec<String>);

impl Secrets {
    /// Remembers a value. Very short values would redact ordinary text all over a report;
    /// real credentials are longer than this.
    pub fn add(&mut self, secret: &str) {
        if secret.len() < 3 || self.0.iter().any(|s| s == secret) {
            return;
        }
        self.0.push(secret.to_string());
        for form in encoded_forms(secret) {
            if !self.0.contains(&form) {
                self.0.push(form);
            }
        }
    }

    pub fn as_slice(&self) -> &[String] {
        &self.0
    }

    pub fn redact(&self, text: &str) -> String {
        redact(text, &self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hides_every_secret_longest_first() {
        let secrets = vec!["abc".to_string(), "abcdef".to_string()];
        assert_eq!(
            redact("token abcdef and abc", &secrets),
            "token *** and ***"
        );
        assert_eq!(redact("nothing here", &secrets), "nothing here");
    }

    #[test]
    fn masks_the_start_of_a_secret_cut_by_an_ellipsis() {
        let secrets = vec!["env-token-secret".to_string()];
        assert_eq!(redact("{\"x\":\"env-to…", &secrets), "{\"x\":\"***…");
        assert_eq!(redact("plain text…", &secrets), "plain text…");
        assert_eq!(
            redact("env-token-secret and env…", &secrets),
            "*** and ***…"
        );
        assert_eq!(redact("cut… then env", &secrets), "cut… then env");
    }

    #[test]
    fn knows_the_credential_headers() {
        for name in [
            "Authorization",
            "proxy-authorization",
            "Cookie",
            "Set-Cookie",
            "X-Api-Key",
        ] {
            assert!(is_secret_header(name), "{name}");
        }
        assert!(!is_secret_header("Content-Type"));
        assert_eq!(mask_header("Authorization", "Bearer abc"), "Bearer ***");
        assert_eq!(mask_header("Cookie", "sid=1"), "***");
        assert_eq!(mask_header("Accept", "text/html"), "text/html");
    }

    #[test]
    fn secrets_are_matched_as_words_and_cors_headers_are_no_credentials() {
        let secrets = vec!["wrong".to_string(), "-x9-".to_string()];
        assert_eq!(
            redact("password=wrong&user=\"wrong\" wrongly headwrong", &secrets),
            "password=***&user=\"***\" wrongly headwrong"
        );
        assert_eq!(redact("a-x9-b", &secrets), "a***b");
        assert!(!is_secret_header("Access-Control-Allow-Credentials"));
        assert!(is_secret_header("X-Api-Key"));
    }

    #[test]
    fn a_secret_is_masked_in_its_encoded_forms() {
        let mut secrets = Secrets::default();
        secrets.add("p\"a ss\\wörd");
        for shown in [
            "p\\\"a ss\\\\wörd",
            "p\\\"a ss\\\\w\\u00f6rd",
            "p%22a%20ss%5Cw%C3%B6rd",
            "p%22a+ss%5Cw%C3%B6rd",
            "cCJhIHNzXHfDtnJk",
        ] {
            assert_eq!(secrets.redact(&format!("[{shown}]")), "[***]", "{shown}");
        }
        assert_eq!(secrets.redact("plain text"), "plain text");
    }

    #[test]
    fn finds_secrets_by_name_in_json_queries_and_cookies() {
        let doc = serde_json::json!({"user": "alice", "auth": {"password": "pw-1", "pin": 1234}, "items": [{"api_key": 987654}]});
        assert_eq!(in_json(&doc, &is_secret_name), vec!["pw-1", "987654"]);
        assert_eq!(
            in_query("?q=a+b&api_key=k%20ey&token_type=bearer", &is_secret_name),
            vec!["k ey"]
        );
        assert_eq!(
            in_credential_header("sid=abc; Path=/"),
            vec!["sid=abc; Path=/", "abc", "/"]
        );
        let mut secrets = Secrets::default();
        secrets.add("ab");
        secrets.add("abcd");
        secrets.add("abcd");
        assert_eq!(
            secrets.as_slice(),
            ["abcd".to_string(), "YWJjZA==".to_string()]
        );
    }
}
