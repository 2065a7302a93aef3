//! Lines and columns of a file, and its text for display: UTF-8 when the bytes are valid UTF-8 (as the
//! admin's editor shows them), else Latin-1 (as Java reads them).

use crate::diagnostic::Location;
use crate::reader::{Span, latin1};

/// A file's text for display, with a map from file byte offsets to display offsets and to line/column.
#[derive(Debug, Clone)]
pub struct DisplayText {
    pub text: String,
    /// Whether `text` is the file's bytes as they are (valid UTF-8); else each byte became one character.
    pub utf8: bool,
    /// Display offsets of the start of each line.
    line_starts: Vec<usize>,
}

impl DisplayText {
    pub fn new(source: &[u8]) -> DisplayText {
        let (text, utf8) = match std::str::from_utf8(source) {
            Ok(text) => (text.to_string(), true),
            Err(_) => (latin1(source), false),
        };
        let bytes = text.as_bytes();
        let mut line_starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => line_starts.push(i + 1),
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => line_starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        DisplayText {
            text,
            utf8,
            line_starts,
        }
    }

    /// The display offset of file byte `offset`, moved back to a character boundary.
    pub fn offset(&self, source: &[u8], offset: usize) -> usize {
        let offset = offset.min(source.len());
        if self.utf8 {
            let mut at = offset;
            while !self.text.is_char_boundary(at) {
                at -= 1;
            }
            at
        } else {
            // Each byte >= 0x80 became a two-byte character.
            offset + source[..offset].iter().filter(|&&b| b >= 0x80).count()
        }
    }

    /// A file span as a display span on character boundaries: a character cut by the span is included whole.
    pub fn span(&self, source: &[u8], span: &Span) -> Span {
        let start = self.offset(source, span.start);
        let end = if self.utf8 {
            let mut end = span.end.min(self.text.len());
            while !self.text.is_char_boundary(end) {
                end += 1;
            }
            end
        } else {
            self.offset(source, span.end)
        };
        start..end.max(start)
    }

    /// 1-based line and column (in characters) of a display offset.
    pub fn line_col(&self, display_offset: usize) -> (u32, u32) {
        let line = self.line_starts.partition_point(|&s| s <= display_offset) - 1;
        let start = self.line_starts[line];
        let col = self.text[start..display_offset.min(self.text.len())]
            .chars()
            .count()
            + 1;
        (to_u32(line + 1), to_u32(col))
    }

    /// The location of a file span.
    pub fn location(&self, source: &[u8], span: &Span) -> Location {
        let display = self.span(source, span);
        let (line, column) = self.line_col(display.start);
        let (end_line, end_column) = self.line_col(display.end);
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
        assert!(d.utf8);
        // `1` on line 2
        let at = src.iter().position(|&b| b == b'1').unwrap();
        assert_eq!(
            d.location(src, &(at..at + 1)),
            Location {
                line: 2,
                column: 4,
                end_line: 2,
                end_column: 5
            }
        );
        let at = src.iter().position(|&b| b == b'2').unwrap();
        assert_eq!(d.location(src, &(at..at + 1)).line, 3);
    }

    #[test]
    fn latin1_files_map_offsets() {
        let src = b"k=\xe9t\xe9\nz=1\n";
        let d = DisplayText::new(src);
        assert!(!d.utf8);
        assert_eq!(d.text, "k=été\nz=1\n");
        let loc = d.location(src, &(2..5));
        assert_eq!((loc.column, loc.end_column), (3, 6));
        // a span cutting a UTF-8 sequence in a UTF-8 file is widened
        let src = "k=\\é".as_bytes();
        let d = DisplayText::new(src);
        let s = d.span(src, &(2..4));
        assert!(d.text.is_char_boundary(s.end) && s.end == 5);
    }
}
