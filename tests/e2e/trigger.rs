//! `kubectl kuul trigger` end to end: the Job equals the real kubectl's `create job --from`,
//! runs started by it complete on the sandbox's stepped clock with `--wait` reporting their
//! result, `-f` streams the pods' logs, and bad input changes nothing.

use std::process::{Child, Stdio};
use std::time::Duration;

use crate::support::*;

/// Namespace `name` and one schedulable node, so pods run.
fn namespace_with_node(sb: &Sandbox, name: &str) {
    namespace(sb, name);
    ready_node(sb, "node-1", json!({}), "4", "8Gi");
}

/// A CronJob in `ops` whose pods run `duration`, log `log` and exit with `exit_codes` (one per
/// attempt, the last repeating).
fn cronjob(name: &str, duration: &str, log: &str, exit_codes: &str, extra_spec: Value) -> Value {
    let mut spec = json!({
        "schedule": "0 3 * * *",
        "jobTemplate": {
            "metadata": {"labels": {"team": "db"}, "annotations": {"owner": "dba"}},
            "spec": {
                "backoffLimit": 1,
                "template": {
                    "metadata": {"annotations": {
                        "sandbox.kuul.dev/duration": duration,
                        "sandbox.kuul.dev/exit-codes": exit_codes,
                        "sandbox.kuul.dev/log": log,
                    }},
                    "spec": {"restartPolicy": "Never",
                             "containers": [{"name": "main", "image": "busybox",
                                             "env": [{"name": "MODE", "value": "full"}]}]},
                },
            },
        },
    });
    if let (Some(spec), Some(extra)) = (spec.as_object_mut(), extra_spec.as_object()) {
        spec.extend(extra.clone());
    }
    json!({"apiVersion": "batch/v1", "kind": "CronJob",
           "metadata": {"name": name, "namespace": "ops", "labels": {"team": "db"}}, "spec": spec})
}

fn sandbox_with_backup() -> Sandbox {
    let sb = sandbox();
    namespace_with_node(&sb, "ops");
    sb.create(
        Kind::CronJob,
        cronjob("backup", "30s", "starting backup\nbackup done", "0", json!({})),
    )
    .expect("cronjob");
    sb
}

fn jobs(sb: &Sandbox) -> Vec<Value> {
    sb.list(Kind::Job, Some("ops"))
}

/// Starts `kubectl-kuul ARGS` without waiting for it.
fn spawn(sb: &Sandbox, args: &[&str], home: &std::path::Path) -> Child {
    clean_command(&kuul_bin(), sb.kubeconfig(), home)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kubectl-kuul starts")
}

/// Moves the sandbox clock `step` at a time until `child` exits (at most `steps` times), giving
/// the child a moment between steps to see the watch events; returns its output.
pub(crate) fn advance_until_exit(
    sb: &Sandbox,
    mut child: Child,
    step: jiff::SignedDuration,
    steps: u32,
) -> Run {
    for _ in 0..steps {
        if child.try_wait().expect("try_wait").is_some() {
            break;
        }
        sb.advance(step);
        std::thread::sleep(Duration::from_millis(25));
    }
    if child.try_wait().expect("try_wait").is_none() {
        let _ = child.kill();
    }
    let output = child.wait_with_output().expect("output");
    Run {
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        code: output.status.code().unwrap_or(-1),
    }
}

fn without_name(mut job: Value) -> Value {
    job["metadata"].as_object_mut().expect("metadata").remove("name");
    job
}

#[test]
fn dry_run_client_json_equals_kubectl_create_job_from_cronjob() {
    let sb = sandbox_with_backup();
    let home = tempfile::tempdir().unwrap();
    let Some(mut kubectl) = kubectl(&sb, home.path()) else { return };
    kubectl.args([
        "create",
        "job",
        "x",
        "--from=cronjob/backup",
        "-n",
        "ops",
        "--dry-run=client",
        "-o",
        "json",
    ]);
    let theirs = run(kubectl).expect_code(0).json();
    let ours = kuul(&sb, &["trigger", "backup", "-n", "ops", "--dry-run=client", "-o", "json"])
        .expect_code(0)
        .json();
    assert!(ours["metadata"]["name"].as_str().unwrap().starts_with("backup-manual-"), "{ours:#}");
    assert_eq!(without_name(ours), without_name(theirs));
    assert!(jobs(&sb).is_empty(), "a client dry run sends nothing");
}

