//! Evaluates XPath expressions with xee-xpath over a xot tree, converts results to plain
//! values, and applies edits.
//!
//! xee's parser and compiler recurse once per nesting level and per operand of a chain, use
//! a lot of stack in debug builds (about 20 nested parentheses overflow a 2 MiB thread, which
//! is what tokio workers and test threads have), and take time that doubles with each level of
//! bracket nesting. So expressions are limited in length and nesting before xee sees them, and
//! all xee work runs on a short-lived thread with a large stack ([`on_worker`]); that thread
//! also contains any panic inside the libraries, which then becomes an error, not a crash.
//!
//! xee's documents hold `Rc`s, so a parsed tree cannot be kept in a `Send` value: every call
//! loads the document from its text on the worker.

use std::collections::BTreeMap;

use xee_xpath::context::StaticContextBuilder;
use xee_xpath::error::Error as SpannedError;
use xee_xpath::{Atomic, DocumentHandle, Documents, Item, Queries, Query, Sequence};
use xot::{Node, ValueType, Xot};

use super::{Namespaces, XValue, XmlError};

/// Longest expression accepted, in bytes. Feature-file expressions are far shorter; this
/// bounds the compiler's recursion on long operator chains (`1+1+…`, `a/a/…`).
pub const MAX_XPATH_LEN: usize = 4096;

/// Deepest nesting of `(`, `[` and `{` accepted. xee's parse time doubles per level (about
/// 0.3 s at 10 levels in a debug build), while real expressions rarely pass 4.
pub const MAX_NESTING: usize = 10;

/// Stack of the worker thread: room for the longest accepted chain in a debug build with a
/// wide margin. Only the pages actually touched are backed by memory.
const WORKER_STACK: usize = 64 * 1024 * 1024;

/// How long one XPath evaluation (or XML tree check) may take. Expressions within the length
/// and nesting limits can still be made to run for minutes; real ones take microseconds.
pub const XPATH_TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(5);

/// Runs `job` on a fresh thread with a large stack and waits for it, at most
/// `XPATH_TIME_LIMIT`. A job past its time is abandoned: its thread runs on, detached, until
/// it ends or the process does, and the step fails with an error saying why.
pub(super) fn on_worker<T, F>(job: F) -> Result<T, XmlError>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, XmlError> + Send + 'static,
{
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    std::thread::Builder::new()
        .name("apitest-xpath".to_string())
        .stack_size(WORKER_STACK)
        .spawn(move || {
            let _ = tx.send(job());
        })
        .map_err(|e| XmlError::new(format!("could not start the XPath thread: {e}")))?;
    match rx.recv_timeout(XPATH_TIME_LIMIT) {
        Ok(result) => result,
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => Err(XmlError::new(format!(
            "the XPath evaluation did not finish within {} s; simplify the expression",
            XPATH_TIME_LIMIT.as_secs()
        ))),
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => Err(XmlError::new(
            "the XML/XPath library failed unexpectedly (it panicked); please report the \
             body and expression",
        )),
    }
}

/// Refuses expressions too long or too deeply nested for xee to handle safely.
pub(super) fn check_expression(xpath: &str) -> Result<(), XmlError> {
    if xpath.trim().is_empty() {
        return Err(XmlError::new("the XPath is empty"));
    }
    if xpath.len() > MAX_XPATH_LEN {
        return Err(XmlError::new(format!(
            "XPath `{}` is {} bytes long; at most {MAX_XPATH_LEN} are allowed",
            shown(xpath),
            xpath.len()
        )));
    }
    let mut quote: Option<char> = None;
    let (mut depth, mut deepest) = (0usize, 0usize);
    for c in xpath.chars() {
        match quote {
            // XPath escapes a quote by doubling it, which toggles out and back in: no
            // special case needed.
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '\'' | '"' => quote = Some(c),
                '(' | '[' | '{' => {
                    depth += 1;
                    deepest = deepest.max(depth);
                }
                ')' | ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            },
        }
    }
    if deepest > MAX_NESTING {
        return Err(XmlError::new(format!(
            "XPath `{}` nests brackets {deepest} deep; at most {MAX_NESTING} are allowed",
            shown(xpath)
        )));
    }
    Ok(())
}

/// Refuses registered prefixes that could not appear in an expression.
pub(super) fn check_namespaces(ns: &Namespaces) -> Result<(), XmlError> {
    for (prefix, uri) in ns {
        if prefix.is_empty() {
            // xee would take an empty prefix as the default element namespace, which XPath
            // 1.0 does not have; refusing keeps unprefixed names meaning "no namespace".
            return Err(XmlError::new(format!(
                "namespace prefix `` (for `{uri}`) is empty; XPath has no default element \
                 namespace, so register a prefix such as `d` and write `/d:root`"
            )));
        }
        if !is_ncname(prefix) {
            return Err(XmlError::new(format!(
                "namespace prefix `{prefix}` is not a valid XML name without a colon"
            )));
        }
        if uri.is_empty() {
            return Err(XmlError::new(format!(
                "namespace prefix `{prefix}` is bound to an empty URI"
            )));
        }
    }
    Ok(())
}

