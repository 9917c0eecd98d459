//! `kubectl kuul forecast`: when the CronJobs in scope will fire in a window, exactly as the
//! controller will fire them (per schedule and timeZone, DST included), how their runs pile up
//! per concurrencyPolicy, and whether each pool's nodes have room for their pods, minute by
//! minute; the peaks and the CronJobs that cause them; with `--suggest`, new minutes that spread
//! the peaks and, for autoscaled pools, when capacity must be ready.
//!
//! Four paged list calls, concurrently (CronJobs, Jobs, Nodes, and the pods not finished in
//! every namespace, whose requests other than the forecast runs' take room on their nodes);
//! "now" is the API server's.
//!
//! Modules: `facts` (what is read), `starts` (schedule instants), `demand` (policies and the
//! resource-fit queue), `analysis` (assembly, peaks), `suggest`, `heatmap` (terminal chart),
//! `svg` (the same chart as SVG/HTML), `report` (JSON/YAML/CSV/table).

mod analysis;
mod demand;
mod facts;
mod heatmap;
mod report;
mod starts;
mod suggest;
mod svg;

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::PathBuf;

use jiff::{SignedDuration, Timestamp};
use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::api::core::v1::{Node, Pod};

pub use analysis::{
    Cause, CronJobForecast, DurationSource, NO_POOL, Peak, PoolForecast, UNPLACEABLE,
};
pub use demand::Policy;
pub use report::Forecast;
pub use suggest::{Prescale, Suggestion, Suggestions};

use crate::cluster::ListOptions;
use crate::cluster::annotations::POOL_LABEL;
use crate::cluster::selector::check_key;
use crate::commands::cost_report::facts::PodFacts;
use crate::context::Context;
use crate::error::{Error, ExitStatus, Result};
use crate::output::{OutputFormat, Printer};
use crate::placement::NodeFacts;
use facts::{CronJobFacts, JobFacts};

/// The longest window: 31 days.
pub const MAX_WINDOW: SignedDuration = SignedDuration::from_hours(31 * 24);
/// The run length of CronJobs with no finished run, unless `--assume-duration` says.
pub const DEFAULT_DURATION: SignedDuration = SignedDuration::from_mins(1);

/// When to draw the heat map with the table output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Chart {
    /// On a terminal.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// Arguments of `forecast`.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Every start in the window is computed as the CronJob controller fires \
it (robfig/cron v3 in .spec.timeZone, DST gaps skipped, overlaps twice). A run lasts the median \
of the CronJob's retained finished runs (1m without history, or --assume-duration for all), \
Forbid defers a start to the end of the running one (or skips it), Replace kills the running \
one; pods queue for each pool's allocatable CPU, memory and pod slots as kube-scheduler's \
resource fit admits them.

Examples:
  kubectl kuul forecast -A                          # next 24 h: heat map and top peaks
  kubectl kuul forecast -A --pool batch --window 7d
  kubectl kuul forecast -A --suggest --autoscaled batch
  kubectl kuul forecast -A -o csv > buckets.csv     # every minute of every pool
  kubectl kuul forecast -A --svg forecast.svg --html forecast.html")]
pub struct Args {
    /// How far ahead to look (Go duration, or days: 7d; at most 31d)
    #[arg(long, default_value = "24h", value_parser = parse_window, value_name = "DURATION",
          allow_hyphen_values = true)]
    pub window: SignedDuration,
    /// Start of the window (RFC 3339; default: the API server's now)
    #[arg(long, value_parser = parse_from, value_name = "TIME")]
    pub from: Option<Timestamp>,
    /// Forecast suspended CronJobs as if resumed
    #[arg(long)]
    pub include_suspended: bool,
    /// Every run lasts this long, instead of the median of its retained runs
    #[arg(long, value_parser = parse_duration, value_name = "DURATION", allow_hyphen_values = true)]
    pub assume_duration: Option<SignedDuration>,
    /// Only this pool (as label-pool names pools)
    #[arg(long, value_name = "POOL")]
    pub pool: Option<String>,
    /// Node label whose value names a node's pool
    #[arg(long, default_value = POOL_LABEL, value_name = "KEY")]
    pub pool_key: String,
    /// Propose new minutes for the CronJobs that cause peaks, with the peak before and after
    #[arg(long)]
    pub suggest: bool,
    /// Pools that scale up on demand: --suggest says when their capacity must be ready
    #[arg(long, value_delimiter = ',', value_name = "POOL")]
    pub autoscaled: Vec<String>,
    /// How long an autoscaled pool takes to add a node
    #[arg(long, default_value = "5m", value_parser = parse_duration, value_name = "DURATION")]
    pub prescale_lead: SignedDuration,
    /// Peaks in the table
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub top: usize,
    /// Heat map with the table output
    #[arg(long, value_enum, default_value_t = Chart::Auto)]
    pub heatmap: Chart,
    /// Also write the chart as an SVG image
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,
    /// Also write the chart and the peaks as an HTML page
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
}

fn parse_duration(text: &str) -> Result<SignedDuration, String> {
    SignedDuration::try_from(crate::duration::parse(text)?).map_err(|e| e.to_string())
}

fn parse_window(text: &str) -> Result<SignedDuration, String> {
    let window = parse_duration(text)?;
    if window.is_zero() {
        return Err("the window must be longer than 0s".into());
    }
    if window > MAX_WINDOW {
        return Err(format!(
            "the window must be at most 31d: {text} is {} hours",
            window.as_secs() / 3600
        ));
    }
    Ok(window)
}

