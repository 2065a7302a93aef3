//! Reads a `.properties` file exactly as `java.util.Properties.load(InputStream)` does, keeping byte spans.
//!
//! The reader is a port of the JDK 17 `LineReader.readLine` / `Properties.load0` / `loadConvert` trio, done
//! over the file's bytes in two phases, like Java:
//! 1. physical lines are joined into logical lines (continuations, comments, leading whitespace);
//! 2. each logical line is split into key and value, and both are unescaped.
//!
//! Unlike Java it never stops: a malformed `\uXXXX` escape (which makes Java throw, so the server cannot read
//! the file at all) is recorded as a [`Problem`] and reading goes on. Every entry keeps the byte spans of its
//! raw key and value text in the file, so a diagnostic can point at them and a fix can rewrite them while
//! every other byte stays as it was. The file is decoded as ISO-8859-1, as `load(InputStream)` does: each
//! byte is one character.

use std::borrow::Cow;
use std::ops::Range;

use crate::text::latin1;

/// A byte range in the file.
pub type Span = Range<usize>;

/// The most bytes of a file the reader reads (4 GiB - 1): spans are kept as 32-bit offsets. Past it, a
/// [`ProblemKind::TooLarge`] is recorded.
pub const MAX_SOURCE_LEN: usize = u32::MAX as usize;

/// Where a logical line goes on onto the next physical line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Continuation {
    /// The offset of the backslash that ends the physical line.
    pub backslash: usize,
    /// The 1-based number of the physical line it ends.
    pub line: u32,
    /// The offset where the text of the next physical line starts (after its leading blanks).
    pub next_text: usize,
}

impl Continuation {
    /// What the next line would be as a line of its own, up to the first `=`, `:`, blank or backslash:
    /// the key it would set (`mail.oauth2.client.secret` when a stray `\` ends the line above it).
    pub fn next_key(&self, source: &[u8]) -> String {
        let rest = &source[self.next_text.min(source.len())..];
        let len = rest
            .iter()
            .position(|b| b"=: \t\x0c\r\n\\".contains(b))
            .unwrap_or(rest.len());
        latin1(&rest[..len])
    }
}

/// The UTF-8 byte order mark. Java reads it as the three Latin-1 characters `ï»¿`.
pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The whole file as Java reads it: every logical line, in order, with what went wrong. Its `Debug` shows the
/// size of the source, not its bytes, and no secret value (see [`Entry`]).
#[derive(Clone)]
pub struct Document<'a> {
    /// The file's bytes, untouched.
    pub source: &'a [u8],
    /// Comments, blank lines and entries, in file order.
    pub items: Vec<Item<'a>>,
    /// Things that make Java's `load` fail or that lose information; reading went on past each.
    pub problems: Vec<Problem>,
    /// How the physical lines of the file end.
    pub line_endings: LineEndings,
}

/// One logical line of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item<'a> {
    /// A whitespace-only physical line (Java skips it).
    Blank { span: Span, line: u32 },
    /// A `#` or `!` comment; `span` covers the marker and the text, without the line terminator. Java never
    /// unescapes a comment nor continues it onto the next line.
    Comment { span: Span, line: u32 },
    /// A key and its value.
    Entry(Entry<'a>),
}

/// How the key is separated from the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Separator {
    /// `key=value` (with optional whitespace around `=`).
    Equals,
    /// `key:value`.
    Colon,
    /// `key value`: whitespace only.
    Whitespace,
    /// The logical line is only a key: its value is empty.
    None,
}

/// What one backslash escape turned into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EscapeKind {
    /// `\t`, `\n`, `\r`, `\f`: a control character.
    Control(char),
    /// `\uXXXX`: a UTF-16 code unit.
    Unicode(u16),
    /// `\\`, `\=`, `\:`, `\#`, `\!` or a backslash before whitespace: the character itself, as intended.
    Literal(char),
    /// `\x` for any other `x`: Java silently drops the backslash and keeps `x`.
    Dropped(char),
    /// A malformed `\u` escape (Java's `load` throws on it); the characters after the backslash are kept.
    Malformed,
}

/// One backslash escape in a key or value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Escape {
    /// The escape's bytes in the file (from the backslash). May cross a continuation.
    pub span: Span,
    pub kind: EscapeKind,
}

