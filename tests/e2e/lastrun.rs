//! `kubectl kuul lastrun` end to end: real binaries against a sandbox whose controllers ran the
//! CronJobs on a stepped clock, so every verdict comes from real controller behaviour.

use crate::support::*;

/// A CronJob in `ops` whose pods run `duration` and exit with `exit_code`.
fn cronjob(name: &str, schedule: &str, duration: &str, exit_code: i32, extra_spec: Value) -> Value {
    let mut spec = json!({
        "schedule": schedule,
        "jobTemplate": {"spec": {
            "backoffLimit": 0,
            "template": {
                "metadata": {"annotations": {
                    "sandbox.kuul.dev/duration": duration,
                    "sandbox.kuul.dev/exit-code": exit_code.to_string(),
                }},
                "spec": {"restartPolicy": "Never",
                         "containers": [{"name": "main", "image": "busybox"}]},
            },
        }},
    });
    if let (Some(spec), Some(extra)) = (spec.as_object_mut(), extra_spec.as_object()) {
        spec.extend(extra.clone());
    }
    json!({"apiVersion": "batch/v1", "kind": "CronJob",
           "metadata": {"name": name, "namespace": "ops"}, "spec": spec})
}

/// One CronJob per verdict the controllers can produce, then 16.5 minutes of controller time.
fn cluster_with_every_verdict() -> Sandbox {
    let sb = sandbox();
    namespace(&sb, "ops");
    ready_node(&sb, "node-1", json!({}), "4", "8Gi");
    for cj in [
        cronjob("healthy", "*/5 * * * *", "30s", 0, json!({})),
        cronjob("failing", "*/5 * * * *", "30s", 1, json!({})),
        // Forbid + a 20-minute run: the 10:10 and 10:15 instants are skipped.
        cronjob("stuck", "*/5 * * * *", "20m", 0, json!({"concurrencyPolicy": "Forbid"})),
        // Allow + a 20-minute run: runs pile up, the first is older than the 5-minute interval.
        cronjob("long", "*/5 * * * *", "20m", 0, json!({})),
        cronjob("paused", "*/5 * * * *", "30s", 0, json!({"suspend": true})),
        cronjob("yearly", "0 0 1 1 *", "30s", 0, json!({})),
    ] {
        sb.create(Kind::CronJob, cj).expect("cronjob");
    }
    sb.advance(jiff::SignedDuration::from_secs(16 * 60 + 30));
    sb
}

fn verdicts(report: &Value) -> Vec<(String, String)> {
    report["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| {
            (i["name"].as_str().unwrap().to_owned(), i["verdict"].as_str().unwrap().to_owned())
        })
        .collect()
}

#[test]
fn every_verdict_from_real_controller_behaviour() {
    let sb = cluster_with_every_verdict();
    let report = kuul(&sb, &["lastrun", "-n", "ops", "-o", "json"]).expect_code(0).json();
    let pairs = verdicts(&report);
    let expect = [
        ("failing", "FAILING"),
        ("healthy", "OK"),
        ("long", "RUNNING-LONG"),
        ("paused", "SUSPENDED"),
        ("stuck", "MISSED"),
        ("yearly", "NEVER-RAN"),
    ];
    let expect: Vec<(String, String)> =
        expect.iter().map(|(a, b)| ((*a).into(), (*b).into())).collect();
    assert_eq!(pairs, expect, "{report:#}");
}

#[test]
fn json_carries_the_api_server_clock_and_run_details() {
    let sb = cluster_with_every_verdict();
    let report = kuul(&sb, &["lastrun", "-n", "ops", "-o", "json"]).expect_code(0).json();
    assert_eq!(report["kind"], "LastRunReport");
    assert_eq!(report["apiVersion"], "kuul.dev/v1alpha1");
    assert_eq!(report["observedAt"], "2025-03-01T10:16:30Z", "the sandbox clock, not the laptop's");
    assert_eq!(report["clock"], "api-server");
    let healthy =
        &report["items"].as_array().unwrap().iter().find(|i| i["name"] == "healthy").unwrap();
    assert_eq!(healthy["lastScheduleTime"], "2025-03-01T10:15:00Z");
    assert_eq!(healthy["previousScheduleTime"], "2025-03-01T10:15:00Z");
    assert_eq!(healthy["nextScheduleTime"], "2025-03-01T10:20:00Z");
    assert_eq!(healthy["timeZone"], Value::Null);
    assert_eq!(healthy["evaluatedTimeZone"], "UTC");
    assert_eq!(healthy["lastRun"]["result"], "Succeeded");
    assert_eq!(healthy["lastRun"]["durationSeconds"], 30);
    assert_eq!(
        healthy["lastRun"]["name"], "healthy-29013735",
        "named as the controller names runs"
    );
    for key in ["namespace", "schedule", "suspended", "lastSuccessfulTime", "activeRuns", "reason"]
    {
        assert!(healthy.get(key).is_some(), "missing {key}");
    }
}

