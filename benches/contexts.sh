#!/usr/bin/env bash
# Benchmark (issue 17): `kubectl kuul lastrun -A --all-contexts` over five sandboxes of
# BENCH_CONTEXT_CRONJOBS CronJobs each (default 1,000; `--quick` 100) against `lastrun -A` on
# one of them alone. The clusters are queried concurrently, so the five together should take
# about as long as the slowest one: the check fails above 1.5 times the one alone.
# Two pairs of rows: the sandboxes' BENCH_LATENCY (5 ms, a cluster next door: the work is then
# CPU, and five clusters' lists cannot decode in the time of one on a machine with fewer cores
# than clusters; the CPU lines under the table say how far from that bound kuul is), then
# BENCH_REMOTE_LATENCY (default 100 ms: a cluster in another region, its round trip plus the
# time a real API server takes to serve a list of 10,000 Jobs, which the sandbox serves in about
# 20 ms of CPU), where the clusters wait on the network and the fan-out overlaps the waits.
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
  for i in $(seq 1 "$n"); do
    export "FLEET_URL_$i=$(grep -m1 'server:' "$bench_dir/fleet-$i/kubeconfig" | sed 's/.*server: *//')"
    export "FLEET_TOKEN_$i=$(grep -m1 'token:' "$bench_dir/fleet-$i/kubeconfig" | sed 's/.*token: *//')"
  done
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

# fleet_latency D: every fleet sandbox adds D to each API request from now on (admin API).
fleet_latency() {
  local i url token
  for i in $(seq 1 "${#fleet_pids[@]}"); do
    url=FLEET_URL_$i token=FLEET_TOKEN_$i
    curl -sf -X PUT -H "Authorization: Bearer ${!token}" -H 'Content-Type: application/json' \
      -d "{\"latency\": \"$1\"}" "${!url}/kuul-sandbox/v1/latency" -o /dev/null
  done
}

stop_fleet() {
  local pid
  for pid in "${fleet_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${fleet_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  fleet_pids=()
}

# fleet_cpu: CPU seconds (user + system) the fleet's sandboxes have used so far (/proc/PID/stat
# fields 14 and 15, in clock ticks).
fleet_cpu() {
  local ticks=0 pid t
  for pid in "${fleet_pids[@]}"; do
    t=$(awk '{print $14 + $15}' "/proc/$pid/stat")
    ticks=$((ticks + t))
  done
  echo "scale=2; $ticks / $(getconf CLK_TCK)" | bc
}

# fleet_raw_cmd I...: the raw fetch (as common.sh `raw_fetch_cmd`) of lastrun -A's two lists
# from fleet sandboxes I..., all at once: the least any client must wait for those clusters.
# (start_fleet exports each sandbox's URL and token as FLEET_URL_I and FLEET_TOKEN_I.)
fleet_raw_cmd() {
  local cmd="" i path
  for i in "$@"; do
    for path in /apis/batch/v1/cronjobs /apis/batch/v1/jobs; do
      cmd+="curl -sf -H \"Authorization: Bearer \$FLEET_TOKEN_$i\" \"\$FLEET_URL_$i$path\" -o /dev/null & "
    done
  done
  echo "${cmd}wait"
}

# cpu_measured CMD: runs CMD once more and says where the CPU went: C_CLIENT (the command's own user +
# system seconds, GNU time) and C_SANDBOX (the fleet's sandboxes over the same run).
cpu_measured() {
  local before after
  before=$(fleet_cpu)
  /usr/bin/time -f '%U %S' -o "$bench_dir/cpu" bash -c "$1" >/dev/null 2>&1 || true
  after=$(fleet_cpu)
  local user sys
  read -r user sys < <(tail -1 "$bench_dir/cpu")
  C_CLIENT=$(echo "$user + $sys" | bc)
  C_SANDBOX=$(echo "$after - $before" | bc)
}

# median X...: the middle value (the lower middle of an even count).
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

# context_pair ONE_TASK ONE_SIZE ONE_CMD ALL_TASK ALL_SIZE ALL_CMD [NOTE]: runs the two commands one after
# the other BENCH_CONTEXT_RUNS times (default 5; on a shared machine a single run says little),
# adds a row for each with its median wall time, and sets ONE and ALL to those medians.
context_pair() {
  local runs=${BENCH_CONTEXT_RUNS:-5} i ones=() alls=() one_mb all_mb one_req all_req
  echo "measuring $1 against $4, $runs times each..." >&2
  for i in $(seq 1 "$runs"); do
    run_measured "$3"
    ones+=("$M_WALL") one_mb=$M_MB one_req=$M_REQ
    run_measured "$6"
    alls+=("$M_WALL") all_mb=$M_MB all_req=$M_REQ
  done
  ONE=$(median "${ones[@]}") ALL=$(median "${alls[@]}")
  add_row "$1" "$2" "$ONE" "-" "-" "$one_req" "-" "$one_mb" "-" "-" "-" "$3" \
    "note: median of $runs runs (${ones[*]})" ""
  add_row "$4" "$5" "$ALL" "-" "-" "$all_req" "-" "$all_mb" "-" "-" "-" "$6" \
    "note: median of $runs runs (${alls[*]}), each right after one of the row above${7:+; $7}" ""
}

