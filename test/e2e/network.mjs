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
import { WALLET, harness, loopbackPods, options, render, rpc as rpcAt } from "./lib.mjs";

const BLOCKS = 8;
const opts = options({ binary: "./monero-operator", nodes: 4, topology: "mesh", degree: 3, monerod: "monerod" });
opts.nodes = Number(opts.nodes);
const { work, log, fail, until, start, stop, children } = harness("monero-e2e");

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
const response = render(opts.binary, cr, fail);
const pods = loopbackPods(response, name, work, fail);
const { ip, restrictedPort, rpcPort, neighbours } = pods;
const services = response.children.filter((c) => c.kind === "Service" && /-\d+$/.test(c.metadata.name));
if (services.length !== opts.nodes) fail(`${services.length} node Services for ${opts.nodes} nodes`);
log(`rendered ${opts.nodes} nodes, ${opts.topology} topology (${response.status.topology.links} links)`);

// ---- run

const rpc = (i, method, params) => rpcAt(`http://${ip(i)}:${rpcPort}`, method, params);

for (let i = 0; i < opts.nodes; i++) {
  const { args, hasPeerFile } = pods.monerodArgs(i);
  if (!hasPeerFile) fail(`node ${i}: emitted args lack the peer --config-file`);
  start(`node-${i}`, opts.monerod, args);
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
// Each node with declared peers must have dialled at least one of them.
let outgoing = 0;
for (let i = 0; i < opts.nodes; i++) {
  const { connections = [] } = await rpc(i, "get_connections");
  if (connections.length === 0) fail(`node ${i} has no connections`);
  const out = connections.filter((c) => !c.incoming);
  if (neighbours[i].length && out.length === 0) fail(`node ${i} made no outgoing connection to its peers ${neighbours[i]}`);
  for (const c of out) {
    if (!neighbours[i].includes(c.host)) fail(`node ${i} dialled ${c.host}, not a declared peer (${neighbours[i]})`);
    outgoing++;
  }
}
log(`every node dialled its peers: ${outgoing} outgoing connections, each to a declared peer`);

const codes = await Promise.all(children.map(stop));
if (codes.some((c) => c !== 0)) fail(`monerod exit statuses on SIGTERM: ${codes.join(", ")}`);
log("all monerod stopped cleanly (exit 0)");
console.log(`  ok   ${opts.nodes}-node ${opts.topology} network converged on height ${agreed.height}`);
