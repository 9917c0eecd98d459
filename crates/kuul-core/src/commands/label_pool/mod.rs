//! `kubectl kuul label-pool`: put nodes into named pools (a node label, `kuul.dev/pool` unless
//! `--key` names an existing convention), take them out (`--remove`), and list pools with their
//! nodes, the CronJobs that target them and what would keep those CronJobs' pods Pending.
//!
//! Writes mirror `kubectl label` (`--overwrite` to move a node from another pool) and go through
//! the shared bulk-write engine: merge patches carrying the node's resourceVersion, re-read and
//! re-decided on conflict. The listing is two or three list calls sent concurrently.

mod listing;
mod report;
pub(crate) mod writes;

use k8s_openapi::api::batch::v1::CronJob;
use k8s_openapi::api::core::v1::Node;
use kube::api::Patch;

pub use listing::{CronJobPools, NO_POOL, Pool, PoolNode, Problem, ProblemType};
pub use report::{LabelResult, NodeChange, PoolList};
pub use writes::Change;

use crate::bulk::{self, Attempt, BulkArgs, Options, Outcome};
use crate::cli::{DryRun, DryRunArg};
use crate::cluster::annotations::POOL_LABEL;
use crate::cluster::lookup::nearest;
use crate::cluster::{Cluster, ListOptions, Write};
use crate::context::Context;
use crate::error::{Error, ExitStatus, Result};
use crate::output::{OutputFormat, Printer};
use crate::placement::NodeFacts;
use listing::CronJobPlacement;

/// Arguments of `label-pool`.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "With no POOL (or with --list) it lists pools; -l then selects the nodes \
shown. Pools are cluster-wide, so the CronJobs of every namespace are considered; -n narrows \
them (and says so). With POOL it labels the named nodes, or the nodes -l \
selects.

Examples:
  kubectl kuul label-pool batch node-1 node-2          # put two nodes in pool batch
  kubectl kuul label-pool batch -l node-role=worker    # every node the selector matches
  kubectl kuul label-pool batch node-3 --overwrite     # move node-3 from its current pool
  kubectl kuul label-pool batch node-1 --remove        # take node-1 out of pool batch
  kubectl kuul label-pool periodic node-1 --key myTag  # an existing label convention
  kubectl kuul label-pool                              # pools, their CronJobs and problems
  kubectl kuul label-pool --check                      # exit 4 if a CronJob cannot be placed")]
pub struct Args {
    /// The pool (the label's value)
    #[arg(value_name = "POOL")]
    pub pool: Option<String>,
    /// Nodes to put in (or, with --remove, take out of) the pool
    #[arg(value_name = "NODE")]
    pub nodes: Vec<String>,
    /// The node label that names the pool
    #[arg(long, default_value = POOL_LABEL, value_name = "KEY")]
    pub key: String,
    /// Move nodes that are in another pool (as kubectl label --overwrite)
    #[arg(long)]
    pub overwrite: bool,
    /// Take the nodes out of POOL (nodes in other pools are left alone)
    #[arg(long, conflicts_with = "overwrite")]
    pub remove: bool,
    /// List pools (the default when no POOL is given); with POOL, only that pool
    #[arg(long, conflicts_with_all = ["overwrite", "remove"])]
    pub list: bool,
    /// With the listing: exit 4 when a CronJob (not suspended) cannot be placed on any node
    #[arg(long)]
    pub check: bool,
    #[command(flatten)]
    pub dry_run: DryRunArg,
    #[command(flatten)]
    pub bulk: BulkArgs,
}

/// Runs `label-pool`.
pub async fn run(ctx: &Context, args: Args, out: &mut Printer<'_>) -> Result<ExitStatus> {
    writes::check_label(&args.key, args.pool.as_deref().unwrap_or("x"))?;
    match &args.pool {
        Some(pool) if !args.list => {
            if args.check {
                return Err(Error::Usage("--check goes with the listing (--list)".into()));
            }
            label(ctx, &args, pool, out).await
        }
        _ => list(ctx, &args, out).await,
    }
}

