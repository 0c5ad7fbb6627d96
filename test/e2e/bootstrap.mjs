// End to end: a new node starts from a sibling's database (bootstrap.fromSibling) with real
// monerod 0.18 on regtest and the real monero-bootstrap on both sides.
//
//   node test/e2e/bootstrap.mjs --binary ./monero-operator --bootstrap ./monero-bootstrap
//        [--lmdb-fill build/test/lmdb-fill] [--blocks 2000] [--bench out.json] [--wrap "valgrind --error-exitcode=99 ..."]
//
// A MoneroNetwork is rendered by the hook with fromSibling and a 1 MB/s copy rate (none with
// --bench); the
// monerod, fetch (init step) and serve (sidecar) command lines are the rendered ones, changed
// only where a pod and a loopback process must differ, each change asserted: addresses, data
// directories, ports, and the sibling's address that the bootstrap Service's name would
// resolve to. Node A mines --blocks blocks, then keeps mining while B copies. Shown:
//   - a request without the token, or with a wrong one, is refused (401) and counted;
//   - a second request while a copy runs is told busy; a receiver whose siblings are all busy
//     tries each, leaves the volume empty and hands over to P2P;
//   - a truncated and a corrupted transfer (through a proxy that cuts or flips one byte) are
//     detected and leave the volume empty;
//   - a volume holding anything is never touched;
//   - B's copy holds at least A's height from before the copy began, with A's block hash there;
//     B's monerod starts from it (no wipe) and then follows A's new blocks over P2P.
// With --wrap, every monero-bootstrap process runs under that command (valgrind in make check),
// and each must exit 0: the fetches when they finish, the senders on SIGTERM at the end.
// With --bench, also: a third node C syncs the same chain from A over P2P from nothing, and the
// times until B and C serve are written to the file (make bench).
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { WALLET, harness, loopbackPods, options, render, rpc as rpcAt, sleep } from "./lib.mjs";

const opts = options({
  binary: "./monero-operator", bootstrap: "./monero-bootstrap", "lmdb-fill": "build/test/lmdb-fill",
  blocks: 2000, monerod: "monerod", bench: "", wrap: "",
});
const wrap = opts.wrap ? opts.wrap.split(/\s+/).filter(Boolean) : [];
const bootstrapCmd = wrap.length ? wrap[0] : opts.bootstrap;
const bootstrapArgs = (args) => (wrap.length ? [...wrap.slice(1), opts.bootstrap, ...args] : args);
opts.blocks = Number(opts.blocks);
const { work, log, fail, until, start, stop } = harness("monero-bootstrap-e2e");

// ---- render

const name = "boot";
const cr = {
  apiVersion: "utxo.com.br/v1alpha1",
  kind: "MoneroNetwork",
  metadata: { name },
  spec: {
    replicas: opts.bench ? 4 : 3, // A, B, a peer keeping A synchronized, and C (bench)
    topology: { type: "mesh" },
    template: {
      // 1 MB/s makes the copy last while A mines; the bench measures the copy unthrottled
      spec: {
        network: "regtest",
        bootstrap: opts.bench ? { fromSibling: true } : { fromSibling: true, rateLimitMBps: 1 },
        monerod: { args: ["--fixed-difficulty=1"] },
      },
    },
  },
};
const response = render(opts.binary, cr, fail);
const pods = loopbackPods(response, name, work, fail);
const { ip, restrictedPort, rpcPort } = pods;
const podSpec = pods.sts.spec.template.spec;
const fetchContainer = podSpec.initContainers[0];
const serveContainer = podSpec.containers.find((c) => c.name === "bootstrap-serve");
if (fetchContainer?.name !== "bootstrap") fail(`the first init step is ${fetchContainer?.name}, not bootstrap`);
if (!serveContainer) fail("the pod has no bootstrap sidecar");
const secret = response.children.find((c) => c.kind === "Secret" && c.metadata.name === `${name}-bootstrap`);
if (!secret) fail("no bootstrap Secret rendered");
const tokenFile = path.join(work, "token");
fs.writeFileSync(tokenFile, Buffer.from(secret.data.token, "base64"));
const wrongTokenFile = path.join(work, "wrong-token");
fs.writeFileSync(wrongTokenFile, "0".repeat(64));
const token = fs.readFileSync(tokenFile, "utf8");

