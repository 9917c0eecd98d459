//! Snapshot tests of every screen (ratatui's `TestBackend`, frames stored as text under
//! `snapshots/`), and of what keys do.

use std::sync::Arc;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::json;

use super::data::rows_for_test;
use super::state::{App, Effect, Msg, Overlay, Perm, Perms, ScopeChange, Snapshot, View, Write};
use super::view;
use crate::commands::lastrun::facts::{CronJobFacts, JobFacts};
use crate::commands::lastrun::{Observed, analyse_with, default_pending_for};
use crate::runs::{GapEvent, History, PodFacts};

const NOW: &str = "2025-03-01T12:00:30Z";

fn now() -> jiff::Timestamp {
    NOW.parse().unwrap()
}

fn cronjob(
    ns: &str,
    name: &str,
    schedule: &str,
    suspend: bool,
    last: Option<&str>,
) -> CronJobFacts {
    serde_json::from_value(json!({
        "metadata": {"name": name, "namespace": ns, "uid": format!("uid-{ns}-{name}"),
                     "creationTimestamp": "2025-02-01T00:00:00Z"},
        "spec": {"schedule": schedule, "suspend": suspend},
        "status": {"lastScheduleTime": last}
    }))
    .unwrap()
}

fn job(ns: &str, cronjob: &str, name: &str, created: &str, ok: Option<bool>) -> JobFacts {
    let conditions = match ok {
        Some(true) => {
            json!([{"type": "Complete", "status": "True", "lastTransitionTime": created}])
        }
        Some(false) => json!([{"type": "Failed", "status": "True", "lastTransitionTime": created}]),
        None => json!([]),
    };
    serde_json::from_value(json!({
        "metadata": {"name": name, "namespace": ns, "uid": format!("uid-{name}"),
                     "creationTimestamp": created,
                     // As the controller writes it (1.28+): the run is on time, LATE 0s.
                     "annotations": {"batch.kubernetes.io/cronjob-scheduled-timestamp": created},
                     "ownerReferences": [{"kind": "CronJob", "name": cronjob,
                                          "uid": format!("uid-{ns}-{cronjob}"), "controller": true}]},
        "status": {"startTime": created, "conditions": conditions, "active": if ok.is_none() {1} else {0}}
    }))
    .unwrap()
}

fn snapshot() -> Snapshot {
    let cronjobs = vec![
        cronjob("ops", "nightly-backup", "0 2 * * *", false, Some("2025-03-01T02:00:00Z")),
        cronjob("ops", "hourly-sanity", "0 * * * *", false, Some("2025-03-01T12:00:00Z")),
        cronjob("web", "deploy-check", "*/5 * * * *", false, Some("2025-03-01T11:00:00Z")),
        cronjob("web", "paused-report", "0 9 * * 1", true, Some("2025-02-24T09:00:00Z")),
        cronjob("db", "new-job", "0 0 1 1 *", false, None),
    ];
    let jobs = vec![
        job("ops", "nightly-backup", "nightly-backup-1", "2025-02-28T02:00:00Z", Some(true)),
        job("ops", "nightly-backup", "nightly-backup-2", "2025-03-01T02:00:00Z", Some(false)),
        job("ops", "hourly-sanity", "hourly-sanity-1", "2025-03-01T10:00:00Z", Some(true)),
        job("ops", "hourly-sanity", "hourly-sanity-2", "2025-03-01T11:00:00Z", Some(true)),
        job("ops", "hourly-sanity", "hourly-sanity-3", "2025-03-01T12:00:05Z", None),
        job("web", "deploy-check", "deploy-check-1", "2025-03-01T11:00:00Z", Some(true)),
    ];
    Snapshot {
        rows: rows_for_test(cronjobs, jobs, Vec::new(), Vec::new(), now()),
        now: Some(now()),
        loaded: true,
        error: None,
    }
}

fn app(namespace: Option<&str>) -> App {
    let mut app = App::new("sandbox".into(), namespace.map(str::to_owned), false, false);
    app.on_msg(Msg::Snapshot(Arc::new(snapshot())));
    app
}

