#!/usr/bin/env bash
# Soak: `monero-operator serve` under wrk with 256 connections on a mix of realistic hook
# requests (the steady-state fixtures of every hook: observed children with managedFields and
# last-applied annotations, as Metacontroller sends them). Fails on any non-2xx answer or
# socket error, or when resident memory grows more than 1 MiB between the end of a warm-up and
# the end of the run.
#   test/bench/soak.sh [SECONDS (600)] [CONNECTIONS (256)] [BINARY (./monero-operator)]
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-600}
CONNECTIONS=${2:-256}
BIN=${3:-./monero-operator}
WARMUP=30
WORK=$(mktemp -d)
trap 'kill "$PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT

"$BIN" serve --listen 127.0.0.1:0 --port-file "$WORK/port" --no-request-log --metrics-listen 127.0.0.1:0 \
    --max-connections-per-ip 1024 2> "$WORK/log" &  # one load generator: no per-client cap
PID=$!
for _ in $(seq 50); do [ -s "$WORK/port" ] && break; sleep 0.1; done
URL="http://127.0.0.1:$(cat "$WORK/port")"
export REQUESTS="/hooks/moneronodeset/sync=test/fixtures/moneronodeset/steady-state/request.json \
/hooks/moneronetwork/sync=test/fixtures/moneronetwork/steady-state/request.json \
/hooks/monerominingnodeset/sync=test/fixtures/monerominingnodeset/steady-state/request.json \
/hooks/moneronodeset/sync=test/fixtures/moneronodeset/tor-i2p-steady-state/request.json"
rss() { sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$PID/status"; }

wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" -s test/bench/wrk_mix.lua "$URL" > "$WORK/warmup"
sleep 1
BEFORE=$(rss)
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s -s test/bench/wrk_mix.lua "$URL" > "$WORK/run"
sleep 1
AFTER=$(rss)
SUMMARY=$(sed -n 's/^JSON //p' "$WORK/run")
kill -0 "$PID" || { echo "FAIL: the server died"; cat "$WORK/log"; exit 1; }
node -e '
  const s = JSON.parse(process.argv[1]), before = Number(process.argv[2]), after = Number(process.argv[3]);
  console.log(`  soak ${s.seconds.toFixed(0)}s, ${process.argv[4]} connections: ${s.requests} requests, ${s.rps.toFixed(0)}/s, ` +
    `p50 ${s.p50_ms.toFixed(2)} ms, p99 ${s.p99_ms.toFixed(2)} ms, max ${s.max_ms.toFixed(1)} ms; ` +
    `non-2xx ${s.non_2xx}, socket errors ${s.errors}; RSS ${before} kB after warm-up, ${after} kB at the end`);
  const problems = [];
  if (s.non_2xx) problems.push(`${s.non_2xx} non-2xx answers`);
  if (s.errors) problems.push(`${s.errors} socket errors`);
  if (after - before > 1024) problems.push(`resident memory grew by ${after - before} kB`);
  if (problems.length) { console.log(`FAIL: ${problems.join(", ")}`); process.exit(1); }
' "$SUMMARY" "$BEFORE" "$AFTER" "$CONNECTIONS"
kill -TERM "$PID"
wait "$PID" || { echo "FAIL: the server did not exit 0 on SIGTERM"; exit 1; }
PID=
