//! Value resolution (`#var`, `$ENV`, `@config`, embedded `#{...}`) on arbitrary arguments.
#![no_main]

use serde_json::Value;

struct Scope;

impl apitest::value::Lookup for Scope {
    fn variable(&self, name: &str) -> Option<&Value> {
        static ID: std::sync::LazyLock<Value> = std::sync::LazyLock::new(|| Value::from(7));
        (name == "id").then(|| &*ID)
    }
    fn config(&self, key: &str) -> Option<&Value> {
        static ADDRESS: std::sync::LazyLock<Value> =
            std::sync::LazyLock::new(|| Value::from("http://127.0.0.1:1"));
        (key == "address").then(|| &*ADDRESS)
    }
    fn env(&self, _: &str) -> Option<String> {
        None
    }
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = apitest::value::resolve(text, &Scope);
    }
});