/// A key and value as Java reads them, with where they came from.
///
/// Every line of a large file is an item, so an entry is kept small: spans are stored as 32-bit offsets (the
/// reader reads at most [`MAX_SOURCE_LEN`] bytes), the decoded key and value share one text and their escapes
/// one allocation.
/// Its `Debug` never shows the value of a secret key (nor its escapes, which would spell it).
#[derive(Clone, PartialEq, Eq)]
pub struct Entry<'a> {
    /// The decoded key, then the decoded value: borrowed from the file (the logical line itself, separator
    /// included) when the line is plain ASCII without escapes on one physical line, else decoded into one
    /// string.
    text: Cow<'a, str>,
    /// `text[..key_len]` is the key.
    key_len: u32,
    /// `text[value_at..]` is the value.
    value_at: u32,
    /// The escapes of the key, then those of the value, in file order.
    escapes: Box<[Escape]>,
    key_start: u32,
    key_end: u32,
    value_start: u32,
    value_end: u32,
    /// 1-based physical line number where the key starts.
    pub line: u32,
    /// 1-based physical line number of the entry's last byte (differs from `line` for continuations).
    pub end_line: u32,
    /// How many bytes of unescaped trailing whitespace end the value (see [`Entry::trailing_whitespace`]).
    trailing_len: u32,
    pub separator: Separator,
}

// Every line of a large file is an `Item`: its size is most of the reader's memory and much of its time.
const _: () = assert!(std::mem::size_of::<Item<'static>>() <= 80);

impl std::fmt::Debug for Entry<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let secret = crate::keys::is_secret_entry(self.key(), self.value());
        let mut out = f.debug_struct("Entry");
        out.field("key", &self.key());
        if secret {
            out.field("value", &crate::keys::REDACTED)
                .field("value_escapes", &self.value_escapes().len());
        } else {
            out.field("value", &self.value())
                .field("value_escapes", &self.value_escapes());
        }
        out.field("key_escapes", &self.key_escapes())
            .field("key_span", &self.key_span())
            .field("value_span", &self.value_span())
            .field("separator", &self.separator)
            .field("line", &self.line)
            .field("end_line", &self.end_line)
            .finish()
    }
}

impl std::fmt::Debug for Document<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Document")
            .field("source", &crate::keys::Withheld(self.source.len()))
            .field("items", &self.items)
            .field("problems", &self.problems)
            .field("line_endings", &self.line_endings)
            .finish()
    }
}

impl Entry<'_> {
    /// The key as Java decodes it.
    pub fn key(&self) -> &str {
        &self.text[..self.key_len as usize]
    }

    /// The value as Java decodes it, trailing whitespace kept. A lone UTF-16 surrogate made by a `\u` escape
    /// is replaced by U+FFFD here (see [`Entry::value_utf16`] for the exact code units).
    pub fn value(&self) -> &str {
        &self.text[self.value_at as usize..]
    }

    /// Whether the key and value are borrowed from the file rather than decoded into a string of their own
    /// (plain ASCII lines without escapes or continuations: most lines of most files).
    pub fn is_borrowed(&self) -> bool {
        matches!(self.text, Cow::Borrowed(_))
    }

    /// The raw key text in the file.
    pub fn key_span(&self) -> Span {
        self.key_start as usize..self.key_end as usize
    }

    /// The raw value text in the file, from its first character to the end of its last physical line
    /// (without the terminator); continuations in between are included. Empty (at the place where the value
    /// would start) when the value is empty.
    pub fn value_span(&self) -> Span {
        self.value_start as usize..self.value_end as usize
    }

    /// The whole logical line in the file, from the key's first byte to the value's end.
    pub fn span(&self) -> Span {
        self.key_start as usize..self.value_end.max(self.key_end) as usize
    }

    /// The escapes in the key, in order.
    pub fn key_escapes(&self) -> &[Escape] {
        &self.escapes[..self.key_escape_count()]
    }

    /// The escapes in the value, in order.
    pub fn value_escapes(&self) -> &[Escape] {
        &self.escapes[self.key_escape_count()..]
    }

    /// The key's escapes come first and lie before its end in the file.
    fn key_escape_count(&self) -> usize {
        let key_end = self.key_end as usize;
        self.escapes.partition_point(|e| e.span.start < key_end)
    }

    /// The unescaped trailing whitespace of the value in the file (Java keeps it in the value), if any. It
    /// always ends the value: blanks never straddle a continuation (the next line's leading blanks are
    /// skipped).
    pub fn trailing_whitespace(&self) -> Option<Span> {
        let (len, end) = (self.trailing_len as usize, self.value_end as usize);
        (len > 0).then(|| end - len..end)
    }

    /// The raw value text as it stands in the file (Latin-1 bytes).
    pub fn raw_value<'s>(&self, source: &'s [u8]) -> &'s [u8] {
        &source[self.value_span()]
    }

    /// The raw key text as it stands in the file (Latin-1 bytes).
    pub fn raw_key<'s>(&self, source: &'s [u8]) -> &'s [u8] {
        &source[self.key_span()]
    }

    /// Whether the value runs over more than one physical line.
    pub fn is_continued(&self) -> bool {
        self.end_line != self.line
    }

    /// Each place where the entry goes on onto the next physical line (a line ending in an odd number of
    /// backslashes), in file order.
    pub fn continuations(&self, source: &[u8]) -> Vec<Continuation> {
        if !self.is_continued() {
            return Vec::new();
        }
        let span = self.span();
        let end = span.end.min(source.len());
        let mut out = Vec::new();
        let mut line = self.line;
        let mut at = span.start;
        while at < end {
            let b = source[at];
            if b != b'\n' && b != b'\r' {
                at += 1;
                continue;
            }
            let backslashes = source[span.start..at]
                .iter()
                .rev()
                .take_while(|&&c| c == b'\\')
                .count();
            let mut next = at + 1;
            if b == b'\r' && source.get(next) == Some(&b'\n') {
                next += 1;
            }
            if backslashes % 2 == 1 {
                let text = next
                    + source[next..]
                        .iter()
                        .take_while(|&&c| matches!(c, b' ' | b'\t' | b'\x0c'))
                        .count();
                out.push(Continuation {
                    backslash: at - 1,
                    line,
                    next_text: text,
                });
            }
            line += 1;
            at = next;
        }
        out
    }

    /// The key exactly as Java's `String` holds it, as UTF-16 code units (lone surrogates kept).
    pub fn key_utf16(&self) -> Vec<u16> {
        java_units(self.key(), self.key_escapes())
    }

    /// The value exactly as Java's `String` holds it, as UTF-16 code units (lone surrogates kept).
    pub fn value_utf16(&self) -> Vec<u16> {
        java_units(self.value(), self.value_escapes())
    }

    /// Whether any escape in the value is one Java silently drops the backslash of (`\s`, `\@`...).
    pub fn dropped_backslashes(&self) -> impl Iterator<Item = &Escape> {
        self.value_escapes()
            .iter()
            .filter(|e| matches!(e.kind, EscapeKind::Dropped(_)))
    }
}