bench_contexts() {
  local n=${BENCH_CONTEXT_CRONJOBS:-1000} clusters=5
  [ "${BENCH_QUICK:-0}" = 1 ] && n=${BENCH_CONTEXT_CRONJOBS:-100}
  start_fleet "$clusters" "scale:$n"
  local kc="$bench_dir/fleet-kubeconfig"
  KUBECONFIG="$kc" "$bin/kubectl-kuul" lastrun -A --all-contexts -o json >/dev/null # warm up
  check "lastrun --all-contexts sees every CronJob of every cluster" "$((n * clusters))" \
    "$(KUBECONFIG="$kc" "$bin/kubectl-kuul" lastrun -A --all-contexts -o json | jq '.items | length')"
  local one_cmd="KUBECONFIG=$kc \"\$bin/kubectl-kuul\" lastrun -A --context fleet-1"
  local all_cmd="KUBECONFIG=$kc \"\$bin/kubectl-kuul\" lastrun -A --all-contexts"
  context_pair "lastrun -A, one cluster alone" "$n CronJobs" "$one_cmd" \
    "lastrun -A --all-contexts" "$clusters clusters x $n CronJobs" "$all_cmd" \
    "the $clusters clusters are queried concurrently; target: within 1.5x of one alone"
  local one=$ONE all=$ALL
  # The yardstick: the same two lists of one cluster, then of all five at once, fetched raw.
  # On a machine with fewer cores than sandboxes, five sandboxes serving at once cannot be as
  # fast as one: the raw fetch shows how much of the ratio is theirs, not the client's.
  solo "raw fetch of lastrun's lists, one cluster" "$n CronJobs" "$(fleet_raw_cmd 1)" \
    "note: curl, bodies discarded: what the sandbox alone needs to serve one cluster"
  local raw_one=$M_WALL
  solo "raw fetch of lastrun's lists, $clusters clusters at once" "$clusters x $n CronJobs" \
    "$(fleet_raw_cmd $(seq 1 "$clusters"))" \
    "note: curl, bodies discarded: what the sandboxes alone need to serve every cluster"
  local raw_all=$M_WALL
  # Where the CPU goes (one more run of each): the client's own, and the sandboxes'.
  cpu_measured "$one_cmd"
  local c1=$C_CLIENT s1=$C_SANDBOX
  cpu_measured "$all_cmd"
  local c5=$C_CLIENT s5=$C_SANDBOX
  printf -- '- CPU seconds, one cluster: kuul %s, its sandbox %s; %s clusters: kuul %s, sandboxes %s (%s cores)\n' \
    "$c1" "$s1" "$clusters" "$c5" "$s5" "$(nproc)" >>"$bench_checks"
  # When every core is busy, the wall time follows the CPU time: the CPU ratio (kuul and the
  # sandboxes together) is then the least ratio any concurrency can reach.
  printf -- '- ratios: kuul %s clusters ÷ one %s; raw fetch %s clusters ÷ one %s; CPU (kuul + sandboxes) %s clusters ÷ one %s\n' \
    "$clusters" "$(ratio_cell "$all" "$one")" "$clusters" "$(ratio_cell "$raw_all" "$raw_one")" \
    "$clusters" "$(ratio_cell "$(echo "$c5 + $s5" | bc)" "$(echo "$c1 + $s1" | bc)")" \
    >>"$bench_checks"
  local within
  within=$(echo "$all <= 1.5 * $one" | bc)
  check "lastrun --all-contexts within 1.5x of one cluster ($all s vs $one s)" 1 "$within"
  # Remote clusters: the same runs with BENCH_REMOTE_LATENCY on every request.
  local remote=${BENCH_REMOTE_LATENCY:-100ms}
  fleet_latency "$remote"
  context_pair "lastrun -A, one remote cluster alone" "$n CronJobs, $remote a request" "$one_cmd" \
    "lastrun -A --all-contexts, remote clusters" "$clusters x $n CronJobs, $remote a request" \
    "$all_cmd" "$remote added by each sandbox to every request, as a cluster in another region"
  local one_remote=$ONE all_remote=$ALL
  fleet_latency "$BENCH_LATENCY"
  printf -- '- ratio, %s a request: kuul %s clusters ÷ one %s\n' "$remote" "$clusters" \
    "$(ratio_cell "$all_remote" "$one_remote")" >>"$bench_checks"
  within=$(echo "$all_remote <= 1.5 * $one_remote" | bc)
  check "lastrun --all-contexts within 1.5x of one cluster, $remote a request ($all_remote s vs $one_remote s)" 1 "$within"
  stop_fleet
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then bench_main bench_contexts "$@"; fi
