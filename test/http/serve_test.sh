#!/usr/bin/env bash
# The `serve` process end to end, on loopback: flags and environment, the hook route against a
# fixture, request logs, and SIGTERM draining a request that is still being received.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=./monero-operator
WORK=$(mktemp -d)
SERVER_PID=
cleanup() {
    [ -n "$SERVER_PID" ] && kill -9 "$SERVER_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; echo "--- server log:" >&2; cat "$WORK/log" >&2 || true; exit 1; }
pass() { echo "  ok   $*"; }

# (read whole: grep -q stops reading early, and under pipefail the writer's SIGPIPE would fail)
HELP=$("$BIN" serve --help) || fail "serve --help exited $?"
grep -q -- '--max-body-bytes' <<< "$HELP" || fail "--help lists the options"
# A refused option exits 2 with exactly one line naming it: not a crash, not "port in use".
refused() { # expected-message, then the arguments
    local want=$1 out rc
    shift
    out=$("$BIN" serve "$@" 2>&1 >/dev/null) && rc=0 || rc=$?
    [ "$rc" = 2 ] || fail "serve $* exited $rc (want 2): $out"
    [ "$out" = "$want" ] || fail "serve $* said \"$out\", want \"$want\""
}
refused 'monero-operator serve: unknown option "--no-such-flag" (see --help)' --no-such-flag
refused 'monero-operator: threads: "lots" must be a number from 0 to 256' --threads lots
refused 'monero-operator serve: --tls-cert and --tls-key go together' --tls-cert test/fixtures/tls/a.crt
# Credentials that cannot be used stop the server at start (exit 1), with the reason.
out=$("$BIN" serve --listen 127.0.0.1:0 --metrics-listen '' --tls-cert test/fixtures/tls/a.crt \
    --tls-key test/fixtures/tls/b.key 2>&1 >/dev/null) && rc=0 || rc=$?
[ "$rc" = 1 ] && grep -q 'b.key does not belong to the certificate in' <<< "$out" \
    || fail "a key of another certificate: exit $rc, $out"
out=$("$BIN" serve --listen 127.0.0.1:0 --metrics-listen '' --token-file /nonexistent 2>&1 >/dev/null) \
    && rc=0 || rc=$?
[ "$rc" = 1 ] && grep -q -- '--token-file /nonexistent: unreadable' <<< "$out" \
    || fail "a missing token file: exit $rc, $out"
pass "options and --help; refused options exit 2 with a one-line reason, unusable TLS or token files 1"

MONERO_OPERATOR_MONEROD_IMAGE=example.org/monerod:test "$BIN" serve --listen 127.0.0.1:0 \
    --port-file "$WORK/port" --threads 2 --metrics-listen 127.0.0.1:0 \
    --metrics-port-file "$WORK/metrics-port" 2> "$WORK/log" &
SERVER_PID=$!
for _ in $(seq 50); do [ -s "$WORK/port" ] && break; sleep 0.1; done
[ -s "$WORK/port" ] || fail "server did not start"
PORT=$(cat "$WORK/port")
URL="http://127.0.0.1:$PORT"

[ "$(curl -s "$URL/healthz")" = ok ] || fail "/healthz"
[ "$(curl -s "$URL/readyz")" = ok ] || fail "/readyz"
PROBE_URL="http://127.0.0.1:$(cat "$WORK/metrics-port")"
[ "$(curl -s "$PROBE_URL/healthz")" = ok ] || fail "/healthz on the probe port"
[ "$(curl -s "$PROBE_URL/readyz")" = ok ] || fail "/readyz on the probe port"
[ "$(curl -s -o /dev/null -w '%{http_code}' -d '{}' "$PROBE_URL/hooks/moneronodeset/sync")" = 404 ] \
    || fail "the probe port serves no hooks"
pass "/healthz and /readyz, on the hook port and the probe port (which serves no hooks)"
LIMITS='monero-operator serve: --header-timeout, --max-connections and --max-connections-per-ip must be at least 1, and --request-timeout at least --header-timeout'
refused "$LIMITS" --header-timeout 0
refused "$LIMITS" --header-timeout 20 --request-timeout 10

FIXTURE=test/fixtures/moneronodeset/first-sync
curl -sf -H 'Content-Type: application/json' --data-binary @$FIXTURE/request.json \
    "$URL/hooks/moneronodeset/sync" > "$WORK/response.json" || fail "hook request"
node -e '
  const fs = require("fs");
  const a = JSON.parse(fs.readFileSync(process.argv[1])), b = JSON.parse(fs.readFileSync(process.argv[2]));
  const canon = (v) => JSON.stringify(v, (k, x) => x && typeof x === "object" && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort()) : x);
  process.exit(canon(a) === canon(b) ? 0 : 1);' "$FIXTURE/response.json" "$WORK/response.json" \
    || fail "served response differs from $FIXTURE/response.json"
