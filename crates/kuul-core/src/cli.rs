//! The command line: `kubectl kuul <subcommand>` with kubectl's own flags.
//!
//! The kubectl flags (`--kubeconfig`, `--context`, `-n`, `-A`, `-l`, `-o`, ...) are global, so
//! they work before or after the subcommand, as kubectl users type them.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, Subcommand};

use crate::commands::{
    completion, cost_report, forecast, history, label_pool, lastrun, lint, logs, prune,
    reschedule_next_minute, resume, suspend_all, trigger,
};
use crate::output::OutputFormat;

/// kubectl plugins for Kubernetes CronJobs: run, pause, debug, clean up and watch periodic jobs.
#[derive(Debug, Parser)]
#[command(name = "kubectl-kuul", bin_name = "kubectl kuul")]
#[command(version = VERSION, propagate_version = true)]
#[command(max_term_width = 100, subcommand_required = true, arg_required_else_help = true)]
pub struct Cli {
    /// Cluster connection flags, as kubectl spells them.
    #[command(flatten)]
    pub kube: KubeArgs,
    /// Output flags.
    #[command(flatten)]
    pub output: OutputArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// `--version`: the package version and the git commit it was built from (kuul-core's
/// `build.rs`; "unknown commit" outside git).
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (", env!("KUUL_GIT_COMMIT"), ")");

/// The subcommands. One module per variant under `commands/`.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a Job from a CronJob now, like `kubectl create job --from=cronjob/NAME`
    Trigger(trigger::Args),
    /// Suspend every CronJob in scope, saving each one's previous state on the object
    SuspendAll(suspend_all::Args),
    /// Restore the state `suspend-all` saved, or resume named CronJobs
    Resume(resume::Args),
    /// Make a CronJob fire at the next minute (by the cluster's clock), saving its schedule
    RescheduleNextMinute(reschedule_next_minute::Args),
    /// Delete finished Jobs and stray pods by age, result, kind of run and count
    Prune(prune::Args),
    /// Show each CronJob's last and next run and whether it is healthy
    #[command(visible_alias = "last-run")]
    Lastrun(lastrun::Args),
    /// Put nodes into pools and show which CronJobs each pool serves
    LabelPool(label_pool::Args),
    /// Estimate what periodic jobs cost, per CronJob, namespace and pool
    CostReport(cost_report::Args),
    /// Every retained run of CronJobs: results, reasons, lateness and what changed
    History(history::Args),
    /// The logs of a CronJob's latest, latest failed, Nth or every run, found for you
    Logs(logs::Args),
    /// Catch periodic-job pitfalls in manifests (-f) or in the cluster, with file:line
    Lint(lint::Args),
    /// When CronJobs will fire, how runs pile up per pool against capacity: a heat map
    Forecast(forecast::Args),
    /// Print shell completion scripts, or install kubectl's completion hook for `kubectl kuul`
    Completion(completion::Args),
    /// kubectl's plugin completion entry, run by the `kubectl_complete-kuul` hook
    #[command(name = "__complete", hide = true)]
    Complete(crate::complete::Args),
}

impl Command {
    /// The subcommand as typed on the command line.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Trigger(_) => "trigger",
            Command::SuspendAll(_) => "suspend-all",
            Command::Resume(_) => "resume",
            Command::RescheduleNextMinute(_) => "reschedule-next-minute",
            Command::Prune(_) => "prune",
            Command::Lastrun(_) => "lastrun",
            Command::LabelPool(_) => "label-pool",
            Command::CostReport(_) => "cost-report",
            Command::History(_) => "history",
            Command::Logs(_) => "logs",
            Command::Lint(_) => "lint",
            Command::Forecast(_) => "forecast",
            Command::Completion(_) => "completion",
            Command::Complete(_) => "__complete",
        }
    }
}

/// The subcommands (the eight of the mission, then the newer ones), in the order `--help` lists them. The thin binaries
/// (`kubectl-kuul-<name with _ for ->`) exist for exactly these; `completion` and the hidden
/// `__complete` are reached through `kubectl-kuul` only.
pub const SUBCOMMANDS: [&str; 12] = [
    "trigger",
    "suspend-all",
    "resume",
    "reschedule-next-minute",
    "prune",
    "lastrun",
    "label-pool",
    "cost-report",
    "history",
    "logs",
    "lint",
    "forecast",
];

