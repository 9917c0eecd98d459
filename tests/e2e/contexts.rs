//! Every command across several clusters at once (`--context a,b`, patterns, `--all-contexts`):
//! sandboxes side by side in one kubeconfig, one of them unreachable (a closed port), one
//! refusing the token, one slow (injected latency), one with injected faults. Reads merge into
//! one table or document; writes plan everywhere first; a failed cluster never hides the others.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use kuul_sandbox::FaultConfig;

use crate::support::*;

fn cronjob(sb: &Sandbox, ns: &str, name: &str, suspend: bool) {
    sb.create(
        Kind::CronJob,
        json!({"apiVersion": "batch/v1", "kind": "CronJob",
               "metadata": {"name": name, "namespace": ns, "labels": {"team": "db"}},
               "spec": {"schedule": "0 3 * * *", "suspend": suspend,
                        "jobTemplate": {"spec": {"template": {
                            "metadata": {"annotations": {"sandbox.kuul.dev/duration": "30s"}},
                            "spec": {"restartPolicy": "Never",
                                     "containers": [{"name": "main", "image": "busybox"}]}}}}}}),
    )
    .expect("cronjob");
}

/// `namespace/name` -> `.spec.suspend` for every CronJob of `sb`.
fn suspended(sb: &Sandbox) -> BTreeMap<String, bool> {
    sb.list(Kind::CronJob, None)
        .into_iter()
        .map(|cj| {
            let key = format!(
                "{}/{}",
                cj["metadata"]["namespace"].as_str().unwrap(),
                cj["metadata"]["name"].as_str().unwrap()
            );
            (key, cj["spec"]["suspend"].as_bool().unwrap_or(false))
        })
        .collect()
}

fn error_lines(run: &Run) -> Vec<&str> {
    run.stderr.lines().filter(|l| l.starts_with("error:")).collect()
}

/// a: `ops/backup` (context namespace ops, clock T0); b: `default/report`, slow, another clock;
/// c: closed port; d: a's server with a wrong token; e: `default/flaky` behind injected 500s,
/// 429s and dropped connections.
struct Fleet {
    a: Sandbox,
    b: Sandbox,
    e: Sandbox,
    _dir: tempfile::TempDir,
    kubeconfig: std::path::PathBuf,
}