/// A problem met while reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub kind: ProblemKind,
    /// Where it is in the file.
    pub span: Span,
    /// 1-based physical line number of the span's start.
    pub line: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    /// A `\u` not followed by four hex digits: `Properties.load` throws `IllegalArgumentException:
    /// Malformed \uxxxx encoding.` and the server cannot read the file.
    MalformedUnicodeEscape,
    /// A `\u` escape that makes half of a UTF-16 surrogate pair with no other half. Java keeps it; text output
    /// shows U+FFFD instead.
    LoneSurrogate,
    /// The file is longer than [`MAX_SOURCE_LEN`]: the bytes past it (the span) were not read. Java would read
    /// them; the command line refuses files this large long before.
    TooLarge,
}

impl ProblemKind {
    /// Whether Java's `Properties.load` fails on this problem.
    pub fn is_fatal_to_java(self) -> bool {
        matches!(self, ProblemKind::MalformedUnicodeEscape)
    }
}

/// How the physical lines of a file end.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LineEndings {
    pub lf: usize,
    pub crlf: usize,
    pub cr: usize,
}

impl LineEndings {
    /// The terminator most lines use (LF for a file without any), for writing new lines in the same style.
    pub fn dominant(&self) -> &'static str {
        if self.crlf > self.lf && self.crlf >= self.cr {
            "\r\n"
        } else if self.cr > self.lf && self.cr > self.crlf {
            "\r"
        } else {
            "\n"
        }
    }

    /// Whether the file mixes line terminator styles.
    pub fn is_mixed(&self) -> bool {
        [self.lf, self.crlf, self.cr]
            .iter()
            .filter(|&&n| n > 0)
            .count()
            > 1
    }
}

