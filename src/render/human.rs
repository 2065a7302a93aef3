//! The default output: rustc-style diagnostics rendered with codespan-reporting, and a summary line.

use codespan_reporting::diagnostic::{
    Diagnostic as CsDiagnostic, Label, LabelStyle, Severity as CsSeverity,
};
use std::ops::Range;

use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::{self, Config, termcolor::Buffer};

use super::{RenderOptions, fixable_count, summary_line};
use crate::catalog::Severity;
use crate::diagnostic::{Diagnostic, FileReport, Summary};
use crate::i18n::{Lang, Phrase};
use crate::properties::Span;
use crate::properties::reader::line_breaks;
use crate::secrets::SecretPlaces;

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
        let found;
        let secrets = match &report.secrets {
            Some(secrets) => secrets,
            None => {
                found = SecretPlaces::find(source);
                &found
            }
        };
        let utf8 = std::str::from_utf8(source).is_ok();
        for diagnostic in &report.diagnostics {
            // Each diagnostic shows only the lines around its labels: copy (and mask) just those.
            let window = Window::around(&report.path, source, diagnostic, secrets, utf8);
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
/// those of the whole file. Only the lines around each label are copied (labels far apart make separate
/// chunks), so a large file is never copied whole.
struct Window<'p> {
    name: &'p str,
    /// The chunks' text, one after the other (each ends with a line break).
    text: String,
    chunks: Vec<Chunk>,
    /// Offsets in `text` where lines start, with the 0-based number of that line in the file.
    lines: Vec<(usize, usize)>,
}

/// A run of whole lines of the file, copied into the window.
struct Chunk {
    /// File byte range (from a line start to the end of a line, without its terminator).
    file: Range<usize>,
    /// Where the chunk's text starts in the window's text.
    at: usize,
    /// The masked bytes, to map file offsets into the text.
    bytes: Vec<u8>,
    utf8: bool,
}

impl Chunk {
    /// The window-text offset of a file offset inside this chunk (on a character boundary).
    fn offset(&self, file_offset: usize, forward: bool) -> usize {
        let local = file_offset.clamp(self.file.start, self.file.end) - self.file.start;
        if self.utf8 {
            let mut at = local;
            while at > 0 && at < self.bytes.len() && (self.bytes[at] & 0xC0) == 0x80 {
                if forward { at += 1 } else { at -= 1 }
            }
            self.at + at
        } else {
            // Each byte is one Latin-1 character, two bytes in the text when >= 0x80.
            self.at + local + self.bytes[..local].iter().filter(|&&b| b >= 0x80).count()
        }
    }
}

impl<'p> Window<'p> {
    fn around(
        name: &'p str,
        source: &[u8],
        d: &Diagnostic,
        secrets: &SecretPlaces,
        utf8: bool,
    ) -> Window<'p> {
        // The places to show, each with the file line it starts on.
        let mut places: Vec<(Span, usize)> = Vec::new();
        if let (Some(span), Some(loc)) = (&d.span, d.location) {
            places.push((span.clone(), loc.line as usize - 1));
        }
        places.extend(
            d.secondary
                .iter()
                .map(|l| (l.span.clone(), l.location.line as usize - 1)),
        );
        if places.is_empty() {
            places.push((0..0, 0));
        }
        places.sort_by_key(|(s, _)| s.start);

        let mut window = Window {
            name,
            text: String::new(),
            chunks: Vec::new(),
            lines: Vec::new(),
        };
        let mut pending: Option<(Range<usize>, usize)> = None;
        for (span, line) in places {
            let lo = span.start.min(source.len());
            let hi = span.end.clamp(lo, source.len());
            let start = source[..lo]
                .iter()
                .rposition(|&b| b == b'\n' || b == b'\r')
                .map_or(0, |i| i + 1);
            let end = memchr::memchr2(b'\n', b'\r', &source[hi..]).map_or(source.len(), |i| hi + i);
            pending = match pending {
                // Lines at most one line apart join the same chunk (codespan shows a single line between labels).
                Some((range, first))
                    if start <= range.end || line_breaks(&source[range.end..start]) <= 2 =>
                {
                    Some((range.start..range.end.max(end), first))
                }
                Some((range, first)) => {
                    window.push_chunk(source, range, first, secrets, utf8);
                    Some((start..end, line))
                }
                None => Some((start..end, line)),
            };
        }
        if let Some((range, first)) = pending {
            window.push_chunk(source, range, first, secrets, utf8);
        }
        window
    }

    fn push_chunk(
        &mut self,
        source: &[u8],
        file: Range<usize>,
        first_line: usize,
        secrets: &SecretPlaces,
        utf8: bool,
    ) {
        if let Some(&(_, last)) = self.lines.last() {
            // Two blank lines between chunks: codespan sees a gap and draws its `·` marker.
            for n in 1..=2 {
                self.lines.push((self.text.len(), last + n));
                self.text.push('\n');
            }
        }
        let bytes = secrets.masked(source, file.clone());
        let at = self.text.len();
        // Decoded as the whole file is, whatever this part alone would pass for.
        let text = crate::properties::display::decode(&bytes, utf8).into_owned();
        let tb = text.as_bytes();
        let mut line = first_line;
        self.lines.push((at, line));
        for (i, &b) in tb.iter().enumerate() {
            if b == b'\n' || (b == b'\r' && tb.get(i + 1) != Some(&b'\n')) {
                line += 1;
                self.lines.push((at + i + 1, line));
            }
        }
        self.text.push_str(&text);
        self.text.push('\n');
        self.chunks.push(Chunk {
            file,
            at,
            bytes,
            utf8,
        });
    }

    /// A file span as a span of the window's text.
    fn span(&self, span: &Span) -> Span {
        let Some(chunk) = self
            .chunks
            .iter()
            .find(|c| c.file.start <= span.start && span.start <= c.file.end)
        else {
            return 0..0;
        };
        let start = chunk.offset(span.start, false);
        let end = chunk.offset(span.end, true).max(start);
        start..end
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
        Ok(self
            .lines
            .partition_point(|&(s, _)| s <= byte_index)
            .saturating_sub(1))
    }

    fn line_number(&'a self, (): (), line_index: usize) -> Result<usize, FilesError> {
        Ok(self
            .lines
            .get(line_index)
            .map_or(line_index, |&(_, line)| line)
            + 1)
    }

    fn line_range(&'a self, (): (), line_index: usize) -> Result<Range<usize>, FilesError> {
        let start = self.lines.get(line_index).ok_or(FilesError::LineTooLarge {
            given: line_index,
            max: self.lines.len().saturating_sub(1),
        })?;
        let end = self
            .lines
            .get(line_index + 1)
            .map_or(self.text.len(), |&(s, _)| s);
        Ok(start.0..end)
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
