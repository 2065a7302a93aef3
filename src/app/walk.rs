//! Turns the paths on the command line into the files to lint: files as given, directories walked for
//! `config.properties` (or `--include` globs) honouring `.gitignore`, `-` for standard input.

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

/// The file name looked for in directories by default.
pub const DEFAULT_NAME: &str = "config.properties";

/// One input to lint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    File(PathBuf),
    Stdin,
}

/// A path that could not be walked (unreadable directory, broken link...).
#[derive(Debug)]
pub struct WalkError {
    pub path: Option<PathBuf>,
    pub message: String,
}

impl std::fmt::Display for WalkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.path {
            Some(p) => write!(f, "{}: {}", p.display(), self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for WalkError {}
impl miette::Diagnostic for WalkError {}

/// Builds the matcher for file names in walked directories.
pub fn matcher(include: &[String]) -> Result<GlobSet, globset::Error> {
    let mut builder = GlobSetBuilder::new();
    builder.add(Glob::new(DEFAULT_NAME)?);
    for pattern in include {
        builder.add(Glob::new(pattern)?);
    }
    builder.build()
}

/// The inputs for `paths`, directories walked in a stable (sorted) order. Errors are returned beside the
/// inputs found, so that one unreadable directory does not stop the others.
pub fn collect(paths: &[PathBuf], names: &GlobSet) -> (Vec<Input>, Vec<WalkError>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        if !path.is_dir() {
            // Files are linted as given, whatever their name; a missing one is reported when read.
            inputs.push(Input::File(path.clone()));
            continue;
        }
        // Walked in parallel (a configuration repository holds hundreds of files), then sorted.
        let found = std::sync::Mutex::new(Vec::new());
        let failures = std::sync::Mutex::new(Vec::new());
        ignore::WalkBuilder::new(path)
            .require_git(false)
            .follow_links(false)
            .build_parallel()
            .run(|| {
                Box::new(|entry| {
                    match entry {
                        Ok(entry) => {
                            let is_file = entry
                                .file_type()
                                .is_some_and(|t| t.is_file() || t.is_symlink());
                            if is_file && matches(names, path, entry.path()) {
                                found
                                    .lock()
                                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                                    .push(entry.into_path());
                            }
                        }
                        Err(error) => failures
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner)
                            .push(WalkError {
                                path: error_path(&error),
                                message: error.to_string(),
                            }),
                    }
                    ignore::WalkState::Continue
                })
            });
        let mut found = found
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut failures = failures
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        failures.sort_by(|a, b| a.path.cmp(&b.path));
        errors.extend(failures);
        found.sort();
        inputs.extend(found.into_iter().map(Input::File));
    }
    (inputs, errors)
}

fn matches(names: &GlobSet, root: &Path, path: &Path) -> bool {
    let name_matches = path.file_name().is_some_and(|n| names.is_match(n));
    name_matches || path.strip_prefix(root).is_ok_and(|rel| names.is_match(rel))
}

fn error_path(error: &ignore::Error) -> Option<PathBuf> {
    match error {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn directories_are_walked_in_order_honouring_gitignore() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for p in [
            "b/config.properties",
            "a/config.properties",
            "a/other.properties",
            "ignored/config.properties",
            ".hidden/config.properties",
        ] {
            let full = root.join(p);
            fs::create_dir_all(full.parent().unwrap()).unwrap();
            fs::write(full, "").unwrap();
        }
        fs::write(root.join(".gitignore"), "ignored/\n").unwrap();
        let (inputs, errors) = collect(&[root.to_path_buf()], &matcher(&[]).unwrap());
        assert!(errors.is_empty());
        assert_eq!(
            inputs,
            vec![
                Input::File(root.join("a/config.properties")),
                Input::File(root.join("b/config.properties"))
            ]
        );
        let (inputs, _) = collect(
            &[root.to_path_buf()],
            &matcher(&["*.properties".into()]).unwrap(),
        );
        assert_eq!(inputs.len(), 3);
        let (inputs, _) = collect(
            &[PathBuf::from("-"), root.join("a/other.properties")],
            &matcher(&[]).unwrap(),
        );
        assert_eq!(
            inputs,
            vec![Input::Stdin, Input::File(root.join("a/other.properties"))]
        );
    }

    #[test]
    fn a_symlink_loop_does_not_hang() {
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).unwrap();
        fs::write(dir.path().join("config.properties"), "").unwrap();
        let (inputs, _) = collect(&[dir.path().to_path_buf()], &matcher(&[]).unwrap());
        assert_eq!(inputs.len(), 1);
    }
}
