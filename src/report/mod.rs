//! Reports: one renderer places errors against the feature line (`render`), and every report
//! is a writer of the run's event stream (`Event`): the console, JUnit XML, Cucumber
//! Messages, Cucumber JSON and the HTML report. Every text passes through `secret::redact` on
//! its way out, and report files are written atomically (`write_atomic`).
//!
//! A writer is told of each event as the run goes and of the end of the run (also when it
//! was interrupted), so a new format is a new writer, never an edit of the run command.

pub mod console;
pub mod cucumber_json;
pub mod html;
pub mod junit;
pub mod messages;
pub mod model;
pub mod render;
pub mod timing;

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::contract::CoverageReport;
use crate::runner::{Plan, RunSummary, ScenarioResult};
use crate::value::Scope;

/// What happens during a run, in the order it happens. Scenarios run in parallel, so the
/// events of different scenarios interleave; each scenario starts (when it runs at all)
/// before it finishes.
#[derive(Debug)]
pub enum Event<'a> {
    /// Nothing has been sent yet; the plan is final.
    RunStarted { jobs: usize, scope: Scope },
    /// A scenario (feature index, scenario index in the plan) is about to run, at `at`.
    ScenarioStarted {
        feature: usize,
        scenario: usize,
        at: std::time::SystemTime,
    },
    /// A scenario finished, with its steps, failure, exchange and transcript; a scenario
    /// that was not run finishes without having started.
    ScenarioFinished(&'a ScenarioResult),
}

/// The end of a run, as every reporter sees it: the plan, every finished scenario (in the
/// order they finished) and the totals.
#[derive(Clone, Copy)]
pub struct RunEnd<'a> {
    pub plan: &'a Plan,
    pub results: &'a [ScenarioResult],
    pub summary: &'a RunSummary,
    /// The API coverage of the run, when it used an OpenAPI spec.
    pub coverage: Option<&'a CoverageReport>,
    /// Why the run did not start (a file that does not parse, a bad option), when it did
    /// not: the plan is then empty, and every report says so instead of leaving the
    /// previous run's in place.
    pub not_started: &'a [String],
    /// What the file reporters wrote (`JUnit report: reports/junit.xml`), for the console.
    pub written: &'a [String],
    /// Secrets of the run that no result carries: those `apitest merge` finds again in the
    /// feature files, where a shard saw them.
    pub extra_secrets: &'a [String],
}

impl RunEnd<'_> {
    /// Every secret any scenario saw: for what is not one scenario's (the coverage table).
    pub fn all_secrets(&self) -> Vec<String> {
        let mut all = all_secrets(self.results);
        if !self.extra_secrets.is_empty() {
            all.extend(self.extra_secrets.iter().cloned());
            all.sort_unstable();
            all.dedup();
        }
        all
    }
}

/// Every secret any of `results` saw, each once.
pub fn all_secrets(results: &[crate::runner::result::ScenarioResult]) -> Vec<String> {
    let mut all: Vec<String> = results
        .iter()
        .flat_map(|r| r.secrets.iter().cloned())
        .collect();
    all.sort_unstable();
    all.dedup();
    all
}

/// A report that cannot be written: where, and why.
#[derive(Debug)]
pub struct ReportError {
    pub what: &'static str,
    pub path: PathBuf,
    pub error: std::io::Error,
}

impl std::fmt::Display for ReportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "cannot write the {} to `{}`: {}",
            self.what,
            self.path.display(),
            self.error
        )
    }
}

