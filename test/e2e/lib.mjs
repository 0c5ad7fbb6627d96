// Shared by the end-to-end scripts: a work directory and child processes cleaned up on exit,
// polling with a deadline, failure with the daemons' log tails, monerod RPC, and turning the
// monerod pods a hook renders into loopback processes.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const WALLET =
  "42ey1afDFnn4886T7196doS9GPMzexD9gXpsZJDwVjeRVdFCSoHnv7KPbBeGpzJBzHRCAs9UxqeoyFQMYbqSWYTfJJQAWDm";

// --name value pairs from argv over `defaults`.
export function options(defaults) {
  const opts = { ...defaults };
  for (let i = 2; i < process.argv.length; i += 2) opts[process.argv[i].replace(/^--/, "")] = process.argv[i + 1];
  return opts;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function harness(prefix) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  const children = [];
  const started = Date.now();
  process.on("exit", () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
    fs.rmSync(work, { recursive: true, force: true });
  });
  for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => process.exit(1));
  const h = {
    work,
    children,
    log: (m) => console.log(`  [${((Date.now() - started) / 1000).toFixed(1)}s] ${m}`),
    fail(msg) {
      console.log(`FAIL: ${msg}`);
      for (const f of fs.readdirSync(work).filter((f) => f.endsWith(".log")))
        console.log(`--- ${f} (tail):\n${fs.readFileSync(path.join(work, f), "utf8").split("\n").slice(-12).join("\n")}`);
      process.exit(1);
    },
    // Polls `check` until it returns { ok: value }; anything else is kept as the last state seen.
    async until(what, ms, check, every = 250) {
      const deadline = Date.now() + ms;
      let last;
      while (Date.now() < deadline) {
        try {
          last = await check();
          if (last && last.ok) return last.ok;
        } catch (e) {
          last = e.message;
        }
        await sleep(every);
      }
      h.fail(`${what} not reached within ${ms / 1000}s (last: ${JSON.stringify(last)})`);
    },
    // Starts a daemon logging to <name>.log; an exit nobody asked for fails the run.
    start(name, cmd, args, env) {
      const out = fs.openSync(path.join(work, `${name}.log`), "w");
      const child = spawn(cmd, args, { stdio: ["ignore", out, out], env: env ? { ...process.env, ...env } : process.env });
      child.on("exit", (code, sig) => child.expectedExit || h.fail(`${name} exited (${code ?? sig})`));
      children.push(child);
      return child;
    },
    // SIGTERM, then the exit status (a signal name if it died of one).
    async stop(child) {
      child.expectedExit = true;
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.on("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      return child.exitCode ?? child.signalCode;
    },
  };
  return h;
}

export async function rpc(base, method, params = {}) {
  const res = await fetch(`${base}/json_rpc`, {
    method: "POST",
    body: JSON.stringify({ jsonrpc: "2.0", id: "0", method, params }),
    signal: AbortSignal.timeout(10000),
  });
  const body = await res.json();
  if (body.error) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.result;
}

