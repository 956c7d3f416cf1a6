//! `--shard I/N`: one of N machines runs its share of the plan, and every shard of the same
//! commit agrees on the split without talking to the others, because the split is computed
//! from the plan alone.
//!
//! What is split are *units*, the pieces that must run in one process: a scenario in scenario
//! scope, a whole feature in feature scope (its scenarios share state), and all `@serial`
//! units together (they must never overlap, and on two machines they would). Each unit is
//! known by a stable ID made of what the user wrote (`features/a.feature :: Get one`, or the
//! name of an `@id:NAME` tag), never by an index that moves when a file is added.
//!
//! Units are dealt out largest first, each to the shard with the least so far (ties to the
//! lower shard, equal sizes in ID order): by scenario count (`--shard-by count`), or by the
//! durations of a previous run (`--shard-by timing FILE`), where a scenario the file does
//! not know counts as the median of those it does. With any such greedy deal, the shares
//! differ by at most the largest unit.

use std::collections::HashMap;

use sha2::{Digest, Sha256};

use crate::runner::plan::{Plan, PlannedFeature, PlannedScenario};
use crate::runner::run::SERIAL_TAG;
use crate::value::Scope;

/// The tag that gives a scenario its shard ID: `@id:login-works`.
pub const ID_TAG_PREFIX: &str = "id:";

/// Which shard this process is: `index` of `total`, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: usize,
    pub total: usize,
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.total)
    }
}

/// The most shards a run can be split into: more machines than that is a typo.
pub const MAX_SHARDS: usize = 10_000;

impl Shard {
    /// `I/N`, with 1 ≤ I ≤ N.
    pub fn parse(text: &str) -> Result<Shard, String> {
        let bad = || {
            format!(
                "`--shard {text}` needs the form I/N (this is shard I of N, from 1), e.g. `--shard 2/4`, or `auto`"
            )
        };
        let (index, total) = text.trim().split_once('/').ok_or_else(bad)?;
        let index: usize = index.trim().parse().map_err(|_| bad())?;
        let total: usize = total.trim().parse().map_err(|_| bad())?;
        Shard::new(index, total).map_err(|e| format!("`--shard {text}`: {e}"))
    }

    fn new(index: usize, total: usize) -> Result<Shard, String> {
        if total == 0 || total > MAX_SHARDS {
            return Err(format!(
                "the number of shards must be between 1 and {MAX_SHARDS}, not {total}"
            ));
        }
        if index == 0 || index > total {
            return Err(format!(
                "the shard must be between 1 and {total}, not {index} (shards count from 1)"
            ));
        }
        Ok(Shard { index, total })
    }

    /// `--shard auto`: the shard the CI engine says this job is, read through `var`; `total`
    /// is `--shard-total` (needed where the engine gives only an index: a Kubernetes Indexed
    /// Job). Returns the shard and the variables it came from.
    pub fn from_engine(
        var: &dyn Fn(&str) -> Option<String>,
        total: Option<usize>,
    ) -> Result<(Shard, String), String> {
        // (index variable, total variable, whether the index counts from 0)
        const ENGINES: [(&str, &str, bool); 4] = [
            ("CI_NODE_INDEX", "CI_NODE_TOTAL", false),
            ("CIRCLE_NODE_INDEX", "CIRCLE_NODE_TOTAL", true),
            (
                "BUILDKITE_PARALLEL_JOB",
                "BUILDKITE_PARALLEL_JOB_COUNT",
                true,
            ),
            ("JOB_COMPLETION_INDEX", TOTAL_VAR, true),
        ];
        let number = |name: &str| -> Result<Option<usize>, String> {
            match var(name) {
                None => Ok(None),
                Some(v) if v.trim().is_empty() => Ok(None),
                Some(v) => v
                    .trim()
                    .parse()
                    .map(Some)
                    .map_err(|_| format!("`{name}` is `{v}`, not a number")),
            }
        };
        for (index_var, total_var, from_zero) in ENGINES {
            let Some(index) = number(index_var)? else {
                continue;
            };
            let given = match total {
                Some(t) => Some(t),
                None => number(total_var)?,
            };
            let Some(given) = given else {
                return Err(format!(
                    "`{index_var}` is set but not how many shards there are: pass `--shard-total N` or set `{total_var}`"
                ));
            };
            let index = if from_zero { index + 1 } else { index };
            let shard = Shard::new(index, given).map_err(|e| format!("`{index_var}`: {e}"))?;
            let from = match total {
                Some(_) => format!("{index_var} and --shard-total"),
                None => format!("{index_var} and {total_var}"),
            };
            return Ok((shard, from));
        }
        Err(format!(
            "`--shard auto` found none of the CI variables it reads: {}, {}, {} or {} (GitHub Actions has none: pass `--shard ${{{{ matrix.shard }}}}/N`)",
            "CI_NODE_INDEX/CI_NODE_TOTAL (GitLab `parallel:`)",
            "CIRCLE_NODE_INDEX/CIRCLE_NODE_TOTAL (CircleCI)",
            "BUILDKITE_PARALLEL_JOB/BUILDKITE_PARALLEL_JOB_COUNT (Buildkite)",
            "JOB_COMPLETION_INDEX (a Kubernetes Indexed Job, with --shard-total or APITEST_SHARD_TOTAL)"
        ))
    }
}

