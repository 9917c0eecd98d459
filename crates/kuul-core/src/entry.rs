//! The process edge: arguments in, exit code out. The only place that writes to the real
//! stdout/stderr and decides exit codes (ruff's `main.rs` does the same).

#![allow(clippy::print_stderr)]

use std::ffi::OsString;
use std::io::Write;
use std::process::ExitCode;

use crate::commands;
use crate::context::Context;
use crate::error::{Error, ExitStatus};
use crate::output::Printer;

/// `kubectl-kuul`'s `main`.
pub fn main() -> ExitCode {
    run_args(std::env::args_os())
}

/// `main` of a thin per-subcommand binary (`kubectl-kuul-suspend_all`): the same as
/// `kubectl-kuul <subcommand> ARGS...`, so parsing, help and errors match by construction.
pub fn main_subcommand(subcommand: &str) -> ExitCode {
    let mut args: Vec<OsString> = std::env::args_os().collect();
    let rest = if args.is_empty() { Vec::new() } else { args.split_off(1) };
    let argv = [OsString::from("kubectl-kuul"), OsString::from(subcommand)].into_iter().chain(rest);
    run_args(argv)
}

/// Parses `args` (program name first), runs the subcommand and returns its exit code.
pub fn run_args(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let cli = match crate::cli::parse_from(args) {
        Ok(cli) => cli,
        Err(err) => {
            // clap prints help/version to stdout (exit 0) and usage errors to stderr (exit 2).
            let _ = err.print();
            return if err.use_stderr() {
                ExitStatus::Usage.into()
            } else {
                ExitStatus::Success.into()
            };
        }
    };
    let runtime =
        match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
            Ok(runtime) => runtime,
            Err(err) => {
                return report(&Error::Io {
                    context: "starting the async runtime".into(),
                    source: err,
                });
            }
        };
    crate::cluster::trace::set_verbosity(cli.kube.verbosity);
    let ctx = Context::new(cli.kube);
    let stdout = std::io::stdout();
    let mut stdout = stdout.lock();
    let mut printer =
        Printer::new(&mut stdout, cli.output.output, cli.output.no_headers, ctx.color);
    let result = runtime.block_on(commands::dispatch(cli.command, &ctx, &mut printer));
    let _ = stdout.flush();
    // Don't wait for lingering connection tasks.
    runtime.shutdown_background();
    match result {
        Ok(status) => status.into(),
        Err(err) => report(&err),
    }
}

/// Prints `error: ...` and `hint: ...` to stderr and returns the error's exit code. A closed pipe
/// (`kubectl kuul lastrun | head`) is not an error.
fn report(err: &Error) -> ExitCode {
    if let Error::Io { source, .. } = err
        && source.kind() == std::io::ErrorKind::BrokenPipe
    {
        return ExitStatus::Success.into();
    }
    // Credentials never reach the terminal, whatever an error carries (an exec plugin's
    // output, a server message quoting a header).
    let redact = crate::cluster::trace::redact;
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "error: {}", redact(&err.to_string()));
    if let Some(hint) = err.hint() {
        let _ = writeln!(stderr, "hint: {}", redact(&hint));
    }
    err.exit_status().into()
}
