//! `kuul-sandbox`: a local emulated Kubernetes API server with a simulated control plane
//! (CronJob controller, Job controller, scheduler and kubelet) on a controllable clock.
//!
//! Module map (owners while the crate is being built):
//! - `kind`: the resources the sandbox serves.
//! - `controllers`, `seed`, `control_plane`: the simulated control plane and seed data.
//! - everything else (store, HTTP API, discovery, auth, TLS, admin API, faults, clock, builder):
//!   the API server.

pub mod clock;
pub mod control_plane;
pub mod controllers;
pub mod defaults;
pub mod error;
pub mod kind;
pub mod seed;
pub mod store;
pub mod validation;

pub use clock::Clock;
pub use error::{ApiError, FieldError};
pub use kind::Kind;
pub use store::{Change, ChangeType, Store};
