//! Text helpers every layer uses: Latin-1 decoding, quoting for display, one-line excerpts, edit distance.

use std::fmt::Write as _;

/// Decodes ISO-8859-1 bytes: each byte is the character of the same number.
pub fn latin1(bytes: &[u8]) -> String {
    let high = bytes.iter().filter(|&&b| b >= 0x80).count();
    let mut text = String::with_capacity(bytes.len() + high);
    for &b in bytes {
        text.push(char::from(b));
    }
    text
}

/// A key or value made safe and unambiguous on a terminal: control characters are escaped, and text with
/// leading or trailing whitespace (which Java keeps) or that is empty is quoted so the whitespace shows.
pub fn quote_for_display(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\t' => escaped.push_str("\\t"),
            '\n' => escaped.push_str("\\n"),
            '\r' => escaped.push_str("\\r"),
            '\x0c' => escaped.push_str("\\f"),
            '"' => escaped.push_str("\\\""),
            '\\' => escaped.push_str("\\\\"),
            c if is_unsafe_char(c) => {
                let _ = write!(escaped, "\\u{{{:04X}}}", u32::from(c));
            }
            c => escaped.push(c),
        }
    }
    let needs_quotes = text.is_empty()
        || text.starts_with(char::is_whitespace)
        || text.ends_with(char::is_whitespace)
        || escaped.len() != text.len();
    if needs_quotes {
        format!("\"{escaped}\"")
    } else {
        escaped
    }
}

/// Whether `c` changes how a terminal or a log shows what follows it: a control character (C0, DEL, C1:
/// escape sequences, bell, line breaks), a bidirectional override or isolate (U+202A to U+202E, U+2066 to
/// U+2069, the marks U+200E, U+200F, U+061C) or a line or paragraph separator.
pub fn is_unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// Text from the file (a key, a rule name in a suppression comment) made safe for any output: every
/// character of [`is_unsafe_char`] written `\u{XXXX}`, so that a key written with `\u001b` or `\u202e`
/// escapes moves no cursor and forges no `::error` line. `keep_newlines` keeps `\n` (a block of lines a
/// message shows on purpose).
pub fn escape_unsafe(text: &str, keep_newlines: bool) -> std::borrow::Cow<'_, str> {
    if !text
        .chars()
        .any(|c| is_unsafe_char(c) && !(keep_newlines && c == '\n'))
    {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe_char(c) && !(keep_newlines && c == '\n') {
            let _ = write!(out, "\\u{{{:04X}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A value in a message: in backticks, or in quotes when whitespace at its ends or control characters must
/// show.
pub fn code(value: &str) -> String {
    let shown = quote_for_display(value);
    if shown.starts_with('"') {
        shown
    } else {
        format!("`{shown}`")
    }
}

/// `text` on one line of printable characters, at most `max` characters (an ellipsis marks a cut).
pub fn one_line(text: &str, max: usize) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut words = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    if words.chars().count() > max {
        words = words.chars().take(max).collect::<String>() + "…";
    }
    words
}

/// The Levenshtein distance between two strings, compared case-insensitively.
pub fn distance(a: &str, b: &str) -> usize {
    strsim::levenshtein(&a.to_lowercase(), &b.to_lowercase())
}

/// The candidate nearest to `value` within `max` edits.
pub fn nearest<'c>(
    value: &str,
    candidates: impl IntoIterator<Item = &'c str>,
    max: usize,
) -> Option<&'c str> {
    candidates
        .into_iter()
        .map(|c| (distance(value, c), c))
        .filter(|(d, _)| *d <= max)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Whole values that are template words, compared case-insensitively.
const PLACEHOLDER_WORDS: [&str; 15] = [
    "changeme",
    "change-me",
    "change_me",
    "change me",
    "todo",
    "tbd",
    "to-be-defined",
    "to_be_defined",
    "secret",
    "value",
    "password",
    "id",
    "n/a",
    "none",
    "null",
];

/// Prefixes of template phrases (`your-client-id`, `my tenant`...), compared case-insensitively.
const PLACEHOLDER_PREFIXES: [&str; 4] = ["your", "my", "insert", "enter"];

/// Whether a value still holds a template placeholder: `[Secret]`, `<TENANT_ID>`, `{tenant}`, `${X}`,
/// `changeme`, `xxx`, `your-client-id`...
///
/// Hand-written rather than a regular expression: this runs on every lint, and compiling a case-insensitive
/// alternation costs more than the whole lint of a small file.
pub fn is_placeholder(value: &str) -> bool {
    let value = value.trim();
    let lower = value.to_ascii_lowercase();
    let bracketed = |open: char, close: char| {
        value
            .find(open)
            .is_some_and(|at| value[at + open.len_utf8()..].contains(close))
    };
    if bracketed('[', ']') || bracketed('<', '>') || bracketed('{', '}') {
        return true;
    }
    if ["%7b", "%5b", "%3c", "${"]
        .iter()
        .any(|m| lower.contains(m))
    {
        return true;
    }
    if PLACEHOLDER_WORDS.contains(&lower.as_str()) {
        return true;
    }
    let repeated = |c: char, min: usize| lower.len() >= min && lower.chars().all(|x| x == c);
    if repeated('x', 3) || repeated('.', 3) || repeated('*', 1) {
        return true;
    }
    PLACEHOLDER_PREFIXES.iter().any(|p| {
        lower
            .strip_prefix(p)
            .is_some_and(|rest| rest.starts_with(['-', '_', ' ']))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_characters_are_written_as_escapes() {
        assert_eq!(
            escape_unsafe("mail.\u{1b}[2Jx\u{202e}y\u{7}", false),
            "mail.\\u{001B}[2Jx\\u{202E}y\\u{0007}"
        );
        assert_eq!(escape_unsafe("a\nb", true), "a\nb");
        assert_eq!(escape_unsafe("a\nb::error", false), "a\\u{000A}b::error");
        assert_eq!(quote_for_display("x\u{2066}"), "\"x\\u{2066}\"");
    }

    #[test]
    fn trailing_whitespace_is_visible() {
        assert_eq!(quote_for_display("true "), "\"true \"");
        assert_eq!(quote_for_display("true"), "true");
        assert_eq!(quote_for_display(""), "\"\"");
        assert_eq!(quote_for_display("a\tb"), "\"a\\tb\"");
    }
}
