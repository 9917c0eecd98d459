#!/usr/bin/env bash
# Benchmark (issue 6): `kubectl kuul cost-report -A` on 5,000 CronJobs, 50,000 Jobs and 50,000
# pods against `kubectl get jobs,pods -A -o json` (the raw data a script would need, before any
# arithmetic), in one run against one sandbox. Target: cost-report within 2x kubectl's wall time.
# Also `label-pool -A` (nodes + CronJobs) for scale.
# Usage: benches/cost_report.sh [N_CRONJOBS]   (default 5000; ten Jobs with one pod each per
# CronJob). KUUL_BIN=DIR uses already-built binaries instead of building release ones.
source "$(dirname "$0")/common.sh"
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
