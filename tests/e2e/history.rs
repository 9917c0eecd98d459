//! `kubectl kuul history` end to end: runs made by the sandbox's controllers on a stepped clock
//! (success, exit codes with retries, a template change, a manual run, an unschedulable run,
//! Forbid skips), one OOMKilled run written as a kubelet would report it, and the same Jobs and
//! pods as the real kubectl lists them.

use crate::support::*;

/// A CronJob in `ops` running `image` whose pods run 30 s, log two lines and exit `code`.
pub fn app_cronjob(name: &str, image: &str, code: i32, extra_spec: Value) -> Value {
    let mut spec = json!({
        "schedule": "*/5 * * * *",
        "successfulJobsHistoryLimit": 10,
        "failedJobsHistoryLimit": 10,
        "jobTemplate": {"spec": {
            "backoffLimit": 1,
            "template": {
                "metadata": {"annotations": {
                    "sandbox.kuul.dev/duration": "30s",
                    "sandbox.kuul.dev/exit-code": code.to_string(),
                    "sandbox.kuul.dev/log": format!("starting {image}\ndone with {code}"),
                }},
                "spec": {"restartPolicy": "Never",
                         "containers": [{"name": "main", "image": image}]},
            },
        }},
    });
    if let (Some(spec), Some(extra)) = (spec.as_object_mut(), extra_spec.as_object()) {
        spec.extend(extra.clone());
    }
    json!({"apiVersion": "batch/v1", "kind": "CronJob",
           "metadata": {"name": name, "namespace": "ops"}, "spec": spec})
}

fn kubectl_ok(sb: &Sandbox, args: &[&str]) -> Run {
    let home = tempfile::tempdir().unwrap();
    let Some(mut cmd) = kubectl(sb, home.path()) else { panic!("kubectl is needed") };
    cmd.args(args);
    run(cmd).expect_code(0)
}

/// `app`: a success at 10:05 on app:1.4, then app:1.5 failing with exit 3 (two attempts) at
/// 10:10, then a manual run made by the real kubectl; `gpu`: unschedulable; `slow`: Forbid
/// with a run longer than its interval; `oom`: one run whose pod was OOMKilled.
pub fn cluster_with_history() -> Sandbox {
    let sb = sandbox();
    namespace(&sb, "ops");
    ready_node(&sb, "node-1", json!({}), "4", "8Gi");
    sb.create(Kind::CronJob, app_cronjob("app", "app:1.4", 0, json!({}))).unwrap();
    sb.create(
        Kind::CronJob,
        app_cronjob(
            "gpu",
            "trainer:1",
            0,
            json!({"jobTemplate": {"spec": {"template": {"spec": {"restartPolicy": "Never",
                "nodeSelector": {"gpu": "true"},
                "containers": [{"name": "main", "image": "trainer:1"}]}}}}}),
        ),
    )
    .unwrap();
    let mut slow = app_cronjob("slow", "slow:1", 0, json!({"concurrencyPolicy": "Forbid"}));
    slow["spec"]["jobTemplate"]["spec"]["template"]["metadata"]["annotations"]["sandbox.kuul.dev/duration"] =
        json!("9m");
    sb.create(Kind::CronJob, slow).unwrap();
    sb.advance(jiff::SignedDuration::from_secs(6 * 60));
    kubectl_ok(
        &sb,
        &[
            "patch",
            "cronjob",
            "app",
            "-n",
            "ops",
            "--type=merge",
            "-p",
            r#"{"spec":{"jobTemplate":{"spec":{"template":{"metadata":{"annotations":{"sandbox.kuul.dev/exit-code":"3","sandbox.kuul.dev/log":"starting app:1.5\ndone with 3"}},"spec":{"containers":[{"name":"main","image":"app:1.5"}]}}}}}}"#,
        ],
    );
    sb.advance(jiff::SignedDuration::from_secs(5 * 60 + 30));
    kubectl_ok(&sb, &["create", "job", "app-manual", "--from=cronjob/app", "-n", "ops"]);
    // Both attempts of the 10:10 run (the second after the 10 s backoff) and the manual run end.
    sb.advance(jiff::SignedDuration::from_secs(2 * 60));
    oom_run(&sb);
    sb
}

