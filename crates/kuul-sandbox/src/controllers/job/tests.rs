//! Unit tests for the Job controller: one sync at a time, no store.

use super::*;
use serde_json::json;

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn job(spec: serde_json::Value) -> Job {
    let mut full = json!({"template": {
        "metadata": {"labels": {"app": "x"}, "annotations": {"sandbox.kuul.dev/exit-codes": "3,0"}},
        "spec": {"restartPolicy": "Never", "containers": [{"name": "c", "image": "busybox"}]}
    }});
    for (k, v) in spec.as_object().unwrap() {
        full[k] = v.clone();
    }
    serde_json::from_value(json!({
        "metadata": {"name": "backup-1", "namespace": "ops", "uid": "job-uid", "resourceVersion": "3"},
        "spec": full,
    }))
    .unwrap()
}

fn pod(phase: &str, finished: &str) -> Pod {
    serde_json::from_value(json!({
        "metadata": {"name": format!("p-{phase}-{finished}"), "namespace": "ops", "finalizers": [TRACKING_FINALIZER]},
        "status": {"phase": phase, "containerStatuses": [{"name": "c", "image": "busybox", "imageID": "", "ready": false, "restartCount": 0,
            "state": {"terminated": {"exitCode": 1, "finishedAt": finished}}}]}
    }))
    .unwrap()
}

fn status(sync: &Sync) -> JobStatus {
    sync.actions
        .iter()
        .rev()
        .find_map(|a| match a {
            Action::ReplaceStatus { object, .. } => {
                serde_json::from_value(object["status"].clone()).ok()
            }
            _ => None,
        })
        .unwrap()
}

fn created(sync: &Sync) -> Vec<&Pod> {
    sync.actions
        .iter()
        .filter_map(|a| match a {
            Action::CreatePod(p) => Some(&**p),
            _ => None,
        })
        .collect()
}

#[test]
fn first_sync_starts_the_job_and_creates_its_pod() {
    let now = ts("2025-06-01T09:00:00Z");
    let sync = sync(&job(json!({})), &[], now);
    let pods = created(&sync);
    assert_eq!(pods.len(), 1);
    let p = pods[0];
    let name = p.metadata.name.as_deref().unwrap();
    assert!(name.starts_with("backup-1-") && name.len() == "backup-1-".len() + 5);
    let labels = p.metadata.labels.as_ref().unwrap();
    for (k, v) in [
        (labels::CONTROLLER_UID, "job-uid"),
        (labels::JOB_NAME, "backup-1"),
        (labels::LEGACY_CONTROLLER_UID, "job-uid"),
        (labels::LEGACY_JOB_NAME, "backup-1"),
        ("app", "x"),
    ] {
        assert_eq!(labels[k], v);
    }
    // exit-codes resolved for pod #0.
    assert_eq!(p.metadata.annotations.as_ref().unwrap()[annotations::EXIT_CODE], "3");
    let owner = &p.metadata.owner_references.as_ref().unwrap()[0];
    assert_eq!(
        (owner.kind.as_str(), owner.uid.as_str(), owner.controller),
        ("Job", "job-uid", Some(true))
    );
    let s = status(&sync);
    assert_eq!(s.start_time, Some(Time(now)));
    // manageJob counts the pod it just created as active (TestControllerSyncJob "job start").
    assert_eq!(s.active, Some(1));
    assert_eq!(s.ready, Some(0));
    // Pod #1 gets the second code.
    assert_eq!(
        pod_from_template(&job(json!({})), 1).metadata.annotations.unwrap()[annotations::EXIT_CODE],
        "0"
    );
}

#[test]
fn a_failed_pod_is_replaced_only_after_the_backoff() {
    let mut j = job(json!({"backoffLimit": 3}));
    j.status = Some(JobStatus {
        start_time: Some(Time(ts("2025-06-01T09:00:00Z"))),
        ..JobStatus::default()
    });
    let failed = pod("Failed", "2025-06-01T09:00:10Z");
    let early = sync(&j, std::slice::from_ref(&failed), ts("2025-06-01T09:00:15Z"));
    assert!(created(&early).is_empty());
    assert_eq!(early.requeue_at, Some(ts("2025-06-01T09:00:20Z")));
    let later = sync(&j, &[failed], ts("2025-06-01T09:00:20Z"));
    assert_eq!(created(&later).len(), 1);
    assert_eq!(failure_backoff(3), SignedDuration::from_secs(40));
    assert_eq!(failure_backoff(20), SignedDuration::from_mins(10));
}

