// Metacontroller's client pools connections (Go's http.Transport: idle connections kept for
// 90 s, a closed one noticed by its read loop and dropped from the pool) and never retries a POST
// once it has written it. The hook server closes idle keep-alive connections at --header-timeout.
// This client behaves the same way (a keep-alive agent that drops a pooled socket when the server
// closes it, no retry) and sends sync requests after idle periods just under and just over the
// limit: every request must succeed, reusing the connection when it was still open and opening a
// new one when the server had closed it.
//
//   node test/http/keepalive.mjs --binary ./monero-operator [--header-timeout 2]
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";

const opts = { binary: "./monero-operator", "header-timeout": "2" };
for (let i = 2; i < process.argv.length; i += 2) opts[process.argv[i].replace(/^--/, "")] = process.argv[i + 1];
const LIMIT_MS = Number(opts["header-timeout"]) * 1000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const work = fs.mkdtempSync(path.join(os.tmpdir(), "monero-keepalive-"));
const portFile = path.join(work, "port");
const server = spawn(opts.binary, ["serve", "--listen", "127.0.0.1:0", "--port-file", portFile, "--no-request-log",
  "--metrics-listen", "", "--header-timeout", opts["header-timeout"]], { stdio: ["ignore", "ignore", "inherit"] });
const fail = (m) => {
  console.log(`FAIL: ${m}`);
  server.kill("SIGKILL");
  fs.rmSync(work, { recursive: true, force: true });
  process.exit(1);
};
for (let i = 0; i < 100 && !(fs.existsSync(portFile) && fs.readFileSync(portFile, "utf8").trim()); i++) await sleep(50);
const port = Number(fs.readFileSync(portFile, "utf8"));

const body = fs.readFileSync("test/fixtures/moneronodeset/steady-state/request.json");
const agent = new http.Agent({ keepAlive: true, maxSockets: 1, keepAliveMsecs: 90000 });
const seen = new WeakSet();
function sync() {
  return new Promise((resolve) => {
    const req = http.request({ host: "127.0.0.1", port, method: "POST", path: "/hooks/moneronodeset/sync", agent,
      headers: { "Content-Type": "application/json", "Content-Length": body.length } }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode, reused: req.reusedSocket }));
    });
    req.on("socket", (s) => seen.add(s));
    req.on("error", (e) => resolve({ status: 0, error: e.message, reused: req.reusedSocket }));
    req.end(body);
  });
}

const first = await sync();
if (first.status !== 200) fail(`first request: ${JSON.stringify(first)}`);
const rounds = [];
for (const idle of [0.5, 0.9, 0.95, 1.05, 1.1, 1.5, 0.9, 1.1]) {
  await sleep(idle * LIMIT_MS);
  const r = await sync();
  rounds.push({ idle, ...r });
  if (r.status !== 200) fail(`after ${idle * LIMIT_MS} ms idle (limit ${LIMIT_MS} ms): ${JSON.stringify(r)}`);
}
agent.destroy();
server.kill("SIGTERM");
const code = await new Promise((r) => server.on("exit", (c, s) => r(c ?? s)));
fs.rmSync(work, { recursive: true, force: true });
if (code !== 0) fail(`the server exited with ${code}`);
const under = rounds.filter((r) => r.idle < 1), over = rounds.filter((r) => r.idle > 1);
// Just under the limit the pooled connection is still open and must be reused (else this test
// would not be exercising reuse at all); just over, the server has closed it.
if (!under.every((r) => r.reused)) fail(`a connection idle under the limit was not reused: ${JSON.stringify(under)}`);
if (over.some((r) => r.reused)) fail(`a connection idle over the limit was reused: ${JSON.stringify(over)}`);
console.log(`  ok   pooled keep-alive client (no retries): ${rounds.length} syncs after idle periods of 0.5 to 1.5 x ` +
  `--header-timeout (${LIMIT_MS} ms) all answered; ${under.length} reused the pooled connection, ${over.length} found it closed and opened a new one`);