#[test]
fn check_exits_4_when_something_is_missed_or_failing() {
    let sb = cluster_with_every_verdict();
    kuul(&sb, &["lastrun", "-n", "ops", "--check"]).expect_code(4);
    kuul(&sb, &["lastrun", "-n", "ops", "--check", "healthy", "paused", "yearly"]).expect_code(0);
}

#[test]
fn umbrella_and_thin_binary_agree() {
    let sb = cluster_with_every_verdict();
    let run = kuul_both(&sb, &["lastrun", "-n", "ops"]);
    assert!(run.stdout.starts_with("NAME "), "{}", run.stdout);
    assert!(run.stdout.contains("MISSED"));
    kuul_both(&sb, &["lastrun", "-n", "ops", "-o", "wide"]);
}

#[test]
fn table_name_and_jsonpath_outputs() {
    let sb = cluster_with_every_verdict();
    let names = kuul(&sb, &["lastrun", "-n", "ops", "-o", "name"]).expect_code(0).stdout;
    assert!(names.lines().all(|l| l.starts_with("cronjob.batch/")), "{names}");
    assert_eq!(names.lines().count(), 6);
    let missed = kuul(
        &sb,
        &["lastrun", "-n", "ops", "-o", "jsonpath={.items[?(@.verdict==\"MISSED\")].name}"],
    )
    .expect_code(0)
    .stdout;
    assert_eq!(missed, "stuck");
    let headerless = kuul(&sb, &["lastrun", "-n", "ops", "--no-headers"]).expect_code(0).stdout;
    assert!(headerless.starts_with("failing"), "{headerless}");
}

#[test]
fn all_namespaces_adds_the_namespace_column() {
    let sb = cluster_with_every_verdict();
    let out = kuul(&sb, &["lastrun", "-A"]).expect_code(0).stdout;
    assert!(out.starts_with("NAMESPACE "), "{out}");
}

#[test]
fn requests_do_not_grow_with_the_number_of_cronjobs() {
    let sb = cluster_with_every_verdict();
    sb.reset_counts();
    kuul(&sb, &["lastrun", "-A", "-o", "json"]).expect_code(0);
    let total: u64 = sb.request_counts().iter().map(|c| c.count).sum();
    // Some verdicts are not OK here: Warning events are read too, once; every run has
    // finished, so no Pending pod can explain anything and pods are not listed.
    assert_eq!(total, 3, "CronJobs, Jobs, Warning events: {:?}", sb.request_counts());
    // Only healthy CronJobs asked for: one list of CronJobs and one of Jobs.
    sb.reset_counts();
    kuul(&sb, &["lastrun", "-n", "ops", "healthy", "paused", "-o", "json"]).expect_code(0);
    let total: u64 = sb.request_counts().iter().map(|c| c.count).sum();
    assert_eq!(total, 2, "one list of CronJobs and one of Jobs: {:?}", sb.request_counts());
    // A failing CronJob whose runs have all finished: its Warning events may explain it, but
    // no run can be stuck in a Pending pod, so the (slow) pods list is not sent.
    sb.reset_counts();
    kuul(&sb, &["lastrun", "-n", "ops", "failing", "-o", "json"]).expect_code(0);
    let counts = sb.request_counts();
    let total: u64 = counts.iter().map(|c| c.count).sum();
    assert_eq!(total, 3, "CronJobs, Jobs, Warning events: {counts:?}");
}

#[test]
fn unknown_cronjob_suggests_the_nearest_names() {
    let sb = cluster_with_every_verdict();
    let run = kuul(&sb, &["lastrun", "-n", "ops", "helthy"]).expect_code(1);
    assert!(
        run.stderr.contains("error: cronjob \"helthy\" not found in namespace \"ops\""),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("hint: did you mean \"healthy\"?"), "{}", run.stderr);
}

#[test]
fn kubectl_finds_the_plugin() {
    let sb = cluster_with_every_verdict();
    let home = tempfile::tempdir().unwrap();
    let Some(mut cmd) = kubectl(&sb, home.path()) else { return };
    cmd.env("PATH", path_with_plugins()).args(["kuul", "lastrun", "-n", "ops", "-o", "json"]);
    let via_kubectl = run(cmd).expect_code(0).json();
    let direct = kuul(&sb, &["lastrun", "-n", "ops", "-o", "json"]).expect_code(0).json();
    assert_eq!(verdicts(&via_kubectl), verdicts(&direct));
}

