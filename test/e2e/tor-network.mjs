// End to end over a private Tor network on loopback: a MoneroNetwork with Tor, rendered by the
// hook, run as real processes (pod-init, tor, monerod, monero-wallet-rpc), shows that
//   - each node reaches its neighbour's onion service through Tor (monerod's onion peer
//     connections, and the restricted RPC over the onion with curl through the SOCKS port);
//   - a wallet's transaction submitted to node A reaches node B's pool over Tor while B has no
//     clearnet connection at all (B bans A's addresses on clearnet during that step);
//   - with A's tor stopped and the clearnet link A-B up, a transaction stays in A's pool and
//     never reaches B: monerod with --tx-proxy sends local transactions only to anonymity peers,
//     which is why a closed network's peers must include its neighbours' onion addresses;
//   - tor restarted on the same volume keeps its guards (the state file's sampled guards).
//
//   node test/e2e/tor-network.mjs --binary ./monero-operator --hook-run build/test/hook-run
//
// Paths and addresses are substituted as anonymity.mjs does: node i's pod addresses (0.0.0.0,
// and 127.0.0.1, the pod's own loopback) become 127.X.Y.(i+1); peer names become those addresses;
// pod paths become directories here. Each substitution is asserted.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import { connect } from "node:net";
import path from "node:path";
import { WALLET, harness, options, renderSettled, rpc } from "./lib.mjs";
import { bootstrapped, torNetwork } from "./tornet.mjs";

const opts = options({ binary: "./monero-operator", "hook-run": "build/test/hook-run" });
const h = harness("monero-tornet");
const { work, log, fail, until, start, stop } = h;
const NAME = "tn";

// ---- render, then the sync that observes the Secrets (so status has the addresses)

const cr = {
  apiVersion: "utxo.com.br/v1alpha1",
  kind: "MoneroNetwork",
  metadata: { name: NAME },
  spec: { replicas: 2, topology: { type: "mesh" }, template: { spec: { tor: { enabled: true, rpc: true }, monerod: { args: ["--fixed-difficulty=1"] } } } },
};
const { settled: resp } = renderSettled(opts.binary, opts["hook-run"], "moneronetwork", cr, fail);
const child = (kind, name) => resp.children.find((c) => c.kind === kind && c.metadata.name === name);
const pod = child("StatefulSet", NAME).spec.template.spec;
const init = pod.initContainers.find((c) => c.name === "identities");
const monerod = pod.containers.find((c) => c.name === "monerod");
const torrc = child("ConfigMap", `${NAME}-tor`).data.torrc;
const peerFiles = Object.assign({}, ...resp.children.filter((c) => c.kind === "ConfigMap" && c.metadata.name.startsWith(`${NAME}-peers-`)).map((c) => c.data));
const onion = resp.status.addresses.map((a) => a.onion);
if (onion.length !== 2 || !onion.every(Boolean)) fail(`status.addresses: ${JSON.stringify(resp.status.addresses)}`);
for (const [i, j] of [[0, 1], [1, 0]])
  if (!peerFiles[`${NAME}-${i}.conf`]?.includes(`add-exclusive-node=${onion[j]}:18084\n`)) fail(`node ${i}'s peers lack node ${j}'s onion`);
const identityDir = path.join(work, "identity");
fs.mkdirSync(identityDir);
for (const s of resp.children.filter((c) => c.kind === "Secret" && c.metadata.name.startsWith(`${NAME}-identities-`)))
  for (const [k, v] of Object.entries(s.data)) fs.writeFileSync(path.join(identityDir, k), Buffer.from(v, "base64"));
log(`rendered ${NAME}-0 (${onion[0].slice(0, 12)}…) and ${NAME}-1 (${onion[1].slice(0, 12)}…), each listing the other's onion`);

// ---- node i as processes

const x = 10 + Math.floor(Math.random() * 240), y = 10 + Math.floor(Math.random() * 240);
const ip = (i) => `127.${x}.${y}.${i + 1}`;
const dir = (i, ...p) => path.join(work, `n${i}`, ...p);
const mounts = (i) => ({ "/identity": identityDir, "/data": dir(i, "data"), "/var/lib/tor": dir(i, "data", "anonymity", "tor"),
  "/run/monero-operator": dir(i, "run"), "/etc/monero-operator/peers": dir(i, "peers") });
