//! The state a run leaves for `--rerun-failed`: which scenarios failed, in a small JSON file
//! beside the reports (`reports/.last-run.json`). A scenario is named by its file (canonical
//! path, so the working folder may change) and its line (an outline row's own line), with its
//! name for messages.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{Plan, ScenarioResult, Status};
use crate::value::Scope;

/// The file's name, in the reports folder.
pub const FILE_NAME: &str = ".last-run.json";

#[derive(Debug, Serialize, Deserialize)]
struct State {
    version: u32,
    scenarios: usize,
    failed: Vec<Failed>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Failed {
    path: PathBuf,
    display: String,
    line: usize,
    name: String,
}

/// What the last run left: the scenarios that failed in it.
#[derive(Debug)]
pub struct LastRun {
    pub file: PathBuf,
    failed: Vec<Failed>,
}

fn canonical(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

/// Records the failed scenarios of a run that started. An error is for the caller to print:
/// the reports are written already.
pub fn write(file: &Path, plan: &Plan, results: &[ScenarioResult]) -> std::io::Result<()> {
    let failed = results
        .iter()
        .filter(|r| r.status == Status::Failed)
        .filter_map(|r| {
            let feature = plan.features.get(r.feature)?;
            let scenario = feature.scenarios.get(r.scenario)?;
            Some(Failed {
                path: canonical(&feature.path),
                display: feature.display.clone(),
                line: scenario.line,
                name: scenario.name.clone(),
            })
        })
        .collect();
    let state = State {
        version: 1,
        scenarios: results.len(),
        failed,
    };
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let text = serde_json::to_string_pretty(&state).map_err(std::io::Error::other)?;
    std::fs::write(file, text + "\n")
}

/// Reads the state file; an error says what is wrong and what to do.
pub fn read(file: &Path) -> Result<LastRun, String> {
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(format!(
                "--rerun-failed: there is no previous run to take the failures from ({} does not exist)",
                file.display()
            ));
        }
        Err(e) => return Err(format!("cannot read {}: {e}", file.display())),
    };
    let state: State = serde_json::from_str(&text)
        .map_err(|e| format!("{} is not a run state apitest wrote: {e}", file.display()))?;
    Ok(LastRun {
        file: file.to_path_buf(),
        failed: state.failed,
    })
}

impl LastRun {
    pub fn failed_count(&self) -> usize {
        self.failed.len()
    }

    /// Keeps only the scenarios that failed last time; in feature scope, the whole feature of
    /// each (its scenarios share state, so one alone would not start from where it did).
    /// Returns how many failures were found in the plan.
    pub fn keep_failed(&self, plan: &mut Plan, scope: Scope) -> usize {
        let wanted: HashSet<(&Path, usize)> = self
            .failed
            .iter()
            .map(|f| (f.path.as_path(), f.line))
            .collect();
        let mut found = 0;
        for feature in &mut plan.features {
            let path = canonical(&feature.path);
            let failed = |line: usize| wanted.contains(&(path.as_path(), line));
            let hits = feature.scenarios.iter().filter(|s| failed(s.line)).count();
            found += hits;
            match scope {
                Scope::Feature if hits > 0 => {}
                _ => feature.scenarios.retain(|s| failed(s.line)),
            }
        }
        found
    }

    /// The failures as `path:line  name`, for a message when none is found any more.
    pub fn describe(&self) -> String {
        self.failed
            .iter()
            .map(|f| format!("{}:{}  {}", f.display, f.line, f.name))
            .collect::<Vec<_>>()
            .join(", ")
    }
}
