#!/usr/bin/env bash
# Writes a kubeconfig whose only user is the kuul-readonly service account (see
# kuul-readonly-serviceaccount.yaml), for people who should watch periodic jobs but not change
# them. Usage: make-readonly-kubeconfig.sh OUTPUT [CONTEXT]   (CONTEXT: an admin context to read
# the cluster's address and CA from; default: the current one)
set -euo pipefail
out=${1:?usage: make-readonly-kubeconfig.sh OUTPUT [CONTEXT]}
ctx=${2:-$(kubectl config current-context)}
cluster=$(kubectl config view --raw -o jsonpath="{.contexts[?(@.name==\"$ctx\")].context.cluster}")
server=$(kubectl config view --raw -o jsonpath="{.clusters[?(@.name==\"$cluster\")].cluster.server}")
ca=$(kubectl --context "$ctx" -n kube-system get secret kuul-readonly-token -o jsonpath='{.data.ca\.crt}')
token=$(kubectl --context "$ctx" -n kube-system get secret kuul-readonly-token -o jsonpath='{.data.token}' | base64 -d)
umask 077
cat >"$out" <<CONFIG
apiVersion: v1
kind: Config
current-context: kuul-readonly@$cluster
clusters:
- name: $cluster
  cluster:
    server: $server
    certificate-authority-data: $ca
users:
- name: kuul-readonly
  user:
    token: $token
contexts:
- name: kuul-readonly@$cluster
  context:
    cluster: $cluster
    user: kuul-readonly
CONFIG
echo "wrote $out (context kuul-readonly@$cluster)"
