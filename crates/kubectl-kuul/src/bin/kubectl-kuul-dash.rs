//! `kubectl kuul dash` as its own kubectl plugin executable (kubectl finds it by file name).

fn main() -> std::process::ExitCode {
    kuul_core::main_subcommand("dash")
}
