//! `prune` end to end: one test per selector against Jobs the sandbox's controllers really ran,
//! the confirmation rules, both dry runs, pods deleted with their Jobs (Background propagation)
//! and running Jobs never touched. The real `kubectl` makes the manual run and the orphans.

// Helpers of #[test]s: a failed unwrap is a failed test (what clippy's allow-unwrap-in-tests
// grants the test functions themselves).
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;

use crate::support::*;

/// A CronJob in `ops` whose runs take `duration` and exit `exit_code`, keeping 20 of each kind
/// of finished Job so the controller's own history limit does not prune before we do.
fn cronjob(sb: &Sandbox, name: &str, schedule: &str, duration: &str, exit_code: i32) {
    sb.create(
        Kind::CronJob,
        json!({"apiVersion": "batch/v1", "kind": "CronJob",
               "metadata": {"name": name, "namespace": "ops"},
               "spec": {"schedule": schedule, "successfulJobsHistoryLimit": 20,
                        "failedJobsHistoryLimit": 20,
                        "jobTemplate": {"spec": {"backoffLimit": 0, "template": {
                            "metadata": {"annotations": {
                                "sandbox.kuul.dev/duration": duration,
                                "sandbox.kuul.dev/exit-code": exit_code.to_string()}},
                            "spec": {"restartPolicy": "Never",
                                     "containers": [{"name": "main", "image": "busybox"}]}}}}}}),
    )
    .expect("cronjob");
}

/// `ops` with `ok` (succeeds), `bad` (fails) every 10 minutes for an hour, `slow` (a run that
/// is still going), a manual run of `ok`, and a bare pod that finished.
fn history() -> Sandbox {
    let sb = sandbox();
    namespace(&sb, "ops");
    // One Ready node, so the scheduler binds the pods and the kubelet runs them.
    ready_node(&sb, "node-1", json!({}), "64", "256Gi");
    cronjob(&sb, "ok", "*/10 * * * *", "30s", 0);
    cronjob(&sb, "bad", "*/10 * * * *", "30s", 1);
    cronjob(&sb, "slow", "5 10 * * *", "3h", 0);
    sb.create(
        Kind::Pod,
        json!({"apiVersion": "v1", "kind": "Pod",
               "metadata": {"name": "bare", "namespace": "ops",
                            "annotations": {"sandbox.kuul.dev/duration": "10s"}},
               "spec": {"restartPolicy": "Never", "containers": [{"name": "main", "image": "busybox"}]}}),
    )
    .expect("pod");
    sb.advance(jiff::SignedDuration::from_mins(55));
    let home = tempfile::tempdir().unwrap();
    if let Some(mut cmd) = kubectl(&sb, home.path()) {
        cmd.args(["create", "job", "-n", "ops", "--from=cronjob/ok", "ok-by-hand"]);
        run(cmd).expect_code(0);
    }
    sb.advance(jiff::SignedDuration::from_mins(2));
    sb
}

fn names(sb: &Sandbox, kind: Kind) -> BTreeSet<String> {
    sb.list(kind, Some("ops"))
        .iter()
        .map(|o| o["metadata"]["name"].as_str().unwrap().to_owned())
        .collect()
}

fn jobs_of(sb: &Sandbox, cronjob: &str) -> BTreeSet<String> {
    names(sb, Kind::Job).into_iter().filter(|n| n.starts_with(&format!("{cronjob}-"))).collect()
}

