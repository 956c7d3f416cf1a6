//! Reports: one renderer places errors against the feature line (`render`), the console shows
//! progress and failures (`console`), JUnit XML goes to CI (`junit`), and every text passes
//! through `secret::redact` on its way out. Report files are written atomically
//! (`write_atomic`).
//!
//! Every report is a `Reporter`: it is told of each scenario as it finishes and of the end of
//! the run, so a new format is a new writer, never an edit of the run command.

pub mod console;
pub mod junit;
pub mod render;

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::runner::{Plan, RunSummary, ScenarioResult};

/// The end of a run, as every reporter sees it: the plan, every finished scenario (in the
/// order they finished) and the totals.
pub struct RunEnd<'a> {
    pub plan: &'a Plan,
    pub results: &'a [ScenarioResult],
    pub summary: &'a RunSummary,
    /// What the file reporters wrote (`JUnit report: reports/junit.xml`), for the console.
    pub written: &'a [String],
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

/// A writer of the run's results.
pub trait Reporter {
    /// A scenario finished (scenarios finish in any order when they run in parallel).
    fn scenario_finished(&mut self, plan: &Plan, result: &ScenarioResult);
    /// The run ended, also when interrupted; a file report writes itself and says where.
    fn run_finished(&mut self, end: &RunEnd<'_>) -> Result<Option<String>, ReportError>;
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
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => {
            return Err(std::io::Error::new(
                std::io::ErrorKind::IsADirectory,
                "it is a folder; name a file inside it, e.g. `reports/junit.xml`",
            ));
        }
        Ok(meta) if !meta.is_file() => {
            let file = std::fs::OpenOptions::new().write(true).open(path)?;
            let mut writer = std::io::BufWriter::new(file);
            write(&mut writer)?;
            return writer.flush();
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
    let result = (|| {
        let file = std::fs::File::create(&tmp)?;
        let mut writer = std::io::BufWriter::new(file);
        write(&mut writer)?;
        writer.flush()?;
        writer.get_ref().sync_all()?;
        std::fs::rename(&tmp, &target)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
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
