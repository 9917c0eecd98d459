//! Fault injection and latency: reproducible (seeded) random failures a reliability test can
//! turn on: 500s, 429s with `Retry-After`, 409 conflicts on writes and dropped connections.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

use crate::error::ApiError;

/// Fault rates (each 0.0..=1.0, checked in this order) and fixed latency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FaultConfig {
    /// RNG seed; the same seed and request sequence give the same faults.
    pub seed: u64,
    /// Rate of dropped connections (no response at all).
    pub drop_rate: f64,
    /// Rate of 500 InternalError.
    pub error_rate: f64,
    /// Rate of 429 TooManyRequests.
    pub throttle_rate: f64,
    /// `Retry-After` seconds sent with 429.
    pub retry_after_seconds: u64,
    /// Rate of 409 Conflict on writes (create/update/patch/delete).
    pub conflict_rate: f64,
    /// Extra latency added to every API request, in milliseconds.
    pub latency_ms: u64,
}

impl Default for FaultConfig {
    fn default() -> Self {
        FaultConfig {
            seed: 0,
            drop_rate: 0.0,
            error_rate: 0.0,
            throttle_rate: 0.0,
            retry_after_seconds: 1,
            conflict_rate: 0.0,
            latency_ms: 0,
        }
    }
}

/// What to do to one request.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// Close the connection without answering.
    Drop,
    /// Answer with this error.
    Fail(ApiError),
}

/// The live fault state.
#[derive(Debug)]
pub struct Faults {
    state: Mutex<(FaultConfig, StdRng)>,
    /// Faults injected since the configuration was last set, so a test can prove it tested
    /// something.
    injected: AtomicU64,
}

impl Default for Faults {
    fn default() -> Self {
        Faults::new(FaultConfig::default())
    }
}

impl Faults {
    /// Faults per `config`.
    pub fn new(config: FaultConfig) -> Faults {
        let rng = StdRng::seed_from_u64(config.seed);
        Faults { state: Mutex::new((config, rng)), injected: AtomicU64::new(0) }
    }

    /// Replaces the configuration and reseeds the RNG.
    pub fn set(&self, config: FaultConfig) {
        let mut s = self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        s.1 = StdRng::seed_from_u64(config.seed);
        s.0 = config;
        self.injected.store(0, Ordering::Relaxed);
    }

    /// How many faults were injected since the configuration was last set.
    pub fn injected(&self) -> u64 {
        self.injected.load(Ordering::Relaxed)
    }

    /// The current configuration.
    pub fn config(&self) -> FaultConfig {
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner).0.clone()
    }

    /// The latency to add to each request.
    pub fn latency(&self) -> Duration {
        Duration::from_millis(self.config().latency_ms)
    }

    /// Draws the fault (if any) for one request.
    pub fn decide(&self, is_write: bool) -> Option<Fault> {
        let fault = self.draw(is_write);
        if fault.is_some() {
            self.injected.fetch_add(1, Ordering::Relaxed);
        }
        fault
    }

    fn draw(&self, is_write: bool) -> Option<Fault> {
        let mut s = self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let (cfg, rng) = &mut *s;
        if cfg.drop_rate <= 0.0
            && cfg.error_rate <= 0.0
            && cfg.throttle_rate <= 0.0
            && cfg.conflict_rate <= 0.0
        {
            return None;
        }
        let mut roll = |rate: f64| rate > 0.0 && rng.random_bool(rate.clamp(0.0, 1.0));
        if roll(cfg.drop_rate) {
            return Some(Fault::Drop);
        }
        if roll(cfg.error_rate) {
            return Some(Fault::Fail(ApiError::internal("injected fault")));
        }
        if roll(cfg.throttle_rate) {
            return Some(Fault::Fail(ApiError::too_many_requests(cfg.retry_after_seconds)));
        }
        if is_write && roll(cfg.conflict_rate) {
            let mut e = ApiError::bad_request(
                "Operation cannot be fulfilled: the object has been modified; please apply your changes to the latest version and try again",
            );
            e.code = 409;
            e.reason = "Conflict";
            return Some(Fault::Fail(e));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_faults() {
        let cfg =
            FaultConfig { seed: 7, error_rate: 0.3, throttle_rate: 0.3, ..FaultConfig::default() };
        let a = Faults::new(cfg.clone());
        let b = Faults::new(cfg);
        let run = |f: &Faults| {
            (0..200).map(|_| f.decide(false).map(|x| format!("{x:?}"))).collect::<Vec<_>>()
        };
        let (ra, rb) = (run(&a), run(&b));
        assert_eq!(ra, rb);
        let failures = ra.iter().filter(|x| x.is_some()).count();
        assert!((60..=160).contains(&failures), "{failures}");
        assert_eq!(a.injected(), failures as u64, "every injected fault is counted");
        a.set(FaultConfig::default());
        assert_eq!(a.injected(), 0, "setting faults starts a new count");
        assert!(Faults::default().decide(true).is_none());
    }

    #[test]
    fn conflicts_only_on_writes() {
        let f = Faults::new(FaultConfig { conflict_rate: 1.0, ..FaultConfig::default() });
        assert!(f.decide(false).is_none());
        assert!(matches!(f.decide(true), Some(Fault::Fail(e)) if e.code == 409));
    }
}
