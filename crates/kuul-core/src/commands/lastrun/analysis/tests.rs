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

// STUCK, lateness, stalled schedules and overlap. The pod and event shapes are the ones the
// Kubernetes documentation prints ("Debug Pods", "Troubleshooting Applications",
// "Resource Quotas"): only names and times are ours.

fn scheduled_job(name: &str, uid: &str, created: &str, scheduled: &str, status: Value) -> JobFacts {
    serde_json::from_value(json!({
        "metadata": {"name": name, "namespace": "ops", "uid": uid, "creationTimestamp": created,
                     "annotations": {"batch.kubernetes.io/cronjob-scheduled-timestamp": scheduled},
                     "ownerReferences": [{"kind": "CronJob", "uid": "cj-1", "controller": true}]},
        "status": status,
    }))
    .unwrap()
}

fn pending_pod(job_uid: &str, created: &str, status: Value) -> PodFacts {
    let mut status = status;
    status["phase"] = json!("Pending");
    serde_json::from_value(json!({
        "metadata": {"name": "backup-29016600-x7k2p", "namespace": "ops", "uid": "pod-1",
                     "creationTimestamp": created,
                     "ownerReferences": [{"kind": "Job", "name": "backup-29016600",
                                          "uid": job_uid, "controller": true}]},
        "spec": {"containers": [{"name": "main", "image": "nginx:nonexistent"}]},
        "status": status,
    }))
    .unwrap()
}

fn warning(uid: &str, reason: &str, message: &str, at: &str) -> EventFacts {
    serde_json::from_value(json!({
        "metadata": {"creationTimestamp": at},
        "involvedObject": {"uid": uid, "namespace": "ops", "name": "x"},
        "reason": reason, "message": message, "type": "Warning", "count": 1,
        "firstTimestamp": at, "lastTimestamp": at,
    }))
    .unwrap()
}

fn with<'a>(pods: &'a [PodFacts], events: &'a [EventFacts]) -> Observed<'a> {
    let mut seen = Observed { pending_for: default_pending_for(), ..Observed::default() };
    for pod in pods {
        let owner = pod.metadata.controller("Job").unwrap();
        seen.pods_by_job.entry(owner.uid.as_str()).or_default().push(pod);
    }
    for event in events {
        seen.events_by_uid.entry(event.involved_object.uid.as_str()).or_default().push(event);
    }
    seen
}

fn every_5m() -> CronJobFacts {
    cronjob(
        json!({"schedule": "*/5 * * * *"}),
        json!({"lastScheduleTime": "2025-03-01T10:00:00Z", "active": [{"name": "backup-29016600"}]}),
    )
}

fn active_unready() -> JobFacts {
    scheduled_job(
        "backup-29016600",
        "job-1",
        "2025-03-01T10:00:00Z",
        "2025-03-01T10:00:00Z",
        json!({"startTime": "2025-03-01T10:00:00Z", "active": 1, "ready": 0}),
    )
}

#[test]
fn unschedulable_pod_is_stuck_with_the_schedulers_message() {
    let pods = [pending_pod(
        "job-1",
        "2025-03-01T10:00:01Z",
        json!({"conditions": [{"type": "PodScheduled", "status": "False", "reason": "Unschedulable",
               "lastProbeTime": null, "lastTransitionTime": "2025-03-01T10:00:01Z",
               "message": "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod."}],
               "qosClass": "Burstable"}),
    )];
    let job = active_unready();
    let row = analyse_with(&every_5m(), &[&job], &with(&pods, &[]), ts("2025-03-01T10:06:00Z"));
    assert_eq!(row.verdict, Verdict::Stuck, "{row:#?}");
    let stuck = row.stuck.unwrap();
    assert_eq!(stuck.reason, "Unschedulable");
    assert_eq!(stuck.pending_seconds, 359);
    assert!(stuck.message.unwrap().starts_with("0/3 nodes are available: 3 Insufficient cpu."));
    assert!(row.reason.contains("pod backup-29016600-x7k2p Pending for 5m59s: Unschedulable: 0/3"));

    // Within --pending-for it is only PENDING.
    let early = analyse_with(&every_5m(), &[&job], &with(&pods, &[]), ts("2025-03-01T10:04:00Z"));
    assert_eq!(early.verdict, Verdict::Pending, "{early:#?}");
}

