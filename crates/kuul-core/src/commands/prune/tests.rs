//! `prune`'s plan on fixed objects and a fixed clock: one test per selector, plus the rules
//! that hold under every selector (running Jobs and pods of live Jobs are never touched).

use std::collections::HashSet;
use std::time::Duration;

use jiff::Timestamp;
use serde_json::json;

use super::facts::{JobFacts, PodFacts};
use super::plan::{Criteria, ObjectKind, plan};

const NOW: &str = "2025-03-10T12:00:00Z";

fn now() -> Timestamp {
    NOW.parse().unwrap()
}

/// A Job owned by CronJob `owner` (uid `cj-<owner>`), started `started`, finished `result` at
/// `finished` (`None`: still running).
fn job(name: &str, owner: Option<&str>, started: &str, finish: Option<(&str, &str)>) -> JobFacts {
    let owners: Vec<_> = owner
        .map(
            |o| json!({"kind": "CronJob", "name": o, "uid": format!("cj-{o}"), "controller": true}),
        )
        .into_iter()
        .collect();
    let conditions: Vec<_> = finish
        .map(|(kind, at)| json!({"type": kind, "status": "True", "lastTransitionTime": at}))
        .into_iter()
        .collect();
    let completion = finish.filter(|(k, _)| *k == "Complete").map(|(_, at)| at);
    serde_json::from_value(json!({
        "metadata": {
            "name": name, "namespace": "ops", "uid": format!("job-{name}"),
            "resourceVersion": "7", "creationTimestamp": started, "ownerReferences": owners,
        },
        "status": {"startTime": started, "completionTime": completion, "conditions": conditions},
    }))
    .unwrap()
}

fn pod(name: &str, phase: &str, owner: Option<(&str, &str)>, finished: &str) -> PodFacts {
    let owners: Vec<_> = owner
        .map(|(kind, o)| json!({"kind": kind, "name": o, "uid": format!("job-{o}"), "controller": true}))
        .into_iter()
        .collect();
    serde_json::from_value(json!({
        "metadata": {"name": name, "namespace": "ops", "uid": format!("pod-{name}"),
                     "resourceVersion": "3", "creationTimestamp": "2025-03-01T00:00:00Z",
                     "ownerReferences": owners},
        "status": {"phase": phase, "containerStatuses": [
            {"state": {"terminated": {"finishedAt": finished}}}]},
    }))
    .unwrap()
}

fn fixtures() -> Vec<JobFacts> {
    vec![
        job(
            "backup-1",
            Some("backup"),
            "2025-03-01T00:00:00Z",
            Some(("Complete", "2025-03-01T00:05:00Z")),
        ),
        job(
            "backup-2",
            Some("backup"),
            "2025-03-08T00:00:00Z",
            Some(("Failed", "2025-03-08T00:05:00Z")),
        ),
        job(
            "backup-3",
            Some("backup"),
            "2025-03-10T00:00:00Z",
            Some(("Complete", "2025-03-10T00:05:00Z")),
        ),
        job("backup-4", Some("backup"), "2025-03-10T11:00:00Z", None),
        job(
            "backup-manual-x1",
            Some("backup"),
            "2025-03-02T00:00:00Z",
            Some(("Complete", "2025-03-02T00:01:00Z")),
        ),
        job(
            "report-1",
            Some("report"),
            "2025-03-01T00:00:00Z",
            Some(("Failed", "2025-03-01T01:00:00Z")),
        ),
        job("adhoc", None, "2025-03-01T00:00:00Z", Some(("Complete", "2025-03-01T00:01:00Z"))),
    ]
}

fn names(criteria: &Criteria) -> Vec<String> {
    let jobs = fixtures();
    let live: HashSet<&str> = ["cj-backup"].into();
    plan(&jobs, &[], &live, criteria, now()).into_iter().map(|c| c.name).collect()
}

#[test]
fn without_a_job_flag_no_job_is_selected() {
    assert!(names(&Criteria::default()).is_empty());
}

#[test]
fn succeeded_and_failed_select_by_result_and_never_a_running_job() {
    let succeeded = Criteria { succeeded: true, ..Criteria::default() };
    assert_eq!(names(&succeeded), ["adhoc", "backup-1", "backup-3", "backup-manual-x1"]);
    let failed = Criteria { failed: true, ..Criteria::default() };
    assert_eq!(names(&failed), ["backup-2", "report-1"]);
    let both = Criteria { succeeded: true, failed: true, ..Criteria::default() };
    assert_eq!(names(&both).len(), 6);
    assert!(!names(&both).contains(&"backup-4".to_owned()));
}

#[test]
fn older_than_measures_from_the_finish() {
    // Finished before 2025-03-03T12:00 (7 days before NOW).
    let criteria =
        Criteria { older_than: Some(Duration::from_secs(7 * 86_400)), ..Criteria::default() };
    assert_eq!(names(&criteria), ["adhoc", "backup-1", "backup-manual-x1", "report-1"]);
}