impl<'a> Document<'a> {
    /// Reads the file's bytes. Never fails: whatever Java would throw on is recorded in `problems`.
    pub fn parse(source: &'a [u8]) -> Document<'a> {
        Self::read(source, None, MAX_SOURCE_LEN)
    }

    /// Reads the whole file exactly as [`Document::parse`] does (every problem is found), but keeps only the
    /// items `keep` accepts: the linter keeps the few keys its rules look at, not the thousands of others of
    /// a large file.
    pub fn parse_filtered(source: &'a [u8], keep: &dyn Fn(&Item<'a>) -> bool) -> Document<'a> {
        Self::read(source, Some(keep), MAX_SOURCE_LEN)
    }

    /// Reads at most `limit` bytes of `source` (at most [`MAX_SOURCE_LEN`]: offsets are kept in 32 bits).
    fn read(
        source: &'a [u8],
        keep: Option<&dyn Fn(&Item<'a>) -> bool>,
        limit: usize,
    ) -> Document<'a> {
        let limit = limit.min(MAX_SOURCE_LEN);
        let (read, rest) = source.split_at(source.len().min(limit));
        // Keeping everything: one item per physical line at most (CR-only files grow the vector as needed);
        // sizing it up front spares copying a large document's items while they accumulate.
        let capacity = match keep {
            None => memchr::memchr_iter(b'\n', read).count() + 1,
            Some(_) => 0,
        };
        let mut reader = Reader {
            keep,
            src: read,
            pos: 0,
            line: 1,
            items: Vec::with_capacity(capacity),
            problems: Vec::new(),
            endings: LineEndings::default(),
            segments: Vec::new(),
            joined: Vec::new(),
            escapes: Vec::new(),
        };
        reader.run();
        if !rest.is_empty() {
            reader.problems.push(Problem {
                kind: ProblemKind::TooLarge,
                span: read.len()..source.len(),
                line: reader.line,
            });
        }
        Document {
            source,
            items: reader.items,
            problems: reader.problems,
            line_endings: reader.endings,
        }
    }

    /// The entries, in file order (a key given twice appears twice).
    pub fn entries(&self) -> impl Iterator<Item = &Entry<'a>> {
        self.items.iter().filter_map(|item| match item {
            Item::Entry(entry) => Some(entry),
            _ => None,
        })
    }

    /// Whether the file starts with a UTF-8 byte order mark.
    pub fn has_bom(&self) -> bool {
        self.source.starts_with(UTF8_BOM)
    }

    /// Whether Java's `Properties.load` would throw on this file.
    pub fn fails_in_java(&self) -> bool {
        self.problems.iter().any(|p| p.kind.is_fatal_to_java())
    }
}

/// A contiguous run of file bytes copied into a logical line: `logical[at..at + len] == src[start..start + len]`.
#[derive(Debug, Clone, Copy)]
struct Segment {
    at: usize,
    start: usize,
}

/// Maps offsets in a logical line back to the file.
struct SourceMap<'s> {
    /// Empty when the logical line is one contiguous run starting at `base`.
    segments: &'s [Segment],
    base: usize,
    /// 1-based physical line number of `base`.
    line: u32,
}

impl SourceMap<'_> {
    /// 1-based physical line number of the file offset `offset` of this logical line (counting only the
    /// line's own bytes: reading stays linear however many problems a file has).
    fn line_at(&self, src: &[u8], offset: usize) -> u32 {
        let breaks = line_breaks(&src[self.base.min(offset)..offset]);
        self.line
            .saturating_add(u32::try_from(breaks).unwrap_or(u32::MAX))
    }

    /// File offset of the logical byte at `index`.
    #[inline]
    fn at(&self, index: usize) -> usize {
        if self.segments.is_empty() {
            return self.base + index;
        }
        let i = self.segments.partition_point(|s| s.at <= index) - 1;
        let s = self.segments[i];
        s.start + (index - s.at)
    }

    /// File span of the logical bytes `range`; an empty range maps to an empty span after the byte before it.
    #[inline]
    fn span(&self, range: Range<usize>, empty_at: usize) -> Span {
        if range.is_empty() {
            return empty_at..empty_at;
        }
        self.at(range.start)..self.at(range.end - 1) + 1
    }
}

struct Reader<'a, 'k> {
    /// Which items to keep (`None`: all).
    keep: Option<&'k dyn Fn(&Item<'a>) -> bool>,
    src: &'a [u8],
    pos: usize,
    /// 1-based physical line number at `pos`.
    line: u32,
    items: Vec<Item<'a>>,
    problems: Vec<Problem>,
    endings: LineEndings,
    /// Scratch space lent to each [`RawLine`] in turn, so that reading a line allocates nothing.
    segments: Vec<Segment>,
    /// Scratch space for a logical line joined from several physical lines.
    joined: Vec<u8>,
    /// Scratch space for the escapes of one entry (key, then value), copied out at their exact size.
    escapes: Vec<Escape>,
}

/// A logical line as `LineReader.readLine` returns it, before splitting.
struct RawLine {
    /// Runs of file bytes making the logical line; the first starts at the line's first non-blank byte.
    segments: Vec<Segment>,
    len: usize,
    /// File offset just past the last byte of the logical line's text (before its terminator).
    end: usize,
    line: u32,
    /// Whether a backslash was met on the way (maybe only a continuation's): else there is no escape.
    backslashes: bool,
}

fn is_blank(c: u8) -> bool {
    c == b' ' || c == b'\t' || c == b'\x0c'
}

/// The bytes that can end a key or escape what follows: `=`, `:`, blanks and the backslash.
const KEY_SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        table[i] = c == b'=' || c == b':' || c == b'\\' || c == b' ' || c == b'\t' || c == b'\x0c';
        i += 1;
    }
    table
};

