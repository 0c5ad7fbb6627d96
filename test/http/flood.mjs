// The hook server under hostile clients, on loopback: thousands of slow (slowloris) and
// half-open connections from several addresses, while Metacontroller-shaped sync requests and
// kubelet-shaped probes keep coming from another address.
//
//   node test/http/flood.mjs --binary ./monero-operator [--seconds 20] [--rss-limit-mib 96] [--legacy] [--tls]
//
// The server runs on its shipped defaults (--header-timeout 10, --request-timeout 60,
// --max-connections 1024, --max-connections-per-ip 64, probes on --metrics-listen). Attackers on
// 127.0.0.2..127.0.0.7 each keep up to 500 slowloris connections (60 over TLS) (a request line, then a header
// byte every 2 s, reconnecting when cut) and 200 half-open ones (connected, silent). Passes when,
// during the flood, every sync request (half on kept-alive connections, half on new ones)
// succeeds with the fixture's response, every probe of /healthz on the probe port answers,
// resident memory stays under --rss-limit-mib, and after the flood a
// new connection is served within 3 s. --legacy measures a server without the probe listener
// (probes then go to the hook port) and only reports: the "before" figures. --tls runs the hook
// port as the install paths do (TLS 1.3, --token-file; the syncs send the token): slowloris
// clients then finish the TLS handshake and trickle the request inside it, half-open ones never
// start a handshake.
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import tls from "node:tls";
import { isDeepStrictEqual } from "node:util";

const opts = { binary: "./monero-operator", seconds: "20", legacy: false, "rss-limit-mib": "96" };
for (let i = 2; i < process.argv.length; i++) {
  const key = process.argv[i].replace(/^--/, "");
  if (key === "legacy" || key === "tls") opts[key] = true;
  else opts[key] = process.argv[++i];
}
const FLOOD_MS = Number(opts.seconds) * 1000;
const ATTACKERS = ["127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5", "127.0.0.6", "127.0.0.7"];
// Over TLS each slowloris connection costs this test process a full handshake: fewer of them,
// each reconnecting after a second (the server still holds 60 per address, near its per-IP cap).
const SLOW_PER_ADDRESS = opts.tls ? 60 : 500, SILENT_PER_ADDRESS = 200, RECONNECT_MS = opts.tls ? 1000 : 100;
const RSS_LIMIT_MIB = Number(opts["rss-limit-mib"]), RECOVERY_LIMIT_MS = 3000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const work = fs.mkdtempSync(path.join(os.tmpdir(), "monero-flood-"));
let server;
const fail = (msg) => {
  console.log(`FAIL: ${msg}`);
  server?.kill("SIGKILL");
  process.exit(1);
};

// ---- the server

const portFile = path.join(work, "port"), probePortFile = path.join(work, "probe-port");
const args = ["serve", "--listen", "127.0.0.1:0", "--port-file", portFile, "--no-request-log"];
if (!opts.legacy) args.push("--metrics-listen", "127.0.0.1:0", "--metrics-port-file", probePortFile);
const TOKEN = "flood-token";
// The test certificate names no address: clients verify it by its name (CN) against itself.
const TLS_CLIENT = { ca: fs.readFileSync("test/fixtures/tls/a.crt"), servername: "monero-operator-test-a" };
if (opts.tls) {
  fs.writeFileSync(path.join(work, "token"), `${TOKEN}\n`);
  args.push("--tls-cert", "test/fixtures/tls/a.crt", "--tls-key", "test/fixtures/tls/a.key", "--token-file", path.join(work, "token"));
}
server = spawn(opts.binary, args, { stdio: ["ignore", "ignore", "pipe"] });
let serverLog = "";
server.stderr.on("data", (d) => (serverLog = (serverLog + d).slice(-4000)));
server.on("exit", (code, signal) => {
  if (!stopping) fail(`the server exited (${code ?? signal}) during the test:\n${serverLog}`);
});
let stopping = false;
const readPort = async (file) => {
  for (let i = 0; i < 100 && !(fs.existsSync(file) && fs.readFileSync(file, "utf8").trim()); i++) await sleep(50);
  return Number(fs.readFileSync(file, "utf8"));
};
const port = await readPort(portFile);
const probePort = opts.legacy ? port : await readPort(probePortFile);
const rssMiB = () => {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${server.pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : 0;
};

// ---- the legitimate clients (127.0.0.1)

const fixture = "test/fixtures/moneronodeset/first-sync";
const body = fs.readFileSync(path.join(fixture, "request.json"));
const expected = JSON.parse(fs.readFileSync(path.join(fixture, "response.json"), "utf8"));
const agent = opts.tls ? new https.Agent({ keepAlive: true, maxSockets: 4, localAddress: "127.0.0.1", ...TLS_CLIENT })
  : new http.Agent({ keepAlive: true, maxSockets: 4, localAddress: "127.0.0.1" });

function request(p, options) {
  return new Promise((resolve) => {
    const started = performance.now();
    const client = options.port === port && opts.tls ? https : http;
    const extra = client === https ? TLS_CLIENT : {};
    const req = client.request({ host: "127.0.0.1", localAddress: "127.0.0.1", timeout: 10000, ...extra, ...options, path: p }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString(), ms: performance.now() - started }));
    });
    req.on("timeout", () => req.destroy(new Error("timed out after 10 s")));
    req.on("error", (e) => resolve({ status: 0, error: e.message, ms: performance.now() - started }));
    req.end(options.body);
  });
}

