//! The file as the server's Java reads it: the reader (bytes to entries, with spans), the settings that win,
//! and the file's lines and columns for display.

pub mod display;
pub mod reader;
pub mod settings;

pub use display::DisplayText;
pub use reader::{Continuation, Document, Entry, EscapeKind, Item, ProblemKind, Span};
pub use settings::Settings;
