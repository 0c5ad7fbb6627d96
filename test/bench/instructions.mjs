// Benchmark (not a test): instructions per hook request, counted by callgrind on the running
// server, so the figure is the same on a busy or an idle machine and comparable between builds.
//
//   node test/bench/instructions.mjs --binary ./monero-operator --request FILE --hook moneronodeset
//        [--few 20] [--many 120] [--profile FILE]
//
// The server runs under `valgrind --tool=callgrind` with one worker thread; the request is sent
// --few times in one run and --many times in another, on one kept-alive connection, and the
// difference of the two totals divided by the difference of the counts is the cost of one
// request: start-up, shutdown and the first request's one-time work cancel out. Every answer
// must be 200 and the same bytes. --profile keeps the --many run's callgrind output in FILE
// (for callgrind_annotate). Prints one JSON line: {"instructions_per_request": N, ...}.
// Works on any build that has `serve --listen --port-file` (every release), which is what lets
// `make bench` compare the hook against an earlier commit.
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";

const opts = { binary: "./monero-operator", request: "", hook: "moneronodeset", few: "20", many: "120", profile: "" };
for (let i = 2; i < process.argv.length; i += 2) opts[process.argv[i].replace(/^--/, "")] = process.argv[i + 1];
const body = fs.readFileSync(opts.request);
const fail = (m) => {
  console.error(`instructions: ${m}`);
  process.exit(1);
};

async function run(count, keep) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "monero-instr-"));
  const out = path.join(work, "callgrind.out"), portFile = path.join(work, "port");
  const server = spawn("valgrind", ["--tool=callgrind", `--callgrind-out-file=${out}`, opts.binary, "serve",
    "--listen", "127.0.0.1:0", "--port-file", portFile, "--threads", "1", "--no-request-log"], { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  server.stderr.on("data", (d) => (log = (log + d).slice(-2000)));
  const exited = new Promise((r) => server.on("exit", (code, sig) => r(code ?? sig)));
  // valgrind starts slowly, slower still on a busy machine: up to 3 minutes
  for (let i = 0; i < 3600 && server.exitCode === null && !(fs.existsSync(portFile) && fs.readFileSync(portFile, "utf8").trim()); i++)
    await new Promise((r) => setTimeout(r, 50));
  if (!(fs.existsSync(portFile) && fs.readFileSync(portFile, "utf8").trim())) {
    server.kill("SIGKILL");
    fail(`the server under callgrind did not start (${opts.binary}): ${log.trim().split("\n").slice(-3).join(" | ")}`);
  }
  const port = Number(fs.readFileSync(portFile, "utf8"));
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  let first;
  for (let i = 0; i < count; i++) {
    const answer = await new Promise((resolve, reject) => {
      const req = http.request({ host: "127.0.0.1", port, method: "POST", path: `/hooks/${opts.hook}/sync`, agent,
        headers: { "Content-Type": "application/json", "Content-Length": body.length } }, (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString() }));
      });
      req.on("error", reject);
      req.end(body);
    });
    if (answer.status !== 200) fail(`answer ${answer.status}: ${answer.text.slice(0, 200)}`);
    if (first === undefined) first = answer.text;
    else if (answer.text !== first) fail("two answers to the same request differ");
  }
  agent.destroy();
  server.kill("SIGTERM");
  const code = await exited;
  if (code !== 0) fail(`the server exited with ${code}: ${log}`);
  const totals = /^(?:summary|totals): (\d+)/m.exec(fs.readFileSync(out, "utf8"));
  if (keep) fs.copyFileSync(out, keep);
  fs.rmSync(work, { recursive: true, force: true });
  if (!totals) fail("no total in callgrind's output");
  return { total: Number(totals[1]), bytes: first.length };
}

const few = Number(opts.few), many = Number(opts.many);
const a = await run(few), b = await run(many, opts.profile);
console.log(JSON.stringify({ instructions_per_request: Math.round((b.total - a.total) / (many - few)),
  request_bytes: body.length, response_bytes: b.bytes, binary: opts.binary, hook: opts.hook }));
