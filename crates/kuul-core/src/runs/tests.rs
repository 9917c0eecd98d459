//! Run facts from fixed Job and pod objects.

use serde_json::{Value, json};

use super::*;

fn ts(text: &str) -> Timestamp {
    text.parse().unwrap()
}

const NOW: &str = "2025-03-01T11:00:00Z";

fn job(name: &str, extra_meta: Value, image: &str, status: Value) -> JobFacts {
    let mut meta = json!({"name": name, "namespace": "ops", "uid": format!("uid-{name}"),
        "creationTimestamp": "2025-03-01T10:00:00Z",
        "ownerReferences": [{"kind": "CronJob", "name": "backup", "uid": "cj-1", "controller": true}]});
    if let (Some(m), Some(e)) = (meta.as_object_mut(), extra_meta.as_object()) {
        m.extend(e.clone());
    }
    serde_json::from_value(json!({
        "metadata": meta,
        "spec": {"template": {"spec": {"containers": [{"name": "main", "image": image}]}}},
        "status": status,
    }))
    .unwrap()
}

fn pod(name: &str, job: &str, created: &str, status: Value) -> PodFacts {
    serde_json::from_value(json!({
        "metadata": {"name": name, "namespace": "ops", "creationTimestamp": created,
                     "ownerReferences": [{"kind": "Job", "name": job, "uid": format!("uid-{job}"), "controller": true}]},
        "spec": {"nodeName": "node-1", "containers": [{"name": "main", "image": "app:1"}]},
        "status": status,
    }))
    .unwrap()
}

fn terminated(code: i32, reason: &str) -> Value {
    json!({"phase": if code == 0 { "Succeeded" } else { "Failed" },
           "containerStatuses": [{"name": "main", "restartCount": 0,
               "state": {"terminated": {"exitCode": code, "reason": reason}}}]})
}

fn failed_status(reason: &str) -> Value {
    json!({"startTime": "2025-03-01T10:00:05Z", "failed": 2, "conditions": [
        {"type": "FailureTarget", "status": "True", "reason": reason},
        {"type": "Failed", "status": "True", "reason": reason, "message": "m",
         "lastTransitionTime": "2025-03-01T10:01:05Z"}]})
}

#[test]
fn scheduled_runs_are_late_by_start_minus_schedule() {
    let j = job(
        "backup-29013720",
        json!({"annotations": {SCHEDULED_TIMESTAMP: "2025-03-01T10:00:00Z"}}),
        "app:1",
        json!({"startTime": "2025-03-01T10:00:07Z", "completionTime": "2025-03-01T10:00:40Z",
               "succeeded": 1, "conditions": [{"type": "Complete", "status": "True"}]}),
    );
    let run = run_of(&j, &[], Some("backup"), ts(NOW));
    assert_eq!(run.trigger, Trigger::Scheduled { at: Some(ts("2025-03-01T10:00:00Z")) });
    assert_eq!(run.late_seconds, Some(7));
    assert_eq!(run.duration_seconds, Some(33));
    assert_eq!(run.result, RunResult::Succeeded);
    assert_eq!(run.reason, None);
    // The pod is gone (TTL, prune): the Job's own count still says one attempt.
    assert_eq!((run.attempt_count, run.attempts_deleted), (1, 1));
}

#[test]
fn the_name_says_when_the_annotation_is_missing() {
    let j = job("backup-29013720", json!({}), "app:1", json!({}));
    assert_eq!(
        run_of(&j, &[], Some("backup"), ts(NOW)).trigger,
        Trigger::Scheduled { at: Some(ts("2025-03-01T10:00:00Z")) }
    );
}

