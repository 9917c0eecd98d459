//! `--concurrency` and `--timeout`, the flags every bulk command shares, and the engine's
//! [`Options`] built from them.

use std::time::Duration;

use super::retry::Backoff;

/// Requests in flight at once unless `--concurrency` says otherwise. client-go's default QPS
/// limit is 5 with a burst of 10 (`rest.DefaultQPS`/`DefaultBurst`) for one serial client;
/// 16 parallel writes keep a loaded API server's APF queues (default `--max-requests-inflight`
/// 400, mutating 200) far from full while hiding network latency.
pub const DEFAULT_CONCURRENCY: usize = 16;

/// The flags of a bulk command; flatten into its `Args`.
#[derive(Debug, Clone, clap::Args)]
pub struct BulkArgs {
    /// How many writes to have in flight at once
    #[arg(long, value_name = "N", default_value_t = DEFAULT_CONCURRENCY,
          value_parser = parse_concurrency)]
    pub concurrency: usize,
    /// Give up starting new writes (and retrying) after this long; 0 means no limit
    #[arg(long, value_name = "DURATION", default_value = "10m", value_parser = crate::duration::parse,
          allow_hyphen_values = true)]
    pub timeout: Duration,
}

impl Default for BulkArgs {
    fn default() -> Self {
        BulkArgs { concurrency: DEFAULT_CONCURRENCY, timeout: Duration::from_secs(600) }
    }
}

/// `--concurrency`: 1 to 512 (beyond that we would only fill the server's queues).
fn parse_concurrency(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n @ 1..=512) => Ok(n),
        _ => Err(format!("invalid concurrency \"{text}\": use a number from 1 to 512")),
    }
}

/// How one bulk run behaves.
#[derive(Debug, Clone)]
pub struct Options {
    /// Items in flight at once (at least 1).
    pub concurrency: usize,
    /// Total time for the run; `None` for no limit.
    pub total_time: Option<Duration>,
    /// Attempts per item, the first one included.
    pub max_attempts: u32,
    /// Waits between attempts.
    pub backoff: Backoff,
    /// Draw a progress bar on stderr (only when talking to a terminal).
    pub progress: bool,
    /// What the progress bar says, e.g. "suspending CronJobs".
    pub message: String,
}

impl Options {
    /// Options from the flags; `interactive` is `Context::interactive` (a progress bar only on a
    /// terminal).
    pub fn new(args: &BulkArgs, interactive: bool, message: &str) -> Self {
        Options {
            concurrency: args.concurrency.max(1),
            total_time: (!args.timeout.is_zero()).then_some(args.timeout),
            max_attempts: 8,
            backoff: Backoff::default(),
            progress: interactive,
            message: message.to_owned(),
        }
    }
}
