//! How every command prints: one `Printer` that renders a report as a kubectl-style table, JSON,
//! YAML, names, CSV or a kubectl JSONPath template, chosen by `-o`.

mod format;
mod jsonpath;
pub mod openmetrics;
mod printer;
mod table;

pub use format::OutputFormat;
pub use jsonpath::Template;
pub use printer::{Printer, Report};
pub use table::{Cell, Tone, true_false};