fn planned(report: &Value) -> BTreeSet<String> {
    report["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap().to_owned())
        .collect()
}

fn running_jobs(sb: &Sandbox) -> BTreeSet<String> {
    sb.list(Kind::Job, Some("ops"))
        .iter()
        .filter(|j| {
            !j["status"]["conditions"].as_array().is_some_and(|cs| {
                cs.iter().any(|c| {
                    (c["type"] == "Complete" || c["type"] == "Failed") && c["status"] == "True"
                })
            })
        })
        .map(|j| j["metadata"]["name"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn the_fixture_has_what_the_tests_need() {
    let sb = history();
    // 10:10 to 10:50, plus the manual run at 10:55.
    assert_eq!(jobs_of(&sb, "ok").len(), 6, "{:?}", names(&sb, Kind::Job));
    assert_eq!(jobs_of(&sb, "bad").len(), 5);
    assert_eq!(running_jobs(&sb).len(), 1, "slow's run is still going");
}

#[test]
fn failed_selects_failed_jobs_and_deletes_their_pods_too() {
    let sb = history();
    let running = running_jobs(&sb);
    let pods_before = names(&sb, Kind::Pod);
    let bad = jobs_of(&sb, "bad");
    let report =
        kuul(&sb, &["prune", "-n", "ops", "--failed", "--yes", "-o", "json"]).expect_code(0).json();
    assert_eq!(planned(&report), bad);
    assert_eq!(report["summary"]["deleted"], 5, "{report:#}");
    assert!(jobs_of(&sb, "bad").is_empty());
    assert_eq!(jobs_of(&sb, "ok").len(), 6);
    // Background propagation: the pods went with their Jobs.
    let pods_after = names(&sb, Kind::Pod);
    assert!(pods_before.iter().any(|p| p.starts_with("bad-")));
    assert!(!pods_after.iter().any(|p| p.starts_with("bad-")), "{pods_after:?}");
    assert_eq!(running_jobs(&sb), running);
}

#[test]
fn keep_last_keeps_each_cronjobs_newest_runs() {
    let sb = history();
    let newest_bad: Vec<String> = jobs_of(&sb, "bad").into_iter().rev().take(2).collect();
    kuul(&sb, &["prune", "-n", "ops", "--keep-last", "2", "--yes"]).expect_code(0);
    let left_bad = jobs_of(&sb, "bad");
    assert_eq!(left_bad, newest_bad.into_iter().collect());
    // ok keeps its newest 2 finished runs (the manual run is the newest); slow's running Job stays.
    assert_eq!(jobs_of(&sb, "ok").len(), 2);
    assert!(jobs_of(&sb, "ok").contains("ok-by-hand"));
    assert_eq!(running_jobs(&sb).len(), 1);
}

#[test]
fn manual_selects_only_manual_runs() {
    let sb = history();
    let report =
        kuul(&sb, &["prune", "-n", "ops", "--manual", "--yes", "-o", "json"]).expect_code(0).json();
    assert_eq!(planned(&report), BTreeSet::from(["ok-by-hand".to_owned()]));
    assert!(!names(&sb, Kind::Job).contains("ok-by-hand"));
}

#[test]
fn older_than_never_touches_a_running_job() {
    let sb = history();
    let running = running_jobs(&sb);
    let report = kuul(&sb, &["prune", "-n", "ops", "--older-than", "20m", "--yes", "-o", "json"])
        .expect_code(0)
        .json();
    // Finished at or before 10:37 (20 minutes before 10:57): the 10:10..10:30 runs of ok and bad.
    assert_eq!(report["summary"]["deleted"], 6, "{report:#}");
    assert_eq!(running_jobs(&sb), running);
    let zero = kuul(&sb, &["prune", "-n", "ops", "--older-than", "0s", "--yes", "-o", "json"])
        .expect_code(0)
        .json();
    assert!(!planned(&zero).iter().any(|n| running.contains(n)));
    assert_eq!(running_jobs(&sb), running);
    assert_eq!(names(&sb, Kind::Job), running);
}

#[test]
fn orphans_are_jobs_of_deleted_cronjobs_and_pods_are_stray_pods() {
    let sb = history();
    let home = tempfile::tempdir().unwrap();
    let Some(mut cmd) = kubectl(&sb, home.path()) else { return };
    cmd.args(["delete", "cronjob", "bad", "-n", "ops", "--cascade=orphan"]);
    run(cmd).expect_code(0);
    let bad_jobs = jobs_of(&sb, "bad");
    assert_eq!(bad_jobs.len(), 5, "orphan deletion keeps the Jobs");
    let report = kuul(&sb, &["prune", "-n", "ops", "--orphans", "--yes", "-o", "json"])
        .expect_code(0)
        .json();
    assert_eq!(planned(&report), bad_jobs);
    assert!(jobs_of(&sb, "bad").is_empty());
    let pods =
        kuul(&sb, &["prune", "-n", "ops", "--pods", "--yes", "-o", "json"]).expect_code(0).json();
    assert_eq!(planned(&pods), BTreeSet::from(["bare".to_owned()]));
    assert!(!names(&sb, Kind::Pod).contains("bare"));
}

#[test]
fn without_a_terminal_it_refuses_unless_yes() {
    let sb = history();
    let before = names(&sb, Kind::Job);
    let refused = kuul(&sb, &["prune", "-n", "ops", "--succeeded"]).expect_code(2);
    assert!(refused.stderr.contains("add --yes"), "{}", refused.stderr);
    // The plan was shown before refusing, as a table with the reason.
    assert!(
        refused.stdout.contains("OBJECT") && refused.stdout.contains("WHY"),
        "{}",
        refused.stdout
    );
    assert!(refused.stdout.contains("job.batch/ok-by-hand"), "{}", refused.stdout);
    assert_eq!(names(&sb, Kind::Job), before);
    let nothing = kuul(&sb, &["prune", "-n", "ops"]).expect_code(2);
    assert!(nothing.stderr.contains("say what to prune"), "{}", nothing.stderr);
}

#[test]
fn dry_runs_delete_nothing() {
    let sb = history();
    let before = (names(&sb, Kind::Job), names(&sb, Kind::Pod));
    let client = kuul(&sb, &["prune", "-n", "ops", "--succeeded", "--dry-run", "-o", "json"])
        .expect_code(0)
        .json();
    assert_eq!(client["dryRun"], "client");
    assert_eq!(planned(&client).len(), 6);
    assert!(client["items"].as_array().unwrap().iter().all(|i| i["status"] == "planned"));
    let server =
        kuul(&sb, &["prune", "-n", "ops", "--succeeded", "--dry-run=server", "-o", "json"])
            .expect_code(0)
            .json();
    // A dry run says "would" in its rows and summary, never "deleted" (issue 13).
    assert_eq!(server["summary"]["wouldDelete"], 6, "{server:#}");
    assert_eq!(server["summary"]["deleted"], 0, "{server:#}");
    assert!(
        server["items"].as_array().unwrap().iter().all(|i| i["status"] == "would-delete"),
        "{server:#}"
    );
    let table =
        kuul(&sb, &["prune", "-n", "ops", "--succeeded", "--dry-run=server"]).expect_code(0);
    assert!(!table.stdout.contains(" deleted\n"), "{}", table.stdout);
    assert!(table.stdout.contains("would be deleted"), "{}", table.stdout);
    assert_eq!((names(&sb, Kind::Job), names(&sb, Kind::Pod)), before);
}
