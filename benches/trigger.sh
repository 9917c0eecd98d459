#!/usr/bin/env bash
# Benchmark (issue 4): `kubectl kuul trigger` against `kubectl create job --from=cronjob/...`,
# and `reschedule-next-minute` + `--restore` against the two `kubectl patch` calls an operator
# would type, N times each, in one run against one sandbox. Also counts the requests each
# sends (the sandbox's request counter).
# Usage: benches/trigger.sh [N]   (default 30). KUUL_BIN=DIR uses already-built binaries
# (e.g. a debug build) instead of building release ones.
source "$(dirname "$0")/common.sh"
n=${1:-30}
if [ -n "${KUUL_BIN:-}" ]; then bin=$KUUL_BIN; else build_release; fi
start_sandbox empty
echo "trigger benchmark: $n runs each, $(nproc) cores, binaries from $bin"

kubectl create namespace bench >/dev/null
kubectl apply -n bench -f - >/dev/null <<'YAML'
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly, labels: {team: db}}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    metadata: {labels: {team: db}}
    spec:
      backoffLimit: 0
      template:
        metadata: {annotations: {sandbox.kuul.dev/duration: "1h"}}
        spec:
          restartPolicy: Never
          containers: [{name: main, image: busybox, env: [{name: MODE, value: full}]}]
YAML
"$bin/kubectl-kuul" trigger nightly -n bench --dry-run=client >/dev/null   # warm up

kubectl_creates() { for i in $(seq 1 "$n"); do kubectl create job "k-$i" --from=cronjob/nightly -n bench; done; }
kuul_triggers() { for _ in $(seq 1 "$n"); do "$bin/kubectl-kuul" trigger nightly -n bench; done; }
kubectl_patches() {
  for _ in $(seq 1 "$n"); do
    kubectl patch cronjob nightly -n bench --type=merge -p '{"spec":{"schedule":"1 10 1 3 *"}}'
    kubectl patch cronjob nightly -n bench --type=merge -p '{"spec":{"schedule":"0 3 * * *"}}'
  done
}
kuul_reschedules() {
  for _ in $(seq 1 "$n"); do
    "$bin/kubectl-kuul" reschedule-next-minute nightly -n bench
    "$bin/kubectl-kuul" reschedule-next-minute nightly -n bench --restore
  done
}
export -f kubectl_creates kuul_triggers kubectl_patches kuul_reschedules
export n bin

base=$(echo "$SANDBOX_URL" | sed -E 's#(https?://[^/]+).*#\1#')
token=$(grep -m1 'token:' "$KUBECONFIG" | sed 's/.*token: *//; s/["'\'']//g')
admin() { curl -s -X "$1" "$base/kuul-sandbox/v1/requests" -H "Authorization: Bearer $token"; }
requests() { admin GET | python3 -c 'import json,sys; print(sum(c["count"] for c in json.load(sys.stdin)["requests"]))' 2>/dev/null || echo "?"; }

for pair in "kubectl create job --from (x$n):kubectl_creates" "kubectl kuul trigger (x$n):kuul_triggers" \
            "kubectl patch schedule + patch back (x$n):kubectl_patches" \
            "kubectl kuul reschedule-next-minute + --restore (x$n):kuul_reschedules"; do
  label=${pair%%:*}; fn=${pair##*:}
  admin DELETE >/dev/null
  t0=$(date +%s%N); bash -c "$fn" >/dev/null 2>&1; t1=$(date +%s%N)
  printf '%-58s %8.1f ms per run\n' "$label" "$(echo "($t1 - $t0) / $n / 1000000" | bc -l)"
  printf '%-58s %8s requests\n' "" "$(requests)"
done
echo "jobs created: $(kubectl get jobs -n bench -o name | wc -l) (expect $((2 * n)))"
