//! The default output: rustc-style diagnostics rendered with codespan-reporting, and a summary line.

use codespan_reporting::diagnostic::{
    Diagnostic as CsDiagnostic, Label, LabelStyle, Severity as CsSeverity,
};
use std::ops::Range;

use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::{self, Config, termcolor::Buffer};

use super::{RenderOptions, fixable_count, summary_line};
use crate::diagnostic::{Diagnostic, FileReport, Summary};
use crate::i18n::{Lang, Phrase};
use crate::reader::Span;
use crate::rules::Severity;
use crate::secrets::SecretPlaces;
use crate::source::DisplayText;

/// Renders every report and the summary line.
pub fn render(reports: &[FileReport], options: RenderOptions) -> String {
    let mut buffer = if options.color {
        Buffer::ansi()
    } else {
        Buffer::no_color()
    };
    let config = Config::default();
    for report in reports {
        let source: &[u8] = &report.source;
        let secrets = SecretPlaces::find(source);
        let utf8 = std::str::from_utf8(source).is_ok();
        for diagnostic in &report.diagnostics {
            // Each diagnostic shows only the lines around its labels: copy (and mask) just those.
            let window = Window::around(&report.path, source, diagnostic, &secrets, utf8);
            let cs = to_codespan(diagnostic, &window, options);
            if term::emit_to_write_style(&mut buffer, &config, &window, &cs).is_err() {
                // A span that does not fit the text (which the engine never makes): show the header alone.
                let plain = CsDiagnostic::new(severity(diagnostic.severity))
                    .with_code(diagnostic.code.clone())
                    .with_message(diagnostic.message.clone());
                let _ = term::emit_to_write_style(&mut buffer, &config, &window, &plain);
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

/// The lines of a file one diagnostic shows, secrets masked, as a codespan file whose line numbers are
/// those of the whole file. A large file is never copied whole.
struct Window<'p> {
    name: &'p str,
    /// File offset where the window starts (the start of a line).
    start: usize,
    /// The window's bytes, masked.
    bytes: Vec<u8>,
    text: String,
    utf8: bool,
    /// 0-based number of the window's first line in the file.
    first_line: usize,
    /// Offsets in `text` where its lines start.
    line_starts: Vec<usize>,
}

impl<'p> Window<'p> {
    fn around(
        name: &'p str,
        source: &[u8],
        d: &Diagnostic,
        secrets: &SecretPlaces,
        utf8: bool,
    ) -> Window<'p> {
        let spans = d.span.iter().chain(d.secondary.iter().map(|l| &l.span));
        let lo = spans
            .clone()
            .map(|s| s.start)
            .min()
            .unwrap_or(0)
            .min(source.len());
        let hi = spans
            .map(|s| s.end)
            .max()
            .unwrap_or(0)
            .clamp(lo, source.len());
        let start = source[..lo]
            .iter()
            .rposition(|&b| b == b'\n' || b == b'\r')
            .map_or(0, |i| i + 1);
        let end = memchr::memchr2(b'\n', b'\r', &source[hi..]).map_or(source.len(), |i| hi + i);
        let bytes = secrets.masked(source, start..end);
        let text = DisplayText::new(&bytes).text().into_owned();
        let first_line = d
            .location
            .iter()
            .map(|l| l.line)
            .chain(d.secondary.iter().map(|l| l.location.line))
            .min()
            .map_or(0, |line| line as usize - 1);
        let mut line_starts = vec![0];
        let tb = text.as_bytes();
        for (i, &b) in tb.iter().enumerate() {
            if b == b'\n' || (b == b'\r' && tb.get(i + 1) != Some(&b'\n')) {
                line_starts.push(i + 1);
            }
        }
        Window {
            name,
            start,
            bytes,
            text,
            utf8,
            first_line,
            line_starts,
        }
    }

    /// A file span as a span of the window's text.
    fn span(&self, span: &Span) -> Span {
        let local = span.start.saturating_sub(self.start).min(self.bytes.len())
            ..span.end.saturating_sub(self.start).min(self.bytes.len());
        if self.utf8 {
            DisplayText::new(&self.bytes).span(&local)
        } else {
            // Each byte is one Latin-1 character, two bytes in the text when >= 0x80.
            let shift = |at: usize| at + self.bytes[..at].iter().filter(|&&b| b >= 0x80).count();
            shift(local.start)..shift(local.end)
        }
    }
}

impl<'a> Files<'a> for Window<'_> {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(&self.text)
    }

    fn line_index(&'a self, (): (), byte_index: usize) -> Result<usize, FilesError> {
        Ok(self.line_starts.partition_point(|&s| s <= byte_index) - 1)
    }

    fn line_number(&'a self, (): (), line_index: usize) -> Result<usize, FilesError> {
        Ok(self.first_line + line_index + 1)
    }

    fn line_range(&'a self, (): (), line_index: usize) -> Result<Range<usize>, FilesError> {
        let start = *self
            .line_starts
            .get(line_index)
            .ok_or(FilesError::LineTooLarge {
                given: line_index,
                max: self.line_starts.len() - 1,
            })?;
        let end = self
            .line_starts
            .get(line_index + 1)
            .copied()
            .unwrap_or(self.text.len());
        Ok(start..end)
    }
}

fn severity(severity: Severity) -> CsSeverity {
    match severity {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
        Severity::Info => CsSeverity::Note,
    }
}

fn to_codespan(d: &Diagnostic, window: &Window<'_>, options: RenderOptions) -> CsDiagnostic<()> {
    let lang = options.lang;
    let primary_span = d.span.as_ref().map_or(0..0, |span| window.span(span));
    let mut labels = vec![
        Label::new(LabelStyle::Primary, (), primary_span)
            .with_message(d.label.clone().unwrap_or_default()),
    ];
    labels.extend(d.secondary.iter().map(|l| {
        Label::new(LabelStyle::Secondary, (), window.span(&l.span)).with_message(l.message.clone())
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
