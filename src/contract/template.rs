//! OpenAPI path templates (`/api/employee/get/{id}`) and server base paths: which documented
//! path a request's URL path names, and what its parameters are.
//!
//! Matching is per segment, as the OpenAPI specification describes it: a `{name}` stands for a
//! non-empty run of characters inside one segment (never a `/`), and may sit between literal
//! text (`/report.{format}`). Where several templates match, the one with more literal text
//! wins, so `/employee/me` is chosen over `/employee/{id}` for `/employee/me`.

/// One piece of a path segment.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Literal(String),
    Param(String),
}

/// A documented path, split into segments for matching.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pub text: String,
    segments: Vec<Vec<Piece>>,
    /// Characters of literal text, which decides between templates that both match.
    literal_len: usize,
}

impl Template {
    pub fn parse(text: &str) -> Template {
        let segments: Vec<Vec<Piece>> = split(text).map(parse_segment).collect();
        let literal_len = segments
            .iter()
            .flatten()
            .map(|p| match p {
                Piece::Literal(s) => s.len(),
                Piece::Param(_) => 0,
            })
            .sum();
        Template {
            text: text.to_string(),
            segments,
            literal_len,
        }
    }

    pub fn literal_len(&self) -> usize {
        self.literal_len
    }

    /// Whether the template matches a path (already stripped of the server base path and
    /// split with `split`).
    pub fn matches(&self, parts: &[&str]) -> bool {
        parts.len() == self.segments.len()
            && self
                .segments
                .iter()
                .zip(parts)
                .all(|(pieces, part)| match_segment(pieces, part, None).is_some())
    }

    /// The path parameters of a path the template matches, percent-decoded; `None` if it
    /// does not match.
    pub fn params(&self, parts: &[&str]) -> Option<Vec<(String, String)>> {
        if parts.len() != self.segments.len() {
            return None;
        }
        let mut params = Vec::new();
        for (pieces, part) in self.segments.iter().zip(parts) {
            match_segment(pieces, part, Some(&mut params))?;
        }
        Some(params)
    }
}

/// Segments between slashes; `/` alone has none, so it matches only `/`.
pub fn split(path: &str) -> impl Iterator<Item = &str> {
    let path = path.strip_prefix('/').unwrap_or(path);
    let mut parts = path.split('/');
    // `"".split('/')` yields one empty part; the root path has no segments at all.
    if path.is_empty() {
        parts.next();
    }
    parts
}

fn parse_segment(segment: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut rest = segment;
    while !rest.is_empty() {
        match rest.find('{') {
            Some(open) => {
                let Some(close) = rest.get(open..).and_then(|r| r.find('}')) else {
                    pieces.push(Piece::Literal(rest.to_string()));
                    break;
                };
                if open > 0 {
                    pieces.push(Piece::Literal(rest.get(..open).unwrap_or("").to_string()));
                }
                let name = rest.get(open + 1..open + close).unwrap_or("");
                pieces.push(Piece::Param(name.to_string()));
                rest = rest.get(open + close + 1..).unwrap_or("");
            }
            None => {
                pieces.push(Piece::Literal(rest.to_string()));
                break;
            }
        }
    }
    pieces
}

/// Matches one segment against its pieces, collecting the parameters into `params` if given.
/// A parameter takes the shortest text that lets the next literal follow, which is what
/// templates like `{name}.{ext}` mean.
fn match_segment(
    pieces: &[Piece],
    part: &str,
    mut params: Option<&mut Vec<(String, String)>>,
) -> Option<()> {
    let mut rest = part;
    let mut iter = pieces.iter().peekable();
    while let Some(piece) = iter.next() {
        match piece {
            Piece::Literal(text) => rest = rest.strip_prefix(text.as_str())?,
            Piece::Param(name) => {
                let end = match iter.peek() {
                    Some(Piece::Literal(next)) => rest.find(next.as_str())?,
                    // Two parameters side by side cannot be told apart; the first takes all.
                    _ => rest.len(),
                };
                let value = rest.get(..end)?;
                if value.is_empty() {
                    return None;
                }
                if let Some(params) = params.as_deref_mut() {
                    params.push((name.clone(), percent_decode(value)));
                }
                rest = rest.get(end..)?;
            }
        }
    }
    rest.is_empty().then_some(())
}