/// A writer of the run's event stream.
pub trait Reporter {
    /// Something happened (see [`Event`]).
    fn event(&mut self, plan: &Plan, event: &Event<'_>);
    /// The run ended, also when interrupted; a file report writes itself and says where
    /// (`JUnit report: reports/junit.xml`).
    fn finish(&mut self, end: &RunEnd<'_>) -> Result<Option<String>, ReportError>;
}

/// A report written to a file when the run ends: its name in messages, and how it is made.
pub struct FileReport {
    pub what: &'static str,
    pub path: PathBuf,
    pub write: fn(&RunEnd<'_>, &mut dyn Write) -> std::io::Result<()>,
}

impl Reporter for FileReport {
    fn event(&mut self, _: &Plan, _: &Event<'_>) {}

    fn finish(&mut self, end: &RunEnd<'_>) -> Result<Option<String>, ReportError> {
        let write = self.write;
        write_atomic(&self.path, |out| write(end, out)).map_err(|error| ReportError {
            what: self.what,
            path: self.path.clone(),
            error,
        })?;
        Ok(Some(format!("{}: {}", self.what, self.path.display())))
    }
}

/// Writes a report file whatever the path names:
/// - a regular file (or nothing yet): through a temporary file beside it and a rename, so a
///   reader (CI, a rerun interrupted half-way) sees the old file or the new one, never a part;
/// - a symbolic link: the same, on the file it points to (the link stays a link);
/// - a device, FIFO or socket (`/dev/stdout`, a pipe): written in place, never replaced;
/// - a folder: refused, with a hint to name a file.
pub fn write_atomic(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut file = AtomicFile::create(path)?;
    write(file.writer())?;
    file.commit()
}

/// A report file being written: see [`write_atomic`], whose rules it follows, for a report
/// written as the run goes. Until `commit`, readers see the previous file; dropped without
/// a commit, the temporary file is removed.
pub struct AtomicFile {
    writer: std::io::BufWriter<std::fs::File>,
    /// The temporary file and the file it becomes; none when written in place.
    rename: Option<(PathBuf, PathBuf)>,
}

impl AtomicFile {
    pub fn create(path: &Path) -> std::io::Result<AtomicFile> {
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::IsADirectory,
                    "it is a folder; name a file inside it, e.g. `reports/junit.xml`",
                ));
            }
            Ok(meta) if !meta.is_file() => {
                let file = std::fs::OpenOptions::new().write(true).open(path)?;
                return Ok(AtomicFile {
                    writer: std::io::BufWriter::new(file),
                    rename: None,
                });
            }
            _ => {}
        }
        let target = link_target(path);
        if let Some(parent) = target.parent()
            && !parent.as_os_str().is_empty()
        {
            std::fs::create_dir_all(parent)?;
        }
        let mut tmp_name = target
            .file_name()
            .map(|n| n.to_os_string())
            .unwrap_or_default();
        tmp_name.push(format!(".{}.tmp", std::process::id()));
        let tmp = target.with_file_name(tmp_name);
        let file = std::fs::File::create(&tmp)?;
        Ok(AtomicFile {
            writer: std::io::BufWriter::with_capacity(64 * 1024, file),
            rename: Some((tmp, target)),
        })
    }

    pub fn writer(&mut self) -> &mut dyn Write {
        &mut self.writer
    }

    /// Flushes the file to disk and puts it in place.
    pub fn commit(mut self) -> std::io::Result<()> {
        self.writer.flush()?;
        let Some((tmp, target)) = self.rename.take() else {
            return Ok(());
        };
        let done = self
            .writer
            .get_ref()
            .sync_all()
            .and_then(|()| std::fs::rename(&tmp, &target));
        if done.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        done
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if let Some((tmp, _)) = self.rename.take() {
            let _ = std::fs::remove_file(tmp);
        }
    }
}

/// The file a path names once its symbolic links are followed (also a link to a file not yet
/// written); the path itself when it is no link. Links are followed at most 40 times, as the
/// kernel does, so a loop ends.
fn link_target(path: &Path) -> PathBuf {
    let mut current = path.to_path_buf();
    for _ in 0..40 {
        let Ok(meta) = std::fs::symlink_metadata(&current) else {
            return current;
        };
        if !meta.file_type().is_symlink() {
            return current;
        }
        let Ok(next) = std::fs::read_link(&current) else {
            return current;
        };
        current = match current.parent() {
            Some(parent) if next.is_relative() => parent.join(next),
            _ => next,
        };
    }
    current
}

/// Writes to standard output, ignoring a closed pipe: `apitest steps | head` must end quietly,
/// not panic the way `print!` does when the reader has gone.
pub fn out(text: &str) {
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}
