//! Shared by the reader's integration tests: a seeded generator of `.properties` files over the format's
//! grammar, the Java-style dump format, and helpers to report a failing case.
#![allow(dead_code)]

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use racm_lint::properties::Document;

/// SplitMix64: small, fast, deterministic, good enough to drive a generator.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// True `percent`% of the time.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Which parts of the grammar the generator may use. [`Features::ALL`] is the whole format; the second
/// oracle turns off what the `java-properties` crate gets wrong.
#[derive(Debug, Clone, Copy)]
pub struct Features {
    /// Bytes 0x80..=0xFF (Latin-1), NUL, and UTF-8 sequences valid or not.
    pub high_bytes: bool,
    /// Malformed `\u` escapes (Java throws).
    pub malformed_unicode: bool,
    /// `\u+123`: malformed for Java, accepted by `u16::from_str_radix`.
    pub plus_in_unicode: bool,
    /// `\uD800`..`\uDFFF`, paired and lone.
    pub surrogates: bool,
    /// A UTF-8 byte order mark at the start of some files.
    pub bom: bool,
    /// A backslash as the file's last byte, or a backslash-only last line.
    pub dangling_backslash_at_eof: bool,
    /// Backslashes in comments (`# C:\users\x`, `# \u12`).
    pub comment_escapes: bool,
    /// A logical line left empty by a continuation, then a `#`/`!` (Java reads a comment).
    pub comment_after_empty_continuation: bool,
    /// VT, NEL (0x85), NBSP (0xA0) at the start of continuation lines: not blanks for Java.
    pub unicode_whitespace: bool,
    /// Unstructured files of random special characters.
    pub soup: bool,
}

impl Features {
    pub const ALL: Features = Features {
        high_bytes: true,
        malformed_unicode: true,
        plus_in_unicode: true,
        surrogates: true,
        bom: true,
        dangling_backslash_at_eof: true,
        comment_escapes: true,
        comment_after_empty_continuation: true,
        unicode_whitespace: true,
        soup: true,
    };
}

const WORDS: &[&str] = &[
    "a",
    "k",
    "key",
    "x.y",
    "mail.smtp.host",
    "mail.smtp.auth",
    "mail.smtp.oauth2.tenant",
    "Ab9_-.",
    "smtp",
    "true",
    "v",
    "value with spaces",
    "a=b",
    "c:d",
    "#x",
    "!y",
    "u",
    "uD800",
];
const ESCAPES: &[&str] = &[
    "\\t", "\\n", "\\r", "\\f", "\\\\", "\\=", "\\:", "\\#", "\\!", "\\ ", "\\\t", "\\\x0c", "\\s",
    "\\@", "\\q", "\\x", "\\b", "\\0", "\\U", "\\\"", "\\'",
];
const MALFORMED: &[&str] = &[
    "\\u", "\\u1", "\\u12", "\\u123", "\\uZZZZ", "\\u12G4", "\\u-123", "\\u 123", "\\ug000",
    "\\u00 1",
];
const BLANKS: &[u8] = b"  \t\x0c";

/// A generated file: its bytes and a short label of how it was made.
pub struct Generated {
    pub bytes: Vec<u8>,
    pub kind: &'static str,
}

/// Generates one file. Same `rng` state, same features: same file.
pub fn generate(rng: &mut Rng, f: &Features) -> Generated {
    if f.soup && rng.chance(30) {
        return Generated {
            bytes: soup(rng, f),
            kind: "soup",
        };
    }
    let mut g = Gen {
        rng,
        f,
        out: Vec::new(),
        terminator_style: 0,
        malformed_pct: 0,
    };
    g.terminator_style = g.rng.below(5);
    g.malformed_pct = if f.malformed_unicode && g.rng.chance(15) {
        4
    } else {
        0
    };
    if f.bom && g.rng.chance(8) {
        g.out.extend_from_slice(b"\xEF\xBB\xBF");
    }
    let lines = 1 + g.rng.below(14);
    for i in 0..lines {
        g.line();
        if i + 1 < lines || g.rng.chance(60) {
            g.terminator();
        }
    }
    if f.dangling_backslash_at_eof && g.rng.chance(10) {
        g.out.push(b'\\');
        if g.rng.chance(50) {
            g.terminator();
        }
    }
    if !f.dangling_backslash_at_eof {
        while g.out.last() == Some(&b'\\') {
            g.out.pop();
        }
    }
    Generated {
        bytes: g.out,
        kind: "grammar",
    }
}

