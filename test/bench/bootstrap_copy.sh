#!/usr/bin/env bash
# How fast monero-bootstrap sends a database copy, on loopback: a database of SIZE_MB written
# with Monero's LMDB, streamed by `serve` (no rate limit) to curl, once with the database in the
# page cache and once after dropping the caches (as root; then the sender reads the disk), to
# /dev/null and to a file. Prints MB/s and the sender's CPU seconds and peak resident memory.
#
#   test/bench/bootstrap_copy.sh LMDB_FILL BOOTSTRAP [SIZE_MB]
set -euo pipefail
fill=$1 bootstrap=$2 size=${3:-2048}
dir=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$dir"' EXIT
mkdir -p "$dir/db"
"$fill" "$dir/db" "$size"
echo bench-token >"$dir/token"
port=$((20000 + RANDOM % 20000)) metrics=$((40000 + RANDOM % 20000))
"$bootstrap" serve --lmdb "$dir/db" --token-file "$dir/token" --port "$port" --metrics-port "$metrics" \
    2>"$dir/serve.log" &
pid=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$metrics/healthz" >/dev/null && break; sleep 0.05; done
tick=$(getconf CLK_TCK)
cpu() { awk -v t="$tick" '{printf "%.2f", ($14 + $15) / t}' "/proc/$pid/stat"; }
copy() { # label, output
    local before after out
    [ "$1" = cold ] && { sync; echo 3 >/proc/sys/vm/drop_caches 2>/dev/null || echo "  (cannot drop caches: not root)"; }
    before=$(cpu)
    out=$(curl -fsS -H "Authorization: Bearer bench-token" "http://127.0.0.1:$port/v1/copy" -o "$2" \
        -w '%{size_download} %{time_total}')
    after=$(cpu)
    read -r bytes seconds <<<"$out"
    awk -v l="$1 copy to $3" -v b="$bytes" -v s="$seconds" -v c0="$before" -v c1="$after" 'BEGIN {
        printf "  %-34s %6.0f MB in %5.2f s: %7.1f MB/s; sender CPU %.2f s\n", l, b / 1e6, s, b / s / 1e6, c1 - c0 }'
}
echo "== bootstrap: copy throughput on loopback ($size MiB database, $(nproc) cores)"
copy warm /dev/null "/dev/null"
copy cold /dev/null "/dev/null"
copy cold "$dir/received.mdb" "a file (same disk)"
awk '/^VmHWM/ {hwm = $2} /^RssAnon/ {anon = $2} /^RssFile/ {file = $2} END {
    printf "  sender resident memory: %d kB of its own (heap, stacks); peak %d kB, the rest is\n", anon, hwm
    printf "  pages of the mapped database (page cache, shared with monerod, reclaimable): %d kB now\n", file }' \
    "/proc/$pid/status"
