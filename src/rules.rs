//! The rule set as data: rules, setup steps, clouds and known keys, loaded from `rules/*.toml`.
//!
//! The built-in files are embedded at build time. Every table is `deny_unknown_fields`, and the set is checked
//! as a whole after loading (unique codes and names, known steps, valid patterns), so a broken rule file is
//! a clear error pointing into it.

use std::collections::HashSet;
use std::sync::OnceLock;

use miette::{Diagnostic as MietteDiagnostic, NamedSource, SourceSpan};
// regex-lite: rule patterns are compiled on every run, and it compiles them many times faster than `regex`.
use regex_lite::Regex;
use serde::Deserialize;

use crate::checks::Check;
use crate::i18n::Lang;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_rules.rs"));
}

/// How serious a finding is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// A rule's texts in one language.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Texts {
    /// One line saying what is wrong; may use `{key}`, `{value}` and the check's own placeholders.
    pub message: String,
    /// Why it matters: what the server or Microsoft does with such a value.
    pub why: String,
    /// How to fix it.
    pub fix: String,
    /// A correct line (or block) to copy.
    pub example: String,
}

/// One rule: what it checks, with which function, how serious, which setup step fixes it, and its texts.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Rule {
    /// Stable code, e.g. `RL101`.
    pub code: String,
    /// Stable kebab-case name, e.g. `auth-protocol-not-oauth2`.
    pub name: String,
    /// The keys it applies to; a trailing `*` matches a prefix (`mail.*`). Empty for file-wide rules.
    #[serde(default)]
    pub keys: Vec<String>,
    /// Rules sharing a group on the same key are alternatives: only the first one (in file order) that fires
    /// is reported.
    #[serde(default)]
    pub group: Option<String>,
    /// Reported only when no error was found on the same key (e.g. trailing whitespace, when the typed check
    /// already says the value is wrong).
    #[serde(default)]
    pub unless_error_on_key: bool,
    pub check: Check,
    pub severity: Severity,
    /// The setup step that fixes it (a name from `steps.toml`).
    #[serde(default)]
    pub step: Option<String>,
    /// The texts, in English and French (required in rule files; see [`Rule::texts`]).
    #[serde(default)]
    en: Texts,
    #[serde(default)]
    fr: Texts,
    /// For a built-in rule: its texts as JSON, parsed on first use (a run reports few rules).
    #[serde(skip)]
    lazy_texts: Option<&'static str>,
    #[serde(skip)]
    parsed_texts: OnceLock<Box<LangTexts>>,
}

/// A rule's texts in both languages, as the build script stores them apart.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct LangTexts {
    en: Texts,
    fr: Texts,
}

impl Rule {
    pub fn texts(&self, lang: Lang) -> &Texts {
        match self.lazy_texts {
            Some(json) => {
                // The build script wrote this JSON from a file the test suite loads: it parses.
                let both = self
                    .parsed_texts
                    .get_or_init(|| Box::new(serde_json::from_str(json).unwrap_or_default()));
                lang.pick(&both.en, &both.fr)
            }
            None => lang.pick(&self.en, &self.fr),
        }
    }

    /// Whether the rule applies to `key`.
    pub fn applies_to(&self, key: &str) -> bool {
        self.keys
            .iter()
            .any(|pattern| match pattern.strip_suffix('*') {
                Some(prefix) => key.starts_with(prefix),
                None => key == pattern,
            })
    }

    /// Whether `selector` (a code, a name, or a code prefix such as `RL1`) designates this rule.
    pub fn is_selected_by(&self, selector: &str) -> bool {
        selector == self.name || (!selector.is_empty() && self.code.starts_with(selector))
    }
}

/// A step of the vendor's setup guide, cited by diagnostics.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub name: String,
    pub en: String,
    pub fr: String,
}

impl Step {
    pub fn title(&self, lang: Lang) -> &str {
        lang.pick(&self.en, &self.fr)
    }
}

