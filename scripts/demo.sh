#!/usr/bin/env bash
# The README's "main job": builds kubectl-kuul and runs `lastrun -A` (then any command you pass)
# against the cluster your kubeconfig points at, or, when none is configured, against a sandbox
# started with the demo seed. Usage: scripts/demo.sh [kuul args...]   (default: lastrun -A)
set -euo pipefail
cd "$(dirname "$0")/.."

# The dev profile builds dependencies optimised (Cargo.toml), so this is quick and fast enough;
# `cargo install` or `cargo xtask dist` make the release binaries.
cargo build --locked -p kubectl-kuul -p kuul-sandbox >&2
bin="${CARGO_TARGET_DIR:-$PWD/target}/debug"
export PATH="$bin:$PATH"
args=("$@")
[ ${#args[@]} -gt 0 ] || args=(lastrun -A)

if kubectl config current-context >/dev/null 2>&1; then
  echo "# using your kubeconfig's current context: $(kubectl config current-context)" >&2
  exec kubectl-kuul "${args[@]}"
fi

dir=$(mktemp -d)
trap 'kill "$sandbox" 2>/dev/null || true; wait "$sandbox" 2>/dev/null || true; rm -rf "$dir"' EXIT
kuul-sandbox serve --seed demo --kubeconfig "$dir/kubeconfig" >"$dir/sandbox.log" 2>&1 &
sandbox=$!
for _ in $(seq 1 100); do
  [ -s "$dir/kubeconfig" ] && break
  kill -0 "$sandbox" 2>/dev/null || { cat "$dir/sandbox.log" >&2; exit 1; }
  sleep 0.1
done
[ -s "$dir/kubeconfig" ] || { echo "the sandbox did not start" >&2; cat "$dir/sandbox.log" >&2; exit 1; }
export KUBECONFIG="$dir/kubeconfig"
echo "# no cluster configured: using a kuul-sandbox with the demo seed (KUBECONFIG=$KUBECONFIG)" >&2
kubectl-kuul "${args[@]}"
