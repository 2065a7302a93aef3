//! Applies safe fixes: one `apply_edits` for `--fix` and `--diff`, and an atomic rewrite that keeps every
//! other byte, the line endings, the encoding and the file's permissions.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::checks::Edit;

/// Applies non-overlapping edits to the bytes (an edit overlapping an earlier one is skipped), and says how
/// many were applied.
pub fn apply_edits(source: &[u8], edits: &[Edit]) -> (Vec<u8>, usize) {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.span.start, e.span.end));
    sorted.dedup_by(|a, b| a == b);
    let mut out = Vec::with_capacity(source.len());
    let mut at = 0;
    let mut applied = 0;
    for edit in sorted {
        if edit.span.start < at || edit.span.end > source.len() {
            continue;
        }
        out.extend_from_slice(&source[at..edit.span.start]);
        out.extend_from_slice(&edit.replacement);
        at = edit.span.end;
        applied += 1;
    }
    out.extend_from_slice(&source[at..]);
    (out, applied)
}

/// How many times `fix_all` re-lints and fixes again: a fix can reveal another (`TRUE ` loses its blank,
/// then its case is fixed).
pub const MAX_FIX_PASSES: usize = 5;

/// Applies the safe fixes of `diagnostics`, then re-lints and fixes again until nothing is left to fix (at
/// most [`MAX_FIX_PASSES`] passes). Returns the fixed bytes and how many fixes were applied.
pub fn fix_all(
    linter: &crate::engine::Linter,
    source: &[u8],
    diagnostics: &[crate::diagnostic::Diagnostic],
) -> (Vec<u8>, usize) {
    let mut current = source.to_vec();
    let mut total = 0;
    let mut edits: Vec<Edit> = diagnostics
        .iter()
        .flat_map(|d| d.fix.iter().cloned())
        .collect();
    for _ in 0..MAX_FIX_PASSES {
        if edits.is_empty() {
            break;
        }
        let (next, applied) = apply_edits(&current, &edits);
        if applied == 0 || next == current {
            break;
        }
        total += applied;
        current = next;
        edits = linter
            .lint(&current)
            .iter()
            .flat_map(|d| d.fix.iter().cloned())
            .collect();
    }
    (current, total)
}

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

/// A unified diff of the change, as text (each byte shown as its Latin-1 character unless the file is UTF-8).
pub fn unified_diff(path: &str, old: &[u8], new: &[u8]) -> String {
    let as_text = |b: &[u8]| match std::str::from_utf8(b) {
        Ok(t) => t.to_string(),
        Err(_) => crate::reader::latin1(b),
    };
    // Context lines may be secret lines: mask both sides.
    let (old, new) = (
        as_text(&crate::secrets::mask(old)),
        as_text(&crate::secrets::mask(new)),
    );
    let diff = similar::TextDiff::from_lines(&old, &new);
    let mut out = diff
        .unified_diff()
        .context_radius(2)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(span: std::ops::Range<usize>, with: &str) -> Edit {
        Edit {
            span,
            replacement: with.as_bytes().to_vec(),
        }
    }

    #[test]
    fn edits_apply_in_order_and_overlaps_are_skipped() {
        let src = b"\xEF\xBB\xBFa=TRUE \r\nb=1\r\n";
        let (out, n) = apply_edits(
            src,
            &[
                edit(5..9, "true"),
                edit(0..3, ""),
                edit(9..10, ""),
                edit(6..8, "x"),
            ],
        );
        assert_eq!(out, b"a=true\r\nb=1\r\n");
        assert_eq!(n, 3);
    }

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

    #[test]
    fn diffs_are_unified() {
        let d = unified_diff("conf/config.properties", b"a=1\nb=TRUE\n", b"a=1\nb=true\n");
        assert!(
            d.contains("--- a/conf/config.properties")
                && d.contains("-b=TRUE")
                && d.contains("+b=true")
        );
    }
}
