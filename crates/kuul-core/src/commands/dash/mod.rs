//! `kubectl kuul dash`: a terminal UI for periodic jobs. The lastrun table live from watches,
//! sorted by urgency; a CronJob's history and events; a run's logs (followed while active);
//! the write commands behind keys, each confirmed first and carried out by the command itself
//! (same code path, annotations and safety); read-only by flag or when RBAC refuses writes.
//!
//! - [`state`]: the UI state and what keys do (pure, unit-tested);
//! - [`view`]: state to frame (pure, snapshot-tested with ratatui's `TestBackend`);
//! - [`data`]: lastrun's lists, then watches, into rows;
//! - this module: the terminal (restored on quit, panic, Ctrl-C, SIGTERM), the event loop,
//!   and the effects: history and logs loads, writes, RBAC checks.

mod data;
mod state;
mod view;

#[cfg(test)]
mod tests;

use std::io::{IsTerminal, Write as _};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use clap::Parser;
use ratatui::crossterm::event::{self, Event, KeyEventKind};
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};
use tokio::task::JoinHandle;

use crate::cli::{Cli, Command, KubeArgs};
use crate::cluster::{self, Cluster, ListOptions};
use crate::commands::{logs, prune, reschedule_next_minute, resume, suspend_all, trigger};
use crate::context::Context;
use crate::error::{Error, ExitStatus, Result};
use crate::follow::{self, FollowOptions};
use crate::output::{OutputFormat, Printer};
use crate::runs::{self, Run, RunResult};
use state::{App, Effect, Msg, Perms, ScopeChange, Write};

/// Arguments of `dash`.
#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Keys: ⏎ history / logs, / filter, :ns NAME, :ns all, :ctx NAME, space mark,
t trigger (waits), s suspend, r resume, n next minute, N restore, p prune, ? help, q quit.
Every write asks first and runs the command of the same name (kubectl kuul trigger, ...).

Examples:
  kubectl kuul dash -A                    # every namespace
  kubectl kuul dash -n ops --read-only    # look, never touch
  kubectl kuul dash --context prod -l team=db"
)]
pub struct Args {
    /// Never write: hide the trigger, suspend, resume, reschedule and prune keys (also
    /// automatic when RBAC refuses them)
    #[arg(long)]
    pub read_only: bool,
    /// Let the mouse scroll and pick rows (it then takes over the terminal's text selection)
    #[arg(long)]
    pub mouse: bool,
    /// A run whose pod has been Pending (or whose Job could not create one) longer than this is
    /// STUCK (as `lastrun --pending-for`)
    #[arg(long, value_parser = crate::commands::lastrun::parse_duration, value_name = "DURATION",
          default_value = crate::commands::lastrun::DEFAULT_PENDING_FOR)]
    pub pending_for: jiff::SignedDuration,
}

/// Runs `dash`.
pub async fn run(ctx: &Context, args: Args, _out: &mut Printer<'_>) -> Result<ExitStatus> {
    ctx.check_scope_flags()?;
    let selector = ctx.label_selector()?;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(Error::Usage(
            "dash draws on a terminal, and stdin/stdout is not one: for scripts, use \
             kubectl kuul lastrun"
                .into(),
        ));
    }
    // Connect before the screen changes, so a bad kubeconfig or context errors as usual.
    let scope = ctx.scope().await?;
    let connection = ctx.connection().await?;
    let started = Instant::now();
    let mut app = App::new(
        connection.context.clone().unwrap_or_else(|| "<no context>".into()),
        scope.namespace().map(str::to_owned),
        args.read_only,
        ctx.color,
    );
    let kube = ctx.kube_args().clone();
    let mut terminal = ratatui::try_init().map_err(io("starting the terminal UI"))?;
    install_panic_hook(args.mouse);
    if args.mouse {
        let _ = ratatui::crossterm::execute!(
            std::io::stdout(),
            ratatui::crossterm::event::EnableMouseCapture
        );
    }
    let (tx, rx) = unbounded_channel();
    let notices = tx.clone();
    crate::notice::capture(Some(Box::new(move |text: &str| {
        let _ = notices.send(Msg::Notice(text.to_owned()));
    })));
    let mut session = Session {
        kube,
        cluster: connection.cluster.clone(),
        selector,
        pending_for: args.pending_for,
        tx,
        data: None,
        logs: None,
        read_only: args.read_only,
        latency: std::env::var_os("KUUL_DASH_LATENCY_LOG").map(std::path::PathBuf::from),
        started,
    };
    let result = tokio::task::LocalSet::new()
        .run_until(session.event_loop(&mut terminal, &mut app, rx))
        .await;
    crate::notice::capture(None);
    if let Some(data) = session.data.take() {
        data.abort();
    }
    restore_terminal(args.mouse);
    result.map(|()| ExitStatus::Success)
}

