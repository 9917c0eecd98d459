//! Everything that talks to the API server: connecting like kubectl, sending requests with bounded
//! retries and timeouts, the API server's clock, error mapping, selectors and our annotations.
//!
//! Commands use [`Cluster`] rather than `kube::Api` so that every request goes through the same
//! retry policy, timeout, error mapping and clock observation.

mod access;
pub mod annotations;
mod clock;
mod connect;
mod errors;
pub(crate) mod facts;
mod incluster;
pub(crate) mod list;
pub mod lookup;
mod request;
pub mod selector;
pub(crate) mod shape;
mod stack;
pub(crate) mod time;
pub mod trace;

pub use access::Access;
pub use clock::{ClockSource, ServerClock};
pub(crate) use connect::load_kubeconfig;
pub use connect::{Connection, connect};
pub use request::{Cluster, ListOptions, Write};