// Alternately on a kept-alive connection and on a new one: new connections must get in too.
let syncCount = 0;
const sync = () => request("/hooks/moneronodeset/sync", {
  port, method: "POST", agent: syncCount++ % 2 ? agent : false, body,
  headers: { "Content-Type": "application/json", "Content-Length": body.length, ...(opts.tls ? { Authorization: `Bearer ${TOKEN}` } : {}) },
});
const probe = () => request("/healthz", { port: probePort, agent: false });

const syncs = [], probes = [], failures = [];
async function syncLoop(until) {
  while (Date.now() < until) {
    const r = await sync();
    syncs.push(r.ms);
    if (r.status !== 200) failures.push(`sync: ${r.status} ${r.error ?? r.text.slice(0, 120)}`);
    else if (!isDeepStrictEqual(JSON.parse(r.text), expected)) failures.push("sync: a response other than the fixture's");
    await sleep(20);
  }
}
async function probeLoop(until) {
  while (Date.now() < until) {
    const r = await probe();
    probes.push(r.ms);
    if (r.status !== 200) failures.push(`probe: ${r.status} ${r.error ?? r.text}`);
    await sleep(500);
  }
}

// ---- the attackers

const sockets = new Set();
let attempts = 0, flooding = true;
// Per attacking address: connections that were established, and the errors seen. A failure to
// bind the address (EADDRNOTAVAIL, EINVAL) means no attack happened from it: the test fails.
const connected = Object.fromEntries(ATTACKERS.map((a) => [a, 0]));
const attackErrors = {};
const attackError = (e) => (attackErrors[e.code ?? e.message] = (attackErrors[e.code ?? e.message] ?? 0) + 1);
function slowloris(localAddress) {
  if (!flooding) return;
  attempts++;
  const s = opts.tls ? tls.connect({ host: "127.0.0.1", port, localAddress, ...TLS_CLIENT }) : net.connect({ host: "127.0.0.1", port, localAddress });
  sockets.add(s);
  let timer;
  s.on(opts.tls ? "secureConnect" : "connect", () => {
    connected[localAddress]++;
    s.write("POST /hooks/moneronodeset/sync HTTP/1.1\r\nHost: x\r\n");
    timer = setInterval(() => s.write("X"), 2000);
  });
  s.on("error", attackError);
  s.on("close", () => {
    clearInterval(timer);
    sockets.delete(s);
    setTimeout(() => slowloris(localAddress), RECONNECT_MS);
  });
}
function silent(localAddress) {
  if (!flooding) return;
  attempts++;
  const s = net.connect({ host: "127.0.0.1", port, localAddress });
  sockets.add(s);
  s.on("connect", () => connected[localAddress]++);
  s.on("error", attackError);
  s.on("close", () => {
    sockets.delete(s);
    setTimeout(() => silent(localAddress), 100);
  });
}

// ---- run

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : NaN;
};
const cutCounts = (text) => Object.fromEntries([...text.matchAll(/^monero_operator_http_connections_cut_total\{deadline="(\w+)"\} (\d+)/gm)]
  .map((m) => [m[1], Number(m[2])]));