export function render(binary, cr, fail) {
  const r = spawnSync(binary, ["render", "-f", "-", "-o", "json"], { input: JSON.stringify(cr) });
  if (r.status !== 0) fail(`render: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

// `render`, then the sync that observes what it rendered, as after Metacontroller created it:
// status.addresses lists an address once its key is stored in an observed Secret, so the status
// to check is that second sync's. The test tool hook-run runs it on the same hook code.
// Returns { rendered, settled }.
export function renderSettled(binary, hookRun, hook, cr, fail) {
  const rendered = render(binary, cr, fail);
  const observed = {};
  for (const c of rendered.children) (observed[`${c.kind}.${c.apiVersion}`] ??= {})[c.metadata.name] = c;
  const namespace = rendered.children[0].metadata.namespace;
  const r = spawnSync(hookRun, [hook], {
    input: JSON.stringify({ parent: { ...cr, metadata: { ...cr.metadata, namespace, uid: "e2e" } }, children: observed }),
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) fail(`hook-run: ${r.stderr}`);
  return { rendered, settled: JSON.parse(r.stdout) };
}

// The pods of a rendered MoneroNetwork (or MoneroNodeSet) as loopback processes: node i gets its
// own address 127.X.Y.(i+1) (X, Y random so runs do not collide) instead of the pod's, peer names
// become those addresses, data directories temporary ones. Each substitution is asserted, so a
// change to the emitted command lines breaks the tests instead of being patched over.
export function loopbackPods(response, name, work, fail) {
  const sts = response.children.find((c) => c.kind === "StatefulSet");
  const containers = sts.spec.template.spec.containers;
  const monerod = containers.find((c) => c.name === "monerod");
  const exporter = containers.find((c) => c.name === "exporter");
  const files = Object.assign({}, ...response.children.filter((c) => c.kind === "ConfigMap").map((c) => c.data));
  const x = 10 + Math.floor(Math.random() * 240), y = 10 + Math.floor(Math.random() * 240);
  const ip = (i) => `127.${x}.${y}.${i + 1}`;
  const p2pPort = monerod.ports.find((p) => p.name === "p2p").containerPort;
  const rpcPort = Number(monerod.args.find((a) => a.startsWith("--rpc-bind-port=")).split("=")[1]);
  const restrictedPort = monerod.ports.find((p) => p.name === "rpc").containerPort;
  const neighbours = [];

  function peerFile(i, mounted) {
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
    return local;
  }

  function monerodArgs(i) {
    const pod = `${name}-${i}`;
    const expected = {
      "--data-dir=/data": `--data-dir=${path.join(work, pod)}`,
      "--p2p-bind-ip=0.0.0.0": `--p2p-bind-ip=${ip(i)}`,
      "--rpc-bind-ip=127.0.0.1": `--rpc-bind-ip=${ip(i)}`,
      "--rpc-restricted-bind-ip=0.0.0.0": `--rpc-restricted-bind-ip=${ip(i)}`,
    };
    const used = new Set();
    const args = monerod.args.map((a) => {
      if (expected[a]) return used.add(a), expected[a];
      if (a.includes("$(POD_NAME)")) {
        used.add("peers");
        return `--config-file=${peerFile(i, a.replace("$(POD_NAME)", pod).split("=")[1])}`;
      }
      return a;
    });
    for (const k of Object.keys(expected)) if (!used.has(k)) fail(`emitted monerod args lack ${k}`);
    // On loopback every outgoing connection leaves from 127.0.0.1 whatever address the dialler
    // is bound to, so each node sees all its incoming peers as one IP. monerod accepts one
    // connection per IP by default, which in pods (one IP each) is right but here would refuse
    // all but one neighbour and split the network. Allow one per node instead.
    if (args.some((a) => a.startsWith("--max-connections-per-ip"))) fail("emitted args set --max-connections-per-ip");
    args.push(`--max-connections-per-ip=${Math.max(1, sts.spec.replicas)}`);
    return { args, hasPeerFile: used.has("peers") };
  }

  // The exporter sidecar's arguments: the pod's loopback RPC becomes node i's address, and
  // --listen=:PORT becomes that address and `port`.
  function exporterArgs(i, port) {
    if (!exporter) fail("the rendered pod has no exporter sidecar");
    const expected = {
      [`--monerod=http://127.0.0.1:${rpcPort}`]: `--monerod=http://${ip(i)}:${rpcPort}`,
      [`--listen=:${exporter.ports[0].containerPort}`]: `--listen=${ip(i)}:${port}`,
    };
    const used = new Set();
    const args = exporter.args.map((a) => (expected[a] ? (used.add(a), expected[a]) : a));
    for (const k of Object.keys(expected)) if (!used.has(k)) fail(`emitted exporter args lack ${k}`);
    return args;
  }

  return { ip, p2pPort, rpcPort, restrictedPort, neighbours, monerod, exporter, sts, monerodArgs, exporterArgs };
}
