//! Verdicts on fixed clocks.

use serde_json::{Value, json};

use super::*;

fn ts(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn cronjob(spec: Value, status: Value) -> CronJobFacts {
    serde_json::from_value(json!({
        "metadata": {"name": "backup", "namespace": "ops", "uid": "cj-1",
                     "creationTimestamp": "2025-03-01T08:00:00Z"},
        "spec": spec,
        "status": status,
    }))
    .unwrap()
}

fn job(name: &str, created: &str, status: Value) -> JobFacts {
    serde_json::from_value(json!({
        "metadata": {"name": name, "namespace": "ops", "creationTimestamp": created,
                     "ownerReferences": [{"uid": "cj-1", "controller": true}]},
        "status": status,
    }))
    .unwrap()
}

fn complete(start: &str, end: &str) -> Value {
    json!({"startTime": start, "completionTime": end,
           "conditions": [{"type": "Complete", "status": "True", "lastTransitionTime": end}]})
}

fn failed(start: &str, end: &str) -> Value {
    json!({"startTime": start,
           "conditions": [{"type": "Failed", "status": "True", "lastTransitionTime": end}]})
}

#[test]
fn healthy_cronjob_is_ok_with_previous_and_next_instants() {
    let cj = cronjob(
        json!({"schedule": "*/5 * * * *"}),
        json!({"lastScheduleTime": "2025-03-01T10:00:00Z",
                            "lastSuccessfulTime": "2025-03-01T10:00:40Z"}),
    );
    let run = job(
        "backup-29016600",
        "2025-03-01T10:00:00Z",
        complete("2025-03-01T10:00:01Z", "2025-03-01T10:00:40Z"),
    );
    let row = analyse(&cj, &[&run], ts("2025-03-01T10:02:00Z"));
    assert_eq!(row.verdict, Verdict::Ok);
    assert_eq!(row.previous_schedule_time, Some(ts("2025-03-01T10:00:00Z")));
    assert_eq!(row.next_schedule_time, Some(ts("2025-03-01T10:05:00Z")));
    let last = row.last_run.unwrap();
    assert_eq!(last.result, RunResult::Succeeded);
    assert_eq!(last.duration_seconds, Some(39));
    assert!(!last.manual);
}

#[test]
fn an_unrun_instant_past_the_grace_is_missed() {
    let cj = cronjob(
        json!({"schedule": "*/5 * * * *"}),
        json!({"lastScheduleTime": "2025-03-01T09:00:00Z"}),
    );
    let row = analyse(&cj, &[], ts("2025-03-01T10:02:00Z"));
    assert_eq!(row.verdict, Verdict::Missed);
    assert!(row.reason.contains("2025-03-01T10:00:00Z"), "{}", row.reason);
}

#[test]
fn within_the_grace_is_not_missed_yet() {
    let cj = cronjob(
        json!({"schedule": "*/5 * * * *"}),
        json!({"lastScheduleTime": "2025-03-01T09:55:00Z"}),
    );
    let row = analyse(&cj, &[], ts("2025-03-01T10:00:59Z"));
    assert_eq!(row.verdict, Verdict::Ok);
}

#[test]
fn starting_deadline_widens_the_grace() {
    let cj = cronjob(
        json!({"schedule": "0 * * * *", "startingDeadlineSeconds": 600}),
        json!({"lastScheduleTime": "2025-03-01T09:00:00Z"}),
    );
    assert_eq!(analyse(&cj, &[], ts("2025-03-01T10:09:00Z")).verdict, Verdict::Ok);
    assert_eq!(analyse(&cj, &[], ts("2025-03-01T10:11:00Z")).verdict, Verdict::Missed);
}

#[test]
fn newest_finished_failure_is_failing() {
    let cj = cronjob(
        json!({"schedule": "0 * * * *"}),
        json!({"lastScheduleTime": "2025-03-01T10:00:00Z"}),
    );
    let older = job(
        "backup-1",
        "2025-03-01T09:00:00Z",
        complete("2025-03-01T09:00:00Z", "2025-03-01T09:01:00Z"),
    );
    let newer = job(
        "backup-2",
        "2025-03-01T10:00:00Z",
        failed("2025-03-01T10:00:00Z", "2025-03-01T10:03:00Z"),
    );
    let row = analyse(&cj, &[&newer, &older], ts("2025-03-01T10:30:00Z"));
    assert_eq!(row.verdict, Verdict::Failing);
    assert_eq!(row.last_run.unwrap().name, "backup-2");
    assert_eq!(row.last_successful_time, Some(ts("2025-03-01T09:01:00Z")));
}

#[test]
fn created_after_the_last_instant_never_ran() {
    let mut cj = cronjob(json!({"schedule": "0 * * * *"}), json!({}));
    cj.metadata.creation_timestamp = Some(ts("2025-03-01T10:10:00Z"));
    let row = analyse(&cj, &[], ts("2025-03-01T10:20:00Z"));
    assert_eq!(row.verdict, Verdict::NeverRan);
    assert_eq!(row.next_schedule_time, Some(ts("2025-03-01T11:00:00Z")));
}

#[test]
fn suspended_has_no_next_run() {
    let cj = cronjob(
        json!({"schedule": "0 * * * *", "suspend": true}),
        json!({"lastScheduleTime": "2025-03-01T06:00:00Z"}),
    );
    let row = analyse(&cj, &[], ts("2025-03-01T10:20:00Z"));
    assert_eq!(row.verdict, Verdict::Suspended);
    assert_eq!(row.next_schedule_time, None);
}

#[test]
fn unusable_schedules_and_zones_are_broken_with_the_reason() {
    let cj = cronjob(json!({"schedule": "61 * * * *"}), json!({}));
    let row = analyse(&cj, &[], ts("2025-03-01T10:20:00Z"));
    assert_eq!(row.verdict, Verdict::Broken);
    assert!(row.reason.contains("61"), "{}", row.reason);

    let cj = cronjob(json!({"schedule": "0 * * * *", "timeZone": "Mars/Olympus_Mons"}), json!({}));
    let row = analyse(&cj, &[], ts("2025-03-01T10:20:00Z"));
    assert_eq!(row.verdict, Verdict::Broken, "{row:?}");
    assert!(row.reason.contains("Mars/Olympus_Mons"), "{}", row.reason);
}

#[test]
fn every_schedules_count_from_the_last_run() {
    let cj = cronjob(
        json!({"schedule": "@every 1h"}),
        json!({"lastScheduleTime": "2025-03-01T08:00:00Z"}),
    );
    let row = analyse(&cj, &[], ts("2025-03-01T10:30:00Z"));
    assert_eq!(row.previous_schedule_time, Some(ts("2025-03-01T10:00:00Z")));
    assert_eq!(row.verdict, Verdict::Missed);
}

#[test]
fn a_run_longer_than_the_interval_is_running_long() {
    let cj = cronjob(
        json!({"schedule": "0 * * * *"}),
        json!({"lastScheduleTime": "2025-03-01T10:00:00Z"}),
    );
    let stuck =
        job("backup-8", "2025-03-01T08:00:00Z", json!({"startTime": "2025-03-01T08:00:02Z"}));
    let row = analyse(&cj, &[&stuck], ts("2025-03-01T10:30:00Z"));
    assert_eq!(row.verdict, Verdict::RunningLong);
    assert_eq!(row.active_runs, 1);
    assert_eq!(row.last_run.unwrap().result, RunResult::Running);
}

#[test]
fn time_zone_schedules_use_their_zone() {
    // 02:30 in London is 02:30 UTC in winter.
    let cj = cronjob(
        json!({"schedule": "30 2 * * *", "timeZone": "Europe/London"}),
        json!({"lastScheduleTime": "2025-03-01T02:30:00Z"}),
    );
    let row = analyse(&cj, &[], ts("2025-03-01T10:00:00Z"));
    assert_eq!(row.next_schedule_time, Some(ts("2025-03-02T02:30:00Z")));
    assert_eq!(row.evaluated_time_zone, "Europe/London");
}

#[test]
fn a_run_whose_pods_are_all_pending_is_pending_not_running() {
    let cj = cronjob(
        json!({"schedule": "0 * * * *"}),
        json!({"lastScheduleTime": "2025-03-01T08:00:00Z"}),
    );
    let waiting = job(
        "backup-8",
        "2025-03-01T08:00:00Z",
        json!({"startTime": "2025-03-01T08:00:01Z", "active": 1, "ready": 0}),
    );
    let row = analyse(&cj, &[&waiting], ts("2025-03-01T08:30:00Z"));
    assert_eq!(row.verdict, Verdict::Pending, "{row:?}");
    assert!(
        row.reason.contains("backup-8: no pod running yet for 29m (Pending)"),
        "{}",
        row.reason
    );
    assert_eq!(row.last_run.as_ref().unwrap().result, RunResult::Pending);
    // Hours later it is still Pending, not RUNNING-LONG.
    let row = analyse(&cj, &[&waiting], ts("2025-03-01T08:59:00Z"));
    assert_eq!(row.verdict, Verdict::Pending);
    // A ready pod is running; an old server without `.status.ready` is not second-guessed.
    let running = job(
        "backup-8",
        "2025-03-01T08:00:00Z",
        json!({"startTime": "2025-03-01T08:00:01Z", "active": 1, "ready": 1}),
    );
    let row = analyse(&cj, &[&running], ts("2025-03-01T08:30:00Z"));
    assert_eq!(row.last_run.unwrap().result, RunResult::Running);
    let old = job("backup-8", "2025-03-01T08:00:00Z", json!({"active": 1}));
    assert_eq!(
        analyse(&cj, &[&old], ts("2025-03-01T08:30:00Z")).last_run.unwrap().result,
        RunResult::Running
    );
}