/// A CronJob `oom` (suspended) with one failed run whose pod the kubelet OOMKilled, written as
/// the Job controller and kubelet would have (the sandbox does not simulate memory).
fn oom_run(sb: &Sandbox) {
    let mut cj = app_cronjob("oom", "hog:1", 0, json!({"suspend": true}));
    cj["metadata"]["name"] = json!("oom");
    let cj = sb.create(Kind::CronJob, cj).unwrap();
    let uid = cj["metadata"]["uid"].as_str().unwrap().to_owned();
    let job = sb
        .create(
            Kind::Job,
            json!({"apiVersion": "batch/v1", "kind": "Job",
                "metadata": {"name": "oom-29016600", "namespace": "ops",
                    "annotations": {"batch.kubernetes.io/cronjob-scheduled-timestamp": "2025-03-01T10:00:00Z"},
                    "ownerReferences": [{"apiVersion": "batch/v1", "kind": "CronJob", "name": "oom",
                                         "uid": uid, "controller": true, "blockOwnerDeletion": true}]},
                "spec": {"backoffLimit": 0, "template": {"spec": {"restartPolicy": "Never",
                    "containers": [{"name": "main", "image": "hog:1"}]}}},
                "status": {"startTime": "2025-03-01T10:00:02Z", "failed": 1, "conditions": [
                    {"type": "FailureTarget", "status": "True", "reason": "BackoffLimitExceeded"},
                    {"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded",
                     "message": "Job has reached the specified backoff limit",
                     "lastTransitionTime": "2025-03-01T10:00:40Z"}]}}),
        )
        .unwrap();
    let job_uid = job["metadata"]["uid"].as_str().unwrap().to_owned();
    sb.create(
        Kind::Pod,
        json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "oom-29016600-x1", "namespace": "ops",
                "labels": {"controller-uid": job_uid, "batch.kubernetes.io/controller-uid": job_uid,
                           "job-name": "oom-29016600"},
                "ownerReferences": [{"apiVersion": "batch/v1", "kind": "Job", "name": "oom-29016600",
                                     "uid": job_uid, "controller": true}]},
            "spec": {"nodeName": "node-1", "restartPolicy": "Never",
                     "containers": [{"name": "main", "image": "hog:1"}]},
            "status": {"phase": "Failed", "containerStatuses": [{"name": "main", "image": "hog:1",
                "imageID": "", "ready": false, "restartCount": 0,
                "state": {"terminated": {"exitCode": 137, "reason": "OOMKilled"}}}]}}),
    )
    .unwrap();
}

fn runs<'a>(report: &'a Value, cronjob: &str) -> &'a Vec<Value> {
    report["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == cronjob)
        .unwrap_or_else(|| panic!("no {cronjob} in {report:#}"))["runs"]
        .as_array()
        .unwrap()
}

