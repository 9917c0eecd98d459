//! `kubectl kuul cost-report`: what periodic jobs cost, from what the cluster still holds, with
//! no metrics backend: for each pod of each Job a CronJob owns, its requests (CPU, memory,
//! `nvidia.com/gpu`) x its containers' run time x prices, per CronJob, namespace and pool, with
//! a monthly projection counted from the schedule, and each pool's node cost against what the
//! jobs used of it.
//!
//! Four paged list calls, sent concurrently, whatever the number of objects (CronJobs, Jobs and
//! Pods in scope, and the cluster's Nodes), each decoded into slim structs (`facts`); every
//! figure uses the API server's clock.

mod analysis;
pub(crate) mod facts;
pub(crate) mod prices;
mod report;

use std::path::PathBuf;

use jiff::SignedDuration;
use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::api::core::v1::{Node, Pod};

pub use analysis::{CronJobCost, GroupCost, NO_POOL, PoolUsage};
pub use prices::{
    DEFAULT_CPU_PRICE, DEFAULT_GPU_PRICE, DEFAULT_MEMORY_PRICE, GPU_RESOURCE, INSTANCE_TYPE_LABEL,
    Rates, Resources,
};
pub use report::{By, CostReport};

use crate::cluster::annotations::POOL_LABEL;
use crate::cluster::selector::check_key;
use crate::cluster::{Cluster, ListOptions};
use crate::context::Context;
use crate::error::{Error, ExitStatus, Result};
use crate::output::Printer;
use crate::placement::NodeFacts;
use facts::{CronJobFacts, JobFacts, PodFacts};
use prices::{Prices, check_flag};
use report::{PriceInfo, Window};

/// Arguments of `cost-report`.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Prices are per hour: --cpu-price per vCPU, --memory-price per GiB, \
--gpu-price per nvidia.com/gpu. The defaults are OpenCost's (GCP us-central1 on-demand). A \
--prices file (YAML or JSON) sets prices per pool or per node instance type \
(node.kubernetes.io/instance-type), or a whole node's hourly price, shared out by requests:
  cpu: 0.031611            # top level: overrides the flags
  pools:
    batch: {node: 0.20}    # each batch node costs 0.20/hour
    gpu: {gpu: 2.48}       # per-resource prices on the gpu pool's nodes
  instanceTypes:
    m5.large: {node: 0.096}

Examples:
  kubectl kuul cost-report -A                      # per CronJob, last 30 days of runs
  kubectl kuul cost-report -A --by pool            # per pool, with node cost and utilisation
  kubectl kuul cost-report -n ops --window 7d --prices prices.yaml -o json
  kubectl kuul cost-report -A --by namespace -o csv > costs.csv")]
pub struct Args {
    /// Group the table by
    #[arg(long, value_enum, default_value_t = By::Cronjob)]
    pub by: By,
    /// Runs that started this long ago or later count as observed (Go duration, or days: 7d)
    // `allow_hyphen_values`: `--window -7d` reaches parse_window ("must not be negative"), not
    // clap's "unexpected argument '-7' found".
    #[arg(long, default_value = "30d", value_parser = parse_window, value_name = "DURATION",
          allow_hyphen_values = true)]
    pub window: SignedDuration,
    /// Price per vCPU-hour
    #[arg(long, default_value_t = DEFAULT_CPU_PRICE, allow_negative_numbers = true, value_name = "PRICE")]
    pub cpu_price: f64,
    /// Price per GiB-hour of memory
    #[arg(long, default_value_t = DEFAULT_MEMORY_PRICE, allow_negative_numbers = true, value_name = "PRICE")]
    pub memory_price: f64,
    /// Price per GPU-hour (nvidia.com/gpu)
    #[arg(long, default_value_t = DEFAULT_GPU_PRICE, allow_negative_numbers = true, value_name = "PRICE")]
    pub gpu_price: f64,
    /// Price file (YAML or JSON): per-pool and per-instance-type prices or node prices
    #[arg(long, value_name = "FILE")]
    pub prices: Option<PathBuf>,
    /// Node label whose value names a node's pool
    #[arg(long, default_value = POOL_LABEL, value_name = "KEY")]
    pub pool_key: String,
}

