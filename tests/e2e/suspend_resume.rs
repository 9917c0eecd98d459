//! `suspend-all` and `resume` end to end: mixed prior states round-trip exactly, a second
//! `suspend-all` keeps the first saved state, a killed or interrupted run loses nothing,
//! injected 409/429/500/dropped connections are survived, a human change in between is kept,
//! and the catch-up warning names exactly the runs the sandbox's CronJob controller starts.
//! The real `kubectl` plays the human.

// Helpers of #[test]s: a failed unwrap is a failed test (what clippy's allow-unwrap-in-tests
// grants the test functions themselves).
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::process::Stdio;
use std::time::{Duration, Instant};

use kuul_sandbox::FaultConfig;

use crate::support::*;

const SAVED: &str = "kuul.dev/suspended-by-kuul";
const AT: &str = "kuul.dev/suspended-at";
const REASON: &str = "kuul.dev/suspend-reason";

/// A CronJob; `suspend` is left unset when `None` (the server defaults it to false).
fn cronjob(sb: &Sandbox, ns: &str, name: &str, suspend: Option<bool>, extra: Value) {
    let mut spec = json!({
        "schedule": "*/5 * * * *",
        "jobTemplate": {"spec": {"template": {
            "metadata": {"annotations": {"sandbox.kuul.dev/duration": "30s"}},
            "spec": {"restartPolicy": "Never", "containers": [{"name": "main", "image": "busybox"}]},
        }}},
    });
    if let Some(suspend) = suspend {
        spec["suspend"] = json!(suspend);
    }
    if let (Some(spec), Some(extra)) = (spec.as_object_mut(), extra.as_object()) {
        spec.extend(extra.clone());
    }
    sb.create(
        Kind::CronJob,
        json!({"apiVersion": "batch/v1", "kind": "CronJob",
               "metadata": {"name": name, "namespace": ns}, "spec": spec}),
    )
    .expect("cronjob");
}

/// `namespace/name` -> (`.spec.suspend`, our annotations) for every CronJob.
fn state(sb: &Sandbox) -> BTreeMap<String, (bool, BTreeMap<String, String>)> {
    sb.list(Kind::CronJob, None)
        .into_iter()
        .map(|cj| {
            let key = format!(
                "{}/{}",
                cj["metadata"]["namespace"].as_str().unwrap(),
                cj["metadata"]["name"].as_str().unwrap()
            );
            let ours = cj["metadata"]["annotations"]
                .as_object()
                .map(|a| {
                    a.iter()
                        .filter(|(k, _)| k.starts_with("kuul.dev/"))
                        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
                        .collect()
                })
                .unwrap_or_default();
            (key, (cj["spec"]["suspend"].as_bool().unwrap_or(false), ours))
        })
        .collect()
}

/// Mixed prior states: `ops/a` unset, `ops/b` false, `ops/c` true, `other/d` false.
fn mixed() -> Sandbox {
    let sb = sandbox();
    namespace(&sb, "ops");
    namespace(&sb, "other");
    cronjob(&sb, "ops", "a", None, json!({}));
    cronjob(&sb, "ops", "b", Some(false), json!({}));
    cronjob(&sb, "ops", "c", Some(true), json!({}));
    cronjob(&sb, "other", "d", Some(false), json!({}));
    sb
}

fn results(report: &Value) -> BTreeMap<String, String> {
    report["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| {
            let key =
                format!("{}/{}", i["namespace"].as_str().unwrap(), i["name"].as_str().unwrap());
            let value =
                i.get("result").or_else(|| i.get("action")).unwrap().as_str().unwrap().to_owned();
            (key, value)
        })
        .collect()
}

/// Asserts every CronJob is either untouched or suspended with its true previous value saved.
#[track_caller]
fn untouched_or_saved(
    sb: &Sandbox,
    before: &BTreeMap<String, (bool, BTreeMap<String, String>)>,
) -> usize {
    let mut saved = 0;
    for (key, (suspend, ours)) in state(sb) {
        let (was, _) = &before[&key];
        match ours.get(SAVED) {
            None => assert_eq!(suspend, *was, "{key} changed without saved state"),
            Some(value) => {
                assert!(suspend, "{key} has saved state but is not suspended");
                assert_eq!(value, &was.to_string(), "{key} saved the wrong previous value");
                saved += 1;
            }
        }
    }
    saved
}