#[test]
fn backoff_limit_and_deadline_fail_the_job() {
    let mut j = job(json!({"backoffLimit": 0}));
    j.status = Some(JobStatus {
        start_time: Some(Time(ts("2025-06-01T09:00:00Z"))),
        ..JobStatus::default()
    });
    let s = status(&sync(&j, &[pod("Failed", "2025-06-01T09:00:10Z")], ts("2025-06-01T09:00:10Z")));
    let types: Vec<&str> = s.conditions.iter().flatten().map(|c| c.type_.as_str()).collect();
    assert_eq!(types, ["FailureTarget", "Failed"]);
    assert_eq!(s.conditions.unwrap()[1].reason.as_deref(), Some("BackoffLimitExceeded"));
    assert_eq!(s.completion_time, None);

    let mut j = job(json!({"activeDeadlineSeconds": 60}));
    j.status = Some(JobStatus {
        start_time: Some(Time(ts("2025-06-01T09:00:00Z"))),
        ..JobStatus::default()
    });
    let running = pod("Running", "2025-06-01T09:00:00Z");
    let before = sync(&j, std::slice::from_ref(&running), ts("2025-06-01T09:00:30Z"));
    assert_eq!(before.requeue_at, Some(ts("2025-06-01T09:01:00Z")));
    let after = sync(&j, &[running], ts("2025-06-01T09:01:00Z"));
    assert!(after.actions.iter().any(|a| matches!(a, Action::Delete { kind: Kind::Pod, .. })));
    let s = status(&after);
    assert_eq!(s.failed, Some(1));
    // 1.32: the running pod is terminating, so only FailureTarget for now (Failed follows once
    // it is gone, see upstream_finish_tests).
    let conds: Vec<(&str, Option<&str>)> =
        s.conditions.iter().flatten().map(|c| (c.type_.as_str(), c.reason.as_deref())).collect();
    assert_eq!(conds, [("FailureTarget", Some("DeadlineExceeded"))]);
    assert_eq!(s.terminating, Some(1));
}

#[test]
fn suspending_deletes_running_pods_and_resuming_restarts_the_clock() {
    let mut j = job(json!({"suspend": true}));
    j.status = Some(JobStatus {
        start_time: Some(Time(ts("2025-06-01T09:00:00Z"))),
        ..JobStatus::default()
    });
    let running = pod("Running", "2025-06-01T09:00:00Z");
    let suspended = sync(&j, &[running], ts("2025-06-01T09:00:30Z"));
    assert!(suspended.actions.iter().any(|a| matches!(a, Action::Delete { kind: Kind::Pod, .. })));
    let s = status(&suspended);
    assert_eq!(s.conditions.as_ref().unwrap()[0].reason.as_deref(), Some("JobSuspended"));
    j.status = Some(s);
    j.spec.as_mut().unwrap().suspend = Some(false);
    let resumed = status(&sync(&j, &[], ts("2025-06-01T10:00:00Z")));
    assert_eq!(resumed.start_time, Some(Time(ts("2025-06-01T10:00:00Z"))));
    assert_eq!(resumed.conditions.unwrap()[0].status, "False");
}

fn indexed_pod(index: i32, phase: &str, finalizer: bool) -> Pod {
    let mut meta = json!({"name": format!("backup-1-{index}-x{phase}"), "namespace": "ops",
        "uid": format!("uid-{index}-{phase}"),
        "annotations": {COMPLETION_INDEX: index.to_string()}});
    if finalizer {
        meta["finalizers"] = json!([TRACKING_FINALIZER]);
    }
    serde_json::from_value(json!({"metadata": meta, "status": {"phase": phase}})).unwrap()
}

#[test]
fn completed_indexes_are_upstreams_interval_strings() {
    let set: BTreeSet<i32> = [1, 3, 4, 5, 7, 9, 10].into_iter().collect();
    // orderedIntervals.String writes a two-index interval with a comma (upstream's
    // "indexed job repeated completed index" expects "0,1").
    assert_eq!(format_indexes(&set), "1,3-5,7,9,10");
    assert_eq!(format_indexes(&BTreeSet::new()), "");
    // parseIndexesFromString keeps the indexes below completions.
    let parsed: Vec<i32> = parse_indexes(Some("0-2,4,6,7"), 7).into_iter().collect();
    assert_eq!(parsed, [0, 1, 2, 4, 6]);
    assert!(parse_indexes(Some("3"), 2).is_empty());
}

