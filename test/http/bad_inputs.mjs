// Runs the bad-input matrix (bad_inputs.yaml) against a real `monero-operator serve`.
//
//   node test/http/bad_inputs.mjs --binary ./monero-operator [--only ID]
//
// See the table's header for the row kinds and what each checks. The server is started once for
// the whole table; after every row it must still answer /healthz, and on SIGTERM at the end it
// must exit 0 (under ASan a leak report turns that into a failure).
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, "..", "..");
const YAML = (await import(path.join(root, "test/schema/node_modules/yaml/dist/index.js"))).default;
const opts = { binary: "./monero-operator", only: null };
for (let i = 2; i < process.argv.length; i += 2) opts[process.argv[i].replace(/^--/, "")] = process.argv[i + 1];
const rows = YAML.parse(fs.readFileSync(path.join(here, "bad_inputs.yaml"), "utf8"));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- the server

const work = fs.mkdtempSync(path.join(os.tmpdir(), "monero-bad-"));
const portFile = path.join(work, "port");
const logFile = path.join(work, "server.log");
const server = spawn(opts.binary, ["serve", "--listen", "127.0.0.1:0", "--port-file", portFile, "--threads", "2",
  "--max-body-bytes", "1048576", "--connection-timeout", "2", "--no-request-log", "--metrics-listen", "127.0.0.1:0"],
  { stdio: ["ignore", fs.openSync(logFile, "w"), fs.openSync(logFile, "a")] });
let stopping = false;
server.on("exit", (code, sig) => stopping || fail(`the server exited (${code ?? sig}) during the matrix`));
process.on("exit", () => {
  if (server.exitCode === null) server.kill("SIGKILL");
  fs.rmSync(work, { recursive: true, force: true });
});
function fail(msg) {
  console.log(`FAIL: ${msg}`);
  console.log(`--- server log (tail):\n${fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8").split("\n").slice(-15).join("\n") : ""}`);
  process.exit(1);
}
for (let i = 0; i < 100 && !(fs.existsSync(portFile) && fs.readFileSync(portFile, "utf8").trim()); i++) await sleep(50);
const port = Number(fs.readFileSync(portFile, "utf8"));
const base = `http://127.0.0.1:${port}`;

// ---- sending

// Raw bytes over one connection; resolves with every status line's code, and whether the
// server closed the connection before the client did.
function raw(bytes, waitSeconds) {
  return new Promise((resolve) => {
    const sock = net.connect(port, "127.0.0.1");
    const chunks = [];
    let closedByServer = false;
    sock.on("data", (d) => chunks.push(d));
    sock.on("end", () => (closedByServer = true));
    sock.on("error", () => (closedByServer = true));
    sock.on("close", () => {
      const text = Buffer.concat(chunks).toString("latin1");
      const codes = [...text.matchAll(/HTTP\/1\.[01] (\d{3})/g)].map((m) => Number(m[1])).filter((c) => c !== 100);
      resolve({ codes, closedByServer, text });
    });
    sock.write(bytes);
    setTimeout(() => sock.end(), (waitSeconds ?? 1.5) * 1000);
    setTimeout(() => sock.destroy(), ((waitSeconds ?? 1.5) + 3) * 1000);
  });
}

function bodyOf(row) {
  if (row.body_base64) return Buffer.from(row.body_base64, "base64");
  if (row.body_repeat) {
    const r = row.body_repeat;
    return Buffer.from((r.before ?? "") + r.text.repeat(r.times) + (r.after ?? ""), "latin1");
  }
  return row.body === undefined ? undefined : Buffer.from(row.body, "latin1");
}

async function http(method, p, headers, body) {
  try {
    const res = await fetch(base + p, { method, headers, body, signal: AbortSignal.timeout(10000) });
    return { status: res.status, text: await res.text() };
  } catch (e) {
    return { status: 0, text: String(e.cause ?? e) };
  }
}

const statusMatches = (got, want) => (want === "4xx" ? got >= 400 && got < 500 : got === want);

// ---- spec rows

function merge(target, patch) {
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete target[k];
    else if (v && typeof v === "object" && !Array.isArray(v) && target[k] && typeof target[k] === "object" && !Array.isArray(target[k]))
      merge(target[k], v);
    else target[k] = v;
  }
  return target;
}

const fixture = (hook) => JSON.parse(fs.readFileSync(path.join(root, "test/fixtures", hook, "steady-state/request.json"), "utf8"));

function observedChildren(request) {
  const out = [];
  for (const group of Object.values(request.children)) for (const c of Object.values(group)) out.push(c);
  return out;
}

