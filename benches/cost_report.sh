#!/usr/bin/env bash
# Benchmark (issue 6): `kubectl kuul cost-report -A` on the whole sandbox (5,000 CronJobs,
# ~50,000 Jobs and pods) against `kubectl get jobs,pods -A -o json` (the raw data a script would
# need, before any arithmetic); `label-pool` listing pools against `kubectl get nodes -L` plus the
# CronJobs' node selectors; `label-pool` moving seven nodes to a pool against `kubectl label nodes`.
# Usage: benches/cost_report.sh [--quick]   (sizes: see benches/common.sh; KUUL_BIN=DIR uses
# already-built binaries). benches/all.sh runs this with every other benchmark.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

bench_cost_report() {
  local n=$BENCH_CRONJOBS
  "$bin/kubectl-kuul" cost-report -A >/dev/null # warm up
  check "cost-report -A sees every CronJob" "$n" \
    "$("$bin/kubectl-kuul" cost-report -A -o jsonpath='{.total.cronjobs}')"
  # The raw fetch: exactly the four lists cost-report reads (CronJobs, Jobs, Pods, Nodes).
  pair "cost-report -A" "$n CronJobs, $((n * 10)) Jobs and pods" \
    "\"\$bin/kubectl-kuul\" cost-report -A" \
    "kubectl get jobs,pods -A -o json" \
    /apis/batch/v1/cronjobs /apis/batch/v1/jobs /api/v1/pods /api/v1/nodes

  pair "label-pool (list pools, their CronJobs)" "20 nodes, $n CronJobs" \
    "\"\$bin/kubectl-kuul\" label-pool -A" \
    "kubectl get nodes -L kuul.dev/pool && kubectl get cronjobs -A -o jsonpath='{range .items[*]}{.metadata.namespace}/{.metadata.name} {.spec.jobTemplate.spec.template.spec.nodeSelector}{\"\\n\"}{end}'"

  # Each side moves seven different nodes of the seed's "internal" pool to a pool of its own.
  local ours_nodes kubectl_nodes
  ours_nodes=$(printf 'internal-%02d ' $(seq 0 6))
  kubectl_nodes=$(printf 'internal-%02d ' $(seq 7 13))
  kubectl_nodes=${kubectl_nodes% }
  pair "label-pool POOL NODE... --overwrite" "7 nodes" \
    "\"\$bin/kubectl-kuul\" label-pool batch-kuul $ours_nodes--overwrite" \
    "kubectl label nodes $kubectl_nodes kuul.dev/pool=batch-kubectl --overwrite"
  check "nodes moved by kuul / by kubectl" "7 / 7" \
    "$(count_lines kubectl get nodes -l kuul.dev/pool=batch-kuul -o name) / $(count_lines kubectl get nodes -l kuul.dev/pool=batch-kubectl -o name)"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then bench_main bench_cost_report "$@"; fi