#[test]
fn a_name_suffix_is_a_scheduled_minute_only_when_it_could_be_one() {
    let created = Some(ts("2025-03-01T10:00:00Z"));
    let at = |job: &str, created| scheduled_from_name(job, "backup", created);
    // The controller's own: created at its minute, or later (a missed start caught up).
    assert_eq!(at("backup-29013720", created), Some(ts("2025-03-01T10:00:00Z")));
    assert_eq!(at("backup-29013660", created), Some(ts("2025-03-01T09:00:00Z")));
    // `x-1` would be 1970; a date-like suffix 2008; a minute after the Job appeared, the future.
    assert_eq!(at("backup-1", created), None);
    assert_eq!(at("backup-20250301", created), None);
    assert_eq!(at("backup-29013721", created), None);
    // No creation time to judge by; not the CronJob's prefix; not a number.
    assert_eq!(at("backup-29013720", None), None);
    assert_eq!(at("other-29013720", created), None);
    assert_eq!(at("backup-manual-x", created), None);
    // As a run: scheduled, but at an unknown time, and so not late.
    let j = job("backup-1", json!({}), "app:1", json!({"startTime": "2025-03-01T10:00:07Z"}));
    let run = run_of(&j, &[], Some("backup"), ts(NOW));
    assert_eq!(run.trigger, Trigger::Scheduled { at: None });
    assert_eq!(run.late_seconds, None);
    // The annotation, when there, wins over the name.
    let meta = std::collections::BTreeMap::from([(
        SCHEDULED_TIMESTAMP.to_owned(),
        "2025-03-01T09:59:00Z".to_owned(),
    )]);
    assert_eq!(
        scheduled_time(&meta, "backup-1", "backup", created),
        Some(ts("2025-03-01T09:59:00Z"))
    );
}

#[test]
fn manual_runs_name_their_creator() {
    let fields = |manager: &str| {
        json!({"annotations": {INSTANTIATE: "manual"}, "managedFields": [
            {"manager": "kube-controller-manager", "operation": "Update", "time": "2025-03-01T10:00:09Z"},
            {"manager": manager, "operation": "Update", "time": "2025-03-01T10:00:00Z"}]})
    };
    for (manager, who) in [
        ("kubectl-create", "kubectl"),
        ("k9s", "k9s"),
        ("kubectl-kuul", "kuul trigger"),
        ("argo", "argo"),
    ] {
        let j = job("backup-manual-x", fields(manager), "app:1", json!({}));
        assert_eq!(
            run_of(&j, &[], Some("backup"), ts(NOW)).trigger,
            Trigger::Manual { by: Some(who.into()) },
            "{manager}"
        );
    }
    let bare =
        job("backup-by-hand", json!({"annotations": {INSTANTIATE: "manual"}}), "app:1", json!({}));
    let run = run_of(&bare, &[], Some("backup"), ts(NOW));
    assert_eq!(run.trigger, Trigger::Manual { by: None });
    assert_eq!(run.late_seconds, None);
}

#[test]
fn backoff_failures_show_the_pod_cause() {
    let j = job("backup-1", json!({}), "app:1", failed_status("BackoffLimitExceeded"));
    let p1 = pod("backup-1-a", "backup-1", "2025-03-01T10:00:00Z", terminated(3, "Error"));
    let p2 = pod("backup-1-b", "backup-1", "2025-03-01T10:00:30Z", terminated(137, "OOMKilled"));
    let run = run_of(&j, &[&p2, &p1], Some("backup"), ts(NOW));
    assert_eq!(run.result, RunResult::Failed);
    assert_eq!(run.reason.as_deref(), Some("OOMKilled"));
    assert_eq!(run.job_reason.as_deref(), Some("BackoffLimitExceeded"));
    assert_eq!(
        run.attempts.iter().map(|a| a.pod.as_str()).collect::<Vec<_>>(),
        ["backup-1-a", "backup-1-b"]
    );
    assert_eq!(run.attempts[0].reason.as_deref(), Some("exit 3"));
    assert_eq!(run.nodes, ["node-1"]);
    assert_eq!(run.duration_seconds, Some(60));
}