/// The listing.
async fn list(ctx: &Context, args: &Args, out: &mut Printer<'_>) -> Result<ExitStatus> {
    if !args.nodes.is_empty() {
        return Err(Error::Usage("nodes are named only when labelling: POOL NODE...".into()));
    }
    if args.remove {
        return Err(Error::Usage(
            "--remove takes nodes out of a pool: name it, as in label-pool POOL NODE... --remove"
                .into(),
        ));
    }
    if args.dry_run.dry_run != DryRun::None {
        return Err(Error::Usage("--dry-run goes with labelling, not with the listing".into()));
    }
    ctx.check_scope_flags()?;
    let selector = ctx.label_selector()?;
    // Pools are cluster-wide (like nodes): a CronJob in any namespace whose pods select a pool
    // depends on it, so the CronJobs of every namespace are considered (one cluster-wide list),
    // unless -n narrows them on purpose; -A is the default and accepted for symmetry.
    let namespace = ctx.kube_args().namespace.clone().filter(|_| !ctx.kube_args().all_namespaces);
    let cluster = &ctx.connection().await?.cluster;
    let shown_options = ListOptions { label_selector: selector.clone(), field_selector: None };
    let every = ListOptions::default();
    let (all, shown, cronjobs) = tokio::try_join!(
        cluster.list::<Node, NodeFacts>(None, &every),
        async {
            match &selector {
                Some(_) => cluster.list::<Node, NodeFacts>(None, &shown_options).await.map(Some),
                None => Ok(None),
            }
        },
        cluster.list::<CronJob, CronJobPlacement>(namespace.as_deref(), &every),
    )?;
    let shown = shown.as_deref().unwrap_or(&all);
    let mut l = listing::listing(&all, shown, &cronjobs, &args.key, args.pool.as_deref());
    if let Some(ns) = &namespace {
        for p in l.problems.iter_mut().filter(|p| p.type_ == ProblemType::NoCronJobs) {
            let pool = p.pool.as_deref().unwrap_or_default();
            p.message = format!("pool {pool} has no CronJobs in namespace {ns} targeting it");
        }
    }
    let report = PoolList {
        api_version: "kuul.dev/v1alpha1",
        kind: "PoolList",
        key: args.key.clone(),
        namespace,
        pools: l.pools,
        cronjobs: l.cronjobs,
        problems: l.problems,
    };
    out.print(&report)?;
    if matches!(out.format(), OutputFormat::Table | OutputFormat::Wide) {
        out.write_str(&report.problem_text())?;
    }
    let stuck = report.cronjobs.iter().any(|cj| !cj.placeable && !cj.suspended);
    Ok(if args.check && stuck { ExitStatus::CheckFailed } else { ExitStatus::Success })
}

