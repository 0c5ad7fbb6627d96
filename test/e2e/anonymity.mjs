// End to end with the real tor, i2pd and monerod (offline, loopback only): the identities a
// MoneroNodeSet's hook creates are the ones the daemons serve.
//
//   node test/e2e/anonymity.mjs --binary ./monero-operator --hook-run build/test/hook-run
//
// For each replica, the pod is rebuilt from what the hook emits: the identities Secret's data as
// files (as a Secret volume shows them), the init container's own command (`monero-operator
// pod-init`), the torrc, i2pd.conf and tunnels.conf ConfigMaps. Only paths change (a pod's
// /var/lib/tor becomes a temporary directory; each substitution is asserted), and the daemons
// get the options that keep them offline (tor DisableNetwork; i2pd with transports on loopback
// and reseeding from nowhere). Then:
//   - tor's own `hostname` equals the onion in the hook's status, for 3 distinct replicas;
//   - i2pd loads the keys file, reports exactly the .b32.i2p in status, and leaves it unchanged;
//   - monerod, started with the node's emitted arguments and the configuration pod-init wrote,
//     accepts them and listens on its Tor and I2P inbound ports.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { harness, options, renderSettled } from "./lib.mjs";

const opts = options({ binary: "./monero-operator", "hook-run": "build/test/hook-run" });
const { work, log, fail, until, start, stop, children } = harness("monero-anon");

// ---- render

const cr = {
  apiVersion: "utxo.com.br/v1alpha1",
  kind: "MoneroNodeSet",
  metadata: { name: "hidden" },
  spec: {
    replicas: 3,
    network: "regtest",
    tor: { enabled: true, rpc: true },
    i2p: { enabled: true, rpc: true },
    monerod: { args: ["--add-exclusive-node=127.0.0.1:9"] },
  },
};
const { rendered, settled: resp } = renderSettled(opts.binary, opts["hook-run"], "moneronodeset", cr, fail);
if (rendered.status.addresses.some((a) => a.onion || a.i2p)) fail("addresses in status before any Secret holds their keys");
if (!isDeepStrictEqual(resp.children, rendered.children)) fail("the second sync changed the children");
const byName = (kind, name) => resp.children.find((c) => c.kind === kind && c.metadata.name === name);
// The identities shards, merged as the pod's projected volume merges them.
const shards = resp.children.filter((c) => c.kind === "Secret" && /^hidden-identities-\d+$/.test(c.metadata.name));
const secret = shards.length ? { data: Object.assign({}, ...shards.map((s) => s.data)) } : null;
const pod = byName("StatefulSet", "hidden").spec.template.spec;
const init = pod.initContainers.find((c) => c.name === "identities");
const monerod = pod.containers.find((c) => c.name === "monerod");
const torrc = byName("ConfigMap", "hidden-tor").data.torrc;
const i2pd = byName("ConfigMap", "hidden-i2pd").data;
const addresses = resp.status.addresses;
if (!secret || !init || addresses.length !== 3) fail("rendered set lacks the identities Secret, the init step or addresses");
if (new Set(addresses.map((a) => a.onion)).size !== 3 || new Set(addresses.map((a) => a.i2p)).size !== 3)
  fail("replicas share an address");
const identityDir = path.join(work, "identity");
fs.mkdirSync(identityDir);
for (const [k, v] of Object.entries(secret.data)) fs.writeFileSync(path.join(identityDir, k), Buffer.from(v, "base64"));
log(`rendered 3 replicas with ${Object.keys(secret.data).length} key files`);

// The pod's paths, and where each lives for replica i here.
// The sidecars mount subdirectories of the node's volume (subPath), which the init step creates.
const mounts = (i) => ({ "/identity": identityDir, "/var/lib/tor": path.join(work, `p${i}`, "data", "anonymity", "tor"),
  "/var/lib/i2pd": path.join(work, `p${i}`, "data", "anonymity", "i2pd"), "/data": path.join(work, `p${i}`, "data"),
  "/run/monero-operator": path.join(work, `p${i}`, "run") });
// A pod path counts where a path starts (after "=", a space or the line's start), whole.
function localise(text, i, seen) {
  const m = mounts(i);
  const re = new RegExp(`(^|[=\\s])(${Object.keys(m).join("|")})(?=/|$|[\\s,])`, "gm");
  return text.replace(re, (all, lead, from) => (seen.add(from), lead + m[from])).replace("$(POD_NAME)", `hidden-${i}`);
}

