//! `lastrun --watch`: the table kept current, as `kubectl get -w` keeps its list.
//!
//! Watches on CronJobs and Jobs in scope (through the reconnecting [`ResilientWatch`]) say when
//! something changed; each change (changes arriving together are taken as one, and a tick every
//! [`TICK`] catches verdicts that change with time alone, e.g. MISSED once the grace passes)
//! re-reads the lists `lastrun` reads and recomputes every row on the API server's clock. On a
//! terminal the table is redrawn in place; elsewhere the table is printed once and then one
//! line per row that changed: `OBSERVED-AT NAMESPACE/NAME: OLD -> NEW: reason`.

use std::collections::BTreeMap;
use std::io::IsTerminal as _;
use std::time::Duration;

use k8s_openapi::api::batch::v1::{CronJob, Job};
use kube::api::WatchParams;

use super::{LastRun, LastRunReport};
use crate::context::Context;
use crate::error::{ExitStatus, Result};
use crate::follow::watch::ResilientWatch;
use crate::output::Printer;

/// How often rows are recomputed when nothing was reported.
const TICK: Duration = Duration::from_secs(30);
/// Changes that arrive within this of each other are drawn once.
const SETTLE: Duration = Duration::from_millis(200);

/// What a change line compares.
fn key(row: &LastRun) -> (String, String) {
    (row.namespace.clone(), row.name.clone())
}

/// The lines that say what changed between two reports (rows by namespace and name).
pub(crate) fn changes(before: &[LastRun], after: &LastRunReport) -> Vec<String> {
    let old: BTreeMap<(String, String), &LastRun> = before.iter().map(|r| (key(r), r)).collect();
    let new: BTreeMap<(String, String), &LastRun> =
        after.items.iter().map(|r| (key(r), r)).collect();
    let at = after.observed_at;
    let mut lines = Vec::new();
    for (k, row) in &new {
        let reason =
            if row.reason.is_empty() { String::new() } else { format!(": {}", row.reason) };
        match old.get(k) {
            None => {
                lines.push(format!("{at} {}/{}: added, {}{reason}", k.0, k.1, row.verdict.as_str()))
            }
            Some(was) if was.verdict != row.verdict => lines.push(format!(
                "{at} {}/{}: {} -> {}{reason}",
                k.0,
                k.1,
                was.verdict.as_str(),
                row.verdict.as_str()
            )),
            Some(was)
                if was.last_run.as_ref().map(|r| (&r.name, r.result))
                    != row.last_run.as_ref().map(|r| (&r.name, r.result)) =>
            {
                if let Some(run) = &row.last_run {
                    lines.push(format!(
                        "{at} {}/{}: {} {:?}, {}{reason}",
                        k.0,
                        k.1,
                        run.name,
                        run.result,
                        row.verdict.as_str()
                    ));
                }
            }
            Some(_) => {}
        }
    }
    for k in old.keys().filter(|k| !new.contains_key(*k)) {
        lines.push(format!("{at} {}/{}: deleted", k.0, k.1));
    }
    lines
}

/// Runs `lastrun --watch` until Ctrl-C (exit 0) or a watch is refused (its error).
pub(super) async fn run(
    ctx: &Context,
    args: &super::Args,
    fail_on: &[super::Problem],
    out: &mut Printer<'_>,
) -> Result<ExitStatus> {
    let scope = ctx.scope().await?;
    let cluster = ctx.connection().await?.cluster.clone();
    let namespace = scope.namespace().map(str::to_owned);
    let selector = ctx.label_selector()?;
    let mut cronjob_params = WatchParams::default();
    if let Some(selector) = &selector {
        cronjob_params = cronjob_params.labels(selector);
    }
    let mut cronjobs: ResilientWatch<CronJob> =
        ResilientWatch::in_scope(&cluster, namespace.as_deref(), "cronjobs.batch", cronjob_params);
    let mut jobs: ResilientWatch<Job> = ResilientWatch::in_scope(
        &cluster,
        namespace.as_deref(),
        "jobs.batch",
        WatchParams::default(),
    );
    // Open both first: a look taken after this misses no change.
    cronjobs.open().await?;
    jobs.open().await?;
    let redraw = std::io::stdout().is_terminal();
    let mut shown: Option<Vec<LastRun>> = None;
    loop {
        let (report, missing) = super::read(ctx, args, fail_on).await?;
        if let Some(err) = missing {
            return Err(err);
        }
        match &shown {
            None => out.print(&report)?,
            Some(_) if redraw => {
                out.write_str("\x1b[H\x1b[2J")?;
                out.print(&report)?;
            }
            Some(before) => {
                let lines = changes(before, &report);
                if !lines.is_empty() {
                    out.write_str(&(lines.join("\n") + "\n"))?;
                }
            }
        }
        shown = Some(report.items);
        // Wait for a change (or the tick), then let a burst of changes settle.
        tokio::select! {
            seen = cronjobs.next() => { seen?; }
            seen = jobs.next() => { seen?; }
            () = tokio::time::sleep(TICK) => {}
            () = crate::interrupt::interrupted() => return Ok(ExitStatus::Success),
        }
        let settle = tokio::time::sleep(SETTLE);
        tokio::pin!(settle);
        loop {
            tokio::select! {
                seen = cronjobs.next() => { seen?; }
                seen = jobs.next() => { seen?; }
                () = &mut settle => break,
                () = crate::interrupt::interrupted() => return Ok(ExitStatus::Success),
            }
        }
    }
}
