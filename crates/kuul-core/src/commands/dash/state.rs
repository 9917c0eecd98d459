//! The UI's state and what keys do to it: pure (no I/O, no terminal), so every view and every
//! key is unit-tested. Keys return [`Effect`]s the event loop carries out (loads, writes); the
//! results come back as [`Msg`]s.

use std::collections::BTreeSet;
use std::sync::Arc;

use jiff::Timestamp;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind};

use crate::commands::lastrun::Verdict;
use crate::runs::{History, Run, RunResult};

pub(crate) use crate::commands::lastrun::live::Row;

/// What the watches know, published by the data task.
#[derive(Debug, Clone, Default)]
pub(crate) struct Snapshot {
    /// Every CronJob, most urgent first.
    pub(crate) rows: Vec<Row>,
    /// The cluster's "now" the rows were computed at.
    pub(crate) now: Option<Timestamp>,
    /// The first lists are in.
    pub(crate) loaded: bool,
    /// The last error of a list or watch, if any.
    pub(crate) error: Option<String>,
}

/// Urgency rank: what needs a person first. `--check`'s verdicts, then the ones to keep an eye
/// on, then the quiet ones.
pub(crate) fn urgency(verdict: Verdict) -> u8 {
    match verdict {
        Verdict::Failing => 0,
        Verdict::Stuck => 1,
        Verdict::Missed => 2,
        Verdict::Broken => 3,
        Verdict::RunningLong => 4,
        Verdict::Pending => 5,
        Verdict::NeverRan => 6,
        Verdict::Suspended => 7,
        Verdict::Ok => 8,
    }
}

/// Which writes RBAC allows (SelfSubjectAccessReview, or the first 403).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Perms {
    /// create jobs.batch: trigger.
    pub(crate) trigger: bool,
    /// patch cronjobs.batch: suspend, resume, reschedule, restore.
    pub(crate) patch: bool,
    /// delete jobs.batch: prune.
    pub(crate) prune: bool,
}

impl Perms {
    /// Everything allowed (until RBAC says otherwise).
    pub(crate) const ALL: Perms = Perms { trigger: true, patch: true, prune: true };
    /// Nothing allowed: `--read-only`.
    pub(crate) const NONE: Perms = Perms { trigger: false, patch: false, prune: false };

    /// No write at all is allowed.
    pub(crate) fn read_only(self) -> bool {
        self == Perms::NONE
    }
}

/// The permission a write needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Perm {
    /// create jobs.batch.
    Trigger,
    /// patch cronjobs.batch.
    Patch,
    /// delete jobs.batch.
    Prune,
}

/// A write, carried out by the command of the same name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Write {
    /// `trigger NAME --wait --logs`: the run's log and result shown live.
    Trigger(String, String),
    /// `suspend-all NAME...` per namespace.
    Suspend(Vec<(String, String)>),
    /// `resume NAME...` per namespace.
    Resume(Vec<(String, String)>),
    /// `reschedule-next-minute NAME`.
    NextMinute(String, String),
    /// `reschedule-next-minute NAME --restore`.
    Restore(String, String),
    /// `prune --cronjob NAME --keep-last 1 --yes`.
    Prune(String, String),
}

/// `--keep-last` of the prune key: the newest finished run stays, so the verdict stays.
pub(crate) const PRUNE_KEEP_LAST: usize = 1;

impl Write {
    /// The permission it needs.
    pub(crate) fn perm(&self) -> Perm {
        match self {
            Write::Trigger(..) => Perm::Trigger,
            Write::Prune(..) => Perm::Prune,
            _ => Perm::Patch,
        }
    }

