//! The hidden `kubectl-kuul __complete -- WORDS... CURRENT` entry behind `kubectl kuul <TAB>`.
//!
//! kubectl (>= 1.26, kubernetes#105867) completes `kubectl kuul ...` by running the executable
//! `kubectl_complete-kuul` from PATH with the words typed after `kuul`, the last one being the word
//! under the cursor (empty when a new word starts), and reading cobra's `__complete` format back
//! (see [`protocol`]). Our hook script (`completions/kubectl_complete-kuul`, written by
//! `kubectl kuul completion install`) just runs `kubectl-kuul __complete -- "$@"`; the `--` keeps
//! typed flags (`-n`) from being parsed as our own.
//!
//! When the thin binaries (`kubectl-kuul-trigger`, ...) are on PATH too, kubectl registers
//! `kuul trigger` as a command of its own and asks `kubectl_complete-kuul-trigger` instead
//! (`registerPluginCommands` splits plugin file names on `-`); those hooks run
//! `kubectl-kuul __complete -- trigger "$@"`, so both layouts land here with the same words.
//!
//! Subcommands and flags come from the clap definition; CronJob, node, pool, namespace and
//! context names come from the cluster and kubeconfig ([`live`]) under a one-second deadline.
//! This entry never fails: kubectl ignores a hook that exits non-zero, so errors become "no
//! candidates".

pub mod live;
pub mod protocol;
pub mod words;

use std::time::Duration;

use clap::CommandFactory;

use crate::cli::{Cli, KubeArgs};
use crate::error::{ExitStatus, Result};
use crate::output::Printer;
use live::Source;
use protocol::{Candidate, Completion, Directive};
use words::{Position, Want};

/// Arguments of the hidden `__complete` subcommand.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// The words after `kubectl kuul`, the last one being completed (after `--`)
    #[arg(raw = true, value_name = "WORDS")]
    pub words: Vec<String>,
}

/// Prints the completion for `args.words` in kubectl's plugin completion format.
pub async fn run(args: Args, out: &mut Printer<'_>) -> Result<ExitStatus> {
    let completion = complete(&args.words, live::LIVE_TIMEOUT).await;
    out.write_str(&completion.render())?;
    Ok(ExitStatus::Success)
}

/// The completion for `words` (the words after the plugin name, the last one being completed),
/// waiting at most `deadline` for live names.
pub async fn complete(words: &[String], deadline: Duration) -> Completion {
    let mut root = Cli::command();
    root.build();
    let position = words::locate(&root, words);
    let command = match &position.subcommand {
        Some(name) => root.find_subcommand(name).unwrap_or(&root),
        None => &root,
    };
    let completion = match &position.want {
        Want::Subcommand => Completion::of(subcommands(&root)),
        Want::Flag => Completion::of(flags(command, &position.current)),
        Want::FlagValue { id, prefix } => {
            let mut completion = flag_values(command, id, &position, deadline).await;
            for candidate in &mut completion.candidates {
                candidate.value.insert_str(0, prefix);
            }
            completion
        }
        Want::Positional { value_name, index } => {
            match positional_source(position.subcommand.as_deref(), value_name.as_deref(), *index) {
                Some(source) => {
                    let mut found = live::lookup(source, kube_args(&position), deadline).await;
                    // `resume a b <TAB>`: don't offer what is already on the line.
                    found.retain(|c| !position.positionals.contains(&c.value));
                    Completion::of(found)
                }
                None => Completion::nothing(),
            }
        }
    };
    let prefix = match &position.want {
        Want::FlagValue { prefix, .. } => format!("{prefix}{}", position.current),
        _ => position.current.clone(),
    };
    Completion {
        candidates: completion
            .candidates
            .into_iter()
            .filter(|c| c.value.starts_with(&prefix))
            .collect(),
        ..completion
    }
}

