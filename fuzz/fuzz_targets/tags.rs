//! Tag expressions on arbitrary text: parsed or refused, and a parsed one evaluates.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(expr) = apitest::gherkin::TagExpr::parse(text)
    {
        let _ = expr.matches(&["@a".to_string(), "@b".to_string()]);
    }
});
