//! `kubectl kuul lint`: periodic-job pitfalls caught before they ship, in manifests (`-f`,
//! no cluster needed) and in the cluster (`-n`, `-A`, `-l`, names).
//!
//! Each rule has an ID, a default severity, a one-line why and a page (`--explain RULE`).
//! Schedules are judged by `kuul-schedule` exactly as the API server validates them and the
//! controller runs them. Findings point at `file:line` of the offending field (or of the
//! nearest parent when a field is missing). Exit 4 when a finding reaches `--fail-on`, 1 when
//! an input could not be read (the rest is still linted), 0 otherwise.

pub(crate) mod config;
mod engine;
mod input;
pub(crate) mod node;
pub(crate) mod object;
mod report;
pub(crate) mod rules;

use std::collections::HashMap;
use std::path::PathBuf;

use jiff::SignedDuration;
use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::api::core::v1::Node as KubeNode;

pub use object::IGNORE_ANNOTATION;
pub use report::{LintReport, Row, Summary, github, sarif};
pub use rules::Severity;

use crate::cluster::ListOptions;
use crate::cluster::lookup::nearest;
use crate::commands::lastrun::facts::JobFacts;
use crate::context::Context;
use crate::error::{Error, ExitStatus, Result};
use crate::output::{OutputFormat, Printer};
use crate::placement::{NodeFacts, Placement};
use config::Config;
use engine::Item;
use rules::live::LiveFacts;

/// Arguments of `lint`.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Without -f it lints the CronJobs in the cluster (-n, -A, -l, names), \
adding the rules that need live facts (placement on the nodes there are, run durations).

