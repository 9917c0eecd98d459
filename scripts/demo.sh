#!/usr/bin/env bash
# The README's "main job": builds kubectl-kuul and runs `lastrun -A` (then any command you pass)
# against the cluster your kubeconfig points at, or, when none is configured, against a sandbox
# started with the demo seed. Usage: scripts/demo.sh [kuul args...]   (default: lastrun -A)
set -euo pipefail
cd "$(dirname "$0")/.."

# The dev profile builds dependencies optimised (Cargo.toml), so this is quick and fast enough;
# `cargo install` or `cargo xtask dist` make the release binaries. scripts/build.sh links the
# executables (only them: no dep-info `*.d` files kubectl would take for plugins) into
# target/bin.
bin=$(scripts/build.sh)
export PATH="$bin:$PATH"
args=("$@")
[ ${#args[@]} -gt 0 ] || args=(lastrun -A)

if kubectl config current-context >/dev/null 2>&1; then
  context=$(kubectl config current-context)
  echo "# using your kubeconfig's current context: $context" >&2
  # The demo never writes to a real cluster without asking: only the read-only commands (and
  # dry runs, help) run straight away; anything else needs a "yes" typed on a terminal, or
  # KUUL_DEMO_WRITE=yes in a script.
  case "${args[0]}" in
    lastrun|cost-report|completion|help|--help|-h|--version|-V) read_only=1 ;;
    *) read_only=0 ;;
  esac
  for arg in "${args[@]}"; do
    case "$arg" in --dry-run|--dry-run=client|--dry-run=server|--help|-h|--list) read_only=1 ;; esac
  done
  if [ "$read_only" = 0 ] && [ "${KUUL_DEMO_WRITE:-}" != yes ]; then
    if [ -t 0 ] && [ -t 2 ]; then
      printf 'kubectl kuul %s may change context "%s". Go ahead? [y/N] ' "${args[*]}" "$context" >&2
      read -r answer
      case "$answer" in y|Y|yes|YES|Yes) ;; *) echo "nothing done" >&2; exit 1 ;; esac
    else
      echo "error: kubectl kuul ${args[0]} may write to context \"$context\"; the demo does not without asking" >&2
      echo "hint: add --dry-run, or set KUUL_DEMO_WRITE=yes, or unset KUBECONFIG to use a sandbox" >&2
      exit 1
    fi
  fi
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
