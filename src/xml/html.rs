//! HTML pages for the XPath steps: parsed as a browser parses them (html5ever, through
//! `scraper`), then written out as plain, namespace-free XML that the XPath engine reads.
//!
//! A page is not XML: `<br>` and `<p>` are left open, attributes go unquoted, `&nbsp;` is
//! an entity no XML parser knows. The HTML5 algorithm repairs all of that the way every
//! browser does, so `//title` and `//a/@href` select what a tester sees in the page source.
//! Names keep no namespace (`//svg/circle`, not `//svg:svg`), as in a browser's
//! `document.evaluate` on an HTML page. What XML cannot carry is left out: comments,
//! characters XML 1.0 forbids, and elements or attributes whose names are not XML names
//! (an element's content is kept). No DTD, script or external resource is ever read.

use std::fmt::Write as _;

use ego_tree::iter::Edge;
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::{ParseOpts, parse_document};
use scraper::{Html, HtmlTreeSink, Node};

use super::{MAX_DEPTH, XmlError, is_xml_char};

/// How much of the page the parser reads between two looks at how deep it has gone.
const CHUNK: usize = 2048;

/// The page as a well-formed XML document with one `<html>` root.
pub(super) fn to_xml(text: &str) -> Result<String, XmlError> {
    let page = parse(text)?;
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut depth = 0usize;
    for edge in page.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(element) if is_name(element.name()) => {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return Err(too_deep());
                    }
                    out.push('<');
                    out.push_str(element.name());
                    let mut seen: Vec<&str> = Vec::new();
                    for (name, value) in element.attrs() {
                        // `xlink:href` and `href` share a local name; XML allows one.
                        if !is_name(name) || seen.contains(&name) {
                            continue;
                        }
                        seen.push(name);
                        let _ = write!(out, " {name}=\"");
                        escape(&mut out, value, true);
                        out.push('"');
                    }
                    out.push('>');
                }
                Node::Text(t) => escape(&mut out, t, false),
                _ => {}
            },
            Edge::Close(node) => {
                if let Node::Element(element) = node.value()
                    && is_name(element.name())
                {
                    depth -= 1;
                    let _ = write!(out, "</{}>", element.name());
                }
            }
        }
    }
    Ok(out)
}

/// Parses the page, refusing it once elements nest deeper than [`MAX_DEPTH`]: the HTML5 tree
/// builder scans its stack of open elements at every tag, so a page of 100,000 nested
/// `<div>`s would take minutes. The parser is fed in chunks and the newest node's depth is
/// read after each, so no more than a chunk's worth of tags is parsed past the limit.
fn parse(text: &str) -> Result<Html, XmlError> {
    let mut parser = parse_document(
        HtmlTreeSink::new(Html::new_document()),
        ParseOpts::default(),
    );
    let mut rest = text;
    while !rest.is_empty() {
        let mut end = rest.len().min(CHUNK);
        while !rest.is_char_boundary(end) {
            end += 1;
        }
        let (chunk, after) = rest.split_at(end);
        parser.process(StrTendril::from_slice(chunk));
        rest = after;
        let page = parser.tokenizer.sink.sink.0.borrow();
        // The newest node is last in the arena; `next_back` reaches it without a walk.
        let newest = page
            .tree
            .nodes()
            .next_back()
            .map_or(0, |node| node.ancestors().count());
        if newest > MAX_DEPTH {
            return Err(too_deep());
        }
    }
    Ok(parser.finish())
}

fn too_deep() -> XmlError {
    XmlError::new(format!(
        "the HTML page nests elements more than {MAX_DEPTH} deep; deeper documents are refused"
    ))
}

/// Appends `text` escaped for element content or a double-quoted attribute, leaving out
/// characters XML 1.0 cannot carry.
fn escape(out: &mut String, text: &str, attribute: bool) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            // Attribute values keep their white space only when it is escaped.
            '\t' if attribute => out.push_str("&#9;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if is_xml_char(c) => out.push(c),
            _ => {}
        }
    }
}

/// Whether `name` is an XML name without a prefix (letters, digits, `-`, `_`, `.`, not
/// starting with a digit, `-` or `.`); HTML allows names XML does not (`<a@b>`, `@click`).
fn is_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c == '_' || c.is_alphabetic())
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
}
