//! Which failures are worth another attempt, and how long to wait before it.
//!
//! client-go's `retry.RetryOnConflict` (k8s.io/client-go/util/retry/util.go) retries 409s with
//! `DefaultRetry` = 5 steps from 10 ms, factor 1, jitter 0.1; `DefaultBackoff` is 4 steps from
//! 10 ms, factor 5. A bulk run contends with itself and with controllers, so we back off
//! exponentially from 100 ms (cap 5 s) with jitter spreading retries of many items apart.

use std::time::Duration;

use crate::error::Error;

/// Why the previous attempt is being retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryCause {
    /// 409: the object changed since it was read (or a delete precondition failed).
    Conflict,
    /// 429: the API server asked us to slow down.
    Throttled,
    /// 5xx: the server failed; the write may or may not have landed.
    ServerError(u16),
    /// The connection dropped or the request timed out; the write may or may not have landed.
    Connection,
}

/// One call of the caller's closure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attempt {
    /// 1 for the first attempt.
    pub number: u32,
    /// Why the previous attempt failed; `None` on the first.
    pub after: Option<RetryCause>,
}

impl Attempt {
    /// The first attempt.
    pub const FIRST: Attempt = Attempt { number: 1, after: None };

    /// A retry: re-read the object and decide again.
    pub fn is_retry(&self) -> bool {
        self.after.is_some()
    }

    /// The previous write may have been applied even though it failed (5xx, dropped
    /// connection): a re-read that finds our change in place means it landed.
    pub fn may_have_landed(&self) -> bool {
        matches!(self.after, Some(RetryCause::ServerError(_) | RetryCause::Connection))
    }
}

/// Whether an error is worth retrying, and as what.
pub fn classify(err: &Error) -> Option<RetryCause> {
    match err {
        Error::Api { code: 409, .. } => Some(RetryCause::Conflict),
        Error::Api { code: 429, .. } => Some(RetryCause::Throttled),
        // 501 Not Implemented and 505 will not get better by asking again.
        Error::Api { code, .. } if (500..600).contains(code) && *code != 501 && *code != 505 => {
            Some(RetryCause::ServerError(*code))
        }
        Error::Unreachable { .. } | Error::Timeout { .. } => Some(RetryCause::Connection),
        _ => None,
    }
}

/// Waits between attempts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// Wait after the first failure; doubled each time.
    pub base: Duration,
    /// Longest wait.
    pub max: Duration,
    /// Shortest wait after a 429 that survived `Cluster`'s own `Retry-After` retries.
    pub throttled_floor: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            base: Duration::from_millis(100),
            max: Duration::from_secs(5),
            throttled_floor: Duration::from_secs(1),
        }
    }
}

impl Backoff {
    /// No waiting at all (tests).
    pub const NONE: Backoff =
        Backoff { base: Duration::ZERO, max: Duration::ZERO, throttled_floor: Duration::ZERO };

    /// The wait before attempt `failed + 1` of item `index`: `base * 2^(failed-1)` capped at
    /// `max`, scaled by a jitter in [0.5, 1.0) that depends on the item and the attempt only, so
    /// runs are reproducible while items that failed together do not retry in lockstep.
    pub fn wait(&self, cause: RetryCause, failed: u32, index: usize) -> Duration {
        let exponent = failed.saturating_sub(1).min(16);
        let raw = self.base.saturating_mul(1 << exponent).min(self.max);
        let jittered = raw.mul_f64(0.5 + 0.5 * unit_fraction(index, failed));
        match cause {
            RetryCause::Throttled => jittered.max(self.throttled_floor),
            _ => jittered,
        }
    }
}

/// A number in [0, 1) from (index, attempt): SplitMix64's finaliser, good enough for jitter.
fn unit_fraction(index: usize, attempt: u32) -> f64 {
    let mut z = (index as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ u64::from(attempt);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    #[allow(clippy::cast_precision_loss)]
    let fraction = (z >> 11) as f64 / (1_u64 << 53) as f64;
    fraction
}
