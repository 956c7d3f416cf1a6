//! Contract verification against OpenAPI 3.0 and 3.1 documents, and the API coverage a run
//! achieved. The documents are read once per run and shared by every World.

pub mod coverage;
pub mod generate;
pub mod index;
pub mod spec;
pub mod template;
pub mod validate;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

pub use coverage::CoverageReport;
pub use spec::Spec;

use coverage::SpecUse;

/// The specs of one run: loaded on first mention, with what the run exercised of each.
#[derive(Debug, Default)]
pub struct Contracts {
    /// Set in the config (`[contract] openapi`), in effect from every scenario's start.
    pub default: Option<Arc<Spec>>,
    loaded: Mutex<HashMap<PathBuf, Result<Arc<Spec>, String>>>,
    used: Mutex<Vec<SpecUse>>,
}

impl Contracts {
    /// The spec at `path` (named `name` in messages), read on first use and then shared.
    /// A spec that cannot be read is remembered too, so its error is not re-read per scenario.
    pub fn load(&self, path: &Path, name: &str) -> Result<Arc<Spec>, String> {
        let mut loaded = self
            .loaded
            .lock()
            .map_err(|_| "internal error: spec cache poisoned".to_string())?;
        if let Some(found) = loaded.get(path) {
            return found.clone();
        }
        let result = Spec::load(path, name).map(Arc::new);
        if let Ok(spec) = &result
            && let Ok(mut used) = self.used.lock()
        {
            used.push(SpecUse::new(Arc::clone(spec)));
        }
        loaded.insert(path.to_path_buf(), result.clone());
        result
    }

    /// Loads the project's default spec; called once, before any scenario runs.
    pub fn with_default(path: &Path, name: &str) -> Result<Contracts, String> {
        let mut contracts = Contracts::default();
        let spec = contracts.load(path, name)?;
        contracts.default = Some(spec);
        Ok(contracts)
    }

    /// Counts a request sent while `spec` was in effect.
    pub fn record(
        &self,
        spec: &Arc<Spec>,
        scenario: (usize, usize),
        method: &str,
        path: &str,
        status: u16,
    ) {
        // Matched before taking the lock, which every request under a spec goes through.
        let operation = spec.locate(method, path).map(|(index, _)| index);
        if let Ok(mut used) = self.used.lock()
            && let Some(entry) = used.iter_mut().find(|u| Arc::ptr_eq(&u.spec, spec))
        {
            entry.record_at(scenario, operation, method, path, status);
        }
    }

    /// The coverage of every spec the run loaded; `None` if it used none.
    pub fn report(&self, name_of: &dyn Fn((usize, usize)) -> String) -> Option<CoverageReport> {
        let used = self.used.lock().ok()?;
        if used.is_empty() {
            return None;
        }
        let mut specs: Vec<_> = used.iter().map(|u| u.report(name_of)).collect();
        // Specs load in whatever order scenarios reach them; the report is in name order.
        specs.sort_by(|a, b| a.spec.cmp(&b.spec));
        Some(CoverageReport { specs })
    }
}

#[cfg(test)]
mod tests;
