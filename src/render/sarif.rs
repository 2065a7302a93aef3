//! `--format sarif`: SARIF 2.1.0, as GitHub code scanning accepts it.

use std::path::Path;

use serde_json::{Value, json};

use crate::catalog::{RuleSet, Severity};
use crate::diagnostic::FileReport;
use crate::i18n::Lang;

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A rule text with its placeholders turned into an ellipsis, for descriptions that stand alone.
fn standalone(template: &str) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let name_len = rest[open + 1..]
            .find(|c: char| !(c.is_ascii_lowercase() || c == '_'))
            .unwrap_or(rest.len() - open - 1);
        let after = open + 1 + name_len;
        if name_len > 0 && rest[after..].starts_with('}') {
            out.push_str(&rest[..open]);
            out.push('…');
            rest = &rest[after + 1..];
        } else {
            out.push_str(&rest[..=open]);
            rest = &rest[open + 1..];
        }
    }
    out.push_str(rest);
    out
}

/// The file's URI relative to the working directory (forward slashes, percent-encoded).
fn relative_uri(path: &str, cwd: &Path) -> String {
    let p = Path::new(path);
    let relative = p.strip_prefix(cwd).unwrap_or(p);
    let text = relative.to_string_lossy().replace('\\', "/");
    let text = text.strip_prefix("./").unwrap_or(&text).to_string();
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn render(reports: &[FileReport], rules: &RuleSet, lang: Lang) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    let rule_index = |code: &str| rules.rules.iter().position(|r| r.code == code);
    let descriptors: Vec<Value> = rules
        .rules
        .iter()
        .map(|rule| {
            let texts = rule.texts(lang);
            let help = format!("{}\n\n{}", standalone(&texts.fix), texts.example);
            let mut descriptor = json!({
                "id": rule.code,
                "name": rule.name,
                "shortDescription": { "text": standalone(&texts.message) },
                "fullDescription": { "text": standalone(&texts.why) },
                "help": {
                    "text": help,
                    "markdown": format!("{}\n\n```properties\n{}\n```", standalone(&texts.fix), texts.example),
                },
                "defaultConfiguration": { "level": level(rule.severity) },
                "properties": { "tags": ["racm-lint", "microsoft-365", "smtp-oauth2"] }
            });
            if let Some(step) = rule.step.as_deref().and_then(|s| rules.step(s)) {
                descriptor["properties"]["step"] = json!(step.name);
                descriptor["properties"]["stepTitle"] = json!(step.title(lang));
            }
            descriptor
        })
        .collect();
    let mut results: Vec<Value> = Vec::new();
    for report in reports {
        let uri = relative_uri(&report.path, &cwd);
        for d in &report.diagnostics {
            let loc = d.location;
            let region = match loc {
                Some(l) => json!({
                    "startLine": l.line,
                    "startColumn": l.column,
                    "endLine": l.end_line,
                    "endColumn": l.end_column.max(if l.end_line == l.line { l.column } else { 1 }),
                }),
                // GitHub needs a place: the start of the file.
                None => json!({ "startLine": 1 }),
            };
            let mut text = d.message.clone();
            if let Some(help) = &d.help {
                text.push_str(&format!("\n{help}"));
            }
            let mut result = json!({
                "ruleId": d.code,
                "level": level(d.severity),
                "message": { "text": text },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri, "uriBaseId": "%SRCROOT%" },
                        "region": region
                    }
                }],
                "partialFingerprints": {
                    "racmLint/v1": format!("{}:{}:{}", d.code, d.key.as_deref().unwrap_or(""), d.message.len())
                }
            });
            if let Some(index) = rule_index(&d.code) {
                result["ruleIndex"] = json!(index);
            }
            let related: Vec<Value> = d
                .secondary
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    json!({
                        "id": i,
                        "message": { "text": if l.message.is_empty() { d.message.clone() } else { l.message.clone() } },
                        "physicalLocation": {
                            "artifactLocation": { "uri": uri, "uriBaseId": "%SRCROOT%" },
                            "region": {
                                "startLine": l.location.line,
                                "startColumn": l.location.column,
                                "endLine": l.location.end_line,
                                "endColumn": l.location.end_column,
                            }
                        }
                    })
                })
                .collect();
            if !related.is_empty() {
                result["relatedLocations"] = Value::Array(related);
            }
            results.push(result);
        }
    }
    let document = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "racm-lint",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": descriptors,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    format!("{document:#}\n")
}
