//! Reads a file the linter was asked to check, refusing what is not a readable regular file of sane size.

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// Files larger than this are refused rather than read into memory: no real `config.properties` comes near.
pub const MAX_FILE_SIZE: u64 = 64 * 1024 * 1024;

/// Why a file could not be read. Each is a failure of the tool (exit code 2), not a finding.
#[derive(Debug)]
pub enum InputError {
    NotFound(PathBuf),
    IsDirectory(PathBuf),
    NotRegularFile(PathBuf),
    TooLarge { path: PathBuf, size: u64 },
    PermissionDenied(PathBuf),
    Io { path: PathBuf, error: io::Error },
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InputError::NotFound(p) => write!(f, "{}: no such file", p.display()),
            InputError::IsDirectory(p) => {
                write!(f, "{}: is a directory, not a properties file", p.display())
            }
            InputError::NotRegularFile(p) => write!(
                f,
                "{}: not a regular file (a pipe, socket or device); give the path of the properties file",
                p.display()
            ),
            InputError::TooLarge { path, size } => write!(
                f,
                "{}: the file is {size} bytes, more than the {MAX_FILE_SIZE} bytes racm-lint reads; \
                 this is not a configuration file",
                path.display()
            ),
            InputError::PermissionDenied(p) => write!(f, "{}: permission denied", p.display()),
            InputError::Io { path, error } => write!(f, "{}: cannot read: {error}", path.display()),
        }
    }
}

impl std::error::Error for InputError {}

impl miette::Diagnostic for InputError {}

impl InputError {
    fn from_io(path: &Path, error: io::Error) -> Self {
        let path = path.to_path_buf();
        match error.kind() {
            io::ErrorKind::NotFound => InputError::NotFound(path),
            io::ErrorKind::PermissionDenied => InputError::PermissionDenied(path),
            io::ErrorKind::IsADirectory => InputError::IsDirectory(path),
            _ => InputError::Io { path, error },
        }
    }
}

/// Reads a whole regular file, refusing directories, pipes, devices and files over [`MAX_FILE_SIZE`].
pub fn read_file(path: &Path) -> Result<Vec<u8>, InputError> {
    let meta = fs::metadata(path).map_err(|e| InputError::from_io(path, e))?;
    if meta.is_dir() {
        return Err(InputError::IsDirectory(path.to_path_buf()));
    }
    if !meta.is_file() {
        return Err(InputError::NotRegularFile(path.to_path_buf()));
    }
    if meta.len() > MAX_FILE_SIZE {
        return Err(InputError::TooLarge {
            path: path.to_path_buf(),
            size: meta.len(),
        });
    }
    let file = fs::File::open(path).map_err(|e| InputError::from_io(path, e))?;
    read_bounded(file, path, meta.len())
}

/// Reads standard input up to [`MAX_FILE_SIZE`].
pub fn read_stdin(name: &Path) -> Result<Vec<u8>, InputError> {
    read_bounded(io::stdin().lock(), name, 0)
}

fn read_bounded(reader: impl Read, path: &Path, expected: u64) -> Result<Vec<u8>, InputError> {
    // Sized to the file (and one byte to see its end): growing by doubling would hold up to twice the file.
    let mut bytes =
        Vec::with_capacity(usize::try_from(expected.min(MAX_FILE_SIZE)).unwrap_or(0) + 1);
    // Read one byte past the limit to tell a file that grew while being read.
    reader
        .take(MAX_FILE_SIZE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| InputError::from_io(path, e))?;
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return Err(InputError::TooLarge {
            path: path.to_path_buf(),
            size: bytes.len() as u64,
        });
    }
    Ok(bytes)
}
