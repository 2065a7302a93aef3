//! The lint engine: runs the rules on a file and turns their findings into diagnostics.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::checks::{self, Check, Context, Finding, Policy};
use crate::diagnostic::{Diagnostic, Origin, SecondaryLabel, StepRef};
use crate::i18n::{Lang, Phrase, fill};
use crate::reader::{Document, Entry, Item, Span};
use crate::rules::{Rule, RuleSet, Severity};
use crate::secrets::{Redactor, is_secret_key};
pub use crate::secrets::{redact, secret_texts};
use crate::settings::Settings;
use crate::show::quote_for_display;
use crate::source::DisplayText;

/// Which rules run, and at which severity.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Only these rules (codes, code prefixes or names); empty means all.
    pub select: Vec<String>,
    /// Never these rules.
    pub ignore: Vec<String>,
    /// Severity per rule code or name; `None` turns the rule off.
    pub severity: HashMap<String, Option<Severity>>,
}

impl Selection {
    /// The severity `rule` runs at, or `None` when it does not run.
    pub fn severity_of(&self, rule: &Rule) -> Option<Severity> {
        if !self.select.is_empty() && !self.select.iter().any(|s| rule.is_selected_by(s)) {
            return None;
        }
        if self.ignore.iter().any(|s| rule.is_selected_by(s)) {
            return None;
        }
        match self
            .severity
            .iter()
            .find(|(name, _)| name.as_str() == rule.name || name.eq_ignore_ascii_case(&rule.code))
        {
            Some((_, level)) => *level,
            None => Some(rule.severity),
        }
    }
}

/// Which keys the rules can look at: the others are read (as Java does) but not kept.
#[derive(Debug, Clone, Default)]
struct KeyFilter {
    exact: HashSet<String>,
    /// Lower-case prefixes of `prefix.*` patterns, compared case-insensitively (`Mail.Server.Host` is
    /// reported as a misspelt mail key).
    prefixes: Vec<String>,
}

impl KeyFilter {
    fn of(rules: &RuleSet) -> KeyFilter {
        let mut filter = KeyFilter::default();
        for pattern in rules
            .rules
            .iter()
            .flat_map(|r| &r.keys)
            .chain(rules.keys.iter().map(|k| &k.name))
        {
            match pattern.strip_suffix('*') {
                Some(prefix) => filter.prefixes.push(prefix.to_ascii_lowercase()),
                None => {
                    filter.exact.insert(pattern.clone());
                }
            }
        }
        filter.prefixes.sort();
        filter.prefixes.dedup();
        filter
    }

    fn keeps(&self, key: &str) -> bool {
        // A byte order mark glued to the first key: keep it, the BOM rule reports it.
        let key = key.strip_prefix(checks::BOM_AS_LATIN1).unwrap_or(key);
        self.exact.contains(key)
            || self.prefixes.iter().any(|p| {
                key.len() >= p.len() && key.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes())
            })
            || is_secret_key(key)
    }
}

/// Reads the file as Java does, keeping what the rules can see: their keys, secret keys, the first entry (a
/// byte order mark is glued to it), suppression comments and the entry each one applies to.
fn read_for_lint<'a>(source: &'a [u8], filter: &KeyFilter) -> Document<'a> {
    let first = std::cell::Cell::new(true);
    let after_suppression = std::cell::Cell::new(false);
    Document::parse_filtered(source, &|item| match item {
        Item::Entry(entry) => {
            first.replace(false) || after_suppression.replace(false) || filter.keeps(entry.key())
        }
        Item::Comment { span, .. } => {
            let is_suppression =
                memchr::memmem::find(&source[span.clone()], b"racm-lint:").is_some();
            if is_suppression {
                after_suppression.set(true);
            }
            is_suppression
        }
        Item::Blank { .. } => false,
    })
}

/// Everything a lint run needs besides the file.
#[derive(Debug, Clone)]
pub struct Linter {
    /// Shared: every linter of a run uses the same rules unless a configuration adds its own.
    pub rules: Arc<RuleSet>,
    pub lang: Lang,
    pub policy: Policy,
    pub selection: Selection,
    key_filter: std::sync::OnceLock<KeyFilter>,
}

impl Linter {
    pub fn new(rules: impl Into<Arc<RuleSet>>, lang: Lang) -> Linter {
        Linter {
            rules: rules.into(),
            lang,
            policy: Policy::default(),
            selection: Selection::default(),
            key_filter: std::sync::OnceLock::new(),
        }
    }