/// Random short runs of the characters that matter to the format.
fn soup(rng: &mut Rng, f: &Features) -> Vec<u8> {
    let mut alphabet: Vec<u8> = b"ab=: \t\x0c\\\\\\\r\n#!u0D8Fx".to_vec();
    if f.high_bytes {
        alphabet.extend_from_slice(b"\xE9\x00\x85\xA0\x0B\xC3");
    }
    let len = rng.below(48);
    let mut out: Vec<u8> = (0..len).map(|_| *rng.pick(&alphabet)).collect();
    if !f.malformed_unicode {
        // Keep `\u` from appearing: turn every `u` into `v`.
        for b in &mut out {
            if *b == b'u' {
                *b = b'v';
            }
        }
    }
    out
}

struct Gen<'r, 'f> {
    rng: &'r mut Rng,
    f: &'f Features,
    out: Vec<u8>,
    /// 0: LF, 1: CRLF, 2: CR, 3-4: mixed.
    terminator_style: usize,
    /// Chance (percent) that an escape is a malformed `\u`; zero in most files so that they parse.
    malformed_pct: u64,
}

impl Gen<'_, '_> {
    fn terminator(&mut self) {
        let style = if self.terminator_style >= 3 {
            self.rng.below(3)
        } else {
            self.terminator_style
        };
        self.out.extend_from_slice(match style {
            0 => b"\n" as &[u8],
            1 => b"\r\n",
            _ => b"\r",
        });
    }

    fn blanks(&mut self, max: usize) {
        for _ in 0..self.rng.below(max + 1) {
            let b = *self.rng.pick(BLANKS);
            self.out.push(b);
        }
    }

    /// An odd run of backslashes, a terminator and the next line's indentation.
    fn continuation(&mut self) {
        let n = if self.rng.chance(80) { 1 } else { 3 };
        self.out.extend(std::iter::repeat_n(b'\\', n));
        self.terminator();
        self.blanks(3);
        if self.f.unicode_whitespace && self.rng.chance(10) {
            let b = *self.rng.pick(b"\x0b\x85\xA0");
            self.out.push(b);
        }
    }

    fn line(&mut self) {
        match self.rng.below(100) {
            0..=54 => {
                self.blanks(2);
                self.entry();
            }
            55..=66 => self.comment(),
            67..=74 => self.blanks(3),
            75..=79 => {
                // A backslash-only line: it continues into the next one.
                self.blanks(2);
                self.out.push(b'\\');
                self.terminator();
                if self.f.comment_after_empty_continuation && self.rng.chance(50) {
                    self.comment();
                    if self.rng.chance(50) {
                        self.terminator();
                        self.entry();
                    }
                } else {
                    self.blanks(2);
                    self.entry();
                }
            }
            80..=84 => {
                // Key only.
                self.blanks(2);
                self.key();
                self.blanks(2);
            }
            85..=89 => {
                // No key: the line starts with a separator.
                self.blanks(1);
                let sep = *self.rng.pick(&["=", ":", "= ", ": ", "==", "::"]);
                self.out.extend_from_slice(sep.as_bytes());
                self.value();
            }
            90..=94 => {
                // A continuation onto a whitespace-only line: it ends the logical line.
                self.blanks(1);
                self.key();
                self.out.push(b'=');
                self.word();
                self.out.push(b'\\');
                self.terminator();
                self.blanks(3);
            }
            _ => {
                // A duplicate of a common key (last one wins).
                self.blanks(1);
                let key = *self.rng.pick(&["a", "k", "key", "mail.smtp.host"]);
                self.out.extend_from_slice(key.as_bytes());
                self.separator();
                self.value();
            }
        }
    }