fn parse_from(text: &str) -> Result<Timestamp, String> {
    text.parse::<Timestamp>()
        .map_err(|_| format!("invalid time \"{text}\": use RFC 3339, e.g. 2025-03-01T10:00:00Z"))
}

/// Runs `forecast`.
pub async fn run(ctx: &Context, args: Args, out: &mut Printer<'_>) -> Result<ExitStatus> {
    ctx.check_scope_flags()?;
    check_key(&args.pool_key).map_err(|e| Error::Usage(format!("invalid --pool-key: {e}")))?;
    if args.top == 0 {
        return Err(Error::Usage("--top must be at least 1".into()));
    }
    let selector = ctx.label_selector()?;
    let scope = ctx.scope().await?;
    let cluster = &ctx.connection().await?.cluster;
    let namespace = scope.namespace();
    let cronjob_options = ListOptions { label_selector: selector, field_selector: None };
    let every = ListOptions::default();
    // The scheduler counts every pod assigned to a node and not finished, whatever its
    // namespace (`kubectl describe node` lists them with this selector too).
    let unfinished = ListOptions {
        label_selector: None,
        field_selector: Some("status.phase!=Succeeded,status.phase!=Failed".into()),
    };
    let started = std::time::Instant::now();
    let (cronjobs, jobs, nodes, pods) = tokio::try_join!(
        cluster.list::<CronJob, CronJobFacts>(namespace, &cronjob_options),
        cluster.list::<Job, JobFacts>(namespace, &every),
        cluster.list::<Node, NodeFacts>(None, &every),
        cluster.list::<Pod, PodFacts>(None, &unfinished),
    )?;
    let listed = started.elapsed();
    let (now, clock) = cluster.now();
    let from = args.from.unwrap_or(now);
    let to = from.checked_add(args.window).map_err(|e| Error::Usage(e.to_string()))?;
    let overrides = HashMap::new();
    let inputs = analysis::Inputs {
        cronjobs: &cronjobs,
        jobs: &jobs,
        nodes: &nodes,
        pods: &pods,
        pool_key: &args.pool_key,
        from,
        to,
        now,
        include_suspended: args.include_suspended,
        assume_duration: args.assume_duration,
        default_duration: DEFAULT_DURATION,
        schedule_overrides: &overrides,
    };
    let mut analysis = analysis::analyse(&inputs);
    let analysed = started.elapsed();
    if let Some(pool) = &args.pool {
        let known: Vec<String> = analysis.pools.iter().map(|p| p.name.clone()).collect();
        let node_pools = nodes.iter().filter_map(|n| n.label(&args.pool_key)).any(|p| p == pool);
        if !known.contains(pool) && !node_pools {
            return Err(Error::NotFound {
                kind: "pool",
                name: pool.clone(),
                namespace: None,
                suggestions: known,
            });
        }
        analysis.keep_pool(pool);
    }
    if let Some(unknown) =
        args.autoscaled.iter().find(|p| !analysis.pools.iter().any(|x| &x.name == *p))
    {
        return Err(Error::NotFound {
            kind: "pool",
            name: unknown.clone(),
            namespace: None,
            suggestions: analysis.pools.iter().map(|p| p.name.clone()).collect(),
        });
    }
    let suggestions = args.suggest.then(|| {
        suggest::suggest(
            &inputs,
            &analysis,
            &cronjobs,
            args.pool.as_deref(),
            &suggest::Options { autoscaled: &args.autoscaled, lead: args.prescale_lead },
        )
    });
    let suggested = started.elapsed();
    let report = Forecast::new(
        analysis,
        &report::Meta {
            observed_at: now,
            clock,
            from,
            to,
            pool_key: args.pool_key.clone(),
            pool: args.pool.clone(),
            top: args.top,
            include_suspended: args.include_suspended,
        },
        suggestions,
    );
    if let Some(path) = &args.svg {
        write_file(path, &svg::svg(&report))?;
    }
    if let Some(path) = &args.html {
        write_file(path, &svg::html(&report))?;
    }
    match out.format() {
        OutputFormat::Table | OutputFormat::Wide => {
            let chart = match args.heatmap {
                Chart::Always => true,
                Chart::Never => false,
                Chart::Auto => std::io::stdout().is_terminal(),
            };
            if chart {
                out.write_str(&heatmap::render(&report, out.color()))?;
            }
            out.print(&report)?;
            out.write_str(&report.summary_text())?;
        }
        OutputFormat::Csv => out.print(&report.buckets())?,
        _ => out.print(&report)?,
    }
    // Where the time went (-v=4): lists, the forecast, --suggest, the report and its output.
    crate::cluster::trace::log(4, || {
        format!(
            "forecast: {} CronJobs, {} Jobs, {} nodes, {} pods listed in {listed:.1?}; \
             analysed by {analysed:.1?}; suggested by {suggested:.1?}; written by {:.1?}",
            cronjobs.len(),
            jobs.len(),
            nodes.len(),
            pods.len(),
            started.elapsed()
        )
    });
    Ok(ExitStatus::Success)
}

fn write_file(path: &std::path::Path, text: &str) -> Result<()> {
    std::fs::write(path, text)
        .map_err(|source| Error::Io { context: format!("cannot write {}", path.display()), source })
}