/// Indexed Jobs (manageJob, `firstPendingIndexes`, indexed_job_utils.go v1.32): one pod per
/// pending index up to parallelism, each with the index annotation and label, hostname
/// `<job>-<index>`, `JOB_COMPLETION_INDEX` from the label, generated name `<job>-<index>-`.
#[test]
fn indexed_jobs_create_one_pod_per_pending_index() {
    let now = ts("2025-06-01T09:00:00Z");
    let job = job(json!({"completionMode": "Indexed", "completions": 5, "parallelism": 2}));
    let first = sync(&job, &[], now);
    let pods = created(&first);
    assert_eq!(pods.len(), 2);
    for (i, p) in pods.iter().enumerate() {
        let ix = i.to_string();
        assert_eq!(p.metadata.annotations.as_ref().unwrap()[COMPLETION_INDEX], ix);
        assert_eq!(p.metadata.labels.as_ref().unwrap()[COMPLETION_INDEX], ix);
        assert_eq!(p.metadata.generate_name.as_deref(), Some(format!("backup-1-{i}-").as_str()));
        assert!(p.metadata.name.as_deref().unwrap().starts_with(&format!("backup-1-{i}-")));
        let spec = p.spec.as_ref().unwrap();
        assert_eq!(spec.hostname.as_deref(), Some(format!("backup-1-{i}").as_str()));
        let env = spec.containers[0].env.as_ref().unwrap();
        let var = env.iter().find(|e| e.name == "JOB_COMPLETION_INDEX").unwrap();
        let field = var.value_from.as_ref().unwrap().field_ref.as_ref().unwrap();
        assert_eq!(field.field_path, "metadata.labels['batch.kubernetes.io/job-completion-index']");
    }
    // Index 0 and 3 succeeded, 1 runs: 2 is the lowest pending index; 0 and 3 are counted by
    // index into completedIndexes and lose their finalizers.
    let mut job2 = job.clone();
    job2.status = Some(status(&first));
    let pods = [
        indexed_pod(0, "Succeeded", true),
        indexed_pod(1, "Running", true),
        indexed_pod(3, "Succeeded", true),
    ];
    let second = sync(&job2, &pods, now);
    let made = created(&second);
    assert_eq!(made.len(), 1);
    assert_eq!(made[0].metadata.annotations.as_ref().unwrap()[COMPLETION_INDEX], "2");
    let st = status(&second);
    assert_eq!(st.completed_indexes.as_deref(), Some("0,3"));
    assert_eq!((st.succeeded, st.active), (Some(2), Some(2)));
    let removed =
        second.actions.iter().filter(|a| matches!(a, Action::RemoveFinalizer { .. })).count();
    assert_eq!(removed, 2);
    // All five indexes done: Complete.
    let mut job3 = job.clone();
    job3.status =
        Some(JobStatus { completed_indexes: Some("0-3".into()), succeeded: Some(4), ..st });
    let done = sync(&job3, &[indexed_pod(4, "Succeeded", true)], now);
    let st = status(&done);
    assert_eq!(st.completed_indexes.as_deref(), Some("0-4"));
    assert_eq!(st.succeeded, Some(5));
    let types: Vec<&str> = st.conditions.iter().flatten().map(|c| c.type_.as_str()).collect();
    assert_eq!(types, ["SuccessCriteriaMet", "Complete"]);
}

