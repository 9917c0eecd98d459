//! `lastrun --watch` kept current from watches: changes show up as lines, the lists are read
//! once (the sandbox counts them), a compaction (`410 Gone` on every watch) costs exactly one
//! relist per watched kind and leaves the table right, deleted CronJobs go, and a verdict that
//! changes with time alone (MISSED) is caught by the tick on the API server's clock.

use std::io::BufRead as _;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use kuul_sandbox::controllers::Propagation;

use crate::support::*;

/// A CronJob in `ops` whose pods run 30 s and exit with `exit_code`.
fn cronjob(name: &str, schedule: &str, exit_code: i32, extra_spec: Value) -> Value {
    let mut spec = json!({
        "schedule": schedule,
        "jobTemplate": {"spec": {"backoffLimit": 0, "template": {
            "metadata": {"annotations": {"sandbox.kuul.dev/duration": "30s",
                                         "sandbox.kuul.dev/exit-code": exit_code.to_string()}},
            "spec": {"restartPolicy": "Never",
                     "containers": [{"name": "main", "image": "busybox"}]},
        }}},
    });
    if let (Some(spec), Some(extra)) = (spec.as_object_mut(), extra_spec.as_object()) {
        spec.extend(extra.clone());
    }
    json!({"apiVersion": "batch/v1", "kind": "CronJob",
           "metadata": {"name": name, "namespace": "ops"}, "spec": spec})
}

fn ops() -> Sandbox {
    let sb = sandbox();
    namespace(&sb, "ops");
    ready_node(&sb, "node-1", json!({}), "4", "8Gi");
    sb
}

/// `lastrun -n ops --watch` running, its stdout lines collected (not a terminal: change lines).
struct Watching {
    child: std::process::Child,
    rx: mpsc::Receiver<String>,
    lines: Vec<String>,
    _home: tempfile::TempDir,
}