// Pod paths where a path starts, whole; the pod's loopback and wildcard addresses; the pod name.
function localise(text, i, seen) {
  const m = mounts(i);
  return text
    .replace(new RegExp(`(^|[=\\s])(${Object.keys(m).join("|")})(?=/|$|[\\s,])`, "gm"), (all, lead, from) => (seen.add(from), lead + m[from]))
    .replace(/127\.0\.0\.1|0\.0\.0\.0/g, (a) => (seen.add(a), ip(i)))
    .replace("$(POD_NAME)", `${NAME}-${i}`);
}
const rpcPort = Number(monerod.args.find((a) => a.startsWith("--rpc-bind-port=")).split("=")[1]);
const restrictedPort = monerod.ports.find((p) => p.name === "rpc").containerPort;
const daemon = (i) => `http://${ip(i)}:${rpcPort}`;
const tors = [];

function prepare(i) {
  for (const d of ["data", "run", "peers"]) fs.mkdirSync(dir(i, d), { recursive: true });
  const text = peerFiles[`${NAME}-${i}.conf`];
  fs.writeFileSync(dir(i, "peers", `${NAME}-${i}.conf`), text.replace(new RegExp(`^add-exclusive-node=${NAME}-(\\d+):`, "gm"),
    (m, j) => `add-exclusive-node=${ip(Number(j))}:`));
  const seen = new Set();
  const p = spawnSync(opts.binary, init.args.map((a) => localise(a, i, seen)), { encoding: "utf8" });
  if (p.status !== 0) fail(`pod-init ${i}: ${p.stderr}`);
  if (!["/identity", "/data", "/run/monero-operator", "/etc/monero-operator/peers", "127.0.0.1"].every((k) => seen.has(k)))
    fail(`pod-init args: substituted only ${[...seen]}`);
  const conf = fs.readFileSync(dir(i, "run", "monerod.conf"), "utf8");
  if (!conf.includes(`add-exclusive-node=${onion[1 - i]}:18084`) || !conf.includes(`anonymous-inbound=${onion[i]}:18084,${ip(i)}:18084,32`))
    fail(`monerod.conf of node ${i}:\n${conf}`);
  const torSeen = new Set();
  fs.writeFileSync(dir(i, "torrc"), localise(torrc, i, torSeen));
  if (!torSeen.has("/var/lib/tor") || !torSeen.has("127.0.0.1")) fail(`torrc: substituted only ${[...torSeen]}`);
}

function startMonerod(i) {
  const seen = new Set();
  const args = monerod.args.map((a) => localise(a, i, seen));
  for (const k of ["/data", "/run/monero-operator", "0.0.0.0", "127.0.0.1"]) if (!seen.has(k)) fail(`monerod args: no ${k} substituted`);
  if (!args.some((a) => a === `--tx-proxy=tor,${ip(i)}:9050,16,disable_noise`)) fail(`monerod args lack the tor --tx-proxy: ${args}`);
  // loopback: every inbound connection comes from 127.0.0.1 (see lib.mjs loopbackPods)
  return start(`monerod-${i}`, "monerod", [...args, "--max-connections-per-ip=2"]);
}

function startTor(i, net) {
  tors[i] = start(`tor-${i}`, "tor", ["-f", dir(i, "torrc"), ...net.clientArgs(dir(i, "tor-notice.log"))]);
}

// Node RPC calls leave from an address of their own: node 1 bans 127.0.0.1 on clearnet in one
// step, and monerod applies its P2P bans to RPC connections too.
const client = `127.${x}.${y}.100`;
function call(i, endpoint, body) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: ip(i), port: rpcPort, path: `/${endpoint}`, method: "POST", localAddress: client, timeout: 20000 }, (res) => {
      let data = "";
      res.on("data", (d) => (data += d));
      res.on("end", () => { try { resolve(JSON.parse(data)); } catch (e) { reject(e); } });
    });
    req.on("timeout", () => req.destroy(new Error(`${endpoint} on node ${i}: timeout`)));
    req.on("error", reject);
    req.end(JSON.stringify(body));
  });
}
async function jrpc(i, method, params = {}) {
  const r = await call(i, "json_rpc", { jsonrpc: "2.0", id: "0", method, params });
  if (r.error) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
  return r.result;
}
const connections = async (i) => (await jrpc(i, "get_connections")).connections ?? [];
const isTor = (c) => c.address_type === 4 || /\.onion/.test(c.address);
const clearnet = async (i) => (await connections(i)).filter((c) => !isTor(c));
const pool = async (i) => (await call(i, "get_transaction_pool_hashes", {})).tx_hashes ?? [];
const banClearnet = (i, ban) =>
  jrpc(i, "set_bans", { bans: ["127.0.0.1", ip(1 - i)].map((host) => ({ host, ban, seconds: ban ? 3600 : 0 })) });
