//! The default output: rustc-style diagnostics rendered with codespan-reporting, and a summary line.

use codespan_reporting::diagnostic::{
    Diagnostic as CsDiagnostic, Label, LabelStyle, Severity as CsSeverity,
};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, Config, termcolor::Buffer};

use super::{RenderOptions, fixable_count, summary_line};
use crate::diagnostic::{Diagnostic, FileReport, Summary};
use crate::i18n::{Lang, Phrase};
use crate::rules::Severity;
use crate::source::DisplayText;

/// Renders every report and the summary line.
pub fn render(reports: &[FileReport], options: RenderOptions) -> String {
    let mut buffer = if options.color {
        Buffer::ansi()
    } else {
        Buffer::no_color()
    };
    let config = Config::default();
    let mut files = SimpleFiles::new();
    for report in reports {
        // Source lines are shown: secrets are masked first (same length, so every span still fits).
        let masked = crate::secrets::mask(&report.source);
        let display = DisplayText::new(&masked);
        let file = files.add(report.path.clone(), display.text().into_owned());
        for diagnostic in &report.diagnostics {
            let cs = to_codespan(file, diagnostic, &display, options);
            if term::emit_to_write_style(&mut buffer, &config, &files, &cs).is_err() {
                // A span that does not fit the text (which the engine never makes): show the header alone.
                let plain = CsDiagnostic::new(severity(diagnostic.severity))
                    .with_code(diagnostic.code.clone())
                    .with_message(diagnostic.message.clone());
                let _ = term::emit_to_write_style(&mut buffer, &config, &files, &plain);
            }
        }
    }
    let mut out = String::from_utf8_lossy(buffer.as_slice()).into_owned();
    out.push_str(&summary_line(
        &Summary::of(reports),
        fixable_count(reports),
        options.lang,
    ));
    out.push('\n');
    out
}

fn severity(severity: Severity) -> CsSeverity {
    match severity {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
        Severity::Info => CsSeverity::Note,
    }
}

fn to_codespan(
    file: usize,
    d: &Diagnostic,
    display: &DisplayText<'_>,
    options: RenderOptions,
) -> CsDiagnostic<usize> {
    let lang = options.lang;
    let primary_span = d.span.as_ref().map_or(0..0, |span| display.span(span));
    let mut labels = vec![
        Label::new(LabelStyle::Primary, file, primary_span)
            .with_message(d.label.clone().unwrap_or_default()),
    ];
    labels.extend(d.secondary.iter().map(|l| {
        Label::new(LabelStyle::Secondary, file, display.span(&l.span))
            .with_message(l.message.clone())
    }));

    let mut notes = d.notes.clone();
    if let Some(why) = &d.why {
        notes.push(why.clone());
    }
    if let Some(help) = &d.help {
        let mut text = labelled(lang, Phrase::FixLabel, help);
        if d.fixable() {
            text.push_str(&format!(" [{}]", Phrase::Fixable.text(lang)));
        }
        notes.push(text);
    }
    if let Some(step) = &d.step {
        notes.push(labelled(lang, Phrase::StepLabel, &step.title));
    }
    CsDiagnostic::new(severity(d.severity))
        .with_code(d.code.clone())
        .with_message(d.message.clone())
        .with_labels(labels)
        .with_notes(notes)
}

/// "label: text", with French typography's space before the colon.
fn labelled(lang: Lang, label: Phrase, text: &str) -> String {
    match lang {
        Lang::En => format!("{}: {text}", label.text(lang)),
        Lang::Fr => format!("{} : {text}", label.text(lang)),
    }
}
