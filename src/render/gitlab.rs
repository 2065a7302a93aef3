//! `--format gitlab`: GitLab Code Quality report (a JSON array of issues).

use serde_json::{Value, json};

use crate::catalog::Severity;
use crate::diagnostic::FileReport;

/// A stable 128-bit fingerprint (two FNV-1a 64 hashes) as 32 hex digits.
fn fingerprint(parts: &[&str]) -> String {
    let hash = |seed: u64| {
        let mut h = seed;
        for part in parts {
            for &b in part.as_bytes().iter().chain(&[0u8]) {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
        h
    };
    format!(
        "{:016x}{:016x}",
        hash(0xcbf2_9ce4_8422_2325),
        hash(0x8422_2325_cbf2_9ce4)
    )
}

pub fn render(reports: &[FileReport]) -> String {
    let mut issues: Vec<Value> = Vec::new();
    let mut seen = std::collections::HashMap::<String, usize>::new();
    for report in reports {
        for d in &report.diagnostics {
            // Stable across runs and line moves (no line number), unique within the report.
            let base = fingerprint(&[
                &report.path,
                &d.code,
                d.key.as_deref().unwrap_or(""),
                &d.message,
            ]);
            let n = seen.entry(base.clone()).or_default();
            let print = if *n == 0 {
                base.clone()
            } else {
                fingerprint(&[&base, &n.to_string()])
            };
            *n += 1;
            issues.push(json!({
                "type": "issue",
                "description": d.message,
                "check_name": format!("{} {}", d.code, d.rule),
                "fingerprint": print,
                "severity": match d.severity {
                    Severity::Error => "critical",
                    Severity::Warning => "minor",
                    Severity::Info => "info",
                },
                "categories": ["Bug Risk"],
                "location": {
                    "path": report.path,
                    "lines": { "begin": d.location.map_or(1, |l| l.line) }
                }
            }));
        }
    }
    format!("{:#}\n", Value::Array(issues))
}
