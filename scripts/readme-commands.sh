#!/usr/bin/env bash
# Runs the README's getting-started commands from a fresh clone, as a newcomer would: the
# "keep a sandbox running" recipe and `scripts/demo.sh` (against a sandbox, never a real
# cluster: KUBECONFIG points at nothing). Run by .ci/run after the tests.
#
# To stay quick it reuses this checkout's build: the clone's `cargo build` lines run with
# CARGO_TARGET_DIR set to this checkout's target directory, where the binaries are current
# (cargo only rebuilds the workspace crates for the clone's path, not the dependencies).
# Usage: scripts/readme-commands.sh
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$here/target}"
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

git clone -q "$here" "$work/clone"
cd "$work/clone"
# The recipe runs `$PWD/target/bin/...`: the clone's target is this checkout's build.
ln -s "$CARGO_TARGET_DIR" target

# The README's sh block that starts with the recipe's first line, as written.
recipe=$(awk '/^To keep a sandbox running/ {found=1} found && /^```sh/ {inside=1; next}
              inside && /^```/ {exit} inside {print}' README.md)
[ -n "$recipe" ] || { echo "README: the keep-a-sandbox-running recipe is missing" >&2; exit 1; }
# The recipe's own kubeconfig path, in this run's temporary directory; the sandbox runs in the
# background as the recipe says, and is stopped on exit.
recipe=${recipe//\/tmp\/kuul-sandbox.yaml/$work/kuul-sandbox.yaml}
echo "== README recipe (fresh clone)"
printf '%s\n' "$recipe"
(
  set -euo pipefail
  eval "$recipe"
  kill %1
) >"$work/recipe.log" 2>&1 || { cat "$work/recipe.log" >&2; echo "README recipe failed" >&2; exit 1; }
grep -q "VERDICT" "$work/recipe.log" || { cat "$work/recipe.log" >&2; echo "no lastrun table" >&2; exit 1; }
# `kubectl plugin list` (in the recipe) finds the plugins and nothing else: no dep-info `*.d`
# file taken for a plugin (the recipe's PATH has target/bin, not target/debug).
grep -q "/kubectl-kuul-lastrun$" "$work/recipe.log" \
  || { cat "$work/recipe.log" >&2; echo "kubectl plugin list: no kubectl-kuul-lastrun" >&2; exit 1; }
if grep -E "kubectl-kuul[^ ]*\.d\b" "$work/recipe.log" >&2; then
  echo "kubectl plugin list shows dep-info files as plugins" >&2; exit 1
fi

echo "== scripts/demo.sh (fresh clone, no cluster configured)"
RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}" CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}" \
  KUBECONFIG="$work/none" HOME="$work" scripts/demo.sh >"$work/demo.log" 2>&1 \
  || { cat "$work/demo.log" >&2; echo "scripts/demo.sh failed" >&2; exit 1; }
grep -q "VERDICT" "$work/demo.log" || { cat "$work/demo.log" >&2; exit 1; }

echo "== scripts/demo.sh refuses to write to a configured cluster without asking"
KUBECONFIG="$work/kuul-sandbox.yaml" scripts/demo.sh suspend-all -A </dev/null >"$work/write.log" 2>&1 \
  && { cat "$work/write.log" >&2; echo "demo.sh wrote without asking" >&2; exit 1; }
grep -q "does not without asking" "$work/write.log" || { cat "$work/write.log" >&2; exit 1; }
echo "README commands: ok"
