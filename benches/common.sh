# Shared helpers for the benchmark scripts (sourced, not run): build release binaries once, start
# one sandbox, measure kuul and the kubectl way of doing the same work side by side (wall time,
# peak RSS via GNU time, requests the sandbox counted), and print one Markdown table.
#
# Every benches/<issue>.sh defines a `bench_<issue>` function that adds its rows with `pair`
# (and `solo`, `check`); run alone it calls `bench_main bench_<issue>`, and benches/all.sh calls
# `bench_main` with all of them against one sandbox. Sizes come from the environment (BENCH_*,
# below) or `--quick`.
#
# Needs: kubectl, curl, jq, bc, GNU time (/usr/bin/time).

set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${KUUL_BIN:-${CARGO_TARGET_DIR:-$root/target}/release}"

# The sandbox clock stands still at this instant, so no CronJob fires while we measure and both
# sides see the same cluster.
bench_clock=2025-03-01T10:00:00Z

# Sizes (full run, about 7 minutes on 2 busy cores; `--quick` shrinks them to half a minute).
# BENCH_CRONJOBS: the sandbox seed scale:N (N CronJobs over ten namespaces team-00..09, ten
#   finished one-pod Jobs each, twenty nodes);
# BENCH_LATENCY: added by the sandbox to every request (a nearby API server's round trip);
# BENCH_PRUNE: CronJobs whose ten Jobs each side prunes (kubectl deletes at client-go's default
#   5 requests/s, so this is the slow row);
# BENCH_RUNS: repetitions of the one-object commands (trigger, reschedule);
# BENCH_HELP_RUNS: start-up repetitions.
set_sizes() {
  local quick=$1
  if [ "$quick" = 1 ]; then
    : "${BENCH_CRONJOBS:=200}" "${BENCH_PRUNE:=2}" "${BENCH_RUNS:=5}" "${BENCH_HELP_RUNS:=20}"
  else
    : "${BENCH_CRONJOBS:=5000}" "${BENCH_PRUNE:=25}" "${BENCH_RUNS:=30}" "${BENCH_HELP_RUNS:=200}"
  fi
  : "${BENCH_LATENCY:=5ms}"
  export BENCH_CRONJOBS BENCH_PRUNE BENCH_RUNS BENCH_HELP_RUNS BENCH_LATENCY
}

# build_release: the two binaries only (each extra binary is another LTO link of minutes).
build_release() {
  if [ -n "${KUUL_BIN:-}" ]; then return; fi
  (cd "$root" && cargo build --release --locked -p kubectl-kuul -p kuul-sandbox \
    --bin kubectl-kuul --bin kuul-sandbox >&2)
}

# --- the sandbox -------------------------------------------------------------------------------

# start_sandbox SEED: serves SEED on a frozen clock with BENCH_LATENCY; sets KUBECONFIG,
# KUBECACHEDIR (kubectl's discovery cache, warmed here as an operator's would be), SANDBOX_URL
# and bench_dir (scratch space); stops it on exit. Seeding 50,000 Jobs takes a while: wait up to
# ten minutes.
start_sandbox() {
  bench_dir=$(mktemp -d)
  "$bin/kuul-sandbox" serve --seed "$1" --kubeconfig "$bench_dir/kubeconfig" \
    --clock "$bench_clock" --clock-speed 0 --latency "$BENCH_LATENCY" \
    >"$bench_dir/sandbox.log" 2>&1 &
  SANDBOX_PID=$!
  trap stop_sandbox EXIT
  local t0=$SECONDS
  for _ in $(seq 1 6000); do
    [ -s "$bench_dir/kubeconfig" ] && break
    kill -0 "$SANDBOX_PID" 2>/dev/null || { cat "$bench_dir/sandbox.log" >&2; exit 1; }
    sleep 0.1
  done
  [ -s "$bench_dir/kubeconfig" ] || { echo "sandbox did not start in 10 minutes" >&2; exit 1; }
  seed_seconds=$((SECONDS - t0))
  export KUBECONFIG="$bench_dir/kubeconfig" KUBECACHEDIR="$bench_dir/kube-cache"
  SANDBOX_URL=$(grep -m1 'server:' "$KUBECONFIG" | sed 's/.*server: *//; s/["'\'']//g')
  SANDBOX_TOKEN=$(grep -m1 'token:' "$KUBECONFIG" | sed 's/.*token: *//; s/["'\'']//g')
  export SANDBOX_URL SANDBOX_TOKEN
  kubectl get namespaces >/dev/null
}

stop_sandbox() {
  if [ -n "${SANDBOX_PID:-}" ]; then
    kill "$SANDBOX_PID" 2>/dev/null || true
    wait "$SANDBOX_PID" 2>/dev/null || true
    SANDBOX_PID=
  fi
  rm -rf "${bench_dir:-/nonexistent}"
  trap - EXIT
}

