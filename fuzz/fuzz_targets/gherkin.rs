//! The Gherkin reader on arbitrary bytes: it must return a tree or an error, never panic, and
//! a tree must expand into pickles.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(feature) = apitest::gherkin::parse_bytes(data) {
        let _ = apitest::gherkin::pickles(&feature);
    }
});
