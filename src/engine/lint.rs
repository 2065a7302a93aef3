//! The lint engine: runs the selected rules on a file, builds their diagnostics, applies the suppression
//! comments.

use std::collections::HashSet;
use std::sync::Arc;

use super::suppress;
use crate::catalog::{Check, Resolved, RuleSet, Selection, Severity};
use crate::checks::{self, Context, Function, OnKey, Policy};
use crate::diagnostic::{Builder, Diagnostic, Finding, Origin};
use crate::i18n::{Lang, did_you_mean};
use crate::keys::{BOM_AS_LATIN1, KeyPattern, is_secret_key};
use crate::properties::{DisplayText, Document, Item, Settings};
use crate::secrets::{
    Redactor, SecretPlaces, comment_has_secret, holds_secret_material, secret_texts,
};
use crate::text::nearest;

/// Which keys the rules can look at: the others are read (as Java does) but not kept.
#[derive(Debug, Clone, Default)]
struct KeyFilter {
    exact: HashSet<String>,
    /// The `prefix*` patterns, which cover a miscapitalised prefix (`Mail.Server.Host` is reported as a
    /// misspelt mail key).
    prefixes: Vec<KeyPattern>,
}

impl KeyFilter {
    fn of(rules: &RuleSet) -> KeyFilter {
        let mut filter = KeyFilter::default();
        let known = rules.keys.iter().map(|k| KeyPattern::new(k.name.as_str()));
        for pattern in rules
            .rules
            .iter()
            .flat_map(|r| r.keys.iter().cloned())
            .chain(known)
        {
            match pattern.exact() {
                Some(key) => {
                    filter.exact.insert(key.to_string());
                }
                None => filter.prefixes.push(pattern),
            }
        }
        filter
            .prefixes
            .sort_by_key(|p| p.as_str().to_ascii_lowercase());
        filter
            .prefixes
            .dedup_by(|a, b| a.as_str().eq_ignore_ascii_case(b.as_str()));
        filter
    }

    fn keeps(&self, key: &str) -> bool {
        // A byte order mark glued to the first key: keep it, the BOM rule reports it.
        let key = key.strip_prefix(BOM_AS_LATIN1).unwrap_or(key);
        self.exact.contains(key)
            || self.prefixes.iter().any(|p| p.covers(key))
            || is_secret_key(key)
    }
}

/// Reads the file as Java does, keeping what the rules can see: their keys, secret keys, the first entry (a
/// byte order mark is glued to it), suppression comments and the entry each one applies to.
fn read_for_lint<'a>(source: &'a [u8], filter: &KeyFilter) -> Document<'a> {
    let first = std::cell::Cell::new(true);
    let after_suppression = std::cell::Cell::new(false);
    Document::parse_filtered(source, &|item| match item {
        // Entries continued onto another line are kept too: a stray `\` may have glued a key's line to
        // them (and its secret, which must then be hidden).
        Item::Entry(entry) => {
            first.replace(false)
                || after_suppression.replace(false)
                || filter.keeps(entry.key())
                || entry.is_continued()
                || holds_secret_material(entry)
        }
        // Suppression comments, and comments that hold a secret (an old one kept commented out), which
        // excerpts must mask.
        Item::Comment { span, .. } => {
            let text = &source[span.clone()];
            let is_suppression = memchr::memmem::find(text, b"racm-lint:").is_some();
            if is_suppression {
                after_suppression.set(true);
            }
            is_suppression || comment_has_secret(text)
        }
        Item::Blank { .. } => false,
    })
}

/// Everything a lint run needs besides the file: the rules, the language, the organisation's policy, and
/// which rules run at which severity (resolved once, when the linter is made).
#[derive(Debug, Clone)]
pub struct Linter {
    /// Shared: every linter of a run uses the same rules unless a configuration adds its own.
    pub rules: Arc<RuleSet>,
    pub lang: Lang,
    policy: Policy,
    selection: Selection,
    resolved: Resolved,
    key_filter: std::sync::OnceLock<KeyFilter>,
}

