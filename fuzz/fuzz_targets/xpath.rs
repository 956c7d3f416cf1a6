//! XML bodies and XPath expressions: the first line is the expression, the rest the body.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (xpath, body) = text.split_once('\n').unwrap_or(("/*", text));
    if let Ok(doc) = apitest::xml::XmlDoc::parse(body) {
        let _ = doc.query(xpath, &Vec::new());
    }
});
