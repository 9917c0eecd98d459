//! Crash suite (issue 8, item 2): `suspend-all`, `resume`, `reschedule-next-minute --wait` and
//! `prune` killed with SIGKILL at random points, then recovered the documented way. At the kill
//! every object is either untouched or completely done (nothing half-written, no saved state
//! lost), and after the recovery the cluster is exactly where an uninterrupted run leaves it: a
//! twin sandbox built the same way and run without interruption, or the explicit start state
//! for round trips. Then Ctrl-C (SIGINT) for `resume`, `prune` and `reschedule-next-minute
//! --wait`: exit 130, the summary on stdout, nothing half-written (`suspend-all`'s own is in
//! `suspend_resume.rs`).
//!
//! Kill points: each trial draws, from a seeded splitmix64, a `--concurrency` and a kill point:
//! a wall-clock delay after spawning, or "once N writes reached the API server" (the sandbox's
//! request counters; N = 0 is "listed, nothing written", N = all is "after the last write"). A
//! request is counted when it arrives, before the sandbox's latency, so the Nth write may or may
//! not have landed when the kill comes: both cases are checked. One trial in three also runs
//! the victim against injected faults (409s, 500s, dropped connections), so kills land between
//! a failed write and its re-read too. Outcomes are deterministic
//! whatever the timing: every possible kill point has one correct end state.
//!
//! Environment: `KUUL_CRASH_TRIALS` (trials per command; default 4, CI-sized; the local
//! run is 50), `KUUL_CRASH_SEED` (base seed; trial `t` uses `seed + t`). A failure names the
//! command, trial, seed, kill point and recovery; `KUUL_CRASH_SEED=<seed> KUUL_CRASH_TRIALS=1`
//! replays that trial. Each test prints (see `--nocapture`) its trials, the kill points reached
//! and its time.

// Helpers of #[test]s: a failed unwrap is a failed test (what clippy's allow-unwrap-in-tests
// grants the test functions themselves).
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use jiff::SignedDuration;

use kuul_sandbox::FaultConfig;

use crate::support::*;
use crate::trigger::advance_until_exit;

/// Latency the sandbox adds to every request while a victim runs: spreads the kill points.
const LATENCY: Duration = Duration::from_millis(20);
/// Trials per command unless `KUUL_CRASH_TRIALS` says otherwise.
const DEFAULT_TRIALS: u64 = 4;
/// Base seed unless `KUUL_CRASH_SEED` says otherwise.
const DEFAULT_SEED: u64 = 0x6b75_756c;
/// `--concurrency` values a trial draws from (16 is the default).
const CONCURRENCY: [&str; 4] = ["1", "2", "4", "16"];
/// A victim that makes no progress for this long fails the trial (never reached normally).
const STUCK: Duration = Duration::from_secs(60);

const REASON: &str = "crash test";
const ORIGINAL_SCHEDULE: &str = "kuul.dev/original-schedule";
const LIFTED_SUSPEND: &str = "kuul.dev/reschedule-lifted-suspend";

// ---------------------------------------------------------------------------------------------
// Trials, random kill points, killing.

/// splitmix64 (Steele, Lea, Flood 2014): tiny, seedable, good enough to pick kill points.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform-ish in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[usize::try_from(self.below(items.len() as u64)).unwrap()]
    }
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Runs `KUUL_CRASH_TRIALS` trials of `trial`, each with its own seeded [`Rng`]. The trial
/// writes its plan (kill point, concurrency, recovery) into the string before acting, so a
/// failure can say exactly what was drawn; it returns the kill point it reached and the state
/// the objects were in at the kill, both tallied in the closing line.
fn run_trials(command: &str, mut trial: impl FnMut(&mut Rng, &mut String) -> (String, String)) {
    let trials = env_u64("KUUL_CRASH_TRIALS", DEFAULT_TRIALS);
    let base = env_u64("KUUL_CRASH_SEED", DEFAULT_SEED);
    let started = Instant::now();
    let mut reached: BTreeMap<String, u64> = BTreeMap::new();
    let mut states: BTreeMap<String, u64> = BTreeMap::new();
    for t in 0..trials {
        let seed = base.wrapping_add(t);
        let mut rng = Rng(seed);
        let mut plan = String::new();
        match catch_unwind(AssertUnwindSafe(|| trial(&mut rng, &mut plan))) {
            Ok((point, state)) => {
                *reached.entry(point).or_default() += 1;
                *states.entry(state).or_default() += 1;
            }
            Err(panic) => {
                let message = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_default();
                panic!(
                    "{command}: trial {t} of {trials} failed ({plan}); replay with \
                     KUUL_CRASH_SEED={seed} KUUL_CRASH_TRIALS=1\n{message}"
                );
            }
        }
    }
    eprintln!(
        "crash {command}: {trials} trials in {:.1}s\n  kill points reached: {reached:?}\n  \
         state at the kill: {states:?}",
        started.elapsed().as_secs_f64()
    );
}

/// When to kill.
#[derive(Debug, Clone, Copy)]
enum Point {
    /// This long after spawning (possibly before it even connects).
    Delay(Duration),
    /// Once this many writes reached the API server; 0: once a read did (listed, nothing
    /// written).
    Writes(u64),
    /// Once this many objects show the write in the sandbox's store (between two writes
    /// landing; all of them: after the last write, before the exit).
    Landed(u64),
}

impl Point {
    /// A delay up to `max_delay`, a count of writes sent or a count of writes landed, in
    /// `0..=writes`, one time in three each.
    fn draw(rng: &mut Rng, writes: u64, max_delay: Duration) -> Point {
        match rng.below(3) {
            0 => {
                let ms = u64::try_from(max_delay.as_millis()).unwrap();
                Point::Delay(Duration::from_millis(rng.below(ms + 1)))
            }
            1 => Point::Writes(rng.below(writes + 1)),
            _ => Point::Landed(rng.below(writes + 1)),
        }
    }

