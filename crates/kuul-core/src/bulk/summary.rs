//! What a bulk run did, item by item, and the closing summary every bulk command prints: counts,
//! then every failure on its own line (the issue asks for each failure listed).

use std::fmt::Write as _;
use std::time::Duration;

use serde::Serialize;

use crate::error::{Error, ExitStatus};

/// Why the run stopped early.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Halt {
    /// Ctrl-C (or the caller's stop signal).
    Interrupted,
    /// `--timeout` passed.
    TimeLimit,
}

/// What became of one item.
#[derive(Debug)]
pub enum Outcome<O> {
    /// The closure returned this.
    Done(O),
    /// The last error, after `attempts` attempts (retries used up, a permanent error, or a halt
    /// during the wait before a retry).
    Failed {
        /// The last error.
        error: Error,
        /// Attempts made.
        attempts: u32,
    },
    /// Never started: the run halted first. The object is untouched.
    NotStarted(Halt),
    /// In flight when a second Ctrl-C abandoned the run: it may or may not have changed.
    Abandoned,
}

/// An item with its outcome.
#[derive(Debug)]
pub struct ItemOutcome<T, O> {
    /// The item as the caller gave it.
    pub item: T,
    /// What became of it.
    pub outcome: Outcome<O>,
}

/// The result of [`super::run`]: one entry per item, in input order.
#[derive(Debug)]
pub struct Summary<T, O> {
    /// Every item with its outcome.
    pub items: Vec<ItemOutcome<T, O>>,
    /// Why the run stopped early, if it did.
    pub halt: Option<Halt>,
    /// Calls of the closure (first attempts and retries).
    pub attempts: u64,
    /// Wall time of the run.
    pub elapsed: Duration,
}

/// One failed item, for JSON reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FailedItem {
    /// The object, as the caller labels it (e.g. `cronjob.batch/ops/backup`).
    pub object: String,
    /// What went wrong.
    pub error: String,
    /// Attempts made (0 when it was never started or abandoned).
    pub attempts: u32,
}

/// Run-level numbers, for JSON reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Stats {
    /// Items that failed (including abandoned ones).
    pub failed: usize,
    /// Items never started because the run halted.
    pub not_started: usize,
    /// Why the run halted early (`interrupted`, `time-limit`), or null.
    pub halted: Option<Halt>,
    /// Closure calls (first attempts plus retries).
    pub attempts: u64,
    /// Wall time in seconds.
    pub elapsed_seconds: f64,
}

impl<T, O> Summary<T, O> {
    /// Successful items whose result matches `pred`.
    pub fn count(&self, pred: impl Fn(&O) -> bool) -> usize {
        self.done().filter(|(_, o)| pred(o)).count()
    }

    /// Successful items with their results.
    pub fn done(&self) -> impl Iterator<Item = (&T, &O)> {
        self.items.iter().filter_map(|i| match &i.outcome {
            Outcome::Done(o) => Some((&i.item, o)),
            _ => None,
        })
    }

    /// When every item was refused with a 403 (a read-only context), that refusal, taken out
    /// of the summary: the command ends as `trigger` does, with one `error: forbidden: cannot
    /// VERB RESOURCE in namespace NS` line and exit 1, not one `failed:` line per object and
    /// exit 3. `None` when any item did anything else.
    pub fn all_forbidden(&mut self) -> Option<Error> {
        let forbidden =
            |o: &Outcome<O>| matches!(o, Outcome::Failed { error: Error::Forbidden { .. }, .. });
        if self.items.is_empty() || !self.items.iter().all(|i| forbidden(&i.outcome)) {
            return None;
        }
        match std::mem::replace(&mut self.items[0].outcome, Outcome::Abandoned) {
            Outcome::Failed { error, .. } => Some(error),
            _ => None,
        }
    }

    /// Items that failed or were abandoned.
    pub fn failed_count(&self) -> usize {
        self.items
            .iter()
            .filter(|i| matches!(i.outcome, Outcome::Failed { .. } | Outcome::Abandoned))
            .count()
    }

    /// Items never started.
    pub fn not_started_count(&self) -> usize {
        self.items.iter().filter(|i| matches!(i.outcome, Outcome::NotStarted(_))).count()
    }

    /// 130 when interrupted, 3 when any item failed or was not started, else 0.
    pub fn exit_status(&self) -> ExitStatus {
        if self.halt == Some(Halt::Interrupted) {
            ExitStatus::Interrupted
        } else if self.failed_count() > 0 || self.not_started_count() > 0 {
            ExitStatus::Partial
        } else {
            ExitStatus::Success
        }
    }

    /// Every failed or abandoned item, labelled by `label`.
    pub fn failures(&self, label: impl Fn(&T) -> String) -> Vec<FailedItem> {
        self.items
            .iter()
            .filter_map(|i| match &i.outcome {
                Outcome::Failed { error, attempts } => Some(FailedItem {
                    object: label(&i.item),
                    error: error.to_string(),
                    attempts: *attempts,
                }),
                Outcome::Abandoned => Some(FailedItem {
                    object: label(&i.item),
                    error: "abandoned in flight by a second Ctrl-C: it may or may not have changed"
                        .into(),
                    attempts: 0,
                }),
                _ => None,
            })
            .collect()
    }

    /// Run-level numbers.
    pub fn stats(&self) -> Stats {
        Stats {
            failed: self.failed_count(),
            not_started: self.not_started_count(),
            halted: self.halt,
            attempts: self.attempts,
            elapsed_seconds: (self.elapsed.as_secs_f64() * 1000.0).round() / 1000.0,
        }
    }

    /// The closing text: `COMMAND: 3 suspended, 1 already suspended, 1 failed`, a line on why
    /// the run stopped early, then one line per failure.
    pub fn render(
        &self,
        command: &str,
        counts: &[(usize, &str)],
        label: impl Fn(&T) -> String,
    ) -> String {
        let mut parts: Vec<String> = counts.iter().map(|(n, what)| format!("{n} {what}")).collect();
        let failures = self.failures(&label);
        parts.push(format!("{} failed", failures.len()));
        let not_started = self.not_started_count();
        crate::fanout::member::record_counts(command, counts, failures.len(), not_started);
        if not_started > 0 {
            parts.push(format!("{not_started} not started"));
        }
        let mut text = format!("{command}: {}\n", parts.join(", "));
        match self.halt {
            Some(Halt::Interrupted) => text.push_str(
                "interrupted: no new requests were sent after Ctrl-C; objects not started are \
                 untouched, run the command again to finish\n",
            ),
            Some(Halt::TimeLimit) => text.push_str(
                "stopped at the --timeout limit; objects not started are untouched, run the \
                 command again to finish\n",
            ),
            None => {}
        }
        for failure in &failures {
            let _ = writeln!(text, "failed: {}: {}", failure.object, failure.error);
        }
        text
    }
}
