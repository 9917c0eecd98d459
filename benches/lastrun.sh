#!/usr/bin/env bash
# Benchmark (issue 3): `kubectl kuul lastrun -A` on 5,000 CronJobs and 50,000 Jobs against the
# least kubectl needs for the same answer (`kubectl get cronjobs -A -o json` plus
# `kubectl get jobs -A -o json`), in one run against one sandbox; then `kubectl-kuul --help`
# startup. Usage: benches/lastrun.sh [N_CRONJOBS]   (default 5000; about ten Jobs each)
source "$(dirname "$0")/common.sh"
n=${1:-5000}
build_release
start_sandbox "scale:$n"
echo "lastrun benchmark: $n CronJobs, ~$((n * 10)) Jobs (sandbox seed scale:$n), $(nproc) cores"

# Warm up (first connection, page cache).
"$bin/kubectl-kuul" lastrun -A -o json >/dev/null

both_kubectl() { kubectl get cronjobs -A -o json >/dev/null && kubectl get jobs -A -o json >/dev/null; }
export -f both_kubectl
measure "kubectl get cronjobs -A -o json + get jobs -A -o json" bash -c both_kubectl
kubectl_wall=$(last_wall)
measure "kubectl kuul lastrun -A (table)" "$bin/kubectl-kuul" lastrun -A
measure "kubectl kuul lastrun -A -o json" "$bin/kubectl-kuul" lastrun -A -o json
ours_wall=$(last_wall)
printf 'ratio lastrun/kubectl: %.2fx (target <= 1.5x)\n' "$(echo "$ours_wall / $kubectl_wall" | bc -l)"

# Startup: 200 runs of --help.
start=$(date +%s%N)
for _ in $(seq 1 200); do "$bin/kubectl-kuul" --help >/dev/null; done
end=$(date +%s%N)
printf 'kubectl-kuul --help: %.2f ms per run (target < 10 ms)\n' "$(echo "($end - $start) / 200 / 1000000" | bc -l)"
