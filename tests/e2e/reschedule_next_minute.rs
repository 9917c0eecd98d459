//! `kubectl kuul reschedule-next-minute` end to end: the sandbox's CronJob controller really
//! fires at the computed minute (UTC and non-UTC zones, sandbox clock far from the machine's),
//! `--wait` restores the original schedule, and refusals change nothing.

use std::process::Stdio;

use jiff::{SignedDuration, Timestamp};

use crate::support::*;
use crate::trigger::advance_until_exit;

/// The sandbox clock: a year and more away from any machine running the tests, mid-minute.
const START: &str = "2025-03-01T10:00:30Z";

fn cluster_with(cronjobs: &[Value]) -> Sandbox {
    let sb = sandbox_with(Seed::Empty, START);
    namespace(&sb, "ops");
    ready_node(&sb, "node-1", json!({}), "4", "8Gi");
    for cj in cronjobs {
        sb.create(Kind::CronJob, cj.clone()).expect("cronjob");
    }
    sb
}

fn cronjob(name: &str, extra_spec: Value) -> Value {
    let mut spec = json!({
        "schedule": "0 3 * * *",
        "jobTemplate": {"spec": {"backoffLimit": 0, "template": {
            "metadata": {"annotations": {"sandbox.kuul.dev/duration": "10s",
                                         "sandbox.kuul.dev/log": "hello from the run"}},
            "spec": {"restartPolicy": "Never", "containers": [{"name": "main", "image": "busybox"}]},
        }}},
    });
    if let (Some(spec), Some(extra)) = (spec.as_object_mut(), extra_spec.as_object()) {
        spec.extend(extra.clone());
    }
    json!({"apiVersion": "batch/v1", "kind": "CronJob",
           "metadata": {"name": name, "namespace": "ops"}, "spec": spec})
}

fn stored(sb: &Sandbox, name: &str) -> Value {
    sb.get(Kind::CronJob, Some("ops"), name).expect("cronjob")
}

fn job_names(sb: &Sandbox) -> Vec<String> {
    sb.list(Kind::Job, Some("ops"))
        .iter()
        .map(|j| j["metadata"]["name"].as_str().expect("string").to_owned())
        .collect()
}

/// Reschedules `name`, checks the report, and moves the clock to just before and just after
/// the computed minute: the controller's Job appears exactly then.
fn fires_at_the_computed_minute(sb: &Sandbox, name: &str, zone: &str, schedule: &str) {
    let report = kuul(sb, &["reschedule-next-minute", name, "-n", "ops", "-o", "json"])
        .expect_code(0)
        .json();
    assert_eq!(report["clock"], "api-server", "{report:#}");
    // The sandbox's clock (a stepped 2025), not the machine's; the Date header has whole
    // seconds, and the client adds the time since it saw it.
    let observed: Timestamp =
        report["observedAt"].as_str().expect("string").parse().expect("timestamp");
    let start: Timestamp = START.parse().expect("timestamp");
    assert!(
        observed >= start && observed.duration_since(start) < SignedDuration::from_secs(5),
        "{report:#}"
    );
    assert_eq!(report["fireAtUtc"], "2025-03-01T10:01:00Z", "{report:#}");
    assert_eq!(report["timeZone"], zone);
    assert_eq!(report["newSchedule"], schedule);
    assert_eq!(report["oldSchedule"], "0 3 * * *");
    let cj = stored(sb, name);
    assert_eq!(cj["spec"]["schedule"], schedule);
    assert_eq!(cj["metadata"]["annotations"]["kuul.dev/original-schedule"], "0 3 * * *");

    let fire: Timestamp = "2025-03-01T10:01:00Z".parse().expect("timestamp");
    sb.set_clock(fire - SignedDuration::from_secs(1));
    assert!(job_names(sb).is_empty(), "nothing before the minute: {:?}", job_names(sb));
    sb.set_clock(fire + SignedDuration::from_secs(1));
    let expected = report["jobName"].as_str().expect("string").to_owned();
    assert_eq!(expected, format!("{name}-{}", fire.as_second() / 60));
    assert_eq!(job_names(sb), [expected]);
    // A year-long schedule: nothing more within the next hours.
    sb.advance(SignedDuration::from_hours(3));
    assert_eq!(job_names(sb).len(), 1);
}

#[test]
fn rescheduled_cronjob_fires_at_the_computed_minute_in_utc() {
    let sb = cluster_with(&[cronjob("backup", json!({}))]);
    fires_at_the_computed_minute(&sb, "backup", "UTC", "1 10 1 3 *");
}

#[test]
fn rescheduled_cronjob_fires_at_the_computed_minute_in_its_time_zone() {
    let sb = cluster_with(&[cronjob("report", json!({"timeZone": "Asia/Kolkata"}))]);
    // 10:01 UTC is 15:31 in India (+05:30).
    fires_at_the_computed_minute(&sb, "report", "Asia/Kolkata", "31 15 1 3 *");
    let report =
        kuul(&sb, &["reschedule-next-minute", "report", "-n", "ops", "--restore", "-o", "json"])
            .expect_code(0)
            .json();
    assert_eq!(report["newSchedule"], "0 3 * * *");
    let cj = stored(&sb, "report");
    assert_eq!(cj["spec"]["schedule"], "0 3 * * *");
    assert!(cj["metadata"]["annotations"].get("kuul.dev/original-schedule").is_none(), "{cj:#}");
}