fn parse_window(text: &str) -> Result<SignedDuration, String> {
    let window = crate::duration::parse(text)?;
    if window.is_zero() {
        return Err("the window must be longer than 0s".into());
    }
    SignedDuration::try_from(window).map_err(|e| e.to_string())
}

/// Runs `cost-report`.
pub async fn run(ctx: &Context, args: Args, out: &mut Printer<'_>) -> Result<ExitStatus> {
    ctx.check_scope_flags()?;
    // A key that cannot be a label key would silently match no node: every pool "<none>".
    check_key(&args.pool_key).map_err(|e| Error::Usage(format!("invalid --pool-key: {e}")))?;
    let prices = load_prices(&args)?;
    let selector = ctx.label_selector()?;
    let scope = ctx.scope().await?;
    let cluster = &ctx.connection().await?.cluster;
    let namespace = scope.namespace();
    let cronjob_options = ListOptions { label_selector: selector, field_selector: None };
    let every = ListOptions::default();
    let (cronjobs, jobs, pods, nodes) = tokio::try_join!(
        cluster.list::<CronJob, CronJobFacts>(namespace, &cronjob_options),
        cluster.list_shaped::<Job, JobFacts>(namespace, &every, JobFacts::shape()),
        cluster.list_shaped::<Pod, PodFacts>(namespace, &every, PodFacts::shape()),
        list_nodes(cluster),
    )?;
    if cronjobs.is_empty() && jobs.is_empty() && pods.is_empty() {
        crate::notice::no_resources(namespace);
    }
    let (nodes, mut warnings) = nodes;
    if namespace.is_some() && !nodes.is_empty() {
        warnings.push(
            "pool utilisation counts only the jobs in this namespace; use -A for whole pools"
                .to_owned(),
        );
    }
    // Warnings go to stderr in every output mode (and stay in the JSON document).
    for warning in &warnings {
        crate::notice::warning(warning, None);
    }
    let (now, clock) = cluster.now();
    let analysis = analysis::analyse(&analysis::Inputs {
        cronjobs: &cronjobs,
        jobs: &jobs,
        pods: &pods,
        nodes: &nodes,
        prices: &prices,
        pool_key: &args.pool_key,
        now,
        window: args.window,
    });
    let start = now.checked_sub(args.window).unwrap_or(jiff::Timestamp::MIN);
    let window = Window { start, end: now, seconds: args.window.as_secs() };
    let price_info = PriceInfo {
        defaults: prices.defaults,
        file: args.prices.as_ref().map(|p| p.display().to_string()),
    };
    let report = report::CostReport::new(
        analysis,
        now,
        clock,
        args.by,
        window,
        price_info,
        args.pool_key,
        warnings,
        namespace.is_none(),
    );
    out.print(&report)?;
    crate::background::drop_later((report, cronjobs, jobs, pods, nodes));
    Ok(ExitStatus::Success)
}

/// The flags, then the file over them.
fn load_prices(args: &Args) -> Result<Prices> {
    let defaults = Rates {
        cpu: check_flag("--cpu-price", args.cpu_price)?,
        memory: check_flag("--memory-price", args.memory_price)?,
        gpu: check_flag("--gpu-price", args.gpu_price)?,
    };
    let Some(path) = &args.prices else { return Ok(Prices::flat(defaults)) };
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        context: format!("cannot read the price file {}", path.display()),
        source,
    })?;
    Prices::from_file_text(&path.display().to_string(), &text, defaults)
}

/// Every node; without RBAC to list nodes the report goes on without pools and says so.
async fn list_nodes(cluster: &Cluster) -> Result<(Vec<NodeFacts>, Vec<String>)> {
    match cluster.list::<Node, NodeFacts>(None, &ListOptions::default()).await {
        Ok(nodes) => Ok((nodes, Vec::new())),
        Err(Error::Forbidden { .. }) => Ok((
            Vec::new(),
            vec![
                "nodes are not readable (forbidden: list nodes): every pod counts as pool \
                 <none> at the default prices"
                    .to_owned(),
            ],
        )),
        Err(other) => Err(other),
    }
}
