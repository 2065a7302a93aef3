//! `--format azure`: Azure Pipelines logging commands (`##vso[task.logissue ...]`).

use crate::catalog::Severity;
use crate::diagnostic::FileReport;

/// Escapes the message of a logging command.
fn escape_data(text: &str) -> String {
    text.replace('%', "%AZP25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (`;` separates properties, `]` ends them).
fn escape_property(text: &str) -> String {
    escape_data(text).replace(';', "%3B").replace(']', "%5D")
}

pub fn render(reports: &[FileReport]) -> String {
    let mut out = String::new();
    for report in reports {
        for d in &report.diagnostics {
            // Azure Pipelines knows only errors and warnings: advice is printed as a plain log line.
            let kind = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => {
                    let place = d
                        .location
                        .map(|l| format!(":{}:{}", l.line, l.column))
                        .unwrap_or_default();
                    out.push_str(&format!(
                        "{}{place}: info[{}] {}\n",
                        report.path,
                        d.code,
                        escape_data(&d.message)
                    ));
                    continue;
                }
            };
            let mut props = vec![
                format!("type={kind}"),
                format!("sourcepath={}", escape_property(&report.path)),
            ];
            if let Some(l) = d.location {
                props.push(format!("linenumber={}", l.line));
                props.push(format!("columnnumber={}", l.column));
            }
            props.push(format!("code={}", escape_property(&d.code)));
            out.push_str(&format!(
                "##vso[task.logissue {};]{}\n",
                props.join(";"),
                escape_data(&d.message)
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_logging_command_rules() {
        assert_eq!(escape_data("100% a\nb"), "100%AZP25 a%0Ab");
        assert_eq!(escape_property("a;b]c"), "a%3Bb%5Dc");
    }
}
