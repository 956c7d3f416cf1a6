//! API coverage: which operations of each spec a run exercised, and which of their
//! documented responses it saw. A request sent while a spec is in effect counts, whatever the
//! scenario then checks; a request the spec does not document is listed by scenario.

use std::collections::BTreeSet;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::contract::spec::Spec;

/// What one run saw of one spec.
#[derive(Debug)]
pub struct SpecUse {
    pub spec: Arc<Spec>,
    /// Per operation (in `spec.operations` order), the statuses received.
    seen: Vec<BTreeSet<u16>>,
    unmatched: Vec<Unmatched>,
}

/// A request that matched no operation of the spec in effect.
#[derive(Debug, Clone)]
pub struct Unmatched {
    /// Feature and scenario indices in the plan; the report names them.
    pub scenario: (usize, usize),
    pub method: String,
    pub path: String,
    pub status: u16,
}

impl SpecUse {
    pub fn new(spec: Arc<Spec>) -> Self {
        let seen = vec![BTreeSet::new(); spec.operations.len()];
        SpecUse {
            spec,
            seen,
            unmatched: Vec::new(),
        }
    }

    pub fn record(&mut self, scenario: (usize, usize), method: &str, path: &str, status: u16) {
        let operation = self.spec.locate(method, path).map(|(index, _)| index);
        self.record_at(scenario, operation, method, path, status);
    }

    /// Counts a request that `Spec::locate` placed at `operation` (or nowhere).
    pub fn record_at(
        &mut self,
        scenario: (usize, usize),
        operation: Option<usize>,
        method: &str,
        path: &str,
        status: u16,
    ) {
        match operation.and_then(|i| self.seen.get_mut(i)) {
            Some(set) => {
                set.insert(status);
            }
            None => {
                // One line per distinct request and scenario is enough to act on.
                let known = self
                    .unmatched
                    .iter()
                    .any(|u| u.scenario == scenario && u.method == method && u.path == path);
                if !known {
                    self.unmatched.push(Unmatched {
                        scenario,
                        method: method.to_ascii_uppercase(),
                        path: path.to_string(),
                        status,
                    });
                }
            }
        }
    }

