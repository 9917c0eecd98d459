//! `kubectl kuul dash` end to end: the real binary in a real terminal (tmux, 80x24), driven by
//! `send-keys` and read with `capture-pane`, against the sandbox: the table, the filter, a
//! CronJob's history, a run's logs, and writes from keys checked in the cluster. Each wait
//! polls the screen for a condition, bounded in wall time (never a fixed sleep).
//!
//! Skipped loudly without tmux; under `CI=true` a missing tmux fails.

use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::support::*;

/// How long a screen condition may take (debug builds on a loaded machine).
const WAIT: Duration = Duration::from_secs(60);

static SESSIONS: AtomicUsize = AtomicUsize::new(0);

/// One tmux session running `kubectl-kuul dash ...` on its own tmux server socket.
pub(crate) struct Screen {
    socket: String,
    session: String,
    _home: tempfile::TempDir,
}

pub(crate) fn tmux_available() -> bool {
    let found = Command::new("tmux").arg("-V").output().is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "tmux is required for the dash e2e tests under CI=true"
        );
        eprintln!("SKIPPED: tmux is not installed; the dash e2e tests did not run");
    }
    found
}

impl Screen {
    /// Starts the dash in an 80x24 terminal; `None` (skipped) without tmux.
    pub(crate) fn start(sb: &Sandbox, args: &[&str]) -> Option<Screen> {
        Self::start_with(sb.kubeconfig(), args, &[])
    }

    pub(crate) fn start_with(
        kubeconfig: &Path,
        args: &[&str],
        env: &[(&str, &str)],
    ) -> Option<Screen> {
        let argv: Vec<&str> = std::iter::once("dash").chain(args.iter().copied()).collect();
        Self::start_kuul(kubeconfig, &argv, env)
    }

    /// Starts `kubectl-kuul ARGV...` (any command) in an 80x24 terminal.
    pub(crate) fn start_kuul(
        kubeconfig: &Path,
        argv: &[&str],
        env: &[(&str, &str)],
    ) -> Option<Screen> {
        if !tmux_available() {
            return None;
        }
        let n = SESSIONS.fetch_add(1, Ordering::Relaxed);
        let socket = format!("kuul-e2e-{}-{n}", std::process::id());
        let session = "dash".to_owned();
        let home = tempfile::tempdir().unwrap();
        let mut command = format!(
            "env -i PATH='{}' HOME='{}' KUBECONFIG='{}' TERM=xterm-256color NO_COLOR=1",
            std::env::var("PATH").unwrap_or_default(),
            home.path().display(),
            kubeconfig.display()
        );
        for (k, v) in env {
            command.push_str(&format!(" {k}='{v}'"));
        }
        command.push_str(&format!(" '{}'", kuul_bin().display()));
        for arg in argv {
            command.push_str(&format!(" '{arg}'"));
        }
        // The shell stays after the dash exits, so the test sees the terminal it left behind.
        command.push_str("; echo \"[dash exited $?]\"; stty -a | grep -o -- '-icanon\\|icanon' | head -1; sleep 600");
        let status = Command::new("tmux")
            .args(["-L", &socket, "new-session", "-d", "-s", &session, "-x", "80", "-y", "24"])
            .arg(&command)
            .status()
            .unwrap();
        assert!(status.success(), "tmux new-session failed");
        let screen = Screen { socket, session, _home: home };
        // tmux itself waits no time after an ESC (its escape-time is for keys it reads from a
        // terminal; the dash's own reading takes ESC + key as Alt+key, which it treats as both).
        let out = screen.tmux(&["set-option", "-s", "escape-time", "0"]);
        assert!(out.status.success(), "tmux set-option escape-time");
        Some(screen)
    }

    pub(crate) fn tmux(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux").args(["-L", &self.socket]).args(args).output().unwrap()
    }

