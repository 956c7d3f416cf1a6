//! Unit tests for XML parsing, XPath queries and edits, and the limits on untrusted input.

use super::*;

const EMPLOYEE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<employee id="42" active="true">
  <name>John Doe</name>
  <!-- kept on edit -->
  <items>
    <item id="1"><price>3</price></item>
    <item id="2"><price>9.5</price></item>
  </items>
</employee>"#;

const NS_DOC: &str = r#"<order xmlns:ns="http://example.com/ns">
  <ns:item id="1"><ns:price>1.25</ns:price></ns:item>
  <ns:item id="2"><ns:price>9.5</ns:price></ns:item>
</order>"#;

const SOAP: &str = r#"<?xml version="1.0"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:m="urn:quotes">
  <soap:Header/>
  <soap:Body>
    <m:GetPriceResponse><m:Price>34.5</m:Price></m:GetPriceResponse>
  </soap:Body>
</soap:Envelope>"#;

fn none() -> Namespaces {
    Vec::new()
}

fn ns(prefix: &str, uri: &str) -> Namespaces {
    vec![(prefix.to_string(), uri.to_string())]
}

fn doc(text: &str) -> XmlDoc {
    XmlDoc::parse(text).unwrap()
}

fn q(text: &str, xpath: &str) -> XValue {
    doc(text).query(xpath, &none()).unwrap()
}

fn nodes(values: &[&str]) -> XValue {
    XValue::Nodes(values.iter().map(|s| s.to_string()).collect())
}

fn err(result: Result<impl std::fmt::Debug, XmlError>) -> String {
    result.unwrap_err().to_string()
}

// --- queries ---

#[test]
fn element_text() {
    assert_eq!(q(EMPLOYEE, "/employee/name"), nodes(&["John Doe"]));
}

#[test]
fn attribute_value() {
    assert_eq!(q(EMPLOYEE, "/employee/@id"), nodes(&["42"]));
}

#[test]
fn count_is_a_number() {
    assert_eq!(q(EMPLOYEE, "count(//item)"), XValue::Number(2.0));
    assert_eq!(q(EMPLOYEE, "sum(//price)"), XValue::Number(12.5));
    // XPath 1.0 has one number type, the double.
    assert_eq!(q(EMPLOYEE, "1 div 4"), XValue::Number(0.25));
}

#[test]
fn boolean_results() {
    assert_eq!(q(EMPLOYEE, "boolean(//item)"), XValue::Boolean(true));
    assert_eq!(q(EMPLOYEE, "boolean(//missing)"), XValue::Boolean(false));
    assert_eq!(
        q(EMPLOYEE, "/employee/name = 'John Doe'"),
        XValue::Boolean(true)
    );
}

#[test]
fn string_result() {
    assert_eq!(
        q(EMPLOYEE, "string(/employee/name)"),
        XValue::String("John Doe".into())
    );
    assert_eq!(
        q(EMPLOYEE, "concat(/employee/@id, '-', //item[1]/@id)"),
        XValue::String("42-1".into())
    );
}

#[test]
fn predicate_descendant_and_position() {
    assert_eq!(q(EMPLOYEE, "//item[@id='2']/price"), nodes(&["9.5"]));
    // An untyped attribute compared with a number is compared as a number, as in 1.0.
    assert_eq!(q(EMPLOYEE, "//item[@id=2]/price"), nodes(&["9.5"]));
    assert_eq!(q(EMPLOYEE, "//item[2]/price"), nodes(&["9.5"]));
    assert_eq!(q(EMPLOYEE, "//price"), nodes(&["3", "9.5"]));
    assert_eq!(q(EMPLOYEE, "//item/@id"), nodes(&["1", "2"]));
}

#[test]
fn element_string_value_is_all_its_text() {
    assert_eq!(q(EMPLOYEE, "//item[1]"), nodes(&["3"]));
    assert_eq!(q(EMPLOYEE, "/employee/name/text()"), nodes(&["John Doe"]));
}