/// The variable giving the number of shards where the engine gives only an index.
pub const TOTAL_VAR: &str = "APITEST_SHARD_TOTAL";

/// What must run in one process, and what it weighs.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    pub id: String,
    /// (feature index, scenario index) of each scenario, in plan order.
    pub scenarios: Vec<(usize, usize)>,
}

/// The stable ID of every scenario of the plan, per feature, in plan order: the `@id:NAME`
/// tag's name, else `PATH :: NAME` (`Rule / NAME` under a rule; an outline row's name
/// carries its row). A second scenario of the same ID in a file gets ` #2`, and so on.
pub fn scenario_ids(plan: &Plan) -> Vec<Vec<String>> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    plan.features
        .iter()
        .map(|feature| {
            feature
                .scenarios
                .iter()
                .map(|scenario| {
                    let id = scenario_id(feature, scenario);
                    let n = seen.entry(id.clone()).or_insert(0);
                    *n += 1;
                    if *n == 1 { id } else { format!("{id} #{n}") }
                })
                .collect()
        })
        .collect()
}

fn scenario_id(feature: &PlannedFeature, scenario: &PlannedScenario) -> String {
    if let Some(id) = scenario
        .tags
        .iter()
        .find_map(|t| t.strip_prefix(ID_TAG_PREFIX))
        .filter(|id| !id.is_empty())
    {
        return id.to_string();
    }
    let path = feature.display.replace('\\', "/");
    match &scenario.rule {
        Some(rule) if !rule.is_empty() => format!("{path} :: {rule} / {}", scenario.name),
        _ => format!("{path} :: {}", scenario.name),
    }
}

/// The units of the plan in `scope`, in plan order, the `@serial` group (if any) first.
pub fn units(plan: &Plan, scope: Scope, ids: &[Vec<String>]) -> Vec<Unit> {
    let serial = |s: &PlannedScenario| s.tags.iter().any(|t| t == SERIAL_TAG);
    let mut group = Unit {
        id: "@serial".to_string(),
        scenarios: Vec::new(),
    };
    let mut units = Vec::new();
    for (fi, feature) in plan.features.iter().enumerate() {
        let feature_ids = ids.get(fi).map_or(&[][..], Vec::as_slice);
        match scope {
            Scope::Feature if feature.scenarios.is_empty() => {}
            Scope::Feature => {
                let all = (0..feature.scenarios.len()).map(|si| (fi, si)).collect();
                let unit = Unit {
                    id: feature.display.replace('\\', "/"),
                    scenarios: all,
                };
                if feature.scenarios.iter().any(serial) {
                    group.scenarios.extend(unit.scenarios);
                } else {
                    units.push(unit);
                }
            }
            Scope::Scenario => {
                for (si, scenario) in feature.scenarios.iter().enumerate() {
                    if serial(scenario) {
                        group.scenarios.push((fi, si));
                    } else {
                        units.push(Unit {
                            id: feature_ids.get(si).cloned().unwrap_or_default(),
                            scenarios: vec![(fi, si)],
                        });
                    }
                }
            }
        }
    }
    if !group.scenarios.is_empty() {
        units.insert(0, group);
    }
    units
}

/// A hash of what the plan runs: the scope, each feature's path and text and, per scenario
/// in plan order, its ID, line and steps. Shards of one commit and one selection share it; `apitest merge` refuses streams
/// whose hashes differ.
pub fn plan_hash(plan: &Plan, scope: Scope, ids: &[Vec<String>]) -> String {
    let mut hash = Sha256::new();
    hash.update(scope.to_string().as_bytes());
    for (feature, feature_ids) in plan.features.iter().zip(ids) {
        hash.update(b"\n\x03");
        hash.update(feature.display.as_bytes());
        hash.update(Sha256::digest(feature.text().as_bytes()));
        for (scenario, id) in feature.scenarios.iter().zip(feature_ids) {
            hash.update(b"\n\x01");
            hash.update(id.as_bytes());
            hash.update(scenario.line.to_string().as_bytes());
            for step in &scenario.steps {
                hash.update(b"\n\x02");
                hash.update(step.keyword.as_bytes());
                hash.update(step.text.as_bytes());
            }
        }
    }
    hash.finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Deals `weights` (one per unit, in unit order) out to `total` shards; returns the shard
/// (0-based) of each unit. Deterministic: largest first, ties in unit order, each to the
/// lightest shard so far, ties to the lowest.
pub fn deal(weights: &[f64], total: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..weights.len()).collect();
    let weight = |i: usize| weights.get(i).copied().unwrap_or(0.0);
    order.sort_by(|&a, &b| weight(b).total_cmp(&weight(a)).then(a.cmp(&b)));
    let mut load = vec![0.0_f64; total.max(1)];
    let mut shard_of = vec![0; weights.len()];
    for unit in order {
        let (lightest, _) = load
            .iter()
            .enumerate()
            .min_by(|(i, a), (j, b)| a.total_cmp(b).then(i.cmp(j)))
            .unwrap_or((0, &0.0));
        if let Some(l) = load.get_mut(lightest) {
            *l += weight(unit);
        }
        if let Some(s) = shard_of.get_mut(unit) {
            *s = lightest;
        }
    }
    shard_of
}

