//! One model for everything racm-lint reports, offline or online. Renderers only read it.

use serde::Serialize;

use crate::checks::Edit;
use crate::reader::Span;
use crate::rules::Severity;

/// Where a diagnostic points, 1-based, columns in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Location {
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
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
    pub secrets: Option<crate::secrets::SecretPlaces>,
}

impl std::fmt::Debug for FileReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileReport")
            .field("path", &self.path)
            .field("source", &crate::secrets::Withheld(self.source.len()))
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