#[test]
fn empty_node_set() {
    assert_eq!(q(EMPLOYEE, "/employee/missing"), nodes(&[]));
    assert_eq!(q(EMPLOYEE, "//item[@id='9']/price"), nodes(&[]));
}

#[test]
fn union_is_in_document_order_without_duplicates() {
    assert_eq!(
        q(EMPLOYEE, "//item[2]/price | //item/price | /employee/name"),
        nodes(&["John Doe", "3", "9.5"])
    );
    assert_eq!(
        q(EMPLOYEE, "//price/ancestor::*/@id"),
        nodes(&["42", "1", "2"])
    );
}

#[test]
fn namespace_via_registered_prefix() {
    let d = doc(NS_DOC);
    // A prefix of the caller's choosing, bound to the document's URI.
    let x = ns("x", "http://example.com/ns");
    assert_eq!(
        d.query("//x:item[@id='2']/x:price", &x).unwrap(),
        nodes(&["9.5"])
    );
    assert_eq!(
        d.query("number(//x:item[@id='2']/x:price)", &x).unwrap(),
        XValue::Number(9.5)
    );
}

#[test]
fn namespace_via_root_declared_prefix() {
    let d = doc(NS_DOC);
    assert_eq!(
        d.query("//ns:item[@id='2']/ns:price", &none()).unwrap(),
        nodes(&["9.5"])
    );
}

#[test]
fn registered_prefix_wins_over_root_declaration() {
    let d = doc(NS_DOC);
    let other = ns("ns", "http://example.com/other");
    assert_eq!(d.query("//ns:item", &other).unwrap(), nodes(&[]));
}

#[test]
fn soap_envelope_prefixes_work_unregistered() {
    let d = doc(SOAP);
    assert_eq!(
        d.query(
            "/soap:Envelope/soap:Body/m:GetPriceResponse/m:Price",
            &none()
        )
        .unwrap(),
        nodes(&["34.5"])
    );
    assert_eq!(
        d.query("count(/soap:Envelope/soap:Header)", &none())
            .unwrap(),
        XValue::Number(1.0)
    );
}

#[test]
fn soap_with_registered_prefix_of_another_name() {
    let d = doc(SOAP);
    let env = ns("env", "http://schemas.xmlsoap.org/soap/envelope/");
    assert_eq!(
        d.query("string(/env:Envelope/env:Body)", &env).unwrap(),
        XValue::String("\n    34.5\n  ".into())
    );
}

