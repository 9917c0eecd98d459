//! One cluster of a fan-out run, as the layers below the command see it: a task-local
//! [`Member`] set while that cluster's command runs. Layers that must behave differently across
//! clusters ask [`current`]; commands themselves never do.
//!
//! - The write gate ([`barrier`], [`confirm`]): the bulk engine, `trigger` and
//!   `reschedule-next-minute` stop before their first write until every cluster has planned (or
//!   failed); questions are asked once, for all clusters, by the coordinator.
//! - Notices (`crate::notice`) name the context; progress bars are off (the members run with a
//!   non-interactive `Context`).
//! - Closing bulk summaries are recorded ([`record_counts`]) for the total across clusters.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use tokio::sync::Notify;

use crate::error::{Error, Result};
use crate::output::lock;

tokio::task_local! {
    static MEMBER: Arc<Member>;
}

/// The member of the running task, if it runs inside a fan-out.
pub fn current() -> Option<Arc<Member>> {
    MEMBER.try_with(Arc::clone).ok()
}

/// Runs `future` as `member`.
pub(super) async fn scope<F: Future>(member: Arc<Member>, future: F) -> F::Output {
    MEMBER.scope(member, future).await
}

/// One cluster's side of a fan-out run.
pub struct Member {
    /// The kubeconfig context.
    pub name: String,
    gate: Arc<Gate>,
    passed: Mutex<bool>,
    counts: Mutex<Vec<Counts>>,
    files: Mutex<Vec<(std::path::PathBuf, serde_json::Value)>>,
}

/// A bulk command's closing numbers in one cluster (`bulk::Summary::render`).
#[derive(Debug, Clone, Default)]
pub(super) struct Counts {
    pub command: String,
    pub counts: Vec<(usize, String)>,
    pub failed: usize,
    pub not_started: usize,
}

impl Member {
    pub(super) fn new(name: String, gate: Arc<Gate>) -> Self {
        Member {
            name,
            gate,
            passed: Mutex::new(false),
            counts: Mutex::default(),
            files: Mutex::default(),
        }
    }

    /// A JSON file this cluster would write (`suspend-all --save-to`): the fan-out writes one,
    /// with every cluster's items, when all are done.
    pub fn defer_file(&self, path: &std::path::Path, value: serde_json::Value) {
        lock(&self.files).push((path.to_owned(), value));
    }

    pub(super) fn files(&self) -> Vec<(std::path::PathBuf, serde_json::Value)> {
        lock(&self.files).clone()
    }

    pub(super) fn counts(&self) -> Vec<Counts> {
        lock(&self.counts).clone()
    }

    /// Tells the coordinator something changed (output was captured, the member finished).
    pub(super) fn poke(&self) {
        self.gate.changed.notify_waiters();
    }

    async fn at_gate(&self, count: usize, question: Option<String>) -> Decision {
        if std::mem::replace(&mut *lock(&self.passed), true) {
            return Decision::Go;
        }
        lock(&self.gate.state).arrived.insert(self.name.clone(), Arrival { count, question });
        self.gate.changed.notify_waiters();
        loop {
            let decided = self.gate.decided.notified();
            let decision = lock(&self.gate.state).decision.clone();
            if let Some(decision) = decision {
                return decision;
            }
            decided.await;
        }
    }
}

/// The rendezvous of every member before writes.
#[derive(Default)]
pub(super) struct Gate {
    pub total: usize,
    pub state: Mutex<GateState>,
    /// A member arrived, finished or printed.
    pub changed: Notify,
    /// The decision is made.
    pub decided: Notify,
}

#[derive(Default)]
pub(super) struct GateState {
    pub arrived: BTreeMap<String, Arrival>,
    pub finished: usize,
    pub decision: Option<Decision>,
}

/// A member waiting at the gate.
#[derive(Debug, Clone)]
pub(super) struct Arrival {
    /// Objects it is about to write.
    pub count: usize,
    /// The question it would have asked alone (`None`: it would not have asked).
    pub question: Option<String>,
}

/// What the coordinator decided for every member at the gate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Decision {
    Go,
    /// The person said no.
    No,
    /// Confirmation was needed and could not be asked (no terminal, no `--yes`).
    Refuse(String),
}

