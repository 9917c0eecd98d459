# Shared helpers for the benchmark scripts (sourced, not run). Builds release binaries once,
# starts a sandbox with a seed, and measures commands (wall time and peak RSS via GNU time).

set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${CARGO_TARGET_DIR:-$root/target}/release"

build_release() {
  (cd "$root" && cargo build --release --locked -p kubectl-kuul -p kuul-sandbox >&2)
}

# start_sandbox SEED [extra serve args...]: sets KUBECONFIG and SANDBOX_PID, stops it on exit.
start_sandbox() {
  local seed=$1; shift
  bench_dir=$(mktemp -d)
  "$bin/kuul-sandbox" serve --seed "$seed" --kubeconfig "$bench_dir/kubeconfig" "$@" \
    >"$bench_dir/sandbox.log" 2>&1 &
  SANDBOX_PID=$!
  trap 'kill $SANDBOX_PID 2>/dev/null || true; wait $SANDBOX_PID 2>/dev/null || true; rm -rf "$bench_dir"' EXIT
  for _ in $(seq 1 600); do
    [ -s "$bench_dir/kubeconfig" ] && break
    kill -0 "$SANDBOX_PID" 2>/dev/null || { cat "$bench_dir/sandbox.log" >&2; exit 1; }
    sleep 0.1
  done
  export KUBECONFIG="$bench_dir/kubeconfig"
  SANDBOX_URL=$(grep -m1 'server:' "$KUBECONFIG" | sed 's/.*server: *//; s/["'\'']//g')
}

# measure LABEL CMD...: runs CMD (stdout discarded) and prints "LABEL wall_s peak_MB".
measure() {
  local label=$1; shift
  /usr/bin/time -o "$bench_dir/time" -f '%e %M' "$@" >/dev/null 2>"$bench_dir/stderr" \
    || { echo "$label failed:" >&2; cat "$bench_dir/stderr" >&2; }
  local out wall kb
  out=$(tail -1 "$bench_dir/time")
  wall=${out% *} kb=${out#* }
  printf '%-58s %8.2f s %8.1f MB\n' "$label" "$wall" "$(echo "$kb / 1024" | bc -l)"
  echo "$wall" >"$bench_dir/last_wall"
}

last_wall() { cat "$bench_dir/last_wall"; }

# requests_sent: total requests the sandbox has counted since the last reset.
reset_requests() { curl -s -X POST "$SANDBOX_URL/kuul-sandbox/v1/requests/reset" -H "Authorization: Bearer admin" >/dev/null || true; }
