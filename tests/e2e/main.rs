//! End-to-end tests: the real binaries against the sandbox, and the real `kubectl` as the
//! independent client. One test binary (ripgrep's `tests/tests.rs` layout); one module per
//! subcommand, plus the shared harness.

// A test binary: helpers outside #[test] functions may unwrap and print skip notices.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr, unreachable_pub)]

/// The harness: sandbox start, running the binaries, finding kubectl.
mod support;

/// The bad-input catalogue: one clear line, the documented exit code, nothing changed.
mod bad_input;
/// Shell completion: kubectl's plugin completion hook, live names, timeouts, bash, staleness.
mod completion;
/// Every command across several clusters: merged reads, gated writes, failed clusters named.
mod contexts;
/// Every command against the whole hostile fleet at once: slow, faulty, unreachable, wrong token.
mod contexts_every;
/// Flags, errors and exit codes shared by every command.
mod conventions;
/// `cost-report`: exact costs from known requests, run times and prices; projections by hand count.
mod cost_report;
/// Crash suite: SIGKILL at random points then recovery, and Ctrl-C, for the bulk commands.
mod crash;
/// `dash`: the terminal UI driven in tmux: table, filter, history, logs, writes, read-only.
mod dash;
/// Every writing command's dry runs: valid JSON with dryRun, "would", warnings on stderr.
mod dry_runs;
/// Fault suite: every command under injected 500s, 429s, conflicts, drops and latency.
mod faults;
/// `forecast`: starts, capacity, suggestions and the rendered chart.
mod forecast;
/// `history`: results, reasons, lateness, template changes and gap events against kubectl's view.
mod history;
/// `label-pool`: pools, placement problems, `--overwrite` rules, RBAC, kubectl as the oracle.
mod label_pool;
/// `lastrun`: verdicts, `--check`, JSON shape, binary parity, kubectl plugin dispatch.
mod lastrun;
/// `lastrun --watch`: kept from watch events, lists counted, a compaction relisted, MISSED by
/// the clock.
mod lastrun_watch;
/// `lint`: manifests (seed-style, real-world, stdin), SARIF against its schema, cluster mode.
mod lint;
/// `logs`: latest, failed, Nth and every run; attempts; what cannot be shown; kubectl logs parity.
mod logs;
/// `lastrun` as the monitor: LATE, STUCK, stalled schedules, `--fail-on`, openmetrics parsed by
/// prometheus_client, in-cluster configuration.
mod monitor;
/// Least privilege: every command's requests stay within the role the README names.
mod permissions;
/// `prune`: each selector, confirmation, dry runs, cascading pods, running Jobs untouched.
mod prune;
/// `reschedule-next-minute`: the controller fires at the computed minute, `--wait` restores.
mod reschedule_next_minute;
/// Release packaging: krew manifest rules, krew's install layout, lastrun through kubectl, --version.
mod ship;
/// `suspend-all` and `resume`: saved state round trips, interruptions, faults, human changes.
mod suspend_resume;
/// `suspend-all --wait` / `--delete-active-jobs`: running Jobs drain on the sandbox clock.
mod suspend_wait;
/// `trigger`: the Job equals kubectl's `create job --from`, `--wait`/`-f` on a stepped clock, refusals.
mod trigger;
/// Verbose logs (`-v`) with masked credentials; TLS verified unless the kubeconfig skips it.
mod verbose;
