//! Rendering: state in, frame out (no I/O), so each screen is snapshot-tested with ratatui's
//! `TestBackend`. Colour only when [`App::color`] (a terminal, `NO_COLOR` unset); every fact a
//! colour carries is also in the text (the verdict word, the result marks).

use jiff::Timestamp;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Clear, Paragraph, Row as TableRow, Table, Wrap};

use super::state::{App, HistoryView, LogsView, Overlay, Perm, View, runs};
use crate::commands::lastrun::Verdict;
use crate::duration;
use crate::runs::{Run, RunResult, Trigger};

/// Draws the whole screen.
pub(crate) fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    let [title, body, footer] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(1), Constraint::Length(1)])
            .areas(area);
    frame.render_widget(Paragraph::new(title_line(app)).style(bar(app)), title);
    match &app.view {
        View::Table => table(frame, body, app),
        View::History(h) => history(frame, body, app, h),
        View::Logs(_, logs) => logs_view(frame, body, app, logs),
    }
    frame.render_widget(Paragraph::new(footer_line(app, usize::from(footer.width))), footer);
    match &app.overlay {
        Overlay::Help => help(frame, area, app),
        Overlay::Confirm(write, lines) => {
            let mut text = vec![Line::from(write.question()), Line::from("")];
            text.extend(lines.iter().map(|l| Line::from(l.as_str())));
            text.push(Line::from(""));
            text.push(Line::from("y: yes, go ahead    any other key: no"));
            popup(frame, area, "confirm", text, app);
        }
        Overlay::Planning(write) => {
            let text = vec![Line::from(write.question()), Line::from("working out the plan...")];
            popup(frame, area, "prune", text, app);
        }
        Overlay::Output(out) => {
            let mut text: Vec<Line> = out.lines.iter().map(|l| Line::from(l.as_str())).collect();
            match &out.done {
                Some(done) => {
                    text.push(Line::from(Span::styled(done.clone(), result_style(app, done))));
                    text.push(Line::from("esc/enter: close"));
                }
                None => text.push(Line::from("running... (esc: close, it goes on)")),
            }
            popup(frame, area, &out.title, text, app);
        }
        Overlay::None | Overlay::Filter | Overlay::Command(_) => {}
    }
}

fn bar(app: &App) -> Style {
    if app.color { Style::new().bg(Color::Blue).fg(Color::White) } else { Style::new() }
}

fn title_line(app: &App) -> Line<'static> {
    let ns = app.namespace.clone().unwrap_or_else(|| "all namespaces".into());
    let snap = &app.snapshot;
    let attention = snap.rows.iter().filter(|r| r.last.verdict.needs_attention()).count();
    let mut text = format!(" kuul dash  {}  {ns}  ", app.context);
    if snap.loaded {
        text.push_str(&format!("{} CronJobs  {attention} need attention", snap.rows.len()));
    } else {
        text.push_str("loading...");
    }
    if app.perms.read_only() {
        text.push_str("  [read-only]");
    }
    Line::from(text)
}

/// The key hints that fit in `width`, most useful first; `? help  q quit` always.
fn footer_line(app: &App, width: usize) -> Line<'static> {
    match &app.overlay {
        Overlay::Filter => return Line::from(format!("/{}█", app.filter)),
        Overlay::Command(text) => return Line::from(format!(":{text}█")),
        _ => {}
    }
    if let Some(status) = &app.status {
        return Line::from(status.clone());
    }
    if let Some(err) = &app.snapshot.error {
        return Line::from(format!("error: {err}"));
    }
    let mut keys: Vec<&str> = match &app.view {
        View::Table => vec!["⏎ history", "/ filter"],
        View::History(_) => vec!["⏎ logs", "esc back"],
        View::Logs(..) => vec!["↑↓ scroll", "f follow", "esc back"],
    };
    if !matches!(app.view, View::Logs(..)) {
        if app.allowed(Perm::Trigger) {
            keys.push("t trigger");
        }
        if app.allowed(Perm::Patch) {
            keys.extend(["s suspend", "r resume", "n next-minute"]);
        }
        if app.allowed(Perm::Prune) {
            keys.push("p prune");
        }
        if app.allowed(Perm::Patch) {
            keys.push("N restore");
        }
    }
    if matches!(app.view, View::Table) {
        keys.push(": ns/ctx");
        // Marks only choose what suspend and resume act on.
        if app.allowed(Perm::Patch) {
            keys.push("␣ mark");
        }
    }
    let tail = "? help  q quit";
    let mut text = String::new();
    for key in keys {
        if text.chars().count() + key.chars().count() + 2 + tail.chars().count() > width {
            break;
        }
        text.push_str(key);
        text.push_str("  ");
    }
    text.push_str(tail);
    Line::from(text)
}

