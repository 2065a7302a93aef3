//! `--format concise`: `file:line:col: severity[code] message`, one line each, for editors and grep.

use crate::diagnostic::FileReport;

pub fn render(reports: &[FileReport]) -> String {
    let mut out = String::new();
    for report in reports {
        for d in &report.diagnostics {
            let place = match d.location {
                Some(l) => format!("{}:{}:{}", report.path, l.line, l.column),
                None => report.path.clone(),
            };
            let fixable = if d.fixable() { " [*]" } else { "" };
            out.push_str(&format!(
                "{place}: {}[{}] {}{fixable}\n",
                d.severity.as_str(),
                d.code,
                one_line(&d.message)
            ));
        }
    }
    out
}

/// Keeps one diagnostic on one line.
pub fn one_line(text: &str) -> String {
    text.replace(['\r', '\n'], " ")
}
