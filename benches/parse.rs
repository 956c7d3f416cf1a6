//! Benchmark (not a test) of the Gherkin parser: a 10,000-scenario file, the same scenarios
//! in 1,000 files of 10, and a file four times larger, which a linear parser reads in about
//! four times the time (the `gherkin` crate's parser, being quadratic, takes about sixteen).
//! Each figure is the parse and the pickles. Run it with `cargo bench --bench parse`.

use std::time::{Duration, Instant};

fn big_feature(count: usize) -> String {
    feature_from(0, count)
}

/// A feature of `count` scenarios numbered from `first`.
fn feature_from(first: usize, count: usize) -> String {
    let mut source = String::from("Feature: big\n");
    for i in first..first + count {
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
        let pickles = apitest::gherkin::pickles(&feature);
        best = best.min(start.elapsed());
        std::hint::black_box((feature, pickles));
    }
    Ok(best)
}

/// The best of `runs` parses of every file of `sources`.
fn best_many_time(sources: &[String], runs: usize) -> Result<Duration, String> {
    let mut best = Duration::MAX;
    for _ in 0..runs {
        let start = Instant::now();
        for source in sources {
            let feature = apitest::gherkin::parse(source).map_err(|e| e.message)?;
            std::hint::black_box(apitest::gherkin::pickles(&feature));
        }
        best = best.min(start.elapsed());
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
    let files: Vec<String> = (0..1_000).map(|i| feature_from(i * 10, 10)).collect();
    let many = best_many_time(&files, 20)?;
    println!("parsed 1,000 files of 10 scenarios in {many:?} (best of 20)");
    let bigger = best_parse_time(&big_feature(40_000), 5)?;
    println!(
        "parsed 40,000 scenarios in {bigger:?}: {:.1}x the time for 4x the input",
        bigger.as_secs_f64() / best.as_secs_f64()
    );
    Ok(())
}