/// The style of a verdict (colour by how urgent it is; bold for `--check`'s).
fn verdict_style(app: &App, verdict: Verdict) -> Style {
    if !app.color {
        return if verdict.needs_attention() {
            Style::new().add_modifier(Modifier::BOLD)
        } else {
            Style::new()
        };
    }
    match verdict {
        Verdict::Ok => Style::new().fg(Color::Green),
        Verdict::Broken | Verdict::Stuck | Verdict::Missed | Verdict::Failing => {
            Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)
        }
        Verdict::Suspended => Style::new().fg(Color::DarkGray),
        Verdict::RunningLong | Verdict::Pending | Verdict::NeverRan => {
            Style::new().fg(Color::Yellow)
        }
    }
}

fn result_style(app: &App, line: &str) -> Style {
    if !app.color {
        return Style::new().add_modifier(Modifier::BOLD);
    }
    if line.starts_with("error") || line.contains("failed") {
        Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)
    } else {
        Style::new().fg(Color::Green).add_modifier(Modifier::BOLD)
    }
}

fn age(t: Option<Timestamp>, now: Option<Timestamp>) -> String {
    match (t, now) {
        (Some(t), Some(now)) => duration::age(t, now),
        _ => "-".into(),
    }
}

fn next(t: Option<Timestamp>, now: Option<Timestamp>) -> String {
    match (t, now) {
        (Some(t), Some(now)) => {
            let secs = t.as_second() - now.as_second();
            if secs <= 0 { "due".into() } else { format!("in {}", duration::human(secs)) }
        }
        _ => "-".into(),
    }
}

/// The last `width` characters of a strip (the newest runs).
fn tail(strip: &str, width: usize) -> String {
    let count = strip.chars().count();
    strip.chars().skip(count.saturating_sub(width)).collect()
}

fn table(frame: &mut Frame, area: Rect, app: &App) {
    let snap = &app.snapshot;
    let now = snap.now;
    let all = app.namespace.is_none();
    if snap.loaded && app.visible.is_empty() {
        let text = if app.filter.is_empty() {
            crate::notice::no_resources_text(app.namespace.as_deref())
        } else {
            format!("No CronJob matches /{}", app.filter)
        };
        frame.render_widget(Paragraph::new(text), area);
        return;
    }
    let rows_shown = usize::from(area.height.saturating_sub(1));
    let first = app.first_visible_row();
    let rows = app.visible.iter().enumerate().skip(first).take(rows_shown).map(|(pos, &i)| {
        let row = &snap.rows[i];
        let last = &row.last;
        let name =
            if all { format!("{}/{}", last.namespace, last.name) } else { last.name.clone() };
        let mark = if app.marked.contains(&row.key()) { "*" } else { " " };
        let cells = vec![
            Cell::from(mark),
            Cell::from(Span::styled(last.verdict.as_str(), verdict_style(app, last.verdict))),
            Cell::from(name),
            Cell::from(age(last.last_schedule_time, now)),
            Cell::from(next(last.next_schedule_time, now)),
            Cell::from(crate::commands::lastrun::late(last.late_seconds)),
            Cell::from(tail(&row.strip, 10)),
        ];
        let style = if pos == app.cursor {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new()
        };
        TableRow::new(cells).style(style)
    });
    let header = TableRow::new(["", "VERDICT", "NAME", "LAST", "NEXT", "LATE", "RUNS"])
        .style(Style::new().add_modifier(Modifier::BOLD));
    let widths = [
        Constraint::Length(1),
        Constraint::Length(12),
        Constraint::Min(20),
        Constraint::Length(7),
        Constraint::Length(9),
        Constraint::Length(6),
        Constraint::Length(10),
    ];
    frame.render_widget(Table::new(rows, widths).header(header).column_spacing(1), area);
}

fn run_name<'a>(run: &'a Run, cronjob: &str) -> &'a str {
    run.name.strip_prefix(cronjob).map_or(run.name.as_str(), |rest| rest.trim_start_matches('-'))
}