    /// Whether to kill now; `landed` counts the objects written so far.
    fn due(self, sb: &Sandbox, elapsed: Duration, landed: &dyn Fn(&Sandbox) -> u64) -> bool {
        match self {
            Point::Delay(delay) => elapsed >= delay,
            Point::Writes(0) => reads(sb) > 0,
            Point::Writes(n) => writes(sb) >= n,
            Point::Landed(n) => landed(sb) >= n,
        }
    }
}

fn count(sb: &Sandbox, verbs: &[&str]) -> u64 {
    sb.request_counts()
        .iter()
        // A SelfSubjectAccessReview is a `create` that stores nothing: the RBAC check before
        // a bulk write, not one of its writes.
        .filter(|c| c.key.resource != "selfsubjectaccessreviews")
        .filter(|c| verbs.contains(&c.key.verb.as_str()))
        .map(|c| c.count)
        .sum()
}

/// The API server a victim runs against: always slow ([`LATENCY`]), and one time in three
/// also faulty (conflicts, 500s and dropped connections, seeded from the trial), so kills also
/// land between a failed write and its re-read; returns how, for the trial's plan.
fn slow_or_faulty(rng: &mut Rng, sb: &Sandbox) -> String {
    let latency_ms = u64::try_from(LATENCY.as_millis()).unwrap();
    if rng.below(3) > 0 {
        sb.set_latency(LATENCY);
        return format!("{latency_ms} ms latency");
    }
    let faults = FaultConfig {
        seed: rng.next(),
        drop_rate: 0.05,
        error_rate: 0.1,
        throttle_rate: 0.0,
        retry_after_seconds: 0,
        conflict_rate: 0.2,
        latency_ms,
    };
    sb.set_faults(faults.clone());
    format!("{faults:?}")
}

/// Back to a fast, faultless API server (for the recovery and the checks).
fn calm(sb: &Sandbox) {
    sb.set_faults(FaultConfig::default());
}

/// Writes the API server has seen (since the last `reset_counts`).
fn writes(sb: &Sandbox) -> u64 {
    count(sb, &["create", "update", "patch", "delete", "deletecollection"])
}

fn reads(sb: &Sandbox) -> u64 {
    count(sb, &["get", "list", "watch"])
}

/// Starts `kubectl-kuul ARGS` against `sb` with piped output.
fn spawn(sb: &Sandbox, args: &[&str]) -> Victim {
    spawn_with(sb.kubeconfig(), args)
}

/// A running `kubectl-kuul` and its throwaway HOME (removed once it is gone).
struct Victim {
    child: Child,
    _home: tempfile::TempDir,
}

impl Victim {
    fn pid(&self) -> String {
        self.child.id().to_string()
    }
}

/// SIGKILLs `child` as soon as `due(sandbox, time since spawn)` holds (polled every
/// millisecond), or lets it be if it exits first. Returns the kill point reached.
fn kill_when(
    sb: &Sandbox,
    mut victim: Victim,
    mut due: impl FnMut(&Sandbox, Duration) -> bool,
) -> String {
    let started = Instant::now();
    loop {
        if let Some(status) = victim.child.try_wait().unwrap() {
            return format!("exited {} before the kill", status.code().unwrap_or(-1));
        }
        if due(sb, started.elapsed()) {
            break;
        }
        assert!(started.elapsed() < STUCK, "the victim made no progress in {STUCK:?}");
        std::thread::sleep(Duration::from_millis(1));
    }
    let seen = writes(sb);
    victim.child.kill().unwrap(); // SIGKILL on Unix
    let status = victim.child.wait().unwrap();
    match status.code() {
        // It exited on its own between the check and the signal.
        Some(code) => format!("exited {code} before the kill"),
        None => format!("killed after {seen} write(s) sent"),
    }
}

fn kill_at(sb: &Sandbox, victim: Victim, point: Point, landed: &dyn Fn(&Sandbox) -> u64) -> String {
    kill_when(sb, victim, |sb, elapsed| point.due(sb, elapsed, landed))
}

/// Sends SIGINT (Ctrl-C) once `writes` writes reached the server, and waits for the exit.
fn interrupt_after_writes(sb: &Sandbox, victim: Victim, writes_sent: u64) -> Run {
    let started = Instant::now();
    while writes(sb) < writes_sent {
        assert!(started.elapsed() < STUCK, "no progress: {:?}", sb.request_counts());
        std::thread::sleep(Duration::from_millis(1));
    }
    let mut kill = std::process::Command::new("kill");
    kill.args(["-INT", &victim.pid()]);
    run(kill).expect_code(0);
    let output = victim.child.wait_with_output().unwrap();
    Run {
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        code: output.status.code().unwrap_or(-1),
    }
}

/// Writes an uninterrupted `args` run sends (on a throwaway twin).
fn writes_of(sb: &Sandbox, args: &[&str]) -> u64 {
    sb.reset_counts();
    kuul(sb, args).expect_code(0);
    writes(sb)
}

// ---------------------------------------------------------------------------------------------
// Fixtures and observed state.

/// A CronJob; `extra` is merged into its spec.
fn cronjob(sb: &Sandbox, ns: &str, name: &str, extra: Value) {
    let mut spec = json!({
        "schedule": "*/5 * * * *",
        "successfulJobsHistoryLimit": 20,
        "failedJobsHistoryLimit": 20,
        "jobTemplate": {"spec": {"backoffLimit": 0, "template": {
            "metadata": {"annotations": {"sandbox.kuul.dev/duration": "30s"}},
            "spec": {"restartPolicy": "Never", "containers": [{"name": "main", "image": "busybox"}]},
        }}},
    });
    if let (Some(spec), Some(extra)) = (spec.as_object_mut(), extra.as_object()) {
        for (key, value) in extra {
            if key == "annotations" {
                spec["jobTemplate"]["spec"]["template"]["metadata"]["annotations"]
                    .as_object_mut()
                    .unwrap()
                    .extend(value.as_object().unwrap().clone());
            } else {
                spec.insert(key.clone(), value.clone());
            }
        }
    }
    sb.create(
        Kind::CronJob,
        json!({"apiVersion": "batch/v1", "kind": "CronJob",
               "metadata": {"name": name, "namespace": ns}, "spec": spec}),
    )
    .expect("cronjob");
}