    /// Lints a file's bytes; diagnostics come sorted by place.
    pub fn lint(&self, source: &[u8]) -> Vec<Diagnostic> {
        self.lint_with_secrets(source).0
    }

    /// As [`Linter::lint`], also saying where the file's secrets are (for renderers that show source lines,
    /// which then need not read the file again).
    pub fn lint_with_secrets(
        &self,
        source: &[u8],
    ) -> (Vec<Diagnostic>, crate::secrets::SecretPlaces) {
        let filter = self.key_filter.get_or_init(|| KeyFilter::of(&self.rules));
        let doc = read_for_lint(source, filter);
        let settings = Settings::new(&doc);
        let display = DisplayText::new(source);
        let ctx = Context {
            doc: &doc,
            settings: &settings,
            rules: &self.rules,
            lang: self.lang,
            policy: &self.policy,
        };
        let secrets = Redactor::new(secret_texts(&doc, &settings));

        let mut out: Vec<(usize, Diagnostic)> = Vec::new();
        let mut fired_groups: HashSet<(String, &str)> = HashSet::new();
        for (index, rule) in self.rules.rules.iter().enumerate() {
            let Some(severity) = self.selection.severity_of(rule) else {
                continue;
            };
            let build = |finding: Finding, key: Option<&str>, entry: Option<&Entry<'_>>| {
                self.diagnostic(
                    rule, severity, finding, key, entry, &ctx, &display, &secrets,
                )
            };
            if rule.check.is_file_wide() {
                for finding in checks::check_file(&rule.check, &ctx, &rule.keys) {
                    let key = finding.key.clone();
                    let entry = key.as_deref().and_then(|k| settings.get(k));
                    out.push((index, build(finding, key.as_deref(), entry)));
                }
                continue;
            }
            for (key, entry) in settings.iter() {
                if !rule.applies_to(key) {
                    continue;
                }
                if let Some(group) = rule.group.as_deref()
                    && fired_groups.contains(&(key.to_string(), group))
                {
                    continue;
                }
                let findings = match &rule.check {
                    Check::Matches { .. } => self
                        .rules
                        .patterns(index)
                        .first()
                        .map(|p| checks::check_pattern(p, entry.value()))
                        .unwrap_or_default(),
                    Check::NoShape { .. } => {
                        checks::check_shapes(self.rules.patterns(index), entry.value())
                    }
                    check => checks::check_key(check, &ctx, key, entry),
                };
                if !findings.is_empty()
                    && let Some(group) = rule.group.as_deref()
                {
                    fired_groups.insert((key.to_string(), group));
                }
                for finding in findings {
                    out.push((index, build(finding, Some(key), Some(entry))));
                }
            }
        }

