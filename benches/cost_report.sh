#!/usr/bin/env bash
# Benchmark (issue 6): `kubectl kuul cost-report -A` on 5,000 CronJobs, 50,000 Jobs and 50,000
# pods against `kubectl get jobs,pods -A -o json` (the raw data a script would need, before any
# arithmetic), in one run against one sandbox. Target: cost-report within 2x kubectl's wall time.
# Also `label-pool -A` (nodes + CronJobs) for scale.
# Usage: benches/cost_report.sh [N_CRONJOBS]   (default 5000; ten Jobs with one pod each per
# CronJob). KUUL_BIN=DIR uses already-built binaries instead of building release ones.
source "$(dirname "$0")/common.sh"

# measure LABEL CMD...: as common.sh's, but GNU time writes to a file (-o) so that discarding
# the command's stderr does not discard the measurement too.
measure() {
  local label=$1; shift
  /usr/bin/time -o "$bench_dir/time" -f '%e %M' "$@" >/dev/null 2>/dev/null
  local out wall kb
  out=$(tail -1 "$bench_dir/time"); wall=${out% *}; kb=${out#* }
  printf '%-58s %8.2f s %8.1f MB\n' "$label" "$wall" "$(echo "$kb / 1024" | bc -l)"
  echo "$wall" >"$bench_dir/last_wall"
}
n=${1:-5000}
if [ -n "${KUUL_BIN:-}" ]; then bin=$KUUL_BIN; else build_release; fi
start_sandbox "scale:$n"
echo "cost-report benchmark: $n CronJobs, ~$((n * 10)) Jobs and pods (seed scale:$n), $(nproc) cores, binaries from $bin"

# Warm up (first connection, page cache) and check the answer covers every CronJob.
items=$("$bin/kubectl-kuul" cost-report -A -o jsonpath='{.total.cronjobs}')
echo "cost-report sees $items CronJobs"

measure "kubectl get jobs,pods -A -o json" kubectl get jobs,pods -A -o json
kubectl_wall=$(last_wall)
measure "kubectl kuul cost-report -A (table)" "$bin/kubectl-kuul" cost-report -A
measure "kubectl kuul cost-report -A -o json" "$bin/kubectl-kuul" cost-report -A -o json
ours_wall=$(last_wall)
printf 'ratio cost-report/kubectl: %.2fx (target <= 2x)\n' "$(echo "$ours_wall / $kubectl_wall" | bc -l)"
measure "kubectl kuul label-pool -A" "$bin/kubectl-kuul" label-pool -A
