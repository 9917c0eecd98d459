//! `kuul-sandbox`: a local emulated Kubernetes API server with a simulated control plane
//! (CronJob controller, Job controller, scheduler and kubelet) on a controllable clock.
//!
//! Module map (owners while the crate is being built):
//! - `kind`: the resources the sandbox serves.
//! - `controllers`, `seed`, `control_plane`: the simulated control plane and seed data.
//! - everything else (store, HTTP API, discovery, auth, TLS, admin API, faults, clock, builder):
//!   the API server.
//!
//! Start one from a test with [`Sandbox::builder`]; run one for kubectl with
//! `kuul-sandbox serve --kubeconfig PATH`.

pub mod admin;
pub mod api;
pub mod auth;
pub mod clock;
pub mod control_plane;
pub mod controllers;
pub mod defaults;
pub mod error;
pub mod faults;
pub mod kind;
pub mod kubeconfig;
pub mod metrics;
pub mod quantity;
pub mod quota;
pub mod sandbox;
pub mod seed;
pub mod server;
pub mod store;
pub mod tls;
pub mod validation;

pub use clock::Clock;
pub use error::{ApiError, FieldError};
pub use faults::FaultConfig;
pub use kind::Kind;
pub use metrics::{RequestCount, RequestKey};
pub use sandbox::{Sandbox, SandboxBuilder, SandboxError};
pub use seed::Seed;
pub use store::{Change, ChangeType, Page, PageQuery, Store, Unavailable};
