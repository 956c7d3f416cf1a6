//! Checks an XML body with a streaming tokenizer before any tree is built, and turns parser
//! errors into messages with a line and column.
//!
//! The tree library (xot) builds its tree in time that grows with depth × size and expects
//! the tag structure to be sound (it `expect`s on a stray closing tag), so this pass refuses
//! what it should never see: a DOCTYPE with an internal subset (no DTD is ever read, so no
//! entity is expanded and nothing is fetched; a DOCTYPE without one, such as
//! `<!DOCTYPE html>`, is only noted so that the tree library never sees it), elements nested deeper than [`MAX_DEPTH`], mismatched or stray closing
//! tags, and a missing or second root element. It keeps only a stack of open tag names, so it
//! runs in constant stack space whatever the input.

use xmlparser::{ElementEnd, StreamError, TextPos, Token, Tokenizer};

use std::ops::Range;

use super::XmlError;

/// Deepest element nesting accepted; libxml2 uses the same default. Real API bodies stay far
/// below it, and it bounds the tree library's depth-dependent parse time.
pub const MAX_DEPTH: usize = 256;

/// Refuses a body that is not a single, soundly nested XML document without an internal DTD
/// subset; returns where its DOCTYPE declaration is, if it has one.
pub(super) fn check(text: &str) -> Result<Option<Range<usize>>, XmlError> {
    let mut doctype = None;
    // (prefix, local name) of each open element, innermost last.
    let mut open: Vec<(&str, &str)> = Vec::new();
    // The element whose start tag is being read: it is pushed once its `>` arrives.
    let mut starting: Option<(&str, &str)> = None;
    let mut roots = 0usize;
    for token in Tokenizer::from(text) {
        let after_root = roots > 0 && open.is_empty() && starting.is_none();
        let token = token.map_err(|e| match e {
            // xmlparser refuses anything but comments and processing instructions there,
            // and calls it an unknown token; say where it is instead.
            xmlparser::Error::UnknownToken(pos) if after_root => XmlError::new(format!(
                "the body is not well-formed XML: there is markup after the root element at \
                 line {}, column {}",
                pos.row, pos.col
            )),
            _ => tokenizer_error(&e),
        })?;
        match token {
            Token::DtdStart { span, .. } => return Err(doctype_refused(text, span.start())),
            Token::EmptyDtd { span, .. } => doctype = Some(span.range()),
            Token::ElementStart {
                prefix,
                local,
                span,
            } => {
                if open.is_empty() {
                    roots += 1;
                    if roots > 1 {
                        return Err(not_well_formed(
                            "there is a second root element",
                            text,
                            span.start(),
                        ));
                    }
                }
                if open.len() >= MAX_DEPTH {
                    let (line, column) = line_column(text, span.start());
                    return Err(XmlError::new(format!(
                        "the body nests elements more than {MAX_DEPTH} deep at line {line}, \
                         column {column}; deeper documents are refused"
                    )));
                }
                starting = Some((prefix.as_str(), local.as_str()));
            }
            Token::ElementEnd { end, span } => match end {
                ElementEnd::Open => {
                    if let Some(name) = starting.take() {
                        open.push(name);
                    }
                }
                ElementEnd::Empty => starting = None,
                ElementEnd::Close(prefix, local) => {
                    let closing = (prefix.as_str(), local.as_str());
                    match open.pop() {
                        Some(opened) if opened == closing => {}
                        Some(opened) => {
                            return Err(not_well_formed(
                                &format!("`</{}>` closes `<{}>`", qname(closing), qname(opened)),
                                text,
                                span.start(),
                            ));
                        }
                        None => {
                            return Err(not_well_formed(
                                &format!("`</{}>` closes no open element", qname(closing)),
                                text,
                                span.start(),
                            ));
                        }
                    }
                }
            },
            _ => {}
        }
    }
    if let Some(opened) = open.last() {
        return Err(not_well_formed(
            &format!("`<{}>` is never closed", qname(*opened)),
            text,
            text.len(),
        ));
    }
    if roots == 0 {
        return Err(not_well_formed(
            "there is no root element",
            text,
            text.len(),
        ));
    }
    Ok(doctype)
}

