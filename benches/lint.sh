#!/usr/bin/env bash
# Benchmark (issue 16): `kubectl kuul lint -f FILE` on the sandbox's 5,000 CronJobs exported as
# one YAML file (`kubectl get cronjobs -A -o yaml`, a kind: List), against kubectl reading the
# same file client-side (`kubectl create --dry-run=client -o name -f FILE`: parsing only, no
# rules). The goal is well under a second for 5,000 CronJobs. Then `lint -A` in cluster mode.
# Usage: benches/lint.sh [--quick]   (sizes: see benches/common.sh; KUUL_BIN=DIR uses
# already-built binaries). benches/all.sh runs this with every other benchmark.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

bench_lint() {
  local n=$BENCH_CRONJOBS
  local file
  file=$(mktemp --suffix=.yaml)
  kubectl get cronjobs -A -o yaml >"$file"
  check "lint -f sees every CronJob" "$n" \
    "$("$bin/kubectl-kuul" lint -f "$file" --fail-on never -o jsonpath='{.summary.objects}')"
  pair "lint -f FILE (no cluster)" "$n CronJobs in one file" \
    "\"\$bin/kubectl-kuul\" lint -f $file --fail-on never" \
    "kubectl create --dry-run=client -o name -f $file"
  solo "lint -A (cluster mode, nodes and run history)" "$n CronJobs, $((n * 10)) Jobs" \
    "\"\$bin/kubectl-kuul\" lint -A --fail-on never"
  rm -f "$file"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then bench_main bench_lint "$@"; fi
