//! `kubectl-kuul`: every `kubectl kuul` subcommand in one kubectl plugin executable.

fn main() -> std::process::ExitCode {
    kuul_core::main()
}