#[test]
fn mixed_prior_states_end_exactly_as_they_began() {
    let sb = mixed();
    let before = state(&sb);
    let report = kuul(&sb, &["suspend-all", "-A", "--reason", "db migration", "-o", "json"])
        .expect_code(0)
        .json();
    assert_eq!(report["summary"]["suspended"], 3, "{report:#}");
    assert_eq!(report["summary"]["alreadySuspended"], 1);
    assert_eq!(report["clock"], "api-server");
    let during = state(&sb);
    for (key, (suspend, ours)) in &during {
        assert!(suspend, "{key} not suspended");
        assert_eq!(ours[SAVED], before[key].0.to_string(), "{key}");
        assert_eq!(ours[REASON], "db migration");
        // The sandbox clock, not this machine's: the API server's Date header.
        assert_eq!(ours[AT], T0);
    }
    let report = kuul(&sb, &["resume", "-A", "-o", "json"]).expect_code(0).json();
    assert_eq!(report["summary"]["resumed"], 3, "{report:#}");
    assert_eq!(report["summary"]["keptSuspended"], 1);
    assert_eq!(state(&sb), before);
}

#[test]
fn a_second_suspend_all_keeps_the_first_saved_state_and_adds_new_cronjobs() {
    let sb = mixed();
    let before = state(&sb);
    kuul(&sb, &["suspend-all", "-n", "ops"]).expect_code(0);
    let first = state(&sb);
    sb.advance(jiff::SignedDuration::from_secs(90));
    cronjob(&sb, "ops", "late", None, json!({}));
    let run = kuul(&sb, &["suspend-all", "-n", "ops", "-o", "json"]).expect_code(0);
    let report = run.json();
    let got = results(&report);
    assert_eq!(got["ops/a"], "kept-saved");
    assert_eq!(got["ops/c"], "kept-saved");
    assert_eq!(got["ops/late"], "suspended");
    let second = state(&sb);
    for key in ["ops/a", "ops/b", "ops/c"] {
        assert_eq!(second[key], first[key], "{key}: saved state was rewritten");
    }
    assert_eq!(second["ops/late"].1[SAVED], "false");
    // `other` was out of scope: untouched.
    assert_eq!(second["other/d"], before["other/d"]);
    kuul(&sb, &["resume", "-n", "ops"]).expect_code(0);
    let after = state(&sb);
    for key in ["ops/a", "ops/b", "ops/c"] {
        assert_eq!(after[key], before[key]);
    }
    assert_eq!(after["ops/late"], (false, BTreeMap::new()));
}

#[test]
fn a_human_resume_in_between_is_kept() {
    let sb = mixed();
    kuul(&sb, &["suspend-all", "-n", "ops"]).expect_code(0);
    let home = tempfile::tempdir().unwrap();
    let Some(mut cmd) = kubectl(&sb, home.path()) else { return };
    // c was suspended before maintenance; a human resumes it during maintenance.
    cmd.args([
        "patch",
        "cronjob",
        "c",
        "-n",
        "ops",
        "--type=merge",
        "-p",
        r#"{"spec":{"suspend":false}}"#,
    ]);
    run(cmd).expect_code(0);
    let table = kuul(&sb, &["resume", "-n", "ops"]).expect_code(0);
    assert!(table.stdout.contains("resumed by hand since: keep running"), "{}", table.stdout);
    assert!(table.stdout.contains("left as a human changed them"), "{}", table.stdout);
    let after = state(&sb);
    assert_eq!(after["ops/c"], (false, BTreeMap::new()), "the human decision was clobbered");
    assert_eq!(after["ops/a"], (false, BTreeMap::new()));
}

#[test]
fn named_cronjobs_without_saved_state_are_simply_resumed() {
    let sb = mixed();
    let report = kuul(&sb, &["resume", "-n", "ops", "c", "a", "-o", "json"]).expect_code(0).json();
    let got = results(&report);
    assert_eq!(got["ops/c"], "resume-named");
    assert_eq!(got["ops/a"], "nothing-to-do");
    assert_eq!(state(&sb)["ops/c"], (false, BTreeMap::new()));
    let missing = kuul(&sb, &["resume", "-n", "ops", "cc"]).expect_code(1);
    assert!(missing.stderr.contains("did you mean \"c\"?"), "{}", missing.stderr);
}