impl Gate {
    pub(super) fn new(total: usize) -> Self {
        Gate { total, ..Gate::default() }
    }

    /// Every member is at the gate or done.
    pub(super) fn everyone_planned(&self) -> bool {
        let state = lock(&self.state);
        state.arrived.len() + state.finished >= self.total
    }

    pub(super) fn decide(&self, decision: Decision) {
        lock(&self.state).decision = Some(decision);
        self.decided.notify_waiters();
    }
}

/// Before a command's first write: in a fan-out run, waits until every cluster has planned.
/// Nothing happens outside one (or after this member passed the gate once).
pub async fn barrier(count: usize) {
    if let Some(member) = current() {
        // A barrier never asks, so it never declines.
        let _ = member.at_gate(count, None).await;
    }
}

/// `crate::confirm` in a fan-out run: the question waits at the gate and the coordinator asks
/// once for every cluster. `None` outside a fan-out run.
pub(crate) async fn confirm(question: &str, yes: bool) -> Option<Result<bool>> {
    let member = current()?;
    let question = (!yes).then(|| question.to_owned());
    Some(match member.at_gate(0, question).await {
        Decision::Go => Ok(true),
        Decision::No => Ok(false),
        Decision::Refuse(message) => Err(Error::Usage(message)),
    })
}

/// A bulk run's closing numbers, for the total across clusters.
pub(crate) fn record_counts(
    command: &str,
    counts: &[(usize, &str)],
    failed: usize,
    not_started: usize,
) {
    if let Some(member) = current() {
        lock(&member.counts).push(Counts {
            command: command.to_owned(),
            counts: counts.iter().map(|(n, what)| (*n, (*what).to_owned())).collect(),
            failed,
            not_started,
        });
    }
}

/// A stderr line of a member names its context: `Warning: context prod: ...`,
/// `error: context prod: ...`, else `context prod: ...`. Unchanged outside a fan-out run.
pub fn label_line(text: &str) -> String {
    let Some(member) = current() else { return text.to_owned() };
    label_with(&member.name, text)
}

pub(super) fn label_with(context: &str, text: &str) -> String {
    for tag in ["Warning: ", "error: ", "hint: "] {
        if let Some(rest) = text.strip_prefix(tag) {
            return format!("{tag}context {context}: {rest}");
        }
    }
    format!("context {context}: {text}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stderr_lines_name_the_context_after_their_tag() {
        assert_eq!(label_with("a", "Warning: x"), "Warning: context a: x");
        assert_eq!(label_with("a", "error: y"), "error: context a: y");
        assert_eq!(label_with("a", "No resources found"), "context a: No resources found");
    }

    #[tokio::test]
    async fn the_gate_opens_when_every_member_planned_or_finished() {
        let gate = Arc::new(Gate::new(3));
        let members: Vec<Arc<Member>> = ["a", "b", "c"]
            .iter()
            .map(|n| Arc::new(Member::new((*n).into(), gate.clone())))
            .collect();
        let order = Arc::new(Mutex::new(Vec::new()));
        let run = |m: Arc<Member>, writes: bool| {
            let order = order.clone();
            let gate = gate.clone();
            scope(m.clone(), async move {
                if writes {
                    barrier(1).await;
                    lock(&order).push(format!("{} writes", m.name));
                } else {
                    lock(&order).push(format!("{} failed", m.name));
                }
                lock(&gate.state).finished += 1;
                gate.changed.notify_waiters();
            })
        };
        let coordinator = async {
            loop {
                let changed = gate.changed.notified();
                if gate.everyone_planned() {
                    lock(&order).push("decided".into());
                    gate.decide(Decision::Go);
                    break;
                }
                changed.await;
            }
        };
        futures::join!(
            run(members[0].clone(), true),
            run(members[1].clone(), true),
            run(members[2].clone(), false),
            coordinator
        );
        let order = lock(&order);
        assert_eq!(order[..2], ["c failed".to_owned(), "decided".to_owned()]);
        assert_eq!(order.len(), 4);
    }
}
