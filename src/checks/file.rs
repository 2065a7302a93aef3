//! Checks on the file as a whole: encoding, escapes, duplicate, unknown and missing keys.

use super::cloud::{did_you_mean, nearest};
use super::{Context, Finding, Label};
use crate::i18n::{Lang, Phrase};
use crate::reader::{Entry, EscapeKind, ProblemKind, latin1};
use crate::secrets::is_secret_key;

/// The three characters a UTF-8 byte order mark becomes when read as Latin-1.
pub const BOM_AS_LATIN1: &str = "\u{ef}\u{bb}\u{bf}";

/// Whether `key` falls under one of the rule's key patterns; a prefix pattern (`mail.*`) is compared
/// case-insensitively, so that `Mail.Server.Host` counts as a (misspelt) mail key.
fn under(patterns: &[String], key: &str) -> bool {
    patterns.iter().any(|p| match p.strip_suffix('*') {
        Some(prefix) => {
            key.len() >= prefix.len()
                && key.is_char_boundary(prefix.len())
                && key[..prefix.len()].eq_ignore_ascii_case(prefix)
        }
        None => key == p,
    })
}

/// Whether a key matches the rule's patterns exactly (case-sensitive, as Java compares keys).
fn matches(patterns: &[String], key: &str) -> bool {
    patterns.iter().any(|p| match p.strip_suffix('*') {
        Some(prefix) => key.starts_with(prefix),
        None => key == p,
    })
}

pub fn malformed_unicode(ctx: &Context<'_, '_, '_>) -> Vec<Finding> {
    // The entries in file order: the one holding a problem is the last that starts at or before it.
    let entries: Vec<_> = ctx.doc.entries().collect();
    ctx.doc
        .problems
        .iter()
        .filter(|p| p.kind == ProblemKind::MalformedUnicodeEscape)
        .map(|p| {
            let at = entries.partition_point(|e| e.span().start <= p.span.start);
            let entry = at
                .checked_sub(1)
                .map(|i| entries[i])
                .filter(|e| p.span.start < e.span().end);
            let secret = entry.is_some_and(|e| is_secret_key(e.key()));
            let escape = if secret {
                "\\u…".to_string()
            } else {
                latin1(&ctx.doc.source[p.span.clone()])
            };
            Finding {
                key: entry.map(|e| e.key().to_string()),
                span: Some(p.span.clone()),
                ..Finding::default()
            }
            .var("escape", format!("`{escape}`"))
        })
        .collect()
}

pub fn bom(ctx: &Context<'_, '_, '_>) -> Vec<Finding> {
    if !ctx.doc.has_bom() {
        return vec![];
    }
    let first = ctx.doc.entries().next();
    let key = first
        .and_then(|e| e.key().strip_prefix(BOM_AS_LATIN1))
        .unwrap_or_default()
        .to_string();
    // A comment on the first line is no longer a comment: the mark comes before its `#`.
    let notes = if key.starts_with(['#', '!']) {
        vec![match ctx.lang {
            Lang::En => format!(
                "the first line is a comment: with the mark in front of its `{}`, Java reads it as a setting instead",
                &key[..1]
            ),
            Lang::Fr => format!(
                "la première ligne est un commentaire : avec la marque devant son `{}`, Java la lit plutôt comme un paramètre",
                &key[..1]
            ),
        }]
    } else {
        vec![]
    };
    vec![
        Finding {
            key: first.map(|e| e.key().to_string()),
            // The mark itself is invisible: underline it with the key it is glued to.
            span: Some(match first {
                Some(e) if e.key_span().start == 0 => 0..e.key_span().end,
                _ => 0..3,
            }),
            notes,
            edits: vec![super::Edit {
                span: 0..3,
                replacement: vec![],
            }],
            ..Finding::default()
        }
        .var("first_key", format!("`{key}`"))
        .var("java_key", format!("`{BOM_AS_LATIN1}{key}`")),
    ]
}

/// How many earlier occurrences of a duplicate key are labelled, and how many are listed by line.
const MAX_DUPLICATE_LABELS: usize = 3;
const MAX_DUPLICATE_LINES: usize = 10;

pub fn duplicates(ctx: &Context<'_, '_, '_>, patterns: &[String]) -> Vec<Finding> {
    ctx.settings
        .groups()
        .filter(|(key, all)| all.len() > 1 && matches(patterns, key))
        .map(|(key, all)| {
            let (last, earlier) = all.split_last().expect("len > 1");
            // A key pasted hundreds of times is one finding: label a few of the earlier lines, list a few more.
            let labels = earlier
                .iter()
                .take(MAX_DUPLICATE_LABELS)
                .map(|e| Label {
                    span: e.key_span(),
                    message: Phrase::EarlierDuplicate.text(ctx.lang).to_string(),
                })
                .collect();
            let mut lines: Vec<String> = earlier
                .iter()
                .take(MAX_DUPLICATE_LINES)
                .map(|e| e.line.to_string())
                .collect();
            if earlier.len() > MAX_DUPLICATE_LINES {
                lines.push("…".to_string());
            }
            Finding {
                key: Some(key.to_string()),
                span: Some(last.key_span()),
                label: Some(Phrase::LaterDuplicateWins.text(ctx.lang).to_string()),
                labels,
                ..Finding::default()
            }
            .var("count", all.len().to_string())
            .var("lines", lines.join(", "))
            .var("line", last.line.to_string())
        })
        .collect()
}

