#!/usr/bin/env bash
# TLS benchmark (not a test), for `make bench`: what TLS and the bearer token cost the hook
# server. The same server twice, plain HTTP and TLS 1.3 with --token-file (the certificate of
# test/fixtures/tls/a: ECDSA P-256), under wrk on the MoneroNodeSet steady-state request, with
# keep-alive as Metacontroller pools connections, at 5 and 64 connections; then the cost of a
# new TLS connection per request (curl, sequential). Prints a Markdown table.
#   test/bench/tls_bench.sh [SECONDS per run (10)]
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_EACH=${1:-10}
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
REQ=test/fixtures/moneronodeset/steady-state/request.json
echo bench-token > "$WORK/token"

serve() { # name, then extra options
    local name=$1
    shift
    ./monero-operator serve --listen 127.0.0.1:0 --port-file "$WORK/$name.port" --no-request-log \
        --metrics-listen '' --max-connections-per-ip 1024 "$@" 2> "$WORK/$name.log" &
    for _ in $(seq 50); do [ -s "$WORK/$name.port" ] && break; sleep 0.1; done
}
serve plain
serve tls --tls-cert test/fixtures/tls/a.crt --tls-key test/fixtures/tls/a.key --token-file "$WORK/token"
PLAIN=http://127.0.0.1:$(cat "$WORK/plain.port")
TLS=https://127.0.0.1:$(cat "$WORK/tls.port")

run() { # connections url [authorization]
    AUTHORIZATION=${3:-} REQUESTS="/hooks/moneronodeset/sync=$REQ" \
        wrk -t2 -c"$1" -d"${SECONDS_EACH}s" -s test/bench/wrk_mix.lua "$2" | sed -n 's/^JSON //p'
}

echo "| connections | plain requests/s | plain p99 ms | TLS + token requests/s | TLS + token p99 ms | TLS/plain |"
echo "|---:|---:|---:|---:|---:|---:|"
for c in 5 64; do
    plain=$(run "$c" "$PLAIN")
    tls=$(AUTHORIZATION= run "$c" "$TLS" "Bearer bench-token")
    node -e '
      const [p, t] = [JSON.parse(process.argv[1]), JSON.parse(process.argv[2])];
      for (const r of [p, t]) if (r.non_2xx || r.errors) { console.error(`non-2xx ${r.non_2xx}, errors ${r.errors}`); process.exit(1); }
      console.log(`| ${process.argv[3]} | ${p.rps.toFixed(0)} | ${p.p99_ms.toFixed(2)} | ${t.rps.toFixed(0)} | ${t.p99_ms.toFixed(2)} | ${(t.rps / p.rps).toFixed(2)} |`);
    ' "$plain" "$tls" "$c"
done

# A new connection per request: the handshake's cost (curl does one per invocation here).
per_request() { # url [curl options]
    local url=$1 start end
    shift
    start=$(date +%s%N)
    for _ in $(seq 200); do
        curl -sf -o /dev/null "$@" -H 'Content-Type: application/json' -H 'Expect:' --data-binary @"$REQ" \
            "$url/hooks/moneronodeset/sync"
    done
    end=$(date +%s%N)
    echo $(( (end - start) / 200000 ))
}
p_us=$(per_request "$PLAIN")
t_us=$(per_request "$TLS" -k -H "Authorization: Bearer bench-token") # -k: the test certificate names no address
echo
echo "a new connection per request (curl, 200 in a row): plain ${p_us} µs, TLS + token ${t_us} µs per request"
