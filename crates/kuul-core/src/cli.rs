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
#[derive(Debug, Clone, Subcommand)]
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
    /// The kubeconfig context to use. Several (a,b, repeated, or a pattern such as 'prod-*'):
    /// the command runs in each, concurrently, and prints one merged result
    #[arg(id = "context", long = "context", global = true, value_name = "NAME",
          value_delimiter = ',', action = clap::ArgAction::Append)]
    pub contexts: Vec<String>,
    /// Run in every context of the kubeconfig (see --context)
    #[arg(long, global = true, conflicts_with = "context")]
    pub all_contexts: bool,
    /// The one context a connection uses: `--context NAME`, or each selected context in turn
    /// (`crate::fanout` sets it). Not a flag of its own.
    #[arg(skip)]
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
        assert_eq!(cli.kube.contexts, ["prod"]);
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
