//! The `java-properties` crate (v2.0.0) as a second oracle for `racm_lint::reader`, on the inputs where it
//! reads like Java.
//!
//! `java_differential.rs` holds the reader to Java itself; this test needs no JDK, and cross-checks the
//! reader against an independent implementation (regex-based, with its own line joining) on a generated
//! corpus restricted to the grammar where that implementation is right (`RACM_ORACLE_SEED` and
//! `RACM_ORACLE_CASES` override its seed and size). To read ISO-8859-1 exactly, the
//! bytes are decoded as Latin-1 and handed over as UTF-8 with `encoding_rs::UTF_8` (encoding_rs has no
//! ISO-8859-1: its "iso-8859-1" label is windows-1252).
//!
//! Where `java-properties` 2.0.0 does NOT read like `java.util.Properties.load(InputStream)` (each case is
//! asserted below by a `disagrees_*` test, so this list stays true; the Java results were taken from JDK 17
//! and are also asserted against the reader):
//!
//! 1. Encoding: `PropertiesIter::new` and `read` decode windows-1252, not ISO-8859-1: bytes 0x80..=0x9F
//!    differ (0x80 is `€` U+20AC, Java U+0080).
//! 2. Byte order marks: encoding_rs decoders sniff BOMs, so a UTF-8 BOM is dropped and the rest of the file
//!    is decoded as UTF-8 (`\xEF\xBB\xBFk=caf\xC3\xA9` gives `k`=`café`; Java: `ï»¿k`=`cafÃ©`). A UTF-16 BOM
//!    likewise switches to UTF-16.
//! 3. Comments are unescaped: a comment with a `\u` not followed by four hex digits, such as
//!    `# C:\users\x`, is an error ("Malformed \uxxxx encoding: not hex."); Java never looks inside comments.
//! 4. UTF-16 surrogates: `\uD83D\uDE00` (a valid pair, 😀 in Java) and a lone `\uD800` (kept by Java) are
//!    errors ("invalid character"), because each escape must be a `char` on its own.
//! 5. `\u+12a` is read as U+012A (`u16::from_str_radix` accepts a leading `+`); Java throws.
//! 6. A backslash as the file's very last byte (no terminator after it) loses the whole last logical line
//!    (`a=1\nb=2\` gives only `a`; Java also has `b`=`2`).
//! 7. A backslash-only last line (`a=1\n\` + LF, or the same without the LF) is no entry; Java reads an entry
//!    with an empty key and an empty value.
//! 8. A comment after a continuation that left the logical line empty (a backslash-only line, then `#c\`) is
//!    continued onto the next line when it ends in a backslash, swallowing it (`\`, `#c\`, `b=1` gives
//!    nothing; Java: `b`=`1`).
//! 9. Leading whitespace of a continuation line is removed with `str::trim_start`, which also strips VT
//!    (0x0B), NEL (0x85) and NBSP (0xA0); Java skips only space, tab and form feed.
//! 10. Errors: `PropertiesIter` yields an error for the offending line, with a line number and its own
//!     message, and further calls are "undefined"; `read_into` stops there after having already delivered
//!     the entries before it. Java's `load` throws `IllegalArgumentException: Malformed \uxxxx encoding.`
//!     (no line number) and the file is unreadable. The error cases themselves agree (malformed `\u` in a
//!     key or value), apart from 3-5.
//! 11. Positions: only the 1-based line of the first physical line of each logical line; no columns, no
//!     spans, no continuation or escape details, which is why the reader exists.

mod support;

use std::collections::BTreeMap;

use java_properties::{LineContent, PropertiesIter};
use racm_lint::properties::Document;
use racm_lint::text::latin1;
use support::{Features, env_or, failure_dir, files_under, generated_corpus, hex_dump};

type Map = BTreeMap<String, String>;

/// `java-properties` on ISO-8859-1 bytes, exactly: decoded as Latin-1, given as UTF-8. Last wins.
fn crate_latin1(bytes: &[u8]) -> Result<Map, String> {
    let text = latin1(bytes);
    let mut map = Map::new();
    PropertiesIter::new_with_encoding(text.as_bytes(), encoding_rs::UTF_8)
        .read_into(|k, v| {
            map.insert(k, v);
        })
        .map_err(|e| e.to_string())?;
    Ok(map)
}

/// `java-properties` with its default encoding (windows-1252).
fn crate_default(bytes: &[u8]) -> Result<Map, String> {
    java_properties::read(bytes)
        .map(|m| m.into_iter().collect())
        .map_err(|e| e.to_string())
}

/// What Java reads, through the reader (held to Java by `java_differential.rs`). Err when Java throws.
fn java(bytes: &[u8]) -> Result<Map, ()> {
    let doc = Document::parse(bytes);
    if doc.fails_in_java() {
        return Err(());
    }
    Ok(doc
        .entries()
        .map(|e| (e.key().to_string(), e.value().to_string()))
        .collect())
}

