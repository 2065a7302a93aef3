//! Checks on the file as a whole: what Java cannot load, the byte order mark, duplicate, unknown and missing
//! keys.

use super::{Context, FileCheck};
use crate::diagnostic::{Edit, Finding, Label};
use crate::i18n::{Lang, Phrase, did_you_mean};
use crate::keys::{BOM_AS_LATIN1, KeyPattern, is_secret_entry};
use crate::properties::ProblemKind;
use crate::properties::reader::Separator;
use crate::text::{distance, latin1, nearest};

/// Whether `key` falls under one of the patterns, a prefix compared case-insensitively (see
/// [`KeyPattern::covers`]).
fn under(patterns: &[KeyPattern], key: &str) -> bool {
    patterns.iter().any(|p| p.covers(key))
}

/// Whether `key` matches one of the patterns as Java compares keys.
fn matches(patterns: &[KeyPattern], key: &str) -> bool {
    patterns.iter().any(|p| p.matches(key))
}

/// `malformed_unicode_escape`: fires on each malformed `\uXXXX` escape, which makes Java's `load` throw: the
/// server reads none of the file.
pub struct MalformedUnicodeEscape;

impl FileCheck for MalformedUnicodeEscape {
    fn run(&self, ctx: &Context<'_, '_, '_>, _keys: &[KeyPattern]) -> Vec<Finding> {
        malformed_unicode(ctx)
    }
}

/// `utf8_bom`: fires when the file starts with a UTF-8 byte order mark, which Java glues to the first key.
/// Fix: remove the mark.
pub struct Utf8Bom;

impl FileCheck for Utf8Bom {
    fn run(&self, ctx: &Context<'_, '_, '_>, _keys: &[KeyPattern]) -> Vec<Finding> {
        bom(ctx)
    }

    fn fixable(&self) -> bool {
        true
    }
}

/// `duplicate_key`: fires on each key of the rule's patterns given more than once (the last one wins).
pub struct DuplicateKey;

impl FileCheck for DuplicateKey {
    fn run(&self, ctx: &Context<'_, '_, '_>, keys: &[KeyPattern]) -> Vec<Finding> {
        duplicates(ctx, keys)
    }
}

/// `unknown_key`: fires on each key under the rule's prefix (compared without case) that the server does
/// not know, with the nearest known key.
pub struct UnknownKey;

impl FileCheck for UnknownKey {
    fn run(&self, ctx: &Context<'_, '_, '_>, keys: &[KeyPattern]) -> Vec<Finding> {
        unknown_keys(ctx, keys)
    }
}

/// `missing_key`: fires on each required key that is missing while other keys under the prefix are set.
pub struct MissingKey;

impl FileCheck for MissingKey {
    fn run(&self, ctx: &Context<'_, '_, '_>, keys: &[KeyPattern]) -> Vec<Finding> {
        missing_keys(ctx, keys)
    }
}

/// `missing_separator`: fires on an entry with no value whose key is a known key followed by more text: the
/// `=` was lost (deleted while pasting, or a look-alike such as a no-break space, a full-width `＝` or an
/// escaped `\=`), so Java reads the whole line as a key. Never quotes the key (the secret may be in it). Fix:
/// write `=` after the known key, in place of the look-alike.
pub struct MissingSeparator;

impl FileCheck for MissingSeparator {
    fn run(&self, ctx: &Context<'_, '_, '_>, _keys: &[KeyPattern]) -> Vec<Finding> {
        let source = ctx.doc.source;
        ctx.doc
            .entries()
            // The whole line is the key: no separator at all (`key=` has one: an empty value is set).
            .filter(|e| e.separator == Separator::None)
            .filter_map(|entry| {
                let known = known_key_glued_to(ctx, entry.key())?;
                let key_span = entry.key_span();
                let raw = &source[key_span.clone()];
                // The raw key starts with the known key as written (no escape in it), else no safe fix.
                let edits = if raw.starts_with(known.as_bytes()) {
                    let at = key_span.start + known.len();
                    let after = &source[at..key_span.end];
                    let lost = [
                        &b"\\="[..],
                        b"\\:",
                        b"\xC2\xA0",
                        b"\xEF\xBC\x9D",
                        b"\xA0",
                        b"\\u00a0",
                        b"\\u00A0",
                        b"\\uff1d",
                        b"\\uFF1D",
                    ]
                    .iter()
                    .find(|look_alike| after.starts_with(look_alike))
                    .map_or(0, |look_alike| look_alike.len());
                    vec![Edit {
                        span: at..at + lost,
                        replacement: b"=".to_vec(),
                    }]
                } else {
                    vec![]
                };
                Some(
                    Finding {
                        key: None,
                        span: Some(key_span),
                        edits,
                        ..Finding::default()
                    }
                    .var("line", entry.line.to_string())
                    .var("length", entry.key().chars().count().to_string())
                    .var("known", format!("`{known}`")),
                )
            })
            .collect()
    }

    fn fixable(&self) -> bool {
        true
    }
}

/// The known key that `key` starts with and goes on after (the longest), when `key` is not itself known:
/// `mail.oauth2.client.secret` for `mail.oauth2.client.secretXq48Q~…`.
fn known_key_glued_to<'r>(ctx: &Context<'r, '_, '_>, key: &str) -> Option<&'r str> {
    let known = &ctx.rules.keys;
    if known.iter().any(|k| k.name == key) {
        return None;
    }
    known
        .iter()
        .map(|k| k.name.as_str())
        .filter(|name| key.len() > name.len() && key.starts_with(name))
        .max_by_key(|name| name.len())
}

/// `no_settings`: fires when no key at all is under the rule's prefix, with the block to add.
pub struct NoSettings;

impl FileCheck for NoSettings {
    fn run(&self, ctx: &Context<'_, '_, '_>, keys: &[KeyPattern]) -> Vec<Finding> {
        no_settings(ctx, keys)
    }
}

fn malformed_unicode(ctx: &Context<'_, '_, '_>) -> Vec<Finding> {
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
            let secret = entry.is_some_and(|e| is_secret_entry(e.key(), e.value()));
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

fn bom(ctx: &Context<'_, '_, '_>) -> Vec<Finding> {
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
            edits: vec![Edit {
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

fn duplicates(ctx: &Context<'_, '_, '_>, patterns: &[KeyPattern]) -> Vec<Finding> {
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
                let d = distance(a, b);
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

fn unknown_keys(ctx: &Context<'_, '_, '_>, patterns: &[KeyPattern]) -> Vec<Finding> {
    let known: Vec<&str> = ctx.rules.keys.iter().map(|k| k.name.as_str()).collect();
    ctx.settings
        .iter()
        .filter(|(key, _)| under(patterns, key) && !known.contains(key))
        // A known key that lost its `=`: `missing_separator` says so, without quoting the key.
        .filter(|(key, entry)| {
            !(entry.separator == Separator::None && known_key_glued_to(ctx, key).is_some())
        })
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

fn any_under(ctx: &Context<'_, '_, '_>, patterns: &[KeyPattern]) -> bool {
    ctx.settings.iter().any(|(key, _)| {
        under(patterns, key) || under(patterns, key.trim_start_matches(BOM_AS_LATIN1))
    })
}

fn missing_keys(ctx: &Context<'_, '_, '_>, patterns: &[KeyPattern]) -> Vec<Finding> {
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

fn no_settings(ctx: &Context<'_, '_, '_>, patterns: &[KeyPattern]) -> Vec<Finding> {
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
                .map(|p| p.prefix().unwrap_or(p.as_str()).to_string())
                .unwrap_or_default(),
        ),
    ]
}