#[test]
fn results_reasons_lateness_and_what_changed() {
    let sb = cluster_with_history();
    let report = kuul_both(&sb, &["history", "-n", "ops", "-o", "json"]).expect_code(0).json();
    assert_eq!(report["kind"], "HistoryReport");
    assert_eq!(report["clock"], "api-server");
    let app = runs(&report, "app");
    let summary: Vec<(String, String, String)> = app
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap().to_owned(),
                r["result"].as_str().unwrap().to_owned(),
                r["reason"].as_str().unwrap_or("-").to_owned(),
            )
        })
        .collect();
    let s = |a: &str, b: &str, c: &str| (a.to_owned(), b.to_owned(), c.to_owned());
    // Newest first: the manual run, the failing 10:10 run, the 10:05 success.
    assert_eq!(
        summary,
        [
            s("app-manual", "Failed", "exit 3"),
            s("app-29013730", "Failed", "exit 3"),
            s("app-29013725", "Succeeded", "-"),
        ],
        "{report:#}"
    );
    assert_eq!(app[0]["trigger"]["kind"], "manual");
    // The real kubectl created it: its managedFields name `kubectl-create`.
    assert_eq!(app[0]["trigger"]["by"], "kubectl");
    assert_eq!(app[1]["trigger"], json!({"kind": "scheduled", "at": "2025-03-01T10:10:00Z"}));
    assert_eq!(app[1]["jobReason"], "BackoffLimitExceeded");
    assert_eq!(app[1]["attemptCount"], 2);
    assert_eq!(app[1]["nodes"], json!(["node-1"]));
    assert!(app[1]["lateSeconds"].as_i64().unwrap() >= 0);
    assert_eq!(app[1]["changes"], json!(["image app:1.4 -> app:1.5"]));
    assert_eq!(app[0]["changes"], json!([]));
    assert_eq!(app[2]["durationSeconds"], 30);

    let gpu = runs(&report, "gpu");
    assert_eq!(
        (gpu[0]["result"].as_str(), gpu[0]["reason"].as_str()),
        (Some("Pending"), Some("Unschedulable"))
    );
    let oom = runs(&report, "oom");
    assert_eq!(oom[0]["reason"], "OOMKilled");
    assert_eq!(oom[0]["lateSeconds"], 2);
    // Forbid skipped the 10:10 run of `slow` while its 10:05 run went on: the event says so.
    let slow = report["items"].as_array().unwrap().iter().find(|i| i["name"] == "slow").unwrap();
    let reasons: Vec<&str> =
        slow["events"].as_array().unwrap().iter().map(|e| e["reason"].as_str().unwrap()).collect();
    assert!(reasons.contains(&"JobAlreadyActive"), "{slow:#}");
}

