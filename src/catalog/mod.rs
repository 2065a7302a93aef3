//! The rules as data: what `rules/*.toml` say (spec), how they are loaded and checked (load), and which run
//! at which severity (selection).

pub mod load;
pub mod selection;
pub mod spec;

pub use load::{RuleFileError, RuleSet};
pub use selection::{Resolved, Selection};
pub use spec::{Check, Cloud, KnownKey, Rule, Severity, Step, Texts};