        // Rules that defer to errors: drop them where an error is already reported on the same key.
        let errors_on: HashSet<String> = out
            .iter()
            .filter(|(_, d)| d.severity == Severity::Error)
            .filter_map(|(_, d)| d.key.clone())
            .collect();
        let diagnostics: Vec<Diagnostic> = out
            .into_iter()
            .filter(|(index, d)| {
                !(self.rules.rules[*index].unless_error_on_key
                    && d.key.as_ref().is_some_and(|k| errors_on.contains(k)))
            })
            .map(|(_, d)| d)
            .collect();
        let mut suppressions = crate::suppress::parse(&doc, &self.rules);
        let mut diagnostics = crate::suppress::apply(diagnostics, &mut suppressions);
        diagnostics.extend(self.suppression_findings(&suppressions, &ctx, &display, &secrets));
        diagnostics.sort_by(|a, b| {
            let place = |d: &Diagnostic| {
                d.location
                    .map_or((u32::MAX, u32::MAX), |l| (l.line, l.column))
            };
            place(a)
                .cmp(&place(b))
                .then(b.severity.cmp(&a.severity))
                .then(a.code.cmp(&b.code))
        });
        (
            diagnostics,
            crate::secrets::SecretPlaces::with_texts(&doc, secrets.texts()),
        )
    }

    /// Warnings for suppression selectors that silenced nothing or name no rule.
    fn suppression_findings(
        &self,
        suppressions: &[crate::suppress::Suppression],
        ctx: &Context<'_, '_, '_>,
        display: &DisplayText,
        secrets: &Redactor,
    ) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for selector in suppressions
            .iter()
            .flat_map(|s| &s.selectors)
            .filter(|s| !s.used)
        {
            let (rule_name, vars) = match &selector.code {
                Some(code) => {
                    // A rule turned off by configuration cannot fire: silencing it is not a mistake.
                    let enabled = self
                        .rules
                        .find(code)
                        .is_some_and(|r| self.selection.severity_of(r).is_some());
                    if !enabled {
                        continue;
                    }
                    (
                        "unused-suppression",
                        vec![("rule", format!("`{}`", selector.name))],
                    )
                }
                None => {
                    let names = self.rules.rules.iter().map(|r| r.name.as_str());
                    let suggestion = checks::cloud::nearest(&selector.name, names, 4);
                    (
                        "unknown-rule-in-suppression",
                        vec![
                            ("rule", format!("`{}`", selector.name)),
                            (
                                "did_you_mean",
                                checks::cloud::did_you_mean(self.lang, suggestion),
                            ),
                        ],
                    )
                }
            };
            let Some(rule) = self.rules.find(rule_name) else {
                continue;
            };
            let Some(severity) = self.selection.severity_of(rule) else {
                continue;
            };
            let finding = Finding {
                span: Some(selector.span.clone()),
                vars,
                ..Finding::default()
            };
            out.push(self.diagnostic(rule, severity, finding, None, None, ctx, display, secrets));
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn diagnostic(
        &self,
        rule: &Rule,
        severity: Severity,
        finding: Finding,
        key: Option<&str>,
        entry: Option<&Entry<'_>>,
        ctx: &Context<'_, '_, '_>,
        display: &DisplayText,
        secrets: &Redactor,
    ) -> Diagnostic {
        let lang = self.lang;
        let source = ctx.doc.source;
        let secret = key.is_some_and(is_secret_key);
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
            vars.push(("key", format!("`{key}`")));
        }
        if let Some(entry) = entry {
            let value = if secret {
                crate::checks::values::describe_secret(entry.value(), lang)
            } else {
                code(entry.value())
            };
            vars.push(("value", value));
        }
        // A check may quote a piece of a secret value (a field, a host, a tenant: custom rules can put any
        // check on a secret key): whatever does is not shown, as the whole value is not.
        let hidden = |text: String| match entry {
            Some(entry) if secret && quotes_piece_of(&text, entry.value()) => {
                Phrase::SecretNotShown.text(lang).to_string()
            }
            _ => text,
        };
        vars.extend(finding.vars.iter().map(|(n, v)| (*n, hidden(v.clone()))));

        let texts = rule.texts(lang);
        let mut notes = Vec::new();
        if let (Some(entry), false) = (entry, secret) {
            let raw = entry.raw_value(source);
            let value: &str = entry.value();
            let surprising = raw != value.as_bytes()
                || value != value.trim()
                || value.chars().any(char::is_control);
            let unreadable = entry
                .value_escapes()
                .iter()
                .any(|e| e.kind == crate::reader::EscapeKind::Malformed);
            if surprising && !value.is_empty() && !unreadable {
                notes.push(fill(
                    Phrase::JavaReadsAs.text(lang),
                    &[("value", quote_for_display(value))],
                ));
            }
            if checks::values::inline_comment_at(value).is_some() {
                notes.push(Phrase::InlineComment.text(lang).to_string());
            }
        }
        notes.extend(finding.notes.into_iter().map(hidden));

        let scrub = |text: String| secrets.redact(text);
        let secondary = finding
            .labels
            .into_iter()
            .map(|l| SecondaryLabel {
                location: display.location(&l.span),
                span: l.span,
                message: scrub(hidden(l.message)),
            })
            .collect();
        Diagnostic {
            code: rule.code.clone(),
            rule: rule.name.clone(),
            severity,
            key: key.map(str::to_string),
            location: span.as_ref().map(|s| display.location(s)),
            span,
            label: finding.label.map(|l| scrub(hidden(l))),
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
            origin: Origin::Offline,
        }
    }
}

/// Whether `text` quotes a piece (4 characters or more) of the secret `value`.
fn quotes_piece_of(text: &str, value: &str) -> bool {
    let chars: Vec<char> = value.chars().collect();
    chars
        .windows(4)
        .any(|piece| text.contains(piece.iter().collect::<String>().as_str()))
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