    /// The commands to run, one per namespace: `(namespace, argv after kubectl-kuul)`.
    pub(crate) fn commands(&self) -> Vec<(String, Vec<String>)> {
        let one = |ns: &str, argv: &[&str]| {
            vec![(ns.to_owned(), argv.iter().map(|s| (*s).to_owned()).collect())]
        };
        match self {
            Write::Trigger(ns, name) => one(ns, &["trigger", name, "--wait", "--logs"]),
            Write::NextMinute(ns, name) => one(ns, &["reschedule-next-minute", name]),
            Write::Restore(ns, name) => one(ns, &["reschedule-next-minute", name, "--restore"]),
            Write::Prune(ns, name) => one(
                ns,
                &["prune", "--cronjob", name, "--keep-last", &PRUNE_KEEP_LAST.to_string(), "--yes"],
            ),
            Write::Suspend(targets) | Write::Resume(targets) => {
                let verb = if matches!(self, Write::Suspend(_)) { "suspend-all" } else { "resume" };
                let namespaces: BTreeSet<&str> =
                    targets.iter().map(|(ns, _)| ns.as_str()).collect();
                namespaces
                    .into_iter()
                    .map(|ns| {
                        let mut argv = vec![verb.to_owned()];
                        argv.extend(
                            targets.iter().filter(|(n, _)| n == ns).map(|(_, name)| name.clone()),
                        );
                        (ns.to_owned(), argv)
                    })
                    .collect()
            }
        }
    }

    /// The question asked before it runs.
    pub(crate) fn question(&self) -> String {
        let names = |targets: &[(String, String)]| -> String {
            let mut shown: Vec<String> =
                targets.iter().take(3).map(|(ns, n)| format!("{ns}/{n}")).collect();
            if targets.len() > 3 {
                shown.push(format!("and {} more", targets.len() - 3));
            }
            shown.join(", ")
        };
        match self {
            Write::Trigger(ns, n) => {
                format!("Trigger {ns}/{n} now (a manual Job) and wait for it?")
            }
            Write::Suspend(t) => format!("Suspend {} CronJob(s): {}?", t.len(), names(t)),
            Write::Resume(t) => format!("Resume {} CronJob(s): {}?", t.len(), names(t)),
            Write::NextMinute(ns, n) => {
                format!("Reschedule {ns}/{n} to fire at the next minute (schedule saved)?")
            }
            Write::Restore(ns, n) => format!("Restore the saved schedule of {ns}/{n}?"),
            Write::Prune(ns, n) => format!(
                "Delete these finished Jobs of {ns}/{n} (keeping the newest {PRUNE_KEEP_LAST})?"
            ),
        }
    }

    /// The command lines, as a user would type them (shown in the dialog and the output).
    pub(crate) fn command_lines(&self) -> Vec<String> {
        self.commands()
            .into_iter()
            .map(|(ns, argv)| format!("kubectl kuul {} -n {ns}", argv.join(" ")))
            .collect()
    }
}

/// What the event loop should do.
#[derive(Debug, Clone)]
pub(crate) enum Effect {
    /// Load a CronJob's history (runs and events).
    LoadHistory(String, String),
    /// Show a run's logs (follow it when active).
    LoadLogs(String, Box<Run>),
    /// Stop the logs being followed.
    StopLogs,
    /// Work out prune's plan (`--dry-run=client`) before asking.
    PrunePlan(String, String),
    /// Carry out a write (already confirmed).
    Write(Write),
    /// Look somewhere else.
    Scope(ScopeChange),
    /// Leave.
    Quit,
}

impl PartialEq for Effect {
    fn eq(&self, other: &Effect) -> bool {
        match (self, other) {
            (Effect::LoadHistory(a, b), Effect::LoadHistory(c, d))
            | (Effect::PrunePlan(a, b), Effect::PrunePlan(c, d)) => (a, b) == (c, d),
            (Effect::LoadLogs(a, b), Effect::LoadLogs(c, d)) => (a, &b.name) == (c, &d.name),
            (Effect::StopLogs, Effect::StopLogs) | (Effect::Quit, Effect::Quit) => true,
            (Effect::Write(a), Effect::Write(b)) => a == b,
            (Effect::Scope(a), Effect::Scope(b)) => a == b,
            _ => false,
        }
    }
}

/// `:` commands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ScopeChange {
    /// `:ns NAME`.
    Namespace(String),
    /// `:ns all`, `:all`, `:-A`.
    AllNamespaces,
    /// `:ctx NAME`.
    Context(String),
}

/// What the event loop reports back.
#[derive(Debug)]
pub(crate) enum Msg {
    /// New rows.
    Snapshot(Arc<Snapshot>),
    /// A history came in (or failed).
    History(String, String, Result<History, String>),
    /// Lines of the logs being shown.
    LogLines(String, Vec<String>),
    /// The logs ended (finished run shown, or the followed run ended), with a last line.
    LogsDone(String, Option<String>),
    /// Output of a write in progress.
    Output(u64, String),
    /// A write ended: its last line (`done`, `error: ...`).
    OutputDone(u64, String),
    /// The plan prune would carry out, or why there is none.
    PrunePlan(Write, Result<Vec<String>, String>),
    /// What RBAC allows.
    Perms(Perms),
    /// RBAC refused a write: hide its keys.
    Refused(Perm),
    /// A notice a command wrote (instead of stderr).
    Notice(String),
}