#[test]
fn a_snapshot_restores_when_the_annotations_are_lost() {
    let sb = mixed();
    let before = state(&sb);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("before.json");
    let file = file.to_str().unwrap();
    kuul(&sb, &["suspend-all", "-A", "--save-to", file]).expect_code(0);
    let snapshot: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    assert_eq!(snapshot["kind"], "SuspendSnapshot");
    assert_eq!(snapshot["items"].as_array().unwrap().len(), 4);
    // A GitOps sync strips our annotations.
    let home = tempfile::tempdir().unwrap();
    let Some(mut cmd) = kubectl(&sb, home.path()) else { return };
    cmd.args(["annotate", "cronjobs", "--all", "-A", &format!("{SAVED}-"), &format!("{AT}-")]);
    run(cmd).expect_code(0);
    let nothing = kuul(&sb, &["resume", "-A", "-o", "json"]).expect_code(0).json();
    assert_eq!(nothing["items"].as_array().unwrap().len(), 0);
    kuul(&sb, &["resume", "--from", file]).expect_code(0);
    assert_eq!(state(&sb), before);
}

#[test]
fn dry_runs_change_nothing() {
    let sb = mixed();
    let before = state(&sb);
    let client = kuul(&sb, &["suspend-all", "-A", "--dry-run", "-o", "json"]).expect_code(0).json();
    assert_eq!(client["dryRun"], "client");
    assert_eq!(results(&client)["ops/a"], "would-suspend");
    let server =
        kuul(&sb, &["suspend-all", "-A", "--dry-run=server", "-o", "json"]).expect_code(0).json();
    assert_eq!(server["dryRun"], "server");
    assert_eq!(results(&server)["ops/a"], "would-suspend");
    assert_eq!(state(&sb), before);
}

/// Every row and the summary of every dry run say "would"; nothing reads as done.
#[test]
fn dry_runs_say_would_in_every_row_and_summary() {
    let sb = mixed();
    let before = state(&sb);
    for mode in ["--dry-run", "--dry-run=server"] {
        let table = kuul(&sb, &["suspend-all", "-A", mode]).expect_code(0);
        assert!(table.stdout.contains("would be suspended"), "{mode}: {}", table.stdout);
        assert!(!table.stdout.contains("suspended now"), "{mode}: {}", table.stdout);
        for line in
            table.stdout.lines().skip(1).filter(|l| l.starts_with("ops") || l.starts_with("other"))
        {
            assert!(line.contains("would"), "{mode}: a row reads as done: {line}");
        }
    }
    assert_eq!(state(&sb), before);
    kuul(&sb, &["suspend-all", "-A"]).expect_code(0);
    let suspended = state(&sb);
    for mode in ["--dry-run", "--dry-run=server"] {
        let table = kuul(&sb, &["resume", "-A", mode]).expect_code(0);
        assert!(table.stdout.contains("would be resumed"), "{mode}: {}", table.stdout);
        assert!(!table.stdout.contains(": 3 resumed"), "{mode}: {}", table.stdout);
        assert!(
            table.stdout.contains("3 would be resumed, 1 would stay suspended"),
            "{}",
            table.stdout
        );
        for line in
            table.stdout.lines().skip(1).filter(|l| l.starts_with("ops") || l.starts_with("other"))
        {
            assert!(line.contains("would"), "{mode}: a row reads as done: {line}");
        }
        let json = kuul(&sb, &["resume", "-A", mode, "-o", "json"]).expect_code(0).json();
        assert_ne!(json["dryRun"], "none");
        assert!(
            json["items"].as_array().unwrap().iter().all(|i| i["status"] == "planned"),
            "{json:#}"
        );
    }
    assert_eq!(state(&sb), suspended);
}

/// `resume --from FILE -n NS` restores only NS: scope flags narrow a snapshot.
#[test]
fn a_namespace_narrows_a_snapshot() {
    let sb = mixed();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("before.json");
    let file = file.to_str().unwrap();
    kuul(&sb, &["suspend-all", "-A", "--save-to", file]).expect_code(0);
    let report =
        kuul(&sb, &["resume", "--from", file, "-n", "other", "-o", "json"]).expect_code(0).json();
    assert_eq!(results(&report).keys().collect::<Vec<_>>(), ["other/d"], "{report:#}");
    let after = state(&sb);
    assert!(!after["other/d"].0, "other/d was not resumed");
    assert!(after["ops/a"].0 && after["ops/b"].0, "ops was resumed although -n other: {after:?}");
    let none = kuul(&sb, &["resume", "--from", file, "-n", "nope"]).expect_code(0);
    assert!(
        none.stderr.contains("No CronJobs of the snapshot are in namespace nope"),
        "{}",
        none.stderr
    );
}