# admin METHOD PATH: the sandbox admin API (the kubeconfig's server URL names the admin user).
admin() { curl -sf -X "$1" "$SANDBOX_URL/kuul-sandbox/v1/$2"; }
requests_reset() { admin DELETE requests >/dev/null; }
# requests_sent: API requests counted since the last reset (discovery is not counted: kubectl
# reads it from its warm cache, and kuul does not use it).
requests_sent() { admin GET requests | jq '[.requests[].count] | add // 0'; }

# --- measuring ---------------------------------------------------------------------------------

# run_measured CMD: runs the shell command CMD (bash -c; exported functions and variables are
# visible) under GNU time with the request counter reset. Sets M_WALL (seconds), M_MB (peak RSS
# of the largest process, MB), M_REQ and M_RC (exit status); keeps stderr in $bench_dir/err.
run_measured() {
  requests_reset
  M_RC=0
  /usr/bin/time -f '%e %M' -o "$bench_dir/time" bash -c "$1" >/dev/null 2>"$bench_dir/err" \
    || M_RC=$?
  local kb
  # GNU time writes "Command exited with non-zero status N" first when the command fails.
  read -r M_WALL kb < <(tail -1 "$bench_dir/time")
  M_MB=$(printf '%.0f' "$(echo "$kb / 1024" | bc -l)")
  M_REQ=$(requests_sent)
  if [ "$M_RC" != 0 ]; then
    echo "  exit $M_RC: $1" >&2
    tail -5 "$bench_dir/err" | sed 's/^/    /' >&2
    bench_failed=1
  fi
}

# wall_cell: M_WALL, with the exit status when the command failed.
wall_cell() { if [ "$M_RC" = 0 ]; then echo "$M_WALL"; else echo "$M_WALL (exit $M_RC)"; fi; }

# raw_fetch_cmd PATH...: the shell command that fetches each API PATH (e.g.
# /apis/batch/v1/jobs?fieldSelector=...) once, unpaged, all at once, with the kubeconfig's own
# token and discarding the bodies: the least any client must transfer for those lists.
raw_fetch_cmd() {
  local cmd="" path
  for path in "$@"; do
    cmd+="curl -sf -H \"Authorization: Bearer \$SANDBOX_TOKEN\" \"\$SANDBOX_URL$path\" -o /dev/null & "
  done
  echo "${cmd}wait"
}