/// The history screen.
#[derive(Debug, Clone)]
pub(crate) struct HistoryView {
    pub(crate) namespace: String,
    pub(crate) name: String,
    pub(crate) history: Option<History>,
    pub(crate) error: Option<String>,
    pub(crate) cursor: usize,
}

/// The logs screen.
#[derive(Debug, Clone)]
pub(crate) struct LogsView {
    pub(crate) job: String,
    pub(crate) lines: Vec<String>,
    /// First line shown, when not following.
    pub(crate) top: usize,
    /// Keep the newest line in view.
    pub(crate) follow: bool,
    /// Still streaming.
    pub(crate) streaming: bool,
    /// How it ended (`job.batch/x succeeded in 5s`).
    pub(crate) ended: Option<String>,
}

/// The screens, innermost last.
#[derive(Debug, Clone)]
pub(crate) enum View {
    Table,
    History(HistoryView),
    Logs(HistoryView, LogsView),
}

/// A write's output window.
#[derive(Debug, Clone)]
pub(crate) struct Output {
    pub(crate) id: u64,
    pub(crate) title: String,
    pub(crate) lines: Vec<String>,
    pub(crate) done: Option<String>,
}

/// What floats above the screen.
#[derive(Debug, Clone)]
pub(crate) enum Overlay {
    None,
    Help,
    /// Asking before a write: the question and what will run (prune: its plan).
    Confirm(Write, Vec<String>),
    /// Prune's plan is being worked out.
    Planning(Write),
    Output(Output),
    /// Typing a `/` filter.
    Filter,
    /// Typing a `:` command.
    Command(String),
}

/// The whole UI state.
#[derive(Debug, Clone)]
pub(crate) struct App {
    pub(crate) snapshot: Arc<Snapshot>,
    /// Indices into `snapshot.rows` that pass the filter.
    pub(crate) visible: Vec<usize>,
    pub(crate) filter: String,
    pub(crate) cursor: usize,
    /// Marked rows (space), by namespace/name.
    pub(crate) marked: BTreeSet<(String, String)>,
    pub(crate) view: View,
    pub(crate) overlay: Overlay,
    pub(crate) perms: Perms,
    /// `--read-only` was given.
    pub(crate) read_only_flag: bool,
    /// Context name, for the title.
    pub(crate) context: String,
    /// Namespace in view (`None`: all).
    pub(crate) namespace: Option<String>,
    pub(crate) color: bool,
    pub(crate) status: Option<String>,
    /// Terminal rows, for paging.
    pub(crate) height: u16,
    next_output: u64,
}

/// Lines a page moves.
fn page(height: u16) -> usize {
    usize::from(height.saturating_sub(4)).max(1)
}

impl App {
    /// A fresh UI for `context` and `namespace`.
    pub(crate) fn new(
        context: String,
        namespace: Option<String>,
        read_only: bool,
        color: bool,
    ) -> App {
        App {
            snapshot: Arc::new(Snapshot::default()),
            visible: Vec::new(),
            filter: String::new(),
            cursor: 0,
            marked: BTreeSet::new(),
            view: View::Table,
            overlay: Overlay::None,
            perms: if read_only { Perms::NONE } else { Perms::ALL },
            read_only_flag: read_only,
            context,
            namespace,
            color,
            status: None,
            height: 24,
            next_output: 1,
        }
    }

    /// The same with the terminal's height known.
    pub(crate) fn with_height(mut self, height: u16) -> App {
        self.height = height;
        self
    }

    /// Whether a write needing `perm` may be offered.
    pub(crate) fn allowed(&self, perm: Perm) -> bool {
        match perm {
            Perm::Trigger => self.perms.trigger,
            Perm::Patch => self.perms.patch,
            Perm::Prune => self.perms.prune,
        }
    }

    /// The row under the cursor.
    pub(crate) fn current(&self) -> Option<&Row> {
        self.visible.get(self.cursor).and_then(|&i| self.snapshot.rows.get(i))
    }

