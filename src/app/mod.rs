//! The commands, over the library: configuration per file, the inputs, the lint command's stages, `show`,
//! `template`, and the one place that writes files.

pub mod config;
pub mod fsio;
pub mod input;
pub mod lint_cmd;
pub mod rule_cmd;
pub mod show;
pub mod template;
pub mod walk;

use std::io::Write as _;

/// How a command ended, which `cli` turns into the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// No error found (exit code 0).
    Clean,
    /// Errors found (exit code 1).
    Findings,
    /// racm-lint could not do its job (exit code 2).
    Failure,
}

/// What a command ends with: an exit to take now (`Err`) or the normal outcome.
pub type Outcome = Result<Exit, Exit>;

/// Writes `text` to standard output (a closed pipe is not an error: `racm-lint | head` is fine).
pub fn print(text: &str) -> Outcome {
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => Err(fatal(&error)),
        _ => Ok(Exit::Clean),
    }
}

/// Reports an error that stops the tool.
pub fn fatal(error: &dyn std::error::Error) -> Exit {
    eprintln!("racm-lint: error: {error}");
    Exit::Failure
}

/// Reports a fatal error with miette (source snippet and help when it has them).
pub fn fatal_report(report: miette::Report) -> Exit {
    eprintln!("{report:?}");
    Exit::Failure
}

/// A path as shown in output: as given.
pub fn display_path(path: &std::path::Path) -> String {
    path.display().to_string()
}
