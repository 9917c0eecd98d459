//! Every command across many clusters (`--context a,b`, `--context 'prod-*'`,
//! `--all-contexts`): the one layer that fans a command out and merges what comes back.
//!
//! A command runs against one cluster exactly as it always did; here it runs once per selected
//! context, concurrently (the time is that of the slowest cluster), each with its own `Context`
//! (its namespace default, credentials and API-server clock) and a capturing `Printer`, all on
//! the process's one multi-thread runtime (decoding large lists is CPU work, spread over its
//! workers). What the runs print is merged:
//!
//! - tables become one table, CONTEXT first (the printer's scope columns, `output::Scope`),
//!   rows grouped by context in name order and, within one, in the command's own order;
//! - JSON/YAML become one document: `items` from every cluster, each with `context` first, and
//!   `contexts`: per context the rest of its document (`observedAt`, `clock`, stats) or its
//!   `error`; `-o jsonpath` reads that document;
//! - human text (bulk summaries, log lines) is printed per context, each line `[CONTEXT] ...`,
//!   followed by a total across clusters for bulk commands.
//!
//! A cluster that fails (unreachable, refused credentials, timed out, forbidden) prints one
//! `error: context X: ...` line on stderr; the others' results print, and the exit status says
//! partial (3), or failing (4) for `--check`. When every cluster fails the same way, the error
//! prints once, as a single-cluster run would.
//!
//! Writes go through a gate ([`member`]): no cluster writes before every cluster has planned,
//! and a confirmation is asked once with every cluster's question (its counts).

pub mod member;
pub mod metrics;
mod select;

#[cfg(test)]
mod tests;

#[allow(clippy::print_stderr)]
fn eprint_line(text: &str) {
    eprintln!("{}", crate::cluster::trace::redact(text));
}

use std::io::Write;
use std::sync::{Arc, Mutex};

use serde_json::{Map, Value};

pub use select::{Selection, select};

use crate::cli::Command;
use crate::context::Context;
use crate::error::{Error, ExitStatus, Result};
use crate::output::{CaptureSink, Captured, OutputFormat, Printer, ScopedTable, lock};
use member::{Decision, Gate, Member};

/// Runs `command` in the selected clusters: directly for one, fanned out for several.
pub async fn run(
    command: Command,
    selection: Selection,
    ctx: &Context,
    out: &mut Printer<'_>,
) -> Result<ExitStatus> {
    match selection {
        Selection::Many(names) if fans_out(&command) => {
            one_screen(&command)?;
            let names = restrict(&command, names)?;
            many(command, names, ctx, out).await
        }
        _ => crate::commands::dispatch(command, ctx, out).await,
    }
}

/// `dash` and `lastrun --watch` draw on one terminal: several clusters' screens cannot share it
/// (each would redraw over the others, and a watch never ends to be merged). One line says so.
fn one_screen(command: &Command) -> Result<()> {
    let message = match command {
        Command::Dash(_) => {
            "dash shows one context at a time: pass one --context (`:ctx NAME` switches there)"
        }
        Command::Lastrun(args) if args.watch => {
            "lastrun --watch follows one context at a time: pass one --context, or drop --watch \
             to read several"
        }
        _ => return Ok(()),
    };
    Err(Error::Usage(message.into()))
}

/// `resume --from FILE` touches only the contexts the snapshot names (of those selected).
fn restrict(command: &Command, names: Vec<String>) -> Result<Vec<String>> {
    let Command::Resume(args) = command else { return Ok(names) };
    let Some(path) = &args.from else { return Ok(names) };
    let named = crate::commands::suspend_all::snapshot::Snapshot::read(path)?.contexts();
    if named.is_empty() {
        return Ok(names);
    }
    let kept: Vec<String> = names.into_iter().filter(|n| named.contains(n)).collect();
    if kept.is_empty() {
        return Err(Error::Usage(format!(
            "{} holds CronJobs of context(s) {}, none of them selected",
            path.display(),
            named.join(", ")
        )));
    }
    Ok(kept)
}

/// Commands that have nothing to do with clusters run once (`lint -f` reads files only).
fn fans_out(command: &Command) -> bool {
    match command {
        Command::Completion(_) | Command::Complete(_) => false,
        Command::Lint(args) => args.files.is_empty(),
        _ => true,
    }
}

/// What one cluster's run left.
struct Part {
    name: String,
    sink: CaptureSink,
    member: Arc<Member>,
}

