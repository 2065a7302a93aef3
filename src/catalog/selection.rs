//! Which rules run, and at which severity: `select`, `ignore` and per-rule severities from the configuration
//! and the command line, resolved once per configuration to a severity per rule index.

use std::collections::HashMap;

use super::load::RuleSet;
use super::spec::{Rule, Severity};

/// Which rules run, and at which severity, as the configuration and the command line say.
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

    /// The severity of every rule of `rules`, by index.
    pub fn resolve(&self, rules: &RuleSet) -> Resolved {
        Resolved {
            severities: rules.rules.iter().map(|r| self.severity_of(r)).collect(),
        }
    }
}

/// A [`Selection`] resolved against one rule set: the severity each rule runs at, by rule index (`None`: the
/// rule does not run).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Resolved {
    severities: Vec<Option<Severity>>,
}

impl Resolved {
    /// The severity rule `index` runs at, or `None`.
    pub fn severity(&self, index: usize) -> Option<Severity> {
        self.severities.get(index).copied().flatten()
    }

    /// The severity of the rule named by `code_or_name`, or `None` when it does not run or does not exist.
    pub fn severity_of_rule(&self, rules: &RuleSet, code_or_name: &str) -> Option<Severity> {
        self.severity(rules.index_of(code_or_name)?)
    }
}

/// Whether a selector from the configuration names a rule of `rules`: a code or a name, or (`prefix_ok`, for
/// `select` and `ignore`) a code prefix such as `RL1`.
pub fn names_a_rule(rules: &RuleSet, selector: &str, prefix_ok: bool) -> bool {
    rules.rules.iter().any(|r| {
        r.name == selector
            || r.code.eq_ignore_ascii_case(selector)
            || (prefix_ok && r.is_selected_by(selector))
    })
}
