//! `racm-lint rules` and `racm-lint rule NAME`: the rule documentation, from the rule data.

use super::{Exit, Outcome, print};
use crate::catalog::RuleSet;
use crate::docs;
use crate::i18n::{Lang, did_you_mean};
use crate::text::nearest;

/// How rule documentation is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocFormat {
    Text,
    Json,
    Markdown,
}

/// Every rule: code, name, severity, setup step.
pub fn list(rules: &RuleSet, lang: Lang, format: DocFormat) -> Outcome {
    print(&match format {
        DocFormat::Text => docs::list_text(rules, lang),
        DocFormat::Json => docs::list_json(rules, lang),
        DocFormat::Markdown => docs::markdown(rules),
    })
}

/// One rule, by code or name: what it checks, why, an example, how to fix it.
pub fn explain(rules: &RuleSet, name: &str, lang: Lang, format: DocFormat) -> Outcome {
    let Some(rule) = rules.find(name) else {
        let names = rules.rules.iter().map(|r| r.name.as_str());
        let hint = did_you_mean(Lang::En, nearest(name, names, 4));
        eprintln!(
            "racm-lint: error: no rule is named `{name}`{hint} (`racm-lint rules` lists them)"
        );
        return Err(Exit::Failure);
    };
    print(&match format {
        DocFormat::Json => docs::rule_json_text(rules, rule, lang),
        DocFormat::Text | DocFormat::Markdown => docs::rule_text(rules, rule, lang),
    })
}
