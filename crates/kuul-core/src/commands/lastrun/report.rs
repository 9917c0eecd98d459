//! How `lastrun` prints: the JSON document (documented in the README) and the table.

use jiff::Timestamp;
use serde::Serialize;

use super::analysis::{LastRun, RunResult, Verdict};
use crate::cluster::ClockSource;
use crate::duration;
use crate::output::{Cell, Report, Tone, true_false};

/// The `lastrun` result.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LastRunReport {
    /// Always `kuul.dev/v1alpha1`.
    pub api_version: &'static str,
    /// Always `LastRunReport`.
    pub kind: &'static str,
    /// The "now" every verdict uses.
    pub observed_at: Timestamp,
    /// Where `observedAt` came from (`api-server`: its `Date` header).
    pub clock: ClockSource,
    /// One entry per CronJob, by namespace then name.
    pub items: Vec<LastRun>,
    #[serde(skip)]
    show_namespace: bool,
}

impl LastRunReport {
    /// A report; `show_namespace` adds the NAMESPACE column (with `-A`, as kubectl does).
    pub fn new(
        observed_at: Timestamp,
        clock: ClockSource,
        show_namespace: bool,
        items: Vec<LastRun>,
    ) -> Self {
        LastRunReport {
            api_version: "kuul.dev/v1alpha1",
            kind: "LastRunReport",
            observed_at,
            clock,
            items,
            show_namespace,
        }
    }
}

impl Report for LastRunReport {
    fn headers(&self, wide: bool) -> Vec<&'static str> {
        let mut headers = Vec::new();
        headers.extend([
            "NAME",
            "SCHEDULE",
            "TIMEZONE",
            "SUSPEND",
            "LAST SCHEDULE",
            "LAST SUCCESS",
            "LAST RESULT",
            "DURATION",
            "LATE",
            "ACTIVE",
            "NEXT",
            "VERDICT",
        ]);
        if wide {
            headers.extend(["WORST LATE", "LAST RUN", "REASON"]);
        }
        headers
    }

    fn rows(&self, wide: bool) -> Vec<Vec<Cell>> {
        let now = self.observed_at;
        let age =
            |t: Option<Timestamp>| t.map_or_else(|| "<none>".to_owned(), |t| duration::age(t, now));
        self.items
            .iter()
            .map(|row| {
                let mut cells: Vec<Cell> = Vec::new();
                let (result, result_tone) = match row.last_run.as_ref().map(|r| r.result) {
                    Some(RunResult::Succeeded) => ("Succeeded", Tone::Good),
                    Some(RunResult::Failed) => ("Failed", Tone::Bad),
                    Some(RunResult::Running) => ("Running", Tone::Plain),
                    Some(RunResult::Pending) => ("Pending", Tone::Warning),
                    None => ("<none>", Tone::Plain),
                };
                let took = row
                    .last_run
                    .as_ref()
                    .and_then(|r| r.duration_seconds)
                    .map_or_else(|| "<none>".to_owned(), duration::human);
                let next = row.next_schedule_time.map_or_else(
                    || "<none>".to_owned(),
                    |t| format!("in {}", duration::human(t.as_second() - now.as_second())),
                );
                cells.extend([
                    row.name.clone().into(),
                    row.schedule.clone().into(),
                    row.time_zone.clone().unwrap_or_else(|| "<none>".into()).into(),
                    true_false(row.suspended).into(),
                    age(row.last_schedule_time).into(),
                    age(row.last_successful_time).into(),
                    Cell::toned(result, result_tone),
                    took.into(),
                    late(row.late_seconds).into(),
                    row.active_runs.to_string().into(),
                    next.into(),
                    Cell::toned(row.verdict.as_str(), verdict_tone(row.verdict)),
                ]);
                if wide {
                    cells.push(match (&row.worst_late_run, row.worst_late_seconds) {
                        (Some(run), Some(secs)) => format!("{} ({run})", late(Some(secs))).into(),
                        _ => "<none>".into(),
                    });
                    cells.push(row.last_run.as_ref().map_or("<none>", |r| r.name.as_str()).into());
                    cells
                        .push(if row.reason.is_empty() { "-" } else { row.reason.as_str() }.into());
                }
                cells
            })
            .collect()
    }

    fn row_namespaces(&self) -> Option<Vec<String>> {
        self.show_namespace.then(|| self.items.iter().map(|r| r.namespace.clone()).collect())
    }

    fn names(&self) -> Vec<String> {
        self.items.iter().map(|row| format!("cronjob.batch/{}", row.name)).collect()
    }
}

/// Lateness as kubectl prints durations; a run that started before its scheduled time (a
/// clock skew between controller and API server) shows as `-3s`.
pub(crate) fn late(seconds: Option<i64>) -> String {
    match seconds {
        None => "<none>".to_owned(),
        Some(s) if s < 0 => format!("-{}", duration::human(-s)),
        Some(s) => duration::human(s),
    }
}

fn verdict_tone(verdict: Verdict) -> Tone {
    match verdict {
        Verdict::Ok => Tone::Good,
        Verdict::Suspended | Verdict::RunningLong | Verdict::Pending | Verdict::NeverRan => {
            Tone::Warning
        }
        Verdict::Broken | Verdict::Stuck | Verdict::Missed | Verdict::Failing => Tone::Bad,
    }
}
