//! The reader's byte spans and line numbers, checked on every entry of every `testdata/` file and of a
//! generated corpus (`tests/support`; no Java needed here, `java_differential.rs` checks the decoded text):
//!
//! - spans are valid, ordered ranges of the file: key before value, both inside the entry's span;
//! - joining the raw key and value text of the file as Java's `LineReader` does (drop the backslash of a
//!   continuation, the terminator and the next line's leading blanks) and unescaping it gives back exactly
//!   `key_utf16()` / `value_utf16()`; for a one-line value without escapes the raw text *is* the value;
//! - re-reading `source[entry.span]` alone gives the same key and value;
//! - escapes and trailing whitespace lie inside their key or value span and start where they should;
//! - `line` / `end_line` are the physical lines of the entry's first and last byte, counting `\n`,
//!   `\r\n` and a lone `\r` as one terminator each; comments and problems are on the right lines too.
//!
//! `RACM_SPANS_SEED` and `RACM_SPANS_CASES` override the generator's seed and file count. Failing files are
//! written under `target/tmp/reader_spans/`.

mod support;

use std::ops::Range;

use racm_lint::properties::{Document, EscapeKind, Item, ProblemKind};
use racm_lint::text::latin1;
use support::{Features, env_or, failure_dir, files_under, generated_corpus, hex_dump};

const SEED: u64 = 0x5350_414E_5321; // "SPANS!"
const CASES: usize = 5000;

fn is_blank(b: u8) -> bool {
    b == b' ' || b == b'\t' || b == b'\x0c'
}

/// Joins the physical lines of a raw key or value as `LineReader.readLine` does. Inside an entry's span
/// every terminator is a continuation: it must follow an odd run of backslashes.
fn join_continuations(raw: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(raw.len());
    let mut run = 0usize;
    let mut i = 0;
    while i < raw.len() {
        let c = raw[i];
        i += 1;
        if c == b'\r' || c == b'\n' {
            if run.is_multiple_of(2) {
                return Err(format!(
                    "terminator at {} not escaped by a backslash",
                    i - 1
                ));
            }
            out.pop();
            run = 0;
            if c == b'\r' && raw.get(i) == Some(&b'\n') {
                i += 1;
            }
            while i < raw.len() && is_blank(raw[i]) {
                i += 1;
            }
            continue;
        }
        out.push(c);
        run = if c == b'\\' { run + 1 } else { 0 };
    }
    Ok(out)
}

/// Java's `loadConvert` on a joined key or value, except that a malformed `\u` (where Java throws) keeps
/// the `u`, as the reader documents.
fn unescape(text: &[u8]) -> Vec<u16> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let c = text[i];
        i += 1;
        if c != b'\\' {
            out.push(u16::from(c));
            continue;
        }
        let Some(&next) = text.get(i) else { break };
        i += 1;
        match next {
            b'u' => {
                let hex = text.get(i..i + 4).and_then(|d| {
                    let s = std::str::from_utf8(d).ok()?;
                    if s.bytes().all(|b| b.is_ascii_hexdigit()) {
                        u16::from_str_radix(s, 16).ok()
                    } else {
                        None
                    }
                });
                match hex {
                    Some(unit) => {
                        out.push(unit);
                        i += 4;
                    }
                    None => out.push(u16::from(b'u')),
                }
            }
            b't' => out.push(9),
            b'n' => out.push(10),
            b'r' => out.push(13),
            b'f' => out.push(12),
            other => out.push(u16::from(other)),
        }
    }
    out
}

/// 1-based physical line of `offset`: terminators strictly before it, plus one.
fn line_at(src: &[u8], offset: usize) -> u32 {
    let mut line = 1;
    let mut i = 0;
    while i < offset.min(src.len()) {
        match src[i] {
            b'\n' => line += 1,
            b'\r' if src.get(i + 1) != Some(&b'\n') => line += 1,
            _ => {}
        }
        i += 1;
    }
    line
}

fn check_range(what: &str, r: &Range<usize>, len: usize) -> Result<(), String> {
    if r.start > r.end || r.end > len {
        return Err(format!(
            "{what} {r:?} is not a valid range of a {len}-byte file"
        ));
    }
    Ok(())
}