#[test]
fn the_controllers_reason_wins_for_deadlines_and_policies() {
    for reason in ["DeadlineExceeded", "PodFailurePolicy"] {
        let j = job("backup-1", json!({}), "app:1", failed_status(reason));
        let p = pod("backup-1-a", "backup-1", "2025-03-01T10:00:00Z", terminated(1, "Error"));
        assert_eq!(run_of(&j, &[&p], Some("backup"), ts(NOW)).reason.as_deref(), Some(reason));
    }
    // Pods gone: the Job's reason is all there is.
    let j = job("backup-1", json!({}), "app:1", failed_status("BackoffLimitExceeded"));
    let run = run_of(&j, &[], Some("backup"), ts(NOW));
    assert_eq!(run.reason.as_deref(), Some("BackoffLimitExceeded"));
    assert_eq!(run.attempts_deleted, 2);
}

#[test]
fn pending_runs_say_why_nothing_runs() {
    let j = job("backup-1", json!({}), "app:1", json!({"active": 1}));
    let unscheduled = pod(
        "backup-1-a",
        "backup-1",
        "2025-03-01T10:00:00Z",
        json!({"phase": "Pending",
        "conditions": [{"type": "PodScheduled", "status": "False", "reason": "Unschedulable",
                        "message": "0/3 nodes are available"}]}),
    );
    let run = run_of(&j, &[&unscheduled], Some("backup"), ts(NOW));
    assert_eq!(run.result, RunResult::Pending);
    assert_eq!(run.reason.as_deref(), Some("Unschedulable"));
    assert_eq!(run.message.as_deref(), Some("0/3 nodes are available"));
    let pulling = pod(
        "backup-1-a",
        "backup-1",
        "2025-03-01T10:00:00Z",
        json!({"phase": "Pending",
        "containerStatuses": [{"name": "main", "state": {"waiting": {"reason": "ImagePullBackOff"}}}]}),
    );
    let run = run_of(&j, &[&pulling], Some("backup"), ts(NOW));
    assert_eq!(run.reason.as_deref(), Some("ImagePullBackOff"));
    assert!(!run.attempts[0].containers[0].started());
}

#[test]
fn running_runs_count_to_now_and_note_restarts() {
    let j = job(
        "backup-1",
        json!({}),
        "app:1",
        json!({"active": 1, "startTime": "2025-03-01T10:58:00Z"}),
    );
    let p = pod(
        "backup-1-a",
        "backup-1",
        "2025-03-01T10:58:00Z",
        json!({"phase": "Running",
        "containerStatuses": [{"name": "main", "restartCount": 2, "state": {"running": {}},
            "lastState": {"terminated": {"exitCode": 1, "reason": "Error"}}}]}),
    );
    let run = run_of(&j, &[&p], Some("backup"), ts(NOW));
    assert_eq!(run.result, RunResult::Running);
    assert_eq!(run.duration_seconds, Some(120));
    assert_eq!(run.reason.as_deref(), Some("exit 1 (restarted)"));
    assert_eq!(run.attempts[0].containers[0].previous_exit_code, Some(1));
}