#[test]
fn min_lead_skips_to_the_minute_after() {
    let sb = cluster_with(&[cronjob("backup", json!({}))]);
    sb.set_clock("2025-03-01T10:00:45Z".parse().unwrap());
    let report = kuul(&sb, &["reschedule-next-minute", "backup", "-n", "ops", "-o", "json"])
        .expect_code(0)
        .json();
    assert_eq!(report["fireAtUtc"], "2025-03-01T10:02:00Z");
    let late = kuul(
        &sb,
        &["reschedule-next-minute", "backup", "-n", "ops", "--min-lead", "5s", "-o", "json"],
    )
    .expect_code(0)
    .json();
    assert_eq!(late["fireAtUtc"], "2025-03-01T10:01:00Z");
    // Run twice: the original is still the one saved.
    assert_eq!(late["originalSchedule"], "0 3 * * *");
    assert_eq!(
        stored(&sb, "backup")["metadata"]["annotations"]["kuul.dev/original-schedule"],
        "0 3 * * *"
    );
}

#[test]
fn wait_restores_the_original_schedule_once_the_run_exists() {
    let sb = cluster_with(&[cronjob("backup", json!({}))]);
    let home = tempfile::tempdir().unwrap();
    let child = clean_command(&kuul_bin(), sb.kubeconfig(), home.path())
        .args(["reschedule-next-minute", "backup", "-n", "ops", "--wait", "-f"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let run = advance_until_exit(&sb, child, SignedDuration::from_secs(2), 400).expect_code(0);
    assert!(run.stdout.contains("rescheduled"), "{run:?}");
    assert!(run.stdout.contains("hello from the run"), "{run:?}");
    assert!(run.stdout.contains("succeeded"), "{run:?}");
    let cj = stored(&sb, "backup");
    assert_eq!(cj["spec"]["schedule"], "0 3 * * *", "{cj:#}");
    assert!(cj["metadata"]["annotations"].get("kuul.dev/original-schedule").is_none(), "{cj:#}");
    let fire: Timestamp = "2025-03-01T10:01:00Z".parse().unwrap();
    assert_eq!(job_names(&sb), [format!("backup-{}", fire.as_second() / 60)]);
}

#[test]
fn suspended_cronjob_is_refused_or_unsuspended_for_the_run() {
    let sb = cluster_with(&[cronjob("paused", json!({"suspend": true}))]);
    let refused = kuul(&sb, &["reschedule-next-minute", "paused", "-n", "ops"]).expect_code(1);
    assert!(refused.stderr.contains("is suspended"), "{}", refused.stderr);
    assert!(refused.stderr.contains("--unsuspend"), "{}", refused.stderr);
    assert_eq!(stored(&sb, "paused")["spec"]["schedule"], "0 3 * * *");

    let report =
        kuul(&sb, &["reschedule-next-minute", "paused", "-n", "ops", "--unsuspend", "-o", "json"])
            .expect_code(0)
            .json();
    assert_eq!(report["suspendChanged"], true);
    assert_eq!(stored(&sb, "paused")["spec"]["suspend"], false);
    sb.set_clock("2025-03-01T10:01:05Z".parse().unwrap());
    assert_eq!(job_names(&sb).len(), 1, "it fired");
    kuul(&sb, &["reschedule-next-minute", "paused", "-n", "ops", "--restore"]).expect_code(0);
    let cj = stored(&sb, "paused");
    assert_eq!(cj["spec"]["suspend"], true);
    assert_eq!(cj["spec"]["schedule"], "0 3 * * *");
    assert!(
        cj["metadata"]["annotations"].get("kuul.dev/reschedule-lifted-suspend").is_none(),
        "{cj:#}"
    );
}

#[test]
fn dry_run_changes_nothing() {
    let sb = cluster_with(&[cronjob("backup", json!({}))]);
    for mode in ["--dry-run=client", "--dry-run=server"] {
        let report =
            kuul(&sb, &["reschedule-next-minute", "backup", "-n", "ops", mode, "-o", "json"])
                .expect_code(0)
                .json();
        assert_eq!(report["newSchedule"], "1 10 1 3 *");
    }
    let cj = stored(&sb, "backup");
    assert_eq!(cj["spec"]["schedule"], "0 3 * * *");
    assert!(
        cj["metadata"]
            .get("annotations")
            .is_none_or(|a| a.get("kuul.dev/original-schedule").is_none())
    );
}

#[test]
fn bad_input_is_one_clear_line_and_changes_nothing() {
    let sb = cluster_with(&[cronjob("backup", json!({}))]);
    let before = stored(&sb, "backup");
    let cases: [(&[&str], i32, &str); 3] = [
        (&["reschedule-next-minute", "bakup", "-n", "ops"], 1, "did you mean \"backup\"?"),
        (&["reschedule-next-minute", "backup", "-n", "ops", "--restore"], 1, "no saved schedule"),
        (
            &["reschedule-next-minute", "backup", "-n", "ops", "--context", "kuul-sandbox-viewer"],
            1,
            "forbidden: cannot patch cronjobs.batch in namespace \"ops\"",
        ),
    ];
    for (args, code, needle) in cases {
        let run = kuul(&sb, args).expect_code(code);
        assert!(run.stderr.contains(needle), "{args:?}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
    }
    assert_eq!(
        stored(&sb, "backup")["metadata"]["resourceVersion"],
        before["metadata"]["resourceVersion"]
    );
}

/// PATCH requests the sandbox counted.
fn patches(sb: &Sandbox) -> u64 {
    sb.request_counts().iter().filter(|c| c.key.verb == "patch").map(|c| c.count).sum()
}

#[test]
fn conflicts_are_retried_with_a_fresh_read_then_given_up_on() {
    let sb = cluster_with(&[cronjob("backup", json!({}))]);
    // Every write conflicts: five read-decide-patch rounds, then one clear error, no change.
    sb.reset_counts();
    sb.set_faults(kuul_sandbox::FaultConfig { conflict_rate: 1.0, ..Default::default() });
    let run = kuul(&sb, &["reschedule-next-minute", "backup", "-n", "ops"]).expect_code(1);
    assert!(run.stderr.contains("409"), "{}", run.stderr);
    assert_eq!(patches(&sb), 5, "{:?}", sb.request_counts());
    sb.set_faults(kuul_sandbox::FaultConfig::default());
    assert_eq!(stored(&sb, "backup")["spec"]["schedule"], "0 3 * * *");

    // Half the writes conflict; with this seed the first three PATCHes do: it gets through on
    // a fresh read, and the saved original is the real one.
    sb.reset_counts();
    sb.set_faults(kuul_sandbox::FaultConfig { conflict_rate: 0.5, seed: 5, ..Default::default() });
    let report = kuul(&sb, &["reschedule-next-minute", "backup", "-n", "ops", "-o", "json"])
        .expect_code(0)
        .json();
    sb.set_faults(kuul_sandbox::FaultConfig::default());
    assert!(
        patches(&sb) >= 2,
        "the seed must make a first PATCH conflict: {:?}",
        sb.request_counts()
    );
    assert_eq!(report["originalSchedule"], "0 3 * * *");
    let cj = stored(&sb, "backup");
    assert_eq!(cj["spec"]["schedule"], report["newSchedule"]);
    assert_eq!(cj["metadata"]["annotations"]["kuul.dev/original-schedule"], "0 3 * * *");
}

#[test]
fn one_read_and_one_patch_like_kubectl_patch() {
    let sb = cluster_with(&[cronjob("backup", json!({}))]);
    sb.reset_counts();
    kuul(&sb, &["reschedule-next-minute", "backup", "-n", "ops"]).expect_code(0);
    let verbs: Vec<(String, u64)> =
        sb.request_counts().iter().map(|c| (c.key.verb.clone(), c.count)).collect();
    assert_eq!(verbs, [("get".to_owned(), 1), ("patch".to_owned(), 1)], "{verbs:?}");
}

#[test]
fn wait_that_ends_before_the_run_restores_the_schedule() {
    // The stepped clock never reaches the minute: --timeout ends the wait (exit 1) ...
    let sb = cluster_with(&[cronjob("backup", json!({}))]);
    let timed_out =
        kuul(&sb, &["reschedule-next-minute", "backup", "-n", "ops", "--wait", "--timeout", "1s"])
            .expect_code(1);
    assert!(timed_out.stderr.contains("the controller did not create job"), "{}", timed_out.stderr);
    assert!(timed_out.stderr.contains("the schedule was restored"), "{}", timed_out.stderr);
    assert_eq!(stored(&sb, "backup")["spec"]["schedule"], "0 3 * * *");

    // ... and so does Ctrl-C (exit 130), once the Job watch is open.
    sb.reset_counts();
    let home = tempfile::tempdir().unwrap();
    let child = clean_command(&kuul_bin(), sb.kubeconfig(), home.path())
        .args(["reschedule-next-minute", "backup", "-n", "ops", "--wait"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let watching = |sb: &Sandbox| sb.request_counts().iter().any(|c| c.key.verb == "watch");
    // Bounded in wall time, generously for a loaded CI machine.
    let started = std::time::Instant::now();
    while !watching(&sb) && started.elapsed() < std::time::Duration::from_secs(30) {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(watching(&sb), "{:?}", sb.request_counts());
    let mut kill = std::process::Command::new("kill");
    kill.args(["-INT", &child.id().to_string()]);
    run(kill).expect_code(0);
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("the schedule was restored"), "{stderr}");
    let cj = stored(&sb, "backup");
    assert_eq!(cj["spec"]["schedule"], "0 3 * * *");
    assert!(cj["metadata"]["annotations"].get("kuul.dev/original-schedule").is_none(), "{cj:#}");
    assert!(job_names(&sb).is_empty());
}
