#!/usr/bin/env bash
# Soak: `monero-operator serve` under wrk with 256 connections on a mix of realistic hook
# requests (the steady-state fixtures of every hook: observed children with managedFields and
# last-applied annotations, as Metacontroller sends them). Fails on any non-2xx answer or
# socket error, or when resident memory at rest grows more than 1 MiB over the second half of
# the run. The run is two halves with a reading at rest after the warm-up, between the halves
# and at the end: a leak grows with the requests, so in both halves; the allocator's arenas
# settle at a level that varies from run to run, sometimes only during the first half (one
# reading after the warm-up came 900 kB below the usual level and would have failed a sound
# server on the first half alone).
# With SOAK_TLS=1 the same over TLS 1.3 with the bearer token (--tls-cert, --token-file), as the
# install paths serve the hooks.
#   [SOAK_TLS=1] test/bench/soak.sh [SECONDS (600)] [CONNECTIONS (256)] [BINARY (./monero-operator)]
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-600}
CONNECTIONS=${2:-256}
BIN=${3:-./monero-operator}
WARMUP=30
WORK=$(mktemp -d)
trap 'kill "$PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT

TLS_OPTIONS=() SCHEME=http
if [ -n "${SOAK_TLS:-}" ]; then
    echo soak-token > "$WORK/token"
    TLS_OPTIONS=(--tls-cert test/fixtures/tls/a.crt --tls-key test/fixtures/tls/a.key --token-file "$WORK/token")
    SCHEME=https
    export AUTHORIZATION="Bearer soak-token"
fi
"$BIN" serve --listen 127.0.0.1:0 --port-file "$WORK/port" --no-request-log --metrics-listen 127.0.0.1:0 \
    --max-connections-per-ip 1024 "${TLS_OPTIONS[@]}" 2> "$WORK/log" &  # one load generator: no per-client cap
PID=$!
for _ in $(seq 50); do [ -s "$WORK/port" ] && break; sleep 0.1; done
URL="$SCHEME://127.0.0.1:$(cat "$WORK/port")"
export REQUESTS="/hooks/moneronodeset/sync=test/fixtures/moneronodeset/steady-state/request.json \
/hooks/moneronetwork/sync=test/fixtures/moneronetwork/steady-state/request.json \
/hooks/monerominingnodeset/sync=test/fixtures/monerominingnodeset/steady-state/request.json \
/hooks/moneronodeset/sync=test/fixtures/moneronodeset/tor-i2p-steady-state/request.json"
rss() { sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$PID/status"; }

wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" -s test/bench/wrk_mix.lua "$URL" > "$WORK/warmup"
sleep 1
BEFORE=$(rss)
wrk -t2 -c"$CONNECTIONS" -d"$((DURATION / 2))s" --timeout 10s -s test/bench/wrk_mix.lua "$URL" > "$WORK/run1"
sleep 1
MIDDLE=$(rss)
wrk -t2 -c"$CONNECTIONS" -d"$((DURATION - DURATION / 2))s" --timeout 10s -s test/bench/wrk_mix.lua "$URL" > "$WORK/run"
sleep 1
AFTER=$(rss)
FIRST=$(sed -n 's/^JSON //p' "$WORK/run1")
SUMMARY=$(sed -n 's/^JSON //p' "$WORK/run")
kill -0 "$PID" || { echo "FAIL: the server died"; cat "$WORK/log"; exit 1; }
node -e '
  const [a, b] = [JSON.parse(process.argv[1]), JSON.parse(process.argv[2])];
  const [before, middle, after] = process.argv.slice(3, 6).map(Number);
  const s = { seconds: a.seconds + b.seconds, requests: a.requests + b.requests, non_2xx: a.non_2xx + b.non_2xx,
              errors: a.errors + b.errors, p50_ms: Math.max(a.p50_ms, b.p50_ms), p99_ms: Math.max(a.p99_ms, b.p99_ms),
              max_ms: Math.max(a.max_ms, b.max_ms) };
  console.log(`  soak${process.argv[7] === "https" ? " over TLS with the token" : ""} ${s.seconds.toFixed(0)}s, ${process.argv[6]} connections: ${s.requests} requests, ${(s.requests / s.seconds).toFixed(0)}/s, ` +
    `p50 ${s.p50_ms.toFixed(2)} ms, p99 ${s.p99_ms.toFixed(2)} ms, max ${s.max_ms.toFixed(1)} ms (worse half); ` +
    `non-2xx ${s.non_2xx}, socket errors ${s.errors}; RSS at rest ${before} kB after warm-up, ${middle} kB half-way, ${after} kB at the end`);
  const problems = [];
  if (s.non_2xx) problems.push(`${s.non_2xx} non-2xx answers`);
  if (s.errors) problems.push(`${s.errors} socket errors`);
  if (after - middle > 1024) problems.push(`resident memory grew by ${after - middle} kB over the second half`);
  if (problems.length) { console.log(`FAIL: ${problems.join(", ")}`); process.exit(1); }
' "$FIRST" "$SUMMARY" "$BEFORE" "$MIDDLE" "$AFTER" "$CONNECTIONS" "$SCHEME"
kill -TERM "$PID"
wait "$PID" || { echo "FAIL: the server did not exit 0 on SIGTERM"; exit 1; }
PID=
