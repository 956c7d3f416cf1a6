//! Config files: the input is written as an apitest.toml (odd bytes first) or a Zato
//! config.ini (even), then loaded as a run would load it.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let dir = std::env::temp_dir().join(format!("apitest-fuzz-config-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let name = if data.first().is_some_and(|b| b % 2 == 1) {
        "apitest.toml"
    } else {
        "config.ini"
    };
    let path = dir.join(name);
    if std::fs::write(&path, data.get(1..).unwrap_or_default()).is_ok() {
        let _ = apitest::value::Config::load(&dir, &dir, Some(&path));
    }
});
