//! Running the rules on a file: the linter, suppression comments, and the safe fixes.

pub mod fix;
pub mod lint;
pub mod suppress;

pub use lint::Linter;
