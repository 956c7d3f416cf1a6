//! Turns the paths given to `apitest run` into a project: its folder, its features folder
//! (where data files and `config.ini` live) and the `.feature` files to run.
//!
//! A path may be a `.feature` file, a folder of them (searched recursively), or a project
//! folder that holds `features/` (Zato's layout: `apitest run DIR`).

use std::fmt;
use std::path::{Path, PathBuf};

use crate::value::config::TOML_NAME;

#[derive(Debug, Clone, PartialEq)]
pub struct Project {
    pub project_dir: PathBuf,
    pub features_dir: PathBuf,
    pub files: Vec<PathBuf>,
    /// What was passed over on the way, to be shown as notes: `.feature` names that are not
    /// regular files (a FIFO, a socket, a device), which are never read.
    pub skipped: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DiscoverError {
    pub message: String,
    pub hint: Option<String>,
}

impl fmt::Display for DiscoverError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

pub fn discover(paths: &[PathBuf]) -> Result<Project, DiscoverError> {
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    let mut roots: Option<(PathBuf, PathBuf)> = None;
    for path in paths {
        if !path.exists() {
            return Err(DiscoverError {
                message: format!("path `{}` does not exist", path.display()),
                hint: Some("give a .feature file, a folder of them, or a project folder that has `features/`".into()),
            });
        }
        let kind = std::fs::metadata(path).map(|m| m.file_type());
        if kind.as_ref().is_ok_and(|k| !k.is_file() && !k.is_dir()) {
            return Err(DiscoverError {
                message: format!(
                    "`{}` is not a regular file (a FIFO, socket or device); apitest reads only regular files",
                    path.display()
                ),
                hint: Some("give a .feature file, a folder of them, or a project folder that has `features/`".into()),
            });
        }
        let (project, features, mut found) = if path.is_file() {
            if path.extension().is_none_or(|e| e != "feature") {
                return Err(DiscoverError {
                    message: format!("`{}` is not a .feature file", path.display()),
                    hint: Some("feature files end in `.feature`".into()),
                });
            }
            let dir = path
                .parent()
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
            let dir = if dir.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                dir
            };
            let (project, features) = roots_for(&dir);
            (project, features, vec![path.clone()])
        } else if path.join("features").is_dir() {
            let features = path.join("features");
            let found =
                feature_files(&features, &mut skipped).map_err(|e| io_error(&features, &e))?;
            (path.clone(), features, found)
        } else {
            let (project, features) = roots_for(path);
            let found = feature_files(path, &mut skipped).map_err(|e| io_error(path, &e))?;
            (project, features, found)
        };
        if roots.is_none() {
            roots = Some((project, features));
        }
        files.append(&mut found);
    }
    files.sort();
    files.dedup();
    // One file reached by two paths (a link to it, or to its folder) runs once.
    let mut real = std::collections::HashSet::new();
    files.retain(|f| real.insert(f.canonicalize().unwrap_or_else(|_| f.clone())));
    let (project_dir, features_dir) =
        roots.unwrap_or_else(|| (PathBuf::from("."), PathBuf::from("features")));
    if files.is_empty() {
        let shown: Vec<String> = paths.iter().map(|p| format!("`{}`", p.display())).collect();
        return Err(DiscoverError {
            message: format!("no .feature files found in {}", shown.join(", ")),
            hint: Some("create one, or start a project with `apitest init DIR`".into()),
        });
    }
    Ok(Project {
        project_dir,
        features_dir,
        files,
        skipped,
    })
}

fn io_error(path: &Path, e: &std::io::Error) -> DiscoverError {
    DiscoverError {
        message: format!("cannot read folder `{}`: {e}", path.display()),
        hint: None,
    }
}

/// The project folder of features in `dir` (see `roots_for`), where the names steps give
/// (`Given OpenAPI spec "contracts/api.yaml"`) are read from.
pub fn project_root(dir: &Path) -> PathBuf {
    if dir.join("features").is_dir() {
        return dir.to_path_buf();
    }
    roots_for(dir).0
}

/// The project folder and features folder for features found in `dir`: the nearest folder
/// up the tree that holds `apitest.toml`, or the parent of the nearest folder named
/// `features`; failing both, `dir` itself.
fn roots_for(dir: &Path) -> (PathBuf, PathBuf) {
    for ancestor in dir.ancestors() {
        if ancestor.join(TOML_NAME).is_file() {
            let features = ancestor.join("features");
            let features = if features.is_dir() {
                features
            } else {
                dir.to_path_buf()
            };
            return (ancestor.to_path_buf(), features);
        }
        if ancestor.file_name().is_some_and(|n| n == "features") {
            let project = ancestor
                .parent()
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
            let project = if project.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                project
            };
            return (project, ancestor.to_path_buf());
        }
    }
    (dir.to_path_buf(), dir.to_path_buf())
}

/// Every `.feature` file below `dir`, in a stable order.
/// The `.feature` files under `dir`, links followed; a folder reached again through a link
/// (a loop, or a second way to the same folder) is read once. Names that are not regular files
/// are noted in `skipped`, never opened: reading a FIFO would block forever.
fn feature_files(dir: &Path, skipped: &mut Vec<String>) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        let real = current.canonicalize().unwrap_or_else(|_| current.clone());
        if !seen.insert(real) {
            continue;
        }
        for entry in std::fs::read_dir(&current)? {
            let path = entry?.path();
            let Ok(meta) = std::fs::metadata(&path) else {
                continue;
            };
            if meta.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "feature") {
                if meta.is_file() {
                    out.push(path);
                } else {
                    skipped.push(format!(
                        "`{}` is not a regular file (a FIFO, socket or device) and was not read",
                        path.display()
                    ));
                }
            }
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(name: &str) -> PathBuf {
        let root =
            std::env::temp_dir().join(format!("apitest-discover-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("features/employee")).unwrap();
        std::fs::write(root.join("features/a.feature"), "Feature: a\n").unwrap();
        std::fs::write(root.join("features/employee/b.feature"), "Feature: b\n").unwrap();
        std::fs::write(root.join("features/notes.txt"), "x").unwrap();
        root
    }

    #[test]
    fn a_project_folder_runs_its_features_folder() {
        let root = tree("project");
        let project = discover(std::slice::from_ref(&root)).unwrap();
        assert_eq!(project.project_dir, root);
        assert_eq!(project.features_dir, root.join("features"));
        assert_eq!(
            project.files,
            vec![
                root.join("features/a.feature"),
                root.join("features/employee/b.feature")
            ]
        );
    }

    #[test]
    fn a_single_file_finds_its_project() {
        let root = tree("file");
        let file = root.join("features/employee/b.feature");
        let project = discover(std::slice::from_ref(&file)).unwrap();
        assert_eq!(project.project_dir, root);
        assert_eq!(project.features_dir, root.join("features"));
        assert_eq!(project.files, vec![file]);
    }

    #[test]
    fn missing_paths_and_wrong_files_are_errors() {
        let root = tree("errors");
        let err = discover(&[root.join("nope")]).unwrap_err();
        assert!(err.message.contains("does not exist"), "{err}");
        let err = discover(&[root.join("features/notes.txt")]).unwrap_err();
        assert!(err.message.contains("is not a .feature file"), "{err}");
        std::fs::create_dir_all(root.join("empty")).unwrap();
        let err = discover(&[root.join("empty")]).unwrap_err();
        assert!(err.message.contains("no .feature files"), "{err}");
    }
}