/// Every check on one file; the first failure is returned.
fn check_file(src: &[u8]) -> Result<usize, String> {
    let doc = Document::parse(src);
    let mut checked = 0;
    let mut last_end = 0;
    for item in &doc.items {
        match item {
            Item::Blank { span, line } | Item::Comment { span, line } => {
                check_range("blank/comment span", span, src.len())?;
                if *line != line_at(src, span.start) {
                    return Err(format!(
                        "item {item:?}: line should be {}",
                        line_at(src, span.start)
                    ));
                }
                if let Item::Comment { .. } = item
                    && !matches!(src.get(span.start), Some(b'#' | b'!'))
                {
                    return Err(format!("comment {span:?} does not start with # or !"));
                }
                if span.start < last_end {
                    return Err(format!(
                        "item {item:?} starts before the previous one ends ({last_end})"
                    ));
                }
                last_end = span.end;
            }
            Item::Entry(e) => {
                let ctx =
                    |msg: String| format!("entry at line {} (span {:?}): {msg}", e.line, e.span());
                check_range("key_span", &e.key_span(), src.len()).map_err(ctx)?;
                check_range("value_span", &e.value_span(), src.len()).map_err(ctx)?;
                check_range("span", &e.span(), src.len()).map_err(ctx)?;
                if e.key_span().end > e.value_span().start {
                    return Err(ctx(format!(
                        "key_span {:?} ends after value_span {:?}",
                        e.key_span(),
                        e.value_span()
                    )));
                }
                if e.span().start > e.key_span().start || e.span().end < e.value_span().end {
                    return Err(ctx("span does not cover key and value".into()));
                }
                if e.span().start < last_end {
                    return Err(ctx(format!(
                        "starts before the previous item ends ({last_end})"
                    )));
                }
                last_end = e.span().end;

                // Raw text, joined and unescaped, gives back the key and value.
                let key_units = e.key_utf16();
                let value_units = e.value_utf16();
                let raw_key =
                    join_continuations(&src[e.key_span()]).map_err(|m| ctx(format!("key: {m}")))?;
                let raw_value = join_continuations(&src[e.value_span()])
                    .map_err(|m| ctx(format!("value: {m}")))?;
                if unescape(&raw_key) != key_units {
                    return Err(ctx(format!(
                        "raw key {:?} does not decode to the key {:?}",
                        latin1(&raw_key),
                        String::from_utf16_lossy(&key_units)
                    )));
                }
                if unescape(&raw_value) != value_units {
                    return Err(ctx(format!(
                        "raw value {:?} does not decode to the value {:?}",
                        latin1(&raw_value),
                        String::from_utf16_lossy(&value_units)
                    )));
                }
                if e.key() != String::from_utf16_lossy(&key_units)
                    || e.value() != String::from_utf16_lossy(&value_units)
                {
                    return Err(ctx("key/value differ from key_utf16()/value_utf16()".into()));
                }
                if e.raw_key(src) != &src[e.key_span()] || e.raw_value(src) != &src[e.value_span()]
                {
                    return Err(ctx("raw_key/raw_value differ from the spans".into()));
                }
                if !e.is_continued()
                    && e.value_escapes().is_empty()
                    && latin1(&src[e.value_span()]) != e.value()
                {
                    return Err(ctx(
                        "one-line value without escapes is not its raw text".into()
                    ));
                }
                if !e.is_continued()
                    && e.key_escapes().is_empty()
                    && latin1(&src[e.key_span()]) != e.key()
                {
                    return Err(ctx(
                        "one-line key without escapes is not its raw text".into()
                    ));
                }

                // Re-reading the entry's own bytes gives the same key and value.
                let again = Document::parse(&src[e.span()]);
                let entries: Vec<_> = again.entries().collect();
                match entries.as_slice() {
                    [one] if one.key_utf16() == key_units && one.value_utf16() == value_units => {}
                    [] if key_units.is_empty() && value_units.is_empty() && e.span().is_empty() => {
                    }
                    _ => {
                        return Err(ctx(format!(
                            "re-reading {:?} gives {:?}",
                            latin1(&src[e.span()]),
                            entries
                                .iter()
                                .map(|x| (x.key(), x.value()))
                                .collect::<Vec<_>>()
                        )));
                    }
                }

                // Escapes: inside their span, from a backslash, in order.
                for (escapes, span, what) in [
                    (&e.key_escapes(), &e.key_span(), "key"),
                    (&e.value_escapes(), &e.value_span(), "value"),
                ] {
                    let mut prev = span.start;
                    for esc in escapes.iter() {
                        if esc.span.start < prev || esc.span.end > span.end || esc.span.is_empty() {
                            return Err(ctx(format!(
                                "{what} escape {esc:?} outside {span:?} or out of order"
                            )));
                        }
                        if src[esc.span.start] != b'\\' {
                            return Err(ctx(format!(
                                "{what} escape {esc:?} does not start with a backslash"
                            )));
                        }
                        let joined = join_continuations(&src[esc.span.clone()]).map_err(ctx)?;
                        let expected_len = match esc.kind {
                            EscapeKind::Unicode(_) => 6,
                            EscapeKind::Malformed => 2,
                            _ => 2,
                        };
                        if joined.len() != expected_len {
                            return Err(ctx(format!(
                                "{what} escape {esc:?} covers {:?}",
                                latin1(&joined)
                            )));
                        }
                        prev = esc.span.end;
                    }
                }
                if let Some(tw) = &e.trailing_whitespace()
                    && (tw.start < e.value_span().start
                        || tw.end != e.value_span().end
                        || tw.is_empty()
                        || !src[tw.clone()].iter().all(|&b| is_blank(b)))
                {
                    return Err(ctx(format!(
                        "trailing whitespace {tw:?} is not blanks ending the value"
                    )));
                }

                // Line numbers.
                let first = line_at(src, e.span().start);
                if e.line != first {
                    return Err(ctx(format!("line {} should be {first}", e.line)));
                }
                if !e.span().is_empty() {
                    let last = line_at(src, e.span().end - 1);
                    if e.end_line != last {
                        return Err(ctx(format!("end_line {} should be {last}", e.end_line)));
                    }
                }
                checked += 1;
            }
        }
    }
    for p in &doc.problems {
        check_range("problem span", &p.span, src.len())?;
        if p.line != line_at(src, p.span.start) {
            return Err(format!(
                "problem {p:?}: line should be {}",
                line_at(src, p.span.start)
            ));
        }
        if p.kind == ProblemKind::MalformedUnicodeEscape {
            let joined = join_continuations(&src[p.span.clone()])?;
            if !joined.starts_with(b"\\u") {
                return Err(format!(
                    "problem {p:?} covers {:?}, not a \\u escape",
                    latin1(&joined)
                ));
            }
        }
    }
    Ok(checked)
}