impl<'a> Reader<'a, '_> {
    fn push(&mut self, item: Item<'a>) {
        if self.keep.is_none_or(|keep| keep(&item)) {
            self.items.push(item);
        }
    }

    fn run(&mut self) {
        while let Some(raw) = self.read_line() {
            self.split(raw);
        }
    }

    /// Consumes a line terminator whose first byte (`\r` or `\n`) is at `self.pos - 1`, counting it. Returns
    /// whether it was a two-byte `\r\n`.
    fn end_physical_line(&mut self, c: u8) -> bool {
        self.line += 1;
        if c == b'\r' {
            if self.src.get(self.pos) == Some(&b'\n') {
                self.pos += 1;
                self.endings.crlf += 1;
                return true;
            }
            self.endings.cr += 1;
        } else {
            self.endings.lf += 1;
        }
        false
    }

    /// Port of `Properties.LineReader.readLine`. Returns `None` at the end of the file. Comments and blank
    /// lines met on the way are pushed as items.
    ///
    /// Java's quirks kept here: after a continuation, leading blanks are skipped and a line terminator right
    /// after them ends the logical line; if the logical line is still empty at that point (it was only a
    /// backslash), a `#` or `!` starts a comment. A backslash ending the file is dropped.
    fn read_line(&mut self) -> Option<RawLine> {
        let src = self.src;
        let mut segments = std::mem::take(&mut self.segments);
        segments.clear();
        let mut len = 0usize;
        let mut skip_white_space = true;
        let mut appended_line_begin = false;
        let mut preceding_backslash = false;
        let mut line_start = self.pos;
        let mut first_line = self.line;
        let mut backslashes = false;
        let mut end = self.pos;

        loop {
            if self.pos >= src.len() {
                if len == 0 {
                    if skip_white_space && !appended_line_begin && line_start < src.len() {
                        self.push(Item::Blank {
                            span: line_start..src.len(),
                            line: self.line,
                        });
                    }
                    self.segments = segments;
                    return None;
                }
                return Some(finish(
                    segments,
                    len,
                    end,
                    preceding_backslash,
                    first_line,
                    backslashes,
                ));
            }
            let c = src[self.pos];
            self.pos += 1;

            if skip_white_space {
                if is_blank(c) {
                    continue;
                }
                if !appended_line_begin && (c == b'\r' || c == b'\n') {
                    self.push(Item::Blank {
                        span: line_start..self.pos - 1,
                        line: self.line,
                    });
                    self.end_physical_line(c);
                    line_start = self.pos;
                    continue;
                }
                skip_white_space = false;
                appended_line_begin = false;
            }

            if len == 0 && (c == b'#' || c == b'!') {
                let start = self.pos - 1;
                let text_end = memchr::memchr2(b'\r', b'\n', &src[self.pos..])
                    .map_or(src.len(), |i| self.pos + i);
                self.push(Item::Comment {
                    span: start..text_end,
                    line: self.line,
                });
                self.pos = text_end;
                if self.pos >= src.len() {
                    return None;
                }
                let t = src[self.pos];
                self.pos += 1;
                self.end_physical_line(t);
                skip_white_space = true;
                line_start = self.pos;
                continue;
            }

            if c != b'\n' && c != b'\r' {
                if len == 0 {
                    first_line = self.line;
                }
                // Extend the current run, or start a new one after a continuation.
                match segments.last() {
                    Some(last) if last.start + (len - last.at) == self.pos - 1 => {}
                    _ => segments.push(Segment {
                        at: len,
                        start: self.pos - 1,
                    }),
                }
                len += 1;
                preceding_backslash = c == b'\\' && !preceding_backslash;
                backslashes |= c == b'\\';
                if !preceding_backslash {
                    // Fast path: the rest of an ordinary run, up to the next backslash or terminator.
                    let rest = &src[self.pos..];
                    let run = memchr::memchr3(b'\\', b'\r', b'\n', rest).unwrap_or(rest.len());
                    self.pos += run;
                    len += run;
                }
                end = self.pos;
            } else {
                let crlf = self.end_physical_line(c);
                if len == 0 {
                    // Only reachable right after a continuation that left the logical line empty.
                    skip_white_space = true;
                    line_start = self.pos;
                    continue;
                }
                if self.pos >= src.len() {
                    // Java looks for the end of the file right after the terminator's first byte, except
                    // after a continuation's `\r`, where it first skips the `\n`: a backslash-only logical
                    // line ending the file is then an empty line it does not return (a backslash and
                    // `\r\n` ending the file are nothing; a backslash and `\n` or `\r` are an entry with an
                    // empty key and value).
                    if crlf && preceding_backslash && len == 1 {
                        return None;
                    }
                    return Some(finish(
                        segments,
                        len,
                        end,
                        preceding_backslash,
                        first_line,
                        backslashes,
                    ));
                }
                if !preceding_backslash {
                    return Some(finish(segments, len, end, false, first_line, backslashes));
                }
                // The backslash before the terminator is not part of the line.
                len -= 1;
                if segments.last().is_some_and(|s| s.at == len) {
                    segments.pop();
                }
                skip_white_space = true;
                appended_line_begin = true;
                preceding_backslash = false;
                line_start = self.pos;
            }
        }
    }

    /// Port of `Properties.load0` for one logical line: finds the key and value, then unescapes both.
    fn split(&mut self, raw: RawLine) {
        let src: &'a [u8] = self.src;
        let contiguous = raw.segments.len() <= 1;
        let base = raw.segments.first().map_or(raw.end, |s| s.start);
        // The logical line: in the file when it is one run of bytes (no allocation), else joined in scratch.
        let mut joined = std::mem::take(&mut self.joined);
        let in_file: Option<&'a [u8]> = contiguous.then(|| &src[base..base + raw.len]);
        let line_bytes: &[u8] = match in_file {
            Some(bytes) => bytes,
            None => {
                joined.clear();
                for (i, s) in raw.segments.iter().enumerate() {
                    let next_at = raw.segments.get(i + 1).map_or(raw.len, |n| n.at);
                    joined.extend_from_slice(&src[s.start..s.start + (next_at - s.at)]);
                }
                &joined
            }
        };
        let map = SourceMap {
            segments: if contiguous { &[] } else { &raw.segments },
            base,
            line: raw.line,
        };
        let limit = line_bytes.len();

        let mut key_len = 0;
        let mut value_start = limit;
        let mut has_sep = false;
        let mut separator = Separator::None;
        let mut preceding_backslash = false;
        while key_len < limit {
            let c = line_bytes[key_len];
            if !KEY_SPECIAL[usize::from(c)] {
                preceding_backslash = false;
                key_len += 1;
                continue;
            }
            if (c == b'=' || c == b':') && !preceding_backslash {
                value_start = key_len + 1;
                has_sep = true;
                separator = Separator::from_byte(c);
                break;
            } else if is_blank(c) && !preceding_backslash {
                value_start = key_len + 1;
                separator = Separator::Whitespace;
                break;
            }
            preceding_backslash = c == b'\\' && !preceding_backslash;
            key_len += 1;
        }
        while value_start < limit {
            let c = line_bytes[value_start];
            if !is_blank(c) {
                if !has_sep && (c == b'=' || c == b':') {
                    has_sep = true;
                    separator = Separator::from_byte(c);
                } else {
                    break;
                }
            }
            value_start += 1;
        }

        // Where an empty key or value "is": right after the last byte of the logical line before it.
        let after = |index: usize| {
            if index == 0 {
                base
            } else {
                map.at(index - 1) + 1
            }
        };
        let key_span = map.span(0..key_len, after(key_len));
        let value_span = map.span(value_start..limit, after(limit));

        let mut escapes = std::mem::take(&mut self.escapes);
        escapes.clear();
        // The common case, plain ASCII without a backslash, is checked once for the whole line.
        let plain = match in_file {
            Some(bytes) if !raw.backslashes && bytes.is_ascii() => std::str::from_utf8(bytes).ok(),
            _ => None,
        };
        let (text, key_len, value_at) = match plain {
            Some(text) => (Cow::Borrowed(text), key_len, value_start),
            None => {
                // Escapes make text shorter: the raw length is enough unless it is mostly Latin-1.
                let mut text = String::with_capacity(key_len + (limit - value_start));
                self.decode(&mut text, line_bytes, 0..key_len, &map, &mut escapes);
                debug_assert!(escapes.iter().all(|e| e.span.end <= key_span.end));
                let decoded_key_len = text.len();
                self.decode(
                    &mut text,
                    line_bytes,
                    value_start..limit,
                    &map,
                    &mut escapes,
                );
                (Cow::Owned(text), decoded_key_len, decoded_key_len)
            }
        };
        let trailing_whitespace = trailing_unescaped_blanks(&line_bytes[value_start..])
            .map(|r| map.span(value_start + r.start..value_start + r.end, 0));
        debug_assert!(
            trailing_whitespace
                .as_ref()
                .is_none_or(|t| t.end == value_span.end)
        );
        let trailing_len = trailing_whitespace.map_or(0, |t| u32::try_from(t.len()).unwrap_or(0));

        // An empty key sits where the line starts, so the entry starts with its key either way.
        debug_assert!(key_len > 0 || key_span.start == value_span.start.min(base));
        let span = key_span.start..value_span.end.max(key_span.end);
        // A contiguous logical line lies on one physical line; else count the continuations the entry's
        // bytes cross (a backslash-only or blank continuation line after its last byte does not count).
        let end_line = if contiguous {
            raw.line
        } else {
            map.line_at(src, span.end)
        };
        // Offsets fit in 32 bits: the reader reads at most `MAX_SOURCE_LEN` bytes.
        let offset = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        self.push(Item::Entry(Entry {
            text,
            key_len: offset(key_len),
            value_at: offset(value_at),
            escapes: Box::from(escapes.as_slice()),
            key_start: offset(key_span.start),
            key_end: offset(key_span.end),
            value_start: offset(value_span.start),
            value_end: offset(value_span.end),
            line: raw.line,
            end_line,
            trailing_len,
            separator,
        }));
        self.segments = raw.segments;
        self.joined = joined;
        self.escapes = escapes;
    }

    /// Port of `Properties.loadConvert` for `range` of the logical line `line`, appended to `into`: records
    /// each escape and each malformed `\u` with its file span.
    fn decode(
        &mut self,
        into: &mut String,
        line: &[u8],
        range: Range<usize>,
        map: &SourceMap<'_>,
        escapes: &mut Vec<Escape>,
    ) {
        let offset = range.start;
        let text = &line[range];
        let mut out = Utf16ToUtf8::new(into);
        let mut i = 0;
        while i < text.len() {
            // The run up to the next backslash is copied as it is (Latin-1).
            let run = memchr::memchr(b'\\', &text[i..]).unwrap_or(text.len() - i);
            out.latin1(&text[i..i + run]);
            i += run;
            if i >= text.len() {
                break;
            }
            let start = i;
            i += 1;
            // readLine never leaves an unescaped backslash last on a logical line.
            let Some(&next) = text.get(i) else {
                break;
            };
            i += 1;
            let kind = if next == b'u' {
                if let Some(unit) = text.get(i..i + 4).and_then(parse_hex4) {
                    i += 4;
                    out.unit(unit);
                    EscapeKind::Unicode(unit)
                } else {
                    // Java throws here. Underline the backslash, the `u` and the hex digits that follow.
                    let digits = text[i..]
                        .iter()
                        .take(4)
                        .take_while(|b| b.is_ascii_hexdigit())
                        .count();
                    let span = map.span(offset + start..offset + i + digits, 0);
                    self.problems.push(Problem {
                        kind: ProblemKind::MalformedUnicodeEscape,
                        line: map.line_at(self.src, span.start),
                        span,
                    });
                    out.unit(u16::from(b'u'));
                    EscapeKind::Malformed
                }
            } else {
                let (unit, kind) = match next {
                    b't' => (b'\t', EscapeKind::Control('\t')),
                    b'n' => (b'\n', EscapeKind::Control('\n')),
                    b'r' => (b'\r', EscapeKind::Control('\r')),
                    b'f' => (b'\x0c', EscapeKind::Control('\x0c')),
                    b'\\' | b'=' | b':' | b'#' | b'!' | b' ' | b'\t' | b'\x0c' => {
                        (next, EscapeKind::Literal(char::from(next)))
                    }
                    other => (other, EscapeKind::Dropped(char::from(other))),
                };
                out.unit(u16::from(unit));
                kind
            };
            escapes.push(Escape {
                span: map.span(offset + start..offset + i, 0),
                kind,
            });
        }
        if out.finish() {
            let span = map.span(offset..offset + text.len(), 0);
            self.problems.push(Problem {
                kind: ProblemKind::LoneSurrogate,
                line: map.line_at(self.src, span.start),
                span,
            });
        }
    }
}

