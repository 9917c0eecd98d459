#!/usr/bin/env bash
# Benchmark (issue 4): `kubectl kuul trigger` against `kubectl create job --from=cronjob/...`,
# and `reschedule-next-minute` + `--restore` against the two `kubectl patch` calls an operator
# would type, BENCH_RUNS times each (one process per run, as an operator runs them).
# Usage: benches/trigger.sh [--quick]   (sizes: see benches/common.sh; KUUL_BIN=DIR uses
# already-built binaries). benches/all.sh runs this with every other benchmark.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# manual_runs NS: how many Jobs in NS kubectl's or kuul's manual trigger made.
manual_runs() {
  kubectl get jobs -n "$1" \
    -o jsonpath='{range .items[*]}{.metadata.annotations.cronjob\.kubernetes\.io/instantiate}{"\n"}{end}' \
    | grep -c '^manual$' || true
}

bench_trigger() {
  local runs=$BENCH_RUNS
  # The scale seed's CronJob 3 lives in team-03, CronJob 4 in team-04 (i mod 10).
  pair "trigger" "$runs runs" \
    "for i in \$(seq $runs); do \"\$bin/kubectl-kuul\" trigger job-00003 -n team-03; done" \
    "for i in \$(seq $runs); do kubectl create job job-00003-k\$i --from=cronjob/job-00003 -n team-03; done"
  check "manual runs created (both sides)" "$((2 * runs))" "$(manual_runs team-03)"

  local schedule
  schedule=$(kubectl get cronjob job-00004 -n team-04 -o jsonpath='{.spec.schedule}')
  # The kubectl way: the next minute after the (frozen) sandbox clock, then the schedule back.
  pair "reschedule-next-minute + --restore" "$runs runs" \
    "for i in \$(seq $runs); do \"\$bin/kubectl-kuul\" reschedule-next-minute job-00004 -n team-04 && \"\$bin/kubectl-kuul\" reschedule-next-minute job-00004 -n team-04 --restore; done" \
    "for i in \$(seq $runs); do kubectl patch cronjob job-00004 -n team-04 -p '{\"spec\":{\"schedule\":\"1 10 1 3 *\"}}' && kubectl patch cronjob job-00004 -n team-04 -p '{\"spec\":{\"schedule\":\"$schedule\"}}'; done"
  check "schedule after both sides restored it" "$schedule" \
    "$(kubectl get cronjob job-00004 -n team-04 -o jsonpath='{.spec.schedule}')"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then bench_main bench_trigger "$@"; fi