async fn many(
    command: Command,
    names: Vec<String>,
    ctx: &Context,
    out: &mut Printer<'_>,
) -> Result<ExitStatus> {
    let gate = Arc::new(Gate::new(names.len()));
    let parts: Vec<Part> = names
        .iter()
        .map(|name| Part {
            name: name.clone(),
            sink: Arc::new(Mutex::new(Vec::new())),
            member: Arc::new(Member::new(name.clone(), gate.clone())),
        })
        .collect();
    let streaming = matches!(command, Command::Logs(_));
    let (format, no_headers, color) = (out.format().clone(), out.no_headers(), ctx.color);
    // Every cluster runs on the one multi-thread runtime of the process (`crate::entry`): the
    // lists each command sends run on its tasks (`cluster::list`), so decoding the clusters'
    // lists — the CPU work of a read — is spread over its workers, one per core, and shares
    // their allocator arenas and caches; a runtime per cluster made a pool of threads and
    // arenas per cluster, and the kernel time (page faults of five growing heaps) grew faster
    // than the clusters (issue 17: 0.19 s of system time for five, 0.02 s for one). A command's
    // own future holds its `Printer`, which is not `Send`, so each is driven from a thread of
    // its own (`Handle::block_on`), which only waits for the tasks most of the time.
    let handle = tokio::runtime::Handle::current();
    let threads: Vec<std::thread::JoinHandle<Result<ExitStatus>>> = parts
        .iter()
        .map(|part| {
            let mut kube = ctx.kube_args().clone();
            kube.context = Some(part.name.clone());
            kube.contexts.clear();
            kube.all_contexts = false;
            let (sink, format, command) = (part.sink.clone(), format.clone(), command.clone());
            let finished = Finished(gate.clone(), part.member.clone());
            let handle = handle.clone();
            std::thread::spawn(move || {
                let finished = finished;
                let member_ctx = Context::member(kube, color);
                let mut printer = Printer::capture(sink, format, no_headers, color);
                let run = crate::commands::dispatch(command, &member_ctx, &mut printer);
                let result = handle.block_on(member::scope(finished.1.clone(), run));
                drop(finished);
                result
            })
        })
        .collect();
    coordinate(&gate, &parts, streaming, ctx.interactive, out).await?;
    let results: Vec<Result<ExitStatus>> = threads
        .into_iter()
        .map(|thread| {
            thread.join().unwrap_or_else(|_| {
                Err(Error::Decode("the run of this context stopped unexpectedly".into()))
            })
        })
        .collect();
    finish(&command, &parts, results, out)
}

/// Counts a cluster's run as finished when its thread ends, however it ends (a panic too), so
/// the coordinator never waits for a run that is gone.
struct Finished(Arc<Gate>, Arc<Member>);

impl Drop for Finished {
    fn drop(&mut self) {
        lock(&self.0.state).finished += 1;
        self.1.poke();
    }
}

/// Drives the gate while the clusters run: decides once every cluster has planned, and streams
/// text for `logs`.
async fn coordinate(
    gate: &Gate,
    parts: &[Part],
    streaming: bool,
    interactive: bool,
    out: &mut Printer<'_>,
) -> Result<()> {
    loop {
        let changed = gate.changed.notified();
        if streaming {
            flush_text(parts, out)?;
        }
        let (undecided, someone_waits) = {
            let state = lock(&gate.state);
            (state.decision.is_none(), !state.arrived.is_empty())
        };
        if undecided && someone_waits && gate.everyone_planned() {
            let decision = decide(gate, parts, interactive, out);
            gate.decide(decision?);
        }
        if lock(&gate.state).finished >= gate.total {
            return Ok(());
        }
        changed.await;
    }
}

/// The one decision for every cluster at the gate: go, unless some cluster would have asked
/// (no `--yes`); then the plans printed so far are shown, merged, and the person answers once.
fn decide(
    gate: &Gate,
    parts: &[Part],
    interactive: bool,
    out: &mut Printer<'_>,
) -> Result<Decision> {
    let arrived = lock(&gate.state).arrived.clone();
    if arrived.values().all(|a| a.question.is_none()) {
        return Ok(Decision::Go);
    }
    // Every cluster's plan in the one question; one that would not have asked (nothing to
    // confirm there) says how much it will change.
    let questions: Vec<(String, String)> = arrived
        .into_iter()
        .map(|(name, a)| {
            let q = a.question.unwrap_or_else(|| format!("{} object(s) to change", a.count));
            (name, q)
        })
        .collect();
    let contexts = questions.len();
    let question = format!("Go ahead in {contexts} context(s)?");
    if !interactive {
        return Ok(Decision::Refuse(format!(
            "{} needs confirmation, and there is no terminal to ask on: add --yes",
            questions.iter().map(|(n, q)| format!("{n}: {q}")).collect::<Vec<_>>().join("; ")
        )));
    }
    flush(parts, &[], out)?;
    let mut prompt = std::io::stderr();
    let io = |source| Error::Io { context: "reading the answer".into(), source };
    for (name, q) in &questions {
        writeln!(prompt, "context {name}: {q}").map_err(io)?;
    }
    let yes = crate::confirm::answer(&mut std::io::stdin().lock(), &mut prompt, &question)?;
    Ok(if yes { Decision::Go } else { Decision::No })
}

