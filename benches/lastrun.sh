#!/usr/bin/env bash
# Benchmark (issue 3): `kubectl kuul lastrun -A` on the whole sandbox (5,000 CronJobs, ~50,000
# Jobs) against the least kubectl needs for the same answer (`kubectl get cronjobs,jobs -A -o
# json`), and start-up (`kubectl-kuul --help` against `kubectl --help`, and `kubectl kuul --help`
# through kubectl's plugin lookup, which is how operators start it).
# Usage: benches/lastrun.sh [--quick]   (sizes: see benches/common.sh; KUUL_BIN=DIR uses
# already-built binaries). benches/all.sh runs this with every other benchmark.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# watch_session BIN N: `BIN/kubectl-kuul lastrun -A --watch` into a pipe (the table, then one
# line per change); once the table is out, N CronJobs are suspended one by one with kubectl
# patch, each after the previous change line came. Prints "LISTS WATCHES CPU_MS" counted over
# the changes only (the start excluded): list and watch requests the sandbox counted, and the
# CPU time (user + system) the watch used.
watch_session() {
  local b=$1 n=$2 out="$bench_dir/watch.out" i pid lines tick cpu0 cpu1
  "$b/kubectl-kuul" lastrun -A --watch >"$out" 2>"$bench_dir/watch.err" &
  pid=$!
  for _ in $(seq 1 60000); do [ "$(wc -l <"$out")" -gt "$BENCH_CRONJOBS" ] && break; sleep 0.01; done
  sleep 2 # the first tick and any pods and events list a row needs go before the count
  local names
  mapfile -t names < <(awk 'NR > 1 && !/SUSPENDED/ {print $1 " " $2}' "$out" | head -n "$n")
  requests_reset
  tick=$(getconf CLK_TCK)
  cpu0=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  for i in "${names[@]}"; do
    lines=$(wc -l <"$out")
    kubectl patch cronjob -n "${i% *}" "${i#* }" -p '{"spec":{"suspend":true}}' >/dev/null
    for _ in $(seq 1 60000); do [ "$(wc -l <"$out")" -gt "$lines" ] && break; sleep 0.01; done
  done
  cpu1=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  local counts
  counts=$(admin GET requests)
  # Leave the sandbox as found: later rows (suspend_prune) count suspended CronJobs.
  for i in "${names[@]}"; do
    kubectl patch cronjob -n "${i% *}" "${i#* }" -p '{"spec":{"suspend":false}}' >/dev/null
  done
  echo "$(jq '[.requests[] | select(.verb == "list") | .count] | add // 0' <<<"$counts")" \
    "$(jq '[.requests[] | select(.verb == "watch") | .count] | add // 0' <<<"$counts")" \
    "$(((cpu1 - cpu0) * 1000 / tick))"
}
export -f watch_session

bench_lastrun() {
  local help=$BENCH_HELP_RUNS
  pair "start-up: --help" "$help runs" \
    "for i in \$(seq $help); do \"\$bin/kubectl-kuul\" --help; done" \
    "for i in \$(seq $help); do kubectl --help; done"
  # kubectl finds plugins on PATH.
  solo "start-up: kubectl kuul --help (plugin lookup)" "$help runs" \
    "PATH=\"\$bin:\$PATH\"; for i in \$(seq $help); do kubectl kuul --help; done" \
    "note: kuul started the way operators type it: kubectl's start-up and plugin lookup, then kuul's"

  local n=$BENCH_CRONJOBS
  "$bin/kubectl-kuul" lastrun -A -o json >/dev/null # warm up (first connection, page cache)
  check "lastrun -A sees every CronJob" "$n" \
    "$("$bin/kubectl-kuul" lastrun -A -o json | jq '.items | length')"
  pair "lastrun -A" "$n CronJobs, $((n * 10)) Jobs" \
    "\"\$bin/kubectl-kuul\" lastrun -A" \
    "kubectl get cronjobs,jobs -A -o json" \
    /apis/batch/v1/cronjobs /apis/batch/v1/jobs

  # lastrun --watch over 100 changes (issue 15): lists once, then applies watch events.
  local changes=100 result w_lists w_watches w_cpu
  [ "${BENCH_QUICK:-0}" = 1 ] && changes=20
  result=$(watch_session "$bin" "$changes")
  read -r w_lists w_watches w_cpu <<<"$result"
  check "lastrun -A --watch sends no list per change ($changes changes)" 0 "$w_lists"
  printf -- '- lastrun -A --watch, %s changes (CronJobs suspended one by one with kubectl patch, each after the previous change line): %s list and %s watch requests, %s ms CPU (%s ms per change)\n' \
    "$changes" "$w_lists" "$w_watches" "$w_cpu" "$((w_cpu / changes))" >>"$bench_checks"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then bench_main bench_lastrun "$@"; fi
