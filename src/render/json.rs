//! `--format json`: one document with every diagnostic and a summary, for scripts.

use serde_json::{Value, json};

use crate::diagnostic::{FileReport, Summary};

/// The JSON document (version 1).
pub fn render(reports: &[FileReport]) -> String {
    let diagnostics: Vec<Value> = reports
        .iter()
        .flat_map(|report| {
            report.diagnostics.iter().map(move |d| {
                let loc = d.location;
                json!({
                    "file": report.path,
                    "code": d.code,
                    "rule": d.rule,
                    "severity": d.severity.as_str(),
                    "key": d.key,
                    "line": loc.map(|l| l.line),
                    "column": loc.map(|l| l.column),
                    "end_line": loc.map(|l| l.end_line),
                    "end_column": loc.map(|l| l.end_column),
                    "message": d.message,
                    "help": d.help,
                    "step": d.step.as_ref().map(|s| s.name.clone()),
                    "fixable": d.fixable(),
                })
            })
        })
        .collect();
    let document = json!({
        "version": 1,
        "tool": { "name": "racm-lint", "version": env!("CARGO_PKG_VERSION") },
        "diagnostics": diagnostics,
        "summary": Summary::of(reports),
    });
    format!("{document:#}\n")
}