#[test]
fn default_namespace_needs_a_registered_prefix() {
    let d = doc(r#"<order xmlns="urn:shop"><id>7</id></order>"#);
    // Unprefixed names mean "no namespace", as in XPath 1.0.
    assert_eq!(d.query("/order/id", &none()).unwrap(), nodes(&[]));
    assert_eq!(
        d.query("/s:order/s:id", &ns("s", "urn:shop")).unwrap(),
        nodes(&["7"])
    );
    assert_eq!(
        d.query("/*[local-name()='order']/*[local-name()='id']", &none())
            .unwrap(),
        nodes(&["7"])
    );
    let e = err(d.query("/order", &ns("", "urn:shop")));
    assert!(
        e.contains("namespace prefix `` (for `urn:shop`) is empty"),
        "{e}"
    );
}

#[test]
fn unknown_prefix_is_explained() {
    let e = err(doc(EMPLOYEE).query("/foo:employee", &none()));
    assert!(
        e.starts_with("`/foo:employee` is not a valid XPath: "),
        "{e}"
    );
    assert!(e.contains("the namespace prefix `foo` is unknown"), "{e}");
    assert!(e.contains("namespace prefix step"), "{e}");
    // Refused wherever the name is, even where evaluation would never reach it.
    let e = err(doc(EMPLOYEE).query("false() and //x[@y:z]", &none()));
    assert!(e.contains("the namespace prefix `y` is unknown"), "{e}");
}

#[test]
fn invalid_prefix_is_refused() {
    let e = err(doc(EMPLOYEE).query("/a", &ns("a:b", "urn:x")));
    assert_eq!(
        e,
        "namespace prefix `a:b` is not a valid XML name without a colon"
    );
}

#[test]
fn invalid_xpath_error_message() {
    let e = err(doc(EMPLOYEE).query("/a/[", &none()));
    assert_eq!(
        e,
        "`/a/[` is not a valid XPath: expected a node test at character 4 \
         (apitest reads XPath 1.0)"
    );
    let e = err(doc(EMPLOYEE).query("nosuch(1)", &none()));
    assert!(
        e.starts_with(
            "`nosuch(1)` is not a valid XPath: there is no function `nosuch()` in XPath 1.0; \
             its functions are last, position, count,"
        ),
        "{e}"
    );
}

#[test]
fn empty_xpath_is_refused() {
    assert_eq!(
        err(doc(EMPLOYEE).query("  ", &none())),
        "the XPath is empty"
    );
}

#[test]
fn comparisons_convert_as_xpath_1_does() {
    // As lxml (Zato's apitest) answers: the string is converted to a number, NaN.
    assert_eq!(q(EMPLOYEE, "'a' = 1"), XValue::Boolean(false));
    assert_eq!(q(EMPLOYEE, "'1' = 1"), XValue::Boolean(true));
    assert_eq!(q(EMPLOYEE, "//price > 9"), XValue::Boolean(true));
    assert_eq!(q(EMPLOYEE, "1 div 0"), XValue::Number(f64::INFINITY));
}

#[test]
fn xpath_2_features_are_refused_with_the_reason() {
    let e = err(doc(EMPLOYEE).query("string-join(//item/@id, ',')", &none()));
    assert!(
        e.contains("there is no function `string-join()` in XPath 1.0"),
        "{e}"
    );
    let e = err(doc(EMPLOYEE).query("matches(/employee/name, '^J')", &none()));
    assert!(
        e.ends_with("check it with `Then XPath \"...\" matches the regex \"...\"`"),
        "{e}"
    );
    let e = err(doc(EMPLOYEE).query("ends-with(/employee/name, 'e')", &none()));
    assert!(e.contains("ends with"), "{e}");
    let e = err(doc(EMPLOYEE).query("//price/number()", &none()));
    assert!(e.ends_with("(apitest reads XPath 1.0)"), "{e}");
    let e = err(doc(EMPLOYEE).query("if (1) then 'a' else 'b'", &none()));
    assert!(e.contains("not a valid XPath"), "{e}");
}

// --- parse errors ---

#[test]
fn malformed_xml_reports_line_and_column() {
    let e = err(XmlDoc::parse("<a>\n  <b>\n    <c></b>\n</a>"));
    assert_eq!(
        e,
        "the body is not well-formed XML: `</b>` closes `<c>` at line 3, column 8"
    );
}

#[test]
fn tokenizer_error_reports_line_and_column() {
    let e = err(XmlDoc::parse("<a>\n  <b x=1/>\n</a>"));
    assert!(
        e.starts_with("the body is not well-formed XML: invalid attribute: expected a quote"),
        "{e}"
    );
    assert!(e.ends_with("at line 2, column 8"), "{e}");
}

#[test]
fn unclosed_and_stray_tags() {
    let e = err(XmlDoc::parse("<a><b></b>"));
    assert_eq!(
        e,
        "the body is not well-formed XML: `<a>` is never closed at line 1, column 11"
    );
    // xot `expect`s on a stray closing tag; the tokenizer refuses it first.
    let e = err(XmlDoc::parse("<a/></b>"));
    assert_eq!(
        e,
        "the body is not well-formed XML: there is markup after the root element at line 1, \
         column 5"
    );
    let e = err(XmlDoc::parse("<a/><b/>"));
    assert!(
        e.contains("there is markup after the root element at line 1, column 5"),
        "{e}"
    );
    let e = err(XmlDoc::parse("<a><!x></a>"));
    assert!(e.contains("unexpected markup at line 1, column 4"), "{e}");
}

#[test]
fn empty_and_text_bodies() {
    assert!(err(XmlDoc::parse("")).contains("there is no root element"));
    assert!(err(XmlDoc::parse("{\"json\": true}")).starts_with("the body is not well-formed XML"));
}

#[test]
fn tree_errors_report_line_and_column() {
    let e = err(XmlDoc::parse("<a>\n<x:b/>\n</a>"));
    assert_eq!(
        e,
        "the body is not well-formed XML: namespace prefix `x` is not declared at line 2, column 2"
    );
    let e = err(XmlDoc::parse("<a>&nbsp;</a>"));
    assert!(e.contains("entity `nbsp` is unknown"), "{e}");
    assert!(e.ends_with("at line 1, column 4"), "{e}");
    let e = err(XmlDoc::parse(r#"<a x="1" x="2"/>"#));
    assert!(e.contains("attribute `x` appears twice"), "{e}");
}

#[test]
fn byte_order_mark_is_dropped() {
    let d = doc("\u{feff}<a>1</a>");
    assert_eq!(d.query("/a", &none()).unwrap(), nodes(&["1"]));
    assert_eq!(d.serialize(), "<a>1</a>");
}

// --- edits ---

#[test]
fn set_element_text() {
    let mut d = doc(EMPLOYEE);
    assert_eq!(d.set("/employee/name", &none(), "Jane").unwrap(), 1);
    assert_eq!(
        d.query("/employee/name", &none()).unwrap(),
        nodes(&["Jane"])
    );
    assert!(d.serialize().contains("<name>Jane</name>"));
}

#[test]
fn set_replaces_child_elements() {
    let mut d = doc(EMPLOYEE);
    assert_eq!(d.set("//item[1]", &none(), "gone").unwrap(), 1);
    assert!(d.serialize().contains(r#"<item id="1">gone</item>"#));
    assert_eq!(
        d.query("count(//price)", &none()).unwrap(),
        XValue::Number(1.0)
    );
}

#[test]
fn set_escapes_markup_in_the_value() {
    let mut d = doc(EMPLOYEE);
    d.set("/employee/name", &none(), "<b>&co</b>").unwrap();
    assert!(
        d.serialize()
            .contains("<name>&lt;b&gt;&amp;co&lt;/b&gt;</name>")
    );
    assert_eq!(
        d.query("string(/employee/name)", &none()).unwrap(),
        XValue::String("<b>&co</b>".into())
    );
}

#[test]
fn set_empty_value_empties_the_element() {
    let mut d = doc(EMPLOYEE);
    d.set("/employee/name", &none(), "").unwrap();
    assert!(d.serialize().contains("<name/>"));
}

#[test]
fn set_attribute_value() {
    let mut d = doc(EMPLOYEE);
    assert_eq!(d.set("/employee/@id", &none(), "7").unwrap(), 1);
    assert_eq!(d.query("/employee/@id", &none()).unwrap(), nodes(&["7"]));
    assert!(d.serialize().contains(r#"<employee id="7" active="true">"#));
}

#[test]
fn set_attribute_escapes_quotes() {
    let mut d = doc(EMPLOYEE);
    d.set("/employee/@id", &none(), r#"a"b<c&'"#).unwrap();
    assert!(
        d.serialize().contains(r#"id="a&quot;b&lt;c&amp;&apos;""#),
        "{}",
        d.serialize()
    );
    assert_eq!(
        d.query("string(/employee/@id)", &none()).unwrap(),
        XValue::String(r#"a"b<c&'"#.into())
    );
}

#[test]
fn set_several_nodes_at_once() {
    let mut d = doc(EMPLOYEE);
    assert_eq!(d.set("//price", &none(), "0").unwrap(), 2);
    assert_eq!(d.query("//price", &none()).unwrap(), nodes(&["0", "0"]));
    assert_eq!(d.set("//item/@id", &none(), "x").unwrap(), 2);
    assert_eq!(d.query("//item/@id", &none()).unwrap(), nodes(&["x", "x"]));
}

#[test]
fn set_nested_selections_touches_no_removed_node() {
    let mut d = doc("<a><b><b>inner</b></b></a>");
    assert_eq!(d.set("//b", &none(), "v").unwrap(), 2);
    assert_eq!(d.serialize(), "<a><b>v</b></a>");
}

#[test]
fn set_selecting_nothing_is_an_error() {
    let mut d = doc(EMPLOYEE);
    assert_eq!(
        err(d.set("/employee/nothing", &none(), "x")),
        "XPath `/employee/nothing` selects nothing in the request"
    );
}

#[test]
fn set_selecting_other_things_is_an_error_and_changes_nothing() {
    let mut d = doc(EMPLOYEE);
    let before = d.serialize();
    assert_eq!(
        err(d.set("/employee/name/text()", &none(), "x")),
        "XPath `/employee/name/text()` selects a text node; only elements and attributes can be set"
    );
    assert_eq!(
        err(d.set("count(//item)", &none(), "x")),
        "XPath `count(//item)` gives a number, not elements or attributes to set"
    );
    assert_eq!(
        err(d.set("/", &none(), "x")),
        "XPath `/` selects the document node; only elements and attributes can be set"
    );
    // The first item is settable, the second is not: nothing may change.
    assert!(err(d.set("/employee/name | //comment()", &none(), "x")).contains("a comment"));
    assert_eq!(d.serialize(), before);
}

#[test]
fn set_refuses_characters_xml_cannot_carry() {
    let mut d = doc(EMPLOYEE);
    assert_eq!(
        err(d.set("/employee/name", &none(), "a\u{1}b")),
        "the value contains U+0001, which XML 1.0 does not allow"
    );
    d.set("/employee/name", &none(), "tab\tand é and 😀")
        .unwrap();
    assert_eq!(
        d.query("string(/employee/name)", &none()).unwrap(),
        XValue::String("tab\tand é and 😀".into())
    );
}

#[test]
fn round_trip_keeps_declaration_comments_and_namespaces() {
    let mut d = doc(SOAP);
    // Unedited: the original text, byte for byte.
    assert_eq!(d.to_string(), SOAP);
    d.set("//m:Price", &none(), "40").unwrap();
    let expected = SOAP.replace("34.5", "40");
    assert_eq!(d.serialize(), expected);
    let mut e = doc(EMPLOYEE);
    e.set("/employee/name", &none(), "Jane").unwrap();
    assert_eq!(e.serialize(), EMPLOYEE.replace("John Doe", "Jane"));
    // A second edit keeps the declaration once.
    e.set("/employee/@active", &none(), "false").unwrap();
    assert!(
        e.serialize()
            .starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<employee")
    );
    assert_eq!(e.serialize().matches("<?xml").count(), 1);
}

#[test]
fn set_with_registered_namespace_prefix() {
    let mut d = doc(NS_DOC);
    let x = ns("x", "http://example.com/ns");
    assert_eq!(d.set("//x:item[@id='1']/x:price", &x, "2").unwrap(), 1);
    assert!(
        d.serialize()
            .contains(r#"<ns:item id="1"><ns:price>2</ns:price></ns:item>"#)
    );
    assert!(
        d.serialize()
            .starts_with(r#"<order xmlns:ns="http://example.com/ns">"#)
    );
}

#[test]
fn processing_instruction_named_like_xml_is_not_a_declaration() {
    let text = r#"<?xml-stylesheet href="a.xsl"?><a>1</a>"#;
    let mut d = doc(text);
    d.set("/a", &none(), "2").unwrap();
    assert_eq!(d.serialize(), r#"<?xml-stylesheet href="a.xsl"?><a>2</a>"#);
}

// --- untrusted input ---

#[test]
fn doctype_with_external_entity_is_refused() {
    let xxe = r#"<?xml version="1.0"?>
<!DOCTYPE foo [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<foo>&xxe;</foo>"#;
    assert_eq!(
        err(XmlDoc::parse(xxe)),
        "the body's DOCTYPE at line 2, column 1 has an internal subset (`[...]`); internal DTD \
         subsets are refused so that no entity is expanded and nothing is fetched"
    );
}

#[test]
fn billion_laughs_is_refused() {
    let bomb = concat!(
        r#"<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>"#,
        "<lolz>&lol2;</lolz>"
    );
    assert!(err(XmlDoc::parse(bomb)).starts_with("the body's DOCTYPE at line 1, column 1"));
}

#[test]
fn doctype_without_internal_subset_is_accepted_and_never_read() {
    // The DTD named here would define `&ext;`; it is never fetched, so the entity is unknown.
    let named = r#"<!DOCTYPE html SYSTEM "http://127.0.0.1:9/x.dtd"><html><p>é</p></html>"#;
    assert_eq!(q(named, "/html/p"), nodes(&["é"]));
    let with_entity = "<!DOCTYPE a SYSTEM \"http://127.0.0.1:9/x.dtd\">\n<a>&ext;</a>";
    assert_eq!(
        err(XmlDoc::parse(with_entity)),
        "the body is not well-formed XML: entity `ext` is unknown (only the five predefined \
         entities and character references are) at line 2, column 4"
    );
    let xhtml = "<?xml version=\"1.0\"?>\n<!DOCTYPE html>\n<html><title>T</title></html>";
    assert_eq!(q(xhtml, "string(/html/title)"), XValue::String("T".into()));
}

#[test]
fn an_edit_keeps_the_declaration_and_the_doctype() {
    let mut d = doc("<?xml version=\"1.0\"?>\n<!DOCTYPE a>\n<a>1</a>");
    d.set("/a", &none(), "2").unwrap();
    assert_eq!(
        d.serialize(),
        "<?xml version=\"1.0\"?>\n<!DOCTYPE a>\n<a>2</a>"
    );
    assert_eq!(d.query("/a", &none()).unwrap(), nodes(&["2"]));
}

// --- HTML pages ---

fn html(text: &str, xpath: &str) -> XValue {
    XmlDoc::parse_html(text)
        .unwrap()
        .query(xpath, &none())
        .unwrap()
}

const PAGE: &str = r#"<!DOCTYPE html>
<html lang=en>
<head><meta charset=utf-8><title>Employees &amp; teams</title>
<meta name="description" content="All staff">
<script>if (a < b && c) { document.write("<p>no</p>") }</script>
<body>
<p>First&nbsp;paragraph<br>
<p class=second>Second <a href="/next?a=1&b=2">next</a>
<ul><li>one<li>two<li>three</ul>
<!-- a comment with -- inside -->
<svg><circle r="4"/></svg>
"#;

#[test]
fn html_page_is_read_as_a_browser_reads_it() {
    assert_eq!(
        html(PAGE, "/html/head/title"),
        nodes(&["Employees & teams"])
    );
    assert_eq!(
        html(PAGE, "//meta[@name='description']/@content"),
        nodes(&["All staff"])
    );
    assert_eq!(html(PAGE, "count(//p)"), XValue::Number(2.0));
    assert_eq!(html(PAGE, "//p[1]"), nodes(&["First\u{a0}paragraph\n"]));
    assert_eq!(html(PAGE, "//a/@href"), nodes(&["/next?a=1&b=2"]));
    assert_eq!(html(PAGE, "//li"), nodes(&["one", "two", "three"]));
    assert_eq!(html(PAGE, "count(//svg/circle)"), XValue::Number(1.0));
    assert_eq!(html(PAGE, "/html/@lang"), nodes(&["en"]));
    // Script text is text, not markup.
    assert_eq!(html(PAGE, "count(//script/p)"), XValue::Number(0.0));
}

#[test]
fn html_names_xml_cannot_carry_are_left_out_with_their_content_kept() {
    let page = "<div @click=go x=1><a<b>inside</a<b></div>\u{1}";
    assert_eq!(html(page, "//div/@x"), nodes(&["1"]));
    assert_eq!(html(page, "count(//div/@*)"), XValue::Number(1.0));
    assert_eq!(html(page, "string(//div)"), XValue::String("inside".into()));
}

#[test]
fn deep_html_is_refused_without_crashing() {
    let deep = "<div>".repeat(100_000);
    assert_eq!(
        err(XmlDoc::parse_html(&deep)),
        format!(
            "the HTML page nests elements more than {MAX_DEPTH} deep; deeper documents are refused"
        )
    );
}

#[test]
fn ten_thousand_nested_elements_are_refused_without_crashing() {
    let deep = format!("{}{}", "<a>".repeat(10_000), "</a>".repeat(10_000));
    let e = err(XmlDoc::parse(&deep));
    assert_eq!(
        e,
        format!(
            "the body nests elements more than {MAX_DEPTH} deep at line 1, column {}; deeper \
             documents are refused",
            MAX_DEPTH * 3 + 1
        )
    );
}

#[test]
fn nesting_up_to_the_limit_is_accepted() {
    let deep = format!("{}x{}", "<a>".repeat(MAX_DEPTH), "</a>".repeat(MAX_DEPTH));
    let mut d = doc(&deep);
    assert_eq!(
        d.query("count(//a)", &none()).unwrap(),
        XValue::Number(MAX_DEPTH as f64)
    );
    assert_eq!(d.set("//a[not(a)]", &none(), "y").unwrap(), 1);
    assert!(d.serialize().contains("<a>y</a>"));
}

#[test]
fn wide_documents_are_fine() {
    let items: String = (0..5_000)
        .map(|i| format!("<i n=\"{i}\">{i}</i>"))
        .collect();
    let d = doc(&format!("<r>{items}</r>"));
    assert_eq!(
        d.query("count(/r/i)", &none()).unwrap(),
        XValue::Number(5000.0)
    );
    assert_eq!(
        d.query("/r/i[@n='4321']", &none()).unwrap(),
        nodes(&["4321"])
    );
}

#[test]
fn deeply_nested_xpath_is_refused() {
    let too_deep = format!(
        "{}1{}",
        "(".repeat(MAX_NESTING + 1),
        ")".repeat(MAX_NESTING + 1)
    );
    let e = err(doc(EMPLOYEE).query(&too_deep, &none()));
    assert!(
        e.contains(&format!(
            "nests brackets {} deep; at most {MAX_NESTING} are allowed",
            MAX_NESTING + 1
        )),
        "{e}"
    );
    // Brackets inside string literals do not count.
    let quoted = format!("concat('{}', \"]]]]]]]]]]]]\")", "(".repeat(20));
    assert!(doc(EMPLOYEE).query(&quoted, &none()).is_ok());
}

#[test]
fn nesting_at_the_limit_runs_on_a_small_caller_stack() {
    // Test threads have 2 MiB of stack; the parser, the checks and the evaluator each take
    // stack per level, which the worker thread must absorb.
    let at_limit = format!("{}1{}", "(".repeat(MAX_NESTING), ")".repeat(MAX_NESTING));
    assert_eq!(q(EMPLOYEE, &at_limit), XValue::Number(1.0));
    let mixed = "count(//item[price[string(.) = string(number(string((.))))]])";
    assert_eq!(q(EMPLOYEE, mixed), XValue::Number(2.0));
}

#[test]
fn long_operator_chains_run_on_the_worker_stack() {
    // About 1,400 operands: far past what a 2 MiB stack takes in a debug build.
    let chain = format!("1{}", "+1".repeat(1_400));
    assert_eq!(q(EMPLOYEE, &chain), XValue::Number(1401.0));
    let too_long = format!("1{}", "+1".repeat(MAX_XPATH_LEN));
    let e = err(doc(EMPLOYEE).query(&too_long, &none()));
    assert!(
        e.contains(&format!("bytes long; at most {MAX_XPATH_LEN} are allowed")),
        "{e}"
    );
    assert!(e.contains("…`"), "the expression is shortened: {e}");
}

#[test]
fn longest_accepted_unary_chain_does_not_overflow() {
    let minus = format!("{}1", "-".repeat(MAX_XPATH_LEN - 1));
    assert_eq!(q(EMPLOYEE, &minus), XValue::Number(-1.0));
}

#[test]
fn xml_doc_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<XmlDoc>();
    assert_send_sync::<XmlError>();
}