    /// Recomputes the rows that pass the filter, keeping the cursor on the same CronJob.
    pub(crate) fn refilter(&mut self) {
        let keep = self.current().map(Row::key);
        self.refilter_keeping(keep);
    }

    fn refilter_keeping(&mut self, keep: Option<(String, String)>) {
        let needle = self.filter.to_lowercase();
        self.visible = self
            .snapshot
            .rows
            .iter()
            .enumerate()
            .filter(|(_, row)| needle.is_empty() || matches_filter(row, &needle))
            .map(|(i, _)| i)
            .collect();
        if let Some(keep) = keep
            && let Some(pos) =
                self.visible.iter().position(|&i| self.snapshot.rows[i].key() == keep)
        {
            self.cursor = pos;
        }
        self.cursor = self.cursor.min(self.visible.len().saturating_sub(1));
    }

    /// The CronJob whose history is in view, with its row's run marks (a change means new
    /// or finished runs: time to reload the history).
    pub(crate) fn history_row(&self) -> Option<((String, String), String)> {
        let View::History(h) = &self.view else { return None };
        let key = (h.namespace.clone(), h.name.clone());
        let strip = self.snapshot.rows.iter().find(|r| r.key() == key).map(|r| r.strip.clone());
        Some((key, strip.unwrap_or_default()))
    }

    /// The id of the next write's output.
    fn output_id(&mut self) -> u64 {
        let id = self.next_output;
        self.next_output += 1;
        id
    }

    /// Applies a report from the event loop.
    pub(crate) fn on_msg(&mut self, msg: Msg) {
        match msg {
            Msg::Snapshot(snapshot) => {
                let keep = self.current().map(Row::key);
                self.snapshot = snapshot;
                self.refilter_keeping(keep);
            }
            Msg::History(ns, name, result) => {
                let view = match &mut self.view {
                    View::History(h) | View::Logs(h, _) => h,
                    View::Table => return,
                };
                if view.namespace != ns || view.name != name {
                    return;
                }
                match result {
                    Ok(history) => {
                        view.cursor = view.cursor.min(history.runs.len().saturating_sub(1));
                        view.history = Some(history);
                        view.error = None;
                    }
                    Err(err) => view.error = Some(err),
                }
            }
            Msg::LogLines(job, lines) => {
                if let View::Logs(_, logs) = &mut self.view
                    && logs.job == job
                {
                    logs.lines.extend(lines);
                }
            }
            Msg::LogsDone(job, last) => {
                if let View::Logs(_, logs) = &mut self.view
                    && logs.job == job
                {
                    logs.streaming = false;
                    logs.lines.extend(last.clone());
                    logs.ended = last;
                }
            }
            Msg::Output(id, line) => {
                if let Overlay::Output(out) = &mut self.overlay
                    && out.id == id
                {
                    out.lines.push(line);
                }
            }
            Msg::OutputDone(id, line) => {
                if let Overlay::Output(out) = &mut self.overlay
                    && out.id == id
                {
                    out.done = Some(line);
                } else {
                    self.status = Some(line);
                }
            }
            Msg::PrunePlan(write, result) => {
                if !matches!(&self.overlay, Overlay::Planning(w) if *w == write) {
                    return;
                }
                self.overlay = match result {
                    Ok(lines) if lines.iter().any(|l| l.contains("nothing to delete")) => {
                        self.status = Some(lines.join(" "));
                        Overlay::None
                    }
                    Ok(lines) => Overlay::Confirm(write, lines),
                    Err(err) => {
                        self.status = Some(err);
                        Overlay::None
                    }
                };
            }
            Msg::Perms(perms) => {
                if !self.read_only_flag {
                    self.perms = perms;
                }
            }
            Msg::Refused(perm) => {
                match perm {
                    Perm::Trigger => self.perms.trigger = false,
                    Perm::Patch => self.perms.patch = false,
                    Perm::Prune => self.perms.prune = false,
                }
                self.status = Some("RBAC refused that write: its keys are hidden now".into());
            }
            Msg::Notice(text) => {
                if let Overlay::Output(out) = &mut self.overlay
                    && out.done.is_none()
                {
                    out.lines.push(text);
                } else if let View::Logs(_, logs) = &mut self.view
                    && logs.streaming
                {
                    logs.lines.push(text);
                } else {
                    self.status = Some(text);
                }
            }
        }
    }

