//! Checks on the text of one entry as it is written in the file: bytes over 0x7F, backslashes Java drops,
//! blanks after the value.

use super::{Context, FileCheck, KeyCheck, OnKey, drop_trailing_whitespace};
use crate::catalog::spec::DroppedBackslash;
use crate::diagnostic::{Edit, Finding, Label};
use crate::i18n::{Lang, Phrase};
use crate::keys::{KeyPattern, is_secret_entry, is_secret_key, mail};
use crate::properties::{Entry, EscapeKind};
use crate::text::latin1;

/// `continued_into_key`: fires where a line ends with `\` and the next line, which Java joins to the value,
/// is a `key=value` line of a key the server knows, of a `mail.*` key or of a secret key: that key is lost
/// and its text (a secret, perhaps) is read as part of the value. Fix: remove the backslash.
pub struct ContinuedIntoKey;

impl FileCheck for ContinuedIntoKey {
    fn run(&self, ctx: &Context<'_, '_, '_>, _keys: &[KeyPattern]) -> Vec<Finding> {
        let source = ctx.doc.source;
        let mail = KeyPattern::new(mail::ALL);
        let known = |key: &str| {
            mail.covers(key) || is_secret_key(key) || ctx.rules.keys.iter().any(|k| k.name == key)
        };
        let mut out = Vec::new();
        for entry in ctx.doc.entries().filter(|e| e.is_continued()) {
            for continuation in entry.continuations(source) {
                let next_key = continuation.next_key(source);
                let assignment = source
                    .get(continuation.next_text + next_key.len())
                    .is_some_and(|b| b"=: \t".contains(b));
                if next_key.is_empty() || !assignment || !known(&next_key) {
                    continue;
                }
                let at = continuation.backslash;
                out.push(
                    Finding {
                        key: Some(entry.key().to_string()),
                        span: Some(at..at + 1),
                        edits: vec![Edit {
                            span: at..at + 1,
                            replacement: vec![],
                        }],
                        ..Finding::default()
                    }
                    .var("line", continuation.line.to_string())
                    .var("next_line", (continuation.line + 1).to_string())
                    .var("next_key", next_key),
                );
            }
        }
        out
    }

    fn fixable(&self) -> bool {
        true
    }
}

/// `non_ascii`: fires on bytes over 0x7F in a value, which Java reads as Latin-1; says what the admin meant
/// when the bytes are UTF-8, and the `\uXXXX` escapes to write instead.
pub struct NonAscii;

impl KeyCheck for NonAscii {
    fn run(&self, on: &OnKey<'_>) -> Vec<Finding> {
        non_ascii(on.ctx, on.key, on.entry)
    }
}

/// `dropped_backslash`: fires on `\x` escapes whose backslash Java drops; `secrets` says whether the rule is
/// for secret keys (whose text it never quotes) or for the others.
impl KeyCheck for DroppedBackslash {
    fn run(&self, on: &OnKey<'_>) -> Vec<Finding> {
        let secret = is_secret_entry(on.key, on.value());
        if self.secrets != secret {
            return vec![];
        }
        dropped_backslash(on.entry, secret)
    }
}

/// `trailing_whitespace`: fires on unescaped blanks at the end of a value (never on secret keys: they have a
/// rule of their own). Fix: remove them.
pub struct TrailingWhitespace;

impl KeyCheck for TrailingWhitespace {
    fn run(&self, on: &OnKey<'_>) -> Vec<Finding> {
        match on.entry.trailing_whitespace() {
            Some(span) if !is_secret_key(on.key) => vec![
                Finding {
                    span: Some(span.clone()),
                    edits: drop_trailing_whitespace(on.entry),
                    ..Finding::default()
                }
                .var("count", (span.end - span.start).to_string()),
            ],
            _ => vec![],
        }
    }

    fn fixable(&self) -> bool {
        true
    }
}

fn non_ascii(ctx: &Context<'_, '_, '_>, key: &str, entry: &Entry<'_>) -> Vec<Finding> {
    let raw = entry.raw_value(ctx.doc.source);
    let Some(first) = raw.iter().position(|&b| b >= 0x80) else {
        return vec![];
    };
    let last = raw.iter().rposition(|&b| b >= 0x80).unwrap_or(first);
    let run = &raw[first..=last];
    let start = entry.value_span().start + first;
    let span = start..start + run.len();
    if is_secret_entry(key, entry.value()) {
        return vec![
            Finding {
                span: Some(span),
                ..Finding::default()
            }
            .var("java", Phrase::SecretNotShown.text(ctx.lang).to_string())
            .var(
                "intended",
                Phrase::SecretNotShown.text(ctx.lang).to_string(),
            )
            .var("escaped", "\\uXXXX".to_string()),
        ];
    }
    let (intended, note) = match std::str::from_utf8(run) {
        Ok(text) => (text.to_string(), true),
        Err(_) => (latin1(run), false),
    };
    let escaped: String = intended
        .chars()
        .map(|c| {
            if c.is_ascii() {
                c.to_string()
            } else {
                format!("\\u{:04X}", u32::from(c))
            }
        })
        .collect();
    let mut finding = Finding {
        span: Some(span),
        ..Finding::default()
    }
    .var("java", format!("`{}`", latin1(run)))
    .var("intended", format!("`{intended}`"))
    .var("escaped", format!("`{escaped}`"));
    if note {
        finding.notes.push(match ctx.lang {
            Lang::En => format!(
                "the file was saved as UTF-8: the server reads `{intended}` as `{}`",
                latin1(run)
            ),
            Lang::Fr => format!(
                "le fichier a été enregistré en UTF-8 : le serveur lit `{intended}` comme `{}`",
                latin1(run)
            ),
        });
    }
    vec![finding]
}

fn dropped_backslash(entry: &Entry<'_>, secret: bool) -> Vec<Finding> {
    let dropped: Vec<_> = entry.dropped_backslashes().collect();
    let Some(first) = dropped.first() else {
        return vec![];
    };
    let describe = |kind: &EscapeKind| match kind {
        EscapeKind::Dropped(c) => (format!("`\\{c}`"), format!("`{c}`")),
        _ => (String::new(), String::new()),
    };
    let mut finding = Finding {
        span: Some(first.span.clone()),
        labels: dropped[1..]
            .iter()
            .map(|e| Label {
                span: e.span.clone(),
                message: if secret {
                    String::new()
                } else {
                    describe(&e.kind).0
                },
            })
            .collect(),
        ..Finding::default()
    }
    .var("count", dropped.len().to_string());
    if !secret {
        let (escape, result) = describe(&first.kind);
        finding = finding.var("escape", escape).var("result", result);
    }
    vec![finding]
}
