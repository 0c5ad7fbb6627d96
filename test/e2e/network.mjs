// End to end: a MoneroNetwork rendered by the hook runs as real monerod processes and agrees
// on one chain.
//
//   node test/e2e/network.mjs --binary ./monero-operator --nodes 4 --topology mesh [--degree 3]
//
// The monerod command line and peer files are taken from what the hook emits (the StatefulSet's
// container args and the ConfigMaps), changed only where a pod and a loopback process must
// differ: each node gets its own loopback address (127.X.Y.n, X and Y random, so runs do not
// collide) instead of the pod's, peer names become those addresses, and the data directory is
// a temporary one. Every such substitution is asserted, so a change to the emitted command line
// breaks this test instead of being silently patched over. Then blocks are generated on node 0
// over RPC, and every node must reach the same height and top block hash, connected only to
// the peers its topology declares.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const WALLET =
  "42ey1afDFnn4886T7196doS9GPMzexD9gXpsZJDwVjeRVdFCSoHnv7KPbBeGpzJBzHRCAs9UxqeoyFQMYbqSWYTfJJQAWDm";
const BLOCKS = 8;
const opts = { binary: "./monero-operator", nodes: 4, topology: "mesh", degree: 3, monerod: "monerod" };
for (let i = 2; i < process.argv.length; i += 2) opts[process.argv[i].replace(/^--/, "")] = process.argv[i + 1];
opts.nodes = Number(opts.nodes);

const work = fs.mkdtempSync(path.join(os.tmpdir(), "monero-e2e-"));
const children = [];
const started = Date.now();
const log = (msg) => console.log(`  [${((Date.now() - started) / 1000).toFixed(1)}s] ${msg}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function cleanup() {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  fs.rmSync(work, { recursive: true, force: true });
}
process.on("exit", cleanup);
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => process.exit(1));

function fail(msg) {
  console.log(`FAIL: ${msg}`);
  for (let i = 0; i < opts.nodes; i++) {
    const file = path.join(work, `node-${i}.log`);
    if (fs.existsSync(file)) console.log(`--- node ${i} log (tail):\n${fs.readFileSync(file, "utf8").split("\n").slice(-15).join("\n")}`);
  }
  process.exit(1);
}

// ---- render the network with the hook

const name = "e2e";
const cr = {
  apiVersion: "utxo.com.br/v1alpha1",
  kind: "MoneroNetwork",
  metadata: { name },
  spec: {
    replicas: opts.nodes,
    topology: { type: opts.topology, degree: Number(opts.degree), seed: 7 },
    template: { spec: { network: "regtest", monerod: { args: ["--fixed-difficulty=1"] } } },
  },
};
const rendered = spawnSync(opts.binary, ["render", "-f", "-", "-o", "json"], { input: JSON.stringify(cr) });
if (rendered.status !== 0) fail(`render: ${rendered.stderr}`);
const response = JSON.parse(rendered.stdout);
const sts = response.children.find((c) => c.kind === "StatefulSet");
const container = sts.spec.template.spec.containers[0];
const files = Object.assign({}, ...response.children.filter((c) => c.kind === "ConfigMap").map((c) => c.data));
const services = response.children.filter((c) => c.kind === "Service" && /-\d+$/.test(c.metadata.name));
if (services.length !== opts.nodes) fail(`${services.length} node Services for ${opts.nodes} nodes`);
log(`rendered ${opts.nodes} nodes, ${opts.topology} topology (${response.status.topology.links} links)`);

// ---- one loopback address per node

const x = 10 + Math.floor(Math.random() * 240), y = 10 + Math.floor(Math.random() * 240);
const ip = (i) => `127.${x}.${y}.${i + 1}`;
const p2pPort = container.ports.find((p) => p.name === "p2p").containerPort;
const rpcPort = Number(container.args.find((a) => a.startsWith("--rpc-bind-port=")).split("=")[1]);
const restrictedPort = container.ports.find((p) => p.name === "rpc").containerPort;
const neighbours = []; // declared peers of each node, as addresses

function nodeArgs(i) {
  const pod = `${name}-${i}`;
  const expected = {
    "--data-dir=/data": `--data-dir=${path.join(work, pod)}`,
    "--p2p-bind-ip=0.0.0.0": `--p2p-bind-ip=${ip(i)}`,
    "--rpc-bind-ip=127.0.0.1": `--rpc-bind-ip=${ip(i)}`,
    "--rpc-restricted-bind-ip=0.0.0.0": `--rpc-restricted-bind-ip=${ip(i)}`,
  };
  const used = new Set();
  const args = container.args.map((a) => {
    if (expected[a]) return used.add(a), expected[a];
    if (a.includes("$(POD_NAME)")) {
      used.add("config-file");
      const mounted = a.replace("$(POD_NAME)", pod).split("=")[1];
      const text = files[path.basename(mounted)];
      if (text === undefined) fail(`no peer file ${path.basename(mounted)} in the ConfigMaps`);
      const local = path.join(work, path.basename(mounted));
      const peers = [];
      fs.writeFileSync(local, text.replace(new RegExp(`^add-exclusive-node=${name}-(\\d+):(\\d+)$`, "gm"), (m, j, port) => {
        if (Number(port) !== p2pPort) fail(`peer port ${port}, P2P port ${p2pPort}`);
        peers.push(ip(Number(j)));
        return `add-exclusive-node=${ip(Number(j))}:${port}`;
      }));
      neighbours[i] = peers;
      return `--config-file=${local}`;
    }
    return a;
  });
  for (const k of [...Object.keys(expected), "config-file"]) if (!used.has(k)) fail(`emitted args lack ${k}`);
  return args;
}

// ---- run

async function rpc(i, method, params = {}, port = rpcPort) {
  const res = await fetch(`http://${ip(i)}:${port}/json_rpc`, {
    method: "POST",
    body: JSON.stringify({ jsonrpc: "2.0", id: "0", method, params }),
    signal: AbortSignal.timeout(10000),
  });
  const body = await res.json();
  if (body.error) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.result;
}

