//! `kuul-sandbox`: a local emulated Kubernetes API server with a simulated control plane
//! (CronJob controller, Job controller, scheduler and kubelet) on a controllable clock.
//!
//! Module map (owners while the crate is being built):
//! - `kind`: the resources the sandbox serves.
//! - `controllers`, `seed`, `control_plane`: the simulated control plane and seed data.
//! - everything else (store, HTTP API, discovery, auth, TLS, admin API, faults, clock, builder):
//!   the API server.

pub mod controllers;
pub mod kind;
pub mod seed;
