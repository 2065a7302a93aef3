//! The only place racm-lint writes files: an atomic rewrite that keeps every other byte, the file's
//! permissions and owner, and leaves no temporary copy behind: one that a killed run left (it holds the
//! secret) is removed by the next `--fix` in the same directory.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// The names of racm-lint's temporary files: `.racm-lint-XXXXXX.tmp`, in the directory of the file.
const TEMP_PREFIX: &str = ".racm-lint-";
const TEMP_SUFFIX: &str = ".tmp";

/// How old a temporary file of racm-lint must be to count as left by a run that was killed: a rewrite takes
/// milliseconds, so one this old belongs to no run still going.
pub const STALE_AFTER: Duration = Duration::from_secs(10 * 60);

/// Replaces the file at `path` with `bytes` atomically: a temporary file in the same directory gets the
/// bytes and the original's permissions and owner, is flushed to disk, then renamed over the original. On
/// any error (an owner that cannot be kept, say) the original is left as it was. A symbolic link is
/// followed, so the link stays a link. Refused: a read-only file (its owner made it so) and a file with
/// other hard links (they would keep the old content).
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
    refuse_to_replace(&metadata)?;
    let permissions = metadata.permissions();
    let mut temp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .suffix(TEMP_SUFFIX)
        .tempfile_in(dir)?;
    // Ours are the files of the user who owns the one just made.
    remove_stale_temporary_files(dir, STALE_AFTER, &temp.as_file().metadata()?);
    write(temp.as_file_mut(), bytes)?;
    temp.as_file().sync_all()?;
    fs::set_permissions(temp.path(), permissions)?;
    keep_owner(temp.as_file(), &metadata)?;
    temp.persist(&target).map_err(|e| e.error)?;
    Ok(())
}

/// Refuses a file that is read-only (its owner made it so: a rename would replace it all the same) or that
/// has other hard links (the rewrite would be a new file: the other names would keep the old content).
fn refuse_to_replace(metadata: &fs::Metadata) -> io::Result<()> {
    if metadata.permissions().readonly() {
        return Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            "the file is read-only; make it writable to let --fix rewrite it",
        ));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if metadata.nlink() > 1 {
            return Err(io::Error::other(format!(
                "the file has {} hard links, which would keep the old content; fix it by hand or through \
                 the link you mean",
                metadata.nlink()
            )));
        }
    }
    Ok(())
}

/// Removes racm-lint's temporary files in `dir` older than `age`, which a killed run left: each a full copy
/// of a file, secret included. Files of other users (on Unix: another owner than `ours`), and those of a run
/// still going, are left alone.
pub fn remove_stale_temporary_files(dir: &Path, age: Duration, ours: &fs::Metadata) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !name.starts_with(TEMP_PREFIX) || !name.ends_with(TEMP_SUFFIX) {
            continue;
        }
        let Ok(meta) = entry.metadata() else {
            continue;
        };
        let old = meta
            .modified()
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .is_some_and(|elapsed| elapsed >= age);
        if meta.is_file() && old && same_owner(&meta, ours) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[cfg(unix)]
fn same_owner(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.uid() == b.uid()
}

#[cfg(not(unix))]
fn same_owner(_a: &fs::Metadata, _b: &fs::Metadata) -> bool {
    true
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

    use std::time::{Duration, SystemTime};

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
    fn a_temporary_file_left_by_a_killed_run_is_removed_by_the_next() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.properties");
        fs::write(&path, b"a=1\n").unwrap();
        let stale = dir.path().join(".racm-lint-AbC123.tmp");
        fs::write(&stale, b"mail.oauth2.client.secret=Xq48Q~...\n").unwrap();
        let fresh = dir.path().join(".racm-lint-XyZ789.tmp");
        fs::write(&fresh, b"a run going on\n").unwrap();
        let other = dir.path().join(".other-tool.tmp");
        fs::write(&other, b"not ours\n").unwrap();
        let old = SystemTime::now() - STALE_AFTER - Duration::from_secs(1);
        fs::File::options()
            .write(true)
            .open(&stale)
            .unwrap()
            .set_modified(old)
            .unwrap();
        write_atomically(&path, b"a=2\n").unwrap();
        assert!(!stale.exists(), "the stale copy is removed");
        assert!(fresh.exists() && other.exists());
        assert_eq!(fs::read(&path).unwrap(), b"a=2\n");
    }

    #[test]
    fn a_read_only_file_or_one_with_hard_links_is_not_replaced() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.properties");
        fs::write(&path, b"a=1\n").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
        let error = write_atomically(&path, b"a=2\n").unwrap_err();
        assert!(error.to_string().contains("read-only"), "{error}");
        assert_eq!(fs::read(&path).unwrap(), b"a=1\n");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        fs::hard_link(&path, dir.path().join("copy.properties")).unwrap();
        let error = write_atomically(&path, b"a=2\n").unwrap_err();
        assert!(error.to_string().contains("hard links"), "{error}");
        assert_eq!(fs::read(&path).unwrap(), b"a=1\n");
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
