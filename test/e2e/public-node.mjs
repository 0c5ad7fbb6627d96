// End to end: a public node behind a NodePort advertises an RPC port peers can reach. A
// MoneroNodeSet with service.type NodePort, fixed p2pNodePort and rpcNodePort and --public-node
// is rendered; its monerod runs with the emitted arguments and dials a plain peer monerod. The
// node's NodePort is played by a forwarder on the address the peer sees the node at, from
// rpcNodePort to the pod's rpcNodePort (kube-proxy's job; the container listens on the node port
// number itself). Then, on the peer:
//   - the connection from the public node carries rpc_port = rpcNodePort (what monerod put in
//     its handshake, which peers publish through get_public_nodes);
//   - that host and port answer get_info as a restricted RPC: what is advertised is reachable.
// The P2P port announced (--p2p-external-port = p2pNodePort, asserted in the arguments) cannot be
// observed here: monerod never pings back or records loopback peers, and test traffic stays on
// loopback.
//
//   node test/e2e/public-node.mjs --binary ./monero-operator
import net from "node:net";
import path from "node:path";
import fs from "node:fs";
import { harness, options, render, rpc } from "./lib.mjs";

const opts = options({ binary: "./monero-operator" });
const { work, log, fail, until, start, stop, children } = harness("monero-public");

const x = 10 + Math.floor(Math.random() * 240), y = 10 + Math.floor(Math.random() * 240);
const publicIp = `127.${x}.${y}.1`, peerIp = `127.${x}.${y}.2`;
const p2pNodePort = 30000 + Math.floor(Math.random() * 1300) * 2, rpcNodePort = p2pNodePort + 1;
const cr = {
  apiVersion: "utxo.com.br/v1alpha1",
  kind: "MoneroNodeSet",
  metadata: { name: "public" },
  spec: {
    network: "regtest",
    service: { type: "NodePort", p2pNodePort, rpcNodePort },
    monerod: { args: ["--public-node", `--add-exclusive-node=${peerIp}:18080`] },
  },
};
const resp = render(opts.binary, cr, fail);
const reach = resp.status.conditions.find((c) => c.type === "PublicNodeReachable");
if (reach?.status !== "True") fail(`PublicNodeReachable: ${JSON.stringify(reach)}`);
const sts = resp.children.find((c) => c.kind === "StatefulSet");
const monerod = sts.spec.template.spec.containers.find((c) => c.name === "monerod");
const svc = resp.children.find((c) => c.kind === "Service" && c.metadata.name === "public").spec.ports;
const port = (name) => svc.find((p) => p.name === name);
if (port("rpc").nodePort !== rpcNodePort || port("rpc").targetPort !== rpcNodePort || port("p2p").nodePort !== p2pNodePort)
  fail(`Service ports: ${JSON.stringify(svc)}`);

const rewrite = { "--data-dir=/data": `--data-dir=${path.join(work, "public")}`, "--p2p-bind-ip=0.0.0.0": `--p2p-bind-ip=${publicIp}`,
  "--rpc-bind-ip=127.0.0.1": `--rpc-bind-ip=${publicIp}`, "--rpc-restricted-bind-ip=0.0.0.0": `--rpc-restricted-bind-ip=${publicIp}` };
const seen = new Set();
const args = monerod.args.map((a) => (rewrite[a] ? (seen.add(a), rewrite[a]) : a));
if (seen.size !== 4) fail(`monerod args: rewrote ${[...seen]}`);
for (const want of [`--rpc-restricted-bind-port=${rpcNodePort}`, `--p2p-external-port=${p2pNodePort}`, "--public-node"])
  if (!args.includes(want)) fail(`monerod args lack ${want}`);
const unrestricted = Number(args.find((a) => a.startsWith("--rpc-bind-port=")).split("=")[1]);

fs.mkdirSync(path.join(work, "peer"));
start("peer", "monerod", ["--regtest", "--non-interactive", "--keep-fakechain", "--data-dir", path.join(work, "peer"),
  "--p2p-bind-ip", peerIp, "--p2p-bind-port", "18080", "--rpc-bind-ip", peerIp, "--rpc-bind-port", "18081",
  "--no-zmq", "--no-igd", "--log-file", "/dev/null", "--max-connections-per-ip=4"]);
start("public", "monerod", [...args, "--max-connections-per-ip=4"]);

const peer = `http://${peerIp}:18081`;
const conn = await until("the public node's connection on the peer", 120000, async () => {
  const conns = (await rpc(peer, "get_connections")).connections ?? [];
  return conns.length ? { ok: conns[0] } : "no connection yet";
}, 500);
if (conn.rpc_port !== rpcNodePort) fail(`the public node advertised RPC port ${conn.rpc_port}, its node port is ${rpcNodePort}`);
log(`the peer sees the public node at ${conn.host} advertising RPC port ${conn.rpc_port} (= rpcNodePort)`);

// kube-proxy's NodePort on the address peers see, to the pod's target port (= rpcNodePort)
const nodePort = net.createServer((inbound) => {
  const outbound = net.connect(rpcNodePort, publicIp);
  inbound.pipe(outbound).pipe(inbound);
  for (const s of [inbound, outbound]) s.on("error", () => { inbound.destroy(); outbound.destroy(); });
});
await new Promise((res, rej) => nodePort.listen(rpcNodePort, conn.host, res).on("error", rej));
const info = await (await fetch(`http://${conn.host}:${conn.rpc_port}/get_info`, { method: "POST", body: "{}" })).json();
if (info.status !== "OK" || info.restricted !== true) fail(`the advertised RPC answered ${JSON.stringify(info).slice(0, 200)}`);
log(`http://${conn.host}:${conn.rpc_port}/get_info answers as a restricted RPC at height ${info.height}`);
nodePort.close();

const own = await rpc(`http://${publicIp}:${unrestricted}`, "get_info");
if (!own.height) fail("the public node's own RPC is not answering");
await Promise.all(children.map(stop));
console.log("  ok   a NodePort public node advertises its RPC node port, and it is reachable there");
process.exit(0);