impl Linter {
    /// Every rule at its own severity, no policy.
    pub fn new(rules: impl Into<Arc<RuleSet>>, lang: Lang) -> Linter {
        let rules = rules.into();
        let selection = Selection::default();
        Linter {
            resolved: selection.resolve(&rules),
            rules,
            lang,
            policy: Policy::default(),
            selection,
            key_filter: std::sync::OnceLock::new(),
        }
    }

    /// The same linter with the organisation's policy.
    pub fn with_policy(mut self, policy: Policy) -> Linter {
        self.policy = policy;
        self
    }

    /// The same linter running the rules `selection` selects, at the severities it gives.
    pub fn with_selection(mut self, selection: Selection) -> Linter {
        self.resolved = selection.resolve(&self.rules);
        self.selection = selection;
        self
    }

    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    pub fn selection(&self) -> &Selection {
        &self.selection
    }

    /// The severity each rule runs at.
    pub fn resolved(&self) -> &Resolved {
        &self.resolved
    }

    /// Lints a file's bytes; diagnostics come sorted by place.
    pub fn lint(&self, source: &[u8]) -> Vec<Diagnostic> {
        self.lint_with_secrets(source).0
    }

    /// As [`Linter::lint`], also saying where the file's secrets are (for renderers that show source lines,
    /// which then need not read the file again).
    pub fn lint_with_secrets(&self, source: &[u8]) -> (Vec<Diagnostic>, SecretPlaces) {
        self.on_file(source, |doc, settings, builder, secrets| {
            let ctx = Context {
                doc,
                settings,
                rules: &self.rules,
                lang: self.lang,
                policy: &self.policy,
            };
            let diagnostics = self.run_rules(&ctx, builder);
            let mut suppressions = suppress::parse(doc, &self.rules);
            let mut diagnostics = suppress::apply(diagnostics, &mut suppressions);
            diagnostics.extend(self.suppression_findings(&suppressions, builder, Origin::Offline));
            sort_by_place(&mut diagnostics);
            (diagnostics, SecretPlaces::with_texts(doc, secrets.texts()))
        })
    }

    /// The live findings of a file (`crate::online`, each at its rule's own severity) as the offline ones
    /// are reported: only the rules the selection runs, at the severities it gives, less those the file's
    /// suppression comments silence. A suppression naming a live rule is reported unused here, when the live
    /// checks ran, never by [`Linter::lint`], where that rule cannot fire.
    pub fn accept_live(&self, source: &[u8], live: Vec<Diagnostic>) -> Vec<Diagnostic> {
        let live: Vec<Diagnostic> = live
            .into_iter()
            .filter_map(|mut d| {
                d.severity = self.resolved.severity_of_rule(&self.rules, &d.code)?;
                Some(d)
            })
            .collect();
        self.on_file(source, |doc, _, builder, _| {
            let mut suppressions = suppress::parse(doc, &self.rules);
            let mut live = suppress::apply(live, &mut suppressions);
            live.extend(self.suppression_findings(&suppressions, builder, Origin::Online));
            live
        })
    }