/// The visible subcommands with their one-line help.
///
/// Leaves out the subcommands whose thin binary (`kubectl-kuul-suspend_all`) is on PATH: kubectl
/// (1.26+) already offers those itself, as plugin subcommands found by file name, so `kubectl
/// kuul <TAB>` listed each of them twice. Without thin binaries (a krew install) we list all.
fn subcommands(root: &clap::Command) -> Vec<Candidate> {
    let path: Vec<std::path::PathBuf> =
        std::env::var_os("PATH").map(|p| std::env::split_paths(&p).collect()).unwrap_or_default();
    let thin_on_path = |name: &str| {
        let file =
            format!("kubectl-kuul-{}{}", name.replace('-', "_"), std::env::consts::EXE_SUFFIX);
        path.iter().any(|dir| dir.join(&file).is_file())
    };
    root.get_subcommands()
        .filter(|sub| !sub.is_hide_set() && !thin_on_path(sub.get_name()))
        .map(|sub| Candidate::new(sub.get_name(), first_line(sub.get_about())))
        .collect()
}

/// The visible flags of `command` (its own and the global ones): long forms, and short forms too
/// when the word is a single dash or a short flag.
fn flags(command: &clap::Command, current: &str) -> Vec<Candidate> {
    let with_shorts = !current.starts_with("--");
    let mut candidates = Vec::new();
    for arg in command.get_arguments().filter(|a| !a.is_positional() && !a.is_hide_set()) {
        let help = first_line(arg.get_help());
        if let Some(long) = arg.get_long() {
            candidates.push(Candidate::new(format!("--{long}"), help.clone()));
        }
        if with_shorts && let Some(short) = arg.get_short() {
            candidates.push(Candidate::new(format!("-{short}"), help));
        }
    }
    candidates
}

/// `-o` values. `OutputFormat::from_str` is the parser; a test checks every one parses.
const OUTPUT_FORMATS: [(&str, &str); 8] = [
    ("table", "a human table (default)"),
    ("wide", "the table with extra columns"),
    ("json", "the report as JSON"),
    ("yaml", "the report as YAML"),
    ("name", "one kind/name per line"),
    ("csv", "the wide table as CSV"),
    ("jsonpath=", "a kubectl JSONPath template"),
    ("openmetrics", "OpenMetrics / Prometheus text (lastrun)"),
];

async fn flag_values(
    command: &clap::Command,
    id: &str,
    position: &Position,
    deadline: Duration,
) -> Completion {
    let source = match id {
        "namespace" => Some(Source::Namespaces),
        "context" => Some(Source::Contexts),
        "cluster" => Some(Source::Clusters),
        "user" => Some(Source::Users),
        "run" | "diff" => Some(Source::Runs),
        _ => None,
    };
    if let Some(source) = source {
        return Completion::of(live::lookup(source, kube_args(position), deadline).await);
    }
    match id {
        // A path: let the shell complete file names.
        "kubeconfig" => Completion { candidates: Vec::new(), directive: Directive::DEFAULT },
        // `lastrun --fail-on MISSED,ST<TAB>`: the problems, after what is typed up to the comma.
        "fail_on" => {
            let typed = position.current.rsplit_once(',').map_or("", |(done, _)| done);
            let prefix = if typed.is_empty() { String::new() } else { format!("{typed},") };
            let problems = crate::commands::lastrun::Verdict::ALL
                .iter()
                .map(|v| v.as_str())
                .chain(["LATE"])
                .filter(|p| !typed.split(',').any(|t| t.eq_ignore_ascii_case(p)))
                .map(|p| Candidate::new(format!("{prefix}{p}"), String::new()))
                .collect();
            Completion { candidates: problems, directive: Directive::NO_FILE_COMP }
        }
        "output" => {
            let candidates =
                OUTPUT_FORMATS.iter().map(|(name, help)| Candidate::new(*name, *help)).collect();
            // `jsonpath=` is completed without a space so the template can follow.
            let no_space = position.current.starts_with("jsonpath");
            Completion {
                candidates,
                directive: if no_space {
                    Directive::NO_FILE_COMP.with(Directive::NO_SPACE)
                } else {
                    Directive::NO_FILE_COMP
                },
            }
        }
        _ => {
            // Value enums (`--dry-run=client`, ...) list their possible values.
            let values = command
                .get_arguments()
                .find(|arg| arg.get_id() == id)
                .map(clap::Arg::get_possible_values)
                .unwrap_or_default();
            Completion::of(
                values
                    .iter()
                    .filter(|v| !v.is_hide_set())
                    .map(|v| Candidate::new(v.get_name(), first_line(v.get_help())))
                    .collect(),
            )
        }
    }
}