/// Labelling (or unlabelling) nodes.
async fn label(
    ctx: &Context,
    args: &Args,
    pool: &str,
    out: &mut Printer<'_>,
) -> Result<ExitStatus> {
    let selector = ctx.label_selector()?;
    match (&selector, args.nodes.is_empty()) {
        (Some(_), false) => {
            return Err(Error::Usage("name nodes or select them with -l, not both".into()));
        }
        (None, true) if args.remove => {
            return Err(Error::Usage(format!(
                "no nodes given: --remove takes nodes out of a pool, as in label-pool POOL NODE... \
                 --remove (pool given: \"{pool}\")"
            )));
        }
        (None, true) => {
            return Err(Error::Usage(format!(
                "no nodes given: name them (label-pool {pool} NODE...) or select them with -l; \
                 to list pool {pool}, add --list"
            )));
        }
        _ => {}
    }
    let cluster = &ctx.connection().await?.cluster;
    let options = ListOptions { label_selector: selector.clone(), field_selector: None };
    let every = ListOptions::default();
    // Every node (placement is judged against all of them), the selected ones, and the CronJobs
    // of every namespace (pools are cluster-wide: a CronJob anywhere may target this one), to
    // say which CronJobs the change leaves without a node. One list each, sent concurrently.
    let (all, selected, cronjobs) = tokio::try_join!(
        cluster.list::<Node, NodeFacts>(None, &every),
        async {
            match &selector {
                Some(_) => cluster.list::<Node, NodeFacts>(None, &options).await.map(Some),
                None => Ok(None),
            }
        },
        cluster.list::<CronJob, CronJobPlacement>(None, &every),
    )?;
    let mut targets: Vec<NodeFacts> = match selected {
        Some(selected) => selected,
        None => pick_named(&args.nodes, all.clone())?,
    };
    targets.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
    targets.dedup_by(|a, b| a.metadata.name == b.metadata.name);

    // Every decision first: a refusal (no --overwrite) stops the run before anything is written.
    let mut planned: Vec<(NodeFacts, Change)> = Vec::with_capacity(targets.len());
    for node in targets {
        let change = writes::decide(&node, &args.key, pool, args.remove, args.overwrite)?;
        planned.push((node, change));
    }
    let dry_run = args.dry_run.dry_run;
    let after = relabelled(&all, &planned, &args.key, pool);
    let unplaceable =
        listing::newly_unplaceable(&all, &after, &cronjobs, &args.key, dry_run != DryRun::None);
    let mut items: Vec<NodeChange> = Vec::new();
    let mut to_write: Vec<(NodeFacts, Change)> = Vec::new();
    for (node, change) in planned {
        if !change.writes() {
            items.push(NodeChange { name: node.metadata.name.clone(), change, result: "skipped" });
        } else if dry_run == DryRun::Client {
            items.push(NodeChange { name: node.metadata.name.clone(), change, result: "planned" });
        } else {
            to_write.push((node, change));
        }
    }

    let write = if dry_run == DryRun::Server { Write::ServerDryRun } else { Write::Apply };
    if !to_write.is_empty() {
        // A read-only context: one `forbidden` line before anything is sent.
        cluster.require("patch", "", "nodes", &[None]).await?;
    }
    for problem in &unplaceable {
        // stderr in every output mode (crate::notice): stdout stays the result.
        crate::notice::warning(&problem.message, None);
    }
    let done_word = if dry_run == DryRun::Server { "validated" } else { "done" };
    let message = if args.remove { "unlabelling nodes" } else { "labelling nodes" };
    let options = Options::new(&args.bulk, ctx.interactive, message);
    let summary = bulk::run(
        to_write,
        &options,
        async |(listed, change): &(NodeFacts, Change), attempt: Attempt| {
            let (node, change) = if attempt.is_retry() {
                let fresh: NodeFacts =
                    cluster.get::<Node, NodeFacts>(None, &listed.metadata.name).await?;
                let change = writes::decide(&fresh, &args.key, pool, args.remove, args.overwrite)?;
                (fresh, change)
            } else {
                (listed.clone(), change.clone())
            };
            if change.writes() {
                patch_node(cluster, &node, &args.key, pool, &change, write).await?;
            }
            Ok(change)
        },
    )
    .await;

    if let Some(err) = all_forbidden(&summary) {
        return Err(err);
    }
    let failures = summary.failures(|(n, _)| format!("node/{}", n.metadata.name));
    let stats = summary.stats();
    let exit = summary.exit_status();
    let mut written = 0;
    for item in summary.items {
        let name = item.item.0.metadata.name.clone();
        let (change, result) = match item.outcome {
            Outcome::Done(change) => {
                let result = if change.writes() { done_word } else { "skipped" };
                written += usize::from(change.writes());
                (change, result)
            }
            Outcome::Failed { .. } | Outcome::Abandoned => (item.item.1, "failed"),
            Outcome::NotStarted(_) => (item.item.1, "not-started"),
        };
        items.push(NodeChange { name, change, result });
    }
    items.sort_by(|a, b| a.name.cmp(&b.name));
    let report = LabelResult {
        api_version: "kuul.dev/v1alpha1",
        kind: "PoolLabelResult",
        key: args.key.clone(),
        pool: pool.to_owned(),
        remove: args.remove,
        dry_run: dry_run.as_str(),
        items,
        unplaceable,
        failures: failures.clone(),
        stats: stats.clone(),
    };
    out.print(&report)?;
    if matches!(out.format(), OutputFormat::Table | OutputFormat::Wide) {
        let verb = match (dry_run, args.remove) {
            (DryRun::Client, _) => "would change (dry run)",
            (DryRun::Server, _) => "would change (validated by the server's dry run)",
            (DryRun::None, true) => "taken out",
            (DryRun::None, false) => "labelled",
        };
        let planned = report.items.iter().filter(|i| i.result == "planned").count();
        let unchanged = report.items.iter().filter(|i| i.result == "skipped").count();
        let mut text = format!("label-pool: {} {verb}, {unchanged} unchanged", written + planned);
        // Across clusters, the fan-out adds these up into its total line.
        crate::fanout::member::record_counts(
            "label-pool",
            &[(written + planned, verb), (unchanged, "unchanged")],
            failures.len(),
            stats.not_started,
        );
        text.push_str(&format!(", {} failed\n", failures.len()));
        for f in &failures {
            text.push_str(&format!("failed: {}: {}\n", f.object, f.error));
        }
        out.write_str(&text)?;
    }
    Ok(exit)
}

