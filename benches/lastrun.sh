#!/usr/bin/env bash
# Benchmark (issue 3): `kubectl kuul lastrun -A` on the whole sandbox (5,000 CronJobs, ~50,000
# Jobs) against the least kubectl needs for the same answer (`kubectl get cronjobs,jobs -A -o
# json`), and start-up (`kubectl-kuul --help` against `kubectl --help`, and `kubectl kuul --help`
# through kubectl's plugin lookup, which is how operators start it).
# Usage: benches/lastrun.sh [--quick]   (sizes: see benches/common.sh; KUUL_BIN=DIR uses
# already-built binaries). benches/all.sh runs this with every other benchmark.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

bench_lastrun() {
  local help=$BENCH_HELP_RUNS
  pair "start-up: --help" "$help runs" \
    "for i in \$(seq $help); do \"\$bin/kubectl-kuul\" --help; done" \
    "for i in \$(seq $help); do kubectl --help; done"
  # kubectl finds plugins on PATH.
  solo "start-up: kubectl kuul --help (plugin lookup)" "$help runs" \
    "PATH=\"\$bin:\$PATH\"; for i in \$(seq $help); do kubectl kuul --help; done" \
    "note: kuul started the way operators type it: kubectl's start-up and plugin lookup, then kuul's"

  local n=$BENCH_CRONJOBS
  "$bin/kubectl-kuul" lastrun -A -o json >/dev/null # warm up (first connection, page cache)
  check "lastrun -A sees every CronJob" "$n" \
    "$("$bin/kubectl-kuul" lastrun -A -o json | jq '.items | length')"
  pair "lastrun -A" "$n CronJobs, $((n * 10)) Jobs" \
    "\"\$bin/kubectl-kuul\" lastrun -A" \
    "kubectl get cronjobs,jobs -A -o json" \
    /apis/batch/v1/cronjobs /apis/batch/v1/jobs
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then bench_main bench_lastrun "$@"; fi