/// Prints the captured text of every cluster now (log lines as they come).
fn flush_text(parts: &[Part], out: &mut Printer<'_>) -> Result<()> {
    for part in parts {
        let texts: Vec<String> = {
            let mut sink = lock(&part.sink);
            let (texts, rest): (Vec<Captured>, Vec<Captured>) =
                sink.drain(..).partition(|c| matches!(c, Captured::Text(_)));
            *sink = rest;
            texts
                .into_iter()
                .filter_map(|c| if let Captured::Text(t) = c { Some(t) } else { None })
                .collect()
        };
        for text in texts {
            out.write_str(&prefixed(&part.name, &text))?;
        }
    }
    Ok(())
}

/// Prints everything captured so far, merged: tables, documents, names, then each cluster's
/// text. `errors` (context, message) go into merged documents' `contexts`.
fn flush(parts: &[Part], errors: &[(String, String)], out: &mut Printer<'_>) -> Result<()> {
    let mut tables: Vec<ScopedTable> = Vec::new();
    let mut documents: Vec<(String, Vec<(String, Value)>)> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    let mut texts: Vec<(String, String)> = Vec::new();
    let mut metrics: Vec<(String, String)> = Vec::new();
    for part in parts {
        let captured: Vec<Captured> = lock(&part.sink).drain(..).collect();
        for captured in captured {
            match captured {
                Captured::Table(mut table) => {
                    for (scope, _) in &mut table.rows {
                        scope.context = Some(part.name.clone());
                    }
                    match tables.iter_mut().find(|t| t.headers == table.headers) {
                        Some(merged) => {
                            merged.rows.extend(table.rows);
                            merged.namespaced |= table.namespaced;
                        }
                        None => tables.push(table),
                    }
                }
                Captured::Value(value) => {
                    let kind = value.get("kind").and_then(Value::as_str).unwrap_or("").to_owned();
                    match documents.iter_mut().find(|(k, _)| *k == kind) {
                        Some((_, group)) => group.push((part.name.clone(), value)),
                        None => documents.push((kind, vec![(part.name.clone(), value)])),
                    }
                }
                Captured::Names(list) => names.extend(list.iter().map(|n| named(&part.name, n))),
                Captured::Text(text) => texts.push((part.name.clone(), text)),
                Captured::Metrics(text) => metrics.push((part.name.clone(), text)),
            }
        }
    }
    let printed_tables = !tables.is_empty();
    for table in tables {
        out.print_table(table)?;
    }
    let value_format =
        matches!(out.format(), OutputFormat::Json | OutputFormat::Yaml | OutputFormat::JsonPath(_));
    if documents.is_empty() && value_format && !errors.is_empty() && !printed_tables {
        documents.push((String::new(), Vec::new()));
    }
    for (_, group) in documents {
        out.print_value(&merge_documents(group, errors))?;
    }
    if !metrics.is_empty() {
        out.write_str(&metrics::merge(&metrics))?;
    }
    if !names.is_empty() {
        out.write_str(&names.iter().map(|n| format!("{n}\n")).collect::<String>())?;
    }
    for (name, text) in texts {
        out.write_str(&prefixed(&name, &text))?;
    }
    Ok(())
}

/// `-o name` across clusters: `CONTEXT/` before each name a single-cluster run prints, e.g.
/// `prod/cronjob.batch/backup`. kubectl's name printer prints `RESOURCE.GROUP/NAME`
/// (k8s.io/cli-runtime pkg/printers/name.go, `printObj`); the context goes in front, so what
/// follows stays exactly what `kubectl --context CONTEXT get` takes. A context name may hold `/`
/// itself (EKS names its contexts by ARN, `.../cluster/NAME`), so scripts split from the right:
/// for objects the context is the line less its last two fields (`${line%/*/*}` in a shell).
fn named(context: &str, name: &str) -> String {
    format!("{context}/{name}")
}

/// `[CONTEXT] ` before every line.
fn prefixed(context: &str, text: &str) -> String {
    text.lines().map(|line| format!("[{context}] {line}\n")).collect()
}