#[test]
fn image_pull_and_config_errors_are_stuck_with_the_kubelets_reason() {
    for (reason, message) in [
        ("ImagePullBackOff", "Back-off pulling image \"nginx:nonexistent\""),
        (
            "ErrImagePull",
            "rpc error: code = NotFound desc = failed to pull and unpack image \"docker.io/library/nginx:nonexistent\"",
        ),
        ("CreateContainerConfigError", "configmap \"app-config\" not found"),
    ] {
        let pods = [pending_pod(
            "job-1",
            "2025-03-01T10:00:01Z",
            json!({"conditions": [{"type": "PodScheduled", "status": "True"}],
                   "containerStatuses": [{"name": "main", "image": "nginx:nonexistent", "imageID": "",
                       "lastState": {}, "ready": false, "restartCount": 0, "started": false,
                       "state": {"waiting": {"reason": reason, "message": message}}}]}),
        )];
        let job = active_unready();
        let row = analyse_with(&every_5m(), &[&job], &with(&pods, &[]), ts("2025-03-01T10:07:00Z"));
        assert_eq!(row.verdict, Verdict::Stuck, "{reason}");
        let stuck = row.stuck.unwrap();
        assert_eq!(stuck.reason, reason);
        assert_eq!(stuck.message.as_deref(), Some(message));
    }
}

#[test]
fn a_volume_that_cannot_mount_is_named_from_the_pods_event() {
    let pods = [pending_pod(
        "job-1",
        "2025-03-01T10:00:01Z",
        json!({"conditions": [{"type": "PodScheduled", "status": "True"}],
               "containerStatuses": [{"name": "main", "image": "busybox", "ready": false,
                   "restartCount": 0, "state": {"waiting": {"reason": "ContainerCreating"}}}]}),
    )];
    let events = [warning(
        "pod-1",
        "FailedMount",
        "MountVolume.SetUp failed for volume \"config\" : configmap \"backup-config\" not found",
        "2025-03-01T10:02:03Z",
    )];
    let job = active_unready();
    let row = analyse_with(&every_5m(), &[&job], &with(&pods, &events), ts("2025-03-01T10:07:00Z"));
    let stuck = row.stuck.expect("stuck");
    assert_eq!(stuck.reason, "FailedMount");
    assert!(stuck.message.unwrap().contains("configmap \"backup-config\" not found"));
}

#[test]
fn a_job_that_cannot_create_pods_is_stuck_with_failed_create() {
    let job = scheduled_job(
        "backup-29016600",
        "job-1",
        "2025-03-01T10:00:00Z",
        "2025-03-01T10:00:00Z",
        json!({"startTime": "2025-03-01T10:00:00Z"}),
    );
    let events = [warning(
        "job-1",
        "FailedCreate",
        "Error creating: pods \"backup-29016600-4fq2z\" is forbidden: exceeded quota: compute-resources, requested: requests.cpu=2, used: requests.cpu=0, limited: requests.cpu=1",
        "2025-03-01T10:00:00Z",
    )];
    let seen = with(&[], &events);
    let row = analyse_with(&every_5m(), &[&job], &seen, ts("2025-03-01T10:06:00Z"));
    assert_eq!(row.verdict, Verdict::Stuck, "{row:#?}");
    let stuck = row.stuck.unwrap();
    assert_eq!((stuck.reason.as_str(), stuck.pod), ("FailedCreate", None));
    assert!(row.reason.contains("no pod created for 6m"), "{}", row.reason);
    // No event: nothing says why, so no STUCK (the Job controller may simply be behind).
    let row = analyse_with(&every_5m(), &[&job], &with(&[], &[]), ts("2025-03-01T10:06:00Z"));
    assert_ne!(row.verdict, Verdict::Stuck);
}

