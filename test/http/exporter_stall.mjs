// The metrics sidecar while monerod stalls (loopback only): a stand-in RPC server accepts every
// call and never answers, as monerod does while get_info waits on the blockchain lock during a
// sync batch. Scrapes then take the RPC timeout; /healthz (liveness) and /readyz (readiness)
// must still answer at once: /healthz 200 (or the kubelet kills a healthy node), /readyz from its
// last result (here: nothing checked yet, so 503).
//
//   node test/http/exporter_stall.mjs --exporter ./monero-exporter
import { spawn } from "node:child_process";
import http from "node:http";

const opts = {};
for (let i = 2; i < process.argv.length; i += 2) opts[process.argv[i].replace(/^--/, "")] = process.argv[i + 1];
const fail = (m) => { console.log(`FAIL: ${m}`); process.exit(1); };

const RPC_TIMEOUT_MS = 2000; // the exporter's default, given explicitly
const held = [];
const stall = http.createServer((req) => held.push(req)); // never answers
await new Promise((r) => stall.listen(0, "127.0.0.1", r));
const free = await new Promise((r) => { const s = http.createServer().listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => r(p)); }); });
const exporter = spawn(opts.exporter, ["--monerod", `http://127.0.0.1:${stall.address().port}`, "--listen", `127.0.0.1:${free}`,
  "--timeout-ms", String(RPC_TIMEOUT_MS)],
  { stdio: ["ignore", "ignore", "inherit"] });
const stop = () => { exporter.kill("SIGTERM"); for (const r of held) r.socket.destroy(); stall.close(); };

function get(path, timeoutMs) {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const req = http.get({ host: "127.0.0.1", port: free, path, agent: false }, (res) => {
      let body = "";
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode, body, ms: Date.now() - t0 }));
    });
    req.setTimeout(timeoutMs, () => { req.destroy(); resolve({ status: 0, body: "timed out", ms: Date.now() - t0 }); });
    req.on("error", (e) => resolve({ status: -1, body: e.message, ms: Date.now() - t0 }));
  });
}

for (let i = 0; i < 50 && (await get("/healthz", 500)).status !== 200; i++) await new Promise((r) => setTimeout(r, 100));
// Two scrapes in flight, each held by the stalled RPC; probes meanwhile, with the kubelet's 5 s.
const scrapes = [get("/metrics", 60000), get("/metrics", 60000)];
await new Promise((r) => setTimeout(r, 300));
const probes = [];
for (let i = 0; i < 10; i++) {
  probes.push(await get("/healthz", 5000), await get("/readyz", 5000));
  await new Promise((r) => setTimeout(r, 100));
}
const slowest = Math.max(...probes.map((p) => p.ms));
const liveness = probes.filter((_, i) => i % 2 === 0), readiness = probes.filter((_, i) => i % 2 === 1);
// Liveness must say 200 "ok": anything else and the kubelet restarts a healthy monerod.
const badLive = liveness.filter((p) => p.status !== 200 || p.body.trim() !== "ok");
if (badLive.length) { stop(); fail(`/healthz during a stalled scrape: ${JSON.stringify(badLive[0])}`); }
// Readiness is answered from the last result while the collector is busy; nothing was checked yet.
const READY_TEXT = "not checked yet (as last checked; a scrape is running)";
const badReady = readiness.filter((p) => p.status !== 503 || p.body.trim() !== READY_TEXT);
if (badReady.length) { stop(); fail(`/readyz during a stalled scrape: ${JSON.stringify(badReady[0])}, want 503 "${READY_TEXT}"`); }
if (slowest > 1000) { stop(); fail(`a probe took ${slowest} ms while scrapes were stuck`); }
const calls = held.length; // before the scrapes end: each is a JSON-RPC call the stalled server got
if (calls < 1) { stop(); fail("the stalled RPC server received no call: the scrapes never asked monerod"); }
const done = await Promise.all(scrapes);
const rpcCalls = held.length;
stop();
if (done.some((s) => s.status !== 200)) fail(`scrapes: ${done.map((s) => s.status)}`);
if (done.some((s) => !/^monero_up 0$/m.test(s.body))) fail(`a scrape during the stall lacks "monero_up 0"`);
// Each scrape waited for its RPC timeout: an answer sooner would mean the call never reached the
// stalled server.
const scrapeMs = Math.max(...done.map((s) => s.ms)), firstMs = Math.min(...done.map((s) => s.ms));
if (firstMs < RPC_TIMEOUT_MS - 100) fail(`a scrape finished in ${firstMs} ms: it did not wait for the stalled RPC`);
console.log(`  ok   monerod stalled: /healthz 200 and /readyz 503 "${READY_TEXT}" (20 probes, slowest ${slowest} ms) ` +
  `while two scrapes waited on ${rpcCalls} unanswered RPC calls (they finished in ${(firstMs / 1000).toFixed(1)} and ` +
  `${(scrapeMs / 1000).toFixed(1)} s with monero_up 0)`);