    /// The screen as text.
    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-t", &self.session]).stdout)
            .into_owned()
    }

    /// The screen with everything scrolled off it (tmux's history).
    pub(crate) fn scrollback(&self) -> String {
        let out = self.tmux(&["capture-pane", "-p", "-S", "-", "-t", &self.session]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Waits (bounded) until the screen satisfies `condition`; returns it.
    #[track_caller]
    pub(crate) fn wait_for(&self, what: &str, condition: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let text = self.text();
            if condition(&text) {
                return text;
            }
            assert!(start.elapsed() < WAIT, "timed out waiting for {what}; the screen:\n{text}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    #[track_caller]
    pub(crate) fn wait_text(&self, needle: &str) -> String {
        self.wait_for(&format!("{needle:?}"), |t| t.contains(needle))
    }

    /// Sends tmux key names (`Enter`, `Escape`, `C-c`) or literal text.
    pub(crate) fn keys(&self, keys: &[&str]) {
        for key in keys {
            let out = self.tmux(&["send-keys", "-t", &self.session, key]);
            assert!(out.status.success(), "send-keys {key}");
        }
    }

    pub(crate) fn literal(&self, text: &str) {
        let out = self.tmux(&["send-keys", "-t", &self.session, "-l", text]);
        assert!(out.status.success(), "send-keys -l {text}");
    }

    /// Sends raw bytes (hex) to the dash's terminal: a mouse report, as a terminal writes it.
    pub(crate) fn bytes(&self, text: &str) {
        let mut args = vec!["send-keys", "-t", &self.session, "-H"];
        let hex: Vec<String> = text.bytes().map(|b| format!("{b:02x}")).collect();
        args.extend(hex.iter().map(String::as_str));
        let out = self.tmux(&args);
        assert!(out.status.success(), "send-keys -H {text:?}");
    }

    /// Resizes the terminal (the window) to `width` x `height`.
    pub(crate) fn resize(&self, width: u16, height: u16) {
        let (w, h) = (width.to_string(), height.to_string());
        let out = self.tmux(&["resize-window", "-t", &self.session, "-x", &w, "-y", &h]);
        assert!(out.status.success(), "resize-window: {}", String::from_utf8_lossy(&out.stderr));
    }

    /// Quits with `key` and checks the terminal was handed back intact (canonical mode).
    #[track_caller]
    pub(crate) fn quit_with(&self, key: &str) -> String {
        self.quit_expecting(key, 0)
    }

    /// [`Screen::quit_with`], expecting exit code `code`.
    #[track_caller]
    pub(crate) fn quit_expecting(&self, key: &str, code: i32) -> String {
        self.keys(&[key]);
        let after = |t: &str| t.split("[dash exited").nth(1).map(str::to_owned);
        let text = self.wait_for("the exit and the terminal's mode", |t| {
            after(t).is_some_and(|rest| rest.contains("icanon"))
        });
        assert!(text.contains(&format!("[dash exited {code}]")), "{text}");
        assert!(!after(&text).unwrap_or_default().contains("-icanon"), "raw mode left on:\n{text}");
        text
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}

/// `ops` with a node, `backup` (every 5 minutes, logs two lines) and `report`, after one run of
/// each: the clock is moved past 10:05 and the 30 s runs end.
fn fixture() -> Sandbox {
    let sb = sandbox();
    namespace(&sb, "ops");
    ready_node(&sb, "node-1", json!({}), "4", "8Gi");
    for (name, schedule) in [("backup", "*/5 * * * *"), ("report", "*/5 * * * *")] {
        sb.create(
            Kind::CronJob,
            json!({"apiVersion": "batch/v1", "kind": "CronJob",
                   "metadata": {"name": name, "namespace": "ops"},
                   "spec": {"schedule": schedule, "jobTemplate": {"spec": {"template": {
                       "metadata": {"annotations": {"sandbox.kuul.dev/duration": "30s",
                                                    "sandbox.kuul.dev/log": format!("{name} step one\n{name} all done")}},
                       "spec": {"restartPolicy": "Never",
                                "containers": [{"name": "main", "image": "busybox"}]}}}}}}),
        )
        .unwrap();
    }
    sb.advance(jiff::SignedDuration::from_secs(6 * 60));
    sb
}

/// Closes a write's output window, and waits until it is gone: a key sent right after Escape
/// would be read with it as Alt+key.
#[track_caller]
fn close_output(screen: &Screen) {
    screen.keys(&["Escape"]);
    screen.wait_for("the output window to close", |t| !t.contains("esc/enter: close"));
}

/// The manual (triggered) Jobs in `ops`.
pub(crate) fn manual_runs(sb: &Sandbox) -> usize {
    sb.list(Kind::Job, Some("ops"))
        .into_iter()
        .filter(|j| j["metadata"]["annotations"]["cronjob.kubernetes.io/instantiate"] == "manual")
        .count()
}

#[track_caller]
pub(crate) fn wait_cluster(what: &str, condition: impl Fn() -> bool) {
    let start = Instant::now();
    while !condition() {
        assert!(start.elapsed() < WAIT, "timed out waiting for {what} in the cluster");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn suspended(sb: &Sandbox, name: &str) -> bool {
    sb.get(Kind::CronJob, Some("ops"), name).unwrap()["spec"]["suspend"] == json!(true)
}

#[test]
fn it_shows_filters_and_opens_history_and_logs() {
    let sb = fixture();
    let Some(screen) = Screen::start(&sb, &["-n", "ops"]) else { return };
    let text = screen.wait_for("the table", |t| t.contains("backup") && t.contains("report"));
    assert!(text.contains("2 CronJobs"), "{text}");
    assert!(text.contains("OK"), "{text}");
    screen.keys(&["/"]);
    screen.literal("back");
    screen.wait_for("the filter", |t| t.contains("/back") && !t.contains("report"));
    screen.keys(&["Enter", "Enter"]);
    let text = screen.wait_text("ops/backup  */5 * * * *");
    assert!(text.contains("Succeeded"), "{text}");
    assert!(text.contains("events"), "{text}");
    screen.keys(&["Enter"]);
    let text = screen.wait_text("backup all done");
    assert!(text.contains("logs job.batch/backup-"), "{text}");
    assert!(text.contains("backup step one"), "{text}");
    screen.keys(&["Escape"]);
    screen.wait_text("RESULT");
    screen.keys(&["Escape"]);
    screen.wait_text("VERDICT");
    screen.keys(&["?"]);
    screen.wait_text("help (any key closes)");
    screen.keys(&["Escape"]);
    screen.quit_with("q");
}

#[test]
fn trigger_suspend_and_resume_change_the_cluster_after_asking() {
    let sb = fixture();
    let Some(screen) = Screen::start(&sb, &["-n", "ops"]) else { return };
    screen.wait_for("the table", |t| t.contains("backup") && t.contains("report"));
    screen.keys(&["/"]);
    screen.literal("backup");
    screen.keys(&["Enter"]);
    let jobs_before = sb.list(Kind::Job, Some("ops")).len();

    // Trigger: nothing happens before the answer.
    screen.keys(&["t"]);
    screen.wait_text("Trigger ops/backup now");
    assert_eq!(sb.list(Kind::Job, Some("ops")).len(), jobs_before);
    screen.keys(&["y"]);
    screen.wait_text("created");
    screen.wait_text("$ kubectl kuul trigger backup --wait --logs -n ops");
    wait_cluster("the manual Job", || manual_runs(&sb) == 1);
    // --wait shows the run live: its log, then its result once it ends on the sandbox clock.
    sb.advance(jiff::SignedDuration::from_secs(40));
    screen.wait_text("backup all done");
    screen.wait_text("succeeded");
    close_output(&screen);

    // Suspend, and the watch shows it.
    screen.keys(&["s"]);
    screen.wait_text("Suspend 1 CronJob(s): ops/backup?");
    screen.keys(&["y"]);
    wait_cluster("backup suspended", || suspended(&sb, "backup"));
    assert!(!suspended(&sb, "report"), "only the selected CronJob");
    let cj = sb.get(Kind::CronJob, Some("ops"), "backup").unwrap();
    assert!(
        cj["metadata"]["annotations"]
            .as_object()
            .unwrap()
            .keys()
            .any(|k| k.starts_with("kuul.dev/")),
        "suspend-all's saved state: {cj}"
    );
    screen.wait_text("done");
    close_output(&screen);
    screen.wait_text("SUSPENDED");

    // A "no" changes nothing.
    screen.keys(&["r"]);
    screen.wait_text("Resume 1 CronJob(s)");
    screen.keys(&["n"]);
    screen.wait_text("cancelled: nothing was changed");
    assert!(suspended(&sb, "backup"));
    screen.keys(&["r"]);
    screen.wait_text("Resume 1 CronJob(s)");
    screen.keys(&["y"]);
    wait_cluster("backup resumed", || !suspended(&sb, "backup"));
    close_output(&screen);
    screen.wait_for("the verdict back to OK", |t| !t.contains("SUSPENDED") && t.contains("OK"));
    screen.quit_with("C-c");
}

#[test]
fn read_only_hides_the_write_keys_and_the_viewer_gets_read_only() {
    let sb = fixture();
    let Some(screen) = Screen::start(&sb, &["-n", "ops", "--read-only"]) else { return };
    let text = screen.wait_text("[read-only]");
    assert!(!text.contains("t trigger") && !text.contains("s suspend"), "{text}");
    screen.keys(&["t", "s"]);
    let text = screen.wait_text("[read-only]");
    assert!(!text.contains("confirm"), "{text}");
    screen.quit_with("q");

    // The viewer role may not write: RBAC (SelfSubjectAccessReview) makes it read-only.
    let Some(viewer) = Screen::start(&sb, &["-n", "ops", "--context", "kuul-sandbox-viewer"])
    else {
        return;
    };
    let text = viewer
        .wait_for("read-only and the table", |t| t.contains("[read-only]") && t.contains("backup"));
    assert!(!text.contains("t trigger"), "{text}");
    viewer.quit_with("q");
    let before = sb.list(Kind::Job, Some("ops")).len();
    assert_eq!(sb.list(Kind::Job, Some("ops")).len(), before);
}

/// A CronJob in `ns` running `image` every 5 minutes for 30 s.
fn every_five_minutes(ns: &str, name: &str, image: &str) -> Value {
    json!({"apiVersion": "batch/v1", "kind": "CronJob",
           "metadata": {"name": name, "namespace": ns},
           "spec": {"schedule": "*/5 * * * *", "jobTemplate": {"spec": {"template": {
               "metadata": {"annotations": {"sandbox.kuul.dev/duration": "30s"}},
               "spec": {"restartPolicy": "Never",
                        "containers": [{"name": "main", "image": image}]}}}}}})
}

/// The verdict the table shows for `name` (one namespace: VERDICT NAME ...).
fn verdict_on_screen(text: &str, name: &str) -> Option<String> {
    text.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .find(|w| w.len() > 2 && w[1] == name)
        .map(|w| w[0].to_owned())
}

fn schedule(sb: &Sandbox, name: &str) -> String {
    let cj = sb.get(Kind::CronJob, Some("ops"), name).unwrap();
    cj["spec"]["schedule"].as_str().unwrap().to_owned()
}

/// A CronJob whose image the registry lacks: its run's pod waits in `ImagePullBackOff`, and
/// past `--pending-for` the dash row says STUCK, as `lastrun -o json` says at the same moment
/// (the sandbox clock stands still between the two looks). The dash is started before any run,
/// when no row needs pods or events (so it reads them once a row does, from the watches), and
/// again after, when it reads them before its first frame.
#[test]
fn a_run_that_cannot_pull_its_image_is_stuck_as_lastrun_says() {
    let sb = Sandbox::builder()
        .clock(T0.parse().unwrap())
        .missing_images(["busybox:1.99"])
        .start()
        .unwrap();
    namespace(&sb, "ops");
    ready_node(&sb, "node-1", json!({}), "4", "8Gi");
    sb.create(Kind::CronJob, every_five_minutes("ops", "backup", "busybox")).unwrap();
    sb.create(Kind::CronJob, every_five_minutes("ops", "pull", "busybox:1.99")).unwrap();
    let Some(screen) = Screen::start(&sb, &["-n", "ops"]) else { return };
    let text = screen.wait_for("the table", |t| t.contains("backup") && t.contains("pull"));
    assert_eq!(verdict_on_screen(&text, "pull").as_deref(), Some("NEVER-RAN"), "{text}");
    // 10:05's run waits for its image; at 10:11 it has waited 6 minutes (> 5m).
    sb.advance(jiff::SignedDuration::from_secs(11 * 60));
    let text = screen.wait_for("pull STUCK", |t| {
        verdict_on_screen(t, "pull").as_deref() == Some("STUCK")
            && verdict_on_screen(t, "backup").as_deref() == Some("OK")
    });
    let report = kuul(&sb, &["lastrun", "-n", "ops", "-o", "json"]).expect_code(0).json();
    let item = |name: &str| {
        report["items"].as_array().unwrap().iter().find(|i| i["name"] == name).unwrap().clone()
    };
    let pull = item("pull");
    assert_eq!(pull["verdict"], "STUCK", "{pull:#}");
    let reason = pull["stuck"]["reason"].as_str().unwrap_or_default();
    assert!(reason == "ImagePullBackOff" || reason == "ErrImagePull", "{pull:#}");
    for name in ["pull", "backup"] {
        assert_eq!(
            verdict_on_screen(&text, name).as_deref(),
            item(name)["verdict"].as_str(),
            "{name}: dash and lastrun disagree\n{text}"
        );
    }
    screen.quit_with("q");

    let Some(again) = Screen::start(&sb, &["-n", "ops"]) else { return };
    let text = again.wait_for("the table", |t| t.contains("backup") && t.contains("pull"));
    assert_eq!(verdict_on_screen(&text, "pull").as_deref(), Some("STUCK"), "first frame:\n{text}");
    again.quit_with("q");
}

#[test]
fn reschedule_next_minute_and_restore_change_the_cluster_after_asking() {
    let sb = fixture();
    let Some(screen) = Screen::start(&sb, &["-n", "ops"]) else { return };
    screen.wait_for("the table", |t| t.contains("backup") && t.contains("report"));
    // The cursor is on ops/backup (both OK: by name).
    screen.keys(&["n"]);
    screen.wait_text("Reschedule ops/backup to fire at the next minute");
    screen.wait_text("kubectl kuul reschedule-next-minute backup -n ops");
    assert_eq!(schedule(&sb, "backup"), "*/5 * * * *", "nothing before the answer");
    screen.keys(&["y"]);
    wait_cluster("backup rescheduled", || schedule(&sb, "backup") != "*/5 * * * *");
    // At 10:06 on 1 March the next minute is 10:07 that day.
    assert_eq!(schedule(&sb, "backup"), "7 10 1 3 *");
    let cj = sb.get(Kind::CronJob, Some("ops"), "backup").unwrap();
    assert_eq!(cj["metadata"]["annotations"]["kuul.dev/original-schedule"], "*/5 * * * *");
    assert_eq!(schedule(&sb, "report"), "*/5 * * * *", "only the selected CronJob");
    screen.wait_text("esc/enter: close");
    close_output(&screen);

    screen.keys(&["N"]);
    screen.wait_text("Restore the saved schedule of ops/backup?");
    assert_eq!(schedule(&sb, "backup"), "7 10 1 3 *", "nothing before the answer");
    screen.keys(&["y"]);
    wait_cluster("backup restored", || schedule(&sb, "backup") == "*/5 * * * *");
    let cj = sb.get(Kind::CronJob, Some("ops"), "backup").unwrap();
    assert!(cj["metadata"]["annotations"].get("kuul.dev/original-schedule").is_none(), "{cj:#}");
    screen.wait_text("esc/enter: close");
    close_output(&screen);
    screen.quit_with("q");
}

#[test]
fn prune_shows_its_plan_then_deletes_after_asking() {
    let sb = fixture();
    // Runs at 10:05, 10:10 and 10:15, all finished at 10:16.
    sb.advance(jiff::SignedDuration::from_secs(10 * 60));
    let runs_of = |name: &str| {
        sb.list(Kind::Job, Some("ops"))
            .into_iter()
            .filter(|j| j["metadata"]["ownerReferences"][0]["name"] == name)
            .count()
    };
    assert_eq!((runs_of("backup"), runs_of("report")), (3, 3));
    let Some(screen) = Screen::start(&sb, &["-n", "ops"]) else { return };
    screen.wait_for("the table", |t| t.contains("backup") && t.contains("report"));
    screen.keys(&["p"]);
    screen.wait_text("Delete these finished Jobs of ops/backup (keeping the newest 1)?");
    let text = screen.wait_for("the plan", |t| t.contains("y: yes, go ahead"));
    // The plan is prune's own dry run: the two older runs, not the newest.
    let planned: Vec<&str> = text.lines().filter(|l| l.contains("job.batch/backup-")).collect();
    assert_eq!(planned.len(), 2, "{text}");
    assert!(planned.iter().all(|l| l.contains("beyond the newest 1")), "{text}");
    assert_eq!(runs_of("backup"), 3, "nothing before the answer");
    screen.keys(&["y"]);
    wait_cluster("backup's older runs pruned", || runs_of("backup") == 1);
    screen.wait_text("esc/enter: close");
    assert_eq!(runs_of("report"), 3, "only the selected CronJob's runs");
    close_output(&screen);
    screen.quit_with("q");
}

#[test]
fn colon_switches_namespace_and_context() {
    let sb = fixture();
    namespace(&sb, "web");
    sb.create(Kind::CronJob, every_five_minutes("web", "site", "busybox")).unwrap();
    let other = sandbox();
    namespace(&other, "ops");
    other.create(Kind::CronJob, every_five_minutes("ops", "elsewhere", "busybox")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = contexts_kubeconfig(
        dir.path(),
        &[("first", Cluster::Up(&sb, "ops")), ("second", Cluster::Up(&other, "ops"))],
    );
    let Some(screen) = Screen::start_with(&kubeconfig, &[], &[]) else { return };
    screen.wait_for("ops", |t| t.contains("backup") && !t.contains("site"));
    screen.keys(&[":"]);
    screen.literal("ns web");
    screen.keys(&["Enter"]);
    screen.wait_for("web", |t| t.contains("site") && !t.contains("backup"));
    screen.keys(&[":"]);
    screen.literal("ns all");
    screen.keys(&["Enter"]);
    let text = screen.wait_for("every namespace", |t| {
        t.contains("all namespaces") && t.contains("site") && t.contains("backup")
    });
    assert!(text.contains("3 CronJobs"), "{text}");
    screen.keys(&[":"]);
    screen.literal("ctx second");
    screen.keys(&["Enter"]);
    let text = screen.wait_for("the other cluster", |t| {
        t.contains("elsewhere") && !t.contains("backup") && !t.contains("site")
    });
    assert!(text.lines().next().unwrap_or_default().contains("second"), "{text}");
    // A context that does not exist: an error line, the view stays.
    screen.keys(&[":"]);
    screen.literal("ctx nowhere");
    screen.keys(&["Enter"]);
    let text = screen.wait_text("error:");
    assert!(text.contains("elsewhere"), "{text}");
    screen.quit_with("q");
}

/// The title on the first line and the footer on the last: the frame fills the terminal.
#[track_caller]
fn fills(text: &str, width: usize, height: usize) -> bool {
    let lines: Vec<&str> = text.lines().collect();
    lines.len() >= height
        && lines[0].contains("kuul dash")
        && lines[height - 1].contains("q quit")
        && lines.iter().take(height).all(|l| l.chars().count() <= width)
}

#[test]
fn it_redraws_on_resize_at_80x24_and_larger() {
    let sb = fixture();
    let Some(screen) = Screen::start(&sb, &["-n", "ops"]) else { return };
    screen.wait_for("80x24", |t| t.contains("backup") && fills(t, 80, 24));
    screen.resize(132, 40);
    let text = screen.wait_for("132x40", |t| fills(t, 132, 40));
    assert!(text.contains("backup") && text.contains("report"), "{text}");
    assert!(
        !text.lines().take(39).skip(1).any(|l| l.contains("q quit")),
        "a stale footer:\n{text}"
    );
    screen.resize(80, 24);
    let text = screen.wait_for("80x24 again", |t| fills(t, 80, 24));
    assert!(text.contains("backup") && text.contains("report"), "{text}");
    screen.quit_with("q");
}

#[test]
fn with_mouse_a_click_picks_a_row_and_the_wheel_moves() {
    let sb = fixture();
    let Some(screen) = Screen::start(&sb, &["-n", "ops", "--mouse"]) else { return };
    screen.wait_for("the table", |t| t.contains("backup") && t.contains("report"));
    // A left click on the terminal's 4th row (title, header, backup, report), as a terminal
    // reports it (SGR 1006), then the release.
    screen.bytes("\x1b[<0;10;4M");
    screen.bytes("\x1b[<0;10;4m");
    screen.keys(&["Enter"]);
    screen.wait_text("ops/report  */5 * * * *");
    screen.keys(&["Escape"]);
    screen.wait_text("VERDICT");
    // The wheel up moves the cursor up a row.
    screen.bytes("\x1b[<64;10;4M");
    screen.keys(&["Enter"]);
    screen.wait_text("ops/backup  */5 * * * *");
    screen.keys(&["Escape"]);
    screen.wait_text("VERDICT");
    screen.quit_with("q");
}

#[test]
fn without_a_terminal_it_says_so() {
    let sb = fixture();
    let run = kuul(&sb, &["dash", "-n", "ops"]).expect_code(2);
    assert!(run.stderr.starts_with("error: dash draws on a terminal"), "{}", run.stderr);
}

/// The key-to-frame latencies (µs) and the first frame's time (ms) the dash logged.
fn latencies(log: &Path) -> (Option<u64>, Vec<u64>) {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let value = |line: &str| line.split_whitespace().nth(1).and_then(|v| v.parse().ok());
    let first = text.lines().find(|l| l.starts_with("first_frame_ms")).and_then(value);
    let keys =
        text.lines().filter(|l| l.starts_with("key_to_frame_us")).filter_map(value).collect();
    (first, keys)
}

/// A measurement (issue 19), not a check: start to the first full frame of `dash -A` on a
/// scale:N sandbox against `lastrun -A`, and key press to redraw while an hour of runs streams
/// through the watches. `KUUL_DASH_SCALE=5000 cargo test -p kubectl-kuul --test e2e
/// dash::measure -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement on a large seed; run by hand"]
fn measure_startup_and_key_latency_at_scale() {
    let n: usize =
        std::env::var("KUUL_DASH_SCALE").ok().and_then(|v| v.parse().ok()).unwrap_or(5000);
    let seeding = Instant::now();
    let sb = sandbox_with(Seed::Scale(n), T0);
    eprintln!("seeded scale:{n} in {:?}", seeding.elapsed());
    kuul(&sb, &["lastrun", "-A", "-o", "json"]).expect_code(0); // warm up, as the bench does
    // lastrun -A and the dash's start to its first full frame, alternately, in the same run
    // (the machine's load moves: compare the pair, not the absolute times).
    let reps: usize =
        std::env::var("KUUL_DASH_REPS").ok().and_then(|v| v.parse().ok()).unwrap_or(3);
    let dir = tempfile::tempdir().unwrap();
    let (mut lastruns, mut dashes, mut own) = (Vec::new(), Vec::new(), Vec::new());
    for rep in 0..reps {
        let t = Instant::now();
        kuul(&sb, &["lastrun", "-A"]).expect_code(0);
        lastruns.push(t.elapsed());
        let log = dir.path().join(format!("start-{rep}.log"));
        let log_text = log.display().to_string();
        let t = Instant::now();
        let Some(screen) =
            Screen::start_with(sb.kubeconfig(), &["-A"], &[("KUUL_DASH_LATENCY_LOG", &log_text)])
        else {
            return;
        };
        screen.wait_text(&format!("{n} CronJobs"));
        dashes.push(t.elapsed());
        own.push(latencies(&log).0);
        screen.quit_with("q");
    }
    let median = |v: &mut Vec<Duration>| {
        v.sort_unstable();
        v[v.len() / 2]
    };
    let (lastrun, first_wall) = (median(&mut lastruns), median(&mut dashes));
    eprintln!(
        "scale:{n}, {reps} alternations: lastrun -A {lastruns:?}; dash -A to its first full frame \
         {dashes:?} by tmux (own clock, ms: {own:?}); medians {lastrun:?} vs {first_wall:?}, \
         dash/lastrun {:.2}; load {}",
        first_wall.as_secs_f64() / lastrun.as_secs_f64(),
        std::fs::read_to_string("/proc/loadavg").unwrap_or_default().trim()
    );
    let log = dir.path().join("latency.log");
    let log_text = log.display().to_string();
    let Some(screen) =
        Screen::start_with(sb.kubeconfig(), &["-A"], &[("KUUL_DASH_LATENCY_LOG", &log_text)])
    else {
        return;
    };
    screen.wait_text(&format!("{n} CronJobs"));
    let keys = 50;
    std::thread::scope(|s| {
        s.spawn(|| sb.advance(jiff::SignedDuration::from_secs(3600)));
        for i in 1..=keys {
            screen.keys(&["j"]);
            let start = Instant::now();
            while latencies(&log).1.len() < i {
                assert!(start.elapsed() < WAIT, "no frame after key {i}");
                std::thread::sleep(Duration::from_millis(2));
            }
        }
    });
    let (first, mut key_us) = latencies(&log);
    key_us.sort_unstable();
    let median = key_us[key_us.len() / 2];
    let max = key_us[key_us.len() - 1];
    eprintln!(
        "scale:{n}: lastrun -A {lastrun:?}; dash -A first full frame {first_wall:?} by tmux \
         (its own clock, last start: {first:?} ms); key to redraw while runs stream: median {} \
         ms, max {} ms over {} keys",
        median as f64 / 1000.0,
        max as f64 / 1000.0,
        key_us.len()
    );
    screen.quit_with("q");
}
