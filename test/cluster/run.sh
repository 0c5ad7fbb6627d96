#!/usr/bin/env bash
# make check-cluster: the operator against a real Kubernetes control plane on loopback.
#
# Starts etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok (built by
# scripts/cluster-tools), the hook server, and runs test/cluster/cluster.test.mjs: install as the
# README says, admission by the API server, and the reconcile loop through a test stand-in for
# Metacontroller. Everything is torn down on exit, pass or fail.
#
#   test/cluster/run.sh [--only STEP] [--bench-network-nodes N]
set -euo pipefail
cd "$(dirname "$0")/../.."
TOOLS=$(scripts/cluster-tools)
WORK=$(mktemp -d /tmp/monero-operator-cluster.XXXXXX)
HOOK_PID=
source test/cluster/control-plane.sh

cleanup() {
    local rc=$?
    [ -n "$HOOK_PID" ] && kill "$HOOK_PID" 2>/dev/null
    control_plane_down
    if [ $rc -ne 0 ]; then
        for log in "$WORK"/*.log; do
            echo "--- $(basename "$log") (tail)"
            tail -n 15 "$log"
        done
    fi
    rm -rf "$WORK"
    exit $rc
}
trap cleanup EXIT
trap 'exit 1' INT TERM

control_plane_up "$TOOLS" "$WORK"
# The hook server as the Deployment runs it: TLS with the pair and token scripts/hook-credentials
# makes; the install step applies the same files as the Secrets Metacontroller reads.
scripts/hook-credentials --out "$WORK/hook-credentials" --no-apply > /dev/null
./monero-operator serve --listen 127.0.0.1:0 --port-file "$WORK/hook.port" --no-request-log \
    --metrics-listen 127.0.0.1:0 --tls-cert "$WORK/hook-credentials/tls.crt" \
    --tls-key "$WORK/hook-credentials/tls.key" --token-file "$WORK/hook-credentials/token" \
    > "$WORK/hook-server.log" 2>&1 &
HOOK_PID=$!
cp_wait hook-server 30 test -s "$WORK/hook.port"

CLUSTER_TOKEN=$CP_TOKEN timeout 2400 node test/cluster/cluster.test.mjs \
    --api "https://127.0.0.1:$CP_API_PORT" --ca "$WORK/pki/ca.crt" --kubectl "$TOOLS/kubectl" \
    --monitoring-crds "$TOOLS/../monitoring-crds" --helm "$TOOLS/helm" \
    --hook "https://127.0.0.1:$(cat "$WORK/hook.port")" --work "$WORK" "$@"