#[test]
fn spans_and_lines_are_right() {
    let mut files: Vec<(String, Vec<u8>)> = files_under(&support::testdata_dir())
        .into_iter()
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect();
    let count = files.len();
    let seed = env_or("RACM_SPANS_SEED", SEED);
    let cases = env_or("RACM_SPANS_CASES", CASES);
    for (i, g) in generated_corpus(seed, cases, &Features::ALL)
        .into_iter()
        .enumerate()
    {
        files.push((
            format!("generated #{i} ({}, seed {seed:#x})", g.kind),
            g.bytes,
        ));
    }
    let mut entries = 0;
    let mut failures = Vec::new();
    for (name, bytes) in &files {
        match check_file(bytes) {
            Ok(n) => entries += n,
            Err(msg) => failures.push((name, bytes, msg)),
        }
    }
    eprintln!(
        "reader spans: {} files ({count} testdata), {entries} entries checked, {} failures",
        files.len(),
        failures.len()
    );
    if failures.is_empty() {
        return;
    }
    let dir = failure_dir("reader_spans");
    let mut report = String::new();
    let mut summary = String::new();
    for (n, (name, bytes, msg)) in failures.iter().enumerate() {
        let file = dir.join(format!("case-{n}.properties"));
        std::fs::write(&file, bytes).unwrap();
        summary.push_str(&format!("{}: {name}: {msg}\n", file.display()));
        if n < 5 {
            report.push_str(&format!(
                "{name}: {msg}\nfile: {}\n{}\n",
                file.display(),
                hex_dump(bytes)
            ));
        }
    }
    let summary_file = dir.join("failures.txt");
    std::fs::write(&summary_file, summary).unwrap();
    panic!(
        "{} of {} files have wrong spans or lines (all listed in {}):\n\n{report}",
        failures.len(),
        files.len(),
        summary_file.display()
    );
}

