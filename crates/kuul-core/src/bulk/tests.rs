//! Engine tests with a scripted closure: no cluster, no wall-clock sleeping (backoff is zero,
//! halts are triggered from inside the closure at exact points).

use std::cell::{Cell, RefCell};
use std::time::Duration;

use super::engine::drive;
use super::*;
use crate::error::{Error, ExitStatus};

fn options(concurrency: usize) -> Options {
    Options {
        concurrency,
        total_time: None,
        max_attempts: 4,
        backoff: Backoff::NONE,
        progress: false,
        message: String::new(),
    }
}

fn api(code: u16) -> Error {
    Error::Api { code, reason: String::new(), message: format!("injected {code}") }
}

fn forbidden() -> Error {
    Error::Forbidden {
        verb: "patch".into(),
        resource: "cronjobs.batch".into(),
        namespace: Some("ops".into()),
        message: String::new(),
    }
}

/// Lets other in-flight items run, so concurrency is observable.
async fn yield_a_few() {
    for _ in 0..3 {
        tokio::task::yield_now().await;
    }
}

#[tokio::test]
async fn every_item_done_in_input_order_within_the_concurrency_bound() {
    let in_flight = Cell::new(0_usize);
    let peak = Cell::new(0_usize);
    let items: Vec<u32> = (0..50).collect();
    let summary = run_until(
        items,
        &options(7),
        async |n: &u32, attempt: Attempt| {
            assert_eq!(attempt, Attempt::FIRST);
            in_flight.set(in_flight.get() + 1);
            peak.set(peak.get().max(in_flight.get()));
            // Later items finish first: the summary must still come back in input order.
            for _ in 0..(50 - n) % 5 {
                yield_a_few().await;
            }
            in_flight.set(in_flight.get() - 1);
            Ok(n * 2)
        },
        std::future::pending(),
    )
    .await;
    assert_eq!(peak.get(), 7);
    let doubled: Vec<u32> = summary.done().map(|(_, o)| *o).collect();
    assert_eq!(doubled, (0..50).map(|n| n * 2).collect::<Vec<_>>());
    assert_eq!(summary.attempts, 50);
    assert_eq!(summary.exit_status(), ExitStatus::Success);
    assert_eq!(summary.halt, None);
}

#[tokio::test]
async fn conflicts_are_retried_as_re_reads_until_they_pass() {
    let seen = RefCell::new(Vec::new());
    let summary = run_until(
        vec!["a", "b"],
        &options(2),
        async |name: &&str, attempt: Attempt| {
            seen.borrow_mut().push((*name, attempt));
            match (*name, attempt.number) {
                ("a", 1 | 2) => Err(api(409)),
                ("b", 1) => Err(api(503)),
                _ => Ok(attempt.number),
            }
        },
        std::future::pending(),
    )
    .await;
    let results: Vec<u32> = summary.done().map(|(_, n)| *n).collect();
    assert_eq!(results, [3, 2]);
    let seen = seen.into_inner();
    assert!(seen.contains(&("a", Attempt { number: 2, after: Some(RetryCause::Conflict) })));
    assert!(seen.contains(&("a", Attempt { number: 3, after: Some(RetryCause::Conflict) })));
    let b_retry = Attempt { number: 2, after: Some(RetryCause::ServerError(503)) };
    assert!(seen.contains(&("b", b_retry)));
    assert!(b_retry.may_have_landed() && b_retry.is_retry());
    assert_eq!(summary.attempts, 5);
    assert_eq!(summary.exit_status(), ExitStatus::Success);
}

#[tokio::test]
async fn permanent_errors_fail_at_once_and_retryable_ones_after_the_limit() {
    let summary = run_until(
        vec!["ok", "denied", "throttled", "gone"],
        &options(4),
        async |name: &&str, _attempt: Attempt| match *name {
            "denied" => Err(forbidden()),
            "throttled" => Err(api(429)),
            "gone" => Err(Error::Unreachable { server: "s".into(), reason: "reset".into() }),
            _ => Ok(()),
        },
        std::future::pending(),
    )
    .await;
    let failures = summary.failures(|n| format!("cronjob.batch/ops/{n}"));
    let attempts: Vec<(&str, u32)> =
        failures.iter().map(|f| (f.object.as_str(), f.attempts)).collect();
    assert_eq!(
        attempts,
        [
            ("cronjob.batch/ops/denied", 1),
            ("cronjob.batch/ops/throttled", 4),
            ("cronjob.batch/ops/gone", 4)
        ]
    );
    assert_eq!(summary.exit_status(), ExitStatus::Partial);
    let text =
        summary.render("suspend-all", &[(1, "suspended")], |n| format!("cronjob.batch/ops/{n}"));
    assert_eq!(
        text,
        "suspend-all: 1 suspended, 3 failed\n\
         failed: cronjob.batch/ops/denied: forbidden: cannot patch cronjobs.batch in namespace \"ops\"\n\
         failed: cronjob.batch/ops/throttled: injected 429 (429 )\n\
         failed: cronjob.batch/ops/gone: cannot reach the API server at s: reset\n"
    );
}