    /// Opens the output window of a confirmed write.
    fn start_write(&mut self, write: Write) -> Vec<Effect> {
        let id = self.output_id();
        self.overlay = Overlay::Output(Output {
            id,
            title: write.question().trim_end_matches('?').to_owned(),
            lines: write.command_lines().into_iter().map(|l| format!("$ {l}")).collect(),
            done: None,
        });
        vec![Effect::Write(write)]
    }

    /// The output id the loop must tag the running write with.
    pub(crate) fn running_output(&self) -> Option<u64> {
        match &self.overlay {
            Overlay::Output(out) if out.done.is_none() => Some(out.id),
            _ => None,
        }
    }

    /// The CronJob the write keys act on: the history's, else the cursor's.
    fn target(&self) -> Option<(String, String)> {
        match &self.view {
            View::History(h) | View::Logs(h, _) => Some((h.namespace.clone(), h.name.clone())),
            View::Table => self.current().map(Row::key),
        }
    }

    /// Marked rows, else the cursor's (suspend/resume act on them all).
    fn targets(&self) -> Vec<(String, String)> {
        if matches!(self.view, View::Table) && !self.marked.is_empty() {
            return self.marked.iter().cloned().collect();
        }
        self.target().into_iter().collect()
    }

    /// A mouse event: the wheel scrolls, a click picks a row.
    pub(crate) fn on_mouse(&mut self, event: MouseEvent) -> Vec<Effect> {
        let code = match event.kind {
            MouseEventKind::ScrollDown => KeyCode::Down,
            MouseEventKind::ScrollUp => KeyCode::Up,
            MouseEventKind::Down(_) if matches!(self.view, View::Table) => {
                // Row 0 is the title, row 1 the header.
                let row = usize::from(event.row);
                let first = self.first_visible_row();
                if row >= 2 && first + row - 2 < self.visible.len() {
                    self.cursor = first + row - 2;
                }
                return Vec::new();
            }
            _ => return Vec::new(),
        };
        self.on_key(KeyEvent::new(code, KeyModifiers::NONE))
    }

    /// The table's first row in view (the cursor's row is always in view).
    pub(crate) fn first_visible_row(&self) -> usize {
        let rows = usize::from(self.height.saturating_sub(3)).max(1);
        (self.cursor + 1).saturating_sub(rows)
    }