impl Watching {
    fn start(sb: &Sandbox) -> Watching {
        let home = tempfile::tempdir().unwrap();
        let mut child = clean_command(&kuul_bin(), sb.kubeconfig(), home.path())
            .args(["lastrun", "-n", "ops", "--watch"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel::<String>();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Watching { child, rx, lines: Vec::new(), _home: home }
    }

    /// Waits (at most 60 s) until `done` holds for the lines so far.
    fn until(&mut self, done: impl Fn(&[String]) -> bool) -> bool {
        let deadline = Instant::now() + Duration::from_secs(60);
        while !done(&self.lines) {
            match self.rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok(line) => self.lines.push(line),
                Err(_) => return false,
            }
        }
        true
    }

    /// Waits until some line contains `what`.
    fn saw(&mut self, what: &str) -> bool {
        self.saw_all(&[what])
    }

    /// Waits until some line contains every one of `parts`.
    fn saw_all(&mut self, parts: &[&str]) -> bool {
        self.until(|lines| lines.iter().any(|l| parts.iter().all(|p| l.contains(p))))
    }

    /// How many lines contain `what` so far.
    fn count(&self, what: &str) -> usize {
        self.lines.iter().filter(|l| l.contains(what)).count()
    }

    fn text(&self) -> String {
        self.lines.join("\n")
    }
}

impl Drop for Watching {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The name of the Job the CronJob controller makes for `cronjob`'s run `minutes` after T0
/// (`name-<scheduled time in Unix minutes>`).
fn run_name(cronjob: &str, minutes: i64) -> String {
    let t0: jiff::Timestamp = T0.parse().unwrap();
    format!("{cronjob}-{}", t0.as_second() / 60 + minutes)
}

/// List requests the sandbox counted, per resource.
fn lists(sb: &Sandbox) -> std::collections::BTreeMap<String, u64> {
    let mut by = std::collections::BTreeMap::new();
    for c in sb.request_counts() {
        if c.key.verb == "list" {
            *by.entry(c.key.resource.clone()).or_insert(0) += c.count;
        }
    }
    by
}

#[test]
fn changes_come_from_watch_events_with_no_list_per_change_and_deleted_cronjobs_go() {
    let sb = ops();
    for name in ["alpha", "beta", "gamma"] {
        sb.create(Kind::CronJob, cronjob(name, "*/5 * * * *", 0, json!({}))).unwrap();
    }
    let mut w = Watching::start(&sb);
    assert!(w.saw("gamma"), "the table first:\n{}", w.text());
    assert!(w.lines[0].starts_with("NAME "), "{}", w.text());
    let at_start = lists(&sb);
    // The first runs (10:05), then five more each: every run shows up in its CronJob's lines
    // (PENDING, Running, Succeeded: which of them depends on how the events batch).
    for round in 0..=5 {
        sb.advance(jiff::SignedDuration::from_secs(if round == 0 { 6 * 60 } else { 5 * 60 }));
        for name in ["alpha", "beta", "gamma"] {
            // The first run changes the verdict (that line names no run); later ones the run.
            let run = if round == 0 { "-> OK".to_owned() } else { run_name(name, 5 + 5 * round) };
            assert!(w.saw_all(&[&format!("ops/{name}: "), &run]), "{run}:\n{}", w.text());
        }
    }
    // A deleted CronJob leaves the table (its Jobs go with it, by the garbage collector).
    sb.store().delete(Kind::CronJob, Some("ops"), "beta", Propagation::Background).unwrap();
    sb.settle();
    assert!(w.saw("ops/beta: deleted"), "{}", w.text());
    sb.create(Kind::CronJob, cronjob("delta", "*/5 * * * *", 1, json!({}))).unwrap();
    assert!(w.saw("ops/delta: added, NEVER-RAN"), "{}", w.text());
    sb.advance(jiff::SignedDuration::from_secs(5 * 60));
    assert!(w.saw_all(&["ops/delta: ", "-> FAILING"]), "{}", w.text());
    // Not one list per change: CronJobs and Jobs were listed once, at the start; the Pending
    // pods and Warning events at most once (when a row first needed them, as lastrun reads
    // them).
    let now = lists(&sb);
    for resource in ["cronjobs", "jobs"] {
        assert_eq!(at_start.get(resource), Some(&1), "{at_start:?}");
        assert_eq!(now.get(resource), Some(&1), "{resource}: {now:?}\n{}", w.text());
    }
    for resource in ["pods", "events"] {
        assert!(now.get(resource).copied().unwrap_or(0) <= 1, "{resource}: {now:?}");
    }
    let known = ["cronjobs", "jobs", "pods", "events"];
    assert!(now.keys().all(|r| known.contains(&r.as_str())), "{now:?}");
    assert_eq!(w.count("ops/beta: deleted"), 1, "{}", w.text());
}

#[test]
fn a_compaction_relists_each_watched_kind_once_and_the_table_stays_right() {
    let sb = ops();
    for name in ["alpha", "beta"] {
        sb.create(Kind::CronJob, cronjob(name, "*/5 * * * *", 0, json!({}))).unwrap();
    }
    sb.advance(jiff::SignedDuration::from_secs(6 * 60));
    let mut w = Watching::start(&sb);
    assert!(w.saw("beta"), "{}", w.text());
    let before = lists(&sb);
    // While the watches are cut off by the compaction, beta goes and gamma comes: no event
    // for either may reach the old watches, so only the relist can show them.
    sb.store().delete(Kind::CronJob, Some("ops"), "beta", Propagation::Background).unwrap();
    sb.store().create(Kind::CronJob, cronjob("gamma", "*/5 * * * *", 0, json!({}))).unwrap();
    sb.compact();
    sb.settle();
    assert!(w.saw("ops/beta: deleted"), "{}", w.text());
    assert!(w.saw("ops/gamma: added, NEVER-RAN"), "{}", w.text());
    // The watches resumed from the new lists: the next runs come as events.
    sb.advance(jiff::SignedDuration::from_secs(5 * 60));
    assert!(w.saw_all(&["ops/gamma: ", "-> OK"]), "{}", w.text());
    assert!(w.saw_all(&["ops/alpha: ", &run_name("alpha", 10)]), "{}", w.text());
    let after = lists(&sb);
    for (resource, was) in &before {
        assert_eq!(after.get(resource), Some(&(was + 1)), "one relist of {resource}: {after:?}");
    }
    assert_eq!(after.len(), before.len(), "{before:?} -> {after:?}");
    assert_eq!(w.count("ops/beta: deleted"), 1, "{}", w.text());
    assert_eq!(w.count("ops/alpha: deleted"), 0, "{}", w.text());
}

#[test]
fn a_start_missed_with_no_event_shows_up_on_the_api_servers_clock() {
    let sb = ops();
    let spec = json!({"suspend": true, "startingDeadlineSeconds": 30});
    sb.create(Kind::CronJob, cronjob("nightly", "*/10 * * * *", 0, spec)).unwrap();
    sb.advance(jiff::SignedDuration::from_secs(12 * 60));
    let mut w = Watching::start(&sb);
    assert!(w.saw("nightly"), "{}", w.text());
    let mut cj = sb.get(Kind::CronJob, Some("ops"), "nightly").unwrap();
    cj["spec"]["suspend"] = json!(false);
    sb.store().replace(Kind::CronJob, cj).unwrap();
    sb.settle();
    assert!(w.saw("ops/nightly: SUSPENDED -> "), "{}", w.text());
    // Thirty seconds on the sandbox's clock, and no event: the tick reads the clock again.
    sb.advance(jiff::SignedDuration::from_secs(30));
    assert!(w.saw("-> MISSED"), "{}", w.text());
}
