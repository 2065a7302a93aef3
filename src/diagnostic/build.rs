//! The one diagnostic builder: a check's [`Finding`] (offline) or a live check's (online) becomes a
//! [`Diagnostic`] with the rule's texts in the output language, its places in lines and columns, the setup
//! step, and every secret hidden.

use super::model::{Diagnostic, Finding, Origin, SecondaryLabel, StepRef};
use crate::catalog::{Rule, RuleSet, Severity};
use crate::i18n::{Lang, Phrase, fill};
use crate::keys::{is_secret_entry, is_secret_key};
use crate::properties::{DisplayText, Entry, EscapeKind, Span};
use crate::secrets::{Redactor, glued_secret_line, secret_parts};
use crate::text::{code, escape_unsafe, quote_for_display};
use crate::values::java::{describe_secret, inline_comment_at};

/// Hides secret texts in whatever leaves the process.
pub trait Redact {
    /// `text` with every secret it holds replaced.
    fn redact(&self, text: String) -> String;
}

impl Redact for Redactor {
    fn redact(&self, text: String) -> String {
        Redactor::redact(self, text)
    }
}

/// Builds the diagnostics of one file.
pub struct Builder<'x, 'a> {
    pub rules: &'x RuleSet,
    pub lang: Lang,
    /// The file's bytes.
    pub source: &'a [u8],
    pub display: &'x DisplayText<'a>,
    /// The file's secrets (and, online, the access token).
    pub secrets: &'x dyn Redact,
    /// Offline findings also get notes on how Java reads the value; live findings are about Microsoft's
    /// answer, not the value's text.
    pub origin: Origin,
}

impl Builder<'_, '_> {
    /// The diagnostic of `finding`, made by `rule` at `severity` about `key`, whose winning entry is `entry`.
    pub fn build(
        &self,
        rule: &Rule,
        severity: Severity,
        finding: Finding,
        key: Option<&str>,
        entry: Option<&Entry<'_>>,
    ) -> Diagnostic {
        let lang = self.lang;
        let source = self.source;
        let secret = match entry {
            Some(entry) => is_secret_entry(entry.key(), entry.value()),
            None => key.is_some_and(is_secret_key),
        };
        let span: Option<Span> = finding.span.clone().or_else(|| {
            let entry = entry?;
            if let Some(range) = &finding.value_range
                && entry.raw_value(source) == entry.value().as_bytes()
                && range.end <= entry.value().len()
            {
                let start = entry.value_span().start;
                return Some(start + range.start..start + range.end);
            }
            Some(entry.value_span())
        });

        let mut vars: Vec<(&str, String)> = Vec::with_capacity(finding.vars.len() + 2);
        if let Some(key) = key {
            vars.push(("key", format!("`{}`", escape_unsafe(key, false))));
        }
        if let Some(entry) = entry {
            let value = if secret {
                describe_secret_entry(entry, source, lang)
            } else {
                code(entry.value())
            };
            vars.push(("value", value));
        }
        // A check may quote a piece of a secret value (a field, a host, a tenant: custom rules can put any
        // check on a secret key): whatever does is not shown, as the whole value is not. A live finding
        // quotes Microsoft's answer, already scrubbed of every form of the secret, which this would hide
        // whenever it shares four letters with the secret ("secret" in `Xq4SecretValue`).
        let parts: Vec<&str> = match entry {
            Some(entry) if secret && self.origin == Origin::Offline => secret_parts(entry, source)
                .into_iter()
                .map(|(p, _)| p)
                .collect(),
            _ => Vec::new(),
        };
        let hidden = |text: String| match entry {
            Some(_) if parts.iter().any(|part| quotes_piece_of(&text, part)) => {
                Phrase::SecretNotShown.text(lang).to_string()
            }
            _ => text,
        };
        // What checks quote comes from the file: no control character reaches an output.
        let vars_of_finding = finding
            .vars
            .iter()
            .map(|(n, v)| (*n, hidden(escape_unsafe(v, true).into_owned())));
        vars.extend(vars_of_finding);

        let texts = rule.texts(lang);
        let mut notes = Vec::new();
        if let (Some(entry), false, Origin::Offline) = (entry, secret, self.origin) {
            notes.extend(value_notes(entry, source, lang));
        }
        notes.extend(
            finding
                .notes
                .into_iter()
                .map(|n| hidden(escape_unsafe(&n, true).into_owned())),
        );

        let scrub = |text: String| self.secrets.redact(text);
        let secondary = finding
            .labels
            .into_iter()
            .map(|l| SecondaryLabel {
                location: self.display.location(&l.span),
                span: l.span,
                message: scrub(hidden(escape_unsafe(&l.message, true).into_owned())),
            })
            .collect();
        Diagnostic {
            code: rule.code.clone(),
            rule: rule.name.clone(),
            severity,
            key: key.map(|k| scrub(escape_unsafe(k, false).into_owned())),
            location: span.as_ref().map(|s| self.display.location(s)),
            span,
            label: finding
                .label
                .map(|l| scrub(hidden(escape_unsafe(&l, true).into_owned()))),
            secondary,
            message: scrub(fill(&texts.message, &vars)),
            help: Some(scrub(fill(&texts.fix, &vars))).filter(|h| !h.is_empty()),
            why: Some(scrub(fill(&texts.why, &vars))).filter(|w| !w.is_empty()),
            notes: notes.into_iter().map(scrub).collect(),
            step: rule.step.as_deref().and_then(|name| {
                self.rules.step(name).map(|s| StepRef {
                    name: s.name.clone(),
                    title: s.title(lang).to_string(),
                })
            }),
            fix: finding.edits,
            origin: self.origin,
        }
    }
}

/// What is surprising about how Java reads a (non-secret) value: that it differs from its text, and that a
/// `#` in it is no comment.
fn value_notes(entry: &Entry<'_>, source: &[u8], lang: Lang) -> Vec<String> {
    let mut notes = Vec::new();
    let raw = entry.raw_value(source);
    let value: &str = entry.value();
    let surprising =
        raw != value.as_bytes() || value != value.trim() || value.chars().any(char::is_control);
    let unreadable = entry
        .value_escapes()
        .iter()
        .any(|e| e.kind == EscapeKind::Malformed);
    if surprising && !value.is_empty() && !unreadable {
        notes.push(fill(
            Phrase::JavaReadsAs.text(lang),
            &[("value", quote_for_display(value))],
        ));
    }
    if inline_comment_at(value).is_some() {
        notes.push(Phrase::InlineComment.text(lang).to_string());
    }
    notes
}

/// Whether `text` quotes a piece (4 characters or more) of the secret `value`.
fn quotes_piece_of(text: &str, value: &str) -> bool {
    let chars: Vec<char> = value.chars().collect();
    chars
        .windows(4)
        .any(|piece| text.contains(piece.iter().collect::<String>().as_str()))
}

/// What a message says of a secret value instead of quoting it: what the stray `\\` glued to it, or its
/// length and shape.
fn describe_secret_entry(entry: &Entry<'_>, source: &[u8], lang: Lang) -> String {
    match glued_secret_line(entry, source) {
        Some((key, line)) => match lang {
            Lang::En => format!("a value that holds the `{key}` line (line {line} ends with `\\`)"),
            Lang::Fr => {
                format!(
                    "une valeur qui contient la ligne `{key}` (la ligne {line} se termine par `\\`)"
                )
            }
        },
        None => describe_secret(entry.value(), lang),
    }
}