/// The known key nearest to `key`, comparing segment by segment when the counts agree.
fn suggest<'k>(key: &str, known: &[&'k str]) -> Option<&'k str> {
    let segments: Vec<&str> = key.split('.').collect();
    let by_segment = known
        .iter()
        .filter_map(|k| {
            let ks: Vec<&str> = k.split('.').collect();
            if ks.len() != segments.len() {
                return None;
            }
            let mut total = 0;
            for (a, b) in segments.iter().zip(&ks) {
                let d = super::values::distance(a, b);
                if d > 2.max(b.len() / 3) {
                    return None;
                }
                total += d;
            }
            Some((total, *k))
        })
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k);
    by_segment.or_else(|| nearest(key, known.iter().copied(), 3))
}

pub fn unknown_keys(ctx: &Context<'_, '_, '_>, patterns: &[String]) -> Vec<Finding> {
    let known: Vec<&str> = ctx.rules.keys.iter().map(|k| k.name.as_str()).collect();
    ctx.settings
        .iter()
        .filter(|(key, _)| under(patterns, key) && !known.contains(key))
        .map(|(key, entry)| {
            let suggestion = suggest(key, &known);
            Finding {
                key: Some(key.to_string()),
                span: Some(entry.key_span()),
                ..Finding::default()
            }
            .var("did_you_mean", did_you_mean(ctx.lang, suggestion))
            .var(
                "suggestion",
                suggestion.map(|s| format!("`{s}`")).unwrap_or_default(),
            )
        })
        .collect()
}

fn any_under(ctx: &Context<'_, '_, '_>, patterns: &[String]) -> bool {
    ctx.settings.iter().any(|(key, _)| {
        under(patterns, key) || under(patterns, key.trim_start_matches(BOM_AS_LATIN1))
    })
}

pub fn missing_keys(ctx: &Context<'_, '_, '_>, patterns: &[String]) -> Vec<Finding> {
    if !any_under(ctx, patterns) {
        return vec![];
    }
    // Where to add them: after the last line that sets a key under the prefix.
    let anchor = ctx
        .doc
        .entries()
        .filter(|e| under(patterns, e.key()))
        .map(|e| e.span().end)
        .max();
    ctx.rules
        .keys
        .iter()
        .filter(|k| k.required && matches(patterns, &k.name))
        .filter(|k| ctx.settings.get(&k.name).is_none())
        // A key hidden behind a byte order mark is reported by the BOM rule.
        .filter(|k| {
            ctx.settings
                .get(&format!("{BOM_AS_LATIN1}{}", k.name))
                .is_none()
        })
        .map(|k| {
            Finding {
                key: Some(k.name.clone()),
                span: anchor.map(|at| at..at),
                ..Finding::default()
            }
            .var("line", k.template.clone())
        })
        .collect()
}

pub fn no_settings(ctx: &Context<'_, '_, '_>, patterns: &[String]) -> Vec<Finding> {
    if any_under(ctx, patterns) {
        return vec![];
    }
    let block: Vec<&str> = ctx
        .rules
        .keys
        .iter()
        .filter(|k| k.required && matches(patterns, &k.name))
        .map(|k| k.template.as_str())
        .collect();
    let len = ctx.doc.source.len();
    vec![
        Finding {
            span: (len > 0).then_some(len..len),
            ..Finding::default()
        }
        .var("block", block.join("\n"))
        .var(
            "prefix",
            patterns
                .first()
                .map(|p| p.trim_end_matches('*').to_string())
                .unwrap_or_default(),
        ),
    ]
}

pub fn non_ascii(ctx: &Context<'_, '_, '_>, key: &str, entry: &Entry<'_>) -> Vec<Finding> {
    let raw = entry.raw_value(ctx.doc.source);
    let Some(first) = raw.iter().position(|&b| b >= 0x80) else {
        return vec![];
    };
    let last = raw.iter().rposition(|&b| b >= 0x80).unwrap_or(first);
    let run = &raw[first..=last];
    let start = entry.value_span().start + first;
    let span = start..start + run.len();
    if is_secret_key(key) {
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

pub fn dropped_backslash(entry: &Entry<'_>, secret: bool) -> Vec<Finding> {
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
