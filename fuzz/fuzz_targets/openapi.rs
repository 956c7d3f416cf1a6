//! OpenAPI loading (YAML or JSON, `$ref`s, indexing) on arbitrary documents.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let doc: Result<serde_json::Value, _> = serde_json::from_str(text);
    let doc = match doc {
        Ok(doc) => doc,
        Err(_) => match serde_saphyr::from_str(text) {
            Ok(doc) => doc,
            Err(_) => return,
        },
    };
    let _ = apitest::contract::Spec::from_value(doc, "fuzz.yaml");
});