// ---- pod-init, tor, i2pd per replica

for (let i = 0; i < 3; i++) {
  for (const dir of ["/data", "/run/monero-operator"]) fs.mkdirSync(mounts(i)[dir], { recursive: true });
  const seen = new Set();
  const args = init.args.map((a) => localise(a, i, seen));
  if (seen.size !== 3) fail(`init args use ${[...seen]}, expected /identity, /data and /run/monero-operator`);
  const p = spawnSync(opts.binary, args);
  if (p.status !== 0) fail(`pod-init ${i}: ${p.stderr}`);
  // kubelet mounts a subPath that exists; a missing one it would create as root, unwritable here
  for (const dir of ["/var/lib/tor", "/var/lib/i2pd"])
    if (!fs.existsSync(mounts(i)[dir])) fail(`pod-init did not create ${dir}'s directory on the volume`);
  const conf = fs.readFileSync(path.join(mounts(i)["/run/monero-operator"], "monerod.conf"), "utf8");
  if (!conf.includes(`anonymous-inbound=${addresses[i].onion}:18084,127.0.0.1:18084,32\n`) ||
      !conf.includes(`anonymous-inbound=${addresses[i].i2p},127.0.0.1:18085,32\n`))
    fail(`monerod.conf of replica ${i} lacks its own addresses:\n${conf}`);

  const torSeen = new Set();
  const torConf = path.join(work, `p${i}`, "torrc");
  fs.writeFileSync(torConf, localise(torrc, i, torSeen));
  if (!torSeen.has("/var/lib/tor")) fail("torrc does not use /var/lib/tor");
  start(`tor-${i}`, "tor", ["-f", torConf, "--DisableNetwork", "1", "--SocksPort", "0"]);

  const i2pSeen = new Set();
  for (const f of ["i2pd.conf", "tunnels.conf"]) fs.writeFileSync(path.join(work, `p${i}`, f), localise(i2pd[f], i, i2pSeen));
  start(`i2pd-${i}`, "i2pd", [`--datadir=${mounts(i)["/var/lib/i2pd"]}`, `--conf=${path.join(work, `p${i}`, "i2pd.conf")}`,
    `--tunconf=${path.join(work, `p${i}`, "tunnels.conf")}`, "--loglevel=info", "--socksproxy.enabled=false",
    "--address4=127.0.0.1", "--ntcp2.published=false", "--ssu2.enabled=false", "--reseed.urls=http://127.0.0.1:9/",
    "--nettime.enabled=false", `--port=${20000 + Math.floor(Math.random() * 20000)}`]);
}
log("pod-init installed every replica's keys; tor and i2pd started offline");

for (let i = 0; i < 3; i++) {
  const host = await until(`tor hostname of replica ${i}`, 60000, () => {
    const f = path.join(mounts(i)["/var/lib/tor"], "hs", "hostname");
    return fs.existsSync(f) ? { ok: fs.readFileSync(f, "utf8").trim() } : "no hostname yet";
  });
  if (host !== addresses[i].onion) fail(`replica ${i}: tor serves ${host}, status says ${addresses[i].onion}`);
  log(`replica ${i}: tor's hostname ${host.slice(0, 16)}… equals status`);
  await until(`i2pd loading replica ${i}'s keys`, 60000, () => {
    const text = fs.readFileSync(path.join(work, `i2pd-${i}.log`), "utf8");
    const m = /Local address (\S+\.b32\.i2p) loaded/.exec(text);
    return m ? (m[1] === addresses[i].i2p ? { ok: true } : fail(`replica ${i}: i2pd loaded ${m[1]}, status says ${addresses[i].i2p}`)) : "not loaded yet";
  });
  log(`replica ${i}: i2pd loaded ${addresses[i].i2p.slice(0, 16)}… as in status`);
}

// ---- monerod accepts the emitted arguments and the configuration pod-init wrote

const ip = `127.${10 + Math.floor(Math.random() * 240)}.${10 + Math.floor(Math.random() * 240)}.1`;
const rewrite = { "--data-dir=/data": `--data-dir=${path.join(work, "data")}`, "--p2p-bind-ip=0.0.0.0": `--p2p-bind-ip=${ip}`,
  "--rpc-bind-ip=127.0.0.1": `--rpc-bind-ip=${ip}`, "--rpc-restricted-bind-ip=0.0.0.0": `--rpc-restricted-bind-ip=${ip}` };
