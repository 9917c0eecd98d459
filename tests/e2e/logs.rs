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

/// A process whose stdout and stderr are read as they come, so a test can wait until it is
/// ready (a line printed) before moving the sandbox clock, and not by sleeping.
struct Live {
    child: std::process::Child,
    stdout: std::sync::Arc<std::sync::Mutex<String>>,
    stderr: std::sync::Arc<std::sync::Mutex<String>>,
    readers: Vec<std::thread::JoinHandle<()>>,
}

impl Live {
    fn start(mut cmd: std::process::Command) -> Live {
        use std::io::Read;
        use std::process::Stdio;
        let mut child =
            cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("it starts");
        let stdout = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let stderr = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let mut readers = Vec::new();
        let pipes: [(Box<dyn Read + Send>, _); 2] = [
            (Box::new(child.stdout.take().unwrap()), stdout.clone()),
            (Box::new(child.stderr.take().unwrap()), stderr.clone()),
        ];
        for (mut pipe, sink) in pipes {
            readers.push(std::thread::spawn(move || {
                let mut buf = [0_u8; 4096];
                while let Ok(n) = pipe.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    sink.lock().unwrap().push_str(&String::from_utf8_lossy(&buf[..n]));
                }
            }));
        }
        Live { child, stdout, stderr, readers }
    }

    fn kuul(sb: &Sandbox, home: &std::path::Path, args: &[&str]) -> Live {
        let mut cmd = clean_command(&kuul_bin(), sb.kubeconfig(), home);
        cmd.args(args);
        Live::start(cmd)
    }

    fn kubectl(sb: &Sandbox, home: &std::path::Path, args: &[&str]) -> Live {
        let mut cmd = kubectl(sb, home).expect("kubectl is needed");
        cmd.args(args);
        Live::start(cmd)
    }

    /// Waits (30 s at most, for a loaded machine) until stdout or stderr contains `needle`.
    fn wait_for(&self, needle: &str) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while std::time::Instant::now() < deadline {
            let seen =
                |s: &std::sync::Arc<std::sync::Mutex<String>>| s.lock().unwrap().contains(needle);
            if seen(&self.stdout) || seen(&self.stderr) {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        panic!(
            "never printed {needle:?}\nstdout:\n{}\nstderr:\n{}",
            self.stdout.lock().unwrap(),
            self.stderr.lock().unwrap()
        );
    }

    fn exited(&mut self) -> bool {
        self.child.try_wait().expect("try_wait").is_some()
    }

    fn finish(mut self) -> Run {
        if !self.exited() {
            let _ = self.child.kill();
        }
        let status = self.child.wait().expect("wait");
        for r in self.readers {
            r.join().unwrap();
        }
        let take = |s: &std::sync::Arc<std::sync::Mutex<String>>| s.lock().unwrap().clone();
        Run {
            stdout: take(&self.stdout),
            stderr: take(&self.stderr),
            code: status.code().unwrap_or(-1),
        }
    }
}

