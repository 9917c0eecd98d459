//! `kubectl kuul logs` end to end on the runs of `history`'s cluster: the latest, failed,
//! succeeded, Nth and every run, attempts headed with pod and exit status, what cannot be shown,
//! the exit code of a missing run, and the same lines as the real `kubectl logs`.

use crate::history::cluster_with_history;
use crate::support::*;

fn kubectl_logs(sb: &Sandbox, args: &[&str]) -> Run {
    let home = tempfile::tempdir().unwrap();
    let Some(mut cmd) = kubectl(sb, home.path()) else { panic!("kubectl is needed") };
    cmd.arg("logs").args(args);
    run(cmd).expect_code(0)
}

#[test]
fn a_one_pod_run_prints_exactly_what_kubectl_logs_prints() {
    let sb = cluster_with_history();
    let ours = kuul_both(&sb, &["logs", "app", "-n", "ops", "--succeeded"]).expect_code(0);
    let theirs = kubectl_logs(&sb, &["job/app-29013725", "-n", "ops"]);
    assert_eq!(ours.stdout, theirs.stdout);
    assert!(ours.stdout.contains("starting app:1.4"), "{}", ours.stdout);
    // The header goes to stderr, so stdout stays kubectl's.
    assert!(ours.stderr.contains("--- pod/app-29013725-"), "{}", ours.stderr);
    assert!(ours.stderr.contains(": exit 0 ---"), "{}", ours.stderr);
    let tail = kuul(&sb, &["logs", "app", "-n", "ops", "--run", "app-29013725", "--tail", "1"])
        .expect_code(0);
    let theirs = kubectl_logs(&sb, &["job/app-29013725", "-n", "ops", "--tail", "1"]);
    assert_eq!(tail.stdout, theirs.stdout);
    let stamped =
        kuul(&sb, &["logs", "app", "-n", "ops", "--run", "-3", "--timestamps"]).expect_code(0);
    let theirs = kubectl_logs(&sb, &["job/app-29013725", "-n", "ops", "--timestamps"]);
    assert_eq!(stamped.stdout, theirs.stdout);
}

#[test]
fn retries_show_every_attempt_under_its_pod_and_exit_status() {
    let sb = cluster_with_history();
    let out = kuul(&sb, &["logs", "app", "-n", "ops"]).expect_code(0).stdout;
    // The latest run is the manual one: two attempts, each exit 3, oldest first.
    let headers: Vec<&str> = out.lines().filter(|l| l.starts_with("--- pod/")).collect();
    assert_eq!(headers.len(), 2, "{out}");
    assert!(
        headers[0].starts_with("--- pod/app-manual-") && headers[0].contains("(attempt 1/2)"),
        "{out}"
    );
    assert!(headers[1].contains("(attempt 2/2) on node-1: exit 3 (Error) ---"), "{out}");
    assert_eq!(out.matches("done with 3").count(), 2, "{out}");
    // Each attempt's lines equal kubectl's for that pod.
    let pod = headers[1].trim_start_matches("--- pod/").split(' ').next().unwrap();
    let theirs = kubectl_logs(&sb, &[pod, "-n", "ops"]);
    assert!(out.ends_with(&theirs.stdout), "{out}\nvs\n{}", theirs.stdout);
    let failed = kuul(&sb, &["logs", "app", "-n", "ops", "--failed"]).expect_code(0).stdout;
    assert_eq!(failed, out);
    let older = kuul(&sb, &["logs", "app", "-n", "ops", "--run", "-2"]).expect_code(0).stdout;
    assert!(older.contains("--- pod/app-29013730-"), "{older}");
}