/// A Microsoft cloud: the hosts and resource that belong together.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Cloud {
    pub name: String,
    pub en: String,
    pub fr: String,
    pub token_hosts: Vec<String>,
    pub scope_resources: Vec<String>,
    /// Empty when Microsoft documents no SMTP host for this cloud.
    #[serde(default)]
    pub smtp_hosts: Vec<String>,
}

impl Cloud {
    pub fn title(&self, lang: Lang) -> &str {
        lang.pick(&self.en, &self.fr)
    }
}

/// A `mail.*` key RAC/M Identity knows.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct KnownKey {
    pub name: String,
    /// Whether the server needs it for Microsoft 365 OAuth2 mail.
    #[serde(default)]
    pub required: bool,
    /// The line to add when it is missing (placeholders in brackets).
    pub template: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    #[serde(default)]
    rule: Vec<Rule>,
    #[serde(default)]
    step: Vec<Step>,
    #[serde(default)]
    cloud: Vec<Cloud>,
    #[serde(default)]
    key: Vec<KnownKey>,
}

/// A rule file that cannot be used, with where the problem is.
#[derive(Debug, thiserror::Error, MietteDiagnostic)]
#[error("invalid rule file {name}: {message}")]
#[diagnostic(code(racm_lint::rules))]
pub struct RuleFileError {
    pub name: String,
    pub message: String,
    #[source_code]
    pub source_code: NamedSource<String>,
    #[label("here")]
    pub span: Option<SourceSpan>,
}

/// All rules, steps, clouds and known keys, checked for consistency.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    pub steps: Vec<Step>,
    pub clouds: Vec<Cloud>,
    pub keys: Vec<KnownKey>,
    /// Compiled patterns, by rule index, for checks that use them: compiled on first use for the built-in
    /// rules (the test suite compiles them all), at load time for other rule files (to report errors).
    patterns: Vec<OnceLock<Vec<Regex>>>,
}

impl RuleSet {
    /// The built-in rule set. The embedded files are checked by the test suite, so this cannot fail in a
    /// released binary; if it somehow does, the error says which file.
    pub fn builtin() -> Result<RuleSet, Box<RuleFileError>> {
        // The tables rules refer to come first.
        const TABLES: [&str; 3] = ["steps.toml", "clouds.toml", "keys.toml"];
        let mut set = RuleSet::default();
        let (tables, rules): (Vec<_>, Vec<_>) = embedded::EMBEDDED
            .iter()
            .partition(|(name, _, _, _)| TABLES.contains(name));
        for (name, toml_text, json, texts) in tables.into_iter().chain(rules) {
            match serde_json::from_str::<RuleFile>(json) {
                Ok(mut file) => {
                    for (rule, texts) in file.rule.iter_mut().zip(texts.iter()) {
                        rule.lazy_texts = Some(texts);
                    }
                    set.absorb(file, name, toml_text, false)?
                }
                // Parse the TOML again for an error that points into it.
                Err(_) => set.add_file(name, toml_text)?,
            }
        }
        Ok(set)
    }

    /// Adds the rules (and steps, clouds, keys) of one TOML file. A rule may name a step defined in a file
    /// loaded before it or in the built-in set.
    pub fn add_file(&mut self, name: &str, text: &str) -> Result<(), Box<RuleFileError>> {
        let file: RuleFile = toml::from_str(text)
            .map_err(|e| file_error(name, text, e.message().to_string(), e.span()))?;
        self.absorb(file, name, text, true)
    }