#[test]
fn created_job_matches_kubectl_shape_and_is_adopted_by_the_controller() {
    let sb = sandbox_with_backup();
    let run = kuul(&sb, &["trigger", "backup", "-n", "ops", "-o", "json"]).expect_code(0);
    let job = run.json();
    let name = job["metadata"]["name"].as_str().unwrap().to_owned();
    let stored = sb.get(Kind::Job, Some("ops"), &name).expect("job stored");
    let cj = sb.get(Kind::CronJob, Some("ops"), "backup").unwrap();
    assert_eq!(stored["metadata"]["annotations"]["cronjob.kubernetes.io/instantiate"], "manual");
    assert_eq!(stored["metadata"]["annotations"]["owner"], "dba");
    assert_eq!(stored["metadata"]["labels"]["team"], "db");
    let owner = &stored["metadata"]["ownerReferences"][0];
    assert_eq!(owner["uid"], cj["metadata"]["uid"]);
    assert_eq!(owner["controller"], true);
    assert!(owner.get("blockOwnerDeletion").is_none(), "{owner}");
    assert_eq!(job["metadata"]["uid"], stored["metadata"]["uid"]);
}

#[test]
fn default_output_is_kubectls_created_line() {
    let sb = sandbox_with_backup();
    let run = kuul(&sb, &["trigger", "backup", "-n", "ops"]).expect_code(0);
    assert!(run.stdout.starts_with("job.batch/backup-manual-"), "{}", run.stdout);
    assert!(run.stdout.trim_end().ends_with(" created"), "{}", run.stdout);
    let named = kuul(&sb, &["trigger", "backup", "-n", "ops", "--name", "by-hand", "-o", "name"])
        .expect_code(0);
    assert_eq!(named.stdout, "job.batch/by-hand\n");
}

#[test]
fn wait_exits_0_when_the_run_completes() {
    let sb = sandbox_with_backup();
    let home = tempfile::tempdir().unwrap();
    let child = spawn(&sb, &["trigger", "backup", "-n", "ops", "--wait"], home.path());
    let run =
        advance_until_exit(&sb, child, jiff::SignedDuration::from_secs(2), 400).expect_code(0);
    assert!(run.stdout.contains(" succeeded in "), "{run:?}");
    let job = &jobs(&sb)[0];
    assert!(job["status"]["conditions"].to_string().contains("Complete"), "{job:#}");
}

#[test]
fn logs_flag_prints_the_pods_log_lines() {
    let sb = sandbox_with_backup();
    let home = tempfile::tempdir().unwrap();
    let child = spawn(&sb, &["trigger", "backup", "-n", "ops", "-f"], home.path());
    let run =
        advance_until_exit(&sb, child, jiff::SignedDuration::from_secs(2), 400).expect_code(0);
    assert!(run.stdout.contains("starting backup\nbackup done\n"), "{run:?}");
}

#[test]
fn failing_run_exits_1_and_logs_follow_the_retry() {
    let sb = sandbox();
    namespace_with_node(&sb, "ops");
    sb.create(Kind::CronJob, cronjob("flaky", "10s", "trying", "1", json!({}))).unwrap();
    let home = tempfile::tempdir().unwrap();
    let child = spawn(&sb, &["trigger", "flaky", "-n", "ops", "-f"], home.path());
    let run =
        advance_until_exit(&sb, child, jiff::SignedDuration::from_secs(2), 600).expect_code(1);
    assert!(run.stdout.contains("failed"), "{run:?}");
    // backoffLimit 1: two pods, both logs shown, the switch noted on stderr.
    assert_eq!(run.stdout.matches("trying\n").count(), 2, "{run:?}");
    assert!(run.stderr.contains("(attempt 2)"), "{run:?}");
}

#[test]
fn forbid_with_an_active_run_is_refused_unless_forced() {
    let sb = sandbox();
    namespace_with_node(&sb, "ops");
    sb.create(
        Kind::CronJob,
        cronjob("single", "20m", "x", "0", json!({"concurrencyPolicy": "Forbid"})),
    )
    .unwrap();
    kuul(&sb, &["trigger", "single", "-n", "ops"]).expect_code(0);
    sb.advance(jiff::SignedDuration::from_secs(5));
    let refused = kuul(&sb, &["trigger", "single", "-n", "ops"]).expect_code(1);
    assert!(refused.stderr.contains("concurrencyPolicy Forbid"), "{}", refused.stderr);
    assert!(refused.stderr.contains("--force"), "{}", refused.stderr);
    assert_eq!(jobs(&sb).len(), 1);
    kuul(&sb, &["trigger", "single", "-n", "ops", "--force"]).expect_code(0);
    assert_eq!(jobs(&sb).len(), 2);
}

