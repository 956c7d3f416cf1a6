//! Secrets never leave the process unredacted: the values of credential headers, passwords,
//! tokens and secret-named variables are replaced by `***` in every text that is printed or
//! written to a report.

/// The replacement for a secret.
pub const MASK: &str = "***";

/// Headers whose values are credentials.
pub fn is_secret_header(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "authorization"
            | "proxy-authorization"
            | "cookie"
            | "set-cookie"
            | "x-api-key"
            | "api-key"
            | "x-auth-token"
    ) || crate::value::is_secret_name(&lower)
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
            out = out.replace(secret.as_str(), MASK);
        }
    }
    mask_cut_secrets(&out, &sorted)
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
}