/// How each unit is weighed.
pub enum Weights<'a> {
    /// Its number of scenarios.
    Count,
    /// Its scenarios' seconds in a previous run; `None` for a scenario the run did not have.
    Timing(&'a dyn Fn(usize, usize) -> Option<f64>),
}

/// What this shard runs, and its expected share.
#[derive(Debug, Clone, PartialEq)]
pub struct Share {
    /// (feature, scenario) indices this shard keeps.
    pub keep: Vec<(usize, usize)>,
    pub units: usize,
    pub units_total: usize,
    pub scenarios_total: usize,
    /// This shard's weight and the plan's (seconds with timing, scenarios with count).
    pub weight: f64,
    pub weight_total: f64,
    /// Scenarios the timing file did not know (weighed as the median).
    pub unknown: usize,
}

/// Splits `units` for `shard`, weighed by `weights`.
pub fn share(units: &[Unit], shard: Shard, weights: &Weights<'_>) -> Share {
    let mut unknown = 0;
    let weights: Vec<f64> = match weights {
        Weights::Count => units.iter().map(|u| u.scenarios.len() as f64).collect(),
        Weights::Timing(seconds) => {
            let known: Vec<f64> = units
                .iter()
                .flat_map(|u| u.scenarios.iter())
                .filter_map(|&(fi, si)| seconds(fi, si))
                .collect();
            let median = median(known).unwrap_or(1.0);
            units
                .iter()
                .map(|u| {
                    u.scenarios
                        .iter()
                        .map(|&(fi, si)| {
                            seconds(fi, si).unwrap_or_else(|| {
                                unknown += 1;
                                median
                            })
                        })
                        .sum()
                })
                .collect()
        }
    };
    let dealt = deal(&weights, shard.total);
    let mut keep = Vec::new();
    let (mut mine, mut weight) = (0, 0.0);
    for ((unit, &to), w) in units.iter().zip(&dealt).zip(&weights) {
        if to + 1 == shard.index {
            keep.extend(unit.scenarios.iter().copied());
            mine += 1;
            weight += w;
        }
    }
    keep.sort_unstable();
    Share {
        keep,
        units: mine,
        units_total: units.len(),
        scenarios_total: units.iter().map(|u| u.scenarios.len()).sum(),
        weight,
        weight_total: weights.iter().sum(),
        unknown,
    }
}

fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 1 {
        values.get(mid).copied()
    } else {
        Some((values.get(mid - 1)? + values.get(mid)?) / 2.0)
    }
}

