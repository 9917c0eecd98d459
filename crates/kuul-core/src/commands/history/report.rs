//! How `history` prints: the JSON document (docs/commands/history.md), the table with runs and
//! gap events interleaved by time, the result strip, and the `--diff` table.

use jiff::Timestamp;
use serde::Serialize;
use serde_json::Value;

use crate::cluster::ClockSource;
use crate::duration;
use crate::output::{Cell, Report, Tone};
use crate::runs::{GapEvent, History, Run, RunResult, Trigger};

/// The `history` result.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryReport {
    /// Always `kuul.dev/v1alpha1`.
    pub api_version: &'static str,
    /// Always `HistoryReport`.
    pub kind: &'static str,
    /// The "now" durations of running runs are measured to.
    pub observed_at: Timestamp,
    /// Where `observedAt` came from.
    pub clock: ClockSource,
    /// One entry per CronJob, by namespace then name.
    pub items: Vec<History>,
    #[serde(skip)]
    show_namespace: bool,
}

impl HistoryReport {
    /// A report; `show_namespace` adds the NAMESPACE column (with `-A`).
    pub fn new(
        observed_at: Timestamp,
        clock: ClockSource,
        show_namespace: bool,
        items: Vec<History>,
    ) -> Self {
        HistoryReport {
            api_version: "kuul.dev/v1alpha1",
            kind: "HistoryReport",
            observed_at,
            clock,
            items,
            show_namespace,
        }
    }

    /// One line per CronJob: its retained results, oldest to newest (`backup  ✓✓✗✓▶`),
    /// coloured when `color`.
    pub fn strips(&self, color: bool) -> String {
        let width =
            self.items.iter().map(|i| label(i, self.show_namespace).len()).max().unwrap_or(0);
        let mut out = String::new();
        for item in &self.items {
            let marks: String = item
                .runs
                .iter()
                .rev()
                .map(|r| {
                    let mark = r.result.mark();
                    let code = match r.result {
                        RunResult::Succeeded => "32",
                        RunResult::Failed => "31",
                        RunResult::Running | RunResult::Pending => "33",
                        RunResult::Deleted => "2",
                    };
                    if color { format!("\u{1b}[{code}m{mark}\u{1b}[0m") } else { mark.to_string() }
                })
                .collect();
            let marks = if marks.is_empty() { "(no runs)".to_owned() } else { marks };
            out.push_str(&format!("{:width$}   {marks}\n", label(item, self.show_namespace)));
        }
        out.push('\n');
        out
    }

    fn show_cronjob(&self) -> bool {
        self.items.len() > 1
    }
}

fn label(item: &History, namespace: bool) -> String {
    if namespace { format!("{}/{}", item.namespace, item.name) } else { item.name.clone() }
}

/// A table row: a run or an event, with the time it sorts by.
enum Row<'a> {
    Run(&'a Run),
    Event(&'a GapEvent),
}

impl Row<'_> {
    fn at(&self) -> Option<Timestamp> {
        match self {
            Row::Run(r) => match r.trigger {
                Trigger::Scheduled { at: Some(at) } => Some(at),
                _ => r.created,
            },
            Row::Event(e) => e.at,
        }
    }
}

fn result_tone(result: RunResult) -> Tone {
    match result {
        RunResult::Succeeded => Tone::Good,
        RunResult::Failed => Tone::Bad,
        RunResult::Running => Tone::Plain,
        RunResult::Pending | RunResult::Deleted => Tone::Warning,
    }
}

fn or_none(text: Option<String>) -> Cell {
    text.filter(|t| !t.is_empty()).unwrap_or_else(|| "<none>".into()).into()
}

impl HistoryReport {
    /// One CronJob's rows: its runs and gap events, newest first.
    fn item_rows(&self, item: &History, wide: bool) -> Vec<Vec<Cell>> {
        let now = self.observed_at;
        let age = |t: Option<Timestamp>| t.map(|t| duration::age(t, now));
        let mut out = Vec::new();
        let mut rows: Vec<Row<'_>> = item.runs.iter().map(Row::Run).collect();
        rows.extend(item.events.iter().map(Row::Event));
        // Newest first; a stable sort keeps runs before the events of the same instant.
        rows.sort_by_key(|row| std::cmp::Reverse(row.at()));
        for row in rows {
            let mut cells: Vec<Cell> = Vec::new();
            if self.show_cronjob() {
                cells.push(item.name.clone().into());
            }
            match row {
                Row::Run(run) => {
                    let scheduled = match &run.trigger {
                        Trigger::Scheduled { at } => or_none(age(*at)),
                        Trigger::Manual { by: Some(by) } => format!("manual ({by})").into(),
                        Trigger::Manual { by: None } => "manual".into(),
                    };
                    let started = if run.result == RunResult::Deleted {
                        "<none>".into()
                    } else {
                        or_none(age(run.started))
                    };
                    let attempts = if run.result == RunResult::Deleted {
                        "-".to_owned()
                    } else if run.attempts_deleted > 0 {
                        format!("{} ({} deleted)", run.attempt_count, run.attempts_deleted)
                    } else {
                        run.attempt_count.to_string()
                    };
                    cells.extend([
                        run.name.clone().into(),
                        scheduled,
                        started,
                        or_none(run.late_seconds.map(duration::human)),
                        or_none(run.duration_seconds.map(duration::human)),
                        Cell::toned(run.result.as_str(), result_tone(run.result)),
                        run.reason.clone().unwrap_or_else(|| "-".into()).into(),
                        attempts.into(),
                        if run.nodes.is_empty() {
                            "<none>".into()
                        } else {
                            run.nodes.join(",").into()
                        },
                        if run.changes.is_empty() {
                            "-".into()
                        } else {
                            Cell::toned(run.changes.join("; "), Tone::Warning)
                        },
                    ]);
                    if wide {
                        cells.push(or_none(Some(run.images.join(","))));
                        let pods: Vec<&str> = run.attempts.iter().map(|a| a.pod.as_str()).collect();
                        cells.push(or_none(Some(pods.join(","))));
                    }
                }
                Row::Event(event) => {
                    let message = if event.count > 1 {
                        format!("{} (x{})", event.message, event.count)
                    } else {
                        event.message.clone()
                    };
                    let tone = if event.type_ == "Warning" { Tone::Bad } else { Tone::Warning };
                    cells.extend([
                        "<event>".into(),
                        or_none(age(event.at)),
                        "-".into(),
                        "-".into(),
                        "-".into(),
                        Cell::toned(event.reason.clone(), tone),
                        message.into(),
                        "-".into(),
                        "-".into(),
                        "-".into(),
                    ]);
                    if wide {
                        cells.extend(["-".into(), "-".into()]);
                    }
                }
            }
            out.push(cells);
        }
        out
    }
}