const mseen = new Set();
const margs = monerod.args.map((a) => (rewrite[a] ? (mseen.add(a), rewrite[a]) : localise(a, 0, mseen)));
if (mseen.size !== 5) fail(`monerod args: rewrote ${[...mseen]}`);
if (!margs.some((a) => a.startsWith("--tx-proxy=tor,127.0.0.1:9050")) || !margs.some((a) => a.startsWith("--tx-proxy=i2p,127.0.0.1:4447")))
  fail("monerod lacks its --tx-proxy flags");
// The inbound ports are fixed by the rendered configuration, so the check is who listens there:
// the socket on 127.0.0.1:PORT must belong to this monerod's process (ss names the owner), and
// nothing may listen there before it starts.
const listener = (port) => {
  const r = spawnSync("ss", ["-Hltnp", `sport = :${port}`], { encoding: "utf8" });
  if (r.status !== 0) fail(`ss: ${r.stderr}`);
  return r.stdout.trim();
};
for (const port of [18084, 18085]) if (listener(port)) fail(`something already listens on ${port}: ${listener(port)}`);
const m = start("monerod", "monerod", margs);
m.on("exit", (code) => m.expected || fail(`monerod exited with ${code}`));
for (const port of [18084, 18085])
  await until(`monerod listening for anonymous peers on 127.0.0.1:${port}`, 90000, () => {
    const line = listener(port);
    if (!line) return "nobody listens yet";
    if (!line.includes(`127.0.0.1:${port} `) || !line.includes(`pid=${m.pid},`)) fail(`127.0.0.1:${port} is not monerod's (pid ${m.pid}): ${line}`);
    return { ok: true };
  });
log(`monerod (pid ${m.pid}) accepted the arguments and owns the listeners on 18084 (Tor) and 18085 (I2P)`);
m.expected = true;

await Promise.all(children.map(stop));
for (let i = 0; i < 3; i++) {
  const kept = fs.readFileSync(path.join(mounts(i)["/var/lib/i2pd"], "monero.dat"));
  if (!kept.equals(Buffer.from(secret.data[`hidden-${i}.i2p.dat`], "base64"))) fail(`i2pd changed replica ${i}'s keys file`);
}
log("i2pd left every keys file byte-identical");

// A volume restored from replica 0's snapshot into replica 1: the state there is replica 0's
// (tor's guards, i2pd's router identity), which pod-init discards before installing replica 1's
// keys. Replica 0's own volume, restarted, keeps everything.
const restored = path.join(work, "restored");
fs.cpSync(mounts(0)["/data"], restored, { recursive: true });
const routerKeys = (dir) => path.join(dir, "anonymity", "i2pd", "router.keys");
if (!fs.existsSync(path.join(restored, "anonymity", "tor", "data", "state")) || !fs.existsSync(routerKeys(restored)))
  fail("tor's state file or i2pd's router.keys is not on replica 0's volume");
const initArgs = (i, data) => init.args.map((a) => localise(a, i, new Set()).replace(mounts(i)["/data"], data));
const again = spawnSync(opts.binary, initArgs(0, mounts(0)["/data"]), { encoding: "utf8" });
if (again.status !== 0 || again.stdout.includes("afresh") || !fs.existsSync(routerKeys(mounts(0)["/data"])))
  fail(`pod-init on replica 0's own volume: ${again.stdout}${again.stderr}`);
const moved = spawnSync(opts.binary, initArgs(1, restored), { encoding: "utf8" });
if (moved.status !== 0 || !moved.stdout.includes("was hidden-0's; starting it afresh")) fail(`pod-init on a restored volume: ${moved.stdout}${moved.stderr}`);
if (fs.existsSync(routerKeys(restored)) || fs.existsSync(path.join(restored, "anonymity", "tor", "data")))
  fail("replica 0's router identity or tor state survived on replica 1's restored volume");
if (!fs.readFileSync(path.join(restored, "anonymity", "i2pd", "monero.dat")).equals(Buffer.from(secret.data["hidden-1.i2p.dat"], "base64")))
  fail("the restored volume lacks replica 1's own I2P keys");
log("state stays with its volume's pod; a volume restored into another replica starts afresh");
console.log("  ok   3 replicas: tor and i2pd serve exactly the addresses in status; monerod accepts the wiring");
