//! Config files: the input is written as an apitest.toml (odd first byte) or a Zato
//! config.ini (even), then loaded as a run would load it, with `--env staging` when the
//! first byte's second bit is set (so `[env.*]` sections and `${VAR}` expansion are reached).
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
        let overrides = apitest::value::config::Overrides {
            env: data
                .first()
                .is_some_and(|b| b & 2 == 2)
                .then(|| "staging".to_string()),
            sets: Vec::new(),
        };
        let _ = apitest::value::Config::load(&dir, &dir, Some(&path), &overrides);
    }
});
