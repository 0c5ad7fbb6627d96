# control-plane.sh: starts a real Kubernetes control plane on loopback for the cluster tests
# (sourced by test/cluster/run.sh). etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler and kwok (fake kubelets: pods are scheduled and turn Running and Ready without
# containers), each on a random free port, with certificates and a token made for this run in
# $CP_DIR. control_plane_down stops everything; callers trap it.

CP_PIDS=()

free_port() {
    node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

cp_log() { echo "  cluster $*" >&2; }

# Self-signed CA, the API server's serving certificate, the service-account key pair, a token.
cp_certificates() {
    local d=$CP_DIR/pki
    mkdir -p "$d"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$d/ca.key" -out "$d/ca.crt" -days 2 \
        -subj "/CN=monero-operator-test-ca" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -keyout "$d/apiserver.key" -out "$d/apiserver.csr" \
        -subj "/CN=kube-apiserver" 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc\n' > "$d/san.ext"
    openssl x509 -req -in "$d/apiserver.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial \
        -out "$d/apiserver.crt" -days 2 -extfile "$d/san.ext" 2>/dev/null
    openssl genrsa -out "$d/sa.key" 2048 2>/dev/null
    openssl rsa -in "$d/sa.key" -pubout -out "$d/sa.pub" 2>/dev/null
    CP_TOKEN=$(openssl rand -hex 24)
    echo "$CP_TOKEN,admin,admin,system:masters" > "$d/tokens.csv"
}

cp_kubeconfig() {
    cat > "$CP_DIR/kubeconfig" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
- name: test
  cluster:
    server: https://127.0.0.1:$CP_API_PORT
    certificate-authority: $CP_DIR/pki/ca.crt
users:
- name: admin
  user:
    token: $CP_TOKEN
contexts:
- name: test
  context: {cluster: test, user: admin, namespace: default}
current-context: test
KUBECONFIG
}

cp_start() { # name, command...
    local name=$1
    shift
    "$@" > "$CP_DIR/$name.log" 2>&1 &
    CP_PIDS+=($!)
}

cp_wait() { # what, seconds, command...
    local what=$1 seconds=$2
    shift 2
    local deadline=$((SECONDS + seconds))
    until "$@" > /dev/null 2>&1; do
        if [ $SECONDS -ge $deadline ]; then
            cp_log "$what not ready after ${seconds}s; log tails:"
            tail -n 20 "$CP_DIR"/*.log >&2
            return 1
        fi
        sleep 0.5
    done
}

control_plane_up() { # tools-bin, dir
    CP_BIN=$1
    CP_DIR=$2
    local started=$SECONDS etcd_port peer_port
    etcd_port=$(free_port)
    peer_port=$(free_port)
    CP_API_PORT=$(free_port)
    cp_certificates
    cp_kubeconfig
    export KUBECONFIG=$CP_DIR/kubeconfig
    cp_start etcd "$CP_BIN/etcd" --name test --data-dir "$CP_DIR/etcd" --unsafe-no-fsync \
        --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
        --listen-peer-urls "http://127.0.0.1:$peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" \
        --initial-cluster "test=http://127.0.0.1:$peer_port" --listen-metrics-urls "" --quota-backend-bytes 4294967296
    cp_wait etcd 60 curl -fsS "http://127.0.0.1:$etcd_port/health"
    cp_start kube-apiserver "$CP_BIN/kube-apiserver" --etcd-servers "http://127.0.0.1:$etcd_port" \
        --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$CP_API_PORT" \
        --tls-cert-file "$CP_DIR/pki/apiserver.crt" --tls-private-key-file "$CP_DIR/pki/apiserver.key" \
        --client-ca-file "$CP_DIR/pki/ca.crt" --token-auth-file "$CP_DIR/pki/tokens.csv" \
        --authorization-mode Node,RBAC --allow-privileged=true \
        --service-account-issuer https://kubernetes.default.svc \
        --service-account-key-file "$CP_DIR/pki/sa.pub" \
        --service-account-signing-key-file "$CP_DIR/pki/sa.key" \
        --service-cluster-ip-range 10.96.0.0/16 --endpoint-reconciler-type none
    cp_wait kube-apiserver 120 "$CP_BIN/kubectl" get --raw /readyz
    cp_start kube-controller-manager "$CP_BIN/kube-controller-manager" --kubeconfig "$KUBECONFIG" \
        --leader-elect=false --bind-address 127.0.0.1 --secure-port 0 \
        --service-account-private-key-file "$CP_DIR/pki/sa.key" --root-ca-file "$CP_DIR/pki/ca.crt" \
        --use-service-account-credentials=false --controllers '*' \
        --concurrent-statefulset-syncs 10 --kube-api-qps 500 --kube-api-burst 1000 \
        --horizontal-pod-autoscaler-sync-period 2s
    cp_start kube-scheduler "$CP_BIN/kube-scheduler" --kubeconfig "$KUBECONFIG" \
        --authentication-kubeconfig "$KUBECONFIG" --authorization-kubeconfig "$KUBECONFIG" \
        --leader-elect=false --bind-address 127.0.0.1 --secure-port 0 --kube-api-qps 500 --kube-api-burst 1000
    cp_start kwok "$CP_BIN/kwok" --kubeconfig "$KUBECONFIG" --manage-all-nodes=true \
        --cidr 10.244.0.1/16 --node-ip 127.0.0.1 --node-lease-duration-seconds 40
    cp_wait default-serviceaccount 120 "$CP_BIN/kubectl" get serviceaccount default -n default
    cp_log "control plane up in $((SECONDS - started)) s (API server https://127.0.0.1:$CP_API_PORT)"
}

control_plane_down() {
    local pid
    for ((i = ${#CP_PIDS[@]} - 1; i >= 0; i--)); do
        pid=${CP_PIDS[i]}
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${CP_PIDS[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    CP_PIDS=()
}
