//! What racm-lint reports: the model (findings, diagnostics, reports) and the one builder that turns a
//! check's finding into a diagnostic, offline and online alike.

pub mod build;
pub mod model;

pub use build::{Builder, Redact};
pub use model::{
    Diagnostic, Edit, FileReport, Finding, Label, Origin, SecondaryLabel, StepRef, Summary,
};
