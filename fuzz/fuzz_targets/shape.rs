//! Shape matching: the first line of the input is the shape (JSON, or a marker), the rest
//! the document it is checked against.
#![no_main]

use serde_json::Value;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (shape, doc) = text.split_once('\n').unwrap_or((text, "null"));
    let shape: Value =
        serde_json::from_str(shape).unwrap_or_else(|_| Value::String(shape.to_string()));
    let Ok(doc) = serde_json::from_str::<Value>(doc) else {
        return;
    };
    let _ = apitest::check::shape::mismatches(&shape, &doc, false);
    let _ = apitest::check::shape::mismatches(&shape, &doc, true);
});