fn kubectl_patch(sb: &Sandbox, ns: &str, name: &str, patch: &str) -> bool {
    let home = tempfile::tempdir().unwrap();
    let Some(mut cmd) = kubectl(sb, home.path()) else { return false };
    cmd.args(["patch", "cronjob", name, "-n", ns, "--type=merge", "-p", patch]);
    run(cmd).expect_code(0);
    true
}

/// A snapshot is older than the cluster: `resume --from` never undoes a suspension made after
/// it (by hand after a resume, or by a later `suspend-all`), says so per CronJob, and
/// `--force` is the explicit way to restore anyway.
#[test]
fn a_stale_snapshot_never_undoes_a_later_suspension() {
    let sb = mixed();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("before.json");
    let file = file.to_str().unwrap();
    kuul(&sb, &["suspend-all", "-n", "ops", "--save-to", file]).expect_code(0);
    kuul(&sb, &["resume", "-n", "ops"]).expect_code(0);
    // A person suspends a by hand after the maintenance.
    if !kubectl_patch(&sb, "ops", "a", r#"{"spec":{"suspend":true}}"#) {
        return;
    }
    // And a later suspend-all (another run, another time) suspends b.
    sb.advance(jiff::SignedDuration::from_mins(10));
    kuul(&sb, &["suspend-all", "-n", "ops", "b"]).expect_code(0);
    sb.reset_counts();
    let table = kuul(&sb, &["resume", "--from", file]).expect_code(0);
    assert!(table.stdout.contains("its spec changed since the snapshot"), "{}", table.stdout);
    assert!(table.stdout.contains("suspended again at"), "{}", table.stdout);
    assert!(table.stdout.contains("--force"), "{}", table.stdout);
    let patches: u64 =
        sb.request_counts().iter().filter(|c| c.key.verb == "patch").map(|c| c.count).sum();
    assert_eq!(patches, 0, "a stale or no-op entry was written: {:?}", sb.request_counts());
    let after = state(&sb);
    assert!(after["ops/a"].0, "the later hand suspension was undone");
    assert!(after["ops/b"].0, "the later suspend-all was undone");
    let json = kuul(&sb, &["resume", "--from", file, "-o", "json"]).expect_code(0).json();
    assert_eq!(json["summary"]["stale"], 2, "{json:#}");
    kuul(&sb, &["resume", "--from", file, "--force"]).expect_code(0);
    let forced = state(&sb);
    assert!(!forced["ops/a"].0 && !forced["ops/b"].0, "--force did not restore: {forced:?}");
    let usage = kuul(&sb, &["resume", "-n", "ops", "--force"]).expect_code(2);
    assert!(usage.stderr.contains("--from"), "{}", usage.stderr);
}

/// `resume --from FILE` after a normal resume has nothing to do: no PATCH, clean rows.
#[test]
fn a_no_op_resume_writes_nothing() {
    let sb = mixed();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("before.json");
    let file = file.to_str().unwrap();
    kuul(&sb, &["suspend-all", "-A", "--save-to", file]).expect_code(0);
    kuul(&sb, &["resume", "-A"]).expect_code(0);
    let before = state(&sb);
    sb.reset_counts();
    let table = kuul(&sb, &["resume", "--from", file]).expect_code(0);
    let writes: Vec<_> = sb
        .request_counts()
        .into_iter()
        .filter(|c| c.key.verb != "list" && c.key.verb != "get")
        .collect();
    assert!(writes.is_empty(), "a no-op resume wrote: {writes:?}");
    assert!(!table.stdout.contains("clear saved state"), "{}", table.stdout);
    assert!(table.stdout.contains("nothing to do"), "{}", table.stdout);
    assert_eq!(state(&sb), before);
}

