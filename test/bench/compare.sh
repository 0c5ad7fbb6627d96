#!/usr/bin/env bash
# Benchmark (not a test): the hook against an earlier build on the same requests, in one run.
#   test/bench/compare.sh BASELINE-BINARY CURRENT-BINARY REQUEST-DIR [SECONDS per wrk run]
#
# 1. Instructions per request (callgrind on each running server, test/bench/instructions.mjs):
#    repeatable whatever else the machine does, so this is the regression guard.
# 2. Throughput and latency under wrk for the 3-replica MoneroNodeSet request, both servers on
#    their defaults one after the other (noisy on a shared machine; reported, not judged).
# A request costing more than 10% more instructions than the baseline is reported on a line
# starting with "!!! REGRESSION" that a reviewer cannot miss; nothing fails.
set -euo pipefail
cd "$(dirname "$0")/../.."
BASE=$1 CUR=$2 DIR=$3 SECS=${4:-10}
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

counts() { # binary request hook
    local size few many
    size=$(stat -c %s "$2")
    if [ "$size" -lt 100000 ]; then few=10 many=60; elif [ "$size" -lt 1000000 ]; then few=4 many=16; else few=2 many=6; fi
    node test/bench/instructions.mjs --binary "$1" --request "$2" --hook "$3" --few $few --many $many |
        node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).instructions_per_request))'
}

echo "| request | bytes | baseline instructions | now | ratio | |"
echo "|---|---:|---:|---:|---:|---|"
regressions=0
for req in "$DIR"/*.json; do
    name=$(basename "$req" .json)
    hook=${name%%-*}
    b=$(counts "$BASE" "$req" "$hook")
    c=$(counts "$CUR" "$req" "$hook")
    line=$(node -e '
      const [name, bytes, b, c] = process.argv.slice(1); const r = c / b;
      console.log(`| ${name} | ${bytes} | ${Number(b).toLocaleString("en")} | ${Number(c).toLocaleString("en")} | ${r.toFixed(3)} | ${r > 1.10 ? "**REGRESSION**" : r < 0.95 ? "faster" : ""} |`);
    ' "$name" "$(stat -c %s "$req")" "$b" "$c")
    echo "$line"
    case $line in *REGRESSION*) regressions=$((regressions + 1)) ;; esac
done
echo
if [ "$regressions" -gt 0 ]; then
    echo "!!! REGRESSION: $regressions request(s) cost more than 10% more instructions than the baseline !!!"
else
    echo "no request costs more than 10% more instructions than the baseline"
fi
echo

serve() { # binary port-file
    "$1" serve --listen 127.0.0.1:0 --port-file "$2" --no-request-log 2>/dev/null &
    for _ in $(seq 50); do [ -s "$2" ] && break; sleep 0.1; done
}
REQ=$DIR/moneronodeset-3.json
echo "wrk on $(basename "$REQ") ($(stat -c %s "$REQ") B), ${SECS} s per run, both servers on their defaults:"
echo
echo "| build | connections | requests/s | p50 ms | p99 ms |"
echo "|---|---:|---:|---:|---:|"
declare -A rps
for which in baseline now; do
    bin=$BASE
    [ $which = now ] && bin=$CUR
    rm -f "$WORK/port"
    serve "$bin" "$WORK/port"
    pid=$!
    for c in 5 64; do
        r=$(REQUESTS="/hooks/moneronodeset/sync=$REQ" wrk -t2 -c$c -d${SECS}s -s test/bench/wrk_mix.lua \
            "http://127.0.0.1:$(cat "$WORK/port")" | sed -n 's/^JSON //p')
        node -e '
          const r = JSON.parse(process.argv[1]);
          if (r.non_2xx || r.errors) { console.error(`non-2xx ${r.non_2xx}, errors ${r.errors}`); process.exit(1); }
          console.log(`| ${process.argv[2]} | ${process.argv[3]} | ${r.rps.toFixed(0)} | ${r.p50_ms.toFixed(2)} | ${r.p99_ms.toFixed(2)} |`);
        ' "$r" "$which" "$c"
        rps[$which-$c]=$(node -e 'console.log(JSON.parse(process.argv[1]).rps.toFixed(0))' "$r")
    done
    kill $pid
    wait $pid 2>/dev/null || true
done
echo
echo "throughput now / baseline: 5 connections $(node -e 'console.log((process.argv[1]/process.argv[2]).toFixed(2))' "${rps[now-5]}" "${rps[baseline-5]}"), \
64 connections $(node -e 'console.log((process.argv[1]/process.argv[2]).toFixed(2))' "${rps[now-64]}" "${rps[baseline-64]}")"
