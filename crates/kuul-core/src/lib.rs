//! kuul-core: the one library behind every `kubectl kuul` binary.
//!
//! - [`cli`]: the command line (clap), with kubectl's flags.
//! - [`entry`]: arguments in, exit code out (the only place that touches the process).
//! - [`context`]: the connection, namespace scope and terminal facts every command gets.
//! - [`cluster`]: connecting like kubectl, requests with bounded retries, the API server's clock,
//!   error mapping, selectors, our `kuul.dev/` annotations.
//! - [`output`]: tables, JSON, YAML, names, CSV and JSONPath from one `Printer`.
//! - [`commands`]: one module per subcommand.
//! - [`complete`]: the hidden `__complete` entry behind kubectl's plugin completion hook.
//! - [`confirm`]: asking once before wide or destructive work.
//! - [`interrupt`]: Ctrl-C (and SIGTERM on Unix, Ctrl-Break on Windows) for commands that clean up.
//! - [`portable`]: the Unix/Windows rules (path lists, home, `.exe`, colour, line endings).
//! - [`duration`], [`error`]: shared vocabulary.

mod background;
pub mod bulk;
pub mod cli;
pub mod cluster;
pub mod commands;
pub mod complete;
pub mod confirm;
pub mod context;
pub mod duration;
pub mod entry;
pub mod error;
pub mod fanout;
pub mod follow;
pub mod interrupt;
pub mod notice;
pub mod output;
mod parallel;
pub mod placement;
pub mod portable;
pub mod quantity;
pub mod runs;

pub use entry::{main, main_subcommand, run_args};

#[cfg(test)]
mod parsers_proptest;

/// mimalloc instead of the C library's allocator. Listing 50,000 Jobs and 50,000 pods builds a
/// few small strings and vectors for each object, then frees them; with glibc's malloc, `malloc`,
/// `free` and their consolidation were 18% of `history -A`'s CPU and 10% of `cost-report -A`'s
/// (perf, scale:5000 sandbox). musl's allocator is slower still, which is why ripgrep swaps its
/// allocator on musl; mimalloc serves both here (a musl build needs `musl-gcc`, see
/// docs/release.md). Declared in the library so every binary and
/// test that links kuul-core gets it.
#[cfg(unix)]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