/// Decodes `%xx` escapes; malformed escapes are kept as written.
pub fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// The base path of a `servers` entry's URL: `http://host:8080/api/v1` and `/api/v1` both give
/// `/api/v1`; `{variables}` take their defaults. A bare host gives the empty base path.
pub fn server_base_path(url: &str, defaults: &[(String, String)]) -> String {
    let mut url = url.to_string();
    for (name, value) in defaults {
        url = url.replace(&format!("{{{name}}}"), value);
    }
    let after_scheme = match url.find("://") {
        Some(at) => url.get(at + 3..).unwrap_or(""),
        None => url.as_str(),
    };
    let path = if url.contains("://") {
        after_scheme
            .find('/')
            .map_or("", |at| after_scheme.get(at..).unwrap_or(""))
    } else {
        after_scheme
    };
    path.trim_end_matches('/').to_string()
}

/// `path` with `base` taken off its front, if it starts with it at a segment boundary.
pub fn strip_base<'a>(path: &'a str, base: &str) -> Option<&'a str> {
    if base.is_empty() {
        return Some(path);
    }
    let rest = path.strip_prefix(base)?;
    if rest.is_empty() {
        Some("/")
    } else if rest.starts_with('/') {
        Some(rest)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(template: &str, path: &str) -> Option<Vec<(String, String)>> {
        let parts: Vec<&str> = split(path).collect();
        let template = Template::parse(template);
        let found = template.params(&parts);
        assert_eq!(template.matches(&parts), found.is_some());
        found
    }

    #[test]
    fn a_parameter_takes_one_whole_segment() {
        assert_eq!(
            params("/api/employee/get/{id}", "/api/employee/get/123"),
            Some(vec![("id".into(), "123".into())])
        );
        assert_eq!(
            params("/api/employee/get/{id}", "/api/employee/get/1/2"),
            None
        );
        assert_eq!(params("/api/employee/get/{id}", "/api/employee/get/"), None);
        assert_eq!(params("/api/employee/get/{id}", "/api/employee/get"), None);
        assert_eq!(
            params("/api/employee/get/{id}", "/api/employee/put/123"),
            None
        );
    }

    #[test]
    fn literal_paths_and_the_root() {
        assert_eq!(params("/", "/"), Some(vec![]));
        assert_eq!(params("/", "/a"), None);
        assert_eq!(params("/a/b", "/a/b"), Some(vec![]));
        assert_eq!(params("/a/b", "/a/b/"), None);
    }

    #[test]
    fn parameters_inside_a_segment_and_several_per_path() {
        assert_eq!(
            params("/files/{name}.{ext}", "/files/report.final.pdf"),
            Some(vec![
                ("name".into(), "report".into()),
                ("ext".into(), "final.pdf".into())
            ])
        );
        assert_eq!(
            params("/org/{org}/user/{user}", "/org/acme/user/j%20doe"),
            Some(vec![
                ("org".into(), "acme".into()),
                ("user".into(), "j doe".into())
            ])
        );
        assert_eq!(
            params("/v{version}/x", "/v2/x"),
            Some(vec![("version".into(), "2".into())])
        );
        assert_eq!(params("/v{version}/x", "/w2/x"), None);
    }

    #[test]
    fn literal_text_decides_between_matching_templates() {
        assert!(
            Template::parse("/employee/me").literal_len()
                > Template::parse("/employee/{id}").literal_len()
        );
    }

    #[test]
    fn server_urls_give_base_paths() {
        assert_eq!(
            server_base_path("http://localhost:17010/api/v1/", &[]),
            "/api/v1"
        );
        assert_eq!(server_base_path("https://example.com", &[]), "");
        assert_eq!(server_base_path("/api", &[]), "/api");
        assert_eq!(
            server_base_path(
                "{scheme}://host/{base}",
                &[
                    ("scheme".into(), "https".into()),
                    ("base".into(), "v2".into())
                ]
            ),
            "/v2"
        );
        assert_eq!(strip_base("/api/v1/x", "/api/v1"), Some("/x"));
        assert_eq!(strip_base("/api/v1", "/api/v1"), Some("/"));
        assert_eq!(strip_base("/api/v10/x", "/api/v1"), None);
        assert_eq!(strip_base("/x", ""), Some("/x"));
    }

    #[test]
    fn malformed_templates_and_escapes_do_not_panic() {
        assert_eq!(params("/a/{unclosed", "/a/{unclosed"), Some(vec![]));
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%41"), "%zzA");
        // A sign is not a hex digit, though `u8::from_str_radix` would take it.
        assert_eq!(percent_decode("%+f"), "%+f");
    }
}