fn history(frame: &mut Frame, area: Rect, app: &App, h: &HistoryView) {
    let now = app.snapshot.now;
    let [top, bottom] =
        Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(area);
    let title = match &h.history {
        Some(x) => format!(" {}/{}  {}  {} runs ", h.namespace, h.name, x.schedule, x.runs.len()),
        None => format!(" {}/{} ", h.namespace, h.name),
    };
    let block = Block::new().borders(Borders::TOP).title(title);
    let Some(loaded) = &h.history else {
        let text =
            h.error.clone().map_or_else(|| "loading history...".into(), |e| format!("error: {e}"));
        frame.render_widget(Paragraph::new(text).block(block), area);
        return;
    };
    if loaded.runs.is_empty() {
        frame.render_widget(
            Paragraph::new("no retained runs (history limits, TTL or prune removed them)")
                .block(block),
            top,
        );
    } else {
        let shown = usize::from(top.height.saturating_sub(2)).max(1);
        let first = (h.cursor + 1).saturating_sub(shown);
        let rows = loaded.runs.iter().enumerate().skip(first).take(shown).map(|(i, run)| {
            let style = if i == h.cursor {
                Style::new().add_modifier(Modifier::REVERSED)
            } else {
                Style::new()
            };
            TableRow::new(vec![
                Cell::from(format!("{} {}", run.result.mark(), run_name(run, &h.name))),
                Cell::from(Span::styled(run.result.as_str(), run_style(app, run.result))),
                Cell::from(age(run.started.or(run.created), now)),
                Cell::from(run.duration_seconds.map_or_else(|| "-".into(), duration::human)),
                Cell::from(run.late_seconds.map_or_else(|| "-".into(), duration::human)),
                Cell::from(run.reason.clone().unwrap_or_default()),
            ])
            .style(style)
        });
        let header = TableRow::new(["RUN", "RESULT", "STARTED", "TOOK", "LATE", "REASON"])
            .style(Style::new().add_modifier(Modifier::BOLD));
        let widths = [
            Constraint::Length(22),
            Constraint::Length(9),
            Constraint::Length(7),
            Constraint::Length(6),
            Constraint::Length(5),
            Constraint::Min(10),
        ];
        frame.render_widget(
            Table::new(rows, widths).header(header).column_spacing(1).block(block),
            top,
        );
    }
    let mut lines: Vec<Line> = Vec::new();
    if let Some(run) = runs(h).get(h.cursor) {
        lines.push(Line::from(details(run)));
        if let Some(message) = &run.message {
            lines.push(Line::from(format!("  {message}")));
        }
        if run.changes.is_empty() {
            lines.push(Line::from("  no change in the pod template since the previous run"));
        } else {
            lines.push(Line::from("  changed since the previous run:"));
            lines.extend(run.changes.iter().map(|c| Line::from(format!("    {c}"))));
        }
    }
    lines.push(Line::from(Span::styled("events", Style::new().add_modifier(Modifier::BOLD))));
    if loaded.events.is_empty() {
        lines.push(Line::from("  none that explain a missing or late run"));
    }
    for event in &loaded.events {
        let count = if event.count > 1 { format!(" (x{})", event.count) } else { String::new() };
        lines.push(Line::from(format!(
            "  {} ago {} {}{count}: {}",
            age(event.at, now),
            event.type_,
            event.reason,
            event.message
        )));
    }
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(Block::new().borders(Borders::TOP)),
        bottom,
    );
}

fn details(run: &Run) -> String {
    let by = match &run.trigger {
        Trigger::Scheduled { .. } => "scheduled".to_owned(),
        Trigger::Manual { by: Some(by) } => format!("manual ({by})"),
        Trigger::Manual { by: None } => "manual".to_owned(),
    };
    let nodes = if run.nodes.is_empty() { "-".into() } else { run.nodes.join(",") };
    format!("{}: {by}, {} attempt(s), nodes {nodes}", run.name, run.attempt_count)
}

fn run_style(app: &App, result: RunResult) -> Style {
    if !app.color {
        return Style::new();
    }
    match result {
        RunResult::Succeeded => Style::new().fg(Color::Green),
        RunResult::Failed => Style::new().fg(Color::Red),
        RunResult::Running => Style::new().fg(Color::Cyan),
        RunResult::Pending => Style::new().fg(Color::Yellow),
        RunResult::Deleted => Style::new().fg(Color::DarkGray),
    }
}