#[test]
fn lateness_of_the_newest_run_and_the_worst_retained() {
    let cj = cronjob(
        json!({"schedule": "*/5 * * * *"}),
        json!({"lastScheduleTime": "2025-03-01T10:05:00Z"}),
    );
    let late = scheduled_job(
        "backup-29016600",
        "job-1",
        "2025-03-01T10:02:00Z",
        "2025-03-01T10:00:00Z",
        complete("2025-03-01T10:02:00Z", "2025-03-01T10:02:30Z"),
    );
    let on_time = scheduled_job(
        "backup-29016605",
        "job-2",
        "2025-03-01T10:05:00Z",
        "2025-03-01T10:05:00Z",
        complete("2025-03-01T10:05:03Z", "2025-03-01T10:05:30Z"),
    );
    let row = analyse(&cj, &[&on_time, &late], ts("2025-03-01T10:06:00Z"));
    assert_eq!(row.late_seconds, Some(3));
    assert_eq!(row.worst_late_seconds, Some(120));
    assert_eq!(row.worst_late_run.as_deref(), Some("backup-29016600"));
}

#[test]
fn missed_names_the_controllers_stall_events_and_too_many_missed_starts() {
    // Last ran 5 days ago, every minute, no deadline: thousands of instants missed.
    let cj = cronjob(
        json!({"schedule": "* * * * *"}),
        json!({"lastScheduleTime": "2025-02-24T10:00:00Z"}),
    );
    let mut cj = cj;
    cj.metadata.creation_timestamp = Some(ts("2025-02-01T00:00:00Z"));
    let events = [warning(
        "cj-1",
        "TooManyMissedTimes",
        "too many missed start times: 7200. Set or decrease .spec.startingDeadlineSeconds or check clock skew",
        "2025-03-01T10:00:00Z",
    )];
    let mut seen = with(&[], &[]);
    seen.events_by_uid.insert("cj-1", events.iter().collect());
    let row = analyse_with(&cj, &[], &seen, ts("2025-03-01T10:00:30Z"));
    assert_eq!(row.verdict, Verdict::Missed);
    assert!(row.reason.contains("more than 100 starts missed"), "{}", row.reason);
    assert!(
        row.reason.contains("TooManyMissedTimes: too many missed start times: 7200"),
        "{}",
        row.reason
    );
    assert_eq!(row.controller_events.len(), 1);

    // With a deadline the reason says the controller skips late starts.
    let cj = cronjob(
        json!({"schedule": "*/5 * * * *", "startingDeadlineSeconds": 60}),
        json!({"lastScheduleTime": "2025-03-01T09:55:00Z"}),
    );
    let row = analyse(&cj, &[], ts("2025-03-01T10:02:00Z"));
    assert_eq!(row.verdict, Verdict::Missed);
    assert!(
        row.reason.contains("startingDeadlineSeconds 60: the controller skips"),
        "{}",
        row.reason
    );
}

#[test]
fn running_long_says_what_the_concurrency_policy_does() {
    for (policy, words) in [
        (None, "concurrencyPolicy Allow: runs pile up (1 active)"),
        (Some("Forbid"), "concurrencyPolicy Forbid: the start at 2025-03-01T10:10:00Z is skipped"),
        (Some("Replace"), "concurrencyPolicy Replace: the start at 2025-03-01T10:10:00Z kills it"),
    ] {
        let mut spec = json!({"schedule": "*/5 * * * *"});
        if let Some(p) = policy {
            spec["concurrencyPolicy"] = json!(p);
        }
        let cj = cronjob(spec, json!({"lastScheduleTime": "2025-03-01T10:05:00Z"}));
        let run = job(
            "backup-29016600",
            "2025-03-01T10:00:00Z",
            json!({"startTime": "2025-03-01T10:00:00Z", "active": 1, "ready": 1}),
        );
        let row = analyse(&cj, &[&run], ts("2025-03-01T10:06:00Z"));
        assert_eq!(row.verdict, Verdict::RunningLong, "{policy:?}");
        assert!(row.reason.contains(words), "{}", row.reason);
    }
}

#[test]
fn the_pending_for_default_parses_as_the_flag_does() {
    assert_eq!(default_pending_for(), SignedDuration::from_mins(5));
    // The flag's default is the same text, so `lastrun` without --pending-for sees the same.
    use clap::Parser;
    #[derive(clap::Parser)]
    struct Cli {
        #[command(flatten)]
        args: crate::commands::lastrun::Args,
    }
    let cli = Cli::try_parse_from(["lastrun"]).unwrap();
    assert_eq!(cli.args.pending_for, default_pending_for());
}