#[test]
fn manual_matches_the_annotation_or_the_k9s_name() {
    let criteria = Criteria { manual: true, ..Criteria::default() };
    assert_eq!(names(&criteria), ["backup-manual-x1"]);
    let mut jobs = fixtures();
    jobs[0]
        .metadata
        .annotations
        .insert("cronjob.kubernetes.io/instantiate".into(), "manual".into());
    let picked = plan(&jobs, &[], &HashSet::new(), &criteria, now());
    assert_eq!(picked.len(), 2);
}

#[test]
fn orphans_are_jobs_whose_cronjob_is_gone() {
    let criteria = Criteria { orphans: true, ..Criteria::default() };
    let planned = {
        let jobs = fixtures();
        let live: HashSet<&str> = ["cj-backup"].into();
        plan(&jobs, &[], &live, &criteria, now())
    };
    assert_eq!(planned.len(), 1);
    assert_eq!(planned[0].name, "report-1");
    assert_eq!(planned[0].why, "failed 9d ago, cronjob report is gone");
    // After `kubectl delete cronjob --cascade=orphan` the owner reference is gone too; the
    // controller's annotation still says a CronJob made it. A hand-made Job is no orphan.
    let mut jobs = fixtures();
    jobs[5].metadata.owner_references.clear();
    jobs[5]
        .metadata
        .annotations
        .insert("batch.kubernetes.io/cronjob-scheduled-timestamp".into(), "x".into());
    let live: HashSet<&str> = ["cj-backup"].into();
    let planned = plan(&jobs, &[], &live, &criteria, now());
    let picked: Vec<&str> = planned.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(picked, ["report-1"]);
    assert_eq!(planned[0].why, "failed 9d ago, made by a CronJob that no longer owns it");
}

#[test]
fn keep_last_keeps_the_newest_finished_per_cronjob() {
    let criteria = Criteria { keep_last: Some(2), ..Criteria::default() };
    // backup's finished Jobs by start: 3 (03-10), 2 (03-08), manual (03-02), 1 (03-01).
    // report has only one; adhoc has no CronJob and is never touched under --keep-last.
    assert_eq!(names(&criteria), ["backup-1", "backup-manual-x1"]);
    let with_failed = Criteria { keep_last: Some(1), failed: true, ..Criteria::default() };
    assert_eq!(names(&with_failed), ["backup-2"]);
}

#[test]
fn cronjob_narrows_to_the_jobs_one_cronjob_owns() {
    let only = |name: &str| Criteria {
        keep_last: Some(1),
        cronjob: Some(name.into()),
        ..Criteria::default()
    };
    // backup's newest finished Job (backup-3) stays; report's only one stays; no adhoc Job.
    assert_eq!(names(&only("backup")), ["backup-1", "backup-2", "backup-manual-x1"]);
    assert!(names(&only("report")).is_empty());
    assert!(names(&only("nope")).is_empty());
}

#[test]
fn stray_pods_are_terminal_pods_of_gone_jobs_or_no_owner() {
    let jobs = fixtures();
    let pods = vec![
        pod("backup-1-abc", "Succeeded", Some(("Job", "backup-1")), "2025-03-01T00:05:00Z"),
        pod("old-xyz", "Failed", Some(("Job", "deleted-job")), "2025-03-02T00:00:00Z"),
        pod("naked", "Succeeded", None, "2025-03-09T00:00:00Z"),
        pod("running", "Running", None, "2025-03-09T00:00:00Z"),
        pod("rs-evicted", "Failed", Some(("ReplicaSet", "web")), "2025-03-02T00:00:00Z"),
    ];
    let criteria = Criteria { pods: true, ..Criteria::default() };
    let planned = plan(&jobs, &pods, &HashSet::new(), &criteria, now());
    let picked: Vec<(&str, ObjectKind)> =
        planned.iter().map(|c| (c.name.as_str(), c.kind)).collect();
    assert_eq!(picked, [("naked", ObjectKind::Pod), ("old-xyz", ObjectKind::Pod)]);
    assert_eq!(planned[1].why, "pod failed 8d ago, job deleted-job is gone");
    let older = Criteria {
        pods: true,
        older_than: Some(Duration::from_secs(3 * 86_400)),
        ..Criteria::default()
    };
    let planned = plan(&jobs, &pods, &HashSet::new(), &older, now());
    // --older-than also selects Jobs; the pod "naked" finished 1d ago and stays.
    assert!(planned.iter().any(|c| c.name == "old-xyz"));
    assert!(!planned.iter().any(|c| c.name == "naked"));
    assert!(planned.iter().any(|c| c.kind == ObjectKind::Job));
}

#[test]
fn candidates_carry_their_preconditions() {
    let criteria = Criteria { failed: true, ..Criteria::default() };
    let planned = plan(&fixtures(), &[], &HashSet::new(), &criteria, now());
    assert_eq!(planned[0].uid, "job-backup-2");
    assert_eq!(planned[0].resource_version, "7");
    assert_eq!(planned[0].object(), "job.batch/backup-2");
}