/// One document from every cluster's: `apiVersion` and `kind` as they were, `items` from every
/// cluster with `context` first in each, and `contexts`, per context the rest of its document
/// (or its error), by context name.
pub(crate) fn merge_documents(parts: Vec<(String, Value)>, errors: &[(String, String)]) -> Value {
    let mut doc = Map::new();
    let mut items: Option<Vec<Value>> = None;
    let mut contexts: Vec<(String, Value)> = Vec::new();
    for (name, value) in parts {
        let mut entry = Map::new();
        entry.insert("name".into(), Value::String(name.clone()));
        match value {
            Value::Object(map) => {
                for (key, field) in map {
                    match (key.as_str(), field) {
                        ("apiVersion" | "kind", field) => {
                            doc.entry(key).or_insert(field);
                        }
                        ("items", Value::Array(list)) => items
                            .get_or_insert_with(Vec::new)
                            .extend(list.into_iter().map(|item| with_context(&name, item))),
                        (_, field) => {
                            entry.insert(key, field);
                        }
                    }
                }
            }
            other => {
                entry.insert("value".into(), other);
            }
        }
        contexts.push((name, Value::Object(entry)));
    }
    for (name, error) in errors {
        let mut entry = Map::new();
        entry.insert("name".into(), Value::String(name.clone()));
        entry.insert("error".into(), Value::String(crate::cluster::trace::redact(error)));
        contexts.push((name.clone(), Value::Object(entry)));
    }
    contexts.sort_by(|a, b| a.0.cmp(&b.0));
    if doc.is_empty() {
        doc.insert("apiVersion".into(), Value::String("kuul.dev/v1alpha1".into()));
        doc.insert("kind".into(), Value::String("List".into()));
    }
    doc.insert("items".into(), Value::Array(items.unwrap_or_default()));
    doc.insert("contexts".into(), Value::Array(contexts.into_iter().map(|(_, v)| v).collect()));
    Value::Object(doc)
}

fn with_context(context: &str, item: Value) -> Value {
    let mut map = Map::new();
    map.insert("context".into(), Value::String(context.to_owned()));
    match item {
        Value::Object(fields) => {
            for (key, value) in fields {
                if key != "context" {
                    map.insert(key, value);
                }
            }
        }
        other => {
            map.insert("value".into(), other);
        }
    }
    Value::Object(map)
}

/// The merged output, the per-context errors, the total, and the exit status.
fn finish(
    command: &Command,
    parts: &[Part],
    results: Vec<Result<ExitStatus>>,
    out: &mut Printer<'_>,
) -> Result<ExitStatus> {
    let mut results: Vec<(String, Result<ExitStatus>)> =
        parts.iter().map(|p| p.name.clone()).zip(results).collect();
    let any_ok = results.iter().any(|(_, r)| r.is_ok());
    // `trigger NAME` runs the CronJob in every cluster that has it: elsewhere it is a note.
    if matches!(command, Command::Trigger(_)) && any_ok {
        for (name, result) in &mut results {
            if let Err(err @ Error::NotFound { .. }) = result {
                eprint_line(&member::label_with(name, &format!("{err}: skipped")));
                *result = Ok(ExitStatus::Success);
            }
        }
    }
    let errors: Vec<(String, String)> = results
        .iter()
        .filter_map(|(name, r)| r.as_ref().err().map(|e| (name.clone(), e.to_string())))
        .collect();
    // When every cluster failed the same way (a usage refusal, no terminal to confirm on), that
    // is one error, as a single-cluster run prints it.
    if !any_ok {
        let first = errors.first().map(|(_, e)| e.clone());
        if errors.iter().all(|(_, e)| Some(e) == first.as_ref()) {
            flush(parts, &[], out)?;
            if let Some((_, Err(err))) = results.into_iter().next() {
                return Err(err);
            }
            return Ok(ExitStatus::Error);
        }
    }
    write_files(parts)?;
    flush(parts, &errors, out)?;
    if matches!(out.format(), OutputFormat::Table | OutputFormat::Wide)
        && let Some(total) = total_line(parts, &errors)
    {
        out.write_str(&total)?;
    }
    let mut hints: Vec<String> = Vec::new();
    for (name, result) in &results {
        if let Err(err) = result {
            eprint_line(&format!("error: context {name}: {err}"));
            if let Some(hint) = err.hint().filter(|h| !hints.contains(h)) {
                hints.push(hint);
            }
        }
    }
    for hint in hints {
        eprint_line(&format!("hint: {hint}"));
    }
    Ok(merge_statuses(&results, checks(command)))
}