/// The nodes as the planned changes leave them (the pool label set or removed).
fn relabelled(
    all: &[NodeFacts],
    planned: &[(NodeFacts, Change)],
    key: &str,
    pool: &str,
) -> Vec<NodeFacts> {
    let changes: std::collections::HashMap<&str, &Change> =
        planned.iter().map(|(n, c)| (n.metadata.name.as_str(), c)).collect();
    let mut after = all.to_vec();
    for node in &mut after {
        match changes.get(node.metadata.name.as_str()) {
            Some(Change::Label | Change::Move { .. }) => {
                node.metadata.labels.insert(key.to_owned(), pool.to_owned());
            }
            Some(Change::Unlabel) => {
                node.metadata.labels.remove(key);
            }
            _ => {}
        }
    }
    after
}

/// The named nodes, or NotFound for the first missing one with the nearest names.
fn pick_named(names: &[String], listed: Vec<NodeFacts>) -> Result<Vec<NodeFacts>> {
    if let Some(missing) = names.iter().find(|n| !listed.iter().any(|x| &x.metadata.name == *n)) {
        let existing: Vec<&str> = listed.iter().map(|n| n.metadata.name.as_str()).collect();
        return Err(Error::NotFound {
            kind: "node",
            name: missing.clone(),
            namespace: None,
            suggestions: nearest(missing, &existing),
        });
    }
    Ok(listed.into_iter().filter(|n| names.contains(&n.metadata.name)).collect())
}

async fn patch_node(
    cluster: &Cluster,
    node: &NodeFacts,
    key: &str,
    pool: &str,
    change: &Change,
    write: Write,
) -> Result<()> {
    let body = writes::patch(node, key, pool, change);
    let _: serde_json::Value =
        cluster.patch::<Node, _, _>(None, &node.metadata.name, &Patch::Merge(&body), write).await?;
    Ok(())
}

/// When RBAC refused every write, one clear 403 (verb, resource) beats a list of them.
fn all_forbidden<T, O>(summary: &bulk::Summary<T, O>) -> Option<Error> {
    let mut first = None;
    for item in &summary.items {
        match &item.outcome {
            Outcome::Failed {
                error: Error::Forbidden { verb, resource, namespace, message },
                ..
            } => {
                first.get_or_insert_with(|| Error::Forbidden {
                    verb: verb.clone(),
                    resource: resource.clone(),
                    namespace: namespace.clone(),
                    message: message.clone(),
                });
            }
            _ => return None,
        }
    }
    first
}
