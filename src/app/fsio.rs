//! The only place racm-lint writes files: an atomic rewrite that keeps every other byte, the file's
//! permissions and owner, and leaves no temporary copy behind.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Replaces the file at `path` with `bytes` atomically: a temporary file in the same directory gets the
/// bytes and the original's permissions and owner, is flushed to disk, then renamed over the original. On
/// any error (an owner that cannot be kept, say) the original is left as it was. A symbolic link is
/// followed, so the link stays a link.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomically_with(path, bytes, |file, bytes| file.write_all(bytes))
}

/// As [`write_atomically`], with the write itself supplied (so tests can make it fail).
pub fn write_atomically_with(
    path: &Path,
    bytes: &[u8],
    write: impl FnOnce(&mut fs::File, &[u8]) -> io::Result<()>,
) -> io::Result<()> {
    let target: PathBuf = fs::canonicalize(path)?;
    let dir = target.parent().unwrap_or(Path::new("."));
    let metadata = fs::metadata(&target)?;
    let permissions = metadata.permissions();
    let mut temp = tempfile::Builder::new()
        .prefix(".racm-lint-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    write(temp.as_file_mut(), bytes)?;
    temp.as_file().sync_all()?;
    fs::set_permissions(temp.path(), permissions)?;
    keep_owner(temp.as_file(), &metadata)?;
    temp.persist(&target).map_err(|e| e.error)?;
    Ok(())
}

/// Gives the new file the original's owner and group (the server may run as them and read nothing else).
#[cfg(unix)]
fn keep_owner(file: &fs::File, original: &fs::Metadata) -> io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    let current = file.metadata()?;
    if (current.uid(), current.gid()) == (original.uid(), original.gid()) {
        return Ok(());
    }
    std::os::unix::fs::fchown(file, Some(original.uid()), Some(original.gid())).map_err(|e| {
        io::Error::new(
            e.kind(),
            format!(
                "cannot give the rewritten file the original's owner ({}:{}): {e}",
                original.uid(),
                original.gid()
            ),
        )
    })
}

#[cfg(not(unix))]
fn keep_owner(_file: &fs::File, _original: &fs::Metadata) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn atomic_write_keeps_the_owner() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.properties");
        fs::write(&path, b"a=1\n").unwrap();
        // Only root can give a file away; elsewhere the owner is already the writer's.
        let nobody = 65534;
        if std::os::unix::fs::chown(&path, Some(nobody), Some(nobody)).is_err() {
            eprintln!("not root: the owner cannot be changed here, nothing to check");
            return;
        }
        write_atomically(&path, b"a=2\n").unwrap();
        let meta = fs::metadata(&path).unwrap();
        assert_eq!((meta.uid(), meta.gid()), (nobody, nobody));
        assert_eq!(fs::read(&path).unwrap(), b"a=2\n");
    }

    #[test]
    fn atomic_write_keeps_permissions_and_a_failed_write_keeps_the_original() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.properties");
        fs::write(&path, b"a=1\n").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        write_atomically(&path, b"a=2\n").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"a=2\n");
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o640
        );

        let failed = write_atomically_with(&path, b"a=3\n", |file, bytes| {
            file.write_all(&bytes[..1])?;
            Err(io::Error::new(io::ErrorKind::StorageFull, "disk full"))
        });
        assert!(failed.is_err());
        assert_eq!(fs::read(&path).unwrap(), b"a=2\n");
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "the temporary file is removed");
    }

    #[test]
    fn a_link_stays_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.properties");
        let link = dir.path().join("config.properties");
        fs::write(&real, b"a=1\n").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_atomically(&link, b"a=2\n").unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read(&real).unwrap(), b"a=2\n");
    }
}