fn fleet() -> Fleet {
    let a = sandbox();
    namespace(&a, "ops");
    cronjob(&a, "ops", "backup", false);
    cronjob(&a, "default", "not-in-scope", false);
    let b = sandbox_with(Seed::Empty, "2025-06-01T08:00:00Z");
    cronjob(&b, "default", "report", false);
    b.set_latency(Duration::from_millis(400));
    let e = sandbox();
    cronjob(&e, "default", "flaky", false);
    e.set_faults(FaultConfig {
        seed: 7,
        error_rate: 0.2,
        throttle_rate: 0.1,
        drop_rate: 0.05,
        retry_after_seconds: 0,
        ..FaultConfig::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = contexts_kubeconfig(
        dir.path(),
        &[
            ("a", Cluster::Up(&a, "ops")),
            ("b", Cluster::Up(&b, "default")),
            ("c", Cluster::Closed),
            ("d", Cluster::WrongToken(&a)),
            ("e", Cluster::Up(&e, "default")),
        ],
    );
    Fleet { a, b, e, _dir: dir, kubeconfig }
}

#[test]
fn lastrun_merges_every_cluster_into_one_table_and_names_each_failure() {
    let f = fleet();
    let run = kuul_with(&f.kubeconfig, &["lastrun", "--all-contexts"]).expect_code(3);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(lines[0].starts_with("CONTEXT   NAME "), "{}", run.stdout);
    // One table: each context's own namespace default (a: ops), in context order, aligned.
    let rows: Vec<(&str, &str)> = lines[1..]
        .iter()
        .map(|l| {
            let mut words = l.split_whitespace();
            (words.next().unwrap(), words.next().unwrap())
        })
        .collect();
    assert_eq!(rows, [("a", "backup"), ("b", "report"), ("e", "flaky")], "{}", run.stdout);
    let column = lines[0].find("SCHEDULE").unwrap();
    assert!(lines[1..].iter().all(|l| &l[column..column + 1] != " "), "{}", run.stdout);
    // One line per failed cluster, each naming its context.
    let errors = error_lines(&run);
    assert_eq!(errors.len(), 2, "{}", run.stderr);
    assert!(errors[0].starts_with("error: context c: cannot reach the API server"), "{errors:?}");
    assert!(errors[1].starts_with("error: context d: ") && errors[1].contains("401"), "{errors:?}");
    assert!(f.e.faults_injected() > 0, "the faulty cluster was not exercised");

    // -A: CONTEXT, then NAMESPACE.
    let all = kuul_with(&f.kubeconfig, &["lastrun", "--context", "a,b", "-A"]).expect_code(0);
    assert!(all.stdout.starts_with("CONTEXT   NAMESPACE   NAME"), "{}", all.stdout);
    assert!(all.stdout.contains("a         default     not-in-scope"), "{}", all.stdout);

    // A cluster slower than --request-timeout times out alone.
    let timed =
        kuul_with(&f.kubeconfig, &["lastrun", "--context", "a,b", "--request-timeout", "250ms"]);
    let timed = timed.expect_code(3);
    assert_eq!(error_lines(&timed).len(), 1, "{}", timed.stderr);
    assert!(error_lines(&timed)[0].starts_with("error: context b: "), "{}", timed.stderr);
    assert!(timed.stdout.contains("a         backup"), "{}", timed.stdout);

    // --check fails when a cluster could not be checked.
    kuul_with(&f.kubeconfig, &["lastrun", "--context", "a,c", "--check"]).expect_code(4);
    kuul_with(&f.kubeconfig, &["lastrun", "--context", "a", "--context", "b", "--check"])
        .expect_code(0);
}

#[test]
fn json_items_carry_their_context_and_each_cluster_keeps_its_clock() {
    let f = fleet();
    let run = kuul_with(&f.kubeconfig, &["lastrun", "--context", "?", "-o", "json"]);
    let doc = run.expect_code(3).json();
    assert_eq!(doc["kind"], "LastRunReport");
    let items: Vec<(&str, &str)> = doc["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["context"].as_str().unwrap(), i["name"].as_str().unwrap()))
        .collect();
    assert_eq!(items, [("a", "backup"), ("b", "report"), ("e", "flaky")]);
    let contexts = doc["contexts"].as_array().unwrap();
    let names: Vec<&str> = contexts.iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["a", "b", "c", "d", "e"]);
    // Each cluster's verdicts use its own API server's clock.
    assert!(contexts[0]["observedAt"].as_str().unwrap().starts_with("2025-03-01T10:0"));
    assert!(contexts[1]["observedAt"].as_str().unwrap().starts_with("2025-06-01T08:0"));
    assert_eq!(contexts[1]["clock"], "api-server");
    assert!(contexts[2]["error"].as_str().unwrap().contains("cannot reach"));
    assert!(contexts[2].get("observedAt").is_none());
    drop(f.b);
}

#[test]
fn selection_errors_are_one_line_and_touch_no_cluster() {
    let f = fleet();
    let run = kuul_with(&f.kubeconfig, &["lastrun", "--context", "prod-*"]).expect_code(1);
    assert_eq!(error_lines(&run), ["error: context \"prod-*\" does not exist in the kubeconfig"]);
    assert!(run.stderr.contains("hint: available contexts: a, b, c, d, e"), "{}", run.stderr);
    let both = kuul_with(&f.kubeconfig, &["lastrun", "--context", "a", "--all-contexts"]);
    assert_eq!(both.expect_code(2).stdout, "");
    // Every cluster failing the same way is one error, as for one cluster.
    let dir = tempfile::tempdir().unwrap();
    let dead = contexts_kubeconfig(
        dir.path(),
        &[("x", Cluster::Closed), ("y", Cluster::WrongToken(&f.a))],
    );
    let run = kuul_with(&dead, &["lastrun", "--all-contexts"]).expect_code(1);
    assert_eq!(error_lines(&run).len(), 2, "{}", run.stderr);
}

#[test]
fn clusters_are_queried_concurrently() {
    let slow: Vec<Sandbox> = (0..3)
        .map(|i| {
            let sb = sandbox();
            cronjob(&sb, "default", &format!("job-{i}"), false);
            sb.set_latency(Duration::from_millis(1500));
            sb
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let names = ["s0", "s1", "s2"];
    let clusters: Vec<(&str, Cluster<'_>)> =
        names.iter().zip(&slow).map(|(n, sb)| (*n, Cluster::Up(sb, "default"))).collect();
    let kubeconfig = contexts_kubeconfig(dir.path(), &clusters);
    let started = Instant::now();
    kuul_with(&kubeconfig, &["lastrun", "--context", "s0"]).expect_code(0);
    let one = started.elapsed();
    let started = Instant::now();
    let run = kuul_with(&kubeconfig, &["lastrun", "--all-contexts"]).expect_code(0);
    let three = started.elapsed();
    assert_eq!(run.stdout.lines().count(), 4, "{}", run.stdout);
    // In sequence it would take three times as long.
    assert!(three < one * 2, "one cluster {one:?}, three clusters {three:?}");
}

#[test]
fn suspend_all_and_resume_across_clusters_restore_each_exactly() {
    let a = sandbox();
    namespace(&a, "ops");
    cronjob(&a, "ops", "x", false);
    cronjob(&a, "ops", "y", true);
    let b = sandbox();
    cronjob(&b, "default", "z", false);
    b.set_latency(Duration::from_millis(200));
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = contexts_kubeconfig(
        dir.path(),
        &[("a", Cluster::Up(&a, "ops")), ("b", Cluster::Up(&b, "default")), ("c", Cluster::Closed)],
    );
    let before = (suspended(&a), suspended(&b));

    let dry =
        kuul_with(&kubeconfig, &["suspend-all", "--all-contexts", "--dry-run"]).expect_code(3);
    assert_eq!((suspended(&a), suspended(&b)), before, "a dry run changed something");
    assert!(dry.stdout.contains("would"), "{}", dry.stdout);

    let snapshot = dir.path().join("before.json");
    let snap = snapshot.to_str().unwrap();
    let run = kuul_with(&kubeconfig, &["suspend-all", "--all-contexts", "--save-to", snap])
        .expect_code(3);
    assert!(run.stdout.starts_with("CONTEXT   NAME"), "{}", run.stdout);
    assert!(
        run.stdout.contains("[a] suspend-all: 1 suspended now"),
        "{}{}",
        run.stdout,
        run.stderr
    );
    assert!(run.stdout.contains("[b] suspend-all: 1 suspended now"), "{}", run.stdout);
    assert!(
        run.stdout.contains("suspend-all, total over 2 context(s): 2 suspended now"),
        "{}",
        run.stdout
    );
    assert_eq!(error_lines(&run).len(), 1, "{}", run.stderr);
    assert!(error_lines(&run)[0].starts_with("error: context c: "), "{}", run.stderr);
    assert!(suspended(&a).values().all(|s| *s) && suspended(&b).values().all(|s| *s));

    // The snapshot names the context of every object.
    let file: Value = serde_json::from_str(&std::fs::read_to_string(&snapshot).unwrap()).unwrap();
    let mut items: Vec<(String, String)> = file["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["context"].as_str().unwrap().into(), i["name"].as_str().unwrap().into()))
        .collect();
    items.sort();
    let expected: Vec<(String, String)> = [("a", "x"), ("a", "y"), ("b", "z")]
        .iter()
        .map(|(c, n)| ((*c).into(), (*n).into()))
        .collect();
    assert_eq!(items, expected);

    // `resume --from` touches only the contexts the file names: c is not even tried.
    kuul_with(&kubeconfig, &["resume", "--from", snap, "--all-contexts"]).expect_code(0);
    assert_eq!((suspended(&a), suspended(&b)), before);

    // Saved state is on each cluster's objects: resume restores each exactly.
    kuul_with(&kubeconfig, &["suspend-all", "--context", "a,b"]).expect_code(0);
    kuul_with(&kubeconfig, &["resume", "--all-contexts"]).expect_code(3);
    assert_eq!((suspended(&a), suspended(&b)), before);
    // One cluster alone with a file of others is refused.
    let alone = dir.path().join("only-b.json");
    std::fs::write(
        &alone,
        serde_json::to_string(
            &json!({"apiVersion": "kuul.dev/v1alpha1", "kind": "SuspendSnapshot",
            "takenAt": "2025-03-01T10:00:00Z",
            "items": [{"namespace": "default", "name": "z", "uid": "", "previousSuspend": false,
                       "context": "b"}]}),
        )
        .unwrap(),
    )
    .unwrap();
    let refused = kuul_with(&kubeconfig, &["resume", "--from", alone.to_str().unwrap()]);
    assert!(refused.expect_code(2).stderr.contains("add --context b"));
}

#[test]
fn trigger_runs_where_the_cronjob_exists_and_asks_once() {
    let a = sandbox();
    cronjob(&a, "default", "nightly", false);
    let b = sandbox();
    cronjob(&b, "default", "nightly", false);
    let other = sandbox();
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = contexts_kubeconfig(
        dir.path(),
        &[
            ("a", Cluster::Up(&a, "default")),
            ("b", Cluster::Up(&b, "default")),
            ("other", Cluster::Up(&other, "default")),
        ],
    );
    let jobs = |sb: &Sandbox| sb.list(Kind::Job, Some("default")).len();

    // Several CronJobs by selector need confirmation: asked once for all, and refused once
    // without a terminal; nothing is created anywhere.
    let run = kuul_with(&kubeconfig, &["trigger", "-l", "team=db", "--context", "a,b"]);
    let run = run.expect_code(2);
    assert_eq!(error_lines(&run).len(), 1, "{}", run.stderr);
    assert!(run.stderr.contains("add --yes"), "{}", run.stderr);
    assert_eq!((jobs(&a), jobs(&b)), (0, 0));

    let run = kuul_with(&kubeconfig, &["trigger", "nightly", "--all-contexts"]).expect_code(0);
    assert_eq!((jobs(&a), jobs(&b), jobs(&other)), (1, 1, 0));
    assert!(run.stdout.contains("[a] job.batch/nightly-"), "{}", run.stdout);
    assert!(run.stderr.contains("context other: cronjob \"nightly\" not found"), "{}", run.stderr);
}

/// a; b, slow (200 ms a request); c, a closed port: every context's namespace `ops`.
fn a_slow_b_and_closed_c(
    a: Sandbox,
    b: Sandbox,
) -> (Sandbox, Sandbox, tempfile::TempDir, std::path::PathBuf) {
    b.set_latency(Duration::from_millis(200));
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = contexts_kubeconfig(
        dir.path(),
        &[("a", Cluster::Up(&a, "ops")), ("b", Cluster::Up(&b, "ops")), ("c", Cluster::Closed)],
    );
    (a, b, dir, kubeconfig)
}

/// Two clusters with runs (`crate::history::cluster_with_history`) and a closed port.
fn with_history() -> (Sandbox, Sandbox, tempfile::TempDir, std::path::PathBuf) {
    let a = crate::history::cluster_with_history();
    let b = crate::history::cluster_with_history();
    a_slow_b_and_closed_c(a, b)
}

#[test]
fn history_cost_report_label_pool_and_logs_read_every_cluster() {
    let (_a, _b, _dir, kc) = with_history();
    let all = ["--context", "a,b,c"];
    let with = |args: &[&str]| {
        let mut line: Vec<&str> = args.to_vec();
        line.extend(all);
        let run = kuul_with(&kc, &line);
        assert_eq!(
            error_lines(&run).iter().filter(|l| l.starts_with("error: context c: ")).count(),
            1,
            "{args:?}: {}",
            run.stderr
        );
        run.expect_code(3)
    };

    let history = with(&["history", "app"]);
    assert!(history.stdout.starts_with("CONTEXT   RUN"), "{}", history.stdout);
    let per_context = |text: &str, c: &str| text.lines().filter(|l| l.starts_with(c)).count();
    assert!(per_context(&history.stdout, "a ") >= 3, "{}", history.stdout);
    assert_eq!(per_context(&history.stdout, "a "), per_context(&history.stdout, "b "));

    let cost = with(&["cost-report", "-A"]);
    assert!(cost.stdout.starts_with("CONTEXT   NAMESPACE   NAME"), "{}", cost.stdout);
    let cost_json = with(&["cost-report", "-A", "-o", "json"]).json();
    assert!(cost_json["items"].as_array().unwrap().iter().all(|i| i["context"].is_string()));

    with(&["label-pool"]);

    let logs = with(&["logs", "app", "--succeeded"]);
    assert!(logs.stdout.contains("[a] starting app:1.4"), "{}", logs.stdout);
    assert!(logs.stdout.contains("[b] starting app:1.4"), "{}", logs.stdout);
    assert!(logs.stdout.lines().all(|l| l.starts_with("[a] ") || l.starts_with("[b] ")));
}

#[test]
fn prune_plans_every_cluster_first_and_dry_runs_everywhere() {
    let (a, b, _dir, kc) = with_history();
    let jobs = |sb: &Sandbox| sb.list(Kind::Job, Some("ops")).len();
    let before = (jobs(&a), jobs(&b));
    assert!(before.0 > 0);
    let dry = kuul_with(&kc, &["prune", "--succeeded", "--context", "a,b,c", "--dry-run"]);
    let dry = dry.expect_code(3);
    assert_eq!((jobs(&a), jobs(&b)), before);
    assert!(dry.stdout.starts_with("CONTEXT   OBJECT"), "{}", dry.stdout);
    // Without a terminal and without --yes: one refusal, nothing deleted anywhere.
    let refused = kuul_with(&kc, &["prune", "--succeeded", "--context", "a,b"]).expect_code(2);
    assert_eq!(error_lines(&refused).len(), 1, "{}", refused.stderr);
    assert!(refused.stderr.contains("a: ") && refused.stderr.contains("b: "), "{}", refused.stderr);
    assert_eq!((jobs(&a), jobs(&b)), before);
    let done = kuul_with(&kc, &["prune", "--succeeded", "--context", "a,b,c", "--yes"]);
    let done = done.expect_code(3);
    assert!(jobs(&a) < before.0 && jobs(&b) < before.1, "{}", done.stdout);
    assert!(done.stdout.contains("total over 2 context(s)"), "{}", done.stdout);
}

#[test]
fn trigger_wait_across_clusters_waits_for_every_run_and_exits_with_the_worst() {
    let smoke = |sb: &Sandbox, exit_code: &str| {
        ready_node(sb, "node-1", json!({}), "4", "8Gi");
        sb.create(
            Kind::CronJob,
            json!({"apiVersion": "batch/v1", "kind": "CronJob",
                   "metadata": {"name": "smoke", "namespace": "default"},
                   "spec": {"schedule": "0 3 * * *", "jobTemplate": {"spec": {"backoffLimit": 0,
                       "template": {"metadata": {"annotations": {
                           "sandbox.kuul.dev/duration": "20s",
                           "sandbox.kuul.dev/exit-codes": exit_code}},
                       "spec": {"restartPolicy": "Never",
                                "containers": [{"name": "main", "image": "busybox"}]}}}}}}),
        )
        .expect("cronjob");
    };
    let (good, bad) = (sandbox(), sandbox());
    smoke(&good, "0");
    smoke(&bad, "1");
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = contexts_kubeconfig(
        dir.path(),
        &[("good", Cluster::Up(&good, "default")), ("bad", Cluster::Up(&bad, "default"))],
    );
    let home = tempfile::tempdir().unwrap();
    let mut child = clean_command(&kuul_bin(), &kubeconfig, home.path())
        .args(["trigger", "smoke", "--all-contexts", "--wait", "--timeout", "10m"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    for _ in 0..400 {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        for sb in [&good, &bad] {
            sb.advance(jiff::SignedDuration::from_secs(5));
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    if child.try_wait().unwrap().is_none() {
        let _ = child.kill();
    }
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    // The failed run in one cluster is the exit status of the whole.
    assert_eq!(output.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stdout.lines().any(|l| l.starts_with("[good] ") && l.contains("succeeded")),
        "{stdout}"
    );
    assert!(stdout.lines().any(|l| l.starts_with("[bad] ") && l.contains("failed")), "{stdout}");
}

#[test]
fn one_question_on_a_terminal_covers_every_cluster() {
    // util-linux `script` gives the run a terminal; without it there is nothing to test here.
    if !std::path::Path::new("/usr/bin/script").exists() {
        eprintln!("\n*** SKIPPED: /usr/bin/script is missing; this test needs a terminal ***\n");
        return;
    }
    let (a, b, _dir, kc) = with_history();
    let jobs = |sb: &Sandbox| sb.list(Kind::Job, Some("ops")).len();
    let before = (jobs(&a), jobs(&b));
    let home = tempfile::tempdir().unwrap();
    let line = format!("{} prune --succeeded --context a,b", kuul_bin().display());
    let ask = |answer: &str| {
        let mut cmd = clean_command(std::path::Path::new("/usr/bin/script"), &kc, home.path());
        cmd.args(["-qec", &line, "/dev/null"]).stdin(std::process::Stdio::piped());
        cmd.stdout(std::process::Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        std::io::Write::write_all(child.stdin.as_mut().unwrap(), answer.as_bytes()).unwrap();
        let output = child.wait_with_output().unwrap();
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let no = ask("n\n");
    assert_eq!(no.matches("[y/N]").count(), 1, "{no}");
    assert!(no.contains("context a: delete") && no.contains("context b: delete"), "{no}");
    assert_eq!((jobs(&a), jobs(&b)), before, "{no}");
    let yes = ask("y\n");
    assert!(yes.contains("prune, total over 2 context(s)"), "{yes}");
    assert!(jobs(&a) < before.0 && jobs(&b) < before.1, "{yes}");
}

#[test]
fn name_output_says_which_cluster_every_object_is_from() {
    let f = fleet();
    let run = kuul_with(&f.kubeconfig, &["lastrun", "--context", "a,b", "-o", "name"]);
    assert_eq!(run.expect_code(0).stdout, "a/cronjob.batch/backup\nb/cronjob.batch/report\n");
    // With a failed cluster: the others' names, and its error line on stderr.
    let run = kuul_with(&f.kubeconfig, &["lastrun", "--context", "a,c", "-A", "-o", "name"]);
    let run = run.expect_code(3);
    // (lastrun's own order: by namespace, then name.)
    assert_eq!(run.stdout, "a/cronjob.batch/not-in-scope\na/cronjob.batch/backup\n");
    assert!(error_lines(&run)[0].starts_with("error: context c: "), "{}", run.stderr);
    // One cluster alone prints kubectl's `RESOURCE.GROUP/NAME`, as before.
    let one = kuul_with(&f.kubeconfig, &["lastrun", "--context", "a", "-o", "name"]);
    assert_eq!(one.expect_code(0).stdout, "cronjob.batch/backup\n");
}

/// `ops/backup` on `0 3 * * *` in two sandboxes with different clocks, and a closed port.
fn two_clocks() -> (Sandbox, Sandbox, tempfile::TempDir, std::path::PathBuf) {
    let a = sandbox_with(Seed::Empty, "2025-03-01T10:00:30Z");
    let b = sandbox_with(Seed::Empty, "2025-06-01T08:00:30Z");
    for sb in [&a, &b] {
        namespace(sb, "ops");
        cronjob(sb, "ops", "backup", false);
    }
    a_slow_b_and_closed_c(a, b)
}

/// `.spec.schedule` and the saved original of `ops/backup`.
fn schedule(sb: &Sandbox) -> (String, Option<String>) {
    let cj = sb.get(Kind::CronJob, Some("ops"), "backup").unwrap();
    let saved = cj["metadata"]["annotations"]["kuul.dev/original-schedule"].as_str();
    (cj["spec"]["schedule"].as_str().unwrap().to_owned(), saved.map(str::to_owned))
}

#[test]
fn reschedule_next_minute_pins_each_cluster_by_its_own_clock_and_restores_each() {
    let (a, b, _dir, kc) = two_clocks();
    let original = ("0 3 * * *".to_owned(), None);

    let dry =
        kuul_with(&kc, &["reschedule-next-minute", "backup", "--context", "a,b,c", "--dry-run"]);
    let dry = dry.expect_code(3);
    assert!(
        dry.stdout.contains("[a] cronjob.batch/backup would be rescheduled (dry run)"),
        "{}",
        dry.stdout
    );
    assert!(
        dry.stdout.contains("[b] cronjob.batch/backup would be rescheduled (dry run)"),
        "{}",
        dry.stdout
    );
    assert_eq!((schedule(&a), schedule(&b)), (original.clone(), original.clone()));

    let run = kuul_with(&kc, &["reschedule-next-minute", "backup", "--context", "a,b,c"]);
    let run = run.expect_code(3);
    // The failed cluster is named once; the others are done, each by its API server's clock.
    assert_eq!(error_lines(&run).len(), 1, "{}", run.stderr);
    assert!(error_lines(&run)[0].starts_with("error: context c: cannot reach"), "{}", run.stderr);
    assert!(run.stdout.lines().any(|l| l.starts_with("[a] ")), "{}", run.stdout);
    assert!(run.stdout.lines().any(|l| l.starts_with("[b] ")), "{}", run.stdout);
    assert!(run.stdout.lines().all(|l| !l.starts_with("[c] ")), "{}", run.stdout);
    let saved = Some("0 3 * * *".to_owned());
    assert_eq!(schedule(&a), ("1 10 1 3 *".to_owned(), saved.clone()));
    assert_eq!(schedule(&b), ("1 8 1 6 *".to_owned(), saved));

    // JSON: one document, an item per cluster that was pinned, c's error under `contexts`.
    let doc = kuul_with(
        &kc,
        &["reschedule-next-minute", "backup", "--context", "a,b,c", "-o", "json", "--dry-run"],
    );
    let doc = doc.expect_code(3).json();
    let contexts = doc["contexts"].as_array().unwrap();
    assert_eq!(contexts.len(), 3, "{doc:#}");
    assert!(contexts[2]["error"].as_str().unwrap().contains("cannot reach"), "{doc:#}");

    // Restore puts each cluster's own original back; c is still named, a and b are done.
    let back =
        kuul_with(&kc, &["reschedule-next-minute", "backup", "--restore", "--context", "a,b,c"]);
    let back = back.expect_code(3);
    assert_eq!(error_lines(&back).len(), 1, "{}", back.stderr);
    assert!(error_lines(&back)[0].starts_with("error: context c: "), "{}", back.stderr);
    assert_eq!((schedule(&a), schedule(&b)), (original.clone(), original.clone()));
    // Nothing left to restore anywhere: every cluster refuses the same way, one error as alone.
    let again =
        kuul_with(&kc, &["reschedule-next-minute", "backup", "--restore", "--context", "a,b"]);
    let again = again.expect_code(1);
    assert_eq!(error_lines(&again).len(), 1, "{}", again.stderr);
    assert!(again.stderr.contains("restore"), "{}", again.stderr);
    assert_eq!((schedule(&a), schedule(&b)), (original.clone(), original));
}

/// The pool label of every node of `sb`.
fn pools(sb: &Sandbox) -> BTreeMap<String, String> {
    sb.list(Kind::Node, None)
        .into_iter()
        .map(|n| {
            let pool = n["metadata"]["labels"]["kuul.dev/pool"].as_str().unwrap_or("").to_owned();
            (n["metadata"]["name"].as_str().unwrap().to_owned(), pool)
        })
        .collect()
}

#[test]
fn label_pool_labels_every_cluster_and_reports_the_failed_one() {
    let (a, b, _dir, kc) = two_clocks();
    for sb in [&a, &b] {
        ready_node(sb, "node-1", json!({}), "4", "8Gi");
        ready_node(sb, "node-2", json!({}), "4", "8Gi");
    }
    let none: BTreeMap<String, String> =
        [("node-1", ""), ("node-2", "")].iter().map(|(n, p)| ((*n).into(), (*p).into())).collect();

    let dry = kuul_with(
        &kc,
        &["label-pool", "batch", "node-1", "node-2", "--context", "a,b,c", "--dry-run"],
    );
    let dry = dry.expect_code(3);
    assert!(dry.stdout.starts_with("CONTEXT   "), "{}", dry.stdout);
    assert_eq!((pools(&a), pools(&b)), (none.clone(), none.clone()));

    let run = kuul_with(&kc, &["label-pool", "batch", "node-1", "node-2", "--context", "a,b,c"]);
    let run = run.expect_code(3);
    assert_eq!(error_lines(&run).len(), 1, "{}", run.stderr);
    assert!(error_lines(&run)[0].starts_with("error: context c: cannot reach"), "{}", run.stderr);
    // One table over both clusters, each cluster's summary, and the total naming the failure.
    let rows = run.stdout.lines().filter(|l| l.starts_with("a ") || l.starts_with("b ")).count();
    assert_eq!(rows, 4, "{}", run.stdout);
    assert!(run.stdout.contains("[a] label-pool: 2 labelled"), "{}", run.stdout);
    assert!(run.stdout.contains("[b] label-pool: 2 labelled"), "{}", run.stdout);
    assert!(
        run.stdout.contains("label-pool, total over 2 context(s): 4 labelled")
            && run.stdout.contains("; 1 context(s) failed: c (see the error lines)"),
        "{}",
        run.stdout
    );
    let batch: BTreeMap<String, String> =
        none.keys().map(|n| (n.clone(), "batch".to_owned())).collect();
    assert_eq!((pools(&a), pools(&b)), (batch.clone(), batch.clone()));

    // Re-running is a no-op where it is done.
    let again = kuul_with(&kc, &["label-pool", "batch", "node-1", "node-2", "--context", "a,b"]);
    assert!(again.expect_code(0).stdout.contains("total over 2 context(s): 0 labelled"));
    // The listing merges, and -o name names the cluster of every pool and every node.
    let listed = kuul_with(&kc, &["label-pool", "--context", "a,b", "-o", "name"]).expect_code(0);
    assert_eq!(listed.stdout, "a/batch\nb/batch\n");
    let out = kuul_with(
        &kc,
        &[
            "label-pool",
            "batch",
            "node-1",
            "node-2",
            "--remove",
            "--context",
            "a,b,c",
            "-o",
            "name",
        ],
    );
    let out = out.expect_code(3);
    assert_eq!(out.stdout, "a/node/node-1\na/node/node-2\nb/node/node-1\nb/node/node-2\n");
    assert_eq!((pools(&a), pools(&b)), (none.clone(), none));
}