fn io(what: &'static str) -> impl Fn(std::io::Error) -> Error {
    move |source| Error::Io { context: what.into(), source }
}

fn restore_terminal(mouse: bool) {
    if mouse {
        let _ = ratatui::crossterm::execute!(
            std::io::stdout(),
            ratatui::crossterm::event::DisableMouseCapture
        );
    }
    let _ = ratatui::try_restore();
}

/// On a panic anywhere (a task included), the terminal is restored first and the process ends,
/// so the message is readable and the shell is never left in raw mode.
fn install_panic_hook(mouse: bool) {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal(mouse);
        previous(info);
        std::process::exit(101);
    }));
}

struct Session {
    kube: KubeArgs,
    cluster: Cluster,
    selector: Option<String>,
    /// `--pending-for`.
    pending_for: jiff::SignedDuration,
    tx: UnboundedSender<Msg>,
    data: Option<JoinHandle<()>>,
    logs: Option<JoinHandle<()>>,
    read_only: bool,
    latency: Option<std::path::PathBuf>,
    started: Instant,
}

/// Reads terminal events on a thread of its own (crossterm's reads block).
fn input_thread(tx: UnboundedSender<Event>, stop: Arc<AtomicBool>) {
    std::thread::spawn(move || {
        while !stop.load(Ordering::Relaxed) {
            match event::poll(Duration::from_millis(100)) {
                Ok(true) => match event::read() {
                    Ok(ev) => {
                        if tx.send(ev).is_err() {
                            return;
                        }
                    }
                    Err(_) => return,
                },
                Ok(false) => {}
                Err(_) => return,
            }
        }
    });
}

impl Session {
    fn namespace(&self) -> Option<String> {
        (!self.kube.all_namespaces).then(|| self.kube.namespace.clone()).flatten()
    }

    fn start_data(&mut self, namespace: Option<String>) {
        if let Some(old) = self.data.take() {
            old.abort();
        }
        let scope = data::Scope {
            namespace: namespace.clone(),
            selector: self.selector.clone(),
            pending_for: self.pending_for,
        };
        self.data = Some(tokio::spawn(data::run(self.cluster.clone(), scope, self.tx.clone())));
        if !self.read_only {
            let cluster = self.cluster.clone();
            let tx = self.tx.clone();
            tokio::task::spawn_local(async move {
                let perms = permissions(&cluster, namespace.as_deref()).await;
                let _ = tx.send(Msg::Perms(perms));
            });
        }
    }

    async fn event_loop(
        &mut self,
        terminal: &mut ratatui::DefaultTerminal,
        app: &mut App,
        mut rx: tokio::sync::mpsc::UnboundedReceiver<Msg>,
    ) -> Result<()> {
        let (input_tx, mut input) = unbounded_channel();
        let stop = Arc::new(AtomicBool::new(false));
        input_thread(input_tx, stop.clone());
        let _stop_input = StopOnDrop(stop);
        if let Ok(size) = terminal.size() {
            app.height = size.height;
        }
        self.start_data(app.namespace.clone());
        let interrupted = crate::interrupt::interrupted();
        tokio::pin!(interrupted);
        let mut key_at: Option<Instant> = None;
        let mut first_frame = false;
        loop {
            terminal.draw(|frame| view::draw(frame, app)).map_err(io("drawing"))?;
            if let Some(at) = key_at.take() {
                self.log_latency(&format!("key_to_frame_us {}", at.elapsed().as_micros()));
            }
            if !first_frame && app.snapshot.loaded {
                first_frame = true;
                self.log_latency(&format!("first_frame_ms {}", self.started.elapsed().as_millis()));
            }
            let effects = tokio::select! {
                biased;
                () = &mut interrupted => return Ok(()),
                ev = input.recv() => {
                    match ev {
                        Some(Event::Key(key)) if key.kind != KeyEventKind::Release => {
                            key_at = Some(Instant::now());
                            app.on_key(key)
                        }
                        Some(Event::Mouse(mouse)) => app.on_mouse(mouse),
                        Some(Event::Resize(_, height)) => { app.height = height; Vec::new() }
                        Some(_) => Vec::new(),
                        None => return Ok(()),
                    }
                }
                msg = rx.recv() => {
                    let Some(msg) = msg else { return Ok(()) };
                    let shown = app.history_row();
                    app.on_msg(msg);
                    // Take what else is queued before drawing (a streaming log, a burst).
                    for _ in 0..1000 {
                        match rx.try_recv() {
                            Ok(msg) => app.on_msg(msg),
                            Err(_) => break,
                        }
                    }
                    // The CronJob in view ran again, or a run ended: reload its history.
                    match (shown, app.history_row()) {
                        (Some((key, before)), Some((_, after))) if before != after => {
                            vec![Effect::LoadHistory(key.0, key.1)]
                        }
                        _ => Vec::new(),
                    }
                }
            };
            for effect in effects {
                if self.apply(effect, app).await {
                    return Ok(());
                }
            }
        }
    }