// Replaces each `from` argument with its `to`; every `from` must be present.
function substitute(args, table, what) {
  const used = new Set();
  const out = args.map((a) => (a in table ? (used.add(a), table[a]) : a));
  for (const k of Object.keys(table)) if (!used.has(k)) fail(`rendered ${what} args lack ${k}: ${JSON.stringify(args)}`);
  return out;
}

const dataDir = (i) => path.join(work, `${name}-${i}`);
const lmdbDir = (i) => path.join(dataDir(i), "fake", "lmdb");
let nextPort = 20000 + Math.floor(Math.random() * 20000);

function serveArgs(i, port, metricsPort) {
  return substitute(serveContainer.args, {
    "--lmdb=/data/fake/lmdb": `--lmdb=${lmdbDir(i)}`,
    "--token-file=/etc/monero-bootstrap/token": `--token-file=${tokenFile}`,
    "--port=18090": `--port=${port}`,
    "--metrics-port=18091": `--metrics-port=${metricsPort}`,
    "--received-record=/data/.monero-bootstrap.json": `--received-record=${path.join(dataDir(i), ".monero-bootstrap.json")}`,
  }, "serve");
}

// The fetch step of node i copying from `sources` (what the Service name resolves to).
function fetchArgs(i, sources, extra = {}) {
  const args = substitute(fetchContainer.args, {
    "--data-dir=/data": `--data-dir=${dataDir(i)}`,
    "--lmdb=/data/fake/lmdb": `--lmdb=${lmdbDir(i)}`,
    [`--from=${name}-bootstrap:18090`]: `--from=${sources.join(",")}`,
    [`--rpc-port=${restrictedPort}`]: `--rpc-port=${restrictedPort}`,
    "--token-file=/etc/monero-bootstrap/token": `--token-file=${extra.tokenFile ?? tokenFile}`,
    "--attempts=3": `--attempts=${extra.attempts ?? 3}`,
  }, "fetch");
  return [...args, "--backoff-ms=200", `--summary-file=${path.join(work, `summary-${i}`)}`];
}