/// `namespace/name` -> what any of these commands may change on a CronJob: `.spec.suspend`
/// (unset reads false, as the API server defaults it), `.spec.schedule`, and every `kuul.dev/`
/// annotation.
fn cronjobs(sb: &Sandbox) -> BTreeMap<String, Value> {
    sb.list(Kind::CronJob, None)
        .into_iter()
        .map(|cj| {
            let key = format!(
                "{}/{}",
                cj["metadata"]["namespace"].as_str().unwrap(),
                cj["metadata"]["name"].as_str().unwrap()
            );
            let ours: BTreeMap<String, Value> = cj["metadata"]["annotations"]
                .as_object()
                .map(|a| {
                    a.iter()
                        .filter(|(k, _)| k.starts_with("kuul.dev/"))
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect()
                })
                .unwrap_or_default();
            let state = json!({
                "suspend": cj["spec"]["suspend"].as_bool().unwrap_or(false),
                "schedule": cj["spec"]["schedule"],
                "annotations": ours,
            });
            (key, state)
        })
        .collect()
}

/// Twelve CronJobs in two namespaces: a third with `suspend` unset, a third false, a third
/// already true (so saved state holds both values).
fn suspend_fixture() -> Sandbox {
    let sb = sandbox();
    for ns in ["ops", "other"] {
        namespace(&sb, ns);
    }
    for i in 0..12 {
        let ns = if i < 8 { "ops" } else { "other" };
        let extra = match i % 3 {
            0 => json!({}),
            1 => json!({"suspend": false}),
            _ => json!({"suspend": true}),
        };
        cronjob(&sb, ns, &format!("cj-{i:02}"), extra);
    }
    sb
}

/// The items of a `suspend-all --save-to` snapshot, without uids (each sandbox mints its own).
fn snapshot_items(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap();
    let snapshot: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("the snapshot is not whole JSON ({e}):\n{text}"));
    let mut items = snapshot["items"].as_array().unwrap().clone();
    for item in &mut items {
        item.as_object_mut().unwrap().remove("uid");
    }
    items
}

/// How many CronJobs carry `suspend-all`'s saved state.
fn with_saved_state(sb: &Sandbox) -> u64 {
    sb.list(Kind::CronJob, None)
        .iter()
        .filter(|cj| cj["metadata"]["annotations"].get("kuul.dev/suspended-by-kuul").is_some())
        .count() as u64
}

/// How many CronJobs are in `state` now, as `k/n TEXT` (the tally of states at the kill).
fn how_many(sb: &Sandbox, state: &BTreeMap<String, Value>, text: &str) -> String {
    let now = cronjobs(sb);
    let k = now.iter().filter(|(key, v)| state.get(*key) == Some(*v)).count();
    format!("{k}/{} {text}", now.len())
}

/// Asserts every CronJob is in one of the allowed whole states, never between them.
#[track_caller]
fn each_in_one_of(sb: &Sandbox, allowed: &[&BTreeMap<String, Value>]) {
    for (key, now) in cronjobs(sb) {
        assert!(
            allowed.iter().any(|state| state.get(&key) == Some(&now)),
            "{key} is half-written: {now}\nallowed: {:?}",
            allowed.iter().map(|s| &s[&key]).collect::<Vec<_>>()
        );
    }
}

// ---------------------------------------------------------------------------------------------
// suspend-all and resume.

#[test]
fn suspend_all_killed_anywhere_then_rerun_or_resumed_loses_nothing() {
    let twin = suspend_fixture();
    let before = cronjobs(&twin);
    let dir = tempfile::tempdir().unwrap();
    let twin_file = dir.path().join("twin.json");
    let twin_file = twin_file.to_str().unwrap();
    let args = ["suspend-all", "-A", "--reason", REASON, "--save-to"];
    let total = writes_of(&twin, &[&args[..], &[twin_file]].concat());
    // One patch each: suspending, or saving `true` on the ones already suspended.
    assert_eq!(total, 12);
    let suspended = cronjobs(&twin);
    let twin_items = snapshot_items(Path::new(twin_file));
    assert_eq!(twin_items.len(), 12);

    run_trials("suspend-all", |rng, plan| {
        let concurrency = rng.pick(&CONCURRENCY);
        let point = Point::draw(rng, total, Duration::from_millis(600));
        let resume_at_once = rng.below(2) == 1;
        *plan = format!(
            "kill {point:?}, --concurrency {concurrency}, then {}",
            if resume_at_once { "resume" } else { "suspend-all again, then resume" }
        );
        let sb = suspend_fixture();
        let file = dir.path().join(format!("trial-{}.json", rng.next()));
        let file = file.to_str().unwrap();
        let run_args = [&args[..], &[file, "--concurrency", concurrency]].concat();
        let conditions = slow_or_faulty(rng, &sb);
        plan.push_str(&format!(", {conditions}"));
        sb.reset_counts();
        let saved = |sb: &Sandbox| with_saved_state(sb);
        let reached = kill_at(&sb, spawn(&sb, &run_args), point, &saved);
        calm(&sb);

        // At the kill: each CronJob untouched, or suspended with its true previous value saved.
        each_in_one_of(&sb, &[&before, &suspended]);
        let state = how_many(&sb, &suspended, "suspended");
        // The snapshot is written once every patch is done: absent, or whole and complete.
        if Path::new(file).exists() {
            assert_eq!(snapshot_items(Path::new(file)), twin_items);
        }
        if resume_at_once {
            // Abandoning the maintenance half-way restores everything.
            kuul(&sb, &["resume", "-A"]).expect_code(0);
        } else {
            kuul(&sb, &run_args).expect_code(0);
            assert_eq!(cronjobs(&sb), suspended, "the re-run did not end where one run ends");
            assert_eq!(snapshot_items(Path::new(file)), twin_items, "the re-run's snapshot");
            kuul(&sb, &["resume", "-A"]).expect_code(0);
        }
        assert_eq!(cronjobs(&sb), before, "a CronJob did not end as it began");
        (reached, state)
    });
}

