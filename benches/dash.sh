#!/usr/bin/env bash
# Benchmark (issue 19): `kubectl kuul dash -A` on the whole sandbox, in a real 80x24 terminal
# (tmux): start to the first full frame against `kubectl kuul lastrun -A` printing the same
# table, and a key press to its redraw while the watches stream (the sandbox clock is advanced
# an hour meanwhile, so thousands of Jobs are created, run and finish).
# The dash reports both itself (KUUL_DASH_LATENCY_LOG: first_frame_ms, key_to_frame_us: from the
# key read to the frame written); the row's wall time also counts tmux and the quit. The dash
# runs inside tmux, not under the row's GNU time, so its own peak RSS is taken inside the tmux
# pane (GNU time around the dash) and listed under the table next to lastrun's; the row's
# "peak RSS kuul" column is the tmux client's.
# Usage: benches/dash.sh [--quick]   (sizes: see benches/common.sh; KUUL_BIN=DIR uses
# already-built binaries). Needs tmux (skipped, loudly, without it).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# dash_session LOG KEYS: starts the dash in tmux, waits (at most 10 minutes) for its first full
# frame, presses j KEYS times (each after the previous one's frame) while the clock is advanced,
# then quits.
dash_session() {
  local log=$1 keys=$2 sock="kuul-bench-$$" i
  rm -f "$log" "$log.rss"
  tmux -L "$sock" new-session -d -x 80 -y 24 \
    "KUUL_DASH_LATENCY_LOG='$log' KUBECONFIG='$KUBECONFIG' /usr/bin/time -f %M -o '$log.rss' '$bin/kubectl-kuul' dash -A"
  # No wait after an ESC (the keys here are plain, but as in the e2e tests).
  tmux -L "$sock" set-option -s escape-time 0
  for _ in $(seq 1 60000); do grep -q first_frame_ms "$log" 2>/dev/null && break; sleep 0.01; done
  if [ "$keys" -gt 0 ]; then
    curl -sf -X POST -H 'Content-Type: application/json' -d '{"by": "1h"}' \
      "$SANDBOX_URL/kuul-sandbox/v1/advance" >/dev/null &
    local advancing=$!
    for i in $(seq 1 "$keys"); do
      tmux -L "$sock" send-keys j
      for _ in $(seq 1 1000); do
        [ "$(grep -c key_to_frame_us "$log")" -ge "$i" ] && break
        sleep 0.005
      done
    done
    wait "$advancing" || true
  fi
  tmux -L "$sock" send-keys q
  for _ in $(seq 1 500); do tmux -L "$sock" has-session 2>/dev/null || break; sleep 0.01; done
  for _ in $(seq 1 500); do [ -s "$log.rss" ] && break; sleep 0.01; done
  tmux -L "$sock" kill-server 2>/dev/null || true
}
export -f dash_session

bench_dash() {
  if ! command -v tmux >/dev/null; then
    echo "SKIPPED: tmux is not installed; no dash rows" >&2
    return
  fi
  local n=$BENCH_CRONJOBS log="$bench_dir/dash.log"
  export bin
  pair "dash -A: start to first frame" "$n CronJobs, $((n * 10)) Jobs" \
    "dash_session '$log' 0" \
    "\"\$bin/kubectl-kuul\" lastrun -A"
  local first
  first=$(grep -m1 first_frame_ms "$log" | awk '{print $2}')
  check "dash -A drew its first full frame (ms, by its own clock)" "yes" \
    "$([ -n "$first" ] && echo yes || echo "no ($first)")"
  printf -- '- dash -A first full frame: %s ms after start (its own clock)\n' "$first" >>"$bench_checks"
  local dash_kb lastrun_kb
  dash_kb=$(tail -1 "$log.rss" 2>/dev/null || echo 0)
  /usr/bin/time -f %M -o "$bench_dir/lastrun.rss" "$bin/kubectl-kuul" lastrun -A >/dev/null
  lastrun_kb=$(tail -1 "$bench_dir/lastrun.rss")
  printf -- '- dash -A peak RSS %s MB (inside tmux, to the first frame and the quit); lastrun -A %s MB\n' \
    "$((dash_kb / 1024))" "$((lastrun_kb / 1024))" >>"$bench_checks"
  dash_session "$log" 50
  local p50 max count
  count=$(grep -c key_to_frame_us "$log" || true)
  p50=$(grep key_to_frame_us "$log" | awk '{print $2}' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]/1000}')
  max=$(grep key_to_frame_us "$log" | awk '{print $2}' | sort -n | tail -1 | awk '{print $1/1000}')
  check "dash -A redrew after every key while the watches streamed" 50 "$count"
  printf -- '- dash -A peak RSS over the streaming hour: %s MB\n' \
    "$(($(tail -1 "$log.rss" 2>/dev/null || echo 0) / 1024))" >>"$bench_checks"
  printf -- '- dash -A key press to redraw while 1h of runs stream: median %s ms, max %s ms (%s keys)\n' \
    "$p50" "$max" "$count" >>"$bench_checks"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then bench_main bench_dash "$@"; fi