pass "POST /hooks/moneronodeset/sync answers the fixture's response"

REQ='{"parent":{"apiVersion":"utxo.com.br/v1alpha1","kind":"MoneroNodeSet","metadata":{"name":"n","namespace":"ns"}}}'
curl -s --data-binary "$REQ" -H 'Content-Type: application/json' "$URL/hooks/moneronodeset/sync" \
    | grep -q '"image":"example.org/monerod:test"' || fail "MONERO_OPERATOR_MONEROD_IMAGE is the default image"
pass "default image from the environment"

grep -q '"msg":"request".*"status":200.*"hook":"moneronodeset","namespace":"ns","name":"n"' "$WORK/log" \
    || fail "one structured log line per request with hook, namespace, name, status"
grep -q '"duration_ms":' "$WORK/log" || fail "request log lines carry the duration"
pass "request log lines"

# The server's own metrics: what alerts and the dashboard read, and promtool finds nothing.
curl -s "$URL/hooks/nosuchhook/sync" -d '{}' > /dev/null
curl -s "$URL/metrics" > "$WORK/metrics"
promtool check metrics < "$WORK/metrics" > "$WORK/promtool" 2>&1 || fail "promtool: $(cat "$WORK/promtool")"
[ ! -s "$WORK/promtool" ] || fail "promtool check metrics: $(cat "$WORK/promtool")"
grep -q '^monero_operator_http_requests_total{hook="moneronodeset",code="200"} 2$' "$WORK/metrics" \
    || fail "requests by hook and code: $(grep http_requests_total "$WORK/metrics")"
grep -q '^monero_operator_hook_duration_seconds_count{hook="moneronodeset"} 2$' "$WORK/metrics" \
    || fail "latency histogram: $(grep duration_seconds_count "$WORK/metrics")"
grep -q '^monero_operator_http_requests_in_flight 1$' "$WORK/metrics" || fail "in-flight gauge (counts the scrape itself)"
grep -q 'code="404"' "$WORK/metrics" || fail "an unknown hook's 404 is counted"
grep -q '^monero_operator_http_connections_cut_total{deadline="headers"} 0$' "$WORK/metrics" \
    || fail "connections cut at the deadlines: $(grep connections_cut "$WORK/metrics")"
# The same series (names and labels) on both listeners; values move between the two scrapes.
series() { grep '^monero_operator_' | sed 's/ [^ ]*$//' | sort; }
curl -s "$PROBE_URL/metrics" | series > "$WORK/probe-series"
series < "$WORK/metrics" > "$WORK/hook-series"
[ -s "$WORK/hook-series" ] || fail "no monero_operator_ series on /metrics"
diff "$WORK/hook-series" "$WORK/probe-series" > "$WORK/series-diff" \
    || fail "the probe port serves other series than the hook port: $(cat "$WORK/series-diff")"
pass "/metrics: requests by hook and code, latency histogram, in flight; promtool clean"

# A request still arriving when SIGTERM comes must complete; then the process exits 0.
BODY=$(cat $FIXTURE/request.json)
exec 3<>"/dev/tcp/127.0.0.1/$PORT"
printf 'POST /hooks/moneronodeset/sync HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s' \
    "${#BODY}" "${BODY:0:100}" >&3
sleep 0.2
kill -TERM "$SERVER_PID"
sleep 0.3
kill -0 "$SERVER_PID" 2>/dev/null || fail "server exited before the request in flight finished"
printf '%s' "${BODY:100}" >&3
STATUS_LINE=$(head -1 <&3 | tr -d '\r')
exec 3<&-
[ "$STATUS_LINE" = "HTTP/1.1 200 OK" ] || fail "request in flight during drain got \"$STATUS_LINE\""
wait "$SERVER_PID" && RC=0 || RC=$?
SERVER_PID=
[ "$RC" = 0 ] || fail "exit status after SIGTERM is $RC"
grep -q '"msg":"draining"' "$WORK/log" || fail "draining is logged"
grep -q '"msg":"stopped","abandoned_requests":0' "$WORK/log" || fail "no request abandoned"
pass "SIGTERM drains the request in flight and exits 0"