/// Builds UTF-8 text from the UTF-16 code units a Java string is made of, pairing surrogates; a lone one
/// becomes U+FFFD and is remembered.
struct Utf16ToUtf8<'s> {
    text: &'s mut String,
    /// A high surrogate waiting for its low half.
    high: Option<u16>,
    lone: bool,
}

impl<'s> Utf16ToUtf8<'s> {
    fn new(text: &'s mut String) -> Utf16ToUtf8<'s> {
        Utf16ToUtf8 {
            text,
            high: None,
            lone: false,
        }
    }

    fn flush_high(&mut self) {
        if self.high.take().is_some() {
            self.lone = true;
            self.text.push(char::REPLACEMENT_CHARACTER);
        }
    }

    /// Latin-1 bytes, one code unit each.
    fn latin1(&mut self, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        self.flush_high();
        if bytes.is_ascii()
            && let Ok(ascii) = std::str::from_utf8(bytes)
        {
            self.text.push_str(ascii);
        } else {
            self.text.extend(bytes.iter().map(|&b| char::from(b)));
        }
    }

    fn unit(&mut self, unit: u16) {
        if let Some(high) = self.high.take() {
            if (0xDC00..0xE000).contains(&unit) {
                let scalar =
                    0x10000 + ((u32::from(high) - 0xD800) << 10) + (u32::from(unit) - 0xDC00);
                self.text
                    .push(char::from_u32(scalar).unwrap_or(char::REPLACEMENT_CHARACTER));
                return;
            }
            self.lone = true;
            self.text.push(char::REPLACEMENT_CHARACTER);
        }
        if (0xD800..0xDC00).contains(&unit) {
            self.high = Some(unit);
        } else if let Some(c) = char::from_u32(u32::from(unit)) {
            self.text.push(c);
        } else {
            self.lone = true;
            self.text.push(char::REPLACEMENT_CHARACTER);
        }
    }

    /// Ends the text (a high surrogate still waiting is lone); returns whether any surrogate was lone.
    fn finish(mut self) -> bool {
        self.flush_high();
        self.lone
    }
}

/// The code units of a key or value as Java's `String` holds them, from its text and escapes. A file byte is
/// at most U+00FF, so every U+FFFD and every character beyond U+FFFF in the text was made by `\u` escapes:
/// each U+FFFD by one (`\uFFFD` itself, or a lone surrogate it stands for), each pair by two. Those escapes'
/// units, in order, give back the exact units there; everything else is the text encoded as UTF-16.
fn java_units(text: &str, escapes: &[Escape]) -> Vec<u16> {
    let mut out: Vec<u16> = Vec::with_capacity(text.len());
    let mut made_by_escapes = escapes.iter().filter_map(|e| match e.kind {
        EscapeKind::Unicode(unit) if unit == 0xFFFD || (0xD800..0xE000).contains(&unit) => {
            Some(unit)
        }
        _ => None,
    });
    let mut buf = [0u16; 2];
    for c in text.chars() {
        let units = c.encode_utf16(&mut buf);
        if c == char::REPLACEMENT_CHARACTER || units.len() == 2 {
            for unit in units.iter_mut() {
                *unit = made_by_escapes.next().unwrap_or(*unit);
            }
        }
        out.extend_from_slice(units);
    }
    out
}

impl Separator {
    fn from_byte(c: u8) -> Separator {
        if c == b'=' {
            Separator::Equals
        } else {
            Separator::Colon
        }
    }
}

fn finish(
    mut segments: Vec<Segment>,
    mut len: usize,
    end: usize,
    drop_last_backslash: bool,
    line: u32,
    backslashes: bool,
) -> RawLine {
    if drop_last_backslash {
        len -= 1;
        if segments.last().is_some_and(|s| s.at == len) {
            segments.pop();
        }
    }
    RawLine {
        segments,
        len,
        end,
        line,
        backslashes,
    }
}

/// How many lines end in `bytes`: each `\n`, `\r\n` and lone `\r` ends one (a `\r` ending `bytes` counts).
pub fn line_breaks(bytes: &[u8]) -> usize {
    memchr::memchr2_iter(b'\n', b'\r', bytes)
        .filter(|&i| bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n'))
        .count()
}

fn parse_hex4(digits: &[u8]) -> Option<u16> {
    digits.iter().try_fold(0u16, |acc, &d| {
        let v = char::from(d).to_digit(16)?;
        Some((acc << 4) | v as u16)
    })
}

/// The unescaped trailing blanks (space, tab, form feed) of a raw value, as a range in it.
fn trailing_unescaped_blanks(raw: &[u8]) -> Option<Range<usize>> {
    let mut start = raw.len();
    while start > 0 && is_blank(raw[start - 1]) {
        start -= 1;
    }
    if start == raw.len() {
        return None;
    }
    // A blank right after an odd run of backslashes is escaped: it is not trailing noise.
    let backslashes = raw[..start]
        .iter()
        .rev()
        .take_while(|&&b| b == b'\\')
        .count();
    if backslashes % 2 == 1 {
        start += 1;
    }
    (start < raw.len()).then_some(start..raw.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_past_the_limit_are_a_problem_not_a_panic() {
        let src = b"a=1\nb=2\nc=3\n";
        let doc = Document::read(src, None, 6);
        let keys: Vec<_> = doc.entries().map(|e| (e.key(), e.value())).collect();
        // The limit cuts `b=2` after its key: what was read is read as Java would read that much.
        assert_eq!(keys, [("a", "1"), ("b", "")]);
        assert_eq!(
            doc.problems,
            [Problem {
                kind: ProblemKind::TooLarge,
                span: 6..src.len(),
                line: 2,
            }]
        );
        assert!(!doc.fails_in_java());
        // Under the limit, nothing is recorded.
        assert!(Document::read(src, None, src.len()).problems.is_empty());
    }
}