fn is_ncname(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// An expression shortened for messages, so a 4 KiB expression does not flood the report.
fn shown(xpath: &str) -> String {
    const LIMIT: usize = 80;
    if xpath.chars().count() <= LIMIT {
        xpath.to_string()
    } else {
        let head: String = xpath.chars().take(LIMIT).collect();
        format!("{head}…")
    }
}

/// A document loaded into xee, ready for queries. Lives only on the worker thread.
pub(super) struct Loaded {
    documents: Documents,
    handle: DocumentHandle,
}

impl Loaded {
    pub(super) fn load(text: &str) -> Result<Loaded, XmlError> {
        let mut documents = Documents::new();
        // The text was checked by `XmlDoc::parse`, so this only fails if the libraries
        // disagree with each other.
        let handle = documents
            .add_string_without_uri(text)
            .map_err(|e| XmlError::new(format!("the body could not be loaded: {e}")))?;
        Ok(Loaded { documents, handle })
    }

    fn xot(&self) -> &Xot {
        self.documents.xot()
    }

    fn document_node(&self) -> Result<Node, XmlError> {
        self.documents
            .document_node(self.handle)
            .ok_or_else(|| XmlError::new("the loaded document has disappeared"))
    }

    /// Prefixes declared on the root element, so `soap:Envelope` works unregistered.
    fn root_prefixes(&self) -> Vec<(String, String)> {
        let xot = self.xot();
        let Some(root) = self
            .document_node()
            .ok()
            .and_then(|doc| xot.document_element(doc).ok())
        else {
            return Vec::new();
        };
        xot.namespaces(root)
            .iter()
            .map(|(prefix, uri)| {
                (
                    xot.prefix_str(prefix).to_string(),
                    xot.namespace_str(*uri).to_string(),
                )
            })
            // The default namespace has no prefix to write in an expression.
            .filter(|(prefix, _)| !prefix.is_empty())
            .collect()
    }

    /// Compiles and runs `xpath` with the document node as context.
    fn evaluate(&mut self, xpath: &str, ns: &Namespaces) -> Result<Sequence, XmlError> {
        // Registered prefixes come last so they win over the root's declarations.
        let mut prefixes: BTreeMap<String, String> = self.root_prefixes().into_iter().collect();
        for (prefix, uri) in ns {
            prefixes.insert(prefix.clone(), uri.clone());
        }
        let mut builder = StaticContextBuilder::default();
        builder.namespaces(prefixes.iter().map(|(p, u)| (p.as_str(), u.as_str())));
        let queries = Queries::default();
        let query = queries
            .sequence_with_context(xpath, builder.build())
            .map_err(|e| invalid_xpath(xpath, &e))?;
        query
            .execute(&mut self.documents, self.handle)
            .map_err(|e| failed_xpath(xpath, &e))
    }

    pub(super) fn query(&mut self, xpath: &str, ns: &Namespaces) -> Result<XValue, XmlError> {
        let sequence = self.evaluate(xpath, ns)?;
        let xot = self.xot();
        let items: Vec<Item> = sequence.iter().collect();
        if let [Item::Atomic(atomic)] = items.as_slice() {
            return atomic_value(atomic, xot, xpath);
        }
        // A node-set; XPath 2+ sequences of atomic values are reported the same way, as
        // their string forms, since the checks compare strings.
        items
            .iter()
            .map(|item| item_string(item, xot, xpath))
            .collect::<Result<Vec<String>, XmlError>>()
            .map(XValue::Nodes)
    }

    /// Sets every selected element's text or attribute's value; returns how many changed.
    pub(super) fn set(
        &mut self,
        xpath: &str,
        ns: &Namespaces,
        value: &str,
    ) -> Result<usize, XmlError> {
        let sequence = self.evaluate(xpath, ns)?;
        // Check every item before changing anything, so an error leaves the document as it
        // was.
        let mut targets = Vec::new();
        for item in sequence.iter() {
            match item {
                Item::Node(node) => match self.xot().value_type(node) {
                    ValueType::Element | ValueType::Attribute => targets.push(node),
                    other => {
                        return Err(XmlError::new(format!(
                            "XPath `{}` selects {}; only elements and attributes can be set",
                            shown(xpath),
                            node_kind(other)
                        )));
                    }
                },
                Item::Atomic(atomic) => {
                    return Err(XmlError::new(format!(
                        "XPath `{}` gives {}, not elements or attributes to set",
                        shown(xpath),
                        atomic_kind(&atomic)
                    )));
                }
                Item::Function(_) => {
                    return Err(XmlError::new(format!(
                        "XPath `{}` gives a function, map or array, not elements or \
                         attributes to set",
                        shown(xpath)
                    )));
                }
            }
        }
        if targets.is_empty() {
            return Err(XmlError::new(format!(
                "XPath `{}` selects nothing in the request",
                shown(xpath)
            )));
        }
        let xot = self.documents.xot_mut();
        let mut changed = 0;
        // Descendants before ancestors: setting an ancestor's text removes its descendants,
        // and a removed node must not be touched.
        for node in targets.into_iter().rev() {
            if xot.is_removed(node) {
                continue;
            }
            if let Some(attribute) = xot.attribute_node_mut(node) {
                attribute.set_value(value);
            } else {
                let children: Vec<Node> = xot.children(node).collect();
                for child in children {
                    xot.remove(child).map_err(edit_failed)?;
                }
                // An empty value leaves the element empty rather than holding an empty text
                // node, which XML cannot tell apart anyway.
                if !value.is_empty() {
                    xot.append_text(node, value).map_err(edit_failed)?;
                }
            }
            changed += 1;
        }
        Ok(changed)
    }

    /// The document serialised by xot (without the XML declaration, which xot drops).
    pub(super) fn serialize(&self) -> Result<String, XmlError> {
        let doc = self.document_node()?;
        self.xot()
            .to_string(doc)
            .map_err(|e| XmlError::new(format!("the document could not be serialised: {e}")))
    }
}

fn edit_failed(e: xot::Error) -> XmlError {
    XmlError::new(format!("the document could not be edited: {e}"))
}

fn atomic_value(atomic: &Atomic, xot: &Xot, xpath: &str) -> Result<XValue, XmlError> {
    if let Atomic::Boolean(b) = atomic {
        return Ok(XValue::Boolean(*b));
    }
    if atomic.is_numeric() {
        // Integers and decimals (XPath 2+ types) become doubles, XPath 1.0's only number.
        return f64::try_from(atomic.clone())
            .map(XValue::Number)
            .map_err(|e| {
                XmlError::new(format!(
                    "XPath `{}` gives a number that cannot be read: {e}",
                    shown(xpath)
                ))
            });
    }
    item_string(&Item::Atomic(atomic.clone()), xot, xpath).map(XValue::String)
}

fn item_string(item: &Item, xot: &Xot, xpath: &str) -> Result<String, XmlError> {
    item.string_value(xot).map_err(|_| {
        XmlError::new(format!(
            "XPath `{}` gives a function, map or array, which has no string value",
            shown(xpath)
        ))
    })
}

fn node_kind(kind: ValueType) -> &'static str {
    match kind {
        ValueType::Document => "the document node",
        ValueType::Element => "an element",
        ValueType::Text => "a text node",
        ValueType::ProcessingInstruction => "a processing instruction",
        ValueType::Comment => "a comment",
        ValueType::Attribute => "an attribute",
        ValueType::Namespace => "a namespace node",
    }
}