#[test]
fn history_marks_template_changes_and_remembers_deleted_runs() {
    let old = job(
        "backup-29013720",
        json!({"creationTimestamp": "2025-03-01T10:00:00Z"}),
        "app:1.4",
        json!({}),
    );
    let new = job(
        "backup-29013725",
        json!({"creationTimestamp": "2025-03-01T10:05:00Z"}),
        "app:1.5",
        json!({}),
    );
    let events: Vec<EventFacts> = [
        json!({"reason": "SuccessfulDelete", "message": "Deleted job backup-29013710", "type": "Normal",
               "lastTimestamp": "2025-03-01T10:00:01Z"}),
        json!({"reason": "MissSchedule", "message": "Missed scheduled time to start a job: x",
               "type": "Warning", "lastTimestamp": "2025-03-01T10:03:00Z", "count": 2}),
        json!({"reason": "SawCompletedJob", "message": "Saw completed job", "type": "Normal"}),
    ]
    .into_iter()
    .map(|v| serde_json::from_value(v).unwrap())
    .collect();
    let event_refs: Vec<&EventFacts> = events.iter().collect();
    let (runs, gaps) =
        runs_of("backup", "ops", &mut [(old, vec![]), (new, vec![])], &event_refs, ts(NOW));
    let names: Vec<&str> = runs.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["backup-29013725", "backup-29013720", "backup-29013710"]);
    assert_eq!(runs[0].changes, ["image app:1.4 -> app:1.5"]);
    assert!(runs[1].changes.is_empty());
    assert_eq!(runs[2].result, RunResult::Deleted);
    assert_eq!(runs[2].created, Some(ts("2025-03-01T09:50:00Z")));
    assert_eq!(gaps.len(), 1);
    assert_eq!((gaps[0].reason.as_str(), gaps[0].count), ("MissSchedule", 2));
    assert_eq!(RunRef::Newest(2).find(&runs).map(|r| r.name.as_str()), Some("backup-29013720"));
    assert_eq!(RunRef::Newest(3).find(&runs).map(|r| r.name.as_str()), None);
}

#[test]
fn run_refs_parse() {
    assert_eq!("-2".parse::<RunRef>(), Ok(RunRef::Newest(2)));
    assert_eq!("backup-1".parse::<RunRef>(), Ok(RunRef::Name("backup-1".into())));
    assert!("-0".parse::<RunRef>().is_err());
    assert!("-x".parse::<RunRef>().is_err());
}

#[test]
fn template_changes_cover_command_env_resources_and_placement() {
    let t = |v: Value| -> Template { serde_json::from_value(v).unwrap() };
    let old = t(json!({"containers": [{"name": "main", "image": "a", "command": ["run"],
        "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "x"}],
        "resources": {"requests": {"cpu": "100m"}}}], "nodeSelector": {"pool": "a"}}));
    let new = t(json!({"containers": [{"name": "main", "image": "a", "command": ["run", "-v"],
        "env": [{"name": "A", "value": "2"}, {"name": "C", "value": "y"}],
        "resources": {"requests": {"cpu": "200m"}, "limits": {"memory": "1Gi"}}}],
        "nodeSelector": {"pool": "b"}}));
    assert_eq!(
        changes(&old, &new),
        [
            "command [\"run\"] -> [\"run\", \"-v\"]",
            "env A=1 -> 2",
            "env +C=y",
            "env -B",
            "resources requests.cpu 100m -> 200m",
            "resources limits.memory <none> -> 1Gi",
            "nodeSelector pool=a -> pool=b",
        ]
    );
    assert!(changes(&old, &old).is_empty());
}

#[test]
fn whole_template_leaves_are_named_by_path() {
    let t = json!({"spec": {"containers": [{"name": "main", "image": "a", "args": ["x"]}]}});
    let leaves: Vec<(String, String)> = flatten(&t).into_iter().collect();
    assert_eq!(
        leaves,
        [
            ("spec.containers[name=main].args[0]".to_owned(), "x".to_owned()),
            ("spec.containers[name=main].image".to_owned(), "a".to_owned()),
            ("spec.containers[name=main].name".to_owned(), "main".to_owned()),
        ]
    );
}

#[test]
fn runs_with_the_same_template_share_one_copy() {
    let at = |name: &str, minute: u32, image: &str| {
        job(
            name,
            json!({"creationTimestamp": format!("2025-03-01T10:{minute:02}:00Z")}),
            image,
            json!({}),
        )
    };
    let mut jobs = vec![
        (at("backup-a", 0, "app:1"), vec![]),
        (at("backup-b", 5, "app:1"), vec![]),
        (at("backup-c", 10, "app:2"), vec![]),
        (at("backup-d", 15, "app:2"), vec![]),
    ];
    let (runs, _) = runs_of("backup", "ops", &mut jobs, &[], ts(NOW));
    let names: Vec<&str> = runs.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["backup-d", "backup-c", "backup-b", "backup-a"]);
    assert!(Arc::ptr_eq(&runs[0].template, &runs[1].template));
    assert!(!Arc::ptr_eq(&runs[1].template, &runs[2].template));
    assert!(Arc::ptr_eq(&runs[2].template, &runs[3].template));
    assert_eq!(runs[1].changes, ["image app:1 -> app:2"]);
    // Shared or not, each run says its own template in -o json.
    let json = serde_json::to_value(&runs[0]).unwrap();
    assert_eq!(json["template"]["containers"][0]["image"], "app:2");
}