fn map(pairs: &[(&str, &str)]) -> Map {
    pairs
        .iter()
        .map(|&(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The grammar on which `java-properties` reads like Java (see the list above).
const AGREEING: Features = Features {
    high_bytes: true,
    malformed_unicode: true,
    plus_in_unicode: false,
    surrogates: false,
    bom: true,
    dangling_backslash_at_eof: false,
    comment_escapes: false,
    comment_after_empty_continuation: false,
    unicode_whitespace: false,
    soup: false,
};

const SEED: u64 = 0x4A50_524F_5053; // "JPROPS"
const CASES: usize = 5000;

fn agrees(bytes: &[u8]) -> Result<(), String> {
    match (java(bytes), crate_latin1(bytes)) {
        (Err(()), Err(_)) => Ok(()),
        (Ok(a), Ok(b)) if a == b => Ok(()),
        (a, b) => Err(format!(
            "Java (via the reader): {a:?}\njava-properties: {b:?}"
        )),
    }
}

#[test]
fn agrees_with_the_reader_on_the_common_grammar() {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    // The hand-written reader files, except those showing a documented disagreement.
    let disagreeing = [
        "backslash-only-then-comment.properties", // 8
        "comment-windows-path.properties",        // 3
        "dangling-backslash-eof.properties",      // 6
        "dangling-backslash-only-eof.properties", // 6, 7
        "backslash-lf-at-eof.properties",         // 7
        "surrogates.properties",                  // 4
    ];
    for path in files_under(&support::testdata_dir().join("reader")) {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let bytes = std::fs::read(&path).unwrap();
        if disagreeing.contains(&name.as_str()) {
            assert!(
                agrees(&bytes).is_err(),
                "{name} is listed as disagreeing but java-properties reads it like Java"
            );
        } else {
            files.push((format!("testdata/reader/{name}"), bytes));
        }
    }
    let seed = env_or("RACM_ORACLE_SEED", SEED);
    let cases = env_or("RACM_ORACLE_CASES", CASES);
    for (i, g) in generated_corpus(seed, cases, &AGREEING)
        .into_iter()
        .enumerate()
    {
        files.push((format!("generated #{i} (seed {seed:#x})"), g.bytes));
    }
    let mut failures = Vec::new();
    let mut errors = 0;
    for (name, bytes) in &files {
        errors += usize::from(java(bytes).is_err());
        if let Err(msg) = agrees(bytes) {
            failures.push((name, bytes, msg));
        }
    }
    eprintln!(
        "second oracle: {} files, Java throws on {errors}, {} disagreements",
        files.len(),
        failures.len()
    );
    assert!(errors > 0, "the corpus should exercise the error path");
    if failures.is_empty() {
        return;
    }
    let dir = failure_dir("second_oracle");
    let mut report = String::new();
    for (n, (name, bytes, msg)) in failures.iter().enumerate() {
        let file = dir.join(format!("case-{n}.properties"));
        std::fs::write(&file, bytes).unwrap();
        if n < 5 {
            report.push_str(&format!(
                "{name} ({}):\n{}{msg}\n\n",
                file.display(),
                hex_dump(bytes)
            ));
        }
    }
    panic!(
        "java-properties disagrees with the reader on {} of {} files (written to {}):\n\n{report}",
        failures.len(),
        files.len(),
        dir.display()
    );
}

#[test]
fn line_numbers_agree() {
    // The one position java-properties gives: the first physical line of each logical line.
    let src = b"# c\r\na=1\\\r\n  2\n\nb : x\rc\\\n\\\n d\n";
    let doc = Document::parse(src);
    let ours: Vec<(usize, String)> = doc
        .entries()
        .map(|e| (e.line as usize, e.key().to_string()))
        .collect();
    let text = latin1(src);
    let theirs: Vec<(usize, String)> =
        PropertiesIter::new_with_encoding(text.as_bytes(), encoding_rs::UTF_8)
            .filter_map(|line| {
                let line = line.unwrap();
                let n = line.line_number();
                match line.consume_content() {
                    LineContent::KVPair(k, _) => Some((n, k)),
                    LineContent::Comment(_) => None,
                }
            })
            .collect();
    assert_eq!(
        ours,
        vec![(2, "a".into()), (5, "b".into()), (6, "cd".into())]
    );
    assert_eq!(ours, theirs);
}

// ---- Documented disagreements: each asserts what Java does (JDK 17) and that java-properties differs. ----

#[test]
fn disagrees_1_windows_1252_by_default() {
    let src = b"k=\x80\x9f\xe9\n";
    let java_result = map(&[("k", "\u{80}\u{9f}\u{e9}")]);
    assert_eq!(java(src), Ok(java_result.clone()));
    assert_eq!(
        crate_default(src),
        Ok(map(&[("k", "\u{20ac}\u{178}\u{e9}")]))
    );
    assert_eq!(
        crate_latin1(src),
        Ok(java_result),
        "exact with the Latin-1 workaround"
    );
}

#[test]
fn disagrees_2_byte_order_mark_sniffed() {
    let src = b"\xef\xbb\xbfk=caf\xc3\xa9\n";
    let java_result = map(&[("\u{ef}\u{bb}\u{bf}k", "caf\u{c3}\u{a9}")]);
    assert_eq!(java(src), Ok(java_result.clone()));
    assert_eq!(crate_default(src), Ok(map(&[("k", "café")])));
    assert_eq!(
        crate_latin1(src),
        Ok(java_result),
        "exact with the Latin-1 workaround"
    );
    // A UTF-16LE BOM switches to UTF-16.
    let src = b"\xff\xfek\x00=\x00v\x00";
    assert_eq!(java(src), Ok(map(&[("\u{ff}\u{fe}k\u{0}", "\u{0}v\u{0}")])));
    assert_eq!(crate_default(src), Ok(map(&[("k", "v")])));
}

#[test]
fn disagrees_3_comments_unescaped() {
    let src = b"# C:\\users\\x\nk=v\n";
    assert_eq!(java(src), Ok(map(&[("k", "v")])));
    let err = crate_latin1(src).unwrap_err();
    assert!(
        err.contains("Malformed \\uxxxx encoding: not hex."),
        "{err}"
    );
    assert!(err.contains("line_number = 1"), "{err}");
}

#[test]
fn disagrees_4_surrogates_rejected() {
    let src = b"k=\\uD83D\\uDE00\n";
    assert_eq!(java(src), Ok(map(&[("k", "\u{1F600}")])));
    let err = crate_latin1(src).unwrap_err();
    assert!(err.contains("invalid character"), "{err}");

    let src = b"k=\\uD800\n";
    let doc = Document::parse(src);
    assert_eq!(
        doc.entries().next().unwrap().value_utf16(),
        vec![0xD800],
        "Java keeps the lone surrogate"
    );
    assert!(!doc.fails_in_java());
    assert!(crate_latin1(src).unwrap_err().contains("invalid character"));
}

#[test]
fn disagrees_5_plus_sign_in_unicode_escape() {
    let src = b"k=\\u+12a\n";
    assert_eq!(java(src), Err(()), "Java: Malformed \\uxxxx encoding.");
    assert_eq!(crate_latin1(src), Ok(map(&[("k", "\u{12a}")])));
}

#[test]
fn disagrees_6_backslash_at_end_of_file() {
    let src = b"a=1\nb=2\\";
    assert_eq!(java(src), Ok(map(&[("a", "1"), ("b", "2")])));
    assert_eq!(crate_latin1(src), Ok(map(&[("a", "1")])));
}

#[test]
fn disagrees_7_backslash_only_last_line() {
    for src in [&b"a=1\n\\\n"[..], b"a=1\n\\", b"a=1\n\\\r"] {
        assert_eq!(java(src), Ok(map(&[("", ""), ("a", "1")])), "{src:?}");
        assert_eq!(crate_latin1(src), Ok(map(&[("a", "1")])), "{src:?}");
    }
    // With CRLF, Java has no such entry either (it skips the LF before it sees the end of the file).
    let src = b"a=1\r\n\\\r\n";
    assert_eq!(java(src), Ok(map(&[("a", "1")])));
    assert_eq!(crate_latin1(src), Ok(map(&[("a", "1")])));
}

#[test]
fn disagrees_8_comment_after_empty_continuation() {
    let src = b"\\\n#c\\\nb=1\n";
    assert_eq!(java(src), Ok(map(&[("b", "1")])));
    assert_eq!(crate_latin1(src), Ok(map(&[])));
}

#[test]
fn disagrees_9_unicode_whitespace_after_continuation() {
    let src = b"a=x\\\n\xa0y\\\n\x85z\\\n\x0bw\n";
    assert_eq!(java(src), Ok(map(&[("a", "x\u{a0}y\u{85}z\u{b}w")])));
    assert_eq!(crate_latin1(src), Ok(map(&[("a", "xyzw")])));
}

#[test]
fn disagrees_10_errors_are_per_line() {
    let src = b"a=1\nb=\\u12\nc=3\n";
    assert_eq!(java(src), Err(()), "Java: the whole load fails");
    let mut seen = Vec::new();
    let result = PropertiesIter::new_with_encoding(&src[..], encoding_rs::UTF_8)
        .read_into(|k, _| seen.push(k));
    let err = result.unwrap_err();
    assert_eq!(err.line_number(), Some(2));
    assert!(err.to_string().contains("not enough digits"), "{err}");
    assert_eq!(
        seen,
        vec!["a".to_string()],
        "entries before the error were delivered"
    );
}
