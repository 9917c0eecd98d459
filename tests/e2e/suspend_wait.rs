//! `suspend-all --wait` and `--delete-active-jobs` (issue 13, "wait for running jobs before
//! maintenance"): after suspending, the Jobs already running go on; `--wait` waits until none
//! runs (one list and one watch, the Jobs ending as the sandbox clock is advanced), exits 5 on
//! `--timeout` naming what still runs, 130 on Ctrl-C; `--delete-active-jobs` stops them.
//! Dry runs say "would" and change nothing.

#![allow(clippy::unwrap_used)]

use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use jiff::SignedDuration;

use crate::support::*;

/// ops/slow runs 10 minutes, ops/quick 2 minutes, other/elsewhere 10 minutes; after the
/// clock passes 10:05 one Job of each runs.
fn running() -> Sandbox {
    let sb = sandbox();
    namespace(&sb, "ops");
    namespace(&sb, "other");
    ready_node(&sb, "node-1", json!({}), "8", "16Gi");
    for (ns, name, duration) in
        [("ops", "slow", "10m"), ("ops", "quick", "2m"), ("other", "elsewhere", "10m")]
    {
        sb.create(
            Kind::CronJob,
            json!({"apiVersion": "batch/v1", "kind": "CronJob",
                   "metadata": {"name": name, "namespace": ns},
                   "spec": {"schedule": "*/5 * * * *", "jobTemplate": {"spec": {"template": {
                       "metadata": {"annotations": {"sandbox.kuul.dev/duration": duration}},
                       "spec": {"restartPolicy": "Never",
                                "containers": [{"name": "main", "image": "busybox"}]}}}}}}),
        )
        .unwrap();
    }
    sb.advance(SignedDuration::from_secs(5 * 60 + 10));
    assert_eq!(active_jobs(&sb, Some("ops")), 2, "the fixture's Jobs should be running");
    sb
}

/// Jobs without a terminal condition.
fn active_jobs(sb: &Sandbox, ns: Option<&str>) -> usize {
    sb.list(Kind::Job, ns)
        .iter()
        .filter(|j| {
            !j["status"]["conditions"].as_array().into_iter().flatten().any(|c| {
                (c["type"] == "Complete" || c["type"] == "Failed") && c["status"] == "True"
            })
        })
        .count()
}

fn spawn(sb: &Sandbox, args: &[&str]) -> (Child, tempfile::TempDir) {
    let home = tempfile::tempdir().unwrap();
    let child = clean_command(&kuul_bin(), sb.kubeconfig(), home.path())
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    (child, home)
}