Rules: kubectl kuul lint --explain (all), --explain RULE (one rule's page).
Switch rules off per object with the annotation kuul.dev/lint-ignore: RULE,RULE, or per
repository in .kuul-lint.yaml (rules: {RULE: off|info|warning|error}, thresholds: ...).

Exit status: 0 nothing at --fail-on or above, 4 a finding at --fail-on or above, 1 an input
could not be read (the others are still linted), 2 usage.

Examples:
  kubectl kuul lint -f cronjobs/ -R                      # every manifest below cronjobs/
  helm template charts/backup | kubectl kuul lint -f -   # a chart's output
  kubectl kuul lint -f jobs.yaml -o sarif > lint.sarif   # for GitHub code scanning
  kubectl kuul lint -f jobs.yaml -o github               # annotations in a workflow
  kubectl kuul lint -A --fail-on warning                 # the live cluster, strict")]
pub struct Args {
    /// CronJobs to lint in the cluster (default: all in scope)
    #[arg(value_name = "CRONJOB")]
    pub names: Vec<String>,
    /// Manifest file, directory or - for stdin (repeatable); YAML streams, JSON, kind: List
    #[arg(short = 'f', long = "filename", value_name = "FILE|DIR|-")]
    pub files: Vec<String>,
    /// Process directories given with -f recursively
    #[arg(short = 'R', long)]
    pub recursive: bool,
    /// Exit 4 when a finding is at least this severe: info, warning, error or never
    #[arg(long, value_name = "SEVERITY", default_value = "error", value_parser = parse_fail_on)]
    pub fail_on: FailOn,
    /// Settings file (default: the nearest .kuul-lint.yaml from the current directory up)
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Print a rule's page (or, with no RULE, list every rule) and exit
    #[arg(long, value_name = "RULE", num_args = 0..=1, default_missing_value = "")]
    pub explain: Option<String>,
}

/// `--fail-on`: the least severity that fails the run (`None`: never).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FailOn(pub Option<Severity>);

fn parse_fail_on(text: &str) -> std::result::Result<FailOn, String> {
    if text == "never" || text == "none" {
        return Ok(FailOn(None));
    }
    Severity::parse(text)
        .map(|s| FailOn(Some(s)))
        .ok_or_else(|| format!("\"{text}\" is not info, warning, error or never"))
}

/// Runs `lint`.
pub async fn run(ctx: &Context, args: Args, out: &mut Printer<'_>) -> Result<ExitStatus> {
    if let Some(rule) = &args.explain {
        return explain(rule, out);
    }
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let config = Config::load(args.config.as_deref(), &cwd)?;
    let (report, read_errors) = if args.files.is_empty() {
        (lint_cluster(ctx, &args, &config).await?, false)
    } else {
        if !args.names.is_empty() {
            return Err(Error::Usage(
                "CronJob names select objects in the cluster; with -f every file is linted".into(),
            ));
        }
        let kube = ctx.kube_args();
        if kube.all_namespaces || kube.selector.is_some() {
            return Err(Error::Usage(
                "-A and -l select CronJobs in the cluster, not with -f".into(),
            ));
        }
        lint_files(&args, &config)
    };
    print(&report, out)?;
    if read_errors {
        return Ok(ExitStatus::Error);
    }
    let failed = match (args.fail_on.0, report.worst()) {
        (Some(limit), Some(worst)) => worst >= limit,
        _ => false,
    };
    Ok(if failed { ExitStatus::CheckFailed } else { ExitStatus::Success })
}

/// Lints files; the flag says whether any input could not be read.
fn lint_files(args: &Args, config: &Config) -> (LintReport, bool) {
    let stdin = std::io::stdin();
    let input = input::load(&args.files, args.recursive, &mut stdin.lock());
    for error in &input.errors {
        crate::notice::line(&format!("error: {error}"), None);
    }
    let items: Vec<Item<'_>> = input
        .objects
        .iter()
        .map(|o| Item { file: Some(o.file.as_str()), object: &o.object, live: None })
        .collect();
    let (rows, objects) = engine::lint(&items, config, jiff::Timestamp::now());
    let report = LintReport::new("files", "local", source(config), objects, rows, &input.errors);
    (report, !input.errors.is_empty())
}

fn source(config: &Config) -> Option<String> {
    config.source.as_ref().map(|p| p.display().to_string())
}

/// Lints the CronJobs in the cluster, with nodes and run history.
async fn lint_cluster(ctx: &Context, args: &Args, config: &Config) -> Result<LintReport> {
    if args.recursive {
        return Err(Error::Usage("-R goes with -f DIR".into()));
    }
    ctx.check_scope_flags()?;
    let selector = ctx.label_selector()?;
    let scope = ctx.scope().await?;
    let cluster = &ctx.connection().await?.cluster;
    let namespace = scope.namespace();
    let options = ListOptions { label_selector: selector, field_selector: None };
    let every = ListOptions::default();
    let (cronjobs, jobs, nodes) = tokio::join!(
        cluster.list::<CronJob, serde_json::Value>(namespace, &options),
        cluster.list::<Job, JobFacts>(namespace, &every),
        cluster.list::<KubeNode, NodeFacts>(None, &every),
    );
    let cronjobs = cronjobs?;
    let jobs = jobs?;
    // Nodes are cluster-scoped: a namespaced role may not list them. Lint without placement.
    let nodes = match nodes {
        Ok(nodes) => nodes,
        Err(Error::Forbidden { .. }) => {
            crate::notice::warning(
                "cannot list nodes (forbidden): placement-unsatisfiable is not checked",
                None,
            );
            Vec::new()
        }
        Err(e) => return Err(e),
    };
    let (now, clock) = cluster.now();

    let name_of = |cj: &serde_json::Value| {
        cj.pointer("/metadata/name").and_then(|v| v.as_str()).unwrap_or("").to_owned()
    };
    let existing: Vec<String> = cronjobs.iter().map(name_of).collect();
    if let Some(missing) = args.names.iter().find(|n| !existing.contains(n)) {
        let existing: Vec<&str> = existing.iter().map(String::as_str).collect();
        return Err(Error::NotFound {
            kind: "cronjob",
            name: missing.clone(),
            namespace: namespace.map(str::to_owned),
            suggestions: nearest(missing, &existing),
        });
    }
    let mut durations: HashMap<&str, Vec<SignedDuration>> = HashMap::new();
    for job in &jobs {
        let (Some(uid), Some(start), Some((_, Some(end)))) =
            (job.metadata.controller_uid(), job.started(), job.finished())
        else {
            continue;
        };
        durations.entry(uid).or_default().push(end.duration_since(start));
    }
    let wanted: Vec<&serde_json::Value> = cronjobs
        .iter()
        .filter(|cj| args.names.is_empty() || args.names.contains(&name_of(cj)))
        .collect();
    let trees: Vec<node::Node> = wanted
        .iter()
        .map(|cj| {
            let mut tree = node::Node::from_json(cj);
            // Objects from the API server carry no apiVersion/kind inside a list.
            if let node::Value::Map(entries) = &mut tree.value {
                entries.retain(|(k, _)| k != "apiVersion" && k != "kind");
                let text = |s: &str| node::Node::from_json(&serde_json::Value::from(s));
                entries.insert(0, ("kind".to_owned(), text("CronJob")));
                entries.insert(0, ("apiVersion".to_owned(), text("batch/v1")));
            }
            tree
        })
        .collect();
    let items: Vec<Item<'_>> = wanted
        .iter()
        .zip(&trees)
        .map(|(cj, tree)| {
            let uid = cj.pointer("/metadata/uid").and_then(|v| v.as_str()).unwrap_or("");
            let placement: Placement = cj
                .pointer("/spec/jobTemplate/spec/template/spec")
                .and_then(|spec| serde_json::from_value(spec.clone()).ok())
                .unwrap_or_default();
            let facts = LiveFacts {
                nodes: &nodes,
                placement,
                durations: durations.get(uid).cloned().unwrap_or_default(),
            };
            Item { file: None, object: tree, live: Some(facts) }
        })
        .collect();
    let (rows, objects) = engine::lint(&items, config, now);
    let clock = match clock {
        crate::cluster::ClockSource::ApiServer => "api-server",
        crate::cluster::ClockSource::Local => "local",
    };
    Ok(LintReport::new("cluster", clock, source(config), objects, rows, &[]))
}

fn print(report: &LintReport, out: &mut Printer<'_>) -> Result<()> {
    match out.format() {
        OutputFormat::Sarif => {
            let mut text = serde_json::to_string_pretty(&sarif(report))
                .map_err(|e| Error::Decode(format!("cannot encode SARIF: {e}")))?;
            text.push('\n');
            out.write_str(&text)
        }
        OutputFormat::Github => out.write_str(&github(report)),
        OutputFormat::Table | OutputFormat::Wide => {
            out.print(report)?;
            if report.summary.objects == 0 && !report.unreadable.is_empty() {
                // Only the error lines on stderr: nothing was linted.
                Ok(())
            } else if report.findings.is_empty() {
                out.write_str(&format!(
                    "{} object(s) linted: no findings\n",
                    report.summary.objects
                ))
            } else {
                out.write_str(&format!("\n{}\n", report.summary_line()))
            }
        }
        _ => out.print(report),
    }
}

/// `--explain`: one rule's page, or the catalogue.
fn explain(rule: &str, out: &mut Printer<'_>) -> Result<ExitStatus> {
    if rule.is_empty() {
        let mut text = String::new();
        let width = rules::RULES.iter().map(|r| r.id.len()).max().unwrap_or(0);
        for r in rules::RULES {
            let scope = if r.scope == rules::Scope::Live { " [cluster]" } else { "" };
            text.push_str(&format!(
                "{:width$}  {:7}  {}{scope}\n",
                r.id,
                r.severity.as_str(),
                r.why
            ));
        }
        out.write_str(&text)?;
        return Ok(ExitStatus::Success);
    }
    match rules::rule(rule) {
        Some(r) => {
            out.write_str(r.doc)?;
            Ok(ExitStatus::Success)
        }
        None => {
            let ids: Vec<&str> = rules::RULES.iter().map(|r| r.id).collect();
            let near = nearest(rule, &ids);
            Err(Error::Usage(format!(
                "no rule \"{rule}\"{} (kubectl kuul lint --explain lists them)",
                if near.is_empty() {
                    String::new()
                } else {
                    format!("; did you mean {}?", near.join(", "))
                }
            )))
        }
    }
}