#[test]
fn resume_killed_anywhere_then_rerun_restores_exactly() {
    // Resumed 32 minutes after the suspension: each CronJob that was running missed runs, so
    // the controller starts one catch-up Job when it is unsuspended; the killed-and-recovered
    // cluster must end with exactly the twin's Jobs too.
    let pause = SignedDuration::from_mins(32);
    let twin = suspend_fixture();
    let before = cronjobs(&twin);
    kuul(&twin, &["suspend-all", "-A", "--reason", REASON]).expect_code(0);
    let suspended = cronjobs(&twin);
    twin.advance(pause);
    let total = writes_of(&twin, &["resume", "-A"]);
    assert_eq!(total, 12, "one patch per CronJob with saved state");
    assert_eq!(cronjobs(&twin), before);
    let twin_jobs = all_jobs(&twin);
    assert_eq!(twin_jobs.len(), 8, "one catch-up run per resumed CronJob: {twin_jobs:?}");
    let dir = tempfile::tempdir().unwrap();

    run_trials("resume", |rng, plan| {
        let concurrency = rng.pick(&CONCURRENCY);
        let point = Point::draw(rng, total, Duration::from_millis(600));
        let recovery = rng.below(3);
        *plan = format!(
            "kill {point:?}, --concurrency {concurrency}, then {}",
            ["resume again", "resume --from the snapshot", "suspend-all again, then resume"]
                [usize::try_from(recovery).unwrap()]
        );
        let sb = suspend_fixture();
        let file = dir.path().join(format!("trial-{}.json", rng.next()));
        let file = file.to_str().unwrap();
        kuul(&sb, &["suspend-all", "-A", "--reason", REASON, "--save-to", file]).expect_code(0);
        assert_eq!(cronjobs(&sb), suspended);
        sb.advance(pause);
        let conditions = slow_or_faulty(rng, &sb);
        plan.push_str(&format!(", {conditions}"));
        sb.reset_counts();
        let reached = kill_at(
            &sb,
            spawn(&sb, &["resume", "-A", "--concurrency", concurrency]),
            point,
            &|sb| 12 - with_saved_state(sb),
        );
        calm(&sb);

        // At the kill: each CronJob still suspended with its saved state, or fully restored.
        each_in_one_of(&sb, &[&suspended, &before]);
        let state = how_many(&sb, &before, "restored");
        match recovery {
            0 => {
                kuul(&sb, &["resume", "-A"]).expect_code(0);
            }
            1 => {
                kuul(&sb, &["resume", "--from", file]).expect_code(0);
            }
            _ => {
                // Changed their mind: back into maintenance (what the killed resume restored
                // is suspended again with the right saved state), then out of it.
                kuul(&sb, &["suspend-all", "-A", "--reason", REASON]).expect_code(0);
                for (key, now) in cronjobs(&sb) {
                    let saved = &now["annotations"]["kuul.dev/suspended-by-kuul"];
                    assert_eq!(now["suspend"], true, "{key}: {now}");
                    assert_eq!(*saved, before[&key]["suspend"].to_string(), "{key}: {now}");
                }
                kuul(&sb, &["resume", "-A"]).expect_code(0);
            }
        }
        assert_eq!(cronjobs(&sb), before, "a CronJob did not end as it began");
        assert_eq!(all_jobs(&sb), twin_jobs, "catch-up runs differ from the twin's");
        // And again: nothing left to do, nothing changes.
        kuul(&sb, &["resume", "-A"]).expect_code(0);
        assert_eq!(cronjobs(&sb), before);
        (reached, state)
    });
}

