#!/usr/bin/env bash
# Benchmark (issue 18): `kubectl kuul forecast -A` over the whole sandbox (5,000 CronJobs with
# ten finished Jobs each, 20 nodes in two pools) and a 24 h window: every start, durations from
# history, the resource-fit queue per pool and the peaks. Target: under a second. kubectl has no
# equivalent; the row's comparison is `kubectl get cronjobs,jobs,nodes,pods -A -o json`, the raw
# data a script would need before computing anything (pods: what other workloads take on the
# nodes, which forecast subtracts from their capacity).
# Usage: benches/forecast.sh [--quick]   (sizes: see benches/common.sh; KUUL_BIN=DIR uses
# already-built binaries). benches/all.sh runs this with every other benchmark.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

bench_forecast() {
  local n=$BENCH_CRONJOBS
  "$bin/kubectl-kuul" forecast -A >/dev/null # warm up
  check "forecast -A sees every CronJob" "$n" \
    "$("$bin/kubectl-kuul" forecast -A -o json | jq '.cronjobs | length')"
  pair "forecast -A (24 h)" "$n CronJobs, $((n * 10)) Jobs, 20 nodes" \
    "\"\$bin/kubectl-kuul\" forecast -A" \
    "kubectl get cronjobs,jobs,nodes,pods -A -o json" \
    /apis/batch/v1/cronjobs /apis/batch/v1/jobs /api/v1/nodes /api/v1/pods
  solo "forecast -A --suggest (24 h)" "$n CronJobs" \
    "\"\$bin/kubectl-kuul\" forecast -A --suggest"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then bench_main bench_forecast "$@"; fi