// Polls `check` until it returns { ok: value }; anything else is kept as the last state seen.
async function until(what, timeoutMs, check) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await check();
      if (last && last.ok) return last.ok;
    } catch (e) {
      last = e.message;
    }
    await sleep(500);
  }
  fail(`${what} not reached within ${timeoutMs / 1000}s (last: ${JSON.stringify(last)})`);
}

for (let i = 0; i < opts.nodes; i++) {
  const out = fs.openSync(path.join(work, `node-${i}.log`), "w");
  const child = spawn(opts.monerod, nodeArgs(i), { stdio: ["ignore", out, out] });
  child.on("exit", (code, sig) => child.expectedExit || fail(`monerod ${i} exited (${code ?? sig})`));
  children.push(child);
}
log(`started ${opts.nodes} monerod on ${ip(0)}..${ip(opts.nodes - 1)}`);

for (let i = 0; i < opts.nodes; i++)
  await until(`node ${i} restricted RPC`, 180000, async () => ({
    ok: (await fetch(`http://${ip(i)}:${restrictedPort}/get_height`)).ok,
  }));
log("every restricted RPC answers");

await until("node 0 synchronized with its peers", 180000, async () => ({ ok: (await rpc(0, "get_info")).synchronized }));
const generated = await until("generateblocks", 60000, async () => {
  const r = await rpc(0, "generateblocks", { amount_of_blocks: BLOCKS, wallet_address: WALLET, starting_nonce: 0 });
  return r.status === "OK" ? { ok: r } : r;
});
log(`generated ${BLOCKS} blocks on node 0 (last block at height ${generated.height})`);

const agreed = await until("one chain on every node", 180000, async () => {
  const infos = await Promise.all([...Array(opts.nodes).keys()].map((i) => rpc(i, "get_info")));
  const tops = new Set(infos.map((n) => `${n.height}/${n.top_block_hash}`));
  return tops.size === 1 && infos[0].height === BLOCKS + 1 ? { ok: infos[0] } : [...tops];
});
log(`all ${opts.nodes} nodes at height ${agreed.height}, top ${agreed.top_block_hash.slice(0, 16)}…`);

// Exclusive peers: every connection a node makes is to a declared neighbour. (Incoming ones
// show the loopback source address the kernel picked, so they cannot be told apart here.)
let outgoing = 0;
for (let i = 0; i < opts.nodes; i++) {
  const { connections = [] } = await rpc(i, "get_connections");
  if (connections.length === 0) fail(`node ${i} has no connections`);
  for (const c of connections.filter((c) => !c.incoming)) {
    if (!neighbours[i].includes(c.host)) fail(`node ${i} dialled ${c.host}, not a declared peer (${neighbours[i]})`);
    outgoing++;
  }
}
log(`every one of the ${outgoing} outgoing connections is to a declared peer`);

for (const c of children) (c.expectedExit = true), c.kill("SIGTERM");
await Promise.all(children.map((c) => (c.exitCode !== null ? null : new Promise((r) => c.on("exit", r)))));
log("all monerod stopped cleanly");
console.log(`  ok   ${opts.nodes}-node ${opts.topology} network converged on height ${agreed.height}`);
