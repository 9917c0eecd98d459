#!/usr/bin/env bash
# Benchmark (issue 5): the bulk-write engine against kubectl doing the same work on the same
# sandbox:
#   - `suspend-all` and `resume` of one namespace's CronJobs (a tenth of the sandbox) against the
#     seeds' shell loop (`for cj in $(kubectl get cronjobs -o name); do kubectl patch $cj -p
#     '{"spec":{"suspend":true}}'; done`); then kuul alone on every CronJob (-A);
#   - `prune` of every Job of BENCH_PRUNE CronJobs against `kubectl get jobs -l ... -o name |
#     xargs kubectl delete` (different CronJobs of the same shape: ten finished one-pod Jobs
#     each); then kuul alone on the whole sandbox (--keep-last 9: about one Job per CronJob).
# Usage: benches/suspend_prune.sh [--quick]   (sizes: see benches/common.sh; KUUL_BIN=DIR uses
# already-built binaries). benches/all.sh runs this with every other benchmark.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# suspended NS_FLAGS...: how many CronJobs in scope have .spec.suspend true.
suspended() {
  kubectl get cronjobs "$@" -o jsonpath='{range .items[?(@.spec.suspend==true)]}{.metadata.name}{"\n"}{end}' \
    | grep -c . || true
}

# planned_jobs PRUNE_FLAGS...: how many Jobs `prune` would delete (its --dry-run plan).
planned_jobs() {
  "$bin/kubectl-kuul" prune "$@" --dry-run=client -o json | jq '.summary.jobs'
}

# selector NAMESPACE_INDEX K: a label selector for the first K CronJobs of namespace team-0I (the
# scale seed puts CronJob i in team-(i mod 10) and labels it, its Jobs and pods
# app.kubernetes.io/name=job-NNNNN).
selector() {
  local names
  names=$(for k in $(seq 0 $(($2 - 1))); do printf 'job-%05d,' $((k * 10 + $1)); done)
  echo "app.kubernetes.io/name in (${names%,})"
}

bench_suspend_prune() {
  local n=$BENCH_CRONJOBS per_ns=$((BENCH_CRONJOBS / 10))
  check "CronJobs suspended before" 0 "$(suspended -A)"
  pair "suspend-all -n team-00" "$per_ns CronJobs" \
    "\"\$bin/kubectl-kuul\" suspend-all -n team-00" \
    "for cj in \$(kubectl get cronjobs -n team-00 -o name); do kubectl patch -n team-00 \$cj -p '{\"spec\":{\"suspend\":true}}'; done"
  # pair runs kuul first; undo between the halves is not possible, so each half is checked on
  # its own: kuul suspends and resumes, then kubectl suspends and resumes.
  pair "resume -n team-00" "$per_ns CronJobs" \
    "\"\$bin/kubectl-kuul\" resume -n team-00" \
    "for cj in \$(kubectl get cronjobs -n team-00 -o name); do kubectl patch -n team-00 \$cj -p '{\"spec\":{\"suspend\":false}}'; done"
  check "CronJobs suspended after both sides suspended and resumed team-00" 0 "$(suspended -A)"

  solo "suspend-all -A" "$n CronJobs" "\"\$bin/kubectl-kuul\" suspend-all -A" \
    "not run: the patch loop, about $((n / per_ns))x the -n team-00 row's time"
  check "CronJobs suspended by suspend-all -A" "$n" "$(suspended -A)"
  solo "resume -A" "$n CronJobs" "\"\$bin/kubectl-kuul\" resume -A" \
    "not run: the patch loop, about $((n / per_ns))x the -n team-00 row's time"
  check "CronJobs suspended after resume -A" 0 "$(suspended -A)"

  local k=$BENCH_PRUNE ours_sel kubectl_sel
  ours_sel=$(selector 1 "$k")
  kubectl_sel=$(selector 2 "$k")
  local ours_jobs kubectl_jobs
  ours_jobs=$(count_lines kubectl get jobs -n team-01 -l "$ours_sel" -o name)
  kubectl_jobs=$(count_lines kubectl get jobs -n team-02 -l "$kubectl_sel" -o name)
  check "Jobs to prune, kuul / kubectl" "$((k * 10)) / $((k * 10))" "$ours_jobs / $kubectl_jobs"
  pair "prune (every Job of $k CronJobs)" "$ours_jobs Jobs, $ours_jobs pods" \
    "\"\$bin/kubectl-kuul\" prune -n team-01 -l '$ours_sel' --older-than 0s --yes" \
    "kubectl get jobs -n team-02 -l '$kubectl_sel' -o name | xargs kubectl delete -n team-02"
  local kubectl_prune_s=$M_WALL
  check "Jobs and pods left, kuul / kubectl" "0 0 / 0 0" \
    "$(count_lines kubectl get jobs -n team-01 -l "$ours_sel" -o name) $(count_lines kubectl get pods -n team-01 -l "$ours_sel" -o name) / $(count_lines kubectl get jobs -n team-02 -l "$kubectl_sel" -o name) $(count_lines kubectl get pods -n team-02 -l "$kubectl_sel" -o name)"

  # Counting 50,000 Jobs with kubectl takes minutes; kuul's own plan (--dry-run) is the count,
  # and a second plan after the run must be empty.
  local planned
  planned=$(planned_jobs -A --keep-last 9)
  solo "prune -A --keep-last 9" "$planned Jobs (of about $((n * 10)))" \
    "\"\$bin/kubectl-kuul\" prune -A --keep-last 9 --yes" \
    "not run: at the prune row's rate kubectl would take about $(printf '%.0f' "$(echo "$kubectl_prune_s / $kubectl_jobs * $planned" | bc -l)") s"
  check "Jobs still to prune after prune -A --keep-last 9" 0 "$(planned_jobs -A --keep-last 9)"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then bench_main bench_suspend_prune "$@"; fi