// Runs the fetch step to its end without blocking this process (the damaging proxy lives here).
async function runFetch(i, sources, extra) {
  const child = spawn(bootstrapCmd, bootstrapArgs(fetchArgs(i, sources, extra)), { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const timer = setTimeout(() => child.kill("SIGKILL"), 300000);
  const code = await new Promise((resolve) => child.on("exit", (c, sig) => resolve(c ?? sig)));
  clearTimeout(timer);
  if (code !== 0) fail(`fetch for node ${i} exited ${code}: ${stderr}`);
  return { log: stderr, summary: fs.readFileSync(path.join(work, `summary-${i}`), "utf8").trim() };
}

function volumeEntries(i) {
  return fs.existsSync(dataDir(i)) ? fs.readdirSync(dataDir(i)) : [];
}

function expectEmpty(i, what) {
  const left = volumeEntries(i);
  if (left.length) fail(`${what}: the volume of node ${i} holds ${left.join(", ")}`);
}

const rpc = (i, method, params) => rpcAt(`http://${ip(i)}:${rpcPort}`, method, params);
const height = async (i) => (await rpc(i, "get_info")).height;
const hashAt = async (i, h) => (await rpc(i, "get_block_header_by_height", { height: h })).block_header.hash;


// ---- node A mines the chain; node 2 is its peer (monerod mines only once synchronized with one)

for (const i of [0, 2]) {
  fs.mkdirSync(dataDir(i), { recursive: true });
  start(`node-${i}`, opts.monerod, pods.monerodArgs(i).args);
}
for (const i of [0, 2])
  await until(`node ${i} RPC`, 180000, async () => ({ ok: (await fetch(`http://${ip(i)}:${restrictedPort}/get_height`)).ok }));
await until("node 0 synchronized with node 2", 180000, async () => ({ ok: (await rpc(0, "get_info")).synchronized }));
// One call per 100 blocks, never retried: a retry while the first call still mines would race it.
async function generate(n) {
  const res = await fetch(`http://${ip(0)}:${rpcPort}/json_rpc`, {
    method: "POST",
    body: JSON.stringify({ jsonrpc: "2.0", id: "0", method: "generateblocks", params: { amount_of_blocks: n, wallet_address: WALLET, starting_nonce: 0 } }),
    signal: AbortSignal.timeout(600000),
  });
  const body = await res.json();
  if (body.error || body.result.status !== "OK") fail(`generateblocks ${n}: ${JSON.stringify(body.error ?? body.result.status)}`);
}
for (let mined = 0; mined < opts.blocks; mined += 100) await generate(Math.min(100, opts.blocks - mined));
const mined = await height(0);
if (mined < opts.blocks) fail(`node 0 is at height ${mined} after mining ${opts.blocks} blocks`);
log(`node 0 mined to height ${mined}`);

const servePort = nextPort++, serveMetrics = nextPort++;
const serveFirst = start("serve-0", bootstrapCmd, bootstrapArgs(serveArgs(0, servePort, serveMetrics)));
const serveAt = `${ip(0)}:${servePort}`;
await until("serve-0 metrics", 60000, async () => ({ ok: (await fetch(`http://127.0.0.1:${serveMetrics}/healthz`)).ok }));
const metric = async (port, series) => {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith(series + " "));
  if (!line) fail(`no ${series} on :${port}/metrics:\n${text}`);
  return Number(line.split(" ")[1]);
};

// Copies a sender has finished, whole or not: it frees its slot before counting one.
const ended = async (port) =>
  (await metric(port, 'monero_bootstrap_copies_total{result="failed"}')) +
  (await metric(port, 'monero_bootstrap_copies_total{result="completed"}'));

// ---- refusals: no token, a wrong token, busy

fs.mkdirSync(dataDir(1), { recursive: true }); // B's empty volume, mounted as in its pod

const copyUrl = `http://127.0.0.1:${servePort}/v1/copy`;
const noToken = await fetch(copyUrl);
if (noToken.status !== 401) fail(`a copy without a token answered ${noToken.status}`);
const wrong = await runFetch(1, [serveAt], { tokenFile: wrongTokenFile, attempts: 1 });
if (!/answered 401: unauthorized/.test(wrong.log)) fail(`fetch with a wrong token: ${wrong.log}`);
if (wrong.summary !== "no copy after 1 attempts: monerod syncs over P2P") fail(`wrong-token summary: ${wrong.summary}`);
expectEmpty(1, "after a wrong token");
if ((await metric(serveMetrics, 'monero_bootstrap_refused_total{reason="unauthorized"}')) !== 2) fail("the two unauthorized requests are not counted");
log("no token and a wrong token: 401, counted, volume left empty");

// Busy: two senders of a 64 MB database (written with Monero's LMDB by lmdb-fill; a sender does
// not read what it copies) each held by a reader taking 1 kB/s (curl --limit-rate): at 1 MB/s
// the copy needs a minute, more than the socket buffers take, so the slot stays taken for as
// long as the reader lives. A second asker is told busy; a receiver tries both, then P2P.
const filler = path.join(work, "filler");
fs.mkdirSync(path.join(filler, "fake", "lmdb"), { recursive: true });
const filled = spawnSync(opts["lmdb-fill"], [path.join(filler, "fake", "lmdb"), "64"], { encoding: "utf8" });
if (filled.status !== 0) fail(`lmdb-fill (${opts["lmdb-fill"]}; make builds it): ${filled.error?.message ?? filled.stderr}`);
const busyServers = [];
for (let k = 0; k < 2; k++) {
  const port = nextPort++, metricsPort = nextPort++;
  const args = serveArgs(0, port, metricsPort).map((a) => (a === `--lmdb=${lmdbDir(0)}` ? `--lmdb=${path.join(filler, "fake", "lmdb")}` : a));
  const child = start(`serve-filler-${k}`, bootstrapCmd, bootstrapArgs(args));
  await until(`serve-filler-${k}`, 60000, async () => ({ ok: (await fetch(`http://127.0.0.1:${metricsPort}/healthz`)).ok }));
  const reader = spawn("curl", ["-s", "--limit-rate", "1K", "-H", `Authorization: Bearer ${token}`, "-o", "/dev/null", `http://127.0.0.1:${port}/v1/copy`]);
  busyServers.push({ port, metricsPort, child, reader });
}
await until("both copy slots taken", 60000, async () => ({
  ok: (await Promise.all(busyServers.map((b) => metric(b.metricsPort, "monero_bootstrap_sent_bytes_total")))).every((n) => n > 0),
}));
const busy = await fetch(`http://127.0.0.1:${busyServers[0].port}/v1/copy`, { headers: { Authorization: `Bearer ${token}` } });
const busyText = await busy.text();
if (busy.status !== 503 || !busyText.startsWith("busy")) fail(`a second copy answered ${busy.status} ${busyText}`);
const allBusy = await runFetch(1, busyServers.map((b) => `${ip(0)}:${b.port}`), { attempts: 1 });
if ((allBusy.log.match(/ is busy/g) || []).length !== 2) fail(`fetch did not try both busy siblings: ${allBusy.log}`);
if (allBusy.summary !== "no copy after 1 attempts: monerod syncs over P2P") fail(`all busy: ${allBusy.summary}`);
expectEmpty(1, "when every sibling is busy");
for (const b of busyServers) {
  if ((await ended(b.metricsPort)) !== 0) fail("a held copy ended before its reader let go");
  if ((await metric(b.metricsPort, 'monero_bootstrap_refused_total{reason="busy"}')) < 1) fail("busy refusals are not counted");
  b.reader.kill("SIGKILL");
  await until("the sender frees its slot", 60000, async () => ({ ok: (await ended(b.metricsPort)) === 1 }));
  const code = await stop(b.child);
  if (code !== 0) fail(`a sender exited ${code} on SIGTERM`);
}
log("a copy in progress: a second asker is told busy; a receiver tries every sibling, then P2P");

// ---- damaged transfers: a proxy in front of serve-0 cuts the stream or flips one byte

function damagingProxy(mode, at) {
  const server = net.createServer((client) => {
    const upstream = net.connect(servePort, ip(0));
    let seen = 0;
    client.on("data", (d) => upstream.write(d));
    upstream.on("data", (d) => {
      if (mode === "cut" && seen + d.length > at) {
        client.write(d.subarray(0, Math.max(0, at - seen)));
        client.destroy();
        upstream.destroy();
        return;
      }
      if (mode === "flip" && seen <= at && at < seen + d.length) d[at - seen] ^= 0x01;
      seen += d.length;
      client.write(d);
    });
    upstream.on("end", () => client.end());
    for (const s of [client, upstream]) s.on("error", () => { client.destroy(); upstream.destroy(); });
  });
  return new Promise((resolve) => server.listen(0, ip(0), () => resolve(server)));
}

for (const [mode, expect] of [["cut", /truncated/], ["flip", /SHA-256 of the \d+ bytes received differs/]]) {
  const half = Math.floor(fs.statSync(path.join(lmdbDir(0), "data.mdb")).size / 2);
  const proxy = await damagingProxy(mode, half);
  const endedBefore = await ended(serveMetrics);
  const r = await runFetch(1, [`${ip(0)}:${proxy.address().port}`], { attempts: 1 });
  proxy.close();
  // the sender frees its slot once the copy has ended: sent whole (flip), or its next write
  // failed (cut)
  await until(`serve-0 ends the ${mode} copy`, 60000, async () => ({ ok: (await ended(serveMetrics)) > endedBefore }));
  if (!expect.test(r.log)) fail(`a ${mode} transfer was not caught: ${r.log}`);
  expectEmpty(1, `after a ${mode} transfer`);
  log(`a ${mode === "cut" ? "truncated" : "corrupted"} transfer: caught (${r.log.split("\n").find((l) => expect.test(l)).replace(/^monero-bootstrap fetch: /, "")}), volume left empty`);
}

// ---- a volume that holds anything is never touched

const HELD = 9; // a volume of no running node
fs.mkdirSync(dataDir(HELD), { recursive: true });
fs.writeFileSync(path.join(dataDir(HELD), "p2pstate.bin"), "kept");
const untouched = await runFetch(HELD, [serveAt]);
if (!/the volume holds data \(p2pstate.bin\)/.test(untouched.summary)) fail(`non-empty volume: ${untouched.summary}`);
if (volumeEntries(HELD).join() !== "p2pstate.bin" || fs.readFileSync(path.join(dataDir(HELD), "p2pstate.bin"), "utf8") !== "kept")
  fail(`a non-empty volume was changed: ${volumeEntries(HELD).join(", ")}`);
log("a volume holding data: left exactly as it was");

// ---- the copy, while A keeps mining

let mining = true;
const miner = (async () => {
  while (mining) await generate(1);
})();
const before = await height(0);
const copied = await runFetch(1, [serveAt]);
const during = await height(0);
const match = copied.summary.match(/^bootstrapped from (\S+) at height (\d+): (\d+) bytes in ([\d.]+) s/);
if (!match) fail(`fetch summary: ${copied.summary}\n${copied.log}`);
const copyHeight = Number(match[2]);
if (copyHeight < before) fail(`the copy holds height ${copyHeight}, below A's ${before} when it began`);
if (!opts.bench && during <= before) fail(`node 0 did not mine during the copy (${before} -> ${during})`);
const tip = JSON.parse(spawnSync(opts.bootstrap, ["tip", lmdbDir(1)], { encoding: "utf8" }).stdout);
if (tip.height !== copyHeight) fail(`tip ${tip.height} but the summary says ${copyHeight}`);
if (tip.top_hash !== (await hashAt(0, copyHeight - 1))) fail(`the copy's block ${copyHeight - 1} is not A's`);
const record = JSON.parse(fs.readFileSync(path.join(dataDir(1), ".monero-bootstrap.json"), "utf8"));
if (record.height !== copyHeight || record.bytes !== Number(match[3])) fail(`record ${JSON.stringify(record)}`);
log(`copied while A mined ${before} -> ${during}: height ${copyHeight}, ${match[3]} bytes in ${match[4]} s, A's hash at ${copyHeight - 1}`);
if ((await metric(serveMetrics, 'monero_bootstrap_copies_total{result="completed"}')) < 1) fail("the completed copy is not counted");

// ---- B starts from the copy and follows A

const bStarted = Date.now();
start("node-1", opts.monerod, pods.monerodArgs(1).args);
await until("node 1 RPC", 180000, async () => ({ ok: (await fetch(`http://${ip(1)}:${restrictedPort}/get_height`)).ok }));
const bServing = (Date.now() - bStarted) / 1000;
const bFirst = await height(1);
if (bFirst < copyHeight) fail(`node 1 started at height ${bFirst}, below its copy's ${copyHeight}: the copy was not used`);
mining = false;
await miner;
await generate(3);
const aTip = await height(0);
const aHash = await hashAt(0, aTip - 1);
await until("node 1 follows node 0", 120000, async () => {
  const h = await height(1);
  return { ok: h === aTip && (await hashAt(1, aTip - 1)) === aHash, h };
});
log(`node 1 served at height ${bFirst} ${bServing.toFixed(1)} s after start, then followed node 0 to ${aTip}`);

// ---- bench: the same chain synced over P2P from nothing, side by side

if (opts.bench) {
  const cStarted = Date.now();
  fs.mkdirSync(dataDir(3), { recursive: true });
  start("node-3", opts.monerod, pods.monerodArgs(3).args);
  const target = await height(0);
  await until("node 3 synced over P2P", 1800000, async () => ({ ok: (await height(3).catch(() => 0)) >= target }), 500);
  const p2pSeconds = (Date.now() - cStarted) / 1000;
  const bootstrapSeconds = Number(match[4]) + bServing;
  const result = {
    blocks: copyHeight,
    database_bytes: Number(match[3]),
    bootstrap_seconds: bootstrapSeconds,
    p2p_sync_seconds: p2pSeconds,
    ratio: p2pSeconds / bootstrapSeconds,
  };
  fs.writeFileSync(opts.bench, JSON.stringify(result, null, 2) + "\n");
  log(`bench: serving after ${bootstrapSeconds.toFixed(1)} s by bootstrap, ${p2pSeconds.toFixed(1)} s by P2P sync (${result.ratio.toFixed(1)}x)`);
}
const firstExit = await stop(serveFirst);
if (firstExit !== 0) fail(`serve-0 exited ${firstExit} on SIGTERM`);
console.log(`PASS: bootstrap from a sibling${wrap.length ? ` (monero-bootstrap under ${wrap[0]})` : ""}`);
process.exit(0);