/// Builds the tree once with xot to report what the tokenizer cannot see: undeclared
/// namespace prefixes, unknown entities, duplicate attributes.
pub(super) fn check_tree(text: &str) -> Result<(), XmlError> {
    let mut xot = xot::Xot::new();
    match xot.parse(text) {
        Ok(_) => Ok(()),
        Err(e) => Err(tree_error(text, &e)),
    }
}

/// `text` with its DOCTYPE declaration (at `doctype`, from [`check`]) blanked out for the
/// tree library, which refuses every DTD: each byte becomes a space, line breaks stay, so
/// byte positions in its errors still point into the original text.
pub(super) fn without_doctype(text: &str, doctype: Option<Range<usize>>) -> String {
    let Some(range) = doctype else {
        return text.to_string();
    };
    let mut blanked = String::with_capacity(range.len());
    for c in text[range.clone()].chars() {
        match c {
            '\n' => blanked.push('\n'),
            // Byte offsets stay the same: one space per byte.
            _ => blanked.extend(std::iter::repeat_n(' ', c.len_utf8())),
        }
    }
    format!("{}{blanked}{}", &text[..range.start], &text[range.end..])
}

/// The XML declaration at the start of `text` with the white space after it, or "".
///
/// xot does not keep the declaration in its tree, so it is carried over by hand when an
/// edited document is serialised.
pub(super) fn declaration(text: &str) -> &str {
    let Some(rest) = text.strip_prefix("<?xml") else {
        return "";
    };
    // `<?xml-stylesheet ...?>` is a processing instruction, not a declaration.
    if !rest.starts_with(|c: char| c.is_ascii_whitespace()) {
        return "";
    }
    let Some(end) = text.find("?>") else {
        return "";
    };
    let after = end + 2;
    let spaces = text
        .get(after..)
        .map(|tail| tail.len() - tail.trim_start().len())
        .unwrap_or(0);
    text.get(..after + spaces).unwrap_or("")
}

/// 1-based line and column (in characters) of a byte offset.
pub(super) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(text.len());
    // An offset inside a multi-byte character counts as that character's start.
    while end > 0 && !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = text.get(..end).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let column = before.get(line_start..).unwrap_or("").chars().count() + 1;
    (line, column)
}

fn qname((prefix, local): (&str, &str)) -> String {
    if prefix.is_empty() {
        local.to_string()
    } else {
        format!("{prefix}:{local}")
    }
}

fn not_well_formed(what: &str, text: &str, offset: usize) -> XmlError {
    let (line, column) = line_column(text, offset);
    XmlError::new(format!(
        "the body is not well-formed XML: {what} at line {line}, column {column}"
    ))
}

fn doctype_refused(text: &str, offset: usize) -> XmlError {
    let (line, column) = line_column(text, offset);
    XmlError::new(format!(
        "the body's DOCTYPE at line {line}, column {column} has an internal subset (`[...]`); \
         internal DTD subsets are refused so that no entity is expanded and nothing is fetched"
    ))
}

fn tree_error(text: &str, e: &xot::ParseError) -> XmlError {
    use xot::ParseError as P;
    let what = match e {
        P::XmlParser(inner, _) => return tokenizer_error(inner),
        P::DtdUnsupported(span) => return doctype_refused(text, span.start),
        P::UnclosedTag(_) => "an element is never closed".to_string(),
        P::InvalidCloseTag(prefix, local, _) => {
            format!(
                "`</{}>` does not close the open element",
                qname((prefix, local))
            )
        }
        P::UnclosedEntity(name, _) => format!("entity reference `&{name}` has no `;`"),
        P::InvalidEntity(name, _) => format!(
            "entity `{name}` is unknown (only the five predefined entities and character \
             references are)"
        ),
        P::UnknownPrefix(prefix, _) => format!("namespace prefix `{prefix}` is not declared"),
        P::DuplicateAttribute(name, _) => format!("attribute `{name}` appears twice"),
        P::UnsupportedVersion(version, _) => {
            format!("XML version `{version}` is not supported (only 1.0 is)")
        }
        P::NoElementAtTopLevel(_) => "there is no root element".to_string(),
        P::MultipleElementsAtTopLevel(_) => "there is a second root element".to_string(),
        P::TextAtTopLevel(_) => "there is text outside the root element".to_string(),
        P::DuplicateId(id, _) => format!("`xml:id` `{id}` appears twice"),
        // Deprecated and no longer produced by xot; kept so the match stays exhaustive.
        #[allow(deprecated)]
        P::UnsupportedNotStandalone(_) => "the standalone declaration is refused".to_string(),
    };
    not_well_formed(&what, text, e.span().start)
}

