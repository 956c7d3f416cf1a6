//! JSON Pointer parsing and look-up on arbitrary pointers, against a fixed document.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let doc = serde_json::json!({"a": [1, {"b~/c": null}], "": {"x": "y"}});
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = apitest::check::lookup(&doc, text);
    }
});
