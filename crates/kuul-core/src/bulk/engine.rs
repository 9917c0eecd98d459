//! The run loop: keeps up to `concurrency` items in flight, retries what is retryable, stops
//! issuing work on Ctrl-C or at the time limit, and collects every outcome in input order.
//!
//! Everything runs on the caller's task: a `FuturesUnordered` of per-item futures, polled
//! together with the stop signal and the deadline. Items waiting to retry watch the same halt
//! channel, so a halt also cancels pending retries (never a request already on the wire).

use std::future::Future;
use std::pin::pin;
use std::sync::atomic::{AtomicU64, Ordering};

use futures::StreamExt;
use futures::stream::FuturesUnordered;
use tokio::sync::watch;
use tokio::time::Instant;

use super::args::Options;
use super::progress;
use super::retry::{Attempt, classify};
use super::summary::{Halt, ItemOutcome, Outcome, Summary};
use crate::error::Result;

/// Runs `task` for every item, stopping on Ctrl-C: the first one stops issuing requests and
/// lets in-flight ones finish; a second one abandons them. See the [module docs](super) for the
/// contract of `task`.
pub async fn run<T, O, F>(items: Vec<T>, options: &Options, task: F) -> Summary<T, O>
where
    F: AsyncFn(&T, Attempt) -> Result<O>,
{
    // Listening here (not at process start) keeps Ctrl-C's default meaning, "stop now", for
    // everything that is not bulk work. The second listener registers only after the first
    // press (it is polled only then), so one press never counts twice.
    // Across clusters, no cluster writes before every cluster has planned (crate::fanout).
    crate::fanout::member::barrier(items.len()).await;
    drive(items, options, task, ctrl_c(), ctrl_c()).await
}

/// Like [`run`], but stops issuing work when `stop` completes instead of on Ctrl-C (tests,
/// callers with their own signal handling).
pub async fn run_until<T, O, F>(
    items: Vec<T>,
    options: &Options,
    task: F,
    stop: impl Future<Output = ()>,
) -> Summary<T, O>
where
    F: AsyncFn(&T, Attempt) -> Result<O>,
{
    drive(items, options, task, stop, std::future::pending()).await
}

/// Ctrl-C, or SIGTERM on Unix / Ctrl-Break on Windows (`crate::interrupt`).
async fn ctrl_c() {
    crate::interrupt::interrupted().await;
}

pub(super) async fn drive<T, O, F>(
    items: Vec<T>,
    options: &Options,
    task: F,
    stop: impl Future<Output = ()>,
    abort: impl Future<Output = ()>,
) -> Summary<T, O>
where
    F: AsyncFn(&T, Attempt) -> Result<O>,
{
    let started = Instant::now();
    let deadline = options.total_time.map(|t| started + t);
    let bar = progress::bar(options.progress, items.len(), &options.message);
    let (halt_tx, halt_rx) = watch::channel(None::<Halt>);
    let attempts = AtomicU64::new(0);
    let mut outcomes: Vec<Option<Outcome<O>>> = items.iter().map(|_| None).collect();
    let mut started_items = vec![false; items.len()];
    let mut halt = None;
    let mut abandoned = false;
    {
        let mut next = items.iter().enumerate();
        let mut in_flight = FuturesUnordered::new();
        let mut stop = pin!(stop);
        let mut abort = pin!(abort);
        let time_limit = async {
            match deadline {
                Some(deadline) => tokio::time::sleep_until(deadline).await,
                None => std::future::pending().await,
            }
        };
        let mut time_limit = pin!(time_limit);
        loop {
            if halt.is_none() && deadline.is_some_and(|d| Instant::now() >= d) {
                halt = Some(Halt::TimeLimit);
                let _ = halt_tx.send(halt);
            }
            while halt.is_none() && in_flight.len() < options.concurrency {
                let Some((index, item)) = next.next() else { break };
                started_items[index] = true;
                in_flight.push(one(
                    index,
                    item,
                    &task,
                    options,
                    deadline,
                    halt_rx.clone(),
                    &attempts,
                ));
            }
            if in_flight.is_empty() {
                break;
            }
            tokio::select! {
                biased;
                Some((index, outcome)) = in_flight.next() => {
                    outcomes[index] = Some(outcome);
                    bar.inc(1);
                }
                () = &mut stop, if halt.is_none() => {
                    halt = Some(Halt::Interrupted);
                    let _ = halt_tx.send(halt);
                    bar.set_message("interrupted: waiting for requests in flight");
                }
                () = &mut time_limit, if halt.is_none() => {
                    halt = Some(Halt::TimeLimit);
                    let _ = halt_tx.send(halt);
                    bar.set_message("time limit reached: waiting for requests in flight");
                }
                () = &mut abort, if halt == Some(Halt::Interrupted) => {
                    abandoned = true;
                    break;
                }
            }
        }
    }
    bar.finish_and_clear();
    let halted_as = halt.unwrap_or(Halt::Interrupted);
    let items = items
        .into_iter()
        .zip(outcomes)
        .zip(started_items)
        .map(|((item, outcome), started)| {
            let outcome = match outcome {
                Some(outcome) => outcome,
                // Started but unfinished: only a second Ctrl-C leaves an item there.
                None if started && abandoned => Outcome::Abandoned,
                None => Outcome::NotStarted(halted_as),
            };
            ItemOutcome { item, outcome }
        })
        .collect();
    Summary { items, halt, attempts: attempts.into_inner(), elapsed: started.elapsed() }
}

/// One item: attempts until done, a permanent error, the attempt limit, or a halt while waiting
/// to retry. A halt never cuts a request short: only the waits between attempts watch it.
async fn one<T, O, F>(
    index: usize,
    item: &T,
    task: &F,
    options: &Options,
    deadline: Option<Instant>,
    mut halt: watch::Receiver<Option<Halt>>,
    attempts: &AtomicU64,
) -> (usize, Outcome<O>)
where
    F: AsyncFn(&T, Attempt) -> Result<O>,
{
    let mut attempt = Attempt::FIRST;
    loop {
        attempts.fetch_add(1, Ordering::Relaxed);
        let error = match task(item, attempt).await {
            Ok(done) => return (index, Outcome::Done(done)),
            Err(error) => error,
        };
        let failed = |error| (index, Outcome::Failed { error, attempts: attempt.number });
        let Some(cause) = classify(&error) else { return failed(error) };
        if attempt.number >= options.max_attempts || halt.borrow().is_some() {
            return failed(error);
        }
        let wait = options.backoff.wait(cause, attempt.number, index);
        if deadline.is_some_and(|d| Instant::now() + wait >= d) {
            return failed(error);
        }
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            _ = halt.wait_for(Option::is_some) => return failed(error),
        }
        attempt = Attempt { number: attempt.number + 1, after: Some(cause) };
    }
}