    fn comment(&mut self) {
        self.blanks(2);
        self.out.push(if self.rng.chance(70) { b'#' } else { b'!' });
        let mut texts = vec![
            " a comment",
            "",
            " key=value",
            " mail.smtp.host=x",
            " = : ! #",
            " \u{7f}",
        ];
        if self.f.comment_escapes {
            texts.extend_from_slice(&[
                " C:\\users\\x",
                " \\u12",
                " \\uZZZZ",
                " a \\",
                " \\\\",
                " \\",
            ]);
        } else {
            texts.extend_from_slice(&[" a \\", " \\\\", " \\t\\n"]);
        }
        let text = *self.rng.pick(&texts);
        self.out.extend_from_slice(text.as_bytes());
        if self.f.high_bytes && self.rng.chance(20) {
            self.out.extend_from_slice(b" caf\xE9 \xC3\xA9 \x00");
        }
        if self.rng.chance(25) {
            self.out.push(b'\\');
        }
    }

    fn entry(&mut self) {
        self.key();
        self.separator();
        self.value();
    }

    fn separator(&mut self) {
        match self.rng.below(10) {
            0..=3 => {
                self.blanks(2);
                self.out.push(b'=');
                self.blanks(2);
            }
            4..=5 => {
                self.blanks(2);
                self.out.push(b':');
                self.blanks(2);
            }
            6..=7 => {
                let b = *self.rng.pick(BLANKS);
                self.out.push(b);
                self.blanks(2);
            }
            _ => {
                let sep = *self
                    .rng
                    .pick(&["==", "::", "=:", ":=", " = =", "\t:\t:", " =\x0c="]);
                self.out.extend_from_slice(sep.as_bytes());
                self.blanks(1);
            }
        }
    }

    fn word(&mut self) {
        let w = *self.rng.pick(WORDS);
        self.out.extend_from_slice(w.as_bytes());
    }

    fn key(&mut self) {
        // The first token is a plain word most of the time so that most lines are entries.
        if !self.f.comment_escapes || !self.f.comment_after_empty_continuation {
            // Never a line that turns into a comment (whose escapes or continuation would then matter).
            let w = *self
                .rng
                .pick(&["a", "k", "key", "x.y", "mail.smtp.host", "Ab9_-.", "u"]);
            self.out.extend_from_slice(w.as_bytes());
        } else if self.rng.chance(70) {
            self.word();
        }
        for _ in 0..self.rng.below(3) {
            self.token(true);
        }
    }

    fn value(&mut self) {
        for _ in 0..self.rng.below(6) {
            self.token(false);
        }
        match self.rng.below(10) {
            0 => self.blanks(3),
            1 => self.out.extend_from_slice(b"\\ "),
            _ => {}
        }
    }

    fn hex4(&mut self, unit: u16) {
        let s = if self.rng.chance(50) {
            format!("{unit:04x}")
        } else {
            format!("{unit:04X}")
        };
        self.out.extend_from_slice(s.as_bytes());
    }