#[test]
fn injected_conflicts_throttling_errors_and_drops_are_survived() {
    let sb = sandbox();
    namespace(&sb, "ops");
    for i in 0..24 {
        cronjob(&sb, "ops", &format!("cj-{i:02}"), Some(i % 3 == 0), json!({}));
    }
    let before = state(&sb);
    sb.set_faults(FaultConfig {
        seed: 7,
        drop_rate: 0.05,
        error_rate: 0.1,
        throttle_rate: 0.1,
        retry_after_seconds: 0,
        conflict_rate: 0.3,
        latency_ms: 0,
    });
    let report = kuul(&sb, &["suspend-all", "-n", "ops", "-o", "json"]).expect_code(0).json();
    assert_eq!(report["summary"]["suspended"], 16, "{report:#}");
    assert_eq!(report["summary"]["alreadySuspended"], 8);
    assert!(report["run"]["attempts"].as_u64().unwrap() > 24, "no fault was injected: {report:#}");
    assert_eq!(untouched_or_saved(&sb, &before), 24);
    kuul(&sb, &["resume", "-n", "ops", "-o", "json"]).expect_code(0);
    sb.set_faults(FaultConfig::default());
    assert_eq!(state(&sb), before);
}

/// Spawns `suspend-all` against a slow API server, stops it mid-flight with `signal`, checks
/// that nothing was lost, then re-runs and resumes.
fn interrupted(signal: &str) -> (Sandbox, i32, String) {
    let sb = sandbox();
    namespace(&sb, "ops");
    for i in 0..40 {
        cronjob(&sb, "ops", &format!("cj-{i:02}"), Some(i % 4 == 0), json!({}));
    }
    let before = state(&sb);
    sb.set_latency(Duration::from_millis(150));
    let home = tempfile::tempdir().unwrap();
    let child = clean_command(&kuul_bin(), sb.kubeconfig(), home.path())
        .args(["suspend-all", "-n", "ops", "--concurrency", "2"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    // Wait (bounded) until some, not all, CronJobs carry saved state.
    let started = Instant::now();
    loop {
        let saved = state(&sb).values().filter(|(_, a)| a.contains_key(SAVED)).count();
        if saved >= 4 {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(60), "suspend-all made no progress");
        std::thread::sleep(Duration::from_millis(20));
    }
    let pid = child.id().to_string();
    assert!(std::process::Command::new("kill").args([signal, &pid]).status().unwrap().success());
    let output = child.wait_with_output().unwrap();
    let code = output.status.code().unwrap_or(-1);
    let saved = untouched_or_saved(&sb, &before);
    assert!(saved < 40, "the run finished before the signal; the test proves nothing");
    sb.set_latency(Duration::ZERO);
    kuul(&sb, &["suspend-all", "-n", "ops"]).expect_code(0);
    assert_eq!(untouched_or_saved(&sb, &before), 40);
    kuul(&sb, &["resume", "-n", "ops"]).expect_code(0);
    assert_eq!(state(&sb), before, "a CronJob did not end as it began");
    (sb, code, String::from_utf8_lossy(&output.stdout).into_owned())
}

#[test]
fn a_run_killed_half_way_then_rerun_and_resumed_restores_every_cronjob() {
    let (_sb, code, _) = interrupted("-KILL");
    assert_eq!(code, -1, "SIGKILL leaves no exit code");
}

#[test]
fn ctrl_c_finishes_in_flight_writes_and_exits_130_with_the_summary() {
    let (_sb, code, stdout) = interrupted("-INT");
    assert_eq!(code, 130, "{stdout}");
    assert!(stdout.contains("interrupted: no new requests were sent after Ctrl-C"), "{stdout}");
    assert!(stdout.contains("not started"), "{stdout}");
}

#[test]
fn resume_warns_about_exactly_the_catch_up_runs_the_controller_starts() {
    let sb = sandbox();
    namespace(&sb, "ops");
    cronjob(&sb, "ops", "every5", None, json!({}));
    // A deadline shorter than the suspension: its missed run is too late to start.
    cronjob(&sb, "ops", "deadline", None, json!({"startingDeadlineSeconds": 60}));
    cronjob(&sb, "ops", "yearly", None, json!({"schedule": "0 0 1 1 *"}));
    sb.advance(jiff::SignedDuration::from_mins(6));
    kuul(&sb, &["suspend-all", "-n", "ops"]).expect_code(0);
    sb.advance(jiff::SignedDuration::from_mins(32));
    let plan = kuul(&sb, &["resume", "-n", "ops", "--dry-run", "-o", "json"]).expect_code(0).json();
    let catch_up = plan["catchUp"].as_array().unwrap();
    assert_eq!(catch_up.len(), 1, "{plan:#}");
    assert_eq!(catch_up[0]["name"], "every5");
    // T0 + 38 minutes = 10:38; the latest */5 instant is 10:35.
    assert_eq!(catch_up[0]["scheduledTime"], "2025-03-01T10:35:00Z");
    // A warning goes to stderr in every output mode, -o name included.
    let named = kuul(&sb, &["resume", "-n", "ops", "--dry-run", "-o", "name"]).expect_code(0);
    assert!(named.stderr.contains("every5: run for 2025-03-01T10:35:00Z"), "{}", named.stderr);
    assert!(!named.stdout.contains("Warning"), "{}", named.stdout);
    let table = kuul(&sb, &["resume", "-n", "ops"]).expect_code(0);
    assert!(table.stderr.starts_with("Warning: 1 CronJob(s) will start a run"), "{}", table.stderr);
    assert!(table.stderr.contains("every5: run for 2025-03-01T10:35:00Z"), "{}", table.stderr);
    assert!(!table.stdout.contains("Warning"), "{}", table.stdout);
    sb.settle();
    // The controller agrees: a Job for 10:35 (unix minutes) exists for every5, none for the others.
    let minutes = "2025-03-01T10:35:00Z".parse::<jiff::Timestamp>().unwrap().as_second() / 60;
    let jobs: Vec<String> = sb
        .list(Kind::Job, Some("ops"))
        .iter()
        .map(|j| j["metadata"]["name"].as_str().unwrap().to_owned())
        .collect();
    assert!(jobs.contains(&format!("every5-{minutes}")), "{jobs:?}");
    assert!(
        !jobs.iter().any(|j| j.starts_with("deadline-") && j.ends_with(&minutes.to_string())),
        "{jobs:?}"
    );
}

/// On a real terminal (tmux), the bulk run's progress bar is drawn while it works, and Ctrl-C
/// leaves no bar behind: the in-flight writes finish, the bar is cleared, the summary says it was
/// interrupted, exit 130, and the terminal is handed back in canonical mode.
///
/// The bug this caught: indicatif pads the bar line to the terminal's full width, leaving the
/// cursor in the last column, so the tty's echo of `^C` wrapped and scrolled the bar one row up,
/// out of the rows indicatif clears (`bulk::progress::EchoRoom` keeps two columns free).
#[test]
fn ctrl_c_on_a_terminal_clears_the_progress_bar() {
    let sb = sandbox();
    namespace(&sb, "ops");
    for i in 0..40 {
        cronjob(&sb, "ops", &format!("cj-{i:02}"), None, json!({}));
    }
    sb.set_latency(Duration::from_millis(150));
    let argv = ["suspend-all", "-n", "ops", "--concurrency", "1"];
    let Some(screen) = crate::dash::Screen::start_kuul(sb.kubeconfig(), &argv, &[]) else {
        return;
    };
    // The bar: `{msg} [=====>   ] {pos}/{len} {rate} eta {eta}`.
    let bar = |t: &str| t.lines().any(|l| l.contains("/40 ") && l.contains('['));
    screen.wait_for("the progress bar", |t| {
        bar(t) && t.lines().any(|l| l.contains(" 2/40 ") || l.contains(" 3/40 "))
    });
    // (The shell's marker line is "[dash exited N]" whatever command the screen runs.)
    let text = screen.quit_expecting("C-c", 130);
    // The table is longer than the screen: look at what scrolled off it too.
    let all = screen.scrollback();
    assert!(all.contains("cj-00") && all.contains("cj-39"), "{all}");
    assert!(!bar(&all), "a progress bar was left on the terminal:\n{all}");
    assert!(text.contains("interrupted: no new requests were sent after Ctrl-C"), "{text}");
    let saved = state(&sb).values().filter(|(_, a)| a.contains_key(SAVED)).count();
    assert!((1..40).contains(&saved), "{saved} of 40 suspended: the test proves nothing");
    sb.set_latency(Duration::ZERO);
    kuul(&sb, &["resume", "-n", "ops"]).expect_code(0);
}
