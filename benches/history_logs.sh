#!/usr/bin/env bash
# Benchmark (issue 14): `kubectl kuul history -A` on the whole sandbox (5,000 CronJobs, ~50,000
# Jobs and pods) against the least kubectl needs for the same answer (CronJobs, Jobs, pods and
# CronJob events as JSON), next to `lastrun -A` (the target: history within 1.5x of it); and
# `kubectl kuul logs CRONJOB --all-runs` against the kubectl way: find the CronJob's Jobs, then
# `kubectl logs job/NAME` for each.
# Usage: benches/history_logs.sh [--quick]   (sizes: see benches/common.sh). benches/all.sh runs
# this with every other benchmark.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

bench_history_logs() {
  local n=$BENCH_CRONJOBS
  "$bin/kubectl-kuul" history -A -o json >/dev/null # warm up
  check "history -A sees every CronJob" "$n" \
    "$("$bin/kubectl-kuul" history -A -o json | jq '.items | length')"
  solo "lastrun -A (history's yardstick)" "$n CronJobs, $((n * 10)) Jobs" \
    "\"\$bin/kubectl-kuul\" lastrun -A" \
    "note: history -A should take at most 1.5x this"
  pair "history -A" "$n CronJobs, $((n * 10)) Jobs and pods" \
    "\"\$bin/kubectl-kuul\" history -A" \
    "kubectl get cronjobs,jobs,pods -A -o json && kubectl get events -A --field-selector involvedObject.kind=CronJob -o json" \
    /apis/batch/v1/cronjobs /apis/batch/v1/jobs "/api/v1/pods?labelSelector=controller-uid" \
    "/api/v1/events?fieldSelector=involvedObject.kind%3DCronJob"

  # One CronJob's every retained run (ten one-pod Jobs in the scale seed).
  local ns=team-00 cj=job-00000
  check "logs --all-runs shows every run of $ns/$cj" \
    "$(kubectl get jobs -n $ns -o json | jq --arg cj $cj '[.items[] | select(.metadata.ownerReferences[0].name == $cj)] | length')" \
    "$("$bin/kubectl-kuul" logs $cj -n $ns --all-runs | grep -c '^==> job.batch/')"
  pair "logs CRONJOB --all-runs" "1 CronJob, its retained runs" \
    "\"\$bin/kubectl-kuul\" logs $cj -n $ns --all-runs" \
    "for j in \$(kubectl get jobs -n $ns -o json | jq -r --arg cj $cj '.items[] | select(.metadata.ownerReferences[0].name == \$cj) | .metadata.name'); do echo \"==> \$j\"; kubectl logs job/\$j -n $ns; done"
  pair "logs CRONJOB (latest run)" "1 CronJob" \
    "\"\$bin/kubectl-kuul\" logs $cj -n $ns" \
    "kubectl logs -n $ns job/\$(kubectl get jobs -n $ns -o json | jq -r --arg cj $cj '[.items[] | select(.metadata.ownerReferences[0].name == \$cj)] | sort_by(.metadata.creationTimestamp) | last | .metadata.name')"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then bench_main bench_history_logs "$@"; fi
