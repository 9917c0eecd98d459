//! The bulk-write engine: every command that changes many objects (`suspend-all`, `resume`,
//! `prune`, `label-pool`) sends its writes through [`run`], so they all share one behaviour
//! (DESIGN.md "Writes are precise"):
//!
//! - bounded concurrency (`--concurrency`, default 16), so a 5,000-object run neither crawls
//!   one request at a time nor floods the API server's priority-and-fairness queues;
//! - retries with jittered exponential backoff on 409 Conflict (the caller re-reads the object
//!   and decides again), 429 Too Many Requests (at least a second apart; `Cluster` has already
//!   honoured the server's `Retry-After` inside each request), 5xx and dropped connections (a
//!   write that may or may not have landed is re-read, never blindly re-sent);
//! - a bounded total time (`--timeout`): after it no new object is started and no retry is made;
//! - an indicatif progress bar on stderr, only on a terminal (`Options::progress`);
//! - Ctrl-C stops issuing requests and lets in-flight ones finish (a second Ctrl-C abandons them);
//!   the command then prints its summary and exits 130;
//! - a [`Summary`] in input order, with every failure, for the closing report; exit 3 when some
//!   objects failed ([`Summary::exit_status`]).
//!
//! # How to call it
//!
//! The caller lists the objects, then hands the engine one item per object and an async closure
//! that does the work for one item. The closure gets an [`Attempt`]: on the first attempt it may
//! use what the list returned; on a retry ([`Attempt::is_retry`]) it must re-read the object and
//! decide again, because the object changed (409) or the last write may have landed (5xx,
//! dropped connection). Errors it returns are classified by the engine: retryable ones are
//! retried, anything else fails the item at once.
//!
//! ```no_run
//! # use kuul_core::bulk::{self, Attempt, BulkArgs, Options};
//! # use kuul_core::cluster::{Cluster, Write};
//! # use kuul_core::error::Result;
//! # use k8s_openapi::api::core::v1::Node;
//! # async fn demo(cluster: &Cluster, args: &BulkArgs, interactive: bool, nodes: Vec<String>)
//! #     -> Result<()> {
//! #[derive(Debug)]
//! enum Done { Labelled, AlreadyThere }
//!
//! let options = Options::new(args, interactive, "labelling nodes");
//! let summary = bulk::run(nodes, &options, async |name: &String, attempt: Attempt| {
//!     // Re-read on retries; the first attempt could reuse listed state instead.
//!     let node: Node = cluster.get::<Node, Node>(None, name).await?;
//!     let labels = node.metadata.labels.unwrap_or_default();
//!     if labels.get("kuul.dev/pool").map(String::as_str) == Some("batch") {
//!         return Ok(Done::AlreadyThere);
//!     }
//!     let patch = serde_json::json!({"metadata": {
//!         "resourceVersion": node.metadata.resource_version,
//!         "labels": {"kuul.dev/pool": "batch"}}});
//!     let _: serde_json::Value = cluster
//!         .patch::<Node, _, _>(None, name, &kube::api::Patch::Merge(&patch), Write::Apply)
//!         .await?;
//!     let _ = attempt;
//!     Ok(Done::Labelled)
//! })
//! .await;
//! let labelled = summary.count(|done| matches!(done, Done::Labelled));
//! let text = summary.render(
//!     "label-pool",
//!     &[(labelled, "labelled")],
//!     |name| format!("node/{name}"),
//! );
//! // out.write_str(&text)?; then return Ok(summary.exit_status())
//! # let _ = text; Ok(()) }
//! ```
//!
//! The closure runs on the caller's task (no `tokio::spawn`), so it may borrow freely and need
//! not be `Send`; hyper drives the connections on its own tasks, so concurrency is real.

mod args;
mod engine;
pub(crate) mod progress;
mod retry;
mod summary;

#[cfg(test)]
mod tests;

pub use args::{BulkArgs, DEFAULT_CONCURRENCY, Options};
pub use engine::{run, run_until};
pub use retry::{Attempt, Backoff, RetryCause, classify};
pub use summary::{FailedItem, Halt, ItemOutcome, Outcome, Stats, Summary};