/// The frame as text, one line per terminal row (trailing blanks trimmed).
fn frame(app: &App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| view::draw(f, app)).unwrap();
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..height {
        let mut line = String::new();
        for x in 0..width {
            line.push_str(buffer[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
    app.on_key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

#[test]
fn the_table_is_sorted_by_urgency_at_80x24() {
    let app = app(None);
    let names: Vec<&str> = app.snapshot.rows.iter().map(|r| r.last.name.as_str()).collect();
    // FAILING first, MISSED next, then the quiet ones; SUSPENDED and OK last.
    assert_eq!(names[0], "nightly-backup");
    assert_eq!(app.snapshot.rows[0].last.verdict.as_str(), "FAILING");
    insta::assert_snapshot!("table_all_namespaces", frame(&app, 80, 24));
}

/// A run whose pod cannot pull its image: its Job active with no pod ready, the pod Pending in
/// `ImagePullBackOff` since `created`.
fn pending_pod(ns: &str, job: &str, created: &str) -> PodFacts {
    serde_json::from_value(json!({
        "metadata": {"name": format!("{job}-x7k2p"), "namespace": ns, "uid": format!("uid-{job}-pod"),
                     "creationTimestamp": created,
                     "ownerReferences": [{"kind": "Job", "name": job, "uid": format!("uid-{job}"),
                                          "controller": true}]},
        "spec": {"containers": [{"name": "main", "image": "registry.example/sync:missing"}]},
        "status": {"phase": "Pending", "containerStatuses": [{"name": "main", "state": {"waiting": {
            "reason": "ImagePullBackOff",
            "message": "Back-off pulling image \"registry.example/sync:missing\""}}}]}
    }))
    .unwrap()
}

#[test]
fn a_run_that_cannot_pull_its_image_is_stuck_as_lastrun_says() {
    let cronjobs = vec![
        cronjob("ops", "image-sync", "*/15 * * * *", false, Some("2025-03-01T11:45:00Z")),
        cronjob("ops", "hourly-sanity", "0 * * * *", false, Some("2025-03-01T12:00:00Z")),
    ];
    let mut waiting = job("ops", "image-sync", "image-sync-1", "2025-03-01T11:45:00Z", None);
    waiting.status.ready = Some(0);
    let jobs = vec![
        waiting,
        job("ops", "hourly-sanity", "hourly-sanity-1", "2025-03-01T12:00:05Z", Some(true)),
    ];
    let pods = vec![pending_pod("ops", "image-sync-1", "2025-03-01T11:45:01Z")];
    let rows = rows_for_test(cronjobs.clone(), jobs.clone(), pods.clone(), Vec::new(), now());
    // The same analysis as lastrun's, on the same facts.
    let seen_pods: Vec<&PodFacts> = pods.iter().collect();
    let observed = Observed {
        pods_by_job: [("uid-image-sync-1", seen_pods)].into_iter().collect(),
        events_by_uid: Default::default(),
        pending_for: default_pending_for(),
    };
    let lastrun = analyse_with(&cronjobs[0], &[&jobs[0]], &observed, now());
    assert_eq!(lastrun.verdict.as_str(), "STUCK");
    assert_eq!(rows[0].last, lastrun, "the dash row is lastrun's row");
    // Not yet past --pending-for (5m): PENDING, as lastrun says then.
    let early: jiff::Timestamp = "2025-03-01T11:48:00Z".parse().unwrap();
    let rows_early = rows_for_test(cronjobs, jobs, pods, Vec::new(), early);
    let row = rows_early.iter().find(|r| r.last.name == "image-sync").unwrap();
    assert_eq!(row.last.verdict.as_str(), "PENDING");
    let mut app = App::new("sandbox".into(), Some("ops".into()), false, false);
    let snapshot = Snapshot { rows, now: Some(now()), loaded: true, error: None };
    app.on_msg(Msg::Snapshot(Arc::new(snapshot)));
    insta::assert_snapshot!("table_stuck", frame(&app, 80, 8));
}

#[test]
fn one_namespace_drops_the_prefix_and_a_filter_narrows() {
    let mut app = app(Some("ops"));
    insta::assert_snapshot!("table_one_namespace", frame(&app, 80, 10));
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "sanity");
    assert_eq!(app.visible.len(), 1);
    insta::assert_snapshot!("table_filtering", frame(&app, 80, 10));
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "x");
    assert!(frame(&app, 80, 10).contains("No CronJob matches /sanityx"));
}

#[test]
fn read_only_hides_every_write_key() {
    let mut app = App::new("sandbox".into(), None, true, false);
    app.on_msg(Msg::Snapshot(Arc::new(snapshot())));
    let text = frame(&app, 80, 24);
    assert!(text.contains("[read-only]"));
    assert!(
        !text.contains("t trigger") && !text.contains("s suspend") && !text.contains("p prune")
    );
    // The keys do nothing either.
    for c in ['t', 's', 'r', 'n', 'N', 'p'] {
        assert!(key(&mut app, KeyCode::Char(c)).is_empty());
        assert!(matches!(app.overlay, Overlay::None), "{c}");
    }
    // Marks only serve suspend and resume: none in read-only.
    key(&mut app, KeyCode::Char(' '));
    assert!(app.marked.is_empty());
    // RBAC may not widen --read-only.
    app.on_msg(Msg::Perms(Perms::ALL));
    assert!(app.perms.read_only());
    insta::assert_snapshot!("help_read_only", {
        key(&mut app, KeyCode::Char('?'));
        frame(&app, 80, 24)
    });
}

#[test]
fn rbac_refusals_hide_only_their_keys() {
    let mut app = app(None);
    app.on_msg(Msg::Perms(Perms { trigger: true, patch: false, prune: true }));
    let text = frame(&app, 120, 24);
    assert!(text.contains("t trigger") && !text.contains("s suspend"), "{text}");
    app.on_msg(Msg::Refused(Perm::Trigger));
    assert!(frame(&app, 120, 24).contains("RBAC refused that write"));
    key(&mut app, KeyCode::Down);
    let text = frame(&app, 120, 24);
    assert!(!text.contains("t trigger") && text.contains("p prune"), "{text}");
    assert!(key(&mut app, KeyCode::Char('t')).is_empty());
}

#[test]
fn a_write_asks_then_runs_and_shows_its_result() {
    let mut app = app(None);
    assert!(key(&mut app, KeyCode::Char('t')).is_empty(), "nothing runs before the answer");
    insta::assert_snapshot!("confirm_trigger", frame(&app, 80, 24));
    let effects = key(&mut app, KeyCode::Char('y'));
    assert_eq!(effects, [Effect::Write(Write::Trigger("ops".into(), "nightly-backup".into()))]);
    let id = app.running_output().unwrap();
    app.on_msg(Msg::Output(id, "job.batch/nightly-backup-manual-abcde created".into()));
    app.on_msg(Msg::Notice("waiting for job.batch/nightly-backup-manual-abcde".into()));
    app.on_msg(Msg::OutputDone(id, "done".into()));
    insta::assert_snapshot!("output_trigger", frame(&app, 80, 24));
    key(&mut app, KeyCode::Esc);
    assert!(matches!(app.overlay, Overlay::None));
    // Any other answer than y changes nothing.
    key(&mut app, KeyCode::Char('n'));
    assert!(key(&mut app, KeyCode::Char('x')).is_empty());
    assert_eq!(app.status.as_deref(), Some("cancelled: nothing was changed"));
}

#[test]
fn suspend_acts_on_marked_rows_per_namespace() {
    let mut app = app(None);
    key(&mut app, KeyCode::Char(' ')); // ops/nightly-backup
    key(&mut app, KeyCode::Char(' ')); // the next one
    let marked = app.marked.clone();
    assert_eq!(marked.len(), 2);
    key(&mut app, KeyCode::Char('s'));
    let Overlay::Confirm(write, _) = &app.overlay else { panic!("no confirm") };
    let Write::Suspend(targets) = write else { panic!("{write:?}") };
    assert_eq!(targets.len(), 2);
    let commands = write.commands();
    for (ns, argv) in &commands {
        assert_eq!(argv[0], "suspend-all");
        assert!(targets.iter().filter(|(n, _)| n == ns).all(|(_, name)| argv.contains(name)));
    }
    let resume = Write::Resume(vec![("a".into(), "x".into()), ("b".into(), "y".into())]);
    assert_eq!(
        resume.commands(),
        [
            ("a".into(), vec!["resume".to_owned(), "x".into()]),
            ("b".into(), vec!["resume".to_owned(), "y".into()])
        ]
    );
}

#[test]
fn prune_shows_the_plan_before_asking() {
    let mut app = app(None);
    let effects = key(&mut app, KeyCode::Char('p'));
    assert_eq!(effects, [Effect::PrunePlan("ops".into(), "nightly-backup".into())]);
    let write = Write::Prune("ops".into(), "nightly-backup".into());
    app.on_msg(Msg::PrunePlan(
        write.clone(),
        Ok(vec!["NAME   AGE".into(), "job.batch/x  3d".into()]),
    ));
    let Overlay::Confirm(w, lines) = &app.overlay else { panic!("{:?}", app.overlay) };
    assert_eq!((w, lines.len()), (&write, 2));
    assert_eq!(
        write.commands()[0].1,
        ["prune", "--cronjob", "nightly-backup", "--keep-last", "1", "--yes"]
    );
    // Nothing to delete: no question at all.
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('p'));
    app.on_msg(Msg::PrunePlan(write, Ok(vec!["prune: nothing matches; nothing to delete".into()])));
    assert!(matches!(app.overlay, Overlay::None));
}

fn history() -> History {
    let job_value = |name: &str, created: &str, ok: bool| {
        let condition = if ok {
            json!({"type": "Complete", "status": "True"})
        } else {
            json!({"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded"})
        };
        json!({"metadata": {"name": name, "namespace": "ops", "uid": format!("u-{name}"),
                            "creationTimestamp": created,
                            "ownerReferences": [{"kind": "CronJob", "name": "nightly-backup", "uid": "c", "controller": true}]},
               "spec": {"template": {"spec": {"containers": [{"name": "main", "image": if ok {"backup:1"} else {"backup:2"}}]}}},
               "status": {"startTime": created, "completionTime": if ok {Some(created)} else {None},
                          "conditions": [condition]}})
    };
    let jobs: Vec<crate::runs::JobFacts> = vec![
        serde_json::from_value(job_value("nightly-backup-29011800", "2025-02-28T02:00:00Z", true))
            .unwrap(),
        serde_json::from_value(job_value("nightly-backup-29013240", "2025-03-01T02:00:00Z", false))
            .unwrap(),
    ];
    let mut runs: Vec<crate::runs::Run> =
        jobs.iter().map(|j| crate::runs::run_of(j, &[], Some("nightly-backup"), now())).collect();
    runs.reverse();
    runs[0].changes = vec!["image of main: backup:1 -> backup:2".into()];
    History {
        namespace: "ops".into(),
        name: "nightly-backup".into(),
        uid: "c".into(),
        schedule: "0 2 * * *".into(),
        runs,
        events: vec![GapEvent {
            at: Some("2025-03-01T02:00:00Z".parse().unwrap()),
            type_: "Warning".into(),
            reason: "FailedCreate".into(),
            message: "quota exceeded".into(),
            count: 2,
        }],
    }
}

#[test]
fn enter_opens_the_history_and_then_a_runs_logs() {
    let mut app = app(None);
    let effects = key(&mut app, KeyCode::Enter);
    assert_eq!(effects, [Effect::LoadHistory("ops".into(), "nightly-backup".into())]);
    insta::assert_snapshot!("history_loading", frame(&app, 80, 24));
    app.on_msg(Msg::History("ops".into(), "nightly-backup".into(), Ok(history())));
    insta::assert_snapshot!("history", frame(&app, 80, 24));
    let effects = key(&mut app, KeyCode::Enter);
    let [Effect::LoadLogs(ns, run)] = effects.as_slice() else { panic!("{effects:?}") };
    assert_eq!((ns.as_str(), run.name.as_str()), ("ops", "nightly-backup-29013240"));
    let lines: Vec<String> = (1..=40).map(|i| format!("backup step {i}")).collect();
    app.on_msg(Msg::LogLines(run.name.clone(), lines));
    app.on_msg(Msg::LogsDone(run.name.clone(), None));
    insta::assert_snapshot!("logs_top", frame(&app, 80, 24));
    key(&mut app, KeyCode::End);
    insta::assert_snapshot!("logs_end", frame(&app, 80, 24));
    key(&mut app, KeyCode::Esc);
    assert!(matches!(app.view, View::History(_)));
    key(&mut app, KeyCode::Esc);
    assert!(matches!(app.view, View::Table));
}

#[test]
fn an_active_run_is_followed() {
    let mut app = app(None);
    key(&mut app, KeyCode::Enter);
    let mut h = history();
    h.runs[0].result = crate::runs::RunResult::Running;
    app.on_msg(Msg::History("ops".into(), "nightly-backup".into(), Ok(h)));
    key(&mut app, KeyCode::Enter);
    let View::Logs(_, logs) = &app.view else { panic!() };
    assert!(logs.follow && logs.streaming);
    let job = logs.job.clone();
    app.on_msg(Msg::LogLines(job.clone(), (1..=50).map(|i| format!("line {i}")).collect()));
    let text = frame(&app, 80, 24);
    assert!(text.contains("line 50") && !text.contains("line 10\n"), "{text}");
    // Scrolling up stops following; End follows again.
    key(&mut app, KeyCode::Up);
    app.on_msg(Msg::LogLines(job.clone(), vec!["line 51".into()]));
    assert!(!frame(&app, 80, 24).contains("line 51"));
    key(&mut app, KeyCode::End);
    assert!(frame(&app, 80, 24).contains("line 51"));
    app.on_msg(Msg::LogsDone(job, Some("job.batch/x succeeded in 5s".into())));
    assert!(frame(&app, 80, 24).contains("succeeded in 5s"));
    // Leaving an active run's logs stops the stream.
    let mut app2 = app.clone();
    if let View::Logs(_, logs) = &mut app2.view {
        logs.streaming = true;
    }
    assert_eq!(key(&mut app2, KeyCode::Esc), [Effect::StopLogs]);
}

#[test]
fn colon_switches_namespace_or_context() {
    let mut app = app(None);
    key(&mut app, KeyCode::Char(':'));
    typed(&mut app, "ns ops");
    assert!(frame(&app, 80, 24).contains(":ns ops"));
    assert_eq!(
        key(&mut app, KeyCode::Enter),
        [Effect::Scope(ScopeChange::Namespace("ops".into()))]
    );
    key(&mut app, KeyCode::Char(':'));
    typed(&mut app, "ctx prod");
    assert_eq!(key(&mut app, KeyCode::Enter), [Effect::Scope(ScopeChange::Context("prod".into()))]);
    key(&mut app, KeyCode::Char(':'));
    typed(&mut app, "-A");
    assert_eq!(key(&mut app, KeyCode::Enter), [Effect::Scope(ScopeChange::AllNamespaces)]);
    key(&mut app, KeyCode::Char(':'));
    typed(&mut app, "bogus");
    assert!(key(&mut app, KeyCode::Enter).is_empty());
    assert!(app.status.as_deref().unwrap().starts_with("unknown command"));
    assert_eq!(
        app.on_key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)),
        [Effect::Quit]
    );
}