/// Moves the clock `step` at a time until every process has exited (at most `steps` times).
fn advance_until_all_exit(
    sb: &Sandbox,
    mut live: Vec<Live>,
    step_secs: i64,
    steps: u32,
) -> Vec<Run> {
    for _ in 0..steps {
        if live.iter_mut().all(Live::exited) {
            break;
        }
        sb.advance(jiff::SignedDuration::from_secs(step_secs));
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    live.into_iter().map(Live::finish).collect()
}

/// Namespace `ops`, a node, and CronJob `stream` (03:00 daily: no run comes by itself during a
/// test) whose pods run 60 s writing six lines and exit `code`, with `containers` and the pod
/// `annotations` given.
fn streaming_cluster(code: i32, containers: &[&str], annotations: Value) -> Sandbox {
    streaming_cluster_on("0 3 * * *", code, containers, annotations)
}

fn streaming_cluster_on(
    schedule: &str,
    code: i32,
    containers: &[&str],
    annotations: Value,
) -> Sandbox {
    let sb = sandbox();
    namespace(&sb, "ops");
    ready_node(&sb, "node-1", json!({}), "4", "8Gi");
    let mut cj =
        crate::history::app_cronjob("stream", "app:7", code, json!({"schedule": schedule}));
    let template = &mut cj["spec"]["jobTemplate"]["spec"]["template"];
    template["metadata"]["annotations"]["sandbox.kuul.dev/duration"] = json!("60s");
    template["metadata"]["annotations"]["sandbox.kuul.dev/log"] =
        json!("line 1\nline 2\nline 3\nline 4\nline 5\nline 6");
    if let (Some(a), Some(extra)) =
        (template["metadata"]["annotations"].as_object_mut(), annotations.as_object())
    {
        a.extend(extra.clone());
    }
    template["spec"]["containers"] =
        containers.iter().map(|c| json!({"name": c, "image": "app:7"})).collect();
    cj["spec"]["jobTemplate"]["spec"]["backoffLimit"] = json!(0);
    sb.create(Kind::CronJob, cj).unwrap();
    sb
}

/// Starts a manual run `name` and moves the clock until its pod has written its first line.
fn running_job(sb: &Sandbox, name: &str) {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = kubectl(sb, home.path()).unwrap();
    cmd.args(["create", "job", name, "--from=cronjob/stream", "-n", "ops"]);
    run(cmd).expect_code(0);
    for _ in 0..100 {
        let running = sb.list(Kind::Pod, Some("ops")).iter().any(|p| {
            p["metadata"]["labels"]["job-name"] == name && p["status"]["phase"] == "Running"
        });
        if running {
            sb.advance(jiff::SignedDuration::from_secs(10));
            return;
        }
        sb.advance(jiff::SignedDuration::from_secs(1));
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("the pod of {name} never ran");
}

#[test]
fn follow_prints_what_kubectl_logs_f_prints_until_the_run_ends() {
    let sb = streaming_cluster(0, &["main"], json!({}));
    running_job(&sb, "stream-1");
    let home = tempfile::tempdir().unwrap();
    let ours = Live::kuul(&sb, home.path(), &["logs", "stream", "-n", "ops", "-f"]);
    ours.wait_for("==> following job.batch/stream-1 <==");
    ours.wait_for("line 1\n");
    let theirs = Live::kubectl(&sb, home.path(), &["logs", "-f", "job/stream-1", "-n", "ops"]);
    theirs.wait_for("line 1\n");
    // Neither has the last line yet: both are following.
    assert!(!ours.stdout.lock().unwrap().contains("line 6"));
    let [ours, theirs]: [Run; 2] =
        advance_until_all_exit(&sb, vec![ours, theirs], 2, 200).try_into().unwrap();
    let ours = ours.expect_code(0);
    theirs.expect_code(0);
    assert_eq!(ours.stdout, "line 1\nline 2\nline 3\nline 4\nline 5\nline 6\n", "{}", ours.stderr);
    assert!(ours.stderr.contains("job.batch/stream-1 succeeded in "), "{}", ours.stderr);
    // With --timestamps, the same lines as kubectl's too.
    let stamped = kuul(&sb, &["logs", "stream", "-n", "ops", "-f", "--timestamps"]);
    let stamped = stamped.expect_code(0);
    let plain = kubectl_logs(&sb, &["-f", "job/stream-1", "-n", "ops", "--timestamps"]);
    assert_eq!(stamped.stdout, plain.stdout);
}

#[test]
fn next_waits_for_the_next_scheduled_run_follows_it_and_exits_with_its_result() {
    // The run fails (exit 3, no retry): --next exits 1, as `trigger --wait` would.
    let sb = streaming_cluster_on("*/5 * * * *", 3, &["main"], json!({}));
    let home = tempfile::tempdir().unwrap();
    let ours = Live::kuul(&sb, home.path(), &["logs", "stream", "-n", "ops", "--next"]);
    ours.wait_for("waiting for the next run of cronjob.batch/stream");
    let [ours]: [Run; 1] = advance_until_all_exit(&sb, vec![ours], 5, 200).try_into().unwrap();
    let ours = ours.expect_code(1);
    // The controller's 10:05 run (minutes since the epoch in its name).
    let job = "stream-29013725";
    assert!(ours.stderr.contains(&format!("==> following job.batch/{job} <==")), "{}", ours.stderr);
    assert!(ours.stderr.contains(&format!("job.batch/{job} failed in ")), "{}", ours.stderr);
    let theirs = kubectl_logs(&sb, &[&format!("job/{job}"), "-n", "ops"]);
    assert_eq!(ours.stdout, theirs.stdout);
    assert!(ours.stdout.ends_with("line 6\n"), "{}", ours.stdout);
    // A bounded wait that ends before any run: exit 1 and how to follow later.
    let waited = kuul(&sb, &["logs", "stream", "-n", "ops", "--next", "--timeout", "1s"]);
    let waited = waited.expect_code(1);
    assert!(
        waited.stderr.contains("no new run of cronjob.batch/stream started (timed out after 1s)"),
        "{}",
        waited.stderr
    );
}

#[test]
fn ctrl_c_while_waiting_for_the_next_run_says_so_and_exits_130() {
    let sb = streaming_cluster(0, &["main"], json!({}));
    let home = tempfile::tempdir().unwrap();
    let mut ours = Live::kuul(&sb, home.path(), &["logs", "stream", "-n", "ops", "--next"]);
    ours.wait_for("waiting for the next run of cronjob.batch/stream");
    let pid = ours.child.id().to_string();
    assert!(std::process::Command::new("kill").args(["-INT", &pid]).status().unwrap().success());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !ours.exited() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let ours = ours.finish().expect_code(130);
    assert_eq!(ours.stdout, "");
    // The waiting line, then how it ended: no error about a Job that never existed.
    assert_eq!(
        ours.stderr,
        "waiting for the next run of cronjob.batch/stream ...\n\
         stopped waiting (interrupted): no new run of cronjob.batch/stream had started\n"
    );
}

#[test]
fn default_container_as_kubectl_picks_it_with_its_notice() {
    let sb = streaming_cluster(0, &["main", "side"], json!({}));
    running_job(&sb, "two");
    sb.advance(jiff::SignedDuration::from_secs(120));
    let home = tempfile::tempdir().unwrap();
    let mut cmd = kubectl(&sb, home.path()).unwrap();
    cmd.args(["logs", "job/two", "-n", "ops"]);
    let theirs = run(cmd).expect_code(0);
    let notice = "Defaulted container \"main\" out of: main, side\n";
    assert_eq!(theirs.stderr, notice);
    let ours = kuul(&sb, &["logs", "stream", "-n", "ops", "--run", "two"]).expect_code(0);
    assert_eq!(ours.stdout, theirs.stdout);
    assert!(ours.stderr.contains(notice), "{}", ours.stderr);
    // -c names it: no notice.
    let named = kuul(&sb, &["logs", "stream", "-n", "ops", "--run", "two", "-c", "side"]);
    assert!(!named.expect_code(0).stderr.contains("Defaulted"));

    // The annotation picks `side`, silently, for kubectl and for us, finished or followed.
    let sb = streaming_cluster(
        0,
        &["main", "side"],
        json!({"kubectl.kubernetes.io/default-container": "side"}),
    );
    running_job(&sb, "annotated");
    let followed = Live::kuul(&sb, home.path(), &["logs", "stream", "-n", "ops", "-f"]);
    followed.wait_for("==> following job.batch/annotated <==");
    let [followed]: [Run; 1] =
        advance_until_all_exit(&sb, vec![followed], 2, 200).try_into().unwrap();
    let followed = followed.expect_code(0);
    assert!(!followed.stderr.contains("Defaulted"), "{}", followed.stderr);
    assert!(followed.stdout.ends_with("line 6\n"), "{}", followed.stdout);
    let mut cmd = kubectl(&sb, home.path()).unwrap();
    cmd.args(["logs", "job/annotated", "-n", "ops"]);
    let theirs = run(cmd).expect_code(0);
    assert_eq!(theirs.stderr, "");
    let ours = kuul(&sb, &["logs", "stream", "-n", "ops"]).expect_code(0);
    assert!(!ours.stderr.contains("Defaulted"), "{}", ours.stderr);
    assert_eq!(ours.stdout, theirs.stdout);
}

#[test]
fn follow_all_containers_and_previous_as_kubectl_does() {
    let sb = streaming_cluster(0, &["main", "side"], json!({}));
    running_job(&sb, "both");
    let home = tempfile::tempdir().unwrap();
    let args = ["-n", "ops", "-f", "--all-containers", "--prefix"];
    let ours = Live::kuul(&sb, home.path(), &[&["logs", "stream"][..], &args].concat());
    ours.wait_for("==> following job.batch/both <==");
    let theirs = Live::kubectl(&sb, home.path(), &[&["logs", "job/both"][..], &args].concat());
    theirs.wait_for("line 1");
    let [ours, theirs]: [Run; 2] =
        advance_until_all_exit(&sb, vec![ours, theirs], 2, 200).try_into().unwrap();
    let (ours, theirs) = (ours.expect_code(0), theirs.expect_code(0));
    // Both containers' streams, interleaved as they come: the same lines, each once.
    let sorted = |s: &str| {
        let mut l: Vec<String> = s.lines().map(str::to_owned).collect();
        l.sort();
        l
    };
    assert_eq!(sorted(&ours.stdout), sorted(&theirs.stdout));
    assert_eq!(ours.stdout.lines().count(), 12, "{}", ours.stdout);
    assert!(ours.stdout.contains("[pod/both-"), "{}", ours.stdout);
    assert!(ours.stdout.contains("/side] line 6"), "{}", ours.stdout);

    // More streams than --max-log-requests: kubectl's refusal, word for word.
    let wide: Vec<String> = (1..=6).map(|i| format!("c{i}")).collect();
    let wide: Vec<&str> = wide.iter().map(String::as_str).collect();
    let sb = streaming_cluster(0, &wide, json!({}));
    running_job(&sb, "wide");
    let mut cmd = kubectl(&sb, home.path()).unwrap();
    cmd.args(["logs", "-f", "job/wide", "-n", "ops", "--all-containers"]);
    let theirs = run(cmd).expect_code(1);
    let ours = kuul(&sb, &["logs", "stream", "-n", "ops", "-f", "--all-containers"]).expect_code(1);
    let refusal = "you are attempting to follow 6 log streams, but maximum allowed concurrency is 5, use --max-log-requests to increase the limit";
    assert!(theirs.stderr.contains(refusal), "{}", theirs.stderr);
    assert!(ours.stderr.contains(refusal), "{}", ours.stderr);
    let raised = Live::kuul(
        &sb,
        home.path(),
        &["logs", "stream", "-n", "ops", "-f", "--all-containers", "--max-log-requests", "6"],
    );
    raised.wait_for("==> following job.batch/wide <==");
    let [raised]: [Run; 1] = advance_until_all_exit(&sb, vec![raised], 2, 200).try_into().unwrap();
    assert_eq!(raised.expect_code(0).stdout.lines().count(), 36);

    // -f --previous: kubectl asks for the previous instance and so do we; none restarted, so the
    // server says so, and we still follow the run to its end.
    let sb = streaming_cluster(0, &["main"], json!({}));
    running_job(&sb, "prev");
    let mut cmd = kubectl(&sb, home.path()).unwrap();
    cmd.args(["logs", "-f", "--previous", "job/prev", "-n", "ops"]);
    let theirs = run(cmd).expect_code(1);
    let says = "previous terminated container \"main\" in pod";
    assert!(theirs.stderr.contains(says), "{}", theirs.stderr);
    let ours = Live::kuul(&sb, home.path(), &["logs", "stream", "-n", "ops", "-f", "--previous"]);
    ours.wait_for(says);
    let [ours]: [Run; 1] = advance_until_all_exit(&sb, vec![ours], 2, 200).try_into().unwrap();
    let ours = ours.expect_code(0);
    assert_eq!(ours.stdout, "");
    assert!(ours.stderr.contains("job.batch/prev succeeded"), "{}", ours.stderr);
}
