//! Evaluates XPath 1.0 expressions with xpath-eval over a xot tree, converts results to
//! plain values, and applies edits.
//!
//! XPath 1.0 is what Zato's apitest evaluates (through lxml), so its suites get the same
//! answers here: `'a' = 1` is false, not a type error, and numbers are doubles.
//!
//! The parser, the checks below and the evaluator recurse once per nesting level and per
//! operand of a chain. So expressions are limited in length and nesting before they are
//! parsed, and all the work runs on a short-lived thread with a large stack ([`on_worker`]),
//! which also puts a time limit on it and contains any panic inside the libraries, which then
//! becomes an error, not a crash.
//!
//! The evaluator's caches hold `Rc`s, and the runner keeps bodies across `.await`s on a
//! multi-threaded runtime, so every call loads the document from its text on the worker.

use std::collections::HashMap;

use xot::{Node, ValueType, Xot};
use xpath_eval::{
    EvaluationContext, ExpandedName, Expr, FilterExpr, LocationPath, NodeKind, NodeTest, PathExpr,
    PrimaryExpr, QName, Value,
};

use super::{Namespaces, XValue, XmlError};

/// Longest expression accepted, in bytes. Feature-file expressions are far shorter; this
/// bounds the compiler's recursion on long operator chains (`1+1+…`, `a/a/…`).
pub const MAX_XPATH_LEN: usize = 4096;

/// Deepest nesting of `(`, `[` and `{` accepted: real expressions rarely pass 4, and each
/// level is a level of recursion in the parser and the evaluator.
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

/// Refuses expressions too long or too deeply nested to parse and evaluate safely.
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
            // XPath 1.0 has no default element namespace: an unprefixed name means "no
            // namespace", so an empty prefix could never be written in an expression.
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

/// The functions of XPath 1.0's core library, all of which the evaluator implements.
const FUNCTIONS: [&str; 27] = [
    "last",
    "position",
    "count",
    "id",
    "local-name",
    "namespace-uri",
    "name",
    "string",
    "concat",
    "starts-with",
    "contains",
    "substring-before",
    "substring-after",
    "substring",
    "string-length",
    "normalize-space",
    "translate",
    "boolean",
    "not",
    "true",
    "false",
    "lang",
    "number",
    "sum",
    "floor",
    "ceiling",
    "round",
];

/// A parsed document with its nodes' document order, ready for queries. Lives only on the
/// worker thread.
pub(super) struct Loaded {
    xot: Xot,
    root: Node,
    /// Each node's position in document order (element, its namespace nodes, its attribute
    /// nodes, then its children), numbered once at load.
    order: HashMap<Node, usize>,
}

/// A node as the evaluator sees it: the tree and a node in it.
#[derive(Clone, Copy)]
struct XNode<'a> {
    tree: &'a Loaded,
    node: Node,
}

impl PartialEq for XNode<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.node == other.node
    }
}

impl Eq for XNode<'_> {}

impl<'a> XNode<'a> {
    fn at(self, node: Node) -> XNode<'a> {
        XNode {
            tree: self.tree,
            node,
        }
    }

    fn position(self) -> usize {
        self.tree.position(self.node)
    }
}

impl<'a> xpath_eval::Node<'a> for XNode<'a> {
    fn kind(self) -> NodeKind {
        match self.tree.xot.value_type(self.node) {
            ValueType::Document => NodeKind::Root,
            ValueType::Element => NodeKind::Element,
            ValueType::Attribute => NodeKind::Attribute,
            ValueType::Namespace => NodeKind::Namespace,
            ValueType::Text => NodeKind::Text,
            ValueType::Comment => NodeKind::Comment,
            ValueType::ProcessingInstruction => NodeKind::ProcessingInstruction,
        }
    }

    fn parent(self) -> Option<Self> {
        self.tree.xot.parent(self.node).map(|n| self.at(n))
    }

    fn children(self) -> impl Iterator<Item = Self> + 'a {
        self.tree.xot.children(self.node).map(move |n| self.at(n))
    }

    /// None but an element's: in xot, other nodes' first children are never attributes.
    fn attributes(self) -> impl Iterator<Item = Self> + 'a {
        self.tree
            .xot
            .attribute_nodes(self.node)
            .map(move |n| self.at(n))
    }

    /// The namespaces declared on the element (xot keeps a namespace node per declaration,
    /// first among the element's nodes, and only elements have them), not the inherited ones.
    fn namespaces(self) -> impl Iterator<Item = Self> + 'a {
        let xot = &self.tree.xot;
        xot.all_descendants(self.node)
            .skip(1)
            .take_while(move |&n| xot.value_type(n) == ValueType::Namespace)
            .map(move |n| self.at(n))
    }

    fn expanded_name(self) -> Option<ExpandedName> {
        let xot = &self.tree.xot;
        match xot.value(self.node) {
            xot::Value::Namespace(namespace) => Some(ExpandedName {
                namespace_uri: None,
                local_name: xot.prefix_str(namespace.prefix()).to_string(),
            }),
            _ => xot.node_name(self.node).map(|name| {
                let (local, uri) = xot.name_ns_str(name);
                ExpandedName {
                    namespace_uri: (!uri.is_empty()).then(|| uri.to_string()),
                    local_name: local.to_string(),
                }
            }),
        }
    }

    fn has_expanded_name(self, namespace_uri: Option<&str>, local_name: &str) -> bool {
        let xot = &self.tree.xot;
        match xot.value(self.node) {
            xot::Value::Namespace(namespace) => {
                namespace_uri.is_none() && xot.prefix_str(namespace.prefix()) == local_name
            }
            _ => xot.node_name(self.node).is_some_and(|name| {
                let (local, uri) = xot.name_ns_str(name);
                local == local_name && uri == namespace_uri.unwrap_or("")
            }),
        }
    }

    fn string_value(self) -> String {
        self.tree.xot.string_value(self.node)
    }

    fn with_string_value<R>(self, f: impl FnOnce(&str) -> R) -> R {
        match self.tree.xot.value(self.node) {
            xot::Value::Text(text) => f(text.get()),
            xot::Value::Attribute(attribute) => f(attribute.value()),
            _ => f(&self.string_value()),
        }
    }

    fn document_order(self, other: Self) -> std::cmp::Ordering {
        self.position().cmp(&other.position())
    }
}

