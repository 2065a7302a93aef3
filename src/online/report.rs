//! What the live checks found, turned into diagnostics by the one builder (`diagnostic::build`), with the
//! texts of `rules/online.toml`, placed on the key that caused it, secrets and the token scrubbed.

use crate::catalog::RuleSet;
use crate::diagnostic::{Builder, Diagnostic, Finding, Origin};
use crate::i18n::{Lang, fill};
use crate::properties::{DisplayText, Document, Settings};
use crate::secrets::secret_texts;

use super::scrub::Scrub;

/// One result of a live check: which rule, which key it is about, and the values for the rule's texts.
#[derive(Debug, Clone)]
pub struct Found {
    pub rule: &'static str,
    pub key: Option<&'static str>,
    pub vars: Vec<(&'static str, String)>,
    /// A short text under the value (a code such as `AADSTS7000215` or `535 5.7.3`).
    pub label: Option<String>,
    /// Notes already in the output language (Microsoft's own words, trace IDs...).
    pub notes: Vec<String>,
}

impl Found {
    pub fn new(rule: &'static str, key: Option<&'static str>) -> Found {
        Found {
            rule,
            key,
            vars: Vec::new(),
            label: None,
            notes: Vec::new(),
        }
    }

    pub fn var(mut self, name: &'static str, value: impl Into<String>) -> Found {
        self.vars.push((name, value.into()));
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Found {
        self.label = Some(label.into());
        self
    }

    pub fn note(mut self, note: String) -> Found {
        self.notes.push(note);
        self
    }
}

/// Phrases of the live checks that are not one rule's (the rule texts carry the rest).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phrase {
    /// "Microsoft's answer: {text}"
    MicrosoftSays,
    /// "trace ID {trace_id}, correlation ID {correlation_id}..."
    TraceIds,
    /// "reason sent with the 334 challenge: {reason}"
    ChallengeReason,
    /// Label of a token URL that was not contacted.
    NotContacted,
    /// An empty list.
    None,
}

impl Phrase {
    pub fn text(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Phrase::MicrosoftSays, Lang::En) => "Microsoft's answer: {text}",
            (Phrase::MicrosoftSays, Lang::Fr) => "réponse de Microsoft : {text}",
            (Phrase::TraceIds, Lang::En) => {
                "trace ID {trace_id}, correlation ID {correlation_id}, at {timestamp} (give these to Microsoft support)"
            }
            (Phrase::TraceIds, Lang::Fr) => {
                "ID de suivi {trace_id}, ID de corrélation {correlation_id}, à {timestamp} (à donner au support Microsoft)"
            }
            (Phrase::ChallengeReason, Lang::En) => {
                "reason sent with the `334` challenge, decoded from base64: {reason}"
            }
            (Phrase::ChallengeReason, Lang::Fr) => {
                "raison envoyée avec le défi `334`, décodée du base64 : {reason}"
            }
            (Phrase::NotContacted, Lang::En) => "not contacted",
            (Phrase::NotContacted, Lang::Fr) => "non contactée",
            (Phrase::None, Lang::En) => "none",
            (Phrase::None, Lang::Fr) => "aucun",
        }
    }

    pub fn fill(self, lang: Lang, vars: &[(&str, String)]) -> String {
        fill(self.text(lang), vars)
    }
}

/// Collects the results of one file's live checks and builds their diagnostics.
pub struct Report<'x, 'd, 'a> {
    rules: &'x RuleSet,
    settings: &'x Settings<'d, 'a>,
    source: &'a [u8],
    display: &'x DisplayText<'a>,
    pub lang: Lang,
    /// Texts never to show: the file's secrets and the access token, as is and form-urlencoded.
    secrets: Scrub,
    found: Vec<Found>,
}

impl<'x, 'd, 'a> Report<'x, 'd, 'a> {
    pub fn new(
        rules: &'x RuleSet,
        doc: &'d Document<'a>,
        settings: &'x Settings<'d, 'a>,
        display: &'x DisplayText<'a>,
        lang: Lang,
    ) -> Self {
        Report {
            rules,
            settings,
            source: doc.source,
            display,
            lang,
            secrets: Scrub::new(secret_texts(doc, settings).iter().map(String::as_str)),
            found: Vec::new(),
        }
    }

    /// Adds a text to scrub from every output (the access token).
    pub fn add_secret(&mut self, text: &str) {
        self.secrets.add(text);
    }

    pub fn push(&mut self, found: Found) {
        self.found.push(found);
    }

    /// The diagnostics, in the order the checks found them, each at its rule's own severity (the run's
    /// selection is applied by [`super::select`]).
    pub fn finish(self) -> Vec<Diagnostic> {
        let builder = Builder {
            rules: self.rules,
            lang: self.lang,
            source: self.source,
            display: self.display,
            secrets: &self.secrets,
            origin: Origin::Online,
        };
        self.found
            .into_iter()
            .filter_map(|found| {
                let Some(rule) = self.rules.find(found.rule) else {
                    debug_assert!(false, "no rule named `{}`", found.rule);
                    return None;
                };
                let entry = found.key.and_then(|k| self.settings.get(k));
                let finding = Finding {
                    key: found.key.map(str::to_string),
                    vars: found.vars,
                    label: found.label,
                    notes: found.notes,
                    ..Finding::default()
                };
                Some(builder.build(rule, rule.severity, finding, found.key, entry))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use crate::catalog::Check;
    use crate::catalog::RuleSet;

    /// The placeholders the online module fills (`key` and `value` come from the key the finding is about).
    const FILLED: [&str; 28] = [
        "key",
        "value",
        "keys",
        "detail",
        "host",
        "hosts",
        "seconds",
        "status",
        "location",
        "limit",
        "content_type",
        "excerpt",
        "code",
        "description",
        "app_id",
        "oid",
        "roles",
        "user",
        "aud",
        "tid",
        "tenant",
        "scp",
        "port",
        "during",
        "offered",
        "reply",
        "sender",
        "recipient",
    ];

    fn placeholders(text: &str) -> BTreeSet<&str> {
        text.split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
            .filter(|name| {
                !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_')
            })
            .collect()
    }

    #[test]
    fn both_languages_use_the_same_known_placeholders() {
        let rules = RuleSet::builtin().unwrap();
        for rule in rules
            .rules
            .iter()
            .filter(|r| matches!(r.check, Check::Online))
        {
            for (en, fr) in [
                (
                    &rule.texts(crate::i18n::Lang::En).message,
                    &rule.texts(crate::i18n::Lang::Fr).message,
                ),
                (
                    &rule.texts(crate::i18n::Lang::En).why,
                    &rule.texts(crate::i18n::Lang::Fr).why,
                ),
                (
                    &rule.texts(crate::i18n::Lang::En).fix,
                    &rule.texts(crate::i18n::Lang::Fr).fix,
                ),
            ] {
                assert_eq!(placeholders(en), placeholders(fr), "{}", rule.name);
                for name in placeholders(en) {
                    assert!(
                        FILLED.contains(&name),
                        "{}: unknown placeholder {{{name}}}",
                        rule.name
                    );
                }
            }
        }
    }
}
