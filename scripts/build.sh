#!/usr/bin/env bash
# Builds the plugins and the sandbox (`cargo build --locked -p kubectl-kuul -p kuul-sandbox`,
# extra arguments passed on, e.g. --release) and links their executables, and nothing else,
# into target/bin; prints that directory. Put it on PATH rather than target/debug: kubectl
# takes every `kubectl-*` file on PATH for a plugin, and target/debug also holds cargo's
# dep-info files (kubectl-kuul-history.d, ...), which `kubectl plugin list` and kubectl's
# plugin completion would then show as plugins.
# Usage: PATH="$(scripts/build.sh):$PATH"
set -euo pipefail
cd "$(dirname "$0")/.."
profile=debug
for arg in "$@"; do
  case "$arg" in --release) profile=release ;; --profile=*) profile=${arg#--profile=} ;; esac
done
[ "$profile" = dev ] && profile=debug
cargo build --locked -p kubectl-kuul -p kuul-sandbox "$@" >&2
target="${CARGO_TARGET_DIR:-$PWD/target}"
bin="$target/bin"
mkdir -p "$bin"
# Links whose binary is gone (a renamed command) go; files of others (completion hooks
# `kubectl kuul completion install` wrote here) stay.
for link in "$bin"/*; do
  if [ -L "$link" ] && [ ! -e "$link" ]; then rm -f "$link"; fi
done
for exe in "$target/$profile"/kubectl-kuul "$target/$profile"/kubectl-kuul-* \
  "$target/$profile"/kuul-sandbox "$target/$profile"/*.exe; do
  name=$(basename "$exe")
  case "$name" in *.d | *.pdb | *.dSYM | *.rlib) continue ;; esac
  [ -f "$exe" ] && [ -x "$exe" ] || continue
  ln -sfn "../$profile/$name" "$bin/$name"
done
echo "$bin"
