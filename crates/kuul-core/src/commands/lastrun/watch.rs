//! `lastrun --watch`: the table kept current, as `kubectl get -w` keeps its list.
//!
//! The lists `lastrun` reads are read once ([`Live::start`]); then watches from the lists'
//! resourceVersions keep them current, event by event, and only the rows of the CronJobs an
//! event touches are recomputed (no list per change: on 5,000 CronJobs a relist is seconds of
//! work). A watch restarted after `410 Gone` relists its own kind once ([`Live`]). Verdicts that
//! change with time alone (MISSED once the grace passes, STUCK once a pod has been Pending
//! `--pending-for`) are caught by a tick: each second the rows whose next run came due, every
//! [`TICK`] every row. Rows are decided on the API server's clock: watch streams carry no
//! `Date`, so before each redraw the clock is read again (`GET /version`, not a list). On a
//! terminal the table is redrawn in place; elsewhere the table is printed once and then one
//! line per row that changed: `OBSERVED-AT NAMESPACE/NAME: OLD -> NEW: reason`.

use std::collections::BTreeMap;
use std::io::IsTerminal as _;
use std::time::Duration;

use super::live::{Live, Scope};
use super::{LastRun, LastRunReport};
use crate::cluster::lookup::missing_cronjob;
use crate::context::Context;
use crate::error::{ExitStatus, Result};
use crate::output::Printer;

/// How often every row is recomputed when nothing was reported (and the clock read again).
const TICK: Duration = Duration::from_secs(10);
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

/// The report of what `live` keeps: the wanted rows, by namespace then name.
fn report(
    live: &Live,
    args: &super::Args,
    fail_on: &[super::Problem],
    all_namespaces: bool,
) -> LastRunReport {
    let wanted = |row: &LastRun| args.names.is_empty() || args.names.contains(&row.name);
    let mut items: Vec<LastRun> =
        live.store.rows.values().map(|r| &r.last).filter(|r| wanted(r)).cloned().collect();
    items.sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
    for row in &mut items {
        row.problems = super::problems(row, fail_on, args.max_late);
    }
    let (now, clock) = live.clock();
    LastRunReport::new(now, clock, all_namespaces, items)
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
    let namespace = scope.namespace();
    let kept = Scope {
        namespace: namespace.map(str::to_owned),
        selector: ctx.label_selector()?,
        pending_for: args.pending_for,
    };
    let mut live = Live::start(&cluster, kept).await?;
    let existing: Vec<&str> =
        live.store.cronjobs.values().map(|cj| cj.metadata.name.as_str()).collect();
    if let Some(err) = missing_cronjob(&args.names, &existing, namespace) {
        return Err(err);
    }
    let all_namespaces = namespace.is_none();
    let redraw = std::io::stdout().is_terminal();
    let first = report(&live, args, fail_on, all_namespaces);
    out.print(&first)?;
    let mut shown = first.items;
    let mut second = tokio::time::interval(Duration::from_secs(1));
    let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + TICK, TICK);
    loop {
        // Wait for a change (or a tick), then let a burst of changes settle.
        tokio::select! {
            applied = live.next() => { applied?; }
            _ = second.tick() => {
                let now = live.now();
                live.mark_due(now);
            }
            _ = tick.tick() => live.mark_all(),
            () = crate::interrupt::interrupted() => return Ok(ExitStatus::Success),
        }
        if !live.is_dirty() {
            continue;
        }
        let settle = tokio::time::sleep(SETTLE);
        tokio::pin!(settle);
        loop {
            tokio::select! {
                applied = live.next() => { applied?; }
                () = &mut settle => break,
                () = crate::interrupt::interrupted() => return Ok(ExitStatus::Success),
            }
        }
        cluster.read_clock().await;
        let now = live.now();
        live.recompute(now).await?;
        let report = report(&live, args, fail_on, all_namespaces);
        if redraw {
            out.write_str("\x1b[H\x1b[2J")?;
            out.print(&report)?;
        } else {
            let lines = changes(&shown, &report);
            if !lines.is_empty() {
                out.write_str(&(lines.join("\n") + "\n"))?;
            }
        }
        shown = report.items;
    }
}