#[test]
fn the_cursor_stays_on_its_cronjob_when_rows_move_and_in_view_when_paging() {
    let mut app = app(None);
    key(&mut app, KeyCode::Down);
    let before = app.current().unwrap().key();
    // The same rows, reversed: the cursor follows its CronJob.
    let mut snap = snapshot();
    snap.rows.reverse();
    app.on_msg(Msg::Snapshot(Arc::new(snap)));
    assert_eq!(app.current().unwrap().key(), before);
    // A small terminal still shows the cursor's row.
    app.height = 5;
    key(&mut app, KeyCode::End);
    let text = frame(&app, 80, 5);
    assert!(text.contains(&app.current().unwrap().last.name), "{text}");
}

#[test]
fn colour_only_when_allowed() {
    let mut colored = app(None);
    colored.color = true;
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| view::draw(f, &colored)).unwrap();
    let any_color = |t: &Terminal<TestBackend>| {
        t.backend().buffer().content().iter().any(|c| c.fg != ratatui::style::Color::Reset)
    };
    assert!(any_color(&terminal));
    let plain = app(None);
    terminal.draw(|f| view::draw(f, &plain)).unwrap();
    assert!(!any_color(&terminal), "NO_COLOR: no colour at all");
}

#[test]
fn alt_key_is_esc_then_the_key() {
    // Esc on the table clears the filter; then `/` opens a new one: as typed, not Alt+/.
    let mut app = app(None);
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "sanity");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.visible.len(), 1);
    app.on_key(KeyEvent::new(KeyCode::Char('j'), KeyModifiers::ALT));
    assert_eq!(app.visible.len(), 5, "the Esc cleared the filter");
    // In a confirmation, Esc cancels: a quick Esc+y must not confirm.
    key(&mut app, KeyCode::Char('t'));
    let effects = app.on_key(KeyEvent::new(KeyCode::Char('y'), KeyModifiers::ALT));
    assert!(effects.iter().all(|e| !matches!(e, Effect::Write(_))), "{effects:?}");
    assert!(matches!(app.overlay, Overlay::None));
    assert!(app.running_output().is_none(), "nothing runs");
}

#[test]
fn a_long_output_line_wraps_and_the_result_stays_in_view() {
    let mut app = app(None);
    key(&mut app, KeyCode::Char('t'));
    key(&mut app, KeyCode::Char('y'));
    let id = app.running_output().unwrap();
    for n in 0..14 {
        app.on_msg(Msg::Output(id, format!("line {n}")));
    }
    let long = "prune: 2 deleted, 0 already gone, 0 changed since listed (left alone), 0 failed";
    app.on_msg(Msg::Output(id, long.into()));
    app.on_msg(Msg::OutputDone(id, "done".into()));
    let text = frame(&app, 80, 24);
    assert!(text.contains("│failed "), "the long line wraps at a space:\n{text}");
    assert!(text.contains("done") && text.contains("esc/enter: close"), "{text}");
}
