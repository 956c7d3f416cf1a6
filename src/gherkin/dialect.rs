//! The keywords of every Gherkin language. A file picks its language with a `# language: fr`
//! line before `Feature:`; without one it is English. Only the keywords change: the step
//! phrases of apitest stay English in every language.
//!
//! The table itself (`languages.rs`) is generated from the official `gherkin-languages.json`
//! of the Cucumber project by a test of this module, never typed by hand (see
//! `the_table_is_the_official_one`).

/// The keywords of one language. Block keywords (`feature` to `examples`) are written with a
/// `:` after them; step keywords carry the space that must follow them, when the language
/// wants one (`"Given "`, but Japanese `"前提"`).
#[derive(Debug)]
pub struct Dialect {
    /// The code written after `# language:`, such as `fr` or `en-pirate`.
    pub code: &'static str,
    /// The English name of the language.
    pub name: &'static str,
    /// The language's name for itself.
    pub native: &'static str,
    pub feature: &'static [&'static str],
    pub background: &'static [&'static str],
    pub rule: &'static [&'static str],
    pub scenario: &'static [&'static str],
    pub scenario_outline: &'static [&'static str],
    pub examples: &'static [&'static str],
    pub given: &'static [&'static str],
    pub when: &'static [&'static str],
    pub then: &'static [&'static str],
    pub and: &'static [&'static str],
    pub but: &'static [&'static str],
}

include!("languages.rs");

/// Every language, sorted by code.
pub fn all() -> &'static [Dialect] {
    DIALECTS
}

/// The language with this code, such as `fr`; codes are matched exactly, as Gherkin does.
pub fn find(code: &str) -> Option<&'static Dialect> {
    DIALECTS
        .binary_search_by(|dialect| dialect.code.cmp(code))
        .ok()
        .and_then(|index| DIALECTS.get(index))
}

/// English, the language of a file without `# language:`.
pub fn english() -> &'static Dialect {
    // The table always holds English; the fallback only keeps this function total.
    find("en").unwrap_or(&ENGLISH_FALLBACK)
}

/// Used only if the generated table lost English, which its test forbids.
static ENGLISH_FALLBACK: Dialect = Dialect {
    code: "en",
    name: "English",
    native: "English",
    feature: &["Feature"],
    background: &["Background"],
    rule: &["Rule"],
    scenario: &["Scenario"],
    scenario_outline: &["Scenario Outline"],
    examples: &["Examples"],
    given: &["Given "],
    when: &["When "],
    then: &["Then "],
    and: &["And "],
    but: &["But "],
};

/// The hint for an unknown language code: the closest codes, or what a code looks like.
pub fn unknown_hint(code: &str) -> String {
    let close = closest(code);
    if close.is_empty() {
        return "give a Gherkin language code, such as `fr`, `de` or `ja`".to_string();
    }
    let quoted: Vec<String> = close.iter().map(|c| format!("`{c}`")).collect();
    format!("did you mean {}?", quoted.join(" or "))
}

/// Up to three language codes close to `code`, for the error about an unknown one: codes that
/// share its first two letters, then codes and names within two edits of it.
pub fn closest(code: &str) -> Vec<&'static str> {
    let wanted = code.to_lowercase();
    let mut scored: Vec<(usize, &'static str)> = DIALECTS
        .iter()
        .filter_map(|dialect| {
            let by_code = super::parse::edit_distance(&wanted, &dialect.code.to_lowercase());
            let by_name = super::parse::edit_distance(&wanted, &dialect.name.to_lowercase()).min(
                super::parse::edit_distance(&wanted, &dialect.native.to_lowercase()),
            );
            let prefix = wanted.len() >= 2
                && dialect
                    .code
                    .to_lowercase()
                    .starts_with(wanted.get(..2).unwrap_or_default());
            let score = if prefix { 0 } else { by_code.min(by_name) };
            (score <= 2).then_some((score, dialect.code))
        })
        .collect();
    scored.sort();
    scored.into_iter().take(3).map(|(_, code)| code).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Renders the Rust table from the official JSON.
    fn render(json: &serde_json::Value) -> String {
        let mut out = String::from(
            "// Generated from gherkin-languages.json of the Cucumber project (cucumber/gherkin,\n\
             // MIT licence) by `UPDATE_GOLDEN=1 cargo test --lib gherkin::dialect`; do not edit.\n\
             // The test of the same name fails when this table and the JSON part.\n\n\
             static DIALECTS: &[Dialect] = &[\n",
        );
        let languages = json.as_object().unwrap();
        let mut codes: Vec<&String> = languages.keys().collect();
        codes.sort();
        let list = |value: &serde_json::Value| -> String {
            let words: Vec<String> = value
                .as_array()
                .unwrap()
                .iter()
                .map(|word| format!("{:?}", word.as_str().unwrap()))
                .collect();
            format!("&[{}]", words.join(", "))
        };
        for code in codes {
            let language = &languages[code];
            out.push_str("    Dialect {\n");
            out.push_str(&format!("        code: {code:?},\n"));
            for (field, key) in [("name", "name"), ("native", "native")] {
                out.push_str(&format!(
                    "        {field}: {:?},\n",
                    language[key].as_str().unwrap()
                ));
            }
            for (field, key) in [
                ("feature", "feature"),
                ("background", "background"),
                ("rule", "rule"),
                ("scenario", "scenario"),
                ("scenario_outline", "scenarioOutline"),
                ("examples", "examples"),
                ("given", "given"),
                ("when", "when"),
                ("then", "then"),
                ("and", "and"),
                ("but", "but"),
            ] {
                out.push_str(&format!("        {field}: {},\n", list(&language[key])));
            }
            out.push_str("    },\n");
        }
        out.push_str("];\n");
        out
    }

    #[test]
    fn the_table_is_the_official_one() {
        // The official data lives beside the repository, as for tests/conformance.rs.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let folder = std::env::var_os("APITEST_CONFORMANCE")
            .map(std::path::PathBuf::from)
            .or_else(|| {
                root.ancestors()
                    .skip(1)
                    .map(|dir| dir.join("shared/conformance"))
                    .find(|dir| dir.is_dir())
            })
            .unwrap_or_default();
        let json_path = folder.join("gherkin/gherkin-languages.json");
        let Ok(text) = std::fs::read_to_string(&json_path) else {
            eprintln!(
                "skipped: {} is absent, so the table cannot be checked",
                json_path.display()
            );
            return;
        };
        let expected = render(&serde_json::from_str(&text).unwrap());
        let table_path = root.join("src/gherkin/languages.rs");
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::write(&table_path, &expected).unwrap();
        }
        let actual = std::fs::read_to_string(&table_path).unwrap();
        assert!(
            actual == expected,
            "src/gherkin/languages.rs is not the table of {}; regenerate it with UPDATE_GOLDEN=1",
            json_path.display()
        );
    }

    #[test]
    fn finds_languages_by_code() {
        assert_eq!(find("fr").unwrap().feature, ["Fonctionnalité"]);
        assert_eq!(find("ja").unwrap().given, ["* ", "前提"]);
        assert_eq!(english().code, "en");
        assert!(find("no-such").is_none());
        assert!(find("FR").is_none());
        assert!(all().windows(2).all(|pair| pair[0].code < pair[1].code));
        assert!(all().len() >= 80);
    }

    #[test]
    fn suggests_close_codes() {
        assert!(closest("fr-fr").contains(&"fr"));
        assert!(closest("french").contains(&"fr"));
        assert!(closest("de_DE").contains(&"de"));
        assert!(closest("zzzzzzzz").is_empty());
    }
}
