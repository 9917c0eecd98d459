//! The stand-in for subcommands that are not built yet: it accepts any arguments and says so
//! plainly (exit 1). Nothing pretends to work.

/// Any arguments; none are read.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    #[arg(hide = true, trailing_var_arg = true, allow_hyphen_values = true)]
    _ignored: Vec<String>,
}