    fn log_latency(&self, line: &str) {
        if let Some(path) = &self.latency
            && let Ok(mut file) = std::fs::OpenOptions::new().create(true).append(true).open(path)
        {
            let _ = writeln!(file, "{line}");
        }
    }

    /// Carries out one effect; `true` to quit.
    async fn apply(&mut self, effect: Effect, app: &mut App) -> bool {
        let tx = self.tx.clone();
        match effect {
            Effect::Quit => return true,
            Effect::LoadHistory(ns, name) => {
                let cluster = self.cluster.clone();
                tokio::task::spawn_local(async move {
                    let result = load_history(&cluster, &ns, &name).await;
                    let _ = tx.send(Msg::History(ns, name, result));
                });
            }
            Effect::LoadLogs(ns, run) => {
                if let Some(old) = self.logs.take() {
                    old.abort();
                }
                let cluster = self.cluster.clone();
                self.logs = Some(tokio::task::spawn_local(show_logs(cluster, ns, *run, tx)));
            }
            Effect::StopLogs => {
                if let Some(old) = self.logs.take() {
                    old.abort();
                }
            }
            Effect::PrunePlan(ns, name) => {
                let kube = self.kube.clone();
                tokio::task::spawn_local(async move {
                    let argv: Vec<String> = [
                        "prune",
                        "--cronjob",
                        &name,
                        "--keep-last",
                        &state::PRUNE_KEEP_LAST.to_string(),
                        "--dry-run=client",
                    ]
                    .iter()
                    .map(|s| (*s).to_owned())
                    .collect();
                    let mut lines = Vec::new();
                    let result = run_command(&kube, &ns, argv, |l| lines.push(l)).await;
                    let result = result.map(|_| lines).map_err(|e| format!("error: {e}"));
                    let _ = tx.send(Msg::PrunePlan(Write::Prune(ns, name), result));
                });
            }
            Effect::Write(write) => {
                let Some(id) = app.running_output() else { return false };
                let kube = self.kube.clone();
                tokio::task::spawn_local(async move {
                    let mut last = "done".to_owned();
                    for (ns, argv) in write.commands() {
                        let out = tx.clone();
                        let result =
                            run_command(&kube, &ns, argv, |l| drop(out.send(Msg::Output(id, l))))
                                .await;
                        match result {
                            Ok(ExitStatus::Success) => {}
                            Ok(status) => last = format!("done, exit status {}", status as u8),
                            Err(err) => {
                                if matches!(err, Error::Forbidden { .. }) {
                                    let _ = tx.send(Msg::Refused(write.perm()));
                                }
                                last = format!("error: {err}");
                                if let Some(hint) = err.hint() {
                                    let _ = tx.send(Msg::Output(id, format!("hint: {hint}")));
                                }
                                break;
                            }
                        }
                    }
                    let _ = tx.send(Msg::OutputDone(id, last));
                });
            }
            Effect::Scope(change) => {
                let mut kube = self.kube.clone();
                match change {
                    ScopeChange::AllNamespaces => {
                        kube.all_namespaces = true;
                        kube.namespace = None;
                    }
                    ScopeChange::Namespace(ns) => {
                        kube.all_namespaces = false;
                        kube.namespace = Some(ns);
                    }
                    ScopeChange::Context(name) => {
                        kube.context = Some(name);
                        kube.namespace = None;
                    }
                }
                match cluster::connect(&kube).await {
                    Ok(connection) => {
                        if !kube.all_namespaces {
                            kube.namespace = Some(connection.namespace.clone());
                        }
                        self.kube = kube;
                        self.cluster = connection.cluster;
                        let context = connection.context.unwrap_or_else(|| "<no context>".into());
                        *app = App::new(context, self.namespace(), app.read_only_flag, app.color)
                            .with_height(app.height);
                        self.start_data(app.namespace.clone());
                    }
                    Err(err) => app.status = Some(format!("error: {err}")),
                }
            }
        }
        false
    }
}

