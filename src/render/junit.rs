//! `--format junit`: a JUnit XML report, one test suite per file, one failing test case per error or warning.

use crate::catalog::Severity;
use crate::diagnostic::FileReport;

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot hold at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

pub fn render(reports: &[FileReport]) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let failing = |r: &FileReport| {
        r.diagnostics
            .iter()
            .filter(|d| d.severity != Severity::Info)
            .count()
    };
    let total_failures: usize = reports.iter().map(failing).sum();
    let total_tests: usize = reports.iter().map(|r| failing(r).max(1)).sum();
    out.push_str(&format!(
        "<testsuites name=\"racm-lint\" tests=\"{total_tests}\" failures=\"{total_failures}\" errors=\"0\">\n"
    ));
    for report in reports {
        let failures = failing(report);
        let path = escape(&report.path);
        out.push_str(&format!(
            "  <testsuite name=\"{path}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\">\n",
            failures.max(1)
        ));
        if failures == 0 {
            out.push_str(&format!(
                "    <testcase name=\"{path}\" classname=\"racm-lint\"/>\n"
            ));
        }
        for d in report
            .diagnostics
            .iter()
            .filter(|d| d.severity != Severity::Info)
        {
            let place = d
                .location
                .map(|l| format!(":{}:{}", l.line, l.column))
                .unwrap_or_default();
            let mut body = format!("{}{place}: {}", report.path, d.message);
            if let Some(help) = &d.help {
                body.push_str(&format!("\n{help}"));
            }
            if let Some(step) = &d.step {
                body.push_str(&format!("\n{}", step.title));
            }
            out.push_str(&format!(
                "    <testcase name=\"{} {}{}\" classname=\"{path}\" file=\"{path}\">\n      <failure type=\"{}\" message=\"{}\">{}</failure>\n    </testcase>\n",
                escape(&d.code),
                escape(&d.rule),
                escape(&place),
                d.severity.as_str(),
                escape(&d.message),
                escape(&body)
            ));
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}