fn tokenizer_error(e: &xmlparser::Error) -> XmlError {
    use xmlparser::Error as E;
    let (what, cause) = match e {
        E::InvalidDeclaration(cause, _) => ("invalid XML declaration", Some(cause)),
        E::InvalidComment(cause, _) => ("invalid comment", Some(cause)),
        E::InvalidPI(cause, _) => ("invalid processing instruction", Some(cause)),
        E::InvalidDoctype(cause, _) => ("invalid DOCTYPE", Some(cause)),
        E::InvalidEntity(cause, _) => ("invalid entity declaration", Some(cause)),
        E::InvalidElement(cause, _) => ("invalid element", Some(cause)),
        E::InvalidAttribute(cause, _) => ("invalid attribute", Some(cause)),
        E::InvalidCdata(cause, _) => ("invalid CDATA section", Some(cause)),
        E::InvalidCharData(cause, _) => ("invalid text", Some(cause)),
        E::UnknownToken(_) => ("unexpected markup", None),
    };
    // The cause's own position points at the offending character; the error's points at the
    // start of the construct, which is less precise.
    let pos = cause.and_then(stream_position).unwrap_or_else(|| e.pos());
    let detail = match cause {
        Some(cause) => format!("{what}: {}", describe_stream_error(cause)),
        None => what.to_string(),
    };
    XmlError::new(format!(
        "the body is not well-formed XML: {detail} at line {}, column {}",
        pos.row, pos.col
    ))
}

fn stream_position(e: &StreamError) -> Option<TextPos> {
    match e {
        StreamError::NonXmlChar(_, pos)
        | StreamError::InvalidChar(_, _, pos)
        | StreamError::InvalidCharMultiple(_, _, pos)
        | StreamError::InvalidQuote(_, pos)
        | StreamError::InvalidSpace(_, pos)
        | StreamError::InvalidString(_, pos) => Some(*pos),
        _ => None,
    }
}

/// Like xmlparser's own Display, minus the position it embeds (reported separately).
fn describe_stream_error(e: &StreamError) -> String {
    match e {
        StreamError::UnexpectedEndOfStream => "the text ends too early".to_string(),
        StreamError::InvalidName => "a name is not valid".to_string(),
        StreamError::NonXmlChar(c, _) => {
            format!("character U+{:04X} is not allowed in XML", u32::from(*c))
        }
        StreamError::InvalidChar(actual, expected, _) => {
            format!(
                "expected `{}`, found {}",
                char::from(*expected),
                byte(*actual)
            )
        }
        StreamError::InvalidCharMultiple(actual, expected, _) => {
            let expected: Vec<String> = expected
                .iter()
                .map(|b| format!("`{}`", char::from(*b)))
                .collect();
            format!(
                "expected one of {}, found {}",
                expected.join(", "),
                byte(*actual)
            )
        }
        StreamError::InvalidQuote(actual, _) => {
            format!("expected a quote, found {}", byte(*actual))
        }
        StreamError::InvalidSpace(actual, _) => {
            format!("expected white space, found {}", byte(*actual))
        }
        StreamError::InvalidString(expected, _) => format!("expected `{expected}`"),
        StreamError::InvalidReference => "a character or entity reference is not valid".into(),
        StreamError::InvalidExternalID => "an external identifier is not valid".to_string(),
        StreamError::InvalidCommentData => "`--` is not allowed in a comment".to_string(),
        StreamError::InvalidCommentEnd => "a comment must not end with `-`".to_string(),
        StreamError::InvalidCharacterData => "`]]>` is not allowed in text".to_string(),
    }
}

/// A byte the tokenizer stopped at, readable even when it is part of a multi-byte character.
fn byte(b: u8) -> String {
    if b.is_ascii_graphic() {
        format!("`{}`", char::from(b))
    } else {
        format!("byte 0x{b:02X}")
    }
}
