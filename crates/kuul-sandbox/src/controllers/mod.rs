//! The simulated control plane's decisions, as pure functions over typed objects.
//!
//! CONTRACT between the controllers (this folder) and the store/`control_plane` that applies
//! their decisions. Each controller looks at one object plus what it owns and the current time,
//! and returns the writes it wants (`Action`s) and when it wants to be asked again. Nothing here
//! touches the store, the clock or the network, so every decision is unit-testable.

use jiff::Timestamp;
use k8s_openapi::api::batch::v1::Job;
use k8s_openapi::api::core::v1::{Event, Pod};

use crate::kind::Kind;

pub mod cronjob;
pub mod events;
pub mod job;
pub mod kubelet;
/// The kubelet's handling of a pod being deleted (graceful termination).
#[path = "kubelet/termination.rs"]
pub mod kubelet_termination;
pub mod namespace;
pub mod refs;
pub mod scheduler;
pub mod ttl;
#[cfg(test)]
mod upstream_cases;

/// A write a controller wants made. The control plane applies it through the store exactly as an
/// API request would be (resourceVersion, watch events, garbage collection).
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Create a Job (e.g. a scheduled run).
    CreateJob(Box<Job>),
    /// Create a Pod (e.g. for a Job).
    CreatePod(Box<Pod>),
    /// Record an Event.
    CreateEvent(Box<Event>),
    /// Replace an object's `.status` (the `/status` subresource). `object` is the full object with
    /// the new status and the resourceVersion it was computed from (a stale one is a conflict: the
    /// control plane re-reads and asks the controller again).
    ReplaceStatus {
        /// Which resource.
        kind: Kind,
        /// The full object carrying the new status.
        object: serde_json::Value,
    },
    /// Replace a whole object (e.g. the scheduler binding a pod by setting `spec.nodeName`).
    Replace {
        /// Which resource.
        kind: Kind,
        /// The full new object, carrying the resourceVersion it was computed from.
        object: serde_json::Value,
    },
    /// Remove one finalizer from an object (a patch of `metadata.finalizers` without a
    /// resourceVersion, as upstream's `removeTrackingFinalizerPatch`); an object already gone is
    /// fine. The object goes if it was being deleted and this was its last finalizer.
    RemoveFinalizer {
        /// Which resource.
        kind: Kind,
        /// Namespace of the object.
        namespace: String,
        /// Name of the object.
        name: String,
        /// The finalizer to remove.
        finalizer: String,
    },
    /// Delete an object with a propagation policy (history limits, `Replace` concurrency, a failed
    /// Job's pods are kept).
    Delete {
        /// Which resource.
        kind: Kind,
        /// Namespace of the object.
        namespace: String,
        /// Name of the object.
        name: String,
        /// How dependents are handled.
        propagation: Propagation,
        /// `preconditions.uid`: delete only this incarnation of the name.
        uid: Option<String>,
    },
}

/// `propagationPolicy` of a delete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Propagation {
    /// Dependents are deleted by the garbage collector after the owner.
    Background,
    /// The owner waits for its blocking dependents.
    Foreground,
    /// Dependents lose their owner reference and stay.
    Orphan,
}

/// What one sync of one object decided.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sync {
    /// Writes to make, in order.
    pub actions: Vec<Action>,
    /// When to sync this object again even if nothing about it changes (next schedule time, a
    /// pod's finish time, an active deadline). `None`: only on change.
    pub requeue_at: Option<Timestamp>,
}