    /// Checks a parsed rule file against the set and adds it. `text` is its TOML, for pointing at errors.
    fn absorb(
        &mut self,
        file: RuleFile,
        name: &str,
        text: &str,
        compile_now: bool,
    ) -> Result<(), Box<RuleFileError>> {
        let error = |message: String, span: Option<std::ops::Range<usize>>| {
            file_error(name, text, message, span)
        };
        // Where a rule's table starts in the file, for pointing at it.
        let locate = |needle: &str| {
            text.find(&format!("\"{needle}\""))
                .map(|at| at..at + needle.len() + 2)
        };
        for rule in &file.rule {
            if rule.lazy_texts.is_none() {
                for (lang, texts) in [("en", &rule.en), ("fr", &rule.fr)] {
                    if texts.message.is_empty() {
                        return Err(error(
                            format!(
                                "rule `{}` has no `{lang}` texts (message, why, fix, example)",
                                rule.name
                            ),
                            locate(&rule.name),
                        ));
                    }
                }
            }
            if !is_kebab_case(&rule.name) {
                return Err(error(
                    format!("rule name `{}` is not kebab-case", rule.name),
                    locate(&rule.name),
                ));
            }
            if self
                .rules
                .iter()
                .any(|r| r.code == rule.code || r.name == rule.name)
            {
                return Err(error(
                    format!("rule `{}` ({}) is defined twice", rule.name, rule.code),
                    locate(&rule.code),
                ));
            }
        }
        let mut patterns = Vec::with_capacity(file.rule.len());
        for rule in &file.rule {
            let cell = OnceLock::new();
            if compile_now {
                let compiled = compile(&rule.check).map_err(|e| {
                    error(
                        format!("rule `{}`: bad pattern: {e}", rule.name),
                        locate(&rule.name),
                    )
                })?;
                let _ = cell.set(compiled);
            }
            patterns.push(cell);
        }
        self.steps.extend(file.step);
        self.clouds.extend(file.cloud);
        self.keys.extend(file.key);
        let steps: HashSet<&str> = self.steps.iter().map(|s| s.name.as_str()).collect();
        for rule in &file.rule {
            if let Some(step) = &rule.step
                && !steps.contains(step.as_str())
            {
                return Err(error(
                    format!("rule `{}` names an unknown setup step `{step}`", rule.name),
                    locate(step),
                ));
            }
        }
        self.rules.extend(file.rule);
        self.patterns.extend(patterns);
        Ok(())
    }

    /// Compiles every pattern now, saying which rule has a bad one (the test suite runs this on the
    /// built-in set, whose patterns are otherwise compiled on first use).
    pub fn compile_all_patterns(&self) -> Result<(), String> {
        for (rule, cell) in self.rules.iter().zip(&self.patterns) {
            if cell.get().is_none() {
                let compiled = compile(&rule.check)
                    .map_err(|e| format!("rule `{}`: bad pattern: {e}", rule.name))?;
                let _ = cell.set(compiled);
            }
        }
        Ok(())
    }

    /// The compiled patterns of rule `index` (empty when its check uses none).
    pub fn patterns(&self, index: usize) -> &[Regex] {
        match (self.patterns.get(index), self.rules.get(index)) {
            (Some(cell), Some(rule)) => {
                cell.get_or_init(|| compile(&rule.check).unwrap_or_default())
            }
            _ => &[],
        }
    }

    pub fn step(&self, name: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.name == name)
    }

    /// The rule named by a code or a kebab-case name.
    pub fn find(&self, code_or_name: &str) -> Option<&Rule> {
        self.rules
            .iter()
            .find(|r| r.code.eq_ignore_ascii_case(code_or_name) || r.name == code_or_name)
    }
}

fn compile(check: &Check) -> Result<Vec<Regex>, regex_lite::Error> {
    check.patterns().into_iter().map(Regex::new).collect()
}

fn file_error(
    name: &str,
    text: &str,
    message: String,
    span: Option<std::ops::Range<usize>>,
) -> Box<RuleFileError> {
    Box::new(RuleFileError {
        name: name.to_string(),
        message,
        source_code: NamedSource::new(name, text.to_string()),
        span: span.map(Into::into),
    })
}

fn is_kebab_case(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('-')
        && !name.ends_with('-')
        && !name.contains("--")
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}