async function specRow(row) {
  const request = fixture(row.hook);
  merge(request.parent.spec, row.spec ?? {});
  merge(request.parent.metadata, row.metadata ?? {});
  const r = await http("POST", `/hooks/${row.hook}/sync`, { "Content-Type": "application/json" }, JSON.stringify(request));
  if (row.expect !== undefined) return statusMatches(r.status, row.expect) ? null : `status ${r.status} (${r.text.slice(0, 200)}), want ${row.expect}`;
  if (r.status !== 200) return `status ${r.status}: ${r.text.slice(0, 200)}`;
  const answer = JSON.parse(r.text);
  const ready = (answer.status?.conditions ?? []).find((c) => c.type === "Ready");
  if (ready?.reason !== "InvalidSpec") return `Ready is ${JSON.stringify(ready)}, want InvalidSpec`;
  if (!ready.message.includes(row.message)) return `message "${ready.message}" lacks "${row.message}"`;
  const desired = new Set(answer.children.map((c) => `${c.kind}/${c.metadata.name}`));
  for (const c of observedChildren(request))
    if (!desired.has(`${c.kind}/${c.metadata.name}`)) return `observed ${c.kind}/${c.metadata.name} would be deleted`;
  const observedSts = observedChildren(request).find((c) => c.kind === "StatefulSet");
  const desiredSts = answer.children.find((c) => c.kind === "StatefulSet");
  if (observedSts && desiredSts?.spec?.replicas !== observedSts.spec.replicas)
    return `StatefulSet replicas ${desiredSts?.spec?.replicas}, running ${observedSts.spec.replicas}`;
  if (row.kind === "inject") {
    const marker = /(^|[\r\n\x07])INJECTED/;
    for (const c of answer.children) {
      const text = JSON.stringify([c.data ?? {}, c.stringData ?? {}, c.spec?.template?.spec?.containers?.map((k) => k.args) ?? []]);
      const decoded = Object.values(c.data ?? {}).map((v) => (c.kind === "Secret" ? Buffer.from(v, "base64").toString("latin1") : v));
      if (marker.test(JSON.parse(text).flat(3).join("\n")) || decoded.some((v) => marker.test(v)))
        return `${c.kind}/${c.metadata.name} carries the injected line`;
    }
  }
  return null;
}

// ---- the matrix

let ran = 0;
const ids = new Set();
for (const row of rows) {
  if (ids.has(row.id)) fail(`duplicate row id ${row.id}`);
  ids.add(row.id);
  if (opts.only && row.id !== opts.only) continue;
  let problem = null;
  if (row.kind === "raw") {
    const r = row.send_repeat;
    const bytes = Buffer.from(r ? r.before + r.text.repeat(r.times) + r.after : row.send, "latin1");
    const got = await raw(bytes, row.wait);
    if (row.expect === "closed") {
      if (got.codes.length || !got.closedByServer) problem = `answered ${got.codes} / closed by server ${got.closedByServer}, want a silent close`;
    } else {
      const want = Array.isArray(row.expect) ? row.expect : [row.expect];
      if (row.quirk === "duplicate-header" && got.codes.length === 2 && got.codes[0] === got.codes[1]) got.codes.pop();
      if (got.codes.length !== want.length || !want.every((w, i) => statusMatches(got.codes[i], w)))
        problem = `statuses ${JSON.stringify(got.codes)}, want ${JSON.stringify(want)}`;
      else if (row.reason && !got.text.includes(row.reason)) problem = `answer lacks "${row.reason}": ${JSON.stringify(got.text.slice(0, 300))}`;
    }
  } else if (row.kind === "http") {
    const got = await http(row.method, row.path, { "Content-Type": "application/json", ...(row.headers ?? {}) }, bodyOf(row));
    if (!statusMatches(got.status, row.expect)) problem = `status ${got.status} (${got.text.slice(0, 120)}), want ${row.expect}`;
  } else if (row.kind === "json") {
    const got = await http("POST", `/hooks/${row.hook ?? "moneronodeset"}/sync`, { "Content-Type": "application/json" }, bodyOf(row));
    if (!statusMatches(got.status, row.expect)) problem = `status ${got.status} (${got.text.slice(0, 120)}), want ${row.expect}`;
    else if (got.text.includes("\n") && got.text.indexOf("\n") < got.text.length - 1) problem = `reason is not one line: ${JSON.stringify(got.text)}`;
  } else if (row.kind === "spec" || row.kind === "inject") {
    problem = await specRow(row);
  } else {
    problem = `unknown kind ${row.kind}`;
  }
  if (problem) fail(`${row.id}: ${problem}`);
  // on a fresh connection: a pooled keep-alive one may have met the 2 s idle timeout
  const health = await raw(Buffer.from("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 0.5);
  if (health.codes[0] !== 200) fail(`${row.id}: /healthz afterwards answered ${JSON.stringify(health.codes)}`);
  ran++;
}
stopping = true;
const exited = new Promise((r) => server.on("exit", (code, sig) => r(code ?? sig)));
server.kill("SIGTERM");
const code = await exited;
if (code !== 0) fail(`the server exited with ${code} on SIGTERM`);
console.log(`  ok   bad-input matrix: ${ran} cases, the server answered each as expected, stayed up and exited 0`);
