//! Benchmark (not a test) of the Gherkin parser: a 10,000-scenario file, and one four times
//! larger, which a linear parser reads in about four times the time (the `gherkin` crate's
//! parser, being quadratic, takes about sixteen). Run it with `cargo bench --bench parse`.

use std::time::{Duration, Instant};

fn big_feature(count: usize) -> String {
    let mut source = String::from("Feature: big\n");
    for i in 0..count {
        source.push_str(&format!(
            "  Scenario: scenario {i}\n    Given address \"http://localhost:17010\"\n    And URL path \"/api/{i}\"\n    When the URL is invoked\n    Then status is \"200\"\n    And path \"/meta/is_ok\" is True\n    But path \"/data/name\" is \"John\"\n"
        ));
    }
    source
}

/// The best of `runs` parses, to keep scheduling noise out of the figure.
fn best_parse_time(source: &str, runs: usize) -> Result<Duration, String> {
    let mut best = Duration::MAX;
    for _ in 0..runs {
        let start = Instant::now();
        let feature = apitest::gherkin::parse(source).map_err(|e| e.message)?;
        best = best.min(start.elapsed());
        std::hint::black_box(feature);
    }
    Ok(best)
}

fn main() -> Result<(), String> {
    let source = big_feature(10_000);
    let best = best_parse_time(&source, 20)?;
    println!(
        "parsed 10,000 scenarios ({} lines, {} bytes) in {best:?} (best of 20)",
        source.lines().count(),
        source.len()
    );
    let bigger = best_parse_time(&big_feature(40_000), 5)?;
    println!(
        "parsed 40,000 scenarios in {bigger:?}: {:.1}x the time for 4x the input",
        bigger.as_secs_f64() / best.as_secs_f64()
    );
    Ok(())
}