impl Loaded {
    pub(super) fn load(text: &str) -> Result<Loaded, XmlError> {
        let mut xot = Xot::new();
        // The text was checked by `XmlDoc::parse`, so this only fails if the libraries
        // disagree with each other.
        let root = xot
            .parse(text)
            .map_err(|e| XmlError::new(format!("the body could not be loaded: {e}")))?;
        let order = xot
            .all_descendants(root)
            .enumerate()
            .map(|(i, node)| (node, i))
            .collect();
        Ok(Loaded { xot, root, order })
    }

    /// `node`'s place in document order.
    fn position(&self, node: Node) -> usize {
        self.order.get(&node).copied().unwrap_or(usize::MAX)
    }

    /// The nodes of a node-set, once each, in document order.
    fn in_order(&self, nodes: Vec<XNode<'_>>) -> Vec<Node> {
        let mut nodes: Vec<Node> = nodes.into_iter().map(|n| n.node).collect();
        nodes.sort_by_key(|&n| self.position(n));
        nodes.dedup();
        nodes
    }

    /// Prefixes declared on the root element, so `soap:Envelope` works unregistered.
    fn root_prefixes(&self) -> Vec<(String, String)> {
        let Ok(element) = self.xot.document_element(self.root) else {
            return Vec::new();
        };
        self.xot
            .namespaces(element)
            .iter()
            .map(|(prefix, uri)| {
                (
                    self.xot.prefix_str(prefix).to_string(),
                    self.xot.namespace_str(*uri).to_string(),
                )
            })
            // The default namespace has no prefix to write in an expression.
            .filter(|(prefix, _)| !prefix.is_empty())
            .collect()
    }

