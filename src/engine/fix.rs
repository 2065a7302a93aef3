//! Safe fixes, computed without touching any file: one `apply_edits` for `--fix` and `--diff`, and
//! `fix_all`, which fixes until nothing fixable is left and returns the lint of what it made.

use super::lint::Linter;
use crate::diagnostic::{Diagnostic, Edit};
use crate::secrets::SecretPlaces;

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

/// What [`fix_all`] made.
#[derive(Debug, Clone)]
pub struct Fixed {
    /// The fixed bytes (the same as the source when nothing was fixed).
    pub bytes: Vec<u8>,
    /// How many fixes were applied.
    pub applied: usize,
    /// The lint of [`Fixed::bytes`]: the last lint of the passes, or `None` when no fix was applied (the
    /// diagnostics given still hold).
    pub lint: Option<(Vec<Diagnostic>, SecretPlaces)>,
}

/// Applies the safe fixes of `diagnostics` (the lint of `source`), then re-lints and fixes again until
/// nothing is left to fix (at most [`MAX_FIX_PASSES`] passes): each pass lints once, and the last lint is
/// returned, so the fixed bytes need no lint of their own.
pub fn fix_all(linter: &Linter, source: &[u8], diagnostics: &[Diagnostic]) -> Fixed {
    let mut current = source.to_vec();
    let mut total = 0;
    let mut last = None;
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
        let (found, secrets) = linter.lint_with_secrets(&current);
        edits = found.iter().flat_map(|d| d.fix.iter().cloned()).collect();
        last = Some((found, secrets));
    }
    Fixed {
        bytes: current,
        applied: total,
        lint: last,
    }
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
}