/// A run whose pod no node can take stays Pending for hours: lastrun says Pending (LAST RESULT
/// and verdict), not Running/OK (issue 13).
#[test]
fn a_run_whose_pod_is_pending_shows_as_pending_not_running() {
    let sb = sandbox();
    namespace(&sb, "ops");
    // No node at all: the scheduler binds nothing, the pod stays Pending.
    sb.create(Kind::CronJob, cronjob("unplaced", "0 */6 * * *", "30s", 0, json!({})))
        .expect("cronjob");
    sb.advance(jiff::SignedDuration::from_mins(2 * 60 + 5));
    sb.reset_counts();
    let report = kuul(&sb, &["lastrun", "-n", "ops", "-o", "json"]).expect_code(0).json();
    // An unfinished run with no ready pod: its Pending pods and Warning events are read.
    let counts = sb.request_counts();
    let total: u64 = counts.iter().map(|c| c.count).sum();
    assert_eq!(total, 4, "CronJobs, Jobs, Pending pods, Warning events: {counts:?}");
    let item = &report["items"][0];
    assert_eq!(item["lastRun"]["result"], "Pending", "{report:#}");
    assert_eq!(item["verdict"], "PENDING", "{report:#}");
    let table = kuul(&sb, &["lastrun", "-n", "ops"]).expect_code(0);
    assert!(
        table.stdout.contains("Pending") && !table.stdout.contains("Running"),
        "{}",
        table.stdout
    );
    assert!(!table.stdout.contains(" OK"), "{}", table.stdout);
}

/// An empty scope is never silent, and `--check` on it fails unless allowed (issue 13).
#[test]
fn an_empty_scope_says_so_and_fails_the_check() {
    let sb = sandbox();
    namespace(&sb, "ops");
    let run = kuul_both(&sb, &["lastrun", "-n", "santiy"]).expect_code(0);
    assert_eq!(run.stderr.trim(), "No resources found in santiy namespace.");
    let all = kuul(&sb, &["lastrun", "-A"]).expect_code(0);
    assert_eq!(all.stderr.trim(), "No resources found");
    let check = kuul(&sb, &["lastrun", "-n", "santiy", "--check"]).expect_code(4);
    assert!(
        check.stderr.starts_with("error: --check found no CronJob to check"),
        "{}",
        check.stderr
    );
    kuul(&sb, &["lastrun", "-n", "santiy", "--check", "--allow-empty"]).expect_code(0);
    let json = kuul(&sb, &["lastrun", "-n", "santiy", "-o", "json"]).expect_code(0);
    assert_eq!(json.json()["items"], json!([]));
}

/// A run whose Job cannot create its pod (a ResourceQuota refuses it, as quota admission
/// does): the Job controller records `FailedCreate` and retries; once the run has waited
/// longer than `--pending-for`, lastrun says STUCK with the controller's message.
#[test]
fn a_run_refused_by_quota_is_stuck_with_failed_create() {
    let sb = sandbox();
    namespace(&sb, "ops");
    ready_node(&sb, "node-1", json!({}), "4", "8Gi");
    sb.create(
        Kind::ResourceQuota,
        json!({"metadata": {"name": "no-pods", "namespace": "ops"}, "spec": {"hard": {"pods": "0"}}}),
    )
    .expect("quota");
    sb.create(Kind::CronJob, cronjob("reports", "*/15 * * * *", "30s", 0, json!({})))
        .expect("cronjob");
    // The 10:15 run, 7 minutes later.
    sb.advance(jiff::SignedDuration::from_mins(22));
    let report = kuul(&sb, &["lastrun", "-n", "ops", "-o", "json"]).expect_code(0).json();
    let item = &report["items"][0];
    assert_eq!(item["verdict"], "STUCK", "{report:#}");
    assert_eq!(item["stuck"]["reason"], "FailedCreate", "{report:#}");
    assert_eq!(item["stuck"]["pod"], Value::Null, "{report:#}");
    let reason = item["reason"].as_str().unwrap_or_default();
    assert!(reason.contains("no pod created for"), "{reason}");
    assert!(
        reason.contains("FailedCreate: Error creating: pods \"reports-")
            && reason.contains(
                "is forbidden: exceeded quota: no-pods, requested: pods=1, used: pods=0, limited: pods=0"
            ),
        "{reason}"
    );
    let check = kuul(&sb, &["lastrun", "-n", "ops", "--check"]).expect_code(4);
    assert!(check.stderr.contains("FailedCreate"), "{}", check.stderr);
    // The quota goes: the Job controller's next retry creates the pod and the run starts.
    let bg = kuul_sandbox::controllers::Propagation::Background;
    sb.store().delete(Kind::ResourceQuota, Some("ops"), "no-pods", bg).expect("delete quota");
    sb.advance(jiff::SignedDuration::from_mins(1));
    let report = kuul(&sb, &["lastrun", "-n", "ops", "-o", "json"]).expect_code(0).json();
    assert_ne!(report["items"][0]["verdict"], "STUCK", "{report:#}");
}
