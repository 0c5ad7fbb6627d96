#!/usr/bin/env bash
# Runs each libFuzzer target for SECONDS on a corpus seeded from the test fixtures, and prints
# executions and coverage. A crash, leak, sanitizer report or failed invariant fails the run and
# leaves the input in build/fuzz/artifacts/.
#   test/fuzz/run.sh SECONDS TARGET...   (targets: hooks render rpc json stream; in build/fuzz/)
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_EACH=$1
shift
OUT=build/fuzz
mkdir -p "$OUT/artifacts"

seed() { # target dir
    rm -rf "$2" && mkdir -p "$2"
    case "$1" in
    hooks) # first byte: hook index (registry order) + 3 for the customize route
        local i=0
        for hook in moneronodeset moneronetwork monerominingnodeset; do
            for req in test/fixtures/$hook/*/request.json; do
                local prefix=$i
                case "$req" in */customize-*) prefix=$((i + 3)) ;; esac
                { printf "\\$(printf %03o "$prefix")"; cat "$req"; } > "$2/$hook-$(basename "$(dirname "$req")")"
            done
            i=$((i + 1))
        done ;;
    render)
        for f in manifests/examples/*.yaml test/seeds/*.yaml; do cp "$f" "$2/"; done ;;
    json) # first byte: the flag set
        local n=0
        for f in test/fixtures/*/*/request.json test/fixtures/monero-rpc/*.json; do
            { printf "\\$(printf %03o $((n % 8)))"; cat "$f"; } > "$2/$n"
            n=$((n + 1))
        done ;;
    rpc)
        for f in test/fixtures/monero-rpc/*.json; do cp "$f" "$2/"; done
        printf 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n' > "$2/chunked"
        printf 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}' > "$2/length" ;;
    stream) # first byte: the piece size; then bodies whose trailer is right
        node -e '
            const c = require("crypto"), fs = require("fs");
            for (const n of [0, 1, 47, 48, 49, 300, 70000]) {
              const body = c.randomBytes(n), t = Buffer.alloc(48);
              t.write("MOBSEND1");
              t.writeBigUInt64LE(BigInt(n), 8);
              c.createHash("sha256").update(body).digest().copy(t, 16);
              fs.writeFileSync(`${process.argv[1]}/body-${n}`, Buffer.concat([Buffer.from([n % 251]), body, t]));
            }' "$2" ;;
    esac
}

for target in "$@"; do
    seed "$target" "$OUT/seeds-$target"
    mkdir -p "$OUT/corpus-$target"
    log="$OUT/fuzz-$target.log"
    # rss limit: the 1000-node network seeds legitimately use a few hundred MB under ASan
    if ! "$OUT/fuzz-$target" -max_total_time="$SECONDS_EACH" -print_final_stats=1 -rss_limit_mb=4096 \
        -timeout=30 -max_len=1048576 -artifact_prefix="$OUT/artifacts/$target-" \
        "$OUT/corpus-$target" "$OUT/seeds-$target" > "$log" 2>&1; then
        tail -40 "$log"
        echo "FAIL: fuzz-$target found a problem (input saved under $OUT/artifacts/)"
        exit 1
    fi
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
    ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1)
    corpus=$(ls "$OUT/corpus-$target" | wc -l)
    echo "  ok   fuzz-$target: ${SECONDS_EACH}s, $execs executions ($speed/s), $cov edges, $ft features, corpus $corpus"
done