# pair TASK SIZE OURS KUBECTL [RAW_PATH...]: one row: kuul's command, then the raw fetch of
# the lists it needs (when RAW_PATHs are given: the yardstick of the read path, issue 15),
# then the kubectl way, on the same sandbox, one right after the other so all three see the
# same load. Commands are bash -c strings; they are listed under the table exactly as run.
pair() {
  local task=$1 size=$2 ours=$3 theirs=$4
  shift 4
  echo "measuring $task ($size)..." >&2
  run_measured "$ours"
  local o_wall o_secs=$M_WALL o_rc=$M_RC o_mb=$M_MB o_req=$M_REQ
  o_wall=$(wall_cell)
  local raw=- raw_ratio=- raw_cmd=""
  if [ $# -gt 0 ]; then
    raw_cmd=$(raw_fetch_cmd "$@")
    run_measured "$raw_cmd"
    raw=$(wall_cell)
    if [ "$o_rc" = 0 ] && [ "$M_RC" = 0 ]; then raw_ratio=$(ratio_cell "$o_secs" "$M_WALL"); fi
  fi
  run_measured "$theirs"
  local ratio=-
  if [ "$o_rc" = 0 ] && [ "$M_RC" = 0 ]; then ratio=$(ratio_cell "$M_WALL" "$o_secs"); fi
  add_row "$task" "$size" "$o_wall" "$(wall_cell)" "$ratio" "$o_req" "$M_REQ" "$o_mb" "$M_MB" \
    "$raw" "$raw_ratio" "$ours" "$theirs" "$raw_cmd"
}

# solo TASK SIZE OURS [NOTE]: a row with kuul only (e.g. the kubectl way would not finish in this
# run's time budget); NOTE, listed under the table, says why.
solo() {
  local task=$1 size=$2 ours=$3 note=${4:-}
  echo "measuring $task ($size)..." >&2
  run_measured "$ours"
  add_row "$task" "$size" "$(wall_cell)" "-" "-" "$M_REQ" "-" "$M_MB" "-" "-" "-" "$ours" "$note" ""
}

# ratio_cell KUBECTL_S OURS_S: kubectl's time over ours ("12.3x": kuul 12.3 times faster).
ratio_cell() {
  if [ "$(echo "$2 <= 0" | bc)" = 1 ]; then echo "-"; return; fi
  printf '%.1fx' "$(echo "$1 / $2" | bc -l)"
}

add_row() {
  bench_rows=$((bench_rows + 1))
  local IFS=$'\t'
  printf '%s\n' "$bench_rows	$*" >>"$bench_results"
}

# check WHAT EXPECTED ACTUAL: a correctness check listed under the table (both sides must have
# done the same work for the row to mean anything); a mismatch fails the run.
check() {
  local status=ok
  if [ "$2" != "$3" ]; then status="MISMATCH (expected $2, got $3)"; bench_failed=1; fi
  printf -- '- %s: %s (%s)\n' "$1" "$status" "$3" >>"$bench_checks"
}

# count_lines CMD...: how many non-empty lines CMD prints.
count_lines() { "$@" | grep -c . || true; }

print_table() {
  echo "| # | task | size | kuul (s) | kubectl (s) | kubectl ÷ kuul | raw fetch (s) | kuul ÷ raw fetch | requests kuul | requests kubectl | peak RSS kuul (MB) | peak RSS kubectl (MB) |"
  echo "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  local n task size ow kw ratio oq kq om km raw rr ours theirs rawc
  while IFS=$'\t' read -r n task size ow kw ratio oq kq om km raw rr ours theirs rawc; do
    echo "| $n | $task | $size | $ow | $kw | $ratio | $raw | $rr | $oq | $kq | $om | $km |"
  done <"$bench_results"
  echo
  echo "Raw fetch: the unpaged lists the kuul command reads, fetched at once with curl and the"
  echo "kubeconfig's token, bodies discarded (what any client must at least transfer); kuul ÷ raw"
  echo "fetch 1.5x means kuul took 1.5 times that."
  echo
  echo "Commands, exactly as run (bash -c; \$bin is the kuul release directory):"
  echo
  while IFS=$'\t' read -r n task size ow kw ratio oq kq om km raw rr ours theirs rawc; do
    echo "$n. kuul: \`$ours\`"
    if [ "$kw" = - ]; then
      [ -n "$theirs" ] && echo "   $theirs"
    else
      echo "   kubectl: \`$theirs\`"
    fi
    if [ -n "$rawc" ]; then echo "   raw fetch: \`$rawc\`"; fi
  done <"$bench_results"
  echo
  echo "Checks:"
  echo
  cat "$bench_checks"
}

# --- the driver --------------------------------------------------------------------------------

# bench_main BENCH_FN... [--quick]: builds, starts one sandbox (seed scale:BENCH_CRONJOBS), runs
# every BENCH_FN (each adds rows), prints the machine facts and the table. Exit 1 when a command
# failed or a check did not hold.
bench_main() {
  local fns=() quick=0 arg
  for arg in "$@"; do
    case $arg in
      --quick) quick=1 ;;
      -h | --help)
        sed -n '2,/^$/s/^# \{0,1\}//p' "$0"
        exit 0
        ;;
      -*) echo "unknown option $arg (only --quick)" >&2; exit 2 ;;
      *) fns+=("$arg") ;;
    esac
  done
  for tool in kubectl curl jq bc /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "benches need $tool" >&2; exit 2; }
  done
  set_sizes "$quick"
  build_release
  export bin
  local load_before
  load_before=$(cut -d' ' -f1-3 /proc/loadavg)
  start_sandbox "scale:$BENCH_CRONJOBS"
  bench_results="$bench_dir/results.tsv" bench_checks="$bench_dir/checks.md"
  bench_rows=0 bench_failed=0
  : >"$bench_results"
  : >"$bench_checks"
  local t0=$SECONDS fn
  for fn in "${fns[@]}"; do "$fn"; done
  local elapsed=$((SECONDS - t0))
  echo
  echo "kuul benchmarks against the kubectl way, one sandbox (seed scale:$BENCH_CRONJOBS," \
    "seeded in ${seed_seconds}s; clock frozen at $bench_clock; $BENCH_LATENCY latency on every" \
    "request), measured in ${elapsed}s."
  echo
  echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')," \
    "$(free -g | awk '/^Mem:/ {print $2}') GB memory; load average before $load_before," \
    "after $(cut -d' ' -f1-3 /proc/loadavg)"
  local source
  source="git $(cd "$root" && git rev-parse --short HEAD)$(cd "$root" && git diff --quiet HEAD -- crates Cargo.toml Cargo.lock || echo ', modified')"
  [ -n "${KUUL_BIN:-}" ] && source="binaries given with KUUL_BIN"
  echo "- kubectl $(kubectl version --client -o json | jq -r .clientVersion.gitVersion)," \
    "$("$bin/kubectl-kuul" --version) ($source, $bin)"
  echo
  print_table
  stop_sandbox
  return "$bench_failed"
}
