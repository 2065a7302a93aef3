//! Output formats: one renderer per format, each a small module over the same diagnostic model, and the
//! one [`Format`] type that owns their names, their parsing and the dispatch to them.

pub mod azure;
pub mod concise;
pub mod diff;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

use crate::catalog::RuleSet;
use crate::diagnostic::{FileReport, Summary};
use crate::i18n::{Lang, Phrase};

/// An output format of the lint command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Human,
    Concise,
    Json,
    Sarif,
    Github,
    Gitlab,
    Azure,
    Junit,
}

impl Format {
    /// Every format, in the order `--help` lists them.
    pub const ALL: [Format; 8] = [
        Format::Human,
        Format::Concise,
        Format::Json,
        Format::Sarif,
        Format::Github,
        Format::Gitlab,
        Format::Azure,
        Format::Junit,
    ];

    /// The name `--format` and the configuration file take.
    pub fn name(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Concise => "concise",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Github => "github",
            Format::Gitlab => "gitlab",
            Format::Azure => "azure",
            Format::Junit => "junit",
        }
    }

    /// What the format is, for `--help`.
    pub fn description(self) -> &'static str {
        match self {
            Format::Human => "Diagnostics with the source lines and underlines, and a summary",
            Format::Concise => "`file:line:col: severity[code] message`, one per line",
            Format::Json => "One JSON document",
            Format::Sarif => "SARIF 2.1.0 (GitHub code scanning)",
            Format::Github => "GitHub Actions workflow commands",
            Format::Gitlab => "GitLab Code Quality report",
            Format::Azure => "Azure Pipelines logging commands",
            Format::Junit => "JUnit XML",
        }
    }

    /// The format of a name, exactly as [`Format::name`] gives it.
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Every name, for error messages: `human, concise, ...`.
    pub fn names() -> String {
        Format::ALL.map(Format::name).join(", ")
    }

    /// The reports in this format. `rules` describe the rules (SARIF lists them).
    pub fn render(self, reports: &[FileReport], rules: &RuleSet, options: RenderOptions) -> String {
        match self {
            Format::Human if reports.is_empty() => String::new(),
            Format::Human => human::render(reports, options),
            Format::Concise => concise::render(reports),
            Format::Json => json::render(reports),
            Format::Sarif => sarif::render(reports, rules, options.lang),
            Format::Github => github::render(reports),
            Format::Gitlab => gitlab::render(reports),
            Format::Azure => azure::render(reports),
            Format::Junit => junit::render(reports),
        }
    }
}

/// Everything a renderer may need besides the reports.
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions {
    pub lang: Lang,
    pub color: bool,
}

/// The closing summary line: "3 errors, 1 warning, 0 infos in 2 files".
pub fn summary_line(summary: &Summary, fixable: usize, lang: Lang) -> String {
    let count = |n: usize, one: Phrase, many: Phrase| {
        let word = if n == 1 || (lang == Lang::Fr && n == 0) {
            one
        } else {
            many
        };
        format!("{n} {}", word.text(lang))
    };
    let files = count(summary.files, Phrase::File, Phrase::Files);
    let mut line = match lang {
        Lang::En => format!(
            "{}, {}, {} in {files}",
            count(summary.errors, Phrase::Error, Phrase::Errors),
            count(summary.warnings, Phrase::Warning, Phrase::Warnings),
            count(summary.infos, Phrase::Info, Phrase::Infos),
        ),
        Lang::Fr => format!(
            "{}, {}, {} dans {files}",
            count(summary.errors, Phrase::Error, Phrase::Errors),
            count(summary.warnings, Phrase::Warning, Phrase::Warnings),
            count(summary.infos, Phrase::Info, Phrase::Infos),
        ),
    };
    if fixable > 0 {
        line.push_str(&format!(" ({fixable} {})", Phrase::Fixable.text(lang)));
    }
    line
}

/// How many diagnostics of the reports have a safe fix.
pub fn fixable_count(reports: &[FileReport]) -> usize {
    reports
        .iter()
        .flat_map(|r| &r.diagnostics)
        .filter(|d| d.fixable())
        .count()
}
