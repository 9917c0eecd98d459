//! The sandbox clock: the one source of "now" for the API server (`creationTimestamp`, `Date`
//! headers, events) and the simulated control plane.
//!
//! Tests need a clock that stands still until they move it (`stepped`), demos need one that runs
//! (`scaled`, optionally faster than real time). Both are the same type: a base instant plus a
//! speed, rebased whenever the clock is set or advanced, so `now()` is a cheap computation.
//! Listeners (log follow, serve-mode driver) can wait for the clock to be moved via
//! [`Clock::subscribe`].

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use jiff::{SignedDuration, Timestamp};
use tokio::sync::watch;

/// A shared, thread-safe, cheap-to-clone clock.
#[derive(Clone)]
pub struct Clock {
    inner: Arc<Inner>,
}

struct Inner {
    state: Mutex<State>,
    /// Bumped every time the clock is set or advanced by hand.
    moved: watch::Sender<u64>,
}

#[derive(Clone, Copy)]
struct State {
    /// Sandbox time at `base_instant`.
    base: Timestamp,
    /// Wall-clock instant of the last rebase.
    base_instant: Instant,
    /// Sandbox seconds per real second; 0 means stepped.
    speed: f64,
}

impl State {
    fn now(&self) -> Timestamp {
        if self.speed == 0.0 {
            return self.base;
        }
        let real = self.base_instant.elapsed().as_secs_f64() * self.speed;
        let delta = SignedDuration::try_from_secs_f64(real).unwrap_or(SignedDuration::ZERO);
        self.base.checked_add(delta).unwrap_or(self.base)
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = *self.lock();
        f.debug_struct("Clock").field("now", &s.now()).field("speed", &s.speed).finish()
    }
}

impl Clock {
    /// A clock that stands still at `start` until it is set or advanced.
    pub fn stepped(start: Timestamp) -> Clock {
        Clock::scaled(start, 0.0)
    }

    /// A clock that starts at `start` and runs at `speed` times real time (0 = stepped).
    pub fn scaled(start: Timestamp, speed: f64) -> Clock {
        let speed = if speed.is_finite() && speed > 0.0 { speed } else { 0.0 };
        let state = State { base: start, base_instant: Instant::now(), speed };
        Clock { inner: Arc::new(Inner { state: Mutex::new(state), moved: watch::Sender::new(0) }) }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A poisoned lock only means another thread panicked while holding plain data.
        self.inner.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The current sandbox time.
    pub fn now(&self) -> Timestamp {
        self.lock().now()
    }

    /// Sandbox seconds per real second (0 when stepped).
    pub fn speed(&self) -> f64 {
        self.lock().speed
    }

    /// Changes the speed, keeping the current time.
    pub fn set_speed(&self, speed: f64) {
        {
            let mut s = self.lock();
            let now = s.now();
            s.base = now;
            s.base_instant = Instant::now();
            s.speed = if speed.is_finite() && speed > 0.0 { speed } else { 0.0 };
        }
        self.notify();
    }

    /// Jumps to `t` (forwards or backwards); a running clock keeps running from there.
    pub fn set(&self, t: Timestamp) {
        {
            let mut s = self.lock();
            s.base = t;
            s.base_instant = Instant::now();
        }
        self.notify();
    }

    /// Moves the clock by `by` (negative moves it back).
    pub fn advance(&self, by: SignedDuration) {
        {
            let mut s = self.lock();
            let now = s.now();
            s.base = now.checked_add(by).unwrap_or(now);
            s.base_instant = Instant::now();
        }
        self.notify();
    }

    fn notify(&self) {
        self.inner.moved.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// A receiver that sees a change every time the clock is set, advanced or re-speeded
    /// (not as a running clock ticks).
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.inner.moved.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn stepped_clock_stands_still_until_moved() {
        let c = Clock::stepped(ts("2025-03-01T09:59:30Z"));
        assert_eq!(c.now(), ts("2025-03-01T09:59:30Z"));
        c.advance(SignedDuration::from_secs(45));
        assert_eq!(c.now(), ts("2025-03-01T10:00:15Z"));
        c.set(ts("2024-01-01T00:00:00Z"));
        assert_eq!(c.now(), ts("2024-01-01T00:00:00Z"));
        c.advance(SignedDuration::from_secs(-60));
        assert_eq!(c.now(), ts("2023-12-31T23:59:00Z"));
    }

    #[test]
    fn clones_share_time_and_moves_notify() {
        let c = Clock::stepped(ts("2025-03-01T00:00:00Z"));
        let d = c.clone();
        let rx = d.subscribe();
        assert!(!rx.has_changed().unwrap());
        c.advance(SignedDuration::from_hours(1));
        assert_eq!(d.now(), ts("2025-03-01T01:00:00Z"));
        assert!(rx.has_changed().unwrap());
    }

    #[test]
    fn scaled_clock_never_runs_backwards() {
        let c = Clock::scaled(ts("2025-03-01T00:00:00Z"), 1000.0);
        let a = c.now();
        let b = c.now();
        assert!(b >= a);
        assert!(a >= ts("2025-03-01T00:00:00Z"));
        c.set_speed(0.0);
        assert_eq!(c.now(), c.now());
    }
}
