//! `lastrun -o openmetrics`: the report as OpenMetrics text (also read by Prometheus' text
//! parser), for node-exporter's textfile collector, a Pushgateway or a CI log.
//!
//! Where kube-state-metrics exports the same value, the family keeps its name and meaning
//! (`internal/store/cronjob.go`: `kube_cronjob_info`, `kube_cronjob_status_active`,
//! `kube_cronjob_status_last_schedule_time`, `kube_cronjob_status_last_successful_time`,
//! `kube_cronjob_spec_suspend`, `kube_cronjob_spec_starting_deadline_seconds`,
//! `kube_cronjob_next_schedule_time`), so dashboards and alerts written for it work on ours; what
//! only kuul knows is `kuul_cronjob_*`. docs/commands/lastrun.md lists both side by side.

use jiff::Timestamp;

use super::analysis::Verdict;
use super::report::LastRunReport;
use crate::output::openmetrics::{Exposition, MetricType};

/// The exposition of `report`.
pub(crate) fn exposition(report: &LastRunReport) -> String {
    let mut e = Exposition::new();
    let secs = |t: Timestamp| t.as_second() as f64;
    type Value<'a> = Box<dyn Fn(&super::LastRun) -> Option<f64> + 'a>;
    let families: Vec<(&str, &str, Value<'_>)> = vec![
        (
            "kube_cronjob_status_active",
            "Active holds pointers to currently running jobs.",
            Box::new(|r| Some(r.status_active as f64)),
        ),
        (
            "kube_cronjob_status_last_schedule_time",
            "LastScheduleTime keeps information of when was the last time the job was successfully scheduled.",
            Box::new(|r| r.last_schedule_time.map(secs)),
        ),
        (
            "kube_cronjob_status_last_successful_time",
            "LastSuccessfulTime keeps information of when was the last time the job was completed successfully.",
            Box::new(|r| r.status_last_successful_time.map(secs)),
        ),
        (
            "kube_cronjob_spec_suspend",
            "Suspend flag tells the controller to suspend subsequent executions.",
            Box::new(|r| Some(if r.suspended { 1.0 } else { 0.0 })),
        ),
        (
            "kube_cronjob_spec_starting_deadline_seconds",
            "Deadline in seconds for starting the job if it misses scheduled time for any reason.",
            Box::new(|r| r.starting_deadline_seconds.map(|s| s as f64)),
        ),
        (
            "kube_cronjob_next_schedule_time",
            "Next time the cronjob should be scheduled. The time after lastScheduleTime, or after the cron job's creation time if it's never been scheduled. Use this to determine if the job is delayed.",
            Box::new(|r| r.next_after_last_schedule.map(secs)),
        ),
        (
            "kuul_cronjob_next_run_time_seconds",
            "The next scheduled instant after now (the API server's clock), in the CronJob's time zone; absent when suspended or broken.",
            Box::new(|r| r.next_schedule_time.map(secs)),
        ),
        (
            "kuul_cronjob_previous_schedule_time_seconds",
            "The latest scheduled instant at or before now.",
            Box::new(|r| r.previous_schedule_time.map(secs)),
        ),
        (
            "kuul_cronjob_last_success_time_seconds",
            "The newest successful completion: status.lastSuccessfulTime or a succeeded Job still present, whichever is newer.",
            Box::new(|r| r.last_successful_time.map(secs)),
        ),
        (
            "kuul_cronjob_last_run_start_time_seconds",
            "When the newest run (Job) started.",
            Box::new(|r| r.last_run.as_ref().and_then(|l| l.start_time).map(secs)),
        ),
        (
            "kuul_cronjob_last_run_duration_seconds",
            "How long the newest run took, or has run so far.",
            Box::new(|r| r.last_run.as_ref().and_then(|l| l.duration_seconds).map(|d| d as f64)),
        ),
        (
            "kuul_cronjob_last_run_late_seconds",
            "How late the newest scheduled run started after its scheduled time.",
            Box::new(|r| r.late_seconds.map(|s| s as f64)),
        ),
        (
            "kuul_cronjob_late_seconds_max",
            "The worst lateness over the retained scheduled runs.",
            Box::new(|r| r.worst_late_seconds.map(|s| s as f64)),
        ),
        (
            "kuul_cronjob_active_runs",
            "Jobs of the CronJob that have not finished.",
            Box::new(|r| Some(r.active_runs as f64)),
        ),
        (
            "kuul_cronjob_stuck_seconds",
            "How long the STUCK run has waited for its pod to start (absent unless STUCK).",
            Box::new(|r| r.stuck.as_ref().map(|s| s.pending_seconds as f64)),
        ),
        (
            "kuul_cronjob_check_failed",
            "1 when the CronJob has a problem --fail-on names (what --check exits 4 for), else 0.",
            Box::new(|r| Some(if r.problems.is_empty() { 0.0 } else { 1.0 })),
        ),
    ];

    e.family("kube_cronjob_info", "Info about cronjob.", MetricType::Gauge);
    for row in &report.items {
        e.sample(
            "kube_cronjob_info",
            &[
                ("namespace", &row.namespace),
                ("cronjob", &row.name),
                ("schedule", &row.schedule),
                ("concurrency_policy", &row.concurrency_policy),
            ],
            1.0,
        );
    }
    for (name, help, value) in &families {
        e.family(name, help, MetricType::Gauge);
        for row in &report.items {
            if let Some(v) = value(row) {
                e.sample(name, &[("namespace", &row.namespace), ("cronjob", &row.name)], v);
            }
        }
    }
    e.family(
        "kuul_cronjob_verdict",
        "The lastrun verdict: 1 for the CronJob's verdict, 0 for the others.",
        MetricType::Gauge,
    );
    for row in &report.items {
        for verdict in Verdict::ALL {
            let labels = [
                ("namespace", row.namespace.as_str()),
                ("cronjob", row.name.as_str()),
                ("verdict", verdict.as_str()),
            ];
            e.sample(
                "kuul_cronjob_verdict",
                &labels,
                if row.verdict == verdict { 1.0 } else { 0.0 },
            );
        }
    }
    e.family(
        "kuul_lastrun_observed_time_seconds",
        "The API server's clock when lastrun read the cluster (every verdict uses it).",
        MetricType::Gauge,
    );
    e.sample("kuul_lastrun_observed_time_seconds", &[], secs(report.observed_at));
    e.finish()
}
