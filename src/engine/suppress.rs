//! Suppression comments: `# racm-lint: ignore[rule, ...]` silences rules on the next entry, and
//! `# racm-lint: file-ignore[rule, ...]` in the whole file. A suppression that silences nothing is reported.
//!
//! They can only be comment lines: a `#` after a value is part of the value in Java.

use crate::catalog::RuleSet;
use crate::diagnostic::Diagnostic;
use crate::properties::{Document, Item, Span};

/// One name in a suppression's list, with where it is.
#[derive(Debug, Clone)]
pub struct Selector {
    pub name: String,
    pub span: Span,
    /// The code of the rule it names, if any.
    pub code: Option<String>,
    pub used: bool,
}

/// One suppression comment.
#[derive(Debug, Clone)]
pub struct Suppression {
    /// The entry it applies to (its span), or `None` for `file-ignore`.
    pub target: Option<Span>,
    pub target_key: Option<String>,
    pub selectors: Vec<Selector>,
}

/// Finds the suppression comments of a document.
pub fn parse(doc: &Document<'_>, rules: &RuleSet) -> Vec<Suppression> {
    let mut out = Vec::new();
    for (index, item) in doc.items.iter().enumerate() {
        let Item::Comment { span, .. } = item else {
            continue;
        };
        let text = &doc.source[span.clone()];
        // `#` or `!`, optional blanks, `racm-lint:`.
        let body = &text[1..];
        let trimmed_start = body.iter().take_while(|b| b.is_ascii_whitespace()).count();
        let Some(rest) = body[trimmed_start..].strip_prefix(b"racm-lint:") else {
            continue;
        };
        let mut offset = span.start + 1 + trimmed_start + b"racm-lint:".len();
        let lead = rest.iter().take_while(|b| b.is_ascii_whitespace()).count();
        offset += lead;
        let rest = &rest[lead..];
        let (file_wide, after) = if let Some(r) = rest.strip_prefix(b"file-ignore[") {
            (true, r)
        } else if let Some(r) = rest.strip_prefix(b"ignore[") {
            (false, r)
        } else {
            continue;
        };
        let list_start = offset + (rest.len() - after.len());
        let Some(close) = after.iter().position(|&b| b == b']') else {
            continue;
        };
        let mut selectors = Vec::new();
        let mut at = list_start;
        for part in after[..close].split(|&b| b == b',') {
            let lead = part.iter().take_while(|b| b.is_ascii_whitespace()).count();
            let name = String::from_utf8_lossy(&part[lead..]).trim().to_string();
            if !name.is_empty() {
                let start = at + lead;
                selectors.push(Selector {
                    code: rules.find(&name).map(|r| r.code.clone()),
                    span: start..start + name.len(),
                    name,
                    used: false,
                });
            }
            at += part.len() + 1;
        }
        let target = if file_wide {
            None
        } else {
            doc.items[index + 1..].iter().find_map(|item| match item {
                Item::Entry(e) => Some((e.span(), e.key().to_string())),
                _ => None,
            })
        };
        if !file_wide && target.is_none() {
            // Nothing follows: every selector is unused.
            out.push(Suppression {
                target: Some(span.end..span.end),
                target_key: None,
                selectors,
            });
            continue;
        }
        let (target, target_key) = match target {
            Some((span, key)) => (Some(span), Some(key)),
            None => (None, None),
        };
        out.push(Suppression {
            target,
            target_key,
            selectors,
        });
    }
    out
}

/// Whether a diagnostic lies on the entry `target` (its primary place starts inside it, or it is about the
/// entry's key).
fn on_entry(d: &Diagnostic, target: &Span, key: Option<&str>) -> bool {
    let inside = d
        .span
        .as_ref()
        .is_some_and(|s| s.start >= target.start && s.start < target.end);
    inside
        || (key.is_some()
            && d.key.as_deref() == key
            && d.span.as_ref().is_some_and(|s| s.start < target.end))
}

/// Drops the diagnostics the suppressions silence, marking which selectors were used.
pub fn apply(diagnostics: Vec<Diagnostic>, suppressions: &mut [Suppression]) -> Vec<Diagnostic> {
    diagnostics
        .into_iter()
        .filter(|d| {
            let mut silenced = false;
            for s in suppressions.iter_mut() {
                let applies = match &s.target {
                    None => true,
                    Some(target) => on_entry(d, target, s.target_key.as_deref()),
                };
                if !applies {
                    continue;
                }
                for sel in s.selectors.iter_mut() {
                    if sel.code.as_deref() == Some(d.code.as_str()) {
                        sel.used = true;
                        silenced = true;
                    }
                }
            }
            !silenced
        })
        .collect()
}