#[test]
fn suspended_cronjob_runs_with_a_warning() {
    let sb = sandbox();
    namespace_with_node(&sb, "ops");
    sb.create(Kind::CronJob, cronjob("paused", "5s", "x", "0", json!({"suspend": true}))).unwrap();
    let run = kuul(&sb, &["trigger", "paused", "-n", "ops"]).expect_code(0);
    assert!(run.stderr.contains("is suspended"), "{}", run.stderr);
    assert_eq!(jobs(&sb).len(), 1);
}

#[test]
fn env_overrides_every_container_for_this_run_only() {
    let sb = sandbox_with_backup();
    let job = kuul(
        &sb,
        &[
            "trigger",
            "backup",
            "-n",
            "ops",
            "--env",
            "MODE=incremental",
            "-e",
            "DEBUG=1",
            "-o",
            "json",
        ],
    )
    .expect_code(0)
    .json();
    assert_eq!(
        job["spec"]["template"]["spec"]["containers"][0]["env"],
        json!([{"name": "MODE", "value": "incremental"}, {"name": "DEBUG", "value": "1"}])
    );
    let cj = sb.get(Kind::CronJob, Some("ops"), "backup").unwrap();
    assert_eq!(
        cj["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]["env"],
        json!([{"name": "MODE", "value": "full"}])
    );
}

#[test]
fn selector_triggers_every_match_with_yes() {
    let sb = sandbox_with_backup();
    let mut other = cronjob("vacuum", "5s", "x", "0", json!({}));
    other["metadata"]["labels"] = json!({"team": "web"});
    sb.create(Kind::CronJob, other).unwrap();
    let mut second = cronjob("analyze", "5s", "x", "0", json!({}));
    second["metadata"]["labels"] = json!({"team": "db"});
    sb.create(Kind::CronJob, second).unwrap();
    let refused = kuul(&sb, &["trigger", "-l", "team=db", "-n", "ops"]).expect_code(2);
    assert!(refused.stderr.contains("--yes"), "{}", refused.stderr);
    assert!(jobs(&sb).is_empty());
    let list = kuul(&sb, &["trigger", "-l", "team=db", "-n", "ops", "--yes", "-o", "json"])
        .expect_code(0)
        .json();
    assert_eq!(list["kind"], "List");
    let mut owners: Vec<String> = jobs(&sb)
        .iter()
        .map(|j| j["metadata"]["ownerReferences"][0]["name"].as_str().unwrap().to_owned())
        .collect();
    owners.sort();
    assert_eq!(owners, ["analyze", "backup"]);
}

#[test]
fn bad_input_is_one_clear_line_and_changes_nothing() {
    let sb = sandbox_with_backup();
    let cases: [(&[&str], i32, &str); 5] = [
        (&["trigger", "bakup", "-n", "ops"], 1, "did you mean \"backup\"?"),
        (&["trigger", "backup", "-n", "ops", "--env", "1BAD=x"], 2, "must not start with a digit"),
        (&["trigger", "backup", "-n", "ops", "--env", "NOVALUE"], 2, "KEY=VALUE"),
        (
            &["trigger", "backup", "-n", "ops", "--name", &"a".repeat(64)],
            2,
            "no more than 63 characters",
        ),
        (
            &["trigger", "backup", "-n", "ops", "--context", "kuul-sandbox-viewer"],
            1,
            "forbidden: cannot create jobs.batch in namespace \"ops\"",
        ),
    ];
    for (args, code, needle) in cases {
        let run = kuul(&sb, args).expect_code(code);
        assert!(run.stderr.contains(needle), "{args:?}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    }
    assert!(jobs(&sb).is_empty(), "{:#?}", jobs(&sb));
}

#[test]
fn thin_binary_behaves_the_same() {
    let sb = sandbox_with_backup();
    let run =
        kuul_thin(&sb, &["trigger", "backup", "-n", "ops", "--name", "thin-run", "-o", "name"])
            .expect_code(0);
    assert_eq!(run.stdout, "job.batch/thin-run\n");
}

#[test]
fn one_read_and_one_create_like_kubectl() {
    let sb = sandbox_with_backup();
    sb.reset_counts();
    kuul(&sb, &["trigger", "backup", "-n", "ops"]).expect_code(0);
    let verbs: Vec<(String, String, u64)> = sb
        .request_counts()
        .iter()
        .map(|c| (c.key.verb.clone(), c.key.resource.clone(), c.count))
        .collect();
    assert_eq!(
        verbs,
        [("create".to_owned(), "jobs".to_owned(), 1), ("get".to_owned(), "cronjobs".to_owned(), 1)],
        "{verbs:?}"
    );
}

#[test]
fn server_dry_run_is_admitted_and_stores_nothing() {
    let sb = sandbox_with_backup();
    let run = kuul(&sb, &["trigger", "backup", "-n", "ops", "--dry-run=server"]).expect_code(0);
    assert!(run.stdout.trim_end().ends_with("would be created (server dry run)"), "{}", run.stdout);
    let job = kuul(&sb, &["trigger", "backup", "-n", "ops", "--dry-run=server", "-o", "json"])
        .expect_code(0)
        .json();
    assert_eq!(job["metadata"]["annotations"]["cronjob.kubernetes.io/instantiate"], "manual");
    assert!(jobs(&sb).is_empty(), "{:#?}", jobs(&sb));
}

#[test]
fn ctrl_c_stops_waiting_keeps_the_job_and_says_how_to_follow_it() {
    let sb = sandbox_with_backup();
    let home = tempfile::tempdir().unwrap();
    sb.reset_counts();
    let child = spawn(&sb, &["trigger", "backup", "-n", "ops", "--wait"], home.path());
    // Once the Job watch is open, the Ctrl-C handler is installed (it is polled first).
    let watching = |sb: &Sandbox| {
        sb.request_counts().iter().any(|c| c.key.verb == "watch" && c.key.resource == "jobs")
    };
    // Bounded in wall time, generously for a loaded CI machine.
    let started = std::time::Instant::now();
    while !watching(&sb) && started.elapsed() < std::time::Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(watching(&sb), "{:?}", sb.request_counts());
    let pid = child.id().to_string();
    let mut kill = std::process::Command::new("kill");
    kill.args(["-INT", &pid]);
    run(kill).expect_code(0);
    let output = child.wait_with_output().expect("output");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    let jobs = jobs(&sb);
    assert_eq!(jobs.len(), 1, "the Job is kept");
    let name = jobs[0]["metadata"]["name"].as_str().unwrap();
    assert!(stderr.contains("(interrupted); the job keeps running"), "{stderr}");
    assert!(stderr.contains(&format!("kubectl logs -f job/{name} -n ops")), "{stderr}");
}

/// The managers of `object`'s managedFields entries, as `manager/operation`.
fn managers(object: &Value) -> Vec<String> {
    object["metadata"]["managedFields"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| format!("{}/{}", f["manager"].as_str().unwrap(), f["operation"].as_str().unwrap()))
        .collect()
}

#[test]
fn every_write_names_kuul_as_its_field_manager_as_kubectl_names_itself() {
    let sb = sandbox_with_backup();
    // The sandbox records the fieldManager each write sends (kubectl sends its own names).
    let home = tempfile::tempdir().unwrap();
    let mut cmd = kubectl(&sb, home.path()).unwrap();
    cmd.args(["create", "job", "by-kubectl", "--from=cronjob/backup", "-n", "ops"]);
    run(cmd).expect_code(0);
    let theirs = sb.get(Kind::Job, Some("ops"), "by-kubectl").unwrap();
    assert_eq!(managers(&theirs), ["kubectl-create/Update"], "{theirs:#}");

    let made = kuul(&sb, &["trigger", "backup", "-n", "ops", "-o", "name"]).expect_code(0);
    let name = made.stdout.trim().trim_start_matches("job.batch/").to_owned();
    let ours = sb.get(Kind::Job, Some("ops"), &name).unwrap();
    assert_eq!(managers(&ours), ["kubectl-kuul/Update"], "{ours:#}");
    // history reads it back: who made each manual run.
    let report = kuul(&sb, &["history", "backup", "-n", "ops", "-o", "json"]).expect_code(0).json();
    let by: Vec<(String, String)> = report["items"][0]["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap().to_owned(),
                r["trigger"]["by"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(by.contains(&(name.clone(), "kuul trigger".to_owned())), "{by:?}");
    assert!(by.contains(&("by-kubectl".to_owned(), "kubectl".to_owned())), "{by:?}");

    // The patches: suspend-all, reschedule-next-minute, label-pool.
    kuul(&sb, &["suspend-all", "-n", "ops"]).expect_code(0);
    let cj = sb.get(Kind::CronJob, Some("ops"), "backup").unwrap();
    assert_eq!(managers(&cj), ["kubectl-kuul/Update"], "{cj:#}");
    kuul(&sb, &["label-pool", "batch", "node-1"]).expect_code(0);
    let node = sb.get(Kind::Node, None, "node-1").unwrap();
    assert!(managers(&node).contains(&"kubectl-kuul/Update".to_owned()), "{node:#}");
    // A dry run stores nothing, managedFields included.
    kuul(&sb, &["trigger", "backup", "-n", "ops", "--dry-run=server"]).expect_code(0);
    assert_eq!(jobs(&sb).len(), 2);
}
