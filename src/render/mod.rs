//! Output formats: one renderer per format, each a small module over the same diagnostic model.

pub mod azure;
pub mod concise;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

use crate::diagnostic::{FileReport, Summary};
use crate::i18n::{Lang, Phrase};

/// The names of the output formats, as `--format` and the configuration file take them.
pub const FORMATS: [&str; 8] = [
    "human", "concise", "json", "sarif", "github", "gitlab", "azure", "junit",
];

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