/// Which names a positional argument takes: by the value name the subcommand declares
/// (`CRONJOB`, `NODE`, `POOL`), else by the mission's command shapes (DESIGN.md: `trigger
/// CRONJOB`, `reschedule-next-minute CRONJOB`, `resume [CRONJOB...]`) for subcommands whose
/// arguments don't name their value.
fn positional_source(
    subcommand: Option<&str>,
    value_name: Option<&str>,
    index: usize,
) -> Option<Source> {
    if let Some(name) = value_name {
        let name = name.trim_end_matches("...").to_ascii_uppercase();
        return match name.as_str() {
            "CRONJOB" | "CRONJOBS" | "NAME" => Some(Source::CronJobs),
            "NODE" | "NODES" => Some(Source::Nodes),
            "POOL" => Some(Source::Pools),
            "NAMESPACE" => Some(Source::Namespaces),
            _ => None,
        };
    }
    match (subcommand?, index) {
        ("trigger" | "reschedule-next-minute", 0) | ("resume", _) => Some(Source::CronJobs),
        _ => None,
    }
}

/// The kubectl flags typed on the line, for the live lookups.
fn kube_args(position: &Position) -> KubeArgs {
    let flag = |id: &str| position.flags.get(id).filter(|v| !v.is_empty()).cloned();
    KubeArgs {
        kubeconfig: flag("kubeconfig").map(Into::into),
        context: flag("context"),
        cluster: flag("cluster"),
        user: flag("user"),
        namespace: flag("namespace"),
        all_namespaces: position.flags.contains_key("all_namespaces"),
        selector: flag("selector"),
        ..KubeArgs::default()
    }
}

fn first_line(text: Option<&clap::builder::StyledStr>) -> String {
    text.map(|t| t.to_string().lines().next().unwrap_or_default().to_owned()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::OutputFormat;

    async fn offered(words: &[&str]) -> Vec<String> {
        let words: Vec<String> = words.iter().map(|w| (*w).to_owned()).collect();
        // No cluster is configured in unit tests: live sources yield nothing quickly.
        complete(&words, Duration::from_millis(200))
            .await
            .candidates
            .into_iter()
            .map(|c| c.value)
            .collect()
    }

    #[tokio::test]
    async fn subcommands_by_prefix_without_hidden_ones() {
        assert_eq!(offered(&["tr"]).await, ["trigger"]);
        let all = offered(&[""]).await;
        assert!(all.contains(&"completion".to_owned()), "{all:?}");
        assert!(!all.iter().any(|s| s.starts_with("__")), "{all:?}");
    }

    #[tokio::test]
    async fn flags_of_the_subcommand_and_global_ones() {
        let flags = offered(&["lastrun", "--"]).await;
        assert!(flags.contains(&"--check".to_owned()), "{flags:?}");
        assert!(flags.contains(&"--namespace".to_owned()), "{flags:?}");
        assert_eq!(offered(&["lastrun", "--ch"]).await, ["--check"]);
    }

    #[tokio::test]
    async fn output_values_keep_the_equals_prefix() {
        assert_eq!(offered(&["lastrun", "-o", "ya"]).await, ["yaml"]);
        assert_eq!(
            offered(&["lastrun", "--output=js"]).await,
            ["--output=json", "--output=jsonpath="]
        );
    }

    #[test]
    fn every_output_candidate_is_a_format_the_parser_knows() {
        for (name, _) in OUTPUT_FORMATS {
            let text = if name.ends_with('=') { format!("{name}{{.items}}") } else { name.into() };
            assert!(text.parse::<OutputFormat>().is_ok(), "{text}");
        }
    }

    #[test]
    fn positional_sources_follow_value_names_then_the_mission_shapes() {
        assert_eq!(positional_source(Some("lastrun"), Some("CRONJOB"), 3), Some(Source::CronJobs));
        assert_eq!(positional_source(Some("label-pool"), Some("NODE"), 1), Some(Source::Nodes));
        assert_eq!(positional_source(Some("trigger"), None, 0), Some(Source::CronJobs));
        assert_eq!(positional_source(Some("trigger"), None, 1), None);
        assert_eq!(positional_source(Some("prune"), None, 0), None);
    }
}
