#!/usr/bin/env bash
# Benchmark (issue 17): `kubectl kuul lastrun -A --all-contexts` over five sandboxes of
# BENCH_CONTEXT_CRONJOBS CronJobs each (default 1,000; `--quick` 100) against `lastrun -A` on
# one of them alone. The clusters are queried concurrently, so the five together should take
# about as long as the slowest one: the check fails above 1.5 times the one alone.
# Usage: benches/contexts.sh [--quick]   (sizes: see benches/common.sh; KUUL_BIN=DIR uses
# already-built binaries). benches/all.sh runs this with every other benchmark.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# start_fleet N SEED: N more sandboxes (frozen clock, BENCH_LATENCY), stopped on exit; writes
# $bench_dir/fleet-kubeconfig with contexts fleet-1..fleet-N (each sandbox's admin).
start_fleet() {
  local n=$1 seed=$2 i
  fleet_pids=()
  for i in $(seq 1 "$n"); do
    mkdir -p "$bench_dir/fleet-$i"
    "$bin/kuul-sandbox" serve --seed "$seed" --kubeconfig "$bench_dir/fleet-$i/kubeconfig" \
      --clock "$bench_clock" --clock-speed 0 --latency "$BENCH_LATENCY" \
      >"$bench_dir/fleet-$i/sandbox.log" 2>&1 &
    fleet_pids+=($!)
  done
  for i in $(seq 1 "$n"); do
    for _ in $(seq 1 6000); do
      [ -s "$bench_dir/fleet-$i/kubeconfig" ] && break
      sleep 0.1
    done
  done
  local out="$bench_dir/fleet-kubeconfig" server token
  {
    echo "apiVersion: v1"
    echo "kind: Config"
    echo "clusters:"
    for i in $(seq 1 "$n"); do
      server=$(grep -m1 'server:' "$bench_dir/fleet-$i/kubeconfig" | sed 's/.*server: *//')
      printf -- '- name: fleet-%s\n  cluster:\n    server: %s\n' "$i" "$server"
    done
    echo "users:"
    for i in $(seq 1 "$n"); do
      token=$(grep -m1 'token:' "$bench_dir/fleet-$i/kubeconfig" | sed 's/.*token: *//')
      printf -- '- name: fleet-%s\n  user:\n    token: %s\n' "$i" "$token"
    done
    echo "contexts:"
    for i in $(seq 1 "$n"); do
      printf -- '- name: fleet-%s\n  context:\n    cluster: fleet-%s\n    user: fleet-%s\n' \
        "$i" "$i" "$i"
    done
    echo "current-context: fleet-1"
  } >"$out"
}

stop_fleet() {
  local pid
  for pid in "${fleet_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${fleet_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  fleet_pids=()
}

bench_contexts() {
  local n=${BENCH_CONTEXT_CRONJOBS:-1000} clusters=5
  [ "${BENCH_QUICK:-0}" = 1 ] && n=${BENCH_CONTEXT_CRONJOBS:-100}
  start_fleet "$clusters" "scale:$n"
  local kc="$bench_dir/fleet-kubeconfig"
  KUBECONFIG="$kc" "$bin/kubectl-kuul" lastrun -A --all-contexts -o json >/dev/null # warm up
  check "lastrun --all-contexts sees every CronJob of every cluster" "$((n * clusters))" \
    "$(KUBECONFIG="$kc" "$bin/kubectl-kuul" lastrun -A --all-contexts -o json | jq '.items | length')"
  solo "lastrun -A, one cluster alone" "$n CronJobs" \
    "KUBECONFIG=$kc \"\$bin/kubectl-kuul\" lastrun -A --context fleet-1"
  local one=$M_WALL
  solo "lastrun -A --all-contexts" "$clusters clusters x $n CronJobs" \
    "KUBECONFIG=$kc \"\$bin/kubectl-kuul\" lastrun -A --all-contexts" \
    "note: the $clusters clusters are queried concurrently; target: within 1.5x of one alone"
  local within
  within=$(echo "$M_WALL <= 1.5 * $one" | bc)
  check "lastrun --all-contexts within 1.5x of one cluster ($M_WALL s vs $one s)" 1 "$within"
  stop_fleet
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then bench_main bench_contexts "$@"; fi