/// Every Job's `namespace/name`, once the control plane caught up.
fn all_jobs(sb: &Sandbox) -> BTreeSet<String> {
    sb.settle();
    sb.list(Kind::Job, None)
        .iter()
        .map(|j| {
            format!(
                "{}/{}",
                j["metadata"]["namespace"].as_str().unwrap(),
                j["metadata"]["name"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn ctrl_c_stops_resume_cleanly_with_the_summary_and_exit_130() {
    let sb = sandbox();
    namespace(&sb, "ops");
    for i in 0..30 {
        let extra = if i % 4 == 0 { json!({"suspend": true}) } else { json!({}) };
        cronjob(&sb, "ops", &format!("cj-{i:02}"), extra);
    }
    let before = cronjobs(&sb);
    kuul(&sb, &["suspend-all", "-n", "ops"]).expect_code(0);
    let suspended = cronjobs(&sb);
    sb.set_latency(Duration::from_millis(150));
    sb.reset_counts();
    let child = spawn(&sb, &["resume", "-n", "ops", "--concurrency", "2"]);
    let run = interrupt_after_writes(&sb, child, 4);
    calm(&sb);
    assert_eq!(run.code, 130, "{run:?}");
    assert!(
        run.stdout.contains("interrupted: no new requests were sent after Ctrl-C"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("not started"), "{}", run.stdout);
    each_in_one_of(&sb, &[&suspended, &before]);
    let restored = cronjobs(&sb).iter().filter(|(k, v)| before[*k] == **v).count();
    assert!((4..30).contains(&restored), "{restored} restored: the test proves nothing");
    kuul(&sb, &["resume", "-n", "ops"]).expect_code(0);
    assert_eq!(cronjobs(&sb), before);
}

#[test]
fn a_second_ctrl_c_abandons_in_flight_writes_and_still_leaves_nothing_half_written() {
    let sb = sandbox();
    namespace(&sb, "ops");
    for i in 0..30 {
        cronjob(&sb, "ops", &format!("cj-{i:02}"), json!({}));
    }
    let before = cronjobs(&sb);
    kuul(&sb, &["suspend-all", "-n", "ops"]).expect_code(0);
    let suspended = cronjobs(&sb);
    // Long enough that writes are still on the wire when the second Ctrl-C comes (the first
    // four land after a second, the next ones are then on the wire for a second more).
    sb.set_latency(Duration::from_secs(1));
    sb.reset_counts();
    let child = spawn(&sb, &["resume", "-n", "ops", "--concurrency", "4"]);
    let pid = child.pid();
    let started = Instant::now();
    while writes(&sb) < 6 {
        assert!(started.elapsed() < STUCK, "{:?}", sb.request_counts());
        std::thread::sleep(Duration::from_millis(1));
    }
    let mut first = std::process::Command::new("kill");
    first.args(["-INT", &pid]);
    run(first).expect_code(0);
    // The second press must arrive as a second signal, not merge with the first one pending.
    std::thread::sleep(Duration::from_millis(100));
    let run = interrupt_after_writes(&sb, child, 0);
    calm(&sb);
    assert_eq!(run.code, 130, "{run:?}");
    assert!(run.stdout.contains("interrupted"), "{}", run.stdout);
    // Abandoned writes land or not on the server's side; each is whole either way.
    each_in_one_of(&sb, &[&suspended, &before]);
    kuul(&sb, &["resume", "-n", "ops"]).expect_code(0);
    assert_eq!(cronjobs(&sb), before);
}

// ---------------------------------------------------------------------------------------------
// reschedule-next-minute --wait.

/// The sandbox clock for reschedule trials: mid-minute, so the pin is 10:01:00.
const RESCHEDULE_START: &str = "2025-03-01T10:00:30Z";
const ORIGINAL: &str = "0 3 * * *";

/// Which CronJob a reschedule trial works on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Variant {
    /// UTC, running.
    Utc,
    /// `.spec.timeZone: Asia/Kolkata` (+05:30).
    Zoned,
    /// Suspended, rescheduled with `--unsuspend`.
    Suspended,
}

impl Variant {
    fn fixture(self) -> Sandbox {
        let sb = sandbox_with(Seed::Empty, RESCHEDULE_START);
        namespace(&sb, "ops");
        let extra = match self {
            Variant::Utc => json!({"schedule": ORIGINAL}),
            Variant::Zoned => json!({"schedule": ORIGINAL, "timeZone": "Asia/Kolkata"}),
            Variant::Suspended => json!({"schedule": ORIGINAL, "suspend": true}),
        };
        cronjob(&sb, "ops", "backup", extra);
        sb
    }

    fn flags(self) -> &'static [&'static str] {
        if self == Variant::Suspended { &["--unsuspend"] } else { &[] }
    }

    /// The CronJob while pinned to 10:01 UTC by the first run.
    fn pinned(self, original: &Value) -> Value {
        let mut pinned = original.clone();
        pinned["schedule"] =
            json!(if self == Variant::Zoned { "31 15 1 3 *" } else { "1 10 1 3 *" });
        pinned["suspend"] = json!(false);
        pinned["annotations"][ORIGINAL_SCHEDULE] = json!(ORIGINAL);
        if self == Variant::Suspended {
            pinned["annotations"][LIFTED_SUSPEND] = json!("true");
        }
        pinned
    }
}

fn backup(sb: &Sandbox) -> Value {
    cronjobs(sb).remove("ops/backup").unwrap()
}

/// Where a reschedule `--wait` is killed.
#[derive(Debug, Clone, Copy)]
enum Wait {
    /// A delay or a write count (0: the GET sent; 1: the pin sent; 2: the restore sent).
    At(Point),
    /// While it waits for the Job: its watch is open, the clock never reaches the minute.
    Waiting,
    /// The clock passes the minute (the controller creates the Job), then the kill comes after
    /// this delay or once the restore is sent, whichever is first.
    Fired(Duration),
}

/// How a reschedule trial recovers.
#[derive(Debug, Clone, Copy)]
enum Recovery {
    /// `--restore` (the documented recovery): exit 0 when something was saved, else 1 with
    /// "nothing to restore" and no change.
    Restore,
    /// Reschedule again without `--wait` (the saved original must survive), then `--restore`.
    PinAgainThenRestore,
    /// The same `--wait` again, to its end.
    WaitAgain,
}

#[test]
fn reschedule_wait_killed_anywhere_then_recovered_restores_the_original_exactly() {
    run_trials("reschedule-next-minute --wait", |rng, plan| {
        let variant = rng.pick(&[Variant::Utc, Variant::Zoned, Variant::Suspended]);
        let point = match rng.below(4) {
            0 => Wait::At(Point::draw(rng, 1, Duration::from_millis(300))),
            1 => Wait::At(Point::Writes(rng.below(2))),
            2 => Wait::Waiting,
            _ => Wait::Fired(Duration::from_millis(rng.below(200))),
        };
        let recovery =
            rng.pick(&[Recovery::Restore, Recovery::PinAgainThenRestore, Recovery::WaitAgain]);
        *plan = format!("{variant:?}, kill {point:?}, then {recovery:?}");

        let sb = variant.fixture();
        let original = backup(&sb);
        let pinned = variant.pinned(&original);
        let args =
            [&["reschedule-next-minute", "backup", "-n", "ops", "--wait"][..], variant.flags()]
                .concat();
        let conditions = slow_or_faulty(rng, &sb);
        plan.push_str(&format!(", {conditions}"));
        sb.reset_counts();
        let child = spawn(&sb, &args);
        let watching = |sb: &Sandbox| count(sb, &["watch"]) > 0;
        let mut fired_at: Option<Instant> = None;
        let reached = kill_when(&sb, child, |sb, elapsed| match point {
            Wait::At(point) => point.due(sb, elapsed, &|sb| u64::from(backup(sb) != original)),
            Wait::Waiting => watching(sb),
            Wait::Fired(delay) => match fired_at {
                None if watching(sb) => {
                    sb.set_clock("2025-03-01T10:01:01Z".parse().unwrap());
                    fired_at = Some(Instant::now());
                    false
                }
                None => false,
                Some(at) => at.elapsed() >= delay || writes(sb) >= 2,
            },
        });
        calm(&sb);

        // At the kill: untouched (or already restored), or pinned with the original saved.
        let at_kill = backup(&sb);
        assert!(at_kill == original || at_kill == pinned, "half-written: {at_kill:#}");
        let was_pinned = at_kill == pinned;
        let ran = !sb.list(Kind::Job, Some("ops")).is_empty();
        let state = format!(
            "{}{}",
            if was_pinned { "pinned" } else { "original" },
            if ran { ", run created" } else { "" }
        );
        match recovery {
            Recovery::Restore => {
                let restore =
                    kuul(&sb, &["reschedule-next-minute", "backup", "-n", "ops", "--restore"]);
                if was_pinned {
                    restore.expect_code(0);
                } else {
                    let refused = restore.expect_code(1);
                    assert!(refused.stderr.contains("nothing to restore"), "{}", refused.stderr);
                }
            }
            Recovery::PinAgainThenRestore => {
                let again = [&args[..4], variant.flags()].concat();
                kuul(&sb, &again).expect_code(0);
                let repinned = backup(&sb);
                assert_eq!(
                    repinned["annotations"][ORIGINAL_SCHEDULE], ORIGINAL,
                    "a second reschedule overwrote the saved original: {repinned:#}"
                );
                kuul(&sb, &["reschedule-next-minute", "backup", "-n", "ops", "--restore"])
                    .expect_code(0);
            }
            Recovery::WaitAgain => {
                let home = tempfile::tempdir().unwrap();
                let child = clean_command(&kuul_bin(), sb.kubeconfig(), home.path())
                    .args(&args)
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap();
                advance_until_exit(&sb, child, SignedDuration::from_secs(20), 15).expect_code(0);
            }
        }
        assert_eq!(backup(&sb), original, "the CronJob did not end as it began");
        (reached, state)
    });
}

#[test]
fn ctrl_c_during_reschedule_wait_restores_prints_the_report_and_exits_130() {
    // While the pin is on the wire (before the wait starts), and while waiting; JSON output
    // must still get its report on stdout.
    for (while_, latency, json) in
        [("pinning", 300, false), ("pinning", 300, true), ("waiting", 20, true)]
    {
        let sb = Variant::Utc.fixture();
        let original = backup(&sb);
        sb.set_latency(Duration::from_millis(latency));
        sb.reset_counts();
        let mut args = vec!["reschedule-next-minute", "backup", "-n", "ops", "--wait"];
        if json {
            args.extend(["-o", "json"]);
        }
        let child = spawn(&sb, &args);
        let started = Instant::now();
        let ready = |sb: &Sandbox| {
            if while_ == "pinning" { writes(sb) >= 1 } else { count(sb, &["watch"]) > 0 }
        };
        while !ready(&sb) {
            assert!(started.elapsed() < STUCK, "{:?}", sb.request_counts());
            std::thread::sleep(Duration::from_millis(1));
        }
        let run = interrupt_after_writes(&sb, child, 0);
        calm(&sb);
        let context = format!("Ctrl-C while {while_} (json: {json}): {run:?}");
        assert_eq!(run.code, 130, "{context}");
        assert!(run.stderr.contains("the schedule was restored"), "{context}");
        if json {
            let report = run.json();
            assert_eq!(report["action"], "reschedule", "{context}");
            assert_eq!(report["originalSchedule"], ORIGINAL, "{context}");
            assert!(report["restoredAt"].is_string(), "{context}");
        } else {
            assert!(run.stdout.contains("restored"), "{context}");
        }
        assert_eq!(backup(&sb), original, "{context}");
        assert!(sb.list(Kind::Job, Some("ops")).is_empty(), "{context}");
    }
}

#[test]
fn a_second_ctrl_c_while_pinning_stops_at_once_and_says_how_to_restore() {
    let sb = Variant::Utc.fixture();
    let original = backup(&sb);
    // The pin stays on the wire for two seconds: both presses come while it is there.
    sb.set_latency(Duration::from_secs(2));
    sb.reset_counts();
    let child = spawn(&sb, &["reschedule-next-minute", "backup", "-n", "ops", "--wait"]);
    let pid = child.pid();
    let started = Instant::now();
    while writes(&sb) < 1 {
        assert!(started.elapsed() < STUCK, "{:?}", sb.request_counts());
        std::thread::sleep(Duration::from_millis(1));
    }
    let mut first = std::process::Command::new("kill");
    first.args(["-INT", &pid]);
    run(first).expect_code(0);
    // A second signal, not one merged with the first while pending.
    std::thread::sleep(Duration::from_millis(200));
    let run = interrupt_after_writes(&sb, child, 0);
    assert_eq!(run.code, 130, "{run:?}");
    assert!(run.stderr.contains("Ctrl-C again to stop now"), "{}", run.stderr);
    assert!(
        run.stderr.contains("reschedule-next-minute backup --restore -n ops"),
        "{}",
        run.stderr
    );
    // The abandoned pin may land on the server's side or not (the sandbox drops a request whose
    // client went away; an API server may already be applying it): whole either way, and the
    // advertised command ends it where it began.
    calm(&sb);
    let at_exit = backup(&sb);
    let pinned = Variant::Utc.pinned(&original);
    assert!(at_exit == original || at_exit == pinned, "half-written: {at_exit:#}");
    let restore = kuul(&sb, &["reschedule-next-minute", "backup", "-n", "ops", "--restore"]);
    restore.expect_code(if at_exit == pinned { 0 } else { 1 });
    assert_eq!(backup(&sb), original);
}

// ---------------------------------------------------------------------------------------------
// prune.

/// `ops` after an hour: `ok` and `bad` ran every 5 minutes (12 finished Jobs each, with their
/// pods), `slow`'s run is still going, and a bare pod finished.
fn prune_fixture() -> Sandbox {
    let sb = sandbox();
    namespace(&sb, "ops");
    ready_node(&sb, "node-1", json!({}), "64", "256Gi");
    cronjob(&sb, "ops", "ok", json!({}));
    cronjob(&sb, "ops", "bad", json!({"annotations": {"sandbox.kuul.dev/exit-code": "1"}}));
    cronjob(
        &sb,
        "ops",
        "slow",
        json!({"schedule": "7 10 * * *", "annotations": {"sandbox.kuul.dev/duration": "3h"}}),
    );
    sb.create(
        Kind::Pod,
        json!({"apiVersion": "v1", "kind": "Pod",
               "metadata": {"name": "bare", "namespace": "ops",
                            "annotations": {"sandbox.kuul.dev/duration": "10s"}},
               "spec": {"restartPolicy": "Never",
                        "containers": [{"name": "main", "image": "busybox"}]}}),
    )
    .expect("pod");
    sb.advance(SignedDuration::from_mins(62));
    sb
}

fn names(sb: &Sandbox, kind: Kind) -> BTreeSet<String> {
    sb.list(kind, Some("ops"))
        .iter()
        .map(|o| o["metadata"]["name"].as_str().unwrap().to_owned())
        .collect()
}

/// What `prune` leaves: Job and Pod names, once the garbage collector caught up.
fn left(sb: &Sandbox) -> (BTreeSet<String>, BTreeSet<String>) {
    sb.settle();
    (names(sb, Kind::Job), names(sb, Kind::Pod))
}

/// The selections a prune trial draws from.
const PRUNES: [&[&str]; 4] = [
    &["--keep-last", "3"],
    &["--older-than", "30m"],
    &["--failed", "--pods"],
    &["--succeeded", "--keep-last", "2", "--pods"],
];

/// What an uninterrupted prune with a selection leaves, and how many deletes it sends.
struct PruneTwin {
    left: (BTreeSet<String>, BTreeSet<String>),
    deletes: u64,
}

fn prune_twin(selection: &[&str]) -> PruneTwin {
    let sb = prune_fixture();
    let (jobs, pods) = left(&sb);
    let args = [&["prune", "-n", "ops", "--yes"][..], selection].concat();
    let deletes = writes_of(&sb, &args);
    let left = left(&sb);
    assert!(deletes > 2, "{selection:?} deletes {deletes}: the fixture is too small");
    assert!(left.0.iter().any(|j| j.starts_with("slow-")), "a running Job was pruned");
    assert!(left.0.is_subset(&jobs) && left.1.is_subset(&pods));
    PruneTwin { left, deletes }
}

#[test]
fn prune_killed_mid_delete_then_rerun_deletes_the_rest_and_nothing_kept() {
    let sb = prune_fixture();
    let (jobs, pods) = left(&sb);
    assert_eq!(jobs.iter().filter(|j| j.starts_with("ok-")).count(), 12, "{jobs:?}");
    assert_eq!(jobs.iter().filter(|j| j.starts_with("bad-")).count(), 12, "{jobs:?}");
    assert!(pods.contains("bare"), "{pods:?}");
    drop(sb);
    let mut twins: HashMap<usize, PruneTwin> = HashMap::new();

    run_trials("prune", |rng, plan| {
        let which = usize::try_from(rng.below(PRUNES.len() as u64)).unwrap();
        let selection = PRUNES[which];
        let twin = twins.entry(which).or_insert_with(|| prune_twin(selection));
        let concurrency = rng.pick(&CONCURRENCY);
        let point = Point::draw(rng, twin.deletes, Duration::from_millis(800));
        *plan = format!("prune {selection:?}, kill {point:?}, --concurrency {concurrency}");

        let sb = prune_fixture();
        let before = left(&sb);
        let args = [&["prune", "-n", "ops", "--yes", "--concurrency", concurrency][..], selection]
            .concat();
        let conditions = slow_or_faulty(rng, &sb);
        plan.push_str(&format!(", {conditions}"));
        sb.reset_counts();
        let objects =
            |sb: &Sandbox| (names(sb, Kind::Job).len() + names(sb, Kind::Pod).len()) as u64;
        let start = objects(&sb);
        let reached = kill_at(&sb, spawn(&sb, &args), point, &|sb| start - objects(sb));
        calm(&sb);

        // Nothing an uninterrupted run keeps (running Jobs, the newest N, the too young, the
        // unselected) is ever deleted, whenever the kill comes.
        let (jobs, pods) = left(&sb);
        let to_delete = before.0.len() + before.1.len() - twin.left.0.len() - twin.left.1.len();
        let deleted = before.0.len() + before.1.len() - jobs.len() - pods.len();
        let state = format!("{deleted}/{to_delete} deleted");
        assert!(
            twin.left.0.is_subset(&jobs),
            "kept Jobs deleted: {:?}",
            twin.left.0.difference(&jobs)
        );
        assert!(
            twin.left.1.is_subset(&pods),
            "kept pods deleted: {:?}",
            twin.left.1.difference(&pods)
        );
        // The re-run deletes the rest, and only the rest.
        kuul(&sb, &args).expect_code(0);
        assert_eq!(left(&sb), twin.left, "the re-run did not end where one run ends");
        (reached, state)
    });
}

#[test]
fn ctrl_c_stops_prune_cleanly_with_the_summary_and_exit_130() {
    let selection = PRUNES[0];
    let twin = prune_twin(selection);
    for json in [false, true] {
        let sb = prune_fixture();
        let before = left(&sb);
        sb.set_latency(Duration::from_millis(150));
        sb.reset_counts();
        let mut args =
            [&["prune", "-n", "ops", "--yes", "--concurrency", "2"][..], selection].concat();
        if json {
            args.extend(["-o", "json"]);
        }
        let run = interrupt_after_writes(&sb, spawn(&sb, &args), 3);
        calm(&sb);
        assert_eq!(run.code, 130, "{run:?}");
        let (jobs, pods) = left(&sb);
        let deleted = before.0.difference(&jobs).count();
        if json {
            // The report still comes, whole, saying why the run stopped and what it did.
            let report = run.json();
            assert_eq!(report["run"]["halted"], "interrupted", "{report:#}");
            assert_eq!(report["summary"]["deleted"], deleted, "{report:#}");
            assert!(report["summary"]["notStarted"].as_u64().unwrap() > 0, "{report:#}");
        } else {
            assert!(
                run.stdout.contains("interrupted: no new requests were sent after Ctrl-C"),
                "{}",
                run.stdout
            );
            assert!(run.stdout.contains("not started"), "{}", run.stdout);
        }
        assert!(twin.left.0.is_subset(&jobs) && twin.left.1.is_subset(&pods));
        assert!(
            deleted >= 3 && deleted < before.0.len() - twin.left.0.len(),
            "{deleted} deleted: the test proves nothing"
        );
        args.truncate(args.len() - if json { 2 } else { 0 });
        kuul(&sb, &args).expect_code(0);
        assert_eq!(left(&sb), twin.left);
    }
}

// ---------------------------------------------------------------------------------------------
// suspend-all and resume across two clusters at once (issue 17).

/// Starts `kubectl-kuul ARGS` with `kubeconfig` and piped output.
fn spawn_with(kubeconfig: &Path, args: &[&str]) -> Victim {
    let home = tempfile::tempdir().unwrap();
    let child = clean_command(&kuul_bin(), kubeconfig, home.path())
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kubectl-kuul starts");
    Victim { child, _home: home }
}

#[test]
fn multi_cluster_suspend_all_and_resume_killed_anywhere_lose_nothing() {
    let twin = suspend_fixture();
    let before = cronjobs(&twin);
    kuul(&twin, &["suspend-all", "-A", "--reason", REASON]).expect_code(0);
    let suspended = cronjobs(&twin);
    let dir = tempfile::tempdir().unwrap();
    // 12 patches per cluster.
    let total = 24;

    run_trials("suspend-all/resume --context a,b", |rng, plan| {
        let concurrency = rng.pick(&CONCURRENCY);
        let point = Point::draw(rng, total, Duration::from_millis(600));
        let killed_resume = rng.below(2) == 1;
        *plan = format!(
            "kill {} {point:?}, --concurrency {concurrency}",
            if killed_resume { "resume" } else { "suspend-all" }
        );
        let (a, b) = (suspend_fixture(), suspend_fixture());
        let kubeconfig = contexts_kubeconfig(
            &dir.path().join(format!("trial-{}", rng.next())).tap_dir(),
            &[("a", Cluster::Up(&a, "default")), ("b", Cluster::Up(&b, "default"))],
        );
        let file = kubeconfig.with_file_name("snapshot.json");
        let file = file.to_str().unwrap();
        let suspend = ["suspend-all", "-A", "--context", "a,b", "--reason", REASON];
        let suspend_args =
            [&suspend[..], &["--save-to", file, "--concurrency", concurrency]].concat();
        let resume_args = ["resume", "-A", "--all-contexts", "--concurrency", concurrency];
        if killed_resume {
            kuul_with(&kubeconfig, &suspend).expect_code(0);
        }
        let conditions = slow_or_faulty(rng, &a);
        slow_or_faulty(rng, &b);
        plan.push_str(&format!(", {conditions}"));
        a.reset_counts();
        b.reset_counts();
        let victim = spawn_with(
            &kubeconfig,
            if killed_resume { &resume_args[..] } else { &suspend_args[..] },
        );
        let both = |f: &dyn Fn(&Sandbox) -> u64| f(&a) + f(&b);
        let reached = kill_when(&a, victim, |_, elapsed| match point {
            Point::Delay(delay) => elapsed >= delay,
            Point::Writes(0) => both(&reads) > 0,
            Point::Writes(n) => both(&writes) >= n,
            Point::Landed(n) if killed_resume => total - both(&with_saved_state) >= n,
            Point::Landed(n) => both(&with_saved_state) >= n,
        });
        calm(&a);
        calm(&b);

        // At the kill, in each cluster: each CronJob untouched or completely done.
        each_in_one_of(&a, &[&before, &suspended]);
        each_in_one_of(&b, &[&before, &suspended]);
        let state = format!(
            "a {}, b {}",
            how_many(&a, &suspended, "suspended"),
            how_many(&b, &suspended, "suspended")
        );
        // The one snapshot is written once both clusters are done: absent, or whole.
        if !killed_resume && Path::new(file).exists() {
            let items = snapshot_items(Path::new(file));
            assert_eq!(items.len(), 24);
            assert!(items.iter().all(|i| i["context"] == "a" || i["context"] == "b"));
        }
        // Re-running finishes it in both clusters; resume then restores each exactly.
        if !killed_resume {
            kuul_with(&kubeconfig, &suspend_args).expect_code(0);
            assert_eq!((cronjobs(&a), cronjobs(&b)), (suspended.clone(), suspended.clone()));
        }
        kuul_with(&kubeconfig, &resume_args).expect_code(0);
        assert_eq!((cronjobs(&a), cronjobs(&b)), (before.clone(), before.clone()));
        (reached, state)
    });
}

/// `Path` helper: creates the directory and returns it.
trait TapDir {
    fn tap_dir(self) -> std::path::PathBuf;
}

impl TapDir for std::path::PathBuf {
    fn tap_dir(self) -> std::path::PathBuf {
        std::fs::create_dir_all(&self).unwrap();
        self
    }
}