    /// Parses and checks `xpath`, then runs it with the document node as context.
    fn evaluate(&self, xpath: &str, ns: &Namespaces) -> Result<Value<XNode<'_>>, XmlError> {
        let expr = xpath_eval::parse(xpath).map_err(|e| {
            XmlError::new(format!(
                "`{}` is not a valid XPath: {}{} (apitest reads XPath 1.0)",
                shown(xpath),
                e.message.trim_end_matches('.'),
                at_character(xpath, e.position)
            ))
        })?;
        // Registered prefixes come first so they win over the root's declarations.
        let mut prefixes = ns.clone();
        prefixes.extend(self.root_prefixes());
        let mut names = Names::default();
        names.expr(&expr);
        if let Some(prefix) = names
            .prefixes
            .iter()
            .find(|p| !prefixes.iter().any(|(known, _)| known == *p))
        {
            return Err(XmlError::new(format!(
                "`{}` is not a valid XPath: the namespace prefix `{prefix}` is unknown; \
                 register it with a namespace prefix step, or declare it on the root element",
                shown(xpath)
            )));
        }
        if let Some(function) = names.unknown_function {
            return Err(XmlError::new(format!(
                "`{}` is not a valid XPath: there is no function `{function}()` in XPath 1.0; \
                 {}",
                shown(xpath),
                instead_of(&function)
            )));
        }
        let lookup = |prefix: &str| {
            prefixes
                .iter()
                .find(|(known, _)| known == prefix)
                .map(|(_, uri)| uri.clone())
        };
        let mut context = EvaluationContext::new(XNode {
            tree: self,
            node: self.root,
        });
        context.namespaces = Some(&lookup);
        xpath_eval::evaluate(&expr, &context).map_err(|e| {
            XmlError::new(format!(
                "XPath `{}` failed: {}",
                shown(xpath),
                e.to_string().trim_end_matches('.')
            ))
        })
    }

    pub(super) fn query(&self, xpath: &str, ns: &Namespaces) -> Result<XValue, XmlError> {
        Ok(match self.evaluate(xpath, ns)? {
            Value::Boolean(b) => XValue::Boolean(b),
            Value::Number(n) => XValue::Number(n),
            Value::String(s) => XValue::String(s),
            Value::NodeSet(nodes) => XValue::Nodes(
                self.in_order(nodes)
                    .into_iter()
                    .map(|n| self.xot.string_value(n))
                    .collect(),
            ),
        })
    }

    /// Sets every selected element's text or attribute's value; returns how many changed.
    pub(super) fn set(
        &mut self,
        xpath: &str,
        ns: &Namespaces,
        value: &str,
    ) -> Result<usize, XmlError> {
        // Check every node before changing anything, so an error leaves the document as it
        // was.
        let targets = match self.evaluate(xpath, ns)? {
            Value::NodeSet(nodes) => self.in_order(nodes),
            other => {
                return Err(XmlError::new(format!(
                    "XPath `{}` gives {}, not elements or attributes to set",
                    shown(xpath),
                    match other {
                        Value::Boolean(_) => "a boolean",
                        Value::Number(_) => "a number",
                        _ => "a string",
                    }
                )));
            }
        };
        for &node in &targets {
            match self.xot.value_type(node) {
                ValueType::Element | ValueType::Attribute => {}
                other => {
                    return Err(XmlError::new(format!(
                        "XPath `{}` selects {}; only elements and attributes can be set",
                        shown(xpath),
                        node_kind(other)
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
        let xot = &mut self.xot;
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
        self.xot
            .to_string(self.root)
            .map_err(|e| XmlError::new(format!("the document could not be serialised: {e}")))
    }
}

/// What to write instead of a function XPath 1.0 does not have: a step for the XPath 2+
/// functions testers reach for most, else the functions there are.
fn instead_of(function: &str) -> String {
    match function {
        "matches" | "replace" | "tokenize" => "for a regular expression, select the text and \
             check it with `Then XPath \"...\" matches the regex \"...\"`"
            .to_string(),
        "ends-with" => {
            "select the text and check it with `Then XPath \"...\" ends with \"...\"`".to_string()
        }
        "lower-case" | "upper-case" => {
            "`translate(., 'ABC…', 'abc…')` changes case in XPath 1.0".to_string()
        }
        _ => format!("its functions are {}", FUNCTIONS.join(", ")),
    }
}

/// The namespace prefixes an expression uses, and the first function it calls that XPath 1.0
/// does not have: both are refused before evaluation, where the evaluator would quietly match
/// nothing (an unknown prefix) or fail only if the call is reached.
#[derive(Default)]
struct Names<'e> {
    prefixes: Vec<&'e str>,
    unknown_function: Option<String>,
}

impl<'e> Names<'e> {
    fn expr(&mut self, expr: &'e Expr) {
        match expr {
            Expr::Or(a, b)
            | Expr::And(a, b)
            | Expr::Equality(a, _, b)
            | Expr::Relational(a, _, b)
            | Expr::Additive(a, _, b)
            | Expr::Multiplicative(a, _, b)
            | Expr::Union(a, b) => {
                self.expr(a);
                self.expr(b);
            }
            Expr::Negate(a) => self.expr(a),
            Expr::Path(PathExpr::Location(path)) => self.path(path),
            Expr::Path(PathExpr::Filter(filter)) => self.filter(filter),
            Expr::Path(PathExpr::FilterLocation(filter, path)) => {
                self.filter(filter);
                self.path(path);
            }
        }
    }

    fn path(&mut self, path: &'e LocationPath) {
        for step in &path.steps {
            match &step.node_test {
                NodeTest::QName(name) => self.prefix(name),
                NodeTest::NamespaceWildcard(prefix) => self.prefixes.push(prefix),
                _ => {}
            }
            step.predicates.iter().for_each(|p| self.expr(p));
        }
    }

    fn filter(&mut self, filter: &'e FilterExpr) {
        match &filter.primary {
            PrimaryExpr::Parenthesized(inner) => self.expr(inner),
            PrimaryExpr::Function(call) => {
                self.prefix(&call.name);
                if self.unknown_function.is_none()
                    && (call.name.prefix.is_some()
                        || !FUNCTIONS.contains(&call.name.local.as_str()))
                {
                    self.unknown_function = Some(match &call.name.prefix {
                        Some(prefix) => format!("{prefix}:{}", call.name.local),
                        None => call.name.local.clone(),
                    });
                }
                call.args.iter().for_each(|a| self.expr(a));
            }
            PrimaryExpr::Variable(name) => self.prefix(name),
            PrimaryExpr::Literal(_) | PrimaryExpr::Number(_) => {}
        }
        filter.predicates.iter().for_each(|p| self.expr(p));
    }

    fn prefix(&mut self, name: &'e QName) {
        if let Some(prefix) = &name.prefix {
            self.prefixes.push(prefix);
        }
    }
}

/// " at character N" for a byte position in the expression.
fn at_character(xpath: &str, position: usize) -> String {
    let column = xpath
        .get(..position)
        .map_or_else(|| xpath.chars().count(), |s| s.chars().count())
        + 1;
    format!(" at character {column}")
}

fn edit_failed(e: xot::Error) -> XmlError {
    XmlError::new(format!("the document could not be edited: {e}"))
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