impl Report for HistoryReport {
    fn headers(&self, wide: bool) -> Vec<&'static str> {
        let mut headers = Vec::new();
        if self.show_cronjob() {
            headers.push("CRONJOB");
        }
        headers.extend([
            "RUN",
            "SCHEDULED",
            "STARTED",
            "LATE",
            "DURATION",
            "RESULT",
            "REASON",
            "ATTEMPTS",
            "NODE",
            "CHANGED",
        ]);
        if wide {
            headers.extend(["IMAGES", "PODS"]);
        }
        headers
    }

    fn rows(&self, wide: bool) -> Vec<Vec<Cell>> {
        // 50,000 rows under `-A`: formatted on every core (`crate::parallel`), in order.
        let items: Vec<&History> = self.items.iter().collect();
        crate::parallel::map(items, |item| self.item_rows(item, wide))
            .into_iter()
            .flatten()
            .collect()
    }

    fn row_namespaces(&self) -> Option<Vec<String>> {
        self.show_namespace.then(|| {
            let rows = |i: &History| i.runs.len() + i.events.len();
            self.items
                .iter()
                .flat_map(|i| std::iter::repeat_n(i.namespace.clone(), rows(i)))
                .collect()
        })
    }

    fn names(&self) -> Vec<String> {
        self.items
            .iter()
            .flat_map(|i| i.runs.iter())
            .filter(|r| r.result != RunResult::Deleted)
            .map(|r| format!("job.batch/{}", r.name))
            .collect()
    }
}

/// `history --diff`: every leaf of the pod template that differs.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DiffReport {
    /// Always `kuul.dev/v1alpha1`.
    pub api_version: &'static str,
    /// Always `TemplateDiff`.
    pub kind: &'static str,
    /// The older run (first argument).
    pub from: String,
    /// The other run.
    pub to: String,
    /// Differing leaves, by path.
    pub changes: Vec<DiffLine>,
}

/// One differing leaf of the template (`spec.containers[name=main].image`).
#[derive(Debug, Clone, Serialize)]
pub struct DiffLine {
    /// The path.
    pub path: String,
    /// The value in `from` (`None`: absent).
    pub from: Option<String>,
    /// The value in `to`.
    pub to: Option<String>,
}

impl DiffReport {
    /// The difference of two templates.
    pub fn new(from: &str, old: &Value, to: &str, new: &Value) -> Self {
        let (a, b) = (crate::runs::flatten(old), crate::runs::flatten(new));
        let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
        let changes = keys
            .into_iter()
            .filter(|k| a.get(*k) != b.get(*k))
            .map(|k| DiffLine { path: k.clone(), from: a.get(k).cloned(), to: b.get(k).cloned() })
            .collect();
        DiffReport {
            api_version: "kuul.dev/v1alpha1",
            kind: "TemplateDiff",
            from: from.into(),
            to: to.into(),
            changes,
        }
    }
}

impl Report for DiffReport {
    fn headers(&self, _wide: bool) -> Vec<&'static str> {
        vec!["PATH", "FROM", "TO"]
    }

    fn rows(&self, _wide: bool) -> Vec<Vec<Cell>> {
        self.changes
            .iter()
            .map(|c| {
                vec![
                    c.path.clone().into(),
                    Cell::toned(c.from.clone().unwrap_or_else(|| "<none>".into()), Tone::Bad),
                    Cell::toned(c.to.clone().unwrap_or_else(|| "<none>".into()), Tone::Good),
                ]
            })
            .collect()
    }

    fn names(&self) -> Vec<String> {
        vec![format!("job.batch/{}", self.from), format!("job.batch/{}", self.to)]
    }
}