/// How to reach the cluster and what part of it to look at.
#[derive(Debug, Clone, Default, clap::Args)]
#[command(next_help_heading = "Cluster options")]
pub struct KubeArgs {
    /// Path to the kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)
    #[arg(long, global = true, value_name = "PATH")]
    pub kubeconfig: Option<PathBuf>,
    /// The name of the kubeconfig context to use
    #[arg(long, global = true, value_name = "NAME")]
    pub context: Option<String>,
    /// The name of the kubeconfig cluster to use
    #[arg(long, global = true, value_name = "NAME")]
    pub cluster: Option<String>,
    /// The name of the kubeconfig user to use
    #[arg(long, global = true, value_name = "NAME")]
    pub user: Option<String>,
    /// The namespace scope (default: the context's namespace, else "default")
    #[arg(short = 'n', long, global = true, value_name = "NAMESPACE")]
    pub namespace: Option<String>,
    /// Look in every namespace
    #[arg(short = 'A', long, global = true)]
    pub all_namespaces: bool,
    /// Label selector, e.g. -l 'team=db,tier!=test'
    #[arg(short = 'l', long, global = true, value_name = "SELECTOR")]
    pub selector: Option<String>,
    /// How long one request (with its retries) may take; 0 means no limit
    #[arg(long, global = true, value_name = "DURATION", default_value = "30s",
          value_parser = parse_request_timeout, allow_hyphen_values = true)]
    pub request_timeout: Duration,
    /// Log level, like kubectl's: 4 retries, 6 each request, 7 request headers, 8 bodies
    /// (credentials are always masked)
    #[arg(short = 'v', long = "v", global = true, value_name = "LEVEL", default_value_t = 0,
          value_parser = clap::value_parser!(u8).range(0..=10))]
    pub verbosity: u8,
}

/// How results are printed.
#[derive(Debug, Clone, clap::Args)]
#[command(next_help_heading = "Output options")]
pub struct OutputArgs {
    /// Output format: table, wide, json, yaml, name, csv, jsonpath=TEMPLATE
    #[arg(short = 'o', long, global = true, value_name = "FORMAT", default_value = "table")]
    pub output: OutputFormat,
    /// Don't print table headers
    #[arg(long, global = true)]
    pub no_headers: bool,
}

/// `--dry-run[=none|client|server]` for commands that write; a bare `--dry-run` means `client`
/// (kubectl's historical default). Flatten it into a command's `Args`.
#[derive(Debug, Clone, Copy, Default, clap::Args)]
pub struct DryRunArg {
    /// Only show what would change (client), or let the server validate it without storing
    /// anything (server)
    #[arg(long, value_enum, default_value_t = DryRun::None, num_args = 0..=1,
          default_missing_value = "client", require_equals = true, value_name = "MODE")]
    pub dry_run: DryRun,
}

/// `--dry-run` values, as kubectl has them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum DryRun {
    /// Make the changes.
    #[default]
    None,
    /// Only show what would be sent.
    Client,
    /// Send with `dryRun=All`: the server validates, nothing is stored.
    Server,
}

impl DryRun {
    /// The value as the flag and every `-o json` report spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            DryRun::None => "none",
            DryRun::Client => "client",
            DryRun::Server => "server",
        }
    }
}

/// The clap command with every subcommand's examples laid out to fit 80 columns: an example
/// line `  kubectl kuul ...   # what it does` that would not fit gets its comment on the line
/// above, as kubectl's own examples are written, so `--help` never wraps in the middle of a
/// command (issue 13). Parse with [`parse_from`], which uses it.
pub fn command() -> clap::Command {
    use clap::CommandFactory;
    let mut root = Cli::command();
    let names: Vec<String> = root.get_subcommands().map(|c| c.get_name().to_owned()).collect();
    for name in names {
        root = root.mut_subcommand(&name, |sub| {
            match sub.get_after_help().map(|t| fit_examples(&t.to_string(), 80)) {
                Some(text) => sub.after_help(text),
                None => sub,
            }
        });
    }
    root
}

/// Parses `args` (program name first) against [`command`].
pub fn parse_from(args: impl IntoIterator<Item = std::ffi::OsString>) -> Result<Cli, clap::Error> {
    use clap::FromArgMatches;
    let mut command = command();
    let matches = command.try_get_matches_from_mut(args)?;
    Cli::from_arg_matches(&matches).map_err(|e| e.format(&mut command))
}

/// `text` with its `  kubectl ...  # comment` lines as `  # comment` + `  kubectl ...` pairs
/// (separated by blank lines) when any of them is wider than `width`; unchanged otherwise.
pub(crate) fn fit_examples(text: &str, width: usize) -> String {
    // An example: an indented line running kubectl, with an optional `  # comment`.
    let split = |line: &str| -> Option<(String, String, Option<String>)> {
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        if indent.len() < 2 || !trimmed.contains("kubectl ") || trimmed.starts_with('#') {
            return None;
        }
        Some(match trimmed.find("  #") {
            Some(at) => {
                let (command, comment) = trimmed.split_at(at);
                (indent.to_owned(), command.trim_end().to_owned(), Some(comment.trim().to_owned()))
            }
            None => (indent.to_owned(), trimmed.to_owned(), None),
        })
    };
    if !text.lines().any(|l| split(l).is_some() && l.chars().count() > width) {
        return text.to_owned();
    }
    let mut out: Vec<String> = Vec::new();
    let mut previous_was_example = false;
    for line in text.lines() {
        match split(line) {
            Some((indent, command, comment)) => {
                if previous_was_example {
                    out.push(String::new());
                }
                if let Some(comment) = comment {
                    out.push(format!("{indent}{comment}"));
                }
                out.extend(wrap_command(&indent, &command, width));
                previous_was_example = true;
            }
            None => {
                out.push(line.to_owned());
                previous_was_example = false;
            }
        }
    }
    out.join("\n")
}

