//! XML bodies for the XPath steps: parse a response or request body, evaluate XPath
//! expressions against it for checks (`Then XPath "/employee/name" is "John Doe"`), and set
//! element text or attribute values in a request body (`Given XPath "/a/@id" in request is
//! "7"`), then serialise it back.
//!
//! The engine is xpath-eval over a xot tree: XPath 1.0, as in Zato's apitest (lxml), so the
//! same expression gives the same answer there and here (`'a' = 1` is `false`, numbers are
//! doubles). XPath 2+ syntax (`if`, `for`, `let`, `//price/number()`) is refused as not valid
//! XPath, and a function outside XPath 1.0's library (`string-join`, `matches`) is refused
//! naming the ones there are, before anything is evaluated.
//!
//! Namespaces: a prefix in an expression must be known. Prefixes registered with
//! `Given namespace prefix "p" of "uri"` (the `ns` argument) are, and so are the prefixes
//! declared on the document's root element, under their own names (`soap:Envelope` works
//! without registering `soap`); a registered prefix wins over the root's. As in XPath 1.0, an
//! unprefixed name in an expression means "no namespace", so an element in a default
//! namespace (`<order xmlns="urn:shop">`) is not matched by `/order`: register a prefix for
//! that URI (`Given namespace prefix "s" of "urn:shop"`) and write `/s:order`, or match on
//! `*[local-name()='order']`. An empty prefix is refused rather than taken as a default.
//!
//! Untrusted bodies: no DTD is ever read, so no entity is expanded and nothing is fetched. A
//! DOCTYPE without an internal subset (`<!DOCTYPE html>`, or one naming an external DTD) is
//! accepted and ignored; one with an internal subset (`<!DOCTYPE a [ <!ENTITY ...> ]>`) is
//! refused. HTML pages (`text/html`) are read by an HTML5 parser instead; see `html`. Nesting is limited to [`MAX_DEPTH`] elements, and expressions are
//! limited in length and bracket nesting; see `scan` and `xpath` for why.

mod html;
mod scan;
mod xpath;

#[cfg(test)]
mod tests;

use std::fmt;

pub use scan::MAX_DEPTH;
pub use xpath::{MAX_NESTING, MAX_XPATH_LEN};

/// A parsed XML document that can be queried and edited.
///
/// It keeps the document as text and loads it for each call: the XPath engine's trees are
/// not `Send`, and the runner keeps bodies across `.await`s on a multi-threaded runtime.
#[derive(Debug, Clone, PartialEq)]
pub struct XmlDoc {
    /// Checked, well-formed XML without a byte-order mark: the original body until the
    /// first edit, then the XML declaration and DOCTYPE (if any) followed by xot's
    /// serialisation.
    text: String,
    /// What the XPath engine reads: `text` with its DOCTYPE blanked out, as xot refuses DTDs.
    tree: String,
    /// The DOCTYPE declaration, kept for serialising an edited document ("" if none).
    doctype: String,
}

/// Namespace prefixes registered by `namespace prefix "p" of "uri"` steps, used by every query.
pub type Namespaces = Vec<(String, String)>; // (prefix, uri)

/// The result of an XPath query, converted to plain values for checks.
#[derive(Debug, Clone, PartialEq)]
pub enum XValue {
    /// A node-set: the string-value of each selected node, in document order and once each
    /// (elements: their text content; attributes: their value).
    Nodes(Vec<String>),
    String(String),
    Number(f64),
    Boolean(bool),
}

/// Why a body could not be parsed, or an expression evaluated or applied.
#[derive(Debug, Clone, PartialEq)]
pub struct XmlError {
    pub message: String,
}

impl XmlError {
    fn new(message: impl Into<String>) -> XmlError {
        XmlError {
            message: message.into(),
        }
    }
}

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for XmlError {}

impl XmlDoc {
    /// Parses and checks `text`; see the module documentation for what is refused.
    pub fn parse(text: &str) -> Result<XmlDoc, XmlError> {
        // A byte-order mark says nothing once the body is a Rust string.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let doctype = scan::check(text)?;
        let tree = scan::without_doctype(text, doctype.clone());
        let tree = xpath::on_worker(move || scan::check_tree(&tree).map(|()| tree))?;
        Ok(XmlDoc {
            text: text.to_string(),
            tree,
            doctype: doctype.map_or_else(String::new, |range| text[range].to_string()),
        })
    }

    /// Parses an HTML page as a browser does (HTML5 parsing: unclosed tags, void elements and
    /// bad markup are repaired), into a document that XPath reads without namespaces:
    /// `//title`, `//a/@href`, `//meta[@name='description']/@content`.
    pub fn parse_html(text: &str) -> Result<XmlDoc, XmlError> {
        XmlDoc::parse(&html::to_xml(text)?)
    }

    /// Evaluates an XPath 1.0 expression. Prefixes in `ns` are usable in the expression; in
    /// addition, the prefixes declared on the document's root element are usable by their own
    /// names (so `soap:Envelope` works without registering `soap`).
    pub fn query(&self, xpath: &str, ns: &Namespaces) -> Result<XValue, XmlError> {
        xpath::check_expression(xpath)?;
        xpath::check_namespaces(ns)?;
        let (text, xpath, ns) = (self.tree.clone(), xpath.to_string(), ns.clone());
        xpath::on_worker(move || xpath::Loaded::load(&text)?.query(&xpath, &ns))
    }

    /// Sets the text content of every element selected by `xpath` (replacing its children
    /// with one text node), or the value of every selected attribute. Zero selected nodes is
    /// an error naming the expression. Selecting something else (a text node, a number) is an
    /// error, and then nothing is changed. Returns how many nodes changed.
    pub fn set(&mut self, xpath: &str, ns: &Namespaces, value: &str) -> Result<usize, XmlError> {
        xpath::check_expression(xpath)?;
        xpath::check_namespaces(ns)?;
        check_value(value)?;
        let (text, xpath, ns, value) = (
            self.tree.clone(),
            xpath.to_string(),
            ns.clone(),
            value.to_string(),
        );
        let (changed, body) = xpath::on_worker(move || {
            let mut loaded = xpath::Loaded::load(&text)?;
            let changed = loaded.set(&xpath, &ns, &value)?;
            Ok((changed, loaded.serialize()?))
        })?;
        let declaration = scan::declaration(&self.text);
        self.tree = format!("{declaration}{body}");
        self.text = match self.doctype.as_str() {
            "" => self.tree.clone(),
            doctype => format!("{declaration}{doctype}\n{body}"),
        };
        Ok(changed)
    }

    /// Serialises the document: the original text until the first edit, then the XML
    /// declaration (if there was one) followed by the edited tree.
    pub fn serialize(&self) -> String {
        self.text.clone()
    }
}

/// `to_string()` comes from here; an inherent `to_string` would shadow `Display`.
impl fmt::Display for XmlDoc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Refuses characters XML 1.0 cannot carry, which would make the edited body unreadable.
fn check_value(value: &str) -> Result<(), XmlError> {
    match value.chars().find(|&c| !is_xml_char(c)) {
        Some(c) => Err(XmlError::new(format!(
            "the value contains U+{:04X}, which XML 1.0 does not allow",
            u32::from(c)
        ))),
        None => Ok(()),
    }
}

/// The `Char` production of XML 1.0: what a well-formed document may contain.
pub fn is_xml_char(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\r' | ' '..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..
    )
}