/// The files the clusters deferred (`suspend-all --save-to`), one per path: every cluster's
/// items (each already naming its context), the rest of the first cluster's document, and
/// `contexts`: which contexts it covers. Written atomically (temporary file, then rename).
fn write_files(parts: &[Part]) -> Result<()> {
    let mut files: Vec<(std::path::PathBuf, Vec<(String, Value)>)> = Vec::new();
    for part in parts {
        for (path, value) in part.member.files() {
            match files.iter_mut().find(|(p, _)| *p == path) {
                Some((_, group)) => group.push((part.name.clone(), value)),
                None => files.push((path, vec![(part.name.clone(), value)])),
            }
        }
    }
    for (path, group) in files {
        let mut doc = Map::new();
        let mut items = Vec::new();
        let mut contexts = Vec::new();
        for (name, value) in group {
            contexts.push(Value::String(name));
            let Value::Object(map) = value else { continue };
            for (key, field) in map {
                match (key.as_str(), field) {
                    ("items", Value::Array(list)) => items.extend(list),
                    (_, field) => {
                        doc.entry(key).or_insert(field);
                    }
                }
            }
        }
        doc.insert("items".into(), Value::Array(items));
        doc.insert("contexts".into(), Value::Array(contexts));
        let mut text = serde_json::to_string_pretty(&Value::Object(doc))
            .map_err(|e| Error::Decode(format!("cannot encode {}: {e}", path.display())))?;
        text.push('\n');
        let io = |source| Error::Io { context: format!("writing {}", path.display()), source };
        let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
        let temp = path.with_file_name(format!(".{name}.kuul-{}.tmp", std::process::id()));
        std::fs::write(&temp, text).and_then(|()| std::fs::rename(&temp, &path)).map_err(io)?;
    }
    Ok(())
}

/// Whether the command was asked to `--check` (a cluster that failed then fails the check).
fn checks(command: &Command) -> bool {
    match command {
        Command::Lastrun(args) => args.check,
        Command::LabelPool(args) => args.check,
        _ => false,
    }
}

/// The exit status of the whole run: the worst cluster's; a cluster that failed while others
/// succeeded makes it partial (3), or failing (4) under `--check`; when all failed, error.
pub(crate) fn merge_statuses(results: &[(String, Result<ExitStatus>)], check: bool) -> ExitStatus {
    let rank = |s: ExitStatus| match s {
        ExitStatus::Success => 0,
        ExitStatus::Partial => 1,
        ExitStatus::CheckFailed => 2,
        ExitStatus::StillRunning => 3,
        ExitStatus::Error => 4,
        ExitStatus::Usage => 5,
        ExitStatus::Interrupted => 6,
    };
    let failed = results.iter().filter(|(_, r)| r.is_err()).count();
    let mut worst = ExitStatus::Success;
    for (_, result) in results {
        let status = match result {
            Ok(status) => *status,
            Err(_) if failed == results.len() => ExitStatus::Error,
            Err(_) if check => ExitStatus::CheckFailed,
            Err(_) => ExitStatus::Partial,
        };
        if rank(status) > rank(worst) {
            worst = status;
        }
    }
    worst
}

/// The total of the bulk summaries across clusters: `total, 3 contexts: 12 suspended now, ...`.
fn total_line(parts: &[Part], failed_contexts: &[(String, String)]) -> Option<String> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    let (mut failed, mut not_started, mut seen) = (0, 0, 0);
    let mut command = String::new();
    for part in parts {
        let recorded = part.member.counts();
        seen += usize::from(!recorded.is_empty());
        for record in recorded {
            command.clone_from(&record.command);
            for (n, what) in record.counts {
                match counts.iter_mut().find(|(w, _)| *w == what) {
                    Some((_, total)) => *total += n,
                    None => counts.push((what, n)),
                }
            }
            failed += record.failed;
            not_started += record.not_started;
        }
    }
    if seen == 0 {
        return None;
    }
    let mut text: Vec<String> = counts.iter().map(|(what, n)| format!("{n} {what}")).collect();
    text.push(format!("{failed} failed"));
    if not_started > 0 {
        text.push(format!("{not_started} not started"));
    }
    let mut line = format!("{command}, total over {seen} context(s): {}", text.join(", "));
    // The clusters that failed, by name: what was not done there is in their error lines, and
    // re-running the same command finishes it.
    if !failed_contexts.is_empty() {
        let names: Vec<&str> = failed_contexts.iter().map(|(name, _)| name.as_str()).collect();
        line.push_str(&format!(
            "; {} context(s) failed: {} (see the error lines)",
            names.len(),
            names.join(", ")
        ));
    }
    line.push('\n');
    Some(line)
}