/// backoffLimitPerIndex across syncs (not a port): index 0 fails at 09:00:10; its pod keeps
/// the finalizer until the replacement exists, the replacement waits the index's own back-off
/// (10 s, `getRemainingTimePerIndex`) while index 1 is created at once, and carries
/// `job-index-failure-count: 1`; a second failure fails the index (`failedIndexes: "0"`) and,
/// once index 1 succeeded, the Job (`FailedIndexes`).
#[test]
fn backoff_limit_per_index_counts_failures_per_index() {
    let j = job(json!({"completionMode": "Indexed", "completions": 2, "parallelism": 2,
        "backoffLimitPerIndex": 1, "backoffLimit": i32::MAX}));
    let start = sync(&j, &[], ts("2025-06-01T09:00:00Z"));
    let made = created(&start);
    assert_eq!(made.len(), 2);
    for p in &made {
        assert_eq!(p.metadata.annotations.as_ref().unwrap()[indexed::INDEX_FAILURE_COUNT], "0");
    }
    let mut failed0 = made[0].clone();
    failed0.metadata.uid = Some("uid-a".into());
    failed0.status = pod("Failed", "2025-06-01T09:00:10Z").status;
    let mut running1 = made[1].clone();
    running1.metadata.uid = Some("uid-b".into());
    running1.status = Some(PodStatus { phase: Some("Running".into()), ..PodStatus::default() });
    let mut j1 = j.clone();
    j1.status = Some(status(&start));
    // 5 s after the failure: nothing created, the failed pod keeps its finalizer.
    let early = sync(&j1, &[failed0.clone(), running1.clone()], ts("2025-06-01T09:00:15Z"));
    assert!(created(&early).is_empty());
    assert_eq!(early.requeue_at, Some(ts("2025-06-01T09:00:20Z")));
    assert!(!early.actions.iter().any(|a| matches!(a, Action::RemoveFinalizer { .. })));
    let st = status(&early);
    assert_eq!((st.failed, st.failed_indexes.as_deref(), st.active), (None, Some(""), Some(1)));
    // After the back-off: the replacement for index 0, with the failure count.
    let later = sync(&j1, &[failed0.clone(), running1.clone()], ts("2025-06-01T09:00:21Z"));
    let made = created(&later);
    assert_eq!(made.len(), 1);
    let a = made[0].metadata.annotations.as_ref().unwrap();
    assert_eq!(
        (a[COMPLETION_INDEX].as_str(), a[indexed::INDEX_FAILURE_COUNT].as_str()),
        ("0", "1")
    );
    // The replacement fails too: index 0 failed; index 1 still runs, so the Job goes on.
    let mut failed0b = made[0].clone();
    failed0b.metadata.uid = Some("uid-c".into());
    failed0b.status = pod("Failed", "2025-06-01T09:01:00Z").status;
    // (Creating the replacement changed no counter: no status write, and the first failed
    // pod keeps its finalizer until a sync sees index 0 active.)
    assert!(!later.actions.iter().any(|a| matches!(a, Action::ReplaceStatus { .. })));
    let j2 = j1.clone();
    let after =
        sync(&j2, &[failed0, failed0b.clone(), running1.clone()], ts("2025-06-01T09:01:05Z"));
    let st = status(&after);
    assert_eq!(st.failed_indexes.as_deref(), Some("0"));
    assert_eq!((st.failed, st.active), (Some(2), Some(1)));
    assert!(created(&after).is_empty());
    assert!(st.conditions.iter().flatten().all(|c| c.status != "True"));
    // Index 1 succeeds: every index is done and one failed.
    let mut done1 = running1;
    done1.status = Some(PodStatus { phase: Some("Succeeded".into()), ..PodStatus::default() });
    let mut j3 = j.clone();
    j3.status = Some(st);
    let end = status(&sync(
        &j3,
        &[without_tracking_finalizer(failed0b), done1],
        ts("2025-06-01T09:02:00Z"),
    ));
    let conds: Vec<(&str, Option<&str>)> =
        end.conditions.iter().flatten().map(|c| (c.type_.as_str(), c.reason.as_deref())).collect();
    assert_eq!(
        conds,
        [("FailureTarget", Some("FailedIndexes")), ("Failed", Some("FailedIndexes"))]
    );
    assert_eq!(
        (end.completed_indexes.as_deref(), end.failed_indexes.as_deref()),
        (Some("1"), Some("0"))
    );
}

/// Of two active pods with the same index the controller keeps the one upstream keeps
/// (`appendDuplicatedIndexPodsForRemoval`, `controller.ActivePods`): the running, ready one
/// over the pending one; a pod with an index at or above completions is deleted.
#[test]
fn duplicate_and_out_of_range_indexes_are_deleted() {
    let j = job(json!({"completionMode": "Indexed", "completions": 3, "parallelism": 3}));
    let mut keep = indexed_pod(1, "Running", true);
    keep.status.as_mut().unwrap().conditions =
        Some(vec![serde_json::from_value(json!({"type": "Ready", "status": "True"})).unwrap()]);
    keep.spec = Some(serde_json::from_value(json!({"nodeName": "n1", "containers": []})).unwrap());
    let pending = indexed_pod(1, "Pending", true);
    let beyond = indexed_pod(3, "Running", true);
    let out =
        sync(&j, &[pending.clone(), keep.clone(), beyond.clone()], ts("2025-06-01T09:00:00Z"));
    let deleted: Vec<&str> = out
        .actions
        .iter()
        .filter_map(|a| match a {
            Action::Delete { kind: Kind::Pod, name, .. } => Some(name.as_str()),
            _ => None,
        })
        .collect();
    let mut want =
        [pending.metadata.name.as_deref().unwrap(), beyond.metadata.name.as_deref().unwrap()];
    want.sort_unstable();
    let mut got = deleted.clone();
    got.sort_unstable();
    assert_eq!(got, want);
    // Deleting takes the sync: no pod created for indexes 0 and 2 yet.
    assert!(created(&out).is_empty());
    let st = status(&out);
    assert_eq!((st.active, st.ready), (Some(1), Some(1)));
}