const cutBefore = cutCounts((await request("/metrics", { port: probePort, agent: false })).text ?? "");
const baseline = await sync();
if (baseline.status !== 200) fail(`no answer before the flood: ${baseline.status} ${baseline.error ?? ""}`);
const rssBefore = rssMiB();
for (const a of ATTACKERS) {
  for (let i = 0; i < SLOW_PER_ADDRESS; i++) slowloris(a);
  for (let i = 0; i < SILENT_PER_ADDRESS; i++) silent(a);
}
let rssMax = rssBefore, openMax = 0;
const sampler = setInterval(() => {
  rssMax = Math.max(rssMax, rssMiB());
  openMax = Math.max(openMax, sockets.size);
}, 250);
const until = Date.now() + FLOOD_MS;
await Promise.all([syncLoop(until), probeLoop(until)]);
flooding = false;
clearInterval(sampler);
for (const s of sockets) s.destroy();
const stoppedAt = performance.now();
let recoveryMs = NaN;
for (;;) {
  const r = await request("/hooks/moneronodeset/sync", { port, method: "POST", agent: false, body,
    headers: { "Content-Type": "application/json", ...(opts.tls ? { Authorization: `Bearer ${TOKEN}` } : {}) } });
  if (r.status === 200) {
    recoveryMs = performance.now() - stoppedAt;
    break;
  }
  if (performance.now() - stoppedAt > 30000) break;
  await sleep(50);
}
const metrics = (await request("/metrics", { port: probePort, agent: false })).text ?? "";
const cutAfter = cutCounts(metrics);
const cut = Object.entries(cutAfter).map(([k, v]) => `${k} ${v}`);
stopping = true;
const exited = new Promise((r) => server.on("exit", (code, signal) => r(code ?? signal)));
server.kill("SIGTERM");
const exitStatus = await exited; // under ASan: leaks or errors make it non-zero
agent.destroy();
fs.rmSync(work, { recursive: true, force: true });

const figures = `${attempts} attacker connections attempted from ${ATTACKERS.length} addresses (${openMax} open at most, client side); ` +
  `${syncs.length} syncs p50 ${quantile(syncs, 0.5).toFixed(1)} ms p99 ${quantile(syncs, 0.99).toFixed(1)} ms max ${Math.max(...syncs).toFixed(0)} ms; ` +
  `${probes.length} probes max ${Math.max(...probes).toFixed(0)} ms; RSS ${rssBefore.toFixed(1)} -> max ${rssMax.toFixed(1)} MiB; ` +
  `served again ${recoveryMs.toFixed(0)} ms after the flood; cut: ${cut.join(", ") || "n/a"}; failures ${failures.length}`;
console.log(`  ${figures}`);
if (opts.legacy) {
  for (const f of [...new Set(failures)].slice(0, 5)) console.log(`    ${f}`);
  process.exit(0);
}
if (exitStatus !== 0) fail(`the server exited with ${exitStatus} after SIGTERM:\n${serverLog}`);
// The attack happened: every address got connections established, and the server cut
// slowloris connections at the header deadline (they trickle past it during the flood).
const idle = ATTACKERS.filter((a) => connected[a] < SLOW_PER_ADDRESS);
if (idle.length) fail(`no flood from ${idle.join(", ")}: connections established ${JSON.stringify(connected)}, errors ${JSON.stringify(attackErrors)}`);
const bindErrors = (attackErrors.EADDRNOTAVAIL ?? 0) + (attackErrors.EINVAL ?? 0);
if (bindErrors) fail(`${bindErrors} attacker sockets could not bind their address: ${JSON.stringify(attackErrors)}`);
const headerCuts = (cutAfter.headers ?? 0) - (cutBefore.headers ?? 0);
if (!opts.legacy && !(headerCuts >= 100)) fail(`the header deadline cut ${headerCuts} connections during the flood (want at least 100): ${cut.join(", ")}`);
console.log(`  attack: established ${Object.values(connected).reduce((a, b) => a + b, 0)} connections (${ATTACKERS.map((a) => `${a} ${connected[a]}`).join(", ")}); ` +
  `${headerCuts} cut at the header deadline; client-side errors ${JSON.stringify(attackErrors)}`);
if (failures.length) fail(`${failures.length} requests failed during the flood, e.g. ${[...new Set(failures)].slice(0, 3).join("; ")}`);
if (syncs.length < 10) fail(`only ${syncs.length} syncs completed in ${opts.seconds} s`);
if (rssMax > RSS_LIMIT_MIB) fail(`resident memory reached ${rssMax.toFixed(1)} MiB (limit ${RSS_LIMIT_MIB})`);
if (!(recoveryMs <= RECOVERY_LIMIT_MS)) fail(`not served within ${RECOVERY_LIMIT_MS} ms after the flood (${recoveryMs} ms)`);
console.log(`  ok   flood of slow and half-open connections: syncs and probes kept answering, memory bounded, served at once after`);
