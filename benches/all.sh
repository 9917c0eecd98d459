#!/usr/bin/env bash
# Every kuul benchmark side by side with the kubectl way of doing the same work, in one run
# against one sandbox, as one Markdown table: wall time, kubectl's time over ours, requests the
# sandbox counted for each side, and peak RSS (GNU time) of each. BENCHMARKS.md holds a run.
#
# Usage: benches/all.sh [--quick]
#   full run: seed scale:5000 (5,000 CronJobs, 50,000 Jobs and pods), about 7 minutes on 2
#   cores with a release build (built first, into CARGO_TARGET_DIR or target/);
#   --quick: seed scale:200 and small repeat counts, about half a minute.
#   KUUL_BIN=DIR uses already-built kubectl-kuul and kuul-sandbox binaries; BENCH_CRONJOBS,
#   BENCH_LATENCY, BENCH_PRUNE, BENCH_RUNS, BENCH_HELP_RUNS override the sizes (benches/common.sh).
# Needs kubectl, curl, jq, bc and GNU time. Exits 1 when a command failed or a check (both sides
# did the same work) did not hold.
here="$(dirname "${BASH_SOURCE[0]}")"
source "$here/common.sh"
source "$here/lastrun.sh"
source "$here/cost_report.sh"
source "$here/lint.sh"
source "$here/forecast.sh"
source "$here/trigger.sh"
source "$here/suspend_prune.sh"
source "$here/history_logs.sh"
source "$here/dash.sh"
source "$here/contexts.sh"

# Read-only rows first; suspend_prune next to last: its whole-sandbox prune deletes Jobs; dash
# last: it advances the clock an hour while it measures key presses.
bench_main bench_lastrun bench_contexts bench_history_logs bench_cost_report bench_lint bench_forecast bench_trigger bench_suspend_prune bench_dash "$@"