struct StopOnDrop(Arc<AtomicBool>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// A `Write` that hands complete lines to a callback (a command's stdout into the UI).
struct Lines<F: FnMut(String)> {
    pending: Vec<u8>,
    sink: F,
}

impl<F: FnMut(String)> std::io::Write for Lines<F> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(buf);
        while let Some(end) = self.pending.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = self.pending.drain(..=end).collect();
            let text = String::from_utf8_lossy(&line[..line.len() - 1]).into_owned();
            (self.sink)(text);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<F: FnMut(String)> Lines<F> {
    fn finish(mut self) {
        if !self.pending.is_empty() {
            let text = String::from_utf8_lossy(&self.pending).into_owned();
            (self.sink)(text);
        }
        self.pending.clear();
    }
}

/// Runs one write command (`argv` after `kubectl-kuul`) in `namespace`, exactly as typed on
/// the command line would, with its output lines to `sink`. No terminal for it: it neither
/// asks (the UI asked) nor draws progress.
async fn run_command(
    kube: &KubeArgs,
    namespace: &str,
    argv: Vec<String>,
    sink: impl FnMut(String),
) -> Result<ExitStatus> {
    let cli = Cli::try_parse_from(std::iter::once("kubectl-kuul".to_owned()).chain(argv))
        .map_err(|e| Error::Usage(e.to_string()))?;
    let mut scoped = kube.clone();
    scoped.namespace = Some(namespace.to_owned());
    scoped.all_namespaces = false;
    scoped.selector = None;
    let mut ctx = Context::new(scoped);
    ctx.interactive = false;
    ctx.color = false;
    let mut lines = Lines { pending: Vec::new(), sink };
    let result = {
        let mut out = Printer::new(&mut lines, OutputFormat::Table, false, false);
        match cli.command {
            Command::Trigger(args) => trigger::run(&ctx, args, &mut out).await,
            Command::SuspendAll(args) => suspend_all::run(&ctx, args, &mut out).await,
            Command::Resume(args) => resume::run(&ctx, args, &mut out).await,
            Command::RescheduleNextMinute(args) => {
                reschedule_next_minute::run(&ctx, args, &mut out).await
            }
            Command::Prune(args) => prune::run(&ctx, args, &mut out).await,
            other => Err(Error::Usage(format!("dash does not run {}", other.name()))),
        }
    };
    lines.finish();
    result
}

/// One CronJob's history, as `kubectl kuul history NAME -n NS` computes it.
async fn load_history(
    cluster: &Cluster,
    namespace: &str,
    name: &str,
) -> std::result::Result<runs::History, String> {
    let by_name =
        ListOptions { label_selector: None, field_selector: Some(format!("metadata.name={name}")) };
    let loaded = runs::load(cluster, Some(namespace), by_name).await.map_err(|e| e.to_string())?;
    let (now, _) = cluster.now();
    loaded
        .histories(now)
        .into_iter()
        .find(|h| h.name == name)
        .ok_or_else(|| format!("cronjob \"{name}\" is gone from namespace \"{namespace}\""))
}

/// A run's logs into the logs screen: every attempt as `kuul logs --run JOB` shows it, or,
/// while it is active, followed as `kuul logs -f` follows it (each attempt in turn).
async fn show_logs(cluster: Cluster, namespace: String, run: Run, tx: UnboundedSender<Msg>) {
    let job = run.name.clone();
    let lines_tx = tx.clone();
    let sink = |line: String| drop(lines_tx.send(Msg::LogLines(job.clone(), vec![line])));
    let mut lines = Lines { pending: Vec::new(), sink };
    let active = matches!(run.result, RunResult::Running | RunResult::Pending);
    let ended = {
        let mut out = Printer::new(&mut lines, OutputFormat::Table, false, false);
        if active {
            let options = FollowOptions { logs: true, ..FollowOptions::default() };
            match follow::follow_job(&cluster, &namespace, &job, &options, &mut out).await {
                Ok(finished) => Some(finished.summary(&job)),
                Err(err) => Some(format!("error: {err}")),
            }
        } else {
            match logs::show_run(&cluster, &namespace, &run, &mut out).await {
                Ok(()) => None,
                Err(err) => Some(format!("error: {err}")),
            }
        }
    };
    lines.finish();
    let _ = tx.send(Msg::LogsDone(job, ended));
}

/// What this user may do, from a SelfSubjectAccessReview (`Cluster::can_i`, `kubectl auth
/// can-i`'s request): `None` when the server cannot say (no such API, an error), and then the
/// write is offered until its first 403.
async fn can_i(
    cluster: &Cluster,
    namespace: Option<&str>,
    verb: &str,
    resource: &str,
) -> Option<bool> {
    cluster.can_i(verb, "batch", resource, namespace).await.ok()
}

/// The writes RBAC allows in `namespace` (every namespace with `None`).
async fn permissions(cluster: &Cluster, namespace: Option<&str>) -> Perms {
    let (trigger, patch, prune) = tokio::join!(
        can_i(cluster, namespace, "create", "jobs"),
        can_i(cluster, namespace, "patch", "cronjobs"),
        can_i(cluster, namespace, "delete", "jobs"),
    );
    let allowed = |answer: Option<bool>| answer != Some(false);
    Perms { trigger: allowed(trigger), patch: allowed(patch), prune: allowed(prune) }
}