#[test]
fn known_spans() {
    let src = b"# c\r\nkey = va\\\r\n   lue  \nk2\\\n  x:\\u00e9\\\n";
    let doc = Document::parse(src);
    let entries: Vec<_> = doc.entries().collect();
    assert_eq!(entries.len(), 2);
    let e = entries[0];
    assert_eq!((e.key(), e.value()), ("key", "value  "));
    assert_eq!(&src[e.key_span()], b"key");
    assert_eq!(&src[e.value_span()], b"va\\\r\n   lue  ");
    assert_eq!((e.line, e.end_line), (2, 3));
    assert_eq!(e.trailing_whitespace().map(|r| &src[r]), Some(&b"  "[..]));
    let e = entries[1];
    assert_eq!((e.key(), e.value()), ("k2x", "\u{e9}"));
    assert_eq!(&src[e.key_span()], b"k2\\\n  x");
    assert_eq!(&src[e.value_span()], b"\\u00e9");
    assert_eq!((e.line, e.end_line), (4, 5));
    assert_eq!(e.value_escapes().len(), 1);
    assert_eq!(e.value_escapes()[0].kind, EscapeKind::Unicode(0xe9));
    assert_eq!(&src[e.value_escapes()[0].span.clone()], b"\\u00e9");
}

#[test]
fn plain_lines_borrow_from_the_file_and_the_others_are_decoded() {
    // Each line: (text, whether it can borrow, key, value).
    let cases: [(&[u8], bool, &str, &str); 9] = [
        (b"mail.server.port=587", true, "mail.server.port", "587"),
        (
            b"  mail.server.host : smtp.office365.com  ",
            true,
            "mail.server.host",
            "smtp.office365.com  ",
        ),
        (b"key value with spaces", true, "key", "value with spaces"),
        (b"only-a-key", true, "only-a-key", ""),
        (
            b"url=https\\://login.microsoftonline.com",
            false,
            "url",
            "https://login.microsoftonline.com",
        ),
        (b"caf\xe9=cr\xe8me", false, "caf\u{e9}", "cr\u{e8}me"),
        (b"k=caf\xc3\xa9", false, "k", "caf\u{c3}\u{a9}"),
        (b"list=a,\\\n   b", false, "list", "a,b"),
        (
            b"key\\ with\\ space=\\u00e9t\\u00e9",
            false,
            "key with space",
            "\u{e9}t\u{e9}",
        ),
    ];
    for (text, borrows, key, value) in cases {
        let doc = Document::parse(text);
        let entries: Vec<_> = doc.entries().collect();
        assert_eq!(entries.len(), 1, "{}", String::from_utf8_lossy(text));
        let e = entries[0];
        assert_eq!(
            (e.key(), e.value()),
            (key, value),
            "{}",
            String::from_utf8_lossy(text)
        );
        assert_eq!(
            e.is_borrowed(),
            borrows,
            "{}",
            String::from_utf8_lossy(text)
        );
    }
    // The escapes of the key come before those of the value, each on its side.
    let doc = Document::parse(b"a\\tb=\\n\\u0041\\q");
    let e = doc.entries().next().unwrap();
    assert_eq!((e.key(), e.value()), ("a\tb", "\nAq"));
    assert_eq!(e.key_escapes().len(), 1);
    let kinds: Vec<_> = e.value_escapes().iter().map(|x| x.kind).collect();
    assert_eq!(
        kinds,
        [
            EscapeKind::Control('\n'),
            EscapeKind::Unicode(0x41),
            EscapeKind::Dropped('q')
        ]
    );
}