fn atomic_kind(atomic: &Atomic) -> &'static str {
    match atomic {
        Atomic::Boolean(_) => "a boolean",
        a if a.is_numeric() => "a number",
        Atomic::String(..) | Atomic::Untyped(_) => "a string",
        _ => "an atomic value",
    }
}

/// "parse error (XPST0003)" from xee's documented first sentence and its error code.
fn describe(e: &SpannedError) -> String {
    let code = e.error.code();
    let message = e.error.message().trim().trim_end_matches('.');
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => format!("{}{} ({code})", first.to_lowercase(), chars.as_str()),
        None => code,
    }
}

/// Where in the expression the error is: the offending text, or a character position.
fn locate(xpath: &str, e: &SpannedError) -> String {
    let Some(span) = e.span else {
        return String::new();
    };
    let range = span.range();
    match xpath.get(range.clone()) {
        Some(fragment) if !fragment.trim().is_empty() && fragment != xpath => {
            format!(" in `{}`", shown(fragment))
        }
        Some(_) if range.start == range.end => {
            let column = xpath
                .get(..range.start)
                .map(|s| s.chars().count())
                .unwrap_or(0)
                + 1;
            format!(" at character {column}")
        }
        _ => String::new(),
    }
}

fn invalid_xpath(xpath: &str, e: &SpannedError) -> XmlError {
    let hint = if e.error.code() == "XPST0081" {
        "; register it with a namespace prefix step, or declare it on the root element"
    } else {
        ""
    };
    XmlError::new(format!(
        "`{}` is not a valid XPath: {}{}{hint}",
        shown(xpath),
        describe(e),
        locate(xpath, e)
    ))
}

fn failed_xpath(xpath: &str, e: &SpannedError) -> XmlError {
    XmlError::new(format!(
        "XPath `{}` failed: {}{}",
        shown(xpath),
        describe(e),
        locate(xpath, e)
    ))
}
