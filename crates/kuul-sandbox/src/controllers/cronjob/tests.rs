//! Unit tests for the CronJob controller: one sync at a time, no store.

use super::*;
use serde_json::json;

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn cj(spec: serde_json::Value, status: serde_json::Value) -> CronJob {
    let mut spec_full = json!({
        "schedule": "0 * * * *",
        "jobTemplate": {
            "metadata": {"labels": {"team": "ops"}, "annotations": {"note": "x"}},
            "spec": {"template": {"spec": {"containers": [{"name": "c", "image": "busybox"}]}}}
        }
    });
    for (k, v) in spec.as_object().unwrap() {
        spec_full[k] = v.clone();
    }
    serde_json::from_value(json!({
        "metadata": {"name": "nightly", "namespace": "ops", "uid": "cj-uid",
                     "creationTimestamp": "2025-01-01T00:00:00Z", "resourceVersion": "7"},
        "spec": spec_full,
        "status": status,
    }))
    .unwrap()
}

fn finished_job(name: &str, start: &str, kind: &str) -> Job {
    serde_json::from_value(json!({
        "metadata": {"name": name, "namespace": "ops", "uid": format!("uid-{name}")},
        "status": {"startTime": start, "completionTime": start,
                   "conditions": [{"type": kind, "status": "True"}]}
    }))
    .unwrap()
}

fn created_jobs(sync: &Sync) -> Vec<&Job> {
    sync.actions
        .iter()
        .filter_map(|a| match a {
            Action::CreateJob(j) => Some(&**j),
            _ => None,
        })
        .collect()
}

fn reasons(sync: &Sync) -> Vec<String> {
    sync.actions
        .iter()
        .filter_map(|a| match a {
            Action::CreateEvent(e) => e.reason.clone(),
            _ => None,
        })
        .collect()
}

fn new_status(sync: &Sync) -> Option<CronJobStatus> {
    sync.actions.iter().find_map(|a| match a {
        Action::ReplaceStatus { object, .. } => {
            serde_json::from_value(object["status"].clone()).ok()
        }
        _ => None,
    })
}

#[test]
fn due_schedule_creates_the_job_upstream_would() {
    let cron = cj(
        json!({"timeZone": "Europe/London"}),
        json!({"lastScheduleTime": "2025-06-01T08:00:00Z"}),
    );
    let sync = sync(&cron, &[], ts("2025-06-01T09:00:00.1Z"));
    let jobs = created_jobs(&sync);
    assert_eq!(jobs.len(), 1);
    let job = jobs[0];
    let scheduled = ts("2025-06-01T09:00:00Z");
    assert_eq!(
        job.metadata.name.as_deref(),
        Some(&*format!("nightly-{}", scheduled.as_second() / 60))
    );
    let annotations = job.metadata.annotations.as_ref().unwrap();
    assert_eq!(annotations[SCHEDULED_TIMESTAMP_ANNOTATION], "2025-06-01T10:00:00+01:00");
    assert_eq!(annotations["note"], "x");
    assert_eq!(job.metadata.labels.as_ref().unwrap()["team"], "ops");
    let owner = &job.metadata.owner_references.as_ref().unwrap()[0];
    assert_eq!(
        (owner.kind.as_str(), owner.api_version.as_str(), owner.uid.as_str()),
        ("CronJob", "batch/v1", "cj-uid")
    );
    assert_eq!((owner.controller, owner.block_owner_deletion), (Some(true), Some(true)));
    assert_eq!(reasons(&sync), ["SuccessfulCreate"]);
    let status = new_status(&sync).unwrap();
    assert_eq!(status.last_schedule_time, Some(Time(scheduled)));
    assert_eq!(status.active.unwrap()[0].name, job.metadata.name);
    // upstream nextScheduleTimeDuration: the next activation plus 100 ms.
    assert_eq!(sync.requeue_at, Some(ts("2025-06-01T10:00:00.1Z")));
}

#[test]
fn nothing_due_just_requeues() {
    let cron = cj(json!({}), json!({"lastScheduleTime": "2025-06-01T09:00:00Z"}));
    let sync = sync(&cron, &[], ts("2025-06-01T09:30:00Z"));
    assert!(sync.actions.is_empty());
    assert_eq!(sync.requeue_at, Some(ts("2025-06-01T10:00:00.1Z")));
}