/// Blocks (bounded) until the command watches Jobs: from then on it sees every change.
fn until_watching(sb: &Sandbox) {
    let started = Instant::now();
    while !sb.request_counts().iter().any(|c| c.key.verb == "watch" && c.key.resource == "jobs") {
        assert!(started.elapsed() < Duration::from_secs(60), "no watch on jobs");
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn finish(child: Child) -> Run {
    let output = child.wait_with_output().unwrap();
    Run {
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        code: output.status.code().unwrap_or(-1),
    }
}

#[test]
fn wait_ends_when_the_running_jobs_end_on_the_sandbox_clock() {
    let sb = running();
    sb.reset_counts();
    let (child, _home) =
        spawn(&sb, &["suspend-all", "-n", "ops", "--wait", "--timeout", "0", "-o", "json"]);
    until_watching(&sb);
    sb.advance(SignedDuration::from_secs(3 * 60)); // quick ends
    sb.advance(SignedDuration::from_secs(10 * 60)); // slow ends
    let run = finish(child);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let report = run.json();
    let active = &report["activeJobs"];
    assert_eq!(active["runningAtStart"], 2, "{active}");
    assert_eq!(active["wait"], "drained");
    assert_eq!(active["ended"], 2);
    assert_eq!(active["stillRunning"], json!([]));
    assert!(run.stderr.contains("waiting for 2 running Job(s) to end"), "{}", run.stderr);
    assert!(run.stderr.contains("(cronjob quick) succeeded"), "{}", run.stderr);
    // One watch over the namespace, not one per Job; no polling of the Jobs.
    let counts = sb.request_counts();
    let watches: u64 = counts.iter().filter(|c| c.key.verb == "watch").map(|c| c.count).sum();
    let job_gets: u64 = counts
        .iter()
        .filter(|c| c.key.verb == "get" && c.key.resource == "jobs")
        .map(|c| c.count)
        .sum();
    assert_eq!(watches, 1, "{counts:?}");
    assert_eq!(job_gets, 0, "{counts:?}");
    // Out of scope: the other namespace's CronJob was neither suspended nor waited for.
    assert_eq!(
        sb.get(Kind::CronJob, Some("other"), "elsewhere").unwrap()["spec"]["suspend"],
        false
    );
    assert!(active_jobs(&sb, Some("other")) > 0, "it kept starting runs");
}

#[test]
fn nothing_running_returns_at_once() {
    let sb = sandbox();
    namespace(&sb, "ops");
    sb.create(
        Kind::CronJob,
        json!({"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "idle", "namespace": "ops"},
               "spec": {"schedule": "0 0 1 1 *", "jobTemplate": {"spec": {"template": {"spec": {
                   "restartPolicy": "Never", "containers": [{"name": "main", "image": "busybox"}]}}}}}}),
    )
    .unwrap();
    let run = kuul(&sb, &["suspend-all", "-n", "ops", "--wait"]).expect_code(0);
    assert!(run.stdout.contains("no Job of these CronJobs is running"), "{}", run.stdout);
}

#[test]
fn a_timeout_exits_5_naming_what_still_runs() {
    let sb = running();
    let run = kuul(&sb, &["suspend-all", "-n", "ops", "--wait", "--timeout", "1s"]);
    assert_eq!(run.code, 5, "{}{}", run.stdout, run.stderr);
    let error = run.stderr.lines().find(|l| l.starts_with("error:")).unwrap();
    assert!(
        error.starts_with(
            "error: timed out after 1s waiting for 2 running Job(s): job.batch/quick-"
        ),
        "{error}"
    );
    assert!(error.contains("(cronjob slow, running "), "{error}");
    assert_eq!(run.stderr.lines().filter(|l| l.starts_with("error:")).count(), 1);
    assert!(run.stderr.contains("hint: the CronJobs stay suspended"), "{}", run.stderr);
    // The CronJobs were suspended all the same, and the Jobs go on.
    let slow = sb.get(Kind::CronJob, Some("ops"), "slow").unwrap();
    assert_eq!(slow["spec"]["suspend"], true);
    assert_eq!(active_jobs(&sb, Some("ops")), 2);
}

#[test]
fn delete_active_jobs_stops_them_and_counts_them() {
    let sb = running();
    let run =
        kuul(&sb, &["suspend-all", "-n", "ops", "--delete-active-jobs", "--wait", "-o", "json"])
            .expect_code(0);
    let active = &run.json()["activeJobs"];
    assert_eq!(active["deleted"], 2, "{active}");
    assert_eq!(active["wait"], "drained");
    assert_eq!(
        sb.list(Kind::Job, Some("ops"))
            .iter()
            .filter(|j| j["metadata"]["deletionTimestamp"].is_null())
            .count(),
        0
    );
    // Background propagation: the pods go with them once the garbage collector runs.
    sb.settle();
    assert_eq!(active_jobs(&sb, Some("other")), 1, "out of scope: untouched");
    let table = kuul(&sb, &["suspend-all", "-n", "other", "--delete-active-jobs"]).expect_code(0);
    assert!(table.stdout.contains("deleted 1 running Job(s)"), "{}", table.stdout);
}

#[test]
fn dry_runs_say_would_and_change_nothing() {
    let sb = running();
    for (args, expect) in [
        (&["--wait", "--dry-run"][..], "would wait for 2 running Job(s):"),
        (&["--delete-active-jobs", "--dry-run"][..], "would delete 2 running Job(s)"),
        (&["--delete-active-jobs", "--dry-run=server"][..], "would delete 2 running Job(s)"),
    ] {
        let mut all = vec!["suspend-all", "-n", "ops"];
        all.extend_from_slice(args);
        let run = kuul(&sb, &all).expect_code(0);
        assert!(run.stdout.contains(expect), "{args:?}: {}", run.stdout);
        assert!(run.stdout.contains("job.batch/slow-"), "{args:?}: {}", run.stdout);
        assert!(!run.stdout.contains("deleted 2"), "{args:?}: {}", run.stdout);
        all.extend(["-o", "json"]);
        let json = kuul(&sb, &all).expect_code(0).json();
        assert_ne!(json["dryRun"], "none");
        assert_eq!(json["activeJobs"]["deleted"], 0, "{args:?}");
        assert_eq!(json["activeJobs"]["wait"], Value::Null, "{args:?}");
        assert_eq!(json["activeJobs"]["stillRunning"].as_array().unwrap().len(), 2);
        if args[0] == "--delete-active-jobs" {
            assert_eq!(json["activeJobs"]["wouldDelete"], 2, "{args:?}");
        }
    }
    assert_eq!(active_jobs(&sb, Some("ops")), 2, "a dry run deleted a Job");
    assert_eq!(sb.get(Kind::CronJob, Some("ops"), "slow").unwrap()["spec"]["suspend"], false);
}

#[test]
fn ctrl_c_stops_waiting_and_keeps_the_cronjobs_suspended() {
    let sb = running();
    sb.reset_counts();
    let (child, _home) = spawn(&sb, &["suspend-all", "-n", "ops", "--wait", "--timeout", "0"]);
    until_watching(&sb);
    let pid = child.id().to_string();
    assert!(std::process::Command::new("kill").args(["-INT", &pid]).status().unwrap().success());
    let run = finish(child);
    assert_eq!(run.code, 130, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("stopped waiting (interrupted)"), "{}", run.stdout);
    assert!(run.stdout.contains("job.batch/slow-"), "{}", run.stdout);
    assert_eq!(sb.get(Kind::CronJob, Some("ops"), "quick").unwrap()["spec"]["suspend"], true);
    assert_eq!(active_jobs(&sb, Some("ops")), 2, "Ctrl-C must not touch the Jobs");
}