/// Keeps in `plan` only the scenarios of `keep` (sorted (feature, scenario) pairs); a feature
/// left with none is dropped, so this shard's reports list only what it ran. Returns the IDs
/// (`ids`, of the whole plan) of what is kept, by the new indices.
pub fn keep_only(
    plan: &mut Plan,
    keep: &[(usize, usize)],
    ids: &[Vec<String>],
) -> Vec<Vec<String>> {
    let features = std::mem::take(&mut plan.features);
    let mut kept_ids = Vec::new();
    for (fi, mut feature) in features.into_iter().enumerate() {
        let had = feature.scenarios.len();
        let feature_ids = ids.get(fi).map_or(&[][..], Vec::as_slice);
        let scenarios = std::mem::take(&mut feature.scenarios);
        let mut these = Vec::new();
        for (si, scenario) in scenarios.into_iter().enumerate() {
            if keep.binary_search(&(fi, si)).is_ok() {
                feature.scenarios.push(scenario);
                these.push(feature_ids.get(si).cloned().unwrap_or_default());
            }
        }
        if had == 0 || !feature.scenarios.is_empty() {
            plan.features.push(feature);
            kept_ids.push(these);
        }
    }
    kept_ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_index_of_total() {
        assert_eq!(Shard::parse("2/4"), Ok(Shard { index: 2, total: 4 }));
        assert_eq!(Shard::parse(" 1 / 1 "), Ok(Shard { index: 1, total: 1 }));
        for bad in ["0/4", "5/4", "2", "a/4", "2/0", "-1/3", "1/20000"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
        assert!(Shard::parse("0/4").unwrap_err().contains("count from 1"));
    }

    fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name: &str| map.get(name).cloned()
    }

    #[test]
    fn auto_reads_each_engine_with_its_own_counting() {
        let gitlab = vars(&[("CI_NODE_INDEX", "3"), ("CI_NODE_TOTAL", "4")]);
        assert_eq!(
            Shard::from_engine(&gitlab, None).unwrap().0,
            Shard { index: 3, total: 4 }
        );
        let circle = vars(&[("CIRCLE_NODE_INDEX", "0"), ("CIRCLE_NODE_TOTAL", "2")]);
        assert_eq!(
            Shard::from_engine(&circle, None).unwrap().0,
            Shard { index: 1, total: 2 }
        );
        let buildkite = vars(&[
            ("BUILDKITE_PARALLEL_JOB", "6"),
            ("BUILDKITE_PARALLEL_JOB_COUNT", "7"),
        ]);
        assert_eq!(
            Shard::from_engine(&buildkite, None).unwrap().0,
            Shard { index: 7, total: 7 }
        );
        let k8s = vars(&[("JOB_COMPLETION_INDEX", "1")]);
        let err = Shard::from_engine(&k8s, None).unwrap_err();
        assert!(err.contains("--shard-total"), "{err}");
        assert_eq!(
            Shard::from_engine(&k8s, Some(3)).unwrap(),
            (
                Shard { index: 2, total: 3 },
                "JOB_COMPLETION_INDEX and --shard-total".to_string()
            )
        );
        let k8s_env = vars(&[("JOB_COMPLETION_INDEX", "0"), (TOTAL_VAR, "5")]);
        assert_eq!(
            Shard::from_engine(&k8s_env, None).unwrap().0,
            Shard { index: 1, total: 5 }
        );
        assert!(
            Shard::from_engine(&vars(&[]), None)
                .unwrap_err()
                .contains("matrix.shard")
        );
        let off = vars(&[("CIRCLE_NODE_INDEX", "4"), ("CIRCLE_NODE_TOTAL", "4")]);
        assert!(Shard::from_engine(&off, None).is_err());
        let junk = vars(&[("CI_NODE_INDEX", "x"), ("CI_NODE_TOTAL", "4")]);
        assert!(
            Shard::from_engine(&junk, None)
                .unwrap_err()
                .contains("not a number")
        );
    }

    /// A deal of `weights` into `total` shards: the summed weight of each shard.
    fn loads(weights: &[f64], total: usize) -> Vec<f64> {
        let mut load = vec![0.0; total];
        for (w, s) in weights.iter().zip(deal(weights, total)) {
            load[s] += w;
        }
        load
    }

    #[test]
    fn timing_shares_differ_by_at_most_the_longest_scenario() {
        // A synthetic timing file: 200 durations from 10 ms to 30 s, skewed.
        let mut rng = fastrand::Rng::with_seed(7);
        for total in [2, 3, 4, 7, 16] {
            let weights: Vec<f64> = (0..200).map(|_| 0.01 + 30.0 * rng.f64().powi(4)).collect();
            let longest = weights.iter().copied().fold(0.0, f64::max);
            let load = loads(&weights, total);
            let (min, max) = load
                .iter()
                .fold((f64::MAX, 0.0_f64), |(lo, hi), &l| (lo.min(l), hi.max(l)));
            assert!(
                max - min <= longest + 1e-9,
                "{total} shards: {min}..{max}, longest {longest}"
            );
            let sum: f64 = load.iter().sum();
            assert!((sum - weights.iter().sum::<f64>()).abs() < 1e-6);
        }
    }

    #[test]
    fn count_gives_equal_numbers_and_every_unit_exactly_once() {
        let weights = vec![1.0; 10];
        let dealt = deal(&weights, 3);
        let mut per = [0; 3];
        for s in &dealt {
            per[*s] += 1;
        }
        assert_eq!(per, [4, 3, 3]);
        // More shards than units: the last ones are empty.
        assert_eq!(deal(&[1.0, 1.0], 4), vec![0, 1]);
        assert_eq!(deal(&[], 3), Vec::<usize>::new());
    }

    #[test]
    fn the_deal_is_deterministic() {
        let weights: Vec<f64> = (0..50).map(|i| f64::from(i % 7)).collect();
        assert_eq!(deal(&weights, 4), deal(&weights, 4));
    }

    #[test]
    fn median_of_odd_and_even() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(vec![]), None);
    }
}
