#!/usr/bin/env bash
# Benchmark (issue 5): the bulk-write engine against kubectl doing the same work, in one run,
# against the sandbox with 5 ms of injected latency on every request:
#   1. `kubectl kuul suspend-all -A` on N CronJobs vs the seeds' shell loop
#      (`for cj in ...; do kubectl patch cronjob $cj -p '{"spec":{"suspend":true}}'; done`);
#   2. `kubectl kuul prune` of the same finished Jobs vs `kubectl delete job NAME...`
#      (one kubectl per namespace, every name on its command line);
#   3. ours alone at 10x (10N CronJobs, ~100N Jobs): time, requests sent, peak RSS.
# Usage: benches/suspend_prune.sh [N]   (default 500; the sandbox seed scale:N has ten finished
# Jobs per CronJob). Needs kubectl, curl, jq, bc and GNU time. BENCH_PROFILE=debug uses the
# debug binaries already built (dependencies are optimised in dev builds too) instead of
# building release ones.
source "$(dirname "$0")/common.sh"
n=${1:-500}
large=$((n * 10))
clock=2025-03-01T10:00:00Z
if [ "${BENCH_PROFILE:-release}" = debug ]; then
  bin="${CARGO_TARGET_DIR:-$root/target}/debug"
else
  build_release
fi

# Sandbox helpers: a frozen clock (nothing new gets scheduled while we measure) and 5 ms latency.
# (common.sh's start_sandbox waits 60 s for the kubeconfig; seeding 50,000 Jobs can take longer.)
start() {
  bench_dir=$(mktemp -d)
  "$bin/kuul-sandbox" serve --seed "scale:$1" --kubeconfig "$bench_dir/kubeconfig" \
    --clock "$clock" --clock-speed 0 --latency 5ms >"$bench_dir/sandbox.log" 2>&1 &
  SANDBOX_PID=$!
  trap 'kill $SANDBOX_PID 2>/dev/null || true; rm -rf "$bench_dir"' EXIT
  for _ in $(seq 1 6000); do
    [ -s "$bench_dir/kubeconfig" ] && break
    kill -0 "$SANDBOX_PID" 2>/dev/null || { cat "$bench_dir/sandbox.log" >&2; exit 1; }
    sleep 0.1
  done
  export KUBECONFIG="$bench_dir/kubeconfig"
  SANDBOX_URL=$(grep -m1 'server:' "$KUBECONFIG" | sed 's/.*server: *//; s/["'\'']//g')
  kubectl get namespaces >/dev/null # warm kubectl's discovery cache
}
stop() {
  kill "$SANDBOX_PID" 2>/dev/null || true
  wait "$SANDBOX_PID" 2>/dev/null || true
  rm -rf "$bench_dir"
  trap - EXIT
}
admin() { curl -sf -X "$1" "$SANDBOX_URL/kuul-sandbox/v1/$2"; }
requests_reset() { admin DELETE requests >/dev/null; }
requests_sent() { admin GET requests | jq '[.requests[].count] | add // 0'; }

# measure LABEL CMD...: like common.sh's, with GNU time writing to a file of its own (the
# command's stderr is discarded, and with it anything time prints there).
measure() {
  local label=$1; shift
  "${TIME:-/usr/bin/time}" -f '%e %M' -o "$bench_dir/time" "$@" >/dev/null 2>&1 || true
  local wall kb
  read -r wall kb <"$bench_dir/time"
  printf '%-58s %8.2f s %8.1f MB' "$label" "$wall" "$(echo "$kb / 1024" | bc -l)"
  echo "$wall" >"$bench_dir/last_wall"
}

# row LABEL CMD...: measures CMD and prints time, peak RSS and the requests it sent.
row() {
  local label=$1; shift
  requests_reset
  local line
  line=$(measure "$label" "$@")
  printf '%s %10s req\n' "$line" "$(requests_sent)"
}

kubectl_patch_loop() {
  for cj in $(kubectl get cronjobs -A -o jsonpath='{range .items[*]}{.metadata.namespace}/{.metadata.name}{" "}{end}'); do
    kubectl patch cronjob -n "${cj%%/*}" "${cj#*/}" -p '{"spec":{"suspend":true}}'
  done
}
# kubectl_delete FILE: one `kubectl delete job NAME...` per namespace, names from FILE (ns name).
kubectl_delete() {
  for ns in $(cut -d' ' -f1 "$1" | sort -u); do
    # shellcheck disable=SC2046
    kubectl delete job -n "$ns" $(awk -v ns="$ns" '$1 == ns { print $2 }' "$1")
  done
}
export -f kubectl_patch_loop kubectl_delete

echo "suspend-all / prune benchmark: $n CronJobs (~$((n * 10)) Jobs), then $large; 5 ms latency; $(nproc) cores"
printf '%-58s %10s %11s %14s\n' "" "wall" "peak RSS" "requests"

start "$n"
names=$(mktemp)
"$bin/kubectl-kuul" prune -A --older-than 0s --dry-run=client -o json \
  | jq -r '.items[] | select(.kind == "Job") | "\(.namespace) \(.name)"' >"$names"
jobs=$(wc -l <"$names")
row "kubectl kuul suspend-all -A ($n CronJobs)" "$bin/kubectl-kuul" suspend-all -A
ours_suspend=$(last_wall)
"$bin/kubectl-kuul" resume -A >/dev/null
row "shell loop of kubectl patch ($n CronJobs)" bash -c kubectl_patch_loop
kubectl_suspend=$(last_wall)
row "kubectl kuul prune -A --older-than 0s --yes ($jobs Jobs)" \
  "$bin/kubectl-kuul" prune -A --older-than 0s --yes
ours_prune=$(last_wall)
stop
start "$n" # the same Jobs again (same seed, same clock)
row "kubectl delete job NAME... per namespace ($jobs Jobs)" bash -c "kubectl_delete $names"
kubectl_prune=$(last_wall)
stop
rm -f "$names"

start "$large"
row "kubectl kuul suspend-all -A ($large CronJobs)" "$bin/kubectl-kuul" suspend-all -A
row "kubectl kuul resume -A ($large CronJobs)" "$bin/kubectl-kuul" resume -A
row "kubectl kuul prune -A --older-than 0s --yes (~$((large * 10)) Jobs)" \
  "$bin/kubectl-kuul" prune -A --older-than 0s --yes
stop

printf 'suspend-all speed-up over the kubectl patch loop: %.1fx (target >= 50x)\n' \
  "$(echo "$kubectl_suspend / $ours_suspend" | bc -l)"
printf 'prune speed-up over kubectl delete job NAME...:     %.1fx (target >= 20x)\n' \
  "$(echo "$kubectl_prune / $ours_prune" | bc -l)"