#[test]
fn only_the_annotations_and_the_first_writer_runs_read_are_kept() {
    let j = job(
        "backup-x",
        json!({"annotations": {INSTANTIATE: "manual", "other": "big", "kubectl.kubernetes.io/last-applied-configuration": "{}"},
               "managedFields": [
                   {"manager": "kube-controller-manager", "operation": "Update", "time": "2025-03-01T10:00:09Z"},
                   {"manager": "kubectl-create", "operation": "Update", "time": "2025-03-01T10:00:00Z"},
                   {"manager": "later", "operation": "Update", "time": "2025-03-01T10:00:00Z"},
                   {"manager": "reader", "operation": "Get", "time": "2025-03-01T09:00:00Z"}]}),
        "app:1",
        json!({}),
    );
    let kept = facts::RunAnnotations { manual: true, ..Default::default() };
    assert_eq!(j.metadata.annotations, kept);
    let managers: Vec<&str> =
        j.metadata.managed_fields.iter().map(|f| f.manager.as_str()).collect();
    assert_eq!(managers, ["kubectl-create"]);
    let p = pod(
        "backup-x-1",
        "backup-x",
        "2025-03-01T10:00:01Z",
        json!({"phase": "Pending", "conditions": [
            {"type": "Initialized", "status": "True"},
            {"type": "PodScheduled", "status": "False", "reason": "Unschedulable", "message": "0/3 nodes"}]}),
    );
    let kinds: Vec<&str> = p.status.conditions.iter().map(|c| c.type_.as_str()).collect();
    assert_eq!(kinds, ["PodScheduled"]);
    // Null annotations and managedFields read as none.
    let bare: JobFacts = serde_json::from_value(
        json!({"metadata": {"name": "b", "annotations": null, "managedFields": null}}),
    )
    .unwrap();
    assert_eq!(bare.metadata.annotations, facts::RunAnnotations::default());
    assert!(bare.metadata.managed_fields.is_empty());
}

/// kube-scheduler's events come through the events.k8s.io API: their core/v1 view has no
/// `count` and null `firstTimestamp`/`lastTimestamp`; repeats are a `series`.
#[test]
fn events_k8s_io_series_give_time_and_count() {
    let series: EventFacts = serde_json::from_value(json!({
        "reason": "FailedScheduling", "type": "Warning", "action": "Scheduling",
        "eventTime": "2025-03-01T10:00:00.000000Z", "firstTimestamp": null, "lastTimestamp": null,
        "series": {"count": 4, "lastObservedTime": "2025-03-01T10:15:00.000000Z"},
        "reportingComponent": "default-scheduler", "source": {}
    }))
    .unwrap();
    assert_eq!(series.at(), Some(ts("2025-03-01T10:15:00Z")));
    assert_eq!(series.times(), 4);
    let single: EventFacts = serde_json::from_value(json!({
        "reason": "Scheduled", "eventTime": "2025-03-01T10:00:00.000000Z", "lastTimestamp": null
    }))
    .unwrap();
    assert_eq!((single.at(), single.times()), (Some(ts("2025-03-01T10:00:00Z")), 1));
    let legacy: EventFacts = serde_json::from_value(json!({
        "reason": "BackOff", "count": 3, "eventTime": null,
        "firstTimestamp": "2025-03-01T09:00:00Z", "lastTimestamp": "2025-03-01T10:05:00Z"
    }))
    .unwrap();
    assert_eq!((legacy.at(), legacy.times()), (Some(ts("2025-03-01T10:05:00Z")), 3));
}