    /// A key press.
    pub(crate) fn on_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        // A terminal sends Alt+key as ESC then the key; an Esc followed quickly by a key (a
        // fast typist, tmux send-keys) arrives the same way. The dash binds no Alt keys: take
        // it as what was typed, Esc then the key.
        if key.modifiers.contains(KeyModifiers::ALT) {
            let mut effects = self.on_key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
            if effects.iter().any(|e| matches!(e, Effect::Quit)) {
                return effects;
            }
            let rest = KeyEvent::new(key.code, key.modifiers.difference(KeyModifiers::ALT));
            effects.extend(self.on_key(rest));
            return effects;
        }
        if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
            return vec![Effect::Quit];
        }
        match &mut self.overlay {
            Overlay::None => {}
            Overlay::Help => {
                self.overlay = Overlay::None;
                return if key.code == KeyCode::Char('q') {
                    vec![Effect::Quit]
                } else {
                    Vec::new()
                };
            }
            Overlay::Confirm(write, _) => {
                let write = write.clone();
                return match key.code {
                    KeyCode::Char('y' | 'Y') => self.start_write(write),
                    _ => {
                        self.overlay = Overlay::None;
                        self.status = Some("cancelled: nothing was changed".into());
                        Vec::new()
                    }
                };
            }
            Overlay::Planning(_) => {
                if key.code == KeyCode::Esc {
                    self.overlay = Overlay::None;
                }
                return Vec::new();
            }
            Overlay::Output(_) => {
                if matches!(key.code, KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q')) {
                    self.overlay = Overlay::None;
                }
                return Vec::new();
            }
            Overlay::Filter => {
                match key.code {
                    KeyCode::Esc => {
                        self.filter.clear();
                        self.overlay = Overlay::None;
                    }
                    KeyCode::Enter => self.overlay = Overlay::None,
                    KeyCode::Backspace => {
                        self.filter.pop();
                    }
                    KeyCode::Char(c) => self.filter.push(c),
                    _ => {}
                }
                self.refilter();
                return Vec::new();
            }
            Overlay::Command(text) => {
                match key.code {
                    KeyCode::Esc => self.overlay = Overlay::None,
                    KeyCode::Backspace => {
                        text.pop();
                    }
                    KeyCode::Char(c) => text.push(c),
                    KeyCode::Enter => {
                        let text = std::mem::take(text);
                        self.overlay = Overlay::None;
                        return match parse_command(&text) {
                            Ok(change) => {
                                self.status = None;
                                vec![Effect::Scope(change)]
                            }
                            Err(err) => {
                                self.status = Some(err);
                                Vec::new()
                            }
                        };
                    }
                    _ => {}
                }
                return Vec::new();
            }
        }
        self.status = None;
        match key.code {
            KeyCode::Char('q') => return vec![Effect::Quit],
            KeyCode::Char('?') => {
                self.overlay = Overlay::Help;
                return Vec::new();
            }
            KeyCode::Char(':') => {
                self.overlay = Overlay::Command(String::new());
                return Vec::new();
            }
            _ => {}
        }
        if let Some(effects) = self.write_key(key.code) {
            return effects;
        }
        match &mut self.view {
            View::Table => self.table_key(key.code),
            View::History(_) => self.history_key(key.code),
            View::Logs(..) => self.logs_key(key.code),
        }
    }

    /// The write keys, wherever a CronJob is in view (hidden, and inert, without permission).
    fn write_key(&mut self, code: KeyCode) -> Option<Vec<Effect>> {
        let target = self.target();
        let write = match (code, target) {
            (KeyCode::Char('t'), Some((ns, n))) => Write::Trigger(ns, n),
            (KeyCode::Char('s'), Some(_)) => Write::Suspend(self.targets()),
            (KeyCode::Char('r'), Some(_)) => Write::Resume(self.targets()),
            (KeyCode::Char('n'), Some((ns, n))) => Write::NextMinute(ns, n),
            (KeyCode::Char('N'), Some((ns, n))) => Write::Restore(ns, n),
            (KeyCode::Char('p'), Some((ns, n))) => Write::Prune(ns, n),
            _ => return None,
        };
        if !self.allowed(write.perm()) {
            return Some(Vec::new());
        }
        if let Write::Prune(ns, n) = &write {
            let effect = Effect::PrunePlan(ns.clone(), n.clone());
            self.overlay = Overlay::Planning(write);
            return Some(vec![effect]);
        }
        let lines = write.command_lines();
        self.overlay = Overlay::Confirm(write, lines);
        Some(Vec::new())
    }

    fn table_key(&mut self, code: KeyCode) -> Vec<Effect> {
        let last = self.visible.len().saturating_sub(1);
        match code {
            KeyCode::Down | KeyCode::Char('j') => self.cursor = (self.cursor + 1).min(last),
            KeyCode::Up | KeyCode::Char('k') => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::PageDown => self.cursor = (self.cursor + page(self.height)).min(last),
            KeyCode::PageUp => self.cursor = self.cursor.saturating_sub(page(self.height)),
            KeyCode::Home | KeyCode::Char('g') => self.cursor = 0,
            KeyCode::End | KeyCode::Char('G') => self.cursor = last,
            KeyCode::Char('/') => self.overlay = Overlay::Filter,
            KeyCode::Char(' ') if self.allowed(Perm::Patch) => {
                if let Some(key) = self.current().map(Row::key)
                    && !self.marked.remove(&key)
                {
                    self.marked.insert(key);
                }
                self.cursor = (self.cursor + 1).min(last);
            }
            KeyCode::Esc => {
                self.marked.clear();
                self.filter.clear();
                self.refilter();
            }
            KeyCode::Enter | KeyCode::Right | KeyCode::Char('l') => {
                if let Some((ns, name)) = self.current().map(Row::key) {
                    self.view = View::History(HistoryView {
                        namespace: ns.clone(),
                        name: name.clone(),
                        history: None,
                        error: None,
                        cursor: 0,
                    });
                    return vec![Effect::LoadHistory(ns, name)];
                }
            }
            _ => {}
        }
        Vec::new()
    }

    fn history_key(&mut self, code: KeyCode) -> Vec<Effect> {
        let View::History(h) = &mut self.view else { return Vec::new() };
        let runs = h.history.as_ref().map_or(0, |h| h.runs.len());
        match code {
            KeyCode::Esc | KeyCode::Backspace | KeyCode::Left | KeyCode::Char('h') => {
                self.view = View::Table;
            }
            KeyCode::Down | KeyCode::Char('j') => {
                h.cursor = (h.cursor + 1).min(runs.saturating_sub(1));
            }
            KeyCode::Up | KeyCode::Char('k') => h.cursor = h.cursor.saturating_sub(1),
            KeyCode::Char('R') => {
                return vec![Effect::LoadHistory(h.namespace.clone(), h.name.clone())];
            }
            KeyCode::Enter | KeyCode::Right | KeyCode::Char('l') => {
                let Some(run) = h.history.as_ref().and_then(|x| x.runs.get(h.cursor)) else {
                    return Vec::new();
                };
                if run.result == RunResult::Deleted {
                    self.status = Some(format!("job.batch/{} is gone: no logs", run.name));
                    return Vec::new();
                }
                let run = run.clone();
                let active = matches!(run.result, RunResult::Running | RunResult::Pending);
                let logs = LogsView {
                    job: run.name.clone(),
                    lines: Vec::new(),
                    top: 0,
                    follow: active,
                    streaming: true,
                    ended: None,
                };
                let ns = h.namespace.clone();
                self.view = View::Logs(h.clone(), logs);
                return vec![Effect::LoadLogs(ns, Box::new(run))];
            }
            _ => {}
        }
        Vec::new()
    }

    fn logs_key(&mut self, code: KeyCode) -> Vec<Effect> {
        let View::Logs(h, logs) = &mut self.view else { return Vec::new() };
        // The title, the logs' top border and the footer take three rows.
        let shown = usize::from(self.height.saturating_sub(3)).max(1);
        let bottom = logs.lines.len().saturating_sub(shown);
        let top = if logs.follow { bottom } else { logs.top.min(bottom) };
        match code {
            KeyCode::Esc | KeyCode::Backspace | KeyCode::Left | KeyCode::Char('h') => {
                let stop = logs.streaming;
                self.view = View::History(h.clone());
                return if stop { vec![Effect::StopLogs] } else { Vec::new() };
            }
            KeyCode::Down | KeyCode::Char('j') => logs.top = (top + 1).min(bottom),
            KeyCode::Up | KeyCode::Char('k') => logs.top = top.saturating_sub(1),
            KeyCode::PageDown | KeyCode::Char(' ') => logs.top = (top + shown).min(bottom),
            KeyCode::PageUp => logs.top = top.saturating_sub(shown),
            KeyCode::Home | KeyCode::Char('g') => logs.top = 0,
            KeyCode::End | KeyCode::Char('G') | KeyCode::Char('f') => {
                logs.follow = true;
                return Vec::new();
            }
            _ => return Vec::new(),
        }
        logs.follow = logs.top >= bottom && logs.streaming;
        Vec::new()
    }
}