    fn token(&mut self, in_key: bool) {
        if self.malformed_pct > 0 && self.rng.chance(self.malformed_pct) {
            let m = *self.rng.pick(MALFORMED);
            self.out.extend_from_slice(m.as_bytes());
            if self.f.plus_in_unicode && self.rng.chance(20) {
                self.out.extend_from_slice(b"\\u+12a");
            }
            return;
        }
        match self.rng.below(100) {
            0..=24 => self.word(),
            25..=39 => {
                let e = *self.rng.pick(ESCAPES);
                self.out.extend_from_slice(e.as_bytes());
            }
            40..=47 => {
                // A valid \uXXXX outside the surrogate range.
                let unit = loop {
                    let u = match self.rng.below(4) {
                        0 => self.rng.below(0x80) as u16,
                        1 => 0x80 + self.rng.below(0x80) as u16,
                        _ => self.rng.next_u64() as u16,
                    };
                    if !(0xD800..0xE000).contains(&u) {
                        break u;
                    }
                };
                self.out.extend_from_slice(b"\\u");
                self.hex4(unit);
            }
            48..=51 if self.f.surrogates => {
                // A pair, a lone high, a lone low, or a reversed pair.
                let units: &[u16] = match self.rng.below(4) {
                    0 => &[0xD83D, 0xDE00],
                    1 => &[0xD800],
                    2 => &[0xDFFF],
                    _ => &[0xDC00, 0xD800],
                };
                for &u in units {
                    self.out.extend_from_slice(b"\\u");
                    self.hex4(u);
                }
            }
            52..=57 if self.f.high_bytes => {
                let bytes = *self.rng.pick::<&[u8]>(&[
                    b"\xE9" as &[u8],
                    b"\xFF",
                    b"\x80",
                    b"\x9F",
                    b"\x00",
                    b"caf\xC3\xA9",
                    b"\xC3",
                    b"\xE2\x82",
                    b"\xF0\x9F\x98\x80",
                    b"\x85",
                    b"\xA0",
                    b"\x0B",
                ]);
                let bytes =
                    if !self.f.unicode_whitespace && matches!(bytes, b"\x85" | b"\xA0" | b"\x0B") {
                        b"\xE9" as &[u8]
                    } else {
                        bytes
                    };
                self.out.extend_from_slice(bytes);
            }
            58..=69 if !in_key || self.rng.chance(50) => {
                // Continuation in the middle of the text.
                self.continuation();
            }
            70..=73 => {
                // A \u escape split by a continuation.
                self.out.extend_from_slice(b"\\u0");
                self.continuation();
                self.out.extend_from_slice(b"0e9");
            }
            74..=79 => {
                // An even run of backslashes: escaped backslashes, then maybe the end of the line.
                let n = if self.rng.chance(70) { 2 } else { 4 };
                self.out.extend(std::iter::repeat_n(b'\\', n));
            }
            80..=85 if !in_key => {
                let s = *self
                    .rng
                    .pick(&[" ", "=", ":", " = ", "#", "!", "\t", "  x"]);
                self.out.extend_from_slice(s.as_bytes());
            }
            _ => self.word(),
        }
    }
}

/// Writes UTF-16 code units as `PropertiesDump.java` does: printable ASCII except the backslash as is,
/// everything else as `\uXXXX`.
pub fn escape_units(units: &[u16], out: &mut String) {
    for &u in units {
        if (0x20..=0x7E).contains(&u) && u != u16::from(b'\\') {
            out.push(char::from(u as u8));
        } else {
            let _ = write!(out, "\\u{u:04X}");
        }
    }
}

/// What Java's `load` makes of a file, in the dump's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// `load` threw (the message is kept for the report, not compared).
    Error(String),
    /// The entries, sorted by key, as `key\tvalue` lines.
    Entries(Vec<String>),
}

impl Outcome {
    pub fn is_error(&self) -> bool {
        matches!(self, Outcome::Error(_))
    }

    pub fn render(&self) -> String {
        match self {
            Outcome::Error(message) => format!("ERROR {message}\n"),
            Outcome::Entries(lines) => lines.iter().map(|l| format!("{l}\n")).collect(),
        }
    }
}

/// The reader's view of a file in the dump's terms: an error when Java would throw, else the entries after
/// last-wins, sorted by UTF-16 code units like Java's `String.compareTo`.
pub fn reader_outcome(doc: &Document<'_>) -> Outcome {
    if doc.fails_in_java() {
        return Outcome::Error("reader: MalformedUnicodeEscape".to_string());
    }
    let mut map: HashMap<Vec<u16>, Vec<u16>> = HashMap::new();
    for entry in doc.entries() {
        map.insert(entry.key_utf16(), entry.value_utf16());
    }
    let mut pairs: Vec<(Vec<u16>, Vec<u16>)> = map.into_iter().collect();
    pairs.sort();
    Outcome::Entries(
        pairs
            .iter()
            .map(|(k, v)| {
                let mut line = String::new();
                escape_units(k, &mut line);
                line.push('\t');
                escape_units(v, &mut line);
                line
            })
            .collect(),
    )
}

