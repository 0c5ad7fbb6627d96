#!/usr/bin/env bash
# HTTP benchmark (not a test), for `make bench`: `monero-operator serve` under wrk on each
# hook's steady-state fixture (observed children with managedFields and last-applied
# annotations, as Metacontroller sends them) at 1, 5, 64 and 256 connections, and in the same
# run the floor: the same HTTP server code answering a constant body of the same size
# (build/test/floor-server). Prints a Markdown table and the server's peak resident memory.
#   test/bench/http_bench.sh [SECONDS per run (10)] [THREADS (the server's default)]
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_EACH=${1:-10}
THREADS=${2:-}
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

start_server() { # port-file, then the command
    local pf=$1
    shift
    "$@" &
    for _ in $(seq 50); do [ -s "$pf" ] && break; sleep 0.1; done
}

wrk_run() { # connections base-url path body-file
    local threads=2
    [ "$1" -lt 2 ] && threads=1
    REQUESTS="$3=$4" wrk -t"$threads" -c"$1" -d"${SECONDS_EACH}s" -s test/bench/wrk_mix.lua "$2" |
        sed -n 's/^JSON //p'
}

./monero-operator serve --listen 127.0.0.1:0 --port-file "$WORK/port" --no-request-log \
    --metrics-listen 127.0.0.1:0 --max-connections-per-ip 1024 \
    ${THREADS:+--threads "$THREADS"} 2> "$WORK/log" &
SERVER=$!
for _ in $(seq 50); do [ -s "$WORK/port" ] && break; sleep 0.1; done
PORT=$(cat "$WORK/port")
FLOOR_PORT=$((PORT + 1))

echo "| hook | connections | requests/s | p50 ms | p90 ms | p99 ms | floor requests/s | floor p99 ms | share of floor |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for hook in moneronodeset moneronetwork monerominingnodeset; do
    req=test/fixtures/$hook/steady-state/request.json
    url=http://127.0.0.1:$PORT/hooks/$hook/sync
    curl -sf -H 'Content-Type: application/json' --data-binary @"$req" "$url" > "$WORK/response"
    build/test/floor-server "$FLOOR_PORT" "${THREADS:-4}" "$WORK/response" &
    FLOOR=$!
    sleep 0.3
    for c in 1 5 64 256; do
        real=$(wrk_run "$c" "http://127.0.0.1:$PORT" "/hooks/$hook/sync" "$req")
        floor=$(wrk_run "$c" "http://127.0.0.1:$FLOOR_PORT" "/hooks/$hook/sync" "$req")
        node -e '
          const [r, f] = [JSON.parse(process.argv[1]), JSON.parse(process.argv[2])];
          if (r.non_2xx || r.errors) { console.error(`non-2xx ${r.non_2xx}, errors ${r.errors}`); process.exit(1); }
          console.log(`| ${process.argv[3]} (${process.argv[5]} B) | ${process.argv[4]} | ${r.rps.toFixed(0)} | ${r.p50_ms.toFixed(2)} | ` +
            `${r.p90_ms.toFixed(2)} | ${r.p99_ms.toFixed(2)} | ${f.rps.toFixed(0)} | ${f.p99_ms.toFixed(2)} | ${(100 * r.rps / f.rps).toFixed(0)}% |`);
        ' "$real" "$floor" "$hook" "$c" "$(wc -c < "$req")"
    done
    kill "$FLOOR"
    wait "$FLOOR" 2>/dev/null || true
done
echo
echo "server peak resident memory: $(sed -n 's/^VmHWM:[[:space:]]*//p' /proc/$SERVER/status), \
$(nproc) CPUs shared with wrk, server threads ${THREADS:-4}"
