//! The live table: lastrun's lists once and then watches, through lastrun's [`Live`] (the same
//! requests as `lastrun`: CronJobs and Jobs, and Pending Job pods and Warning events only once
//! some row needs them, so the first frame comes as fast as `lastrun` prints). Each change
//! recomputes only its CronJob's row, with lastrun's own analysis (`analyse_with`, so STUCK and
//! the stalled-schedule reasons are lastrun's); rows whose next run came due are recomputed each
//! second, and all of them every [`FULL_RECOMPUTE`] (verdicts that depend on "now"). A watch
//! restarted after `410 Gone` relists its kind and replaces it (deleted CronJobs go).

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc::UnboundedSender;

use super::state::{Msg, Row, Snapshot, urgency};
use crate::cluster::Cluster;
pub(crate) use crate::commands::lastrun::live::Scope;
use crate::commands::lastrun::live::{Live, Store};
use crate::error::Result;
#[cfg(test)]
use crate::{
    commands::lastrun::facts::{CronJobFacts, JobFacts},
    runs::{EventFacts, PodFacts},
};

/// How often every row is recomputed.
const FULL_RECOMPUTE: Duration = Duration::from_secs(10);
/// At most this often a new snapshot is published while changes stream in.
const PUBLISH_EVERY: Duration = Duration::from_millis(100);

/// The rows, most urgent first.
fn snapshot(store: &Store, now: jiff::Timestamp, error: Option<String>) -> Snapshot {
    let mut rows: Vec<Row> = store.rows.values().cloned().collect();
    rows.sort_by(|a, b| {
        (urgency(a.last.verdict), &a.last.namespace, &a.last.name).cmp(&(
            urgency(b.last.verdict),
            &b.last.namespace,
            &b.last.name,
        ))
    });
    Snapshot { rows, now: Some(now), loaded: true, error }
}

/// Lists, then watches, publishing snapshots on `tx` until the task is aborted.
pub(crate) async fn run(cluster: Cluster, scope: Scope, tx: UnboundedSender<Msg>) {
    if let Err(err) = watch_loop(&cluster, &scope, &tx).await {
        let snapshot =
            Snapshot { loaded: true, error: Some(err.to_string()), ..Snapshot::default() };
        let _ = tx.send(Msg::Snapshot(Arc::new(snapshot)));
    }
}

async fn watch_loop(cluster: &Cluster, scope: &Scope, tx: &UnboundedSender<Msg>) -> Result<()> {
    let mut live = Live::start(cluster, scope.clone()).await?;
    let now = live.now();
    let _ = tx.send(Msg::Snapshot(Arc::new(snapshot(&live.store, now, None))));
    let mut error: Option<String> = None;
    let mut publish = tokio::time::interval(PUBLISH_EVERY);
    let mut second = tokio::time::interval(Duration::from_secs(1));
    let mut full = tokio::time::interval(FULL_RECOMPUTE);
    let mut changed = false;
    loop {
        tokio::select! {
            applied = live.next() => if let Err(err) = applied {
                // That watch is closed; the others go on.
                error = Some(err.to_string());
                changed = true;
            },
            _ = second.tick() => {
                // The countdowns move; a next run comes due; a Pending pod passes
                // `--pending-for`.
                let now = live.now();
                live.mark_due(now);
                changed = true;
            }
            _ = full.tick() => live.mark_all(),
            _ = publish.tick() => {
                if !live.is_dirty() && !changed {
                    continue;
                }
                let now = live.now();
                if let Err(err) = live.recompute(now).await {
                    error = Some(err.to_string());
                }
                changed = false;
                if tx.send(Msg::Snapshot(Arc::new(snapshot(&live.store, now, error.clone())))).is_err() {
                    return Ok(());
                }
            }
        }
    }
}

/// The rows of a fixed set of objects (tests of the views), decided as lastrun decides them
/// once it has read the pods and events.
#[cfg(test)]
pub(crate) fn rows_for_test(
    cronjobs: Vec<CronJobFacts>,
    jobs: Vec<JobFacts>,
    pods: Vec<PodFacts>,
    events: Vec<EventFacts>,
    now: jiff::Timestamp,
) -> Vec<Row> {
    let mut store = Store::default();
    for cronjob in cronjobs {
        store.put_cronjob(cronjob);
    }
    for job in jobs {
        store.put_job(job);
    }
    store.take_extras(pods, events);
    store.recompute_all(now);
    snapshot(&store, now, None).rows
}