/// Parses the output of `PropertiesDump` into one outcome per file, in order.
pub fn parse_dump(output: &str) -> Vec<Outcome> {
    let mut outcomes = Vec::new();
    let mut current: Option<(usize, Option<String>, Vec<String>)> = None;
    for line in output.lines() {
        if line.contains('\t') {
            let (_, _, lines) = current.as_mut().expect("entry line outside a FILE block");
            lines.push(line.to_string());
        } else if let Some(rest) = line.strip_prefix("FILE ") {
            assert!(current.is_none(), "FILE without END before: {line}");
            let index: usize = rest.split(' ').next().unwrap().parse().expect("file index");
            assert_eq!(index, outcomes.len(), "files out of order in the dump");
            current = Some((index, None, Vec::new()));
        } else if let Some(rest) = line.strip_prefix("ERROR ") {
            let (_, error, _) = current.as_mut().expect("ERROR outside a FILE block");
            *error = Some(rest.to_string());
        } else if let Some(rest) = line.strip_prefix("END ") {
            let (_, error, lines) = current.take().expect("END outside a FILE block");
            let count: usize = rest.parse().expect("entry count");
            assert_eq!(
                count,
                lines.len(),
                "END count does not match the entry lines"
            );
            outcomes.push(match error {
                Some(message) => Outcome::Error(message),
                None => Outcome::Entries(lines),
            });
        } else {
            panic!("unexpected line in the Java dump: {line:?}");
        }
    }
    assert!(current.is_none(), "dump ended inside a FILE block");
    outcomes
}

/// A classic hex dump: offset, 16 bytes in hex, the printable ASCII.
pub fn hex_dump(bytes: &[u8]) -> String {
    let mut out = String::new();
    for (i, chunk) in bytes.chunks(16).enumerate() {
        let _ = write!(out, "{:08x}  ", i * 16);
        for j in 0..16 {
            match chunk.get(j) {
                Some(b) => {
                    let _ = write!(out, "{b:02x} ");
                }
                None => out.push_str("   "),
            }
            if j == 7 {
                out.push(' ');
            }
        }
        out.push_str(" |");
        for &b in chunk {
            out.push(if (0x20..0x7f).contains(&b) {
                char::from(b)
            } else {
                '.'
            });
        }
        out.push_str("|\n");
    }
    out
}

/// An environment variable parsed, or `default` when unset (for longer local runs of the generated tests).
pub fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    match std::env::var(name) {
        Ok(v) => v
            .parse()
            .unwrap_or_else(|_| panic!("{name}={v:?} is not valid")),
        Err(_) => default,
    }
}

/// Where failing cases are written: a directory under Cargo's target dir that outlives the test.
pub fn failure_dir(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(test);
    // Cases from an earlier run would be misleading.
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create the failure directory");
    dir
}

/// Every regular file under `dir`, recursively, sorted. An unreadable directory fails the test, and so does
/// finding no file at all: a corpus that silently shrank would make the tests that use it pass vacuously.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries =
            std::fs::read_dir(&d).unwrap_or_else(|e| panic!("cannot read {}: {e}", d.display()));
        for entry in entries {
            let path = entry.expect("read_dir entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.is_file() {
                out.push(path);
            }
        }
    }
    assert!(!out.is_empty(), "no file under {}", dir.display());
    out.sort();
    out
}

/// The repository's `testdata/` directory, which must exist and hold files.
pub fn testdata_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    assert!(dir.is_dir(), "{} is missing", dir.display());
    assert!(
        std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
            .next()
            .is_some(),
        "{} is empty",
        dir.display()
    );
    dir
}

/// The generated corpus used by the reader's tests: `count` files from a fixed seed.
pub fn generated_corpus(seed: u64, count: usize, features: &Features) -> Vec<Generated> {
    let mut rng = Rng::new(seed);
    (0..count).map(|_| generate(&mut rng, features)).collect()
}