#[test]
fn the_same_jobs_and_pods_as_kubectl_lists() {
    let sb = cluster_with_history();
    let report = kuul(&sb, &["history", "-n", "ops", "-o", "json"]).expect_code(0).json();
    let jobs = kubectl_ok(&sb, &["get", "jobs", "-n", "ops", "-o", "json"]).json();
    let pods = kubectl_ok(&sb, &["get", "pods", "-n", "ops", "-o", "json"]).json();
    for job in jobs["items"].as_array().unwrap() {
        let name = job["metadata"]["name"].as_str().unwrap();
        let owner = job["metadata"]["ownerReferences"][0]["name"].as_str().unwrap();
        let run = runs(&report, owner)
            .iter()
            .find(|r| r["name"] == name)
            .unwrap_or_else(|| panic!("history lacks job {name}"));
        let uid = &job["metadata"]["uid"];
        let mut expected: Vec<&str> = pods["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| &p["metadata"]["ownerReferences"][0]["uid"] == uid)
            .map(|p| p["metadata"]["name"].as_str().unwrap())
            .collect();
        expected.sort_unstable();
        let mut shown: Vec<&str> = run["attempts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["pod"].as_str().unwrap())
            .collect();
        shown.sort_unstable();
        assert_eq!(shown, expected, "{name}");
        let failed_condition = job["status"]["conditions"]
            .as_array()
            .is_some_and(|c| c.iter().any(|c| c["type"] == "Failed" && c["status"] == "True"));
        assert_eq!(run["result"] == "Failed", failed_condition, "{name}");
    }
    let total: usize = report["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["runs"].as_array().unwrap().len())
        .sum();
    assert_eq!(total, jobs["items"].as_array().unwrap().len());
}

#[test]
fn table_limit_since_and_names() {
    let sb = cluster_with_history();
    let table = kuul(&sb, &["history", "app", "-n", "ops"]).expect_code(0).stdout;
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[0].starts_with("RUN "), "{table}");
    assert!(lines[0].contains("CHANGED"), "{table}");
    assert!(!lines[0].contains("CRONJOB"), "{table}");
    assert!(lines[1].starts_with("app-manual") && lines[1].contains("manual"), "{table}");
    assert!(table.contains("image app:1.4 -> app:1.5"), "{table}");
    let one =
        kuul(&sb, &["history", "app", "-n", "ops", "--limit", "1", "-o", "name"]).expect_code(0);
    assert_eq!(one.stdout, "job.batch/app-manual\n");
    let recent =
        kuul(&sb, &["history", "app", "-n", "ops", "--since", "5m", "-o", "name"]).expect_code(0);
    assert_eq!(recent.stdout, "job.batch/app-manual\njob.batch/app-29013730\n");
    let wide = kuul(&sb, &["history", "-n", "ops", "-o", "wide"]).expect_code(0).stdout;
    assert!(wide.lines().next().unwrap().contains("CRONJOB") && wide.contains("IMAGES"), "{wide}");
    assert!(wide.contains("<event>") && wide.contains("JobAlreadyActive"), "{wide}");
    // No strip when stdout is not a terminal.
    assert!(!table.contains('✓'));
}

#[test]
fn diff_shows_the_whole_template_difference() {
    let sb = cluster_with_history();
    let diff = kuul(&sb, &["history", "app", "-n", "ops", "--diff", "-3", "-2", "-o", "json"])
        .expect_code(0)
        .json();
    let paths: Vec<&str> =
        diff["changes"].as_array().unwrap().iter().map(|c| c["path"].as_str().unwrap()).collect();
    assert!(paths.contains(&"spec.containers[name=main].image"), "{diff:#}");
    assert!(paths.contains(&"metadata.annotations.sandbox.kuul.dev/exit-code"), "{diff:#}");
    let table =
        kuul(&sb, &["history", "app", "-n", "ops", "--diff", "app-29013725", "app-29013730"])
            .expect_code(0)
            .stdout;
    assert!(table.contains("app:1.4") && table.contains("app:1.5"), "{table}");
    let same =
        kuul(&sb, &["history", "app", "-n", "ops", "--diff", "-1", "-2"]).expect_code(0).stdout;
    assert!(same.contains("are the same"), "{same}");
}

#[test]
fn refusals_name_what_is_wrong() {
    let sb = cluster_with_history();
    let missing = kuul(&sb, &["history", "ap", "-n", "ops"]).expect_code(1);
    assert!(missing.stderr.contains("cronjob \"ap\" not found"), "{}", missing.stderr);
    assert!(missing.stderr.contains("app"), "{}", missing.stderr);
    let no_run = kuul(&sb, &["history", "app", "-n", "ops", "--diff", "-1", "-9"]).expect_code(1);
    assert!(no_run.stderr.contains("has no run -9"), "{}", no_run.stderr);
    assert!(no_run.stderr.contains("app-manual"), "{}", no_run.stderr);
    let two = kuul(&sb, &["history", "-n", "ops", "--diff", "-1", "-2"]).expect_code(2);
    assert!(two.stderr.contains("exactly one CRONJOB"), "{}", two.stderr);
    kuul(&sb, &["history", "app", "-n", "ops", "--limit", "0"]).expect_code(2);
}

#[test]
fn deadline_exceeded_and_history_limit_deletions_read_as_kubernetes_records_them() {
    let sb = sandbox();
    namespace(&sb, "ops");
    ready_node(&sb, "node-1", json!({}), "4", "8Gi");
    // Pods that would run 60 s under a 20 s activeDeadlineSeconds.
    let mut deadline = app_cronjob("deadline", "slowapp:1", 0, json!({}));
    deadline["spec"]["jobTemplate"]["spec"]["activeDeadlineSeconds"] = json!(20);
    deadline["spec"]["jobTemplate"]["spec"]["template"]["metadata"]["annotations"]["sandbox.kuul.dev/duration"] =
        json!("60s");
    sb.create(Kind::CronJob, deadline).unwrap();
    // Every minute, keeping one success: the controller deletes the older ones.
    let limited = app_cronjob(
        "limited",
        "app:1",
        0,
        json!({"schedule": "* * * * *", "successfulJobsHistoryLimit": 1}),
    );
    sb.create(Kind::CronJob, limited).unwrap();
    for _ in 0..(7 * 6) {
        sb.advance(jiff::SignedDuration::from_secs(10));
        std::thread::sleep(std::time::Duration::from_millis(5));
    }

    let report = kuul(&sb, &["history", "deadline", "limited", "-n", "ops", "-o", "json"])
        .expect_code(0)
        .json();
    let late = runs(&report, "deadline");
    assert_eq!(late[0]["result"], "Failed", "{:#}", late[0]);
    assert_eq!(late[0]["jobReason"], "DeadlineExceeded", "{:#}", late[0]);
    // kubectl sees the same condition on the Job.
    let job = kubectl_ok(
        &sb,
        &["get", "job", late[0]["name"].as_str().unwrap(), "-n", "ops", "-o", "json"],
    );
    let job: Value = serde_json::from_str(&job.stdout).unwrap();
    let failed = job["status"]["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["type"] == "Failed")
        .unwrap();
    assert_eq!(failed["reason"], "DeadlineExceeded");

    // The deleted runs are rows of their own (from the controller's SuccessfulDelete events),
    // and kubectl lists only what is left.
    let limited = runs(&report, "limited");
    let deleted: Vec<&str> = limited
        .iter()
        .filter(|r| r["result"] == "Deleted")
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert!(!deleted.is_empty(), "{limited:#?}");
    let listed = kubectl_ok(&sb, &["get", "jobs", "-n", "ops", "-o", "name"]).stdout;
    for name in &deleted {
        assert!(
            !listed.contains(&format!("job.batch/{name}\n")),
            "{name} is still listed:\n{listed}"
        );
    }
    let logs = kuul(&sb, &["logs", "limited", "-n", "ops", "--all-runs"]).expect_code(0).stdout;
    assert!(
        logs.contains(&format!("job.batch/{} was deleted (history limit", deleted[0])),
        "{logs}"
    );
}

/// The CronJob controller's `FailedCreate`: a `count/jobs.batch` quota refuses the Job it
/// creates (quota admission, 403), and history shows the event with the API server's message
/// between the runs.
#[test]
fn a_job_refused_by_quota_shows_as_failed_create_in_history() {
    let sb = sandbox();
    namespace(&sb, "ops");
    ready_node(&sb, "node-1", json!({}), "4", "8Gi");
    sb.create(Kind::CronJob, app_cronjob("quota", "app:1", 0, json!({}))).unwrap();
    sb.advance(jiff::SignedDuration::from_mins(6));
    // One Job exists: the quota allows no second.
    sb.create(
        Kind::ResourceQuota,
        json!({"metadata": {"name": "one-job", "namespace": "ops"},
               "spec": {"hard": {"count/jobs.batch": "1"}}}),
    )
    .unwrap();
    sb.advance(jiff::SignedDuration::from_mins(5));
    let report = kuul(&sb, &["history", "quota", "-n", "ops", "-o", "json"]).expect_code(0).json();
    let item = &report["items"][0];
    let failed: Vec<&Value> = item["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["reason"] == "FailedCreate")
        .collect();
    assert_eq!(failed.len(), 1, "{item:#}");
    let message = failed[0]["message"].as_str().unwrap();
    assert!(
        message.starts_with("Error creating job: jobs.batch \"quota-")
            && message.ends_with(
                "is forbidden: exceeded quota: one-job, requested: count/jobs.batch=1, used: count/jobs.batch=1, limited: count/jobs.batch=1"
            ),
        "{message}"
    );
    assert_eq!(runs(&report, "quota").len(), 1, "{item:#}");
}