/// Whether a row matches a (lower-case) filter: name, namespace, verdict or schedule.
fn matches_filter(row: &Row, needle: &str) -> bool {
    let last = &row.last;
    last.name.to_lowercase().contains(needle)
        || last.namespace.to_lowercase().contains(needle)
        || last.verdict.as_str().to_lowercase().contains(needle)
        || last.schedule.contains(needle)
}

/// `:ns NAME`, `:ns all`, `:all`, `:-A`, `:ctx NAME` (k9s' spellings where they exist).
pub(crate) fn parse_command(text: &str) -> Result<ScopeChange, String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    match words.as_slice() {
        ["ns" | "namespace" | "-n", "all" | "-A" | "*"] | ["all" | "-A"] => {
            Ok(ScopeChange::AllNamespaces)
        }
        ["ns" | "namespace" | "-n", name] => Ok(ScopeChange::Namespace((*name).to_owned())),
        ["ctx" | "context" | "--context", name] => Ok(ScopeChange::Context((*name).to_owned())),
        _ => Err(format!("unknown command \":{text}\": use :ns NAME, :ns all (or :-A), :ctx NAME")),
    }
}

/// The runs in a history, as the history screen lists them (newest first).
pub(crate) fn runs(view: &HistoryView) -> &[Run] {
    view.history.as_ref().map_or(&[][..], |h| h.runs.as_slice())
}
