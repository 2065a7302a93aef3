//! Lines and columns of a file, and its text for display: UTF-8 when the bytes are valid UTF-8 (as the
//! admin's editor shows them), else Latin-1 (as Java reads them).

use std::borrow::Cow;

use super::reader::Span;
use crate::keys::Withheld;
use crate::text::latin1;

/// Where a span of the file is, 1-based, columns in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Location {
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

/// Lines and columns over a file's bytes, and its text for display. Borrows the bytes; the line index is
/// built on first use, so a file without findings costs nothing. Its `Debug` shows the size of the bytes only.
#[derive(Clone)]
pub struct DisplayText<'s> {
    bytes: &'s [u8],
    /// Whether the bytes are valid UTF-8 (shown as such); else each byte is one Latin-1 character. Checked on
    /// first use: a file without findings needs no check.
    utf8: std::cell::OnceCell<bool>,
    /// File offsets of the start of each line (32 bits: one per line of a file of blank lines adds up).
    line_starts: std::cell::OnceCell<Vec<u32>>,
}

impl std::fmt::Debug for DisplayText<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DisplayText")
            .field("bytes", &Withheld(self.bytes.len()))
            .finish_non_exhaustive()
    }
}

impl<'s> DisplayText<'s> {
    pub fn new(bytes: &'s [u8]) -> DisplayText<'s> {
        DisplayText {
            bytes,
            utf8: std::cell::OnceCell::new(),
            line_starts: std::cell::OnceCell::new(),
        }
    }

    /// Whether the bytes are valid UTF-8.
    pub fn utf8(&self) -> bool {
        *self
            .utf8
            .get_or_init(|| std::str::from_utf8(self.bytes).is_ok())
    }

    fn line_starts(&self) -> &[u32] {
        self.line_starts.get_or_init(|| {
            let mut starts = vec![0];
            for i in memchr::memchr2_iter(b'\n', b'\r', self.bytes) {
                if self.bytes[i] == b'\n' || self.bytes.get(i + 1) != Some(&b'\n') {
                    starts.push(to_u32(i + 1));
                }
            }
            starts
        })
    }

    /// The text to show: the bytes themselves when they are UTF-8, else decoded as Latin-1.
    pub fn text(&self) -> Cow<'s, str> {
        decode(self.bytes, self.utf8())
    }

    /// A file byte offset on a character boundary of the UTF-8 text (moved back), or as is for Latin-1.
    fn boundary(&self, offset: usize, forward: bool) -> usize {
        let mut at = offset.min(self.bytes.len());
        if self.utf8() {
            // A UTF-8 continuation byte is 0b10xx_xxxx.
            while at < self.bytes.len() && at > 0 && (self.bytes[at] & 0xC0) == 0x80 {
                if forward { at += 1 } else { at -= 1 }
            }
        }
        at
    }

    /// The offset in [`DisplayText::text`] of file byte `offset`.
    fn display_offset(&self, offset: usize) -> usize {
        if self.utf8() {
            offset
        } else {
            // Each byte >= 0x80 became a two-byte character.
            offset + self.bytes[..offset].iter().filter(|&&b| b >= 0x80).count()
        }
    }

    /// A file span as a span of [`DisplayText::text`]: a character cut by the span is included whole.
    pub fn span(&self, span: &Span) -> Span {
        let start = self.display_offset(self.boundary(span.start, false));
        let end = self.display_offset(self.boundary(span.end, true));
        start..end.max(start)
    }

    /// 1-based line and column (in characters) of a file byte offset.
    pub fn line_col(&self, offset: usize) -> (u32, u32) {
        let offset = self.boundary(offset, false);
        let starts = self.line_starts();
        let line = starts.partition_point(|&s| s as usize <= offset) - 1;
        let prefix = &self.bytes[(starts[line] as usize).min(offset)..offset];
        let col = if self.utf8() {
            prefix.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
        } else {
            prefix.len()
        } + 1;
        (to_u32(line + 1), to_u32(col))
    }

    /// The location of a file span.
    pub fn location(&self, span: &Span) -> Location {
        let (line, column) = self.line_col(span.start);
        let (end_line, end_column) = self.line_col(self.boundary(span.end, true));
        Location {
            line,
            column,
            end_line,
            end_column,
        }
    }
}

/// Part of a file as text to show, the way the whole file is shown: as UTF-8 when the file is (`utf8`; a
/// byte of a character cut by the part's ends, or by a mask, shows as `*`, so offsets stay the same), else
/// each byte as its Latin-1 character.
pub fn decode(bytes: &[u8], utf8: bool) -> Cow<'_, str> {
    if !utf8 {
        return Cow::Owned(latin1(bytes));
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Cow::Borrowed(text);
    }
    let mut text = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        text.extend(chunk.invalid().iter().map(|_| '*'));
    }
    Cow::Owned(text)
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters() {
        let src = "a=é\r\nbb=1\rc=2\n".as_bytes();
        let d = DisplayText::new(src);
        assert!(d.utf8());
        // `1` on line 2
        let at = src.iter().position(|&b| b == b'1').unwrap();
        assert_eq!(
            d.location(&(at..at + 1)),
            Location {
                line: 2,
                column: 4,
                end_line: 2,
                end_column: 5
            }
        );
        let at = src.iter().position(|&b| b == b'2').unwrap();
        assert_eq!(d.location(&(at..at + 1)).line, 3);
    }

    #[test]
    fn latin1_files_map_offsets() {
        let src = b"k=\xe9t\xe9\nz=1\n";
        let d = DisplayText::new(src);
        assert!(!d.utf8());
        assert_eq!(d.text(), "k=été\nz=1\n");
        let loc = d.location(&(2..5));
        assert_eq!((loc.column, loc.end_column), (3, 6));
        // a span cutting a UTF-8 sequence in a UTF-8 file is widened
        let src = "k=\\é".as_bytes();
        let d = DisplayText::new(src);
        let s = d.span(&(2..4));
        assert!(d.text().is_char_boundary(s.end) && s.end == 5);
    }
}
