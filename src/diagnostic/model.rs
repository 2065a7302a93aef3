//! One model for everything racm-lint reports, offline or online: what a check finds, and the diagnostic
//! built from it. Renderers only read it.

use serde::Serialize;

use crate::catalog::Severity;
use crate::keys::Withheld;
use crate::properties::Span;
use crate::properties::display::Location;
use crate::secrets::SecretPlaces;

/// A replacement of a byte range of the file (bytes, since the file is Latin-1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub replacement: Vec<u8>,
}

/// A secondary place in the file, with what it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// What a check found, before it is a diagnostic: the builder adds the rule's texts in the output
/// language, the places in lines and columns, and hides the secrets.
#[derive(Debug, Clone, Default)]
pub struct Finding {
    /// The key the finding is about (for file-wide checks; key checks get the rule's key).
    pub key: Option<String>,
    /// Where to point; `None` for the whole value of the key (or no place, for file-wide checks).
    pub span: Option<Span>,
    /// Where to point inside the value as Java reads it; used when the raw text is the same as the value.
    pub value_range: Option<std::ops::Range<usize>>,
    /// Placeholders for the rule's texts (`{expected}`, `{suggestion}`...).
    pub vars: Vec<(&'static str, String)>,
    /// A short text under the primary place.
    pub label: Option<String>,
    /// Other places involved.
    pub labels: Vec<Label>,
    /// Extra notes (already in the output language).
    pub notes: Vec<String>,
    /// A safe fix.
    pub edits: Vec<Edit>,
}

impl Finding {
    pub fn var(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.vars.push((name, value.into()));
        self
    }
}

/// A secondary place with its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecondaryLabel {
    pub span: Span,
    pub location: Location,
    pub message: String,
}

/// The setup step that fixes a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepRef {
    /// Stable name (`azure-secret`), for machines.
    pub name: String,
    /// Title in the output language, for people.
    pub title: String,
}

/// Whether the finding comes from reading the file or from talking to Microsoft.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    Offline,
    Online,
}

/// One finding, fully resolved: texts in the output language, places in bytes and in lines/columns.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub code: String,
    pub rule: String,
    pub severity: Severity,
    /// The property key it is about (the missing key's name for a missing key).
    pub key: Option<String>,
    /// The primary place, in bytes of the file; `None` when there is no place (an empty file).
    pub span: Option<Span>,
    pub location: Option<Location>,
    /// Short text under the primary place.
    pub label: Option<String>,
    pub secondary: Vec<SecondaryLabel>,
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// Why it matters.
    pub why: Option<String>,
    /// Other notes: how Java reads the value, inline comments...
    pub notes: Vec<String>,
    pub step: Option<StepRef>,
    /// A safe fix, when there is one.
    pub fix: Vec<Edit>,
    pub origin: Origin,
}

impl Diagnostic {
    pub fn fixable(&self) -> bool {
        !self.fix.is_empty()
    }
}

/// The diagnostics of one file, with what is needed to show them. Its `Debug` shows the size of the source,
/// not its bytes.
#[derive(Clone)]
pub struct FileReport {
    /// The path as given (or the `--stdin-filename`).
    pub path: String,
    /// The file's bytes.
    pub source: Vec<u8>,
    pub diagnostics: Vec<Diagnostic>,
    /// Where the file's secrets are, when the linter found them already (else renderers look).
    pub secrets: Option<SecretPlaces>,
}

impl std::fmt::Debug for FileReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileReport")
            .field("path", &self.path)
            .field("source", &Withheld(self.source.len()))
            .field("diagnostics", &self.diagnostics)
            .field("secrets", &self.secrets)
            .finish()
    }
}

/// Counts by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Summary {
    pub fn of(reports: &[FileReport]) -> Summary {
        let mut s = Summary {
            files: reports.len(),
            ..Summary::default()
        };
        for d in reports.iter().flat_map(|r| &r.diagnostics) {
            match d.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Info => s.infos += 1,
            }
        }
        s
    }
}