#[tokio::test]
async fn a_stop_lets_in_flight_items_finish_and_starts_no_more() {
    let stop = tokio::sync::Notify::new();
    let started = RefCell::new(Vec::new());
    let summary = run_until(
        (0..10).collect::<Vec<u32>>(),
        &options(3),
        async |n: &u32, _attempt: Attempt| {
            started.borrow_mut().push(*n);
            if *n == 1 {
                // Halt while items 0..=2 are in flight: they must all complete.
                stop.notify_one();
            }
            yield_a_few().await;
            Ok(*n)
        },
        stop.notified(),
    )
    .await;
    assert_eq!(started.into_inner(), [0, 1, 2]);
    assert_eq!(summary.done().count(), 3);
    assert_eq!(summary.not_started_count(), 7);
    assert_eq!(summary.halt, Some(Halt::Interrupted));
    assert_eq!(summary.exit_status(), ExitStatus::Interrupted);
    assert!(summary.render("x", &[], |n| n.to_string()).contains("interrupted: no new requests"));
}

#[tokio::test]
async fn a_stop_cancels_pending_retries_but_not_requests() {
    let stop = tokio::sync::Notify::new();
    let calls = Cell::new(0);
    let mut opts = options(1);
    // A long wait before the retry, which the stop must cut short (the test would hang
    // otherwise rather than pass).
    opts.backoff = Backoff { base: Duration::from_secs(3600), ..Backoff::NONE };
    opts.max_attempts = 10;
    let summary = run_until(
        vec![()],
        &opts,
        async |(): &(), _attempt: Attempt| {
            calls.set(calls.get() + 1);
            stop.notify_one();
            Err::<(), _>(api(409))
        },
        stop.notified(),
    )
    .await;
    assert_eq!(calls.get(), 1);
    assert!(matches!(summary.items[0].outcome, Outcome::Failed { attempts: 1, .. }));
}

#[tokio::test]
async fn the_time_limit_starts_nothing_more() {
    let mut opts = options(4);
    opts.total_time = Some(Duration::ZERO);
    let summary = run_until(
        vec![1, 2, 3],
        &opts,
        async |_: &i32, _attempt: Attempt| -> crate::error::Result<()> {
            panic!("nothing may start after the time limit")
        },
        std::future::pending(),
    )
    .await;
    assert_eq!(summary.not_started_count(), 3);
    assert_eq!(summary.halt, Some(Halt::TimeLimit));
    assert_eq!(summary.exit_status(), ExitStatus::Partial);
    assert_eq!(summary.stats().not_started, 3);
}

#[tokio::test]
async fn a_second_signal_abandons_in_flight_items() {
    let summary = drive(
        vec![1, 2, 3],
        &options(2),
        async |_: &i32, _attempt: Attempt| -> crate::error::Result<()> {
            std::future::pending().await
        },
        std::future::ready(()),
        std::future::ready(()),
    )
    .await;
    let kinds: Vec<&str> = summary
        .items
        .iter()
        .map(|i| match i.outcome {
            Outcome::Abandoned => "abandoned",
            Outcome::NotStarted(_) => "not started",
            _ => "other",
        })
        .collect();
    // The stop fires on the first poll, before anything starts except the first batch.
    assert_eq!(kinds.iter().filter(|k| **k == "other").count(), 0);
    assert_eq!(summary.failed_count() + summary.not_started_count(), 3);
}

#[test]
fn classify_retries_conflicts_throttling_server_errors_and_lost_connections() {
    assert_eq!(classify(&api(409)), Some(RetryCause::Conflict));
    assert_eq!(classify(&api(429)), Some(RetryCause::Throttled));
    assert_eq!(classify(&api(500)), Some(RetryCause::ServerError(500)));
    assert_eq!(classify(&api(504)), Some(RetryCause::ServerError(504)));
    assert_eq!(classify(&api(501)), None);
    assert_eq!(classify(&api(422)), None);
    assert_eq!(classify(&forbidden()), None);
    assert_eq!(
        classify(&Error::Timeout { server: "s".into(), timeout: "1s".into() }),
        Some(RetryCause::Connection)
    );
    let not_found =
        Error::NotFound { kind: "cronjob", name: "x".into(), namespace: None, suggestions: vec![] };
    assert_eq!(classify(&not_found), None);
}

#[test]
fn backoff_doubles_with_jitter_caps_and_waits_longer_when_throttled() {
    let backoff = Backoff::default();
    for index in 0..200 {
        for failed in 1..10_u32 {
            let raw = (Duration::from_millis(100) * 2_u32.pow(failed - 1)).min(backoff.max);
            let wait = backoff.wait(RetryCause::Conflict, failed, index);
            assert!(wait >= raw / 2 && wait < raw, "{index} {failed}: {wait:?} vs {raw:?}");
            assert!(backoff.wait(RetryCause::Throttled, failed, index) >= Duration::from_secs(1));
        }
    }
    // Items that failed together retry at different times.
    let waits: std::collections::BTreeSet<Duration> =
        (0..50).map(|i| backoff.wait(RetryCause::Conflict, 1, i)).collect();
    assert!(waits.len() > 40);
    assert_eq!(Backoff::NONE.wait(RetryCause::Throttled, 3, 7), Duration::ZERO);
}

#[test]
fn options_follow_the_flags() {
    let args = BulkArgs { concurrency: 32, timeout: Duration::ZERO };
    let opts = Options::new(&args, false, "x");
    assert_eq!((opts.concurrency, opts.total_time, opts.progress), (32, None, false));
    let opts = Options::new(&BulkArgs::default(), true, "x");
    assert_eq!(opts.total_time, Some(Duration::from_secs(600)));
    assert!(opts.progress);
}