    /// Reads `source` keeping what the rules can see, and gives `run` the document, its settings, the
    /// builder of its diagnostics and its secrets.
    fn on_file<R>(
        &self,
        source: &[u8],
        run: impl FnOnce(&Document<'_>, &Settings<'_, '_>, &Builder<'_, '_>, &Redactor) -> R,
    ) -> R {
        let filter = self.key_filter.get_or_init(|| KeyFilter::of(&self.rules));
        let doc = read_for_lint(source, filter);
        let settings = Settings::new(&doc);
        let display = DisplayText::new(source);
        let secrets = Redactor::new(secret_texts(&doc, &settings));
        let builder = Builder {
            rules: &self.rules,
            lang: self.lang,
            source,
            display: &display,
            secrets: &secrets,
            origin: Origin::Offline,
        };
        run(&doc, &settings, &builder, &secrets)
    }

    /// Runs every selected rule: file-wide checks once, key checks on the winning entry of each key they
    /// name; then drops the findings of rules that defer to an error on the same key.
    fn run_rules(&self, ctx: &Context<'_, '_, '_>, builder: &Builder<'_, '_>) -> Vec<Diagnostic> {
        let settings = ctx.settings;
        let mut out: Vec<(usize, Diagnostic)> = Vec::new();
        let mut fired_groups: HashSet<(String, &str)> = HashSet::new();
        for (index, rule) in self.rules.rules.iter().enumerate() {
            let Some(severity) = self.resolved.severity(index) else {
                continue;
            };
            match checks::function(&rule.check) {
                Function::File(check) => {
                    for finding in check.run(ctx, &rule.keys) {
                        let key = finding.key.clone();
                        let entry = key.as_deref().and_then(|k| settings.get(k));
                        out.push((
                            index,
                            builder.build(rule, severity, finding, key.as_deref(), entry),
                        ));
                    }
                }
                Function::Key(check) => {
                    let patterns = self.rules.patterns(index);
                    for (key, entry) in settings.iter() {
                        if !rule.applies_to(key) {
                            continue;
                        }
                        if let Some(group) = rule.group.as_deref()
                            && fired_groups.contains(&(key.to_string(), group))
                        {
                            continue;
                        }
                        let on = OnKey {
                            ctx,
                            key,
                            entry,
                            patterns,
                        };
                        let findings = check.run(&on);
                        if !findings.is_empty()
                            && let Some(group) = rule.group.as_deref()
                        {
                            fired_groups.insert((key.to_string(), group));
                        }
                        for finding in findings {
                            out.push((
                                index,
                                builder.build(rule, severity, finding, Some(key), Some(entry)),
                            ));
                        }
                    }
                }
                Function::Elsewhere => {}
            }
        }

        // Rules that defer to errors: drop them where an error is already reported on the same key.
        let errors_on: HashSet<String> = out
            .iter()
            .filter(|(_, d)| d.severity == Severity::Error)
            .filter_map(|(_, d)| d.key.clone())
            .collect();
        out.into_iter()
            .filter(|(index, d)| {
                !(self.rules.rules[*index].unless_error_on_key
                    && d.key.as_ref().is_some_and(|k| errors_on.contains(k)))
            })
            .map(|(_, d)| d)
            .collect()
    }

    /// Warnings for suppression selectors that silenced nothing or name no rule. `of`: the findings just
    /// filtered, offline (then selectors naming a live rule are not judged: it could not fire) or live (then
    /// only those are).
    fn suppression_findings(
        &self,
        suppressions: &[suppress::Suppression],
        builder: &Builder<'_, '_>,
        of: Origin,
    ) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for selector in suppressions
            .iter()
            .flat_map(|s| &s.selectors)
            .filter(|s| !s.used)
        {
            let names_live_rule = selector
                .code
                .as_deref()
                .and_then(|code| self.rules.find(code))
                .is_some_and(|rule| matches!(rule.check, Check::Online));
            if names_live_rule != (of == Origin::Online) {
                continue;
            }
            let (rule_name, vars) = match &selector.code {
                Some(code) => {
                    // A rule turned off by configuration cannot fire: silencing it is not a mistake.
                    if self.resolved.severity_of_rule(&self.rules, code).is_none() {
                        continue;
                    }
                    (
                        "unused-suppression",
                        vec![("rule", format!("`{}`", selector.name))],
                    )
                }
                None => {
                    let names = self.rules.rules.iter().map(|r| r.name.as_str());
                    let suggestion = nearest(&selector.name, names, 4);
                    (
                        "unknown-rule-in-suppression",
                        vec![
                            ("rule", format!("`{}`", selector.name)),
                            ("did_you_mean", did_you_mean(self.lang, suggestion)),
                        ],
                    )
                }
            };
            let Some(index) = self.rules.index_of(rule_name) else {
                continue;
            };
            let Some(severity) = self.resolved.severity(index) else {
                continue;
            };
            let finding = Finding {
                span: Some(selector.span.clone()),
                vars,
                ..Finding::default()
            };
            out.push(builder.build(&self.rules.rules[index], severity, finding, None, None));
        }
        out
    }
}

/// Sorts diagnostics by place (those without one last), then the most severe first, then by code.
fn sort_by_place(diagnostics: &mut [Diagnostic]) {
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
}