#[test]
fn all_runs_oldest_first_with_headers_or_prefixes() {
    let sb = cluster_with_history();
    let out = kuul(&sb, &["logs", "app", "-n", "ops", "--all-runs"]).expect_code(0).stdout;
    let runs: Vec<&str> = out.lines().filter(|l| l.starts_with("==> job.batch/")).collect();
    assert_eq!(runs.len(), 3, "{out}");
    assert!(runs[0].starts_with("==> job.batch/app-29013725: Succeeded"), "{out}");
    assert!(
        runs[1].contains("app-29013730: Failed (exit 3)") && runs[1].contains("2 attempts"),
        "{out}"
    );
    assert!(runs[2].contains("app-manual: Failed") && runs[2].contains("manual"), "{out}");
    let prefixed =
        kuul(&sb, &["logs", "app", "-n", "ops", "--all-runs", "--prefix"]).expect_code(0);
    assert!(!prefixed.stdout.is_empty());
    for line in prefixed.stdout.lines() {
        assert!(line.starts_with("[pod/app-") && line.contains("/main] "), "{line}");
    }
    assert_eq!(prefixed.stdout.lines().count(), 5 * 2, "{}", prefixed.stdout);
}

#[test]
fn what_cannot_be_shown_is_said_and_missing_runs_exit_1() {
    let sb = cluster_with_history();
    let pending = kuul(&sb, &["logs", "gpu", "-n", "ops"]).expect_code(0);
    assert!(pending.stdout.is_empty(), "{}", pending.stdout);
    assert!(pending.stderr.contains("was never scheduled, so it has no log"), "{}", pending.stderr);
    // The OOMKilled attempt is headed so; its pod has no log in the sandbox (never run there).
    let oom = kuul(&sb, &["logs", "oom", "-n", "ops"]).expect_code(0);
    assert!(oom.stderr.contains("OOMKilled (exit 137)"), "{}", oom.stderr);
    // Delete the 10:10 run's pods (as a TTL or orphaning cleanup would): the run still shows.
    let home = tempfile::tempdir().unwrap();
    let mut cmd = kubectl(&sb, home.path()).unwrap();
    cmd.args(["delete", "pods", "-n", "ops", "-l", "job-name=app-29013730"]);
    run(cmd).expect_code(0);
    let gone = kuul(&sb, &["logs", "app", "-n", "ops", "--run", "app-29013730"]).expect_code(0);
    assert!(
        gone.stderr
            .contains("2 of 2 attempt(s) of job.batch/app-29013730 were deleted with their pods"),
        "{}",
        gone.stderr
    );
    let none = kuul(&sb, &["logs", "slow", "-n", "ops", "--failed"]).expect_code(1);
    assert!(none.stderr.contains("has no run that failed"), "{}", none.stderr);
    assert!(none.stderr.contains("hint:"), "{}", none.stderr);
    let missing = kuul(&sb, &["logs", "nope", "-n", "ops"]).expect_code(1);
    assert!(missing.stderr.contains("cronjob \"nope\" not found"), "{}", missing.stderr);
    let bad = kuul(&sb, &["logs", "app", "-n", "ops", "--run", "-0"]).expect_code(2);
    assert!(bad.stderr.contains("-1 is the newest"), "{}", bad.stderr);
    kuul(&sb, &["logs", "app", "-A"]).expect_code(2);
    kuul(&sb, &["logs", "app", "-n", "ops", "--failed", "--succeeded"]).expect_code(2);
}

#[test]
fn previous_and_containers() {
    let sb = cluster_with_history();
    let prev = kuul(&sb, &["logs", "app", "-n", "ops", "--succeeded", "--previous"]).expect_code(0);
    assert!(prev.stderr.contains("has not restarted: there is no previous log"), "{}", prev.stderr);
    let wrong =
        kuul(&sb, &["logs", "app", "-n", "ops", "--succeeded", "-c", "side"]).expect_code(0);
    assert!(wrong.stderr.contains("has no container \"side\" (it has main)"), "{}", wrong.stderr);
    let all =
        kuul(&sb, &["logs", "app", "-n", "ops", "--succeeded", "--all-containers"]).expect_code(0);
    assert!(all.stdout.contains("starting app:1.4"), "{}", all.stdout);
}