#[test]
fn suspended_and_broken_schedules_do_not_requeue() {
    let now = ts("2025-06-01T09:30:00Z");
    let suspended = sync(&cj(json!({"suspend": true}), json!({})), &[], now);
    assert_eq!(suspended, Sync::default());
    let broken = sync(&cj(json!({"schedule": "* * *"}), json!({})), &[], now);
    assert_eq!(reasons(&broken), ["UnparseableSchedule"]);
    assert_eq!(broken.requeue_at, None);
    let zone = sync(&cj(json!({"timeZone": "Mars/Olympus"}), json!({})), &[], now);
    assert_eq!(reasons(&zone), ["UnknownTimeZone"]);
}

#[test]
fn runs_older_than_the_starting_deadline_are_not_started() {
    // upstream's mostRecentScheduleTime only looks back startingDeadlineSeconds, so 09:00 is not
    // seen at 09:05 with a 60 s deadline: nothing starts (and no MissSchedule is recorded).
    let cron = cj(
        json!({"startingDeadlineSeconds": 60}),
        json!({"lastScheduleTime": "2025-06-01T08:00:00Z"}),
    );
    let late = sync(&cron, &[], ts("2025-06-01T09:05:00Z"));
    assert!(late.actions.is_empty());
    assert_eq!(late.requeue_at, Some(ts("2025-06-01T10:00:00.1Z")));
    // Within the deadline it starts.
    let in_time = sync(&cron, &[], ts("2025-06-01T09:00:59Z"));
    assert_eq!(created_jobs(&in_time).len(), 1);
}

#[test]
fn history_cleanup_deletes_oldest_by_start_time() {
    let jobs = vec![
        finished_job("c", "2025-06-01T03:00:00Z", "Complete"),
        finished_job("a", "2025-06-01T01:00:00Z", "Complete"),
        finished_job("b", "2025-06-01T02:00:00Z", "Complete"),
        finished_job("f1", "2025-06-01T01:30:00Z", "Failed"),
        finished_job("f2", "2025-06-01T02:30:00Z", "Failed"),
    ];
    let cron = cj(
        json!({"successfulJobsHistoryLimit": 1, "failedJobsHistoryLimit": 1}),
        json!({"lastScheduleTime": "2025-06-01T09:00:00Z"}),
    );
    let sync = sync(&cron, &jobs, ts("2025-06-01T09:10:00Z"));
    let deleted: Vec<&str> = sync
        .actions
        .iter()
        .filter_map(|a| match a {
            Action::Delete {
                name, propagation: Propagation::Background, kind: Kind::Job, ..
            } => Some(name.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(deleted, ["a", "b", "f1"]);
    // lastSuccessfulTime comes from the newest completed Job.
    assert_eq!(
        new_status(&sync).unwrap().last_successful_time,
        Some(Time(ts("2025-06-01T03:00:00Z")))
    );
}

#[test]
fn finished_active_job_leaves_the_active_list() {
    let job = finished_job("nightly-1", "2025-06-01T09:00:00Z", "Failed");
    let cron = cj(
        json!({}),
        json!({"lastScheduleTime": "2025-06-01T09:00:00Z",
               "active": [{"kind": "Job", "name": "nightly-1", "namespace": "ops", "uid": "uid-nightly-1"}]}),
    );
    let sync = sync(&cron, &[job], ts("2025-06-01T09:10:00Z"));
    assert_eq!(reasons(&sync), ["SawCompletedJob"]);
    // `active` is omitempty: the empty list is not written.
    assert_eq!(new_status(&sync).unwrap().active, None);
}

#[test]
fn forbid_and_replace_look_at_active_jobs() {
    let running: Job = serde_json::from_value(
        json!({"metadata": {"name": "nightly-1", "namespace": "ops", "uid": "u1"}}),
    )
    .unwrap();
    let status = json!({"lastScheduleTime": "2025-06-01T08:00:00Z",
                        "active": [{"kind": "Job", "name": "nightly-1", "namespace": "ops", "uid": "u1"}]});
    let now = ts("2025-06-01T09:00:01Z");
    let forbid = sync(
        &cj(json!({"concurrencyPolicy": "Forbid"}), status.clone()),
        std::slice::from_ref(&running),
        now,
    );
    assert!(created_jobs(&forbid).is_empty());
    assert_eq!(reasons(&forbid), ["JobAlreadyActive"]);
    let replace = sync(&cj(json!({"concurrencyPolicy": "Replace"}), status), &[running], now);
    assert!(matches!(&replace.actions[0], Action::Delete { name, .. } if name == "nightly-1"));
    assert_eq!(created_jobs(&replace).len(), 1);
    assert_eq!(reasons(&replace), ["SuccessfulDelete", "SuccessfulCreate"]);
}