// The tor state file's sampled guards: "rsa_id=... sampled_on=..." is random per sampling.
const guards = (i) => {
  const f = dir(i, "data", "anonymity", "tor", "data", "state");
  return fs.existsSync(f) ? fs.readFileSync(f, "utf8").split("\n").filter((l) => l.startsWith("Guard ")).map((l) => /rsa_id=\S+ .*sampled_on=\S+/.exec(l)?.[0]).sort() : [];
};

// ---- the private Tor network forms while the nodes start and the chain is mined

const netReady = torNetwork(h);
for (const i of [0, 1]) prepare(i);
for (const i of [0, 1]) startMonerod(i);
for (const i of [0, 1]) await until(`node ${i}'s RPC`, 90000, async () => ({ ok: (await jrpc(i, "get_info")).height >= 1 }), 500);

const walletPort = 20000 + Math.floor(Math.random() * 20000);
const wallet = `http://127.0.0.1:${walletPort}`;
fs.mkdirSync(path.join(work, "wallets"));
start("wallet-rpc", "monero-wallet-rpc", ["--daemon-address", daemon(0), "--trusted-daemon", "--disable-rpc-login", "--non-interactive",
  "--wallet-dir", path.join(work, "wallets"), "--rpc-bind-ip", "127.0.0.1", "--rpc-bind-port", String(walletPort),
  "--log-file", path.join(work, "wallet-rpc.file.log")]);
await until("monero-wallet-rpc", 60000, async () => ({ ok: (await rpc(wallet, "get_version")).version }), 500);
await rpc(wallet, "create_wallet", { filename: "w", language: "English" });
const { address } = await rpc(wallet, "get_address", { account_index: 0 });
for (let k = 0; k < 10; k++) await jrpc(0, "generateblocks", { amount_of_blocks: 20, wallet_address: address, starting_nonce: 0 });
const top = (await jrpc(0, "get_info")).height;
await until("node 1 syncing node 0's chain over clearnet", 120000, async () => ({ ok: (await jrpc(1, "get_info")).height >= top }), 500);
log(`mined ${top - 1} blocks to the wallet on node 0; node 1 synced them over clearnet`);

const net = await netReady;
log(`private Tor network up: ${net.relays} relays and authorities on 127.0.0.1`);
for (const i of [0, 1]) startTor(i, net);
for (const i of [0, 1]) await until(`tor of node ${i} bootstrapped`, 120000, () => (bootstrapped(dir(i, "tor-notice.log")) ? { ok: true } : "not yet"), 500);
for (const i of [0, 1])
  await until(`node ${i}'s onion connection to node ${1 - i}`, 180000, async () => {
    const c = (await connections(i)).find((c) => !c.incoming && c.address.startsWith(onion[1 - i]));
    return c ? { ok: c } : "no outgoing onion connection yet";
  }, 1000);
log("each node is connected to the other's onion service through the private Tor network");

const viaOnion = spawnSync("curl", ["-sS", "--max-time", "60", "--socks5-hostname", `${ip(0)}:9050`, "-d", "{}", `http://${onion[1]}:${restrictedPort}/get_info`], { encoding: "utf8" });
if (viaOnion.status !== 0 || JSON.parse(viaOnion.stdout || "{}").height < top) fail(`node 1's RPC over its onion: ${viaOnion.stderr}${viaOnion.stdout}`);
log(`node 1's restricted RPC answers over its onion (height ${JSON.parse(viaOnion.stdout).height}), through node 0's tor`);