/// Pod conditions are read borrowed and all but `PodScheduled` dropped unbuilt: the one kept is
/// what the full decode of that condition gives, from a page (`from_slice`: borrowed strings,
/// escapes unescaped) and from a `Value` alike. A dropped condition's time is not parsed; the
/// kept one's must still parse.
#[test]
fn pod_scheduled_is_kept_as_a_full_decode_reads_it() {
    let scheduled = json!({"lastTransitionTime": "2025-03-01T10:00:01Z",
        "message": "0/3 nodes: \"taint\"\n\u{e9}", "reason": "Unschedulable",
        "status": "False", "type": "PodScheduled"});
    let status = json!({"phase": "Pending", "conditions": [
        {"type": "Initialized", "status": "True", "lastTransitionTime": "not a time"},
        scheduled.clone(),
        {"type": "Ready", "status": "False", "lastTransitionTime": null}]});
    let want: facts::Condition<String> = serde_json::from_value(scheduled).unwrap();
    let from_value = pod("p", "j", "2025-03-01T10:00:00Z", status.clone());
    let text = serde_json::to_vec(&json!({"metadata": {"name": "p"}, "status": status})).unwrap();
    let from_slice: PodFacts = serde_json::from_slice(&text).unwrap();
    for got in [&from_value.status.conditions, &from_slice.status.conditions] {
        assert_eq!(got.len(), 1);
        let c = &got[0];
        assert_eq!(
            (&c.type_, &c.status, &c.reason, &c.message, c.last_transition_time),
            (&want.type_, &want.status, &want.reason, &want.message, want.last_transition_time)
        );
    }
    assert_eq!(from_slice.status.conditions[0].message, "0/3 nodes: \"taint\"\n\u{e9}");
    let bad = json!({"metadata": {"name": "p"}, "status": {"conditions": [
        {"type": "PodScheduled", "status": "False", "lastTransitionTime": "yesterday"}]}});
    assert!(serde_json::from_slice::<PodFacts>(&serde_json::to_vec(&bad).unwrap()).is_err());
    let none = json!({"metadata": {"name": "p"}, "status": {"conditions": null}});
    let none: PodFacts = serde_json::from_slice(&serde_json::to_vec(&none).unwrap()).unwrap();
    assert!(none.status.conditions.is_empty());
}

#[test]
fn the_list_shapes_cut_nothing_runs_read() {
    use crate::cluster::list::decoded_whole_and_shaped;
    let (whole, shaped) = decoded_whole_and_shaped::<PodFacts>(0, PodFacts::shape());
    assert_eq!(whole, shaped);
    // What the cut must keep is there: the restarted container's last state, the sidecar.
    assert!(shaped.contains(r#"reason: Some("OOMKilled")"#), "{shaped}");
    assert!(shaped.contains(r#"name: "init""#), "{shaped}");
    assert!(shaped.contains(r#"manager: "kube-controller-manager""#), "{shaped}");
    let (whole, shaped) = decoded_whole_and_shaped::<JobFacts>(1, JobFacts::shape());
    assert_eq!(whole, shaped);
    assert!(shaped.contains("registry.kuul.dev/tools/runner:1.8.2"), "{shaped}");
    // The first writer (who made the run), kept; every entry's field set cut.
    assert!(shaped.contains(r#"manager: "kubectl-create""#), "{shaped}");
    let cut = crate::cluster::list::shaped_items(
        crate::cluster::list::POD_AND_JOB.as_bytes(),
        JobFacts::shape(),
    );
    let job = String::from_utf8_lossy(&cut[1]);
    assert!(job.contains(r#""manager":"kube-controller-manager""#), "{job}");
    assert!(!job.contains("f:status"), "{job}");
}
