//! `racm-lint show`: the effective settings as the server reads them, secrets redacted.

use std::fmt::Write as _;

use serde_json::{Map, Value, json};

use crate::reader::Document;
use crate::secrets::{Redactor, displayable, is_secret_key, secret_texts};
use crate::settings::Settings;

/// Which keys `show` lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Only `mail.*` keys.
    Mail,
    /// Every key.
    All,
}

impl Scope {
    /// Whether `show` lists `key`.
    pub fn includes(self, key: &str) -> bool {
        self == Scope::All || key.starts_with("mail.")
    }
}

/// Reads a file for `show`: every problem is found, but only the entries it lists or whose secrets it must
/// hide are kept (a large file of other keys, blank lines and comments costs no memory).
pub fn read(source: &[u8], scope: Scope) -> Document<'_> {
    Document::parse_filtered(source, &|item| match item {
        crate::reader::Item::Entry(e) => scope.includes(e.key()) || is_secret_key(e.key()),
        _ => false,
    })
}

/// The settings as JSON: `{"file": "<path>", "properties": {"<key>": "<value>", ...}}`.
pub fn to_json(file: &str, doc: &Document<'_>, scope: Scope) -> Value {
    let settings = Settings::new(doc);
    let secrets = Redactor::new(secret_texts(doc, &settings));
    let properties: Map<String, Value> = settings
        .iter()
        .filter(|(key, _)| scope.includes(key))
        .map(|(key, entry)| {
            (
                key.to_owned(),
                Value::from(shown(key, entry.value(), &secrets)),
            )
        })
        .collect();
    json!({ "file": file, "properties": properties })
}

/// A value as `show` prints it: a secret key's as [`crate::secrets::REDACTED`], and any other with the
/// secrets it repeats (a secret pasted into the wrong key, say) hidden.
fn shown(key: &str, value: &str, secrets: &Redactor) -> String {
    secrets.redact(displayable(key, value).to_string())
}

/// The settings as text: one aligned line per key with the line that sets it.
pub fn to_text(file: &str, doc: &Document<'_>, scope: Scope) -> String {
    let settings = Settings::new(doc);
    let secrets = Redactor::new(secret_texts(doc, &settings));
    let rows: Vec<(String, String, String)> = settings
        .groups()
        .filter(|(key, _)| scope.includes(key))
        .filter_map(|(key, entries)| {
            let (last, earlier) = entries.split_last()?;
            let mut place = format!("line {}", last.line);
            if !earlier.is_empty() {
                let lines: Vec<String> = earlier.iter().map(|e| e.line.to_string()).collect();
                let _ = write!(place, ", overrides line {}", lines.join(", "));
            }
            Some((
                quote_for_display(key),
                quote_for_display(&shown(key, last.value(), &secrets)),
                place,
            ))
        })
        .collect();

    let mut out = String::new();
    let what = match scope {
        Scope::Mail => "mail.* settings",
        Scope::All => "settings",
    };
    let _ = writeln!(
        out,
        "{file}: {} {what}, as the server reads them",
        rows.len()
    );
    let key_width = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0);
    let value_width = rows
        .iter()
        .map(|r| r.1.chars().count())
        .max()
        .unwrap_or(0)
        .min(60);
    for (key, value, place) in &rows {
        let _ = writeln!(
            out,
            "  {key:<key_width$} = {value:<value_width$}  ({place})"
        );
    }
    out
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
            c if c.is_control() => {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted_in_both_forms() {
        let doc = Document::parse(b"mail.oauth2.client.secret=abc8Q~0123456789012345678901234567890123\ndb.password=hunter2\n");
        let json = to_json("f", &doc, Scope::All).to_string();
        assert!(
            !json.contains("abc8Q~") && !json.contains("hunter2"),
            "{json}"
        );
        let text = to_text("f", &doc, Scope::All);
        assert!(
            !text.contains("abc8Q~") && !text.contains("hunter2"),
            "{text}"
        );
        assert!(text.contains("********"));
    }

    #[test]
    fn trailing_whitespace_is_visible() {
        assert_eq!(quote_for_display("true "), "\"true \"");
        assert_eq!(quote_for_display("true"), "true");
        assert_eq!(quote_for_display(""), "\"\"");
        assert_eq!(quote_for_display("a\tb"), "\"a\\tb\"");
    }

    #[test]
    fn mail_scope_hides_other_keys() {
        let doc = Document::parse(b"server.port=8080\nmail.server.port=587\n");
        let text = to_text("f", &doc, Scope::Mail);
        assert!(text.contains("mail.server.port"));
        assert!(
            !text
                .lines()
                .any(|l| l.trim_start().starts_with("server.port")),
            "{text}"
        );
    }
}
