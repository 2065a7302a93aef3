//! `--diff`: the safe fixes as a unified diff, every secret masked on both sides.

use crate::secrets::mask;
use crate::text::latin1;

/// A unified diff of the change, as text (each byte shown as its Latin-1 character unless the file is UTF-8).
pub fn unified_diff(path: &str, old: &[u8], new: &[u8]) -> String {
    let as_text = |b: &[u8]| match std::str::from_utf8(b) {
        Ok(t) => t.to_string(),
        Err(_) => latin1(b),
    };
    // Context lines may be secret lines: mask both sides.
    let (old, new) = (as_text(&mask(old)), as_text(&mask(new)));
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