    /// The accounting, with scenarios named by `name_of`.
    pub fn report(&self, name_of: &dyn Fn((usize, usize)) -> String) -> SpecReport {
        let mut operations = Vec::new();
        for (op, seen) in self.spec.operations.iter().zip(&self.seen) {
            let mut covered = Vec::new();
            let mut undocumented = Vec::new();
            for &status in seen {
                match op.response_for(status) {
                    Some(doc) => {
                        if !covered.contains(&doc.key) {
                            covered.push(doc.key.clone());
                        }
                    }
                    None => undocumented.push(status),
                }
            }
            let documented: Vec<ResponseUse> = op
                .responses
                .iter()
                .map(|r| ResponseUse {
                    response: r.key.clone(),
                    seen: covered.contains(&r.key),
                })
                .collect();
            operations.push(OperationUse {
                method: op.method.clone(),
                path: op.template.text.clone(),
                exercised: !seen.is_empty(),
                statuses_seen: seen.iter().copied().collect(),
                responses: documented,
                undocumented_statuses: undocumented,
            });
        }
        // Scenarios run in parallel; the report lists them in file order all the same.
        let mut sorted: Vec<&Unmatched> = self.unmatched.iter().collect();
        sorted.sort_by(|a, b| {
            (a.scenario, &a.method, &a.path).cmp(&(b.scenario, &b.method, &b.path))
        });
        let unmatched = sorted
            .into_iter()
            .map(|u| UnmatchedUse {
                scenario: name_of(u.scenario),
                request: format!("{} {} -> {}", u.method, u.path, u.status),
            })
            .collect();
        let total = |f: &dyn Fn(&OperationUse) -> (usize, usize)| {
            operations
                .iter()
                .map(f)
                .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
        };
        let (operations_covered, operations_total) = total(&|o| (usize::from(o.exercised), 1));
        let (responses_covered, responses_total) = total(&|o| {
            (
                o.responses.iter().filter(|r| r.seen).count(),
                o.responses.len(),
            )
        });
        SpecReport {
            spec: self.spec.name.clone(),
            operations_covered,
            operations_total,
            responses_covered,
            responses_total,
            operations,
            unmatched,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CoverageReport {
    pub specs: Vec<SpecReport>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SpecReport {
    pub spec: String,
    pub operations_covered: usize,
    pub operations_total: usize,
    pub responses_covered: usize,
    pub responses_total: usize,
    pub operations: Vec<OperationUse>,
    /// Requests sent under this spec that it does not document.
    pub unmatched: Vec<UnmatchedUse>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OperationUse {
    pub method: String,
    pub path: String,
    pub exercised: bool,
    pub statuses_seen: Vec<u16>,
    pub responses: Vec<ResponseUse>,
    /// Statuses received that no response of the operation documents.
    pub undocumented_statuses: Vec<u16>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ResponseUse {
    pub response: String,
    pub seen: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UnmatchedUse {
    pub scenario: String,
    pub request: String,
}

impl CoverageReport {
    /// The coverage of several shards of one plan as one run's: per spec (by name) and
    /// operation, whatever any shard saw, the totals counted again from that; the requests
    /// no operation documents, of every shard, in plan order (`order` gives the place of a
    /// scenario as the report names it). `None` when no shard used a spec.
    pub fn merge(parts: Vec<CoverageReport>, order: &dyn Fn(&str) -> usize) -> Option<Self> {
        let mut specs: Vec<SpecReport> = Vec::new();
        for spec in parts.into_iter().flat_map(|p| p.specs) {
            match specs.iter_mut().find(|s| s.spec == spec.spec) {
                None => specs.push(spec),
                Some(into) => into.absorb(spec),
            }
        }
        if specs.is_empty() {
            return None;
        }
        for spec in &mut specs {
            spec.unmatched.sort_by(|a, b| {
                (order(&a.scenario), &a.request).cmp(&(order(&b.scenario), &b.request))
            });
            spec.count();
        }
        specs.sort_by(|a, b| a.spec.cmp(&b.spec));
        Some(CoverageReport { specs })
    }

    /// Exercised operations as a share of all documented ones, in percent (100 for none).
    pub fn operations_percent(&self) -> f64 {
        let covered: usize = self.specs.iter().map(|s| s.operations_covered).sum();
        let total: usize = self.specs.iter().map(|s| s.operations_total).sum();
        percent(covered, total)
    }

    /// Seen documented responses as a share of all documented ones, in percent (100 for none).
    pub fn responses_percent(&self) -> f64 {
        let covered: usize = self.specs.iter().map(|s| s.responses_covered).sum();
        let total: usize = self.specs.iter().map(|s| s.responses_total).sum();
        percent(covered, total)
    }

    /// The summary table printed after a run.
    pub fn table(&self) -> String {
        let mut out = String::new();
        for spec in &self.specs {
            out.push_str(&format!(
                "API coverage of {}: {}/{} operations ({:.0}%), {}/{} documented responses ({:.0}%)\n",
                spec.spec,
                spec.operations_covered,
                spec.operations_total,
                percent(spec.operations_covered, spec.operations_total),
                spec.responses_covered,
                spec.responses_total,
                percent(spec.responses_covered, spec.responses_total),
            ));
            let width = spec
                .operations
                .iter()
                .map(|o| o.path.len())
                .max()
                .unwrap_or(0);
            for op in &spec.operations {
                let responses: Vec<String> = op
                    .responses
                    .iter()
                    .map(|r| format!("{} {}", r.response, if r.seen { "✔" } else { "·" }))
                    .collect();
                let mut line = format!(
                    "  {} {:<7} {:<width$}  {}",
                    if op.exercised { "✔" } else { "✘" },
                    op.method,
                    op.path,
                    responses.join("  ")
                );
                if !op.undocumented_statuses.is_empty() {
                    let codes: Vec<String> = op
                        .undocumented_statuses
                        .iter()
                        .map(u16::to_string)
                        .collect();
                    line.push_str(&format!("  (undocumented: {})", codes.join(", ")));
                }
                out.push_str(line.trim_end());
                out.push('\n');
            }
            if !spec.unmatched.is_empty() {
                out.push_str("  requests matching no documented operation:\n");
                for u in &spec.unmatched {
                    out.push_str(&format!("    {}: {}\n", u.scenario, u.request));
                }
            }
        }
        out
    }
}

fn percent(covered: usize, total: usize) -> f64 {
    if total == 0 {
        100.0
    } else {
        covered as f64 * 100.0 / total as f64
    }
}

impl SpecReport {
    /// Adds what another shard saw of the same spec.
    fn absorb(&mut self, other: SpecReport) {
        for theirs in other.operations {
            let Some(ours) = self
                .operations
                .iter_mut()
                .find(|o| o.method == theirs.method && o.path == theirs.path)
            else {
                self.operations.push(theirs);
                continue;
            };
            ours.exercised |= theirs.exercised;
            ours.statuses_seen.extend(theirs.statuses_seen);
            ours.statuses_seen.sort_unstable();
            ours.statuses_seen.dedup();
            ours.undocumented_statuses
                .extend(theirs.undocumented_statuses);
            ours.undocumented_statuses.sort_unstable();
            ours.undocumented_statuses.dedup();
            for response in theirs.responses {
                match ours
                    .responses
                    .iter_mut()
                    .find(|r| r.response == response.response)
                {
                    Some(r) => r.seen |= response.seen,
                    None => ours.responses.push(response),
                }
            }
        }
        self.unmatched.extend(other.unmatched);
    }

    /// The totals, counted from the operations.
    fn count(&mut self) {
        self.operations_total = self.operations.len();
        self.operations_covered = self.operations.iter().filter(|o| o.exercised).count();
        self.responses_total = self.operations.iter().map(|o| o.responses.len()).sum();
        self.responses_covered = self
            .operations
            .iter()
            .map(|o| o.responses.iter().filter(|r| r.seen).count())
            .sum();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec() -> Arc<Spec> {
        Arc::new(
            Spec::from_value(
                json!({
                    "openapi": "3.1.0",
                    "servers": [{"url": "http://localhost/api"}],
                    "paths": {
                        "/e/{id}": {
                            "get": {"responses": {"200": {}, "404": {}}},
                            "delete": {"responses": {"2XX": {}, "default": {}}}
                        },
                        "/e": {"post": {"responses": {"201": {}}}}
                    }
                }),
                "spec.yaml",
            )
            .unwrap(),
        )
    }

    #[test]
    fn counts_operations_and_documented_responses() {
        let mut used = SpecUse::new(spec());
        used.record((0, 0), "GET", "/api/e/1", 200);
        used.record((0, 1), "GET", "/api/e/2", 200);
        used.record((0, 1), "GET", "/api/e/3", 500);
        used.record((0, 2), "DELETE", "/api/e/3", 204);
        used.record((0, 2), "DELETE", "/api/e/3", 409);
        used.record((1, 0), "GET", "/api/nope", 404);
        used.record((1, 0), "GET", "/api/nope", 404);
        let report = used.report(&|(f, s)| format!("f{f}s{s}"));
        assert_eq!((report.operations_covered, report.operations_total), (2, 3));
        // 200 of GET; 2XX and default of DELETE.
        assert_eq!((report.responses_covered, report.responses_total), (3, 5));
        let get = &report.operations[0];
        assert_eq!(get.statuses_seen, [200, 500]);
        assert_eq!(get.undocumented_statuses, [500]);
        assert!(!report.operations[2].exercised);
        assert_eq!(report.unmatched.len(), 1);
        assert_eq!(report.unmatched[0].scenario, "f1s0");
        assert_eq!(report.unmatched[0].request, "GET /api/nope -> 404");

        let whole = CoverageReport {
            specs: vec![report],
        };
        assert!((whole.operations_percent() - 200.0 / 3.0).abs() < 1e-9);
        let table = whole.table();
        assert!(
            table.starts_with(
                "API coverage of spec.yaml: 2/3 operations (67%), 3/5 documented responses (60%)"
            ),
            "{table}"
        );
        assert!(table.contains("✘ POST    /e "), "{table}");
        assert!(table.contains("(undocumented: 500)"), "{table}");
        assert!(table.contains("f1s0: GET /api/nope -> 404"), "{table}");
    }

    #[test]
    fn an_unused_spec_is_zero_percent_and_no_spec_is_full() {
        let report = SpecUse::new(spec()).report(&|_| String::new());
        let whole = CoverageReport {
            specs: vec![report],
        };
        assert_eq!(whole.operations_percent(), 0.0);
        assert_eq!(CoverageReport { specs: vec![] }.operations_percent(), 100.0);
    }
}