/// A shell command too wide for `width` as continued lines (`\` at each end), broken only at
/// spaces outside quotes so every piece still pastes as the same command.
fn wrap_command(indent: &str, command: &str, width: usize) -> Vec<String> {
    let first = format!("{indent}{command}");
    if first.chars().count() <= width {
        return vec![first];
    }
    let mut words: Vec<String> = Vec::new();
    let (mut word, mut quote) = (String::new(), None);
    for c in command.chars() {
        match (c, quote) {
            (' ', None) => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                continue;
            }
            ('\'' | '"', None) => quote = Some(c),
            (c, Some(q)) if c == q => quote = None,
            _ => {}
        }
        word.push(c);
    }
    words.push(word);
    let mut lines = Vec::new();
    let mut line = indent.to_owned();
    let continued = format!("{indent}    ");
    for word in words {
        let fresh = line.trim().is_empty();
        if !fresh && line.chars().count() + 1 + word.chars().count() + 2 > width {
            lines.push(format!("{line} \\"));
            line.clone_from(&continued);
            line.push_str(&word);
        } else {
            if !fresh {
                line.push(' ');
            }
            line.push_str(&word);
        }
    }
    lines.push(line);
    lines
}

/// kubectl's `--request-timeout`: a Go duration, or a bare number of seconds (client-go's
/// `clientcmd` accepts both).
fn parse_request_timeout(text: &str) -> Result<Duration, String> {
    if let Ok(seconds) = text.parse::<u64>() {
        return Ok(Duration::from_secs(seconds));
    }
    crate::duration::parse(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
        command().debug_assert();
    }

    #[test]
    fn examples_fit_80_columns_with_comments_above_commands() {
        let long = "Examples:\n  kubectl kuul suspend-all -n ops --reason 'db migration'   # every CronJob in ops\n  kubectl kuul resume -A   # later\n\nExit codes: 0 ok";
        assert_eq!(
            fit_examples(long, 80),
            "Examples:\n  # every CronJob in ops\n  kubectl kuul suspend-all -n ops --reason 'db migration'\n\n  # later\n  kubectl kuul resume -A\n\nExit codes: 0 ok"
        );
        let short = "Examples:\n  kubectl kuul resume -A   # later";
        assert_eq!(fit_examples(short, 80), short);
        let quoted = "  kubectl kuul history nightly-backup -o jsonpath='{.items[0] .name}'";
        assert_eq!(
            wrap_command("  ", quoted.trim_start(), 40),
            ["  kubectl kuul history nightly-backup \\", "      -o jsonpath='{.items[0] .name}'"]
        );
        // Every subcommand's examples, as --help prints them.
        let mut root = command();
        for sub in root.get_subcommands_mut() {
            let help = sub.get_after_help().map(ToString::to_string).unwrap_or_default();
            for line in help.lines().filter(|l| l.starts_with("  ") && l.contains("kubectl ")) {
                assert!(line.chars().count() <= 80, "{}: {line}", sub.get_name());
            }
        }
    }

    #[test]
    fn subcommand_list_matches_the_enum() {
        let names: Vec<String> = Cli::command()
            .get_subcommands()
            .map(|c| c.get_name().to_owned())
            .filter(|name| name != "completion" && name != "__complete")
            .collect();
        assert_eq!(names, SUBCOMMANDS);
    }

    #[test]
    fn kubectl_flags_work_after_the_subcommand() {
        let cli = Cli::try_parse_from([
            "kubectl-kuul",
            "lastrun",
            "-n",
            "ops",
            "-o",
            "json",
            "--context",
            "prod",
            "--request-timeout",
            "5",
        ])
        .unwrap();
        assert_eq!(cli.kube.namespace.as_deref(), Some("ops"));
        assert_eq!(cli.kube.context.as_deref(), Some("prod"));
        assert_eq!(cli.kube.request_timeout, Duration::from_secs(5));
        assert_eq!(cli.output.output, OutputFormat::Json);
    }

    #[test]
    fn verbosity_takes_every_kubectl_spelling() {
        for spelling in [&["-v=6"][..], &["-v", "6"], &["--v=6"], &["--v", "6"], &["-v6"]] {
            let args = ["kubectl-kuul", "lastrun"].iter().copied().chain(spelling.iter().copied());
            let cli = Cli::try_parse_from(args).unwrap();
            assert_eq!(cli.kube.verbosity, 6, "{spelling:?}");
        }
        assert_eq!(Cli::try_parse_from(["kubectl-kuul", "lastrun"]).unwrap().kube.verbosity, 0);
        assert!(Cli::try_parse_from(["kubectl-kuul", "lastrun", "-v=11"]).is_err());
    }
}
