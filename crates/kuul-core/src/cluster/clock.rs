//! The API server's clock. Decisions that depend on "now" (the next minute, a missed schedule)
//! use the cluster's time, read from the `Date` header of its responses, not the laptop's: the
//! controller acts on the cluster's clock, and laptops drift (DESIGN.md "Clocks").

use std::sync::{Arc, Mutex};
use std::time::Instant;

use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

/// Where a "now" came from; reported in `-o json` so scripts know what a verdict rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClockSource {
    /// The API server's `Date` header.
    ApiServer,
    /// No response carried a `Date` header: this machine's clock.
    Local,
}

/// The newest server time seen, plus how long ago (monotonic) it was seen.
#[derive(Debug, Clone, Default)]
pub struct ServerClock {
    seen: Arc<Mutex<Option<(Timestamp, Instant)>>>,
}

impl ServerClock {
    /// Records a response's `Date` header (RFC 7231 IMF-fixdate, e.g.
    /// `Sat, 01 Mar 2025 10:00:00 GMT`). Unparsable values are ignored.
    pub fn observe(&self, date_header: &str) {
        let Ok(parsed) = jiff::fmt::rfc2822::parse(date_header) else { return };
        if let Ok(mut seen) = self.seen.lock() {
            *seen = Some((parsed.timestamp(), Instant::now()));
        }
    }

    /// The cluster's "now": the last `Date` seen, advanced by the whole seconds elapsed since
    /// (the header has second precision; adding fractions would only add noise), or the local
    /// clock when no response carried one.
    pub fn now(&self) -> (Timestamp, ClockSource) {
        let seen = self.seen.lock().ok().and_then(|s| *s);
        match seen {
            Some((server, at)) => {
                let elapsed = i64::try_from(at.elapsed().as_secs()).unwrap_or(0);
                let now = server.checked_add(SignedDuration::from_secs(elapsed)).unwrap_or(server);
                (now, ClockSource::ApiServer)
            }
            None => (Timestamp::now(), ClockSource::Local),
        }
    }
}

impl super::request::Cluster {
    /// Reads the API server's clock again: one `GET /version` (readable by everyone:
    /// `system:public-info-viewer`), its `Date` header observed like every response's. For
    /// commands that only watch (watch streams carry no `Date`), so a clock that jumps (the
    /// sandbox's) is followed; on failure the clock runs on from the last time seen.
    pub(crate) async fn read_clock(&self) {
        let mut request = http::Request::new(Vec::new());
        let Ok(uri) = "/version".parse() else { return };
        *request.uri_mut() = uri;
        let info = super::errors::RequestInfo {
            verb: "get",
            plural: "version".into(),
            group: String::new(),
            kind: "version",
            namespace: None,
            name: None,
        };
        let _ = self.send_raw(request, &info, super::request::Replay::Idempotent).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_http_date_format() {
        let clock = ServerClock::default();
        clock.observe("Sat, 01 Mar 2025 10:00:00 GMT");
        let (now, source) = clock.now();
        assert_eq!(source, ClockSource::ApiServer);
        let expected: Timestamp = "2025-03-01T10:00:00Z".parse().unwrap();
        assert!(now >= expected && now.duration_since(expected) < SignedDuration::from_secs(5));
    }

    #[test]
    fn falls_back_to_local_time() {
        assert_eq!(ServerClock::default().now().1, ClockSource::Local);
    }
}
