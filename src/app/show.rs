//! `racm-lint show`: the effective settings as the server reads them, secrets redacted.

use std::fmt::Write as _;

use serde_json::{Map, Value, json};

use super::{Exit, Outcome, display_path, fatal_report, input, print};
use crate::keys::{KeyPattern, is_secret_entry, mail};
use crate::properties::{Document, Item, Settings};
use crate::secrets::{Redactor, displayable, displayable_key, secret_texts};
use crate::text::quote_for_display;

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
        static MAIL: std::sync::LazyLock<KeyPattern> =
            std::sync::LazyLock::new(|| KeyPattern::new(mail::ALL));
        self == Scope::All || MAIL.matches(key)
    }
}

/// `racm-lint show FILE [--all] [--format json]`: prints the settings; exit code 1 when Java cannot load the
/// file.
pub fn run(file: &std::path::Path, all: bool, json: bool) -> Outcome {
    let bytes = input::read_file(file).map_err(|e| fatal_report(miette::Report::new(e)))?;
    let scope = if all { Scope::All } else { Scope::Mail };
    let doc = read(&bytes, scope);
    let name = display_path(file);
    print(&if json {
        format!("{:#}\n", to_json(&name, &doc, scope))
    } else {
        to_text(&name, &doc, scope)
    })?;
    if doc.fails_in_java() {
        for problem in doc.problems.iter().filter(|p| p.kind.is_fatal_to_java()) {
            eprintln!(
                "error: {name}:{}: malformed \\uXXXX escape: Java cannot load this file, the server reads none of it",
                problem.line
            );
        }
        return Ok(Exit::Findings);
    }
    Ok(Exit::Clean)
}

/// Reads a file for `show`: every problem is found, but only the entries it lists or whose secrets it must
/// hide are kept (a large file of other keys, blank lines and comments costs no memory).
pub fn read(source: &[u8], scope: Scope) -> Document<'_> {
    Document::parse_filtered(source, &|item| match item {
        Item::Entry(e) => scope.includes(e.key()) || is_secret_entry(e.key(), e.value()),
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
                secrets.redact(displayable_key(key).to_owned()),
                Value::from(shown(key, entry.value(), &secrets)),
            )
        })
        .collect();
    json!({ "file": file, "properties": properties })
}

/// A value as `show` prints it: a secret key's as [`crate::keys::REDACTED`], and any other with the
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
                quote_for_display(&secrets.redact(displayable_key(key).to_owned())),
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
