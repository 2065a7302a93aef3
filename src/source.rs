//! Lines and columns of a file, and its text for display: UTF-8 when the bytes are valid UTF-8 (as the
//! admin's editor shows them), else Latin-1 (as Java reads them).

use crate::diagnostic::Location;
use crate::reader::{Span, latin1};

/// Lines and columns over a file's bytes, and its text for display. Borrows the bytes; the line index is
/// built on first use, so a file without findings costs nothing.
#[derive(Debug, Clone)]
pub struct DisplayText<'s> {
    bytes: &'s [u8],
    /// Whether the bytes are valid UTF-8 (shown as such); else each byte is one Latin-1 character. Checked on
    /// first use: a file without findings needs no check.
    utf8: std::cell::OnceCell<bool>,
    /// File offsets of the start of each line.
    line_starts: std::cell::OnceCell<Vec<usize>>,
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

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            let mut starts = vec![0];
            for i in memchr::memchr2_iter(b'\n', b'\r', self.bytes) {
                if self.bytes[i] == b'\n' || self.bytes.get(i + 1) != Some(&b'\n') {
                    starts.push(i + 1);
                }
            }
            starts
        })
    }

    /// The text to show: the bytes themselves when they are UTF-8, else decoded as Latin-1.
    pub fn text(&self) -> std::borrow::Cow<'s, str> {
        match std::str::from_utf8(self.bytes) {
            Ok(text) => std::borrow::Cow::Borrowed(text),
            Err(_) => std::borrow::Cow::Owned(latin1(self.bytes)),
        }
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
        let line = starts.partition_point(|&s| s <= offset) - 1;
        let prefix = &self.bytes[starts[line]..offset];
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
