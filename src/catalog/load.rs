//! Loads the rule set: the built-in `rules/*.toml` and an organisation's rule directories.
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

use super::spec::{Check, Cloud, KnownKey, Rule, Step};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_rules.rs"));
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
        self.index_of(code_or_name).map(|index| &self.rules[index])
    }

    /// The index of the rule named by a code or a kebab-case name.
    pub fn index_of(&self, code_or_name: &str) -> Option<usize> {
        self.rules
            .iter()
            .position(|r| r.code.eq_ignore_ascii_case(code_or_name) || r.name == code_or_name)
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