// Onion clients all reach monerod from the pod's loopback through tor: 40 at once from one
// loopback address must all be served (with monerod's own per-private-IP cap, 25 are).
const clients = await Promise.all(Array.from({ length: 40 }, () => new Promise((res) => {
  const sock = connect(restrictedPort, ip(1), () => res(sock));
  sock.setTimeout(20000, () => sock.destroy());
  sock.on("error", () => res(sock));
  sock.on("close", () => res(sock));
})));
await new Promise((res) => setTimeout(res, 1000));
const answers = await Promise.all(clients.map((sock) => new Promise((res) => {
  let data = "";
  if (sock.destroyed || sock.closed) return res(""); // refused at accept
  sock.on("data", (d) => (data += d));
  sock.on("close", () => res(data));
  sock.on("error", () => {});
  if (!sock.destroyed) sock.write("POST /get_height HTTP/1.1\r\nHost: node\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
})));
const served = answers.filter((a) => a.startsWith("HTTP/1.1 200")).length;
if (served !== 40) fail(`${served} of 40 simultaneous loopback RPC clients were served`);
log("40 simultaneous RPC clients from one loopback address were all served");

// ---- a transaction crosses Tor while node 1 has no clearnet link

await banClearnet(1, true);
await until("node 1 without clearnet connections", 60000, async () => ((await clearnet(1)).length === 0 ? { ok: true } : "still connected"), 500);
await rpc(wallet, "refresh");
const tx1 = (await rpc(wallet, "transfer", { destinations: [{ amount: 1e12, address: WALLET }] })).tx_hash;
if (!(await pool(0)).includes(tx1)) fail("the transfer is not in node 0's pool");
const sent = Date.now();
await until("the transaction in node 1's pool", 120000, async () => {
  if ((await clearnet(1)).length) fail("node 1 got a clearnet connection while banned");
  return (await pool(1)).includes(tx1) ? { ok: true } : "not yet";
}, 250);
if (!(await connections(1)).some(isTor)) fail("node 1 has no Tor connection");
log(`transaction ${tx1.slice(0, 12)}… reached node 1's pool after ${((Date.now() - sent) / 1000).toFixed(1)}s; node 1 had Tor connections only`);

// ---- without anonymity peers, a local transaction stays home even with clearnet up

await banClearnet(1, false);
await until("the clearnet link between the nodes", 60000, async () => ((await clearnet(0)).length > 0 ? { ok: true } : "not yet"), 500);
const guardsBefore = (await stop(tors[0]), guards(0));
if (!guardsBefore.length) fail("tor of node 0 wrote no sampled guards to its state file on the volume");
await until("node 0 without Tor connections", 120000, async () => (!(await connections(0)).some(isTor) ? { ok: true } : "still connected"), 500);
const tx2 = (await rpc(wallet, "transfer", { destinations: [{ amount: 1e12, address: WALLET }] })).tx_hash;
const deadline = Date.now() + 20000;
while (Date.now() < deadline) {
  if ((await pool(1)).includes(tx2)) fail("a transaction crossed clearnet while node 0 had no Tor");
  await new Promise((res) => setTimeout(res, 500));
}
if (!(await pool(0)).includes(tx2) || !(await clearnet(0)).length) fail("node 0 lost the transaction or its clearnet link");
log(`with node 0's tor stopped, transaction ${tx2.slice(0, 12)}… stayed in node 0's pool for 20s over a live clearnet link`);

// ---- tor restarted on the same volume keeps its guards

startTor(0, net);
await until("node 0's onion connection again", 180000, async () =>
  ((await connections(0)).some((c) => !c.incoming && c.address.startsWith(onion[1])) ? { ok: true } : "not yet"), 1000);
await stop(tors[0]);
const guardsAfter = guards(0);
const kept = guardsBefore.filter((g) => guardsAfter.includes(g));
if (kept.length !== guardsBefore.length) fail(`tor forgot guards across its restart: before ${guardsBefore}, after ${guardsAfter}`);
log(`tor restarted on the same volume kept all ${kept.length} sampled guards (same ids and sampling dates)`);

await Promise.all(h.children.map(stop));
console.log("  ok   Tor: onion peers and RPC reachable; transactions leave over Tor only; guards survive a restart");
process.exit(0);