fn logs_view(frame: &mut Frame, area: Rect, app: &App, logs: &LogsView) {
    let shown = usize::from(area.height.saturating_sub(1)).max(1);
    let bottom = logs.lines.len().saturating_sub(shown);
    let top = if logs.follow { bottom } else { logs.top.min(bottom) };
    let state = if logs.streaming {
        if logs.follow { "following" } else { "streaming" }
    } else {
        "complete"
    };
    let title = format!(
        " logs job.batch/{} ({state})  lines {}-{} of {} ",
        logs.job,
        (top + 1).min(logs.lines.len()),
        (top + shown).min(logs.lines.len()),
        logs.lines.len()
    );
    let total = logs.lines.len();
    let mut lines: Vec<Line> = logs
        .lines
        .iter()
        .enumerate()
        .skip(top)
        .take(shown)
        .map(|(i, l)| match &logs.ended {
            // How the run ended, as the last line.
            Some(ended) if i + 1 == total => {
                Line::from(Span::styled(ended.clone(), result_style(app, ended)))
            }
            _ => Line::from(l.as_str()),
        })
        .collect();
    if logs.lines.is_empty() && logs.streaming {
        lines.push(Line::from("reading the log..."));
    }
    frame.render_widget(
        Paragraph::new(lines).block(Block::new().borders(Borders::TOP).title(title)),
        area,
    );
}

fn popup(frame: &mut Frame, area: Rect, title: &str, text: Vec<Line>, app: &App) {
    let width = area.width.saturating_sub(4).min(76);
    // Wrapped here, not by the paragraph, so the height and the lines kept in view count the
    // rows a long line takes (a command's summary line must not push its result out of view).
    let inner_width = usize::from(width.saturating_sub(2)).max(1);
    let text: Vec<Line> = text.into_iter().flat_map(|l| wrap_line(l, inner_width)).collect();
    let wanted = u16::try_from(text.len()).unwrap_or(u16::MAX).saturating_add(2);
    let height = wanted.min(area.height.saturating_sub(2));
    let rect = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    // Keep the newest lines of a long output in view.
    let inner = usize::from(height.saturating_sub(2));
    let skip = text.len().saturating_sub(inner);
    let text: Vec<Line> = text.into_iter().skip(skip).collect();
    let border = if app.color { Style::new().fg(Color::Cyan) } else { Style::new() };
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(text)
            .block(Block::bordered().title(format!(" {title} ")).border_style(border)),
        rect,
    );
}

/// A line cut into rows of at most `width` cells: at the last space that fits, else anywhere
/// (a word longer than the row).
fn wrap_line(line: Line<'_>, width: usize) -> Vec<Line<'_>> {
    if line.width() <= width {
        return vec![line];
    }
    let cells = |text: &str| Span::raw(text).width();
    let style = line.spans.first().map_or(line.style, |s| line.style.patch(s.style));
    let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
    let mut rows = Vec::new();
    let mut row = String::new();
    for c in text.chars() {
        row.push(c);
        if cells(&row) <= width {
            continue;
        }
        row.pop();
        let carried = match row.rfind(' ') {
            Some(at) if at > 0 => {
                let rest = row[at + 1..].to_owned();
                row.truncate(at);
                rest
            }
            _ => String::new(),
        };
        rows.push(Line::styled(std::mem::replace(&mut row, carried), style));
        row.push(c);
    }
    if !row.is_empty() {
        rows.push(Line::styled(row, style));
    }
    rows
}

fn help(frame: &mut Frame, area: Rect, app: &App) {
    let mut lines = vec![
        "↑/↓ j/k, PgUp/PgDn, g/G   move (wheel too, with --mouse)",
        "⏎                          a CronJob's history; on a run, its logs",
        "esc                        back; on the table, clear filter and marks",
        "/                          filter by name, namespace, verdict, schedule",
        ":ns NAME  :ns all  :ctx N  switch namespace or context",
        "R                          reload the history",
        "f, End                     follow the log (an active run)",
    ];
    if app.allowed(Perm::Trigger) {
        lines.push("t                          trigger now, waiting for the result");
    }
    if app.allowed(Perm::Patch) {
        lines.push("space                      mark a CronJob (suspend/resume act on marks)");
        lines.push("s / r                      suspend / resume (marked, else this one)");
        lines.push("n / N                      reschedule to the next minute / restore");
    }
    if app.allowed(Perm::Prune) {
        lines.push("p                          prune finished runs, keeping the newest");
    }
    if app.perms.read_only() {
        lines.push("read-only: writes are off (--read-only, or RBAC refuses them)");
    }
    lines.push("q, Ctrl-C                  quit");
    let text = lines.into_iter().map(Line::from).collect();
    popup(frame, area, "help (any key closes)", text, app);
}
