// Benchmark (not a test): the metrics sidecar's cost against a real regtest monerod on loopback.
//
//   node test/bench/exporter.mjs --exporter ./monero-exporter [--scrapes 1000]
//
// Prints scrape latency percentiles (sequential scrapes, as Prometheus does them), /readyz
// latency, and the exporter's resident memory (current, peak, and how much of it is file-backed
// library pages rather than its own heap).
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { harness, options, rpc } from "../e2e/lib.mjs";

const opts = options({ exporter: "./monero-exporter", monerod: "monerod", scrapes: 1000 });
const { work, until, start, stop, children } = harness("monero-bench");
const freePort = () =>
  new Promise((r) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => r(port));
    });
  });
const [p2p, rpcPort, port] = [await freePort(), await freePort(), await freePort()];
start("monerod", opts.monerod, ["--regtest", "--offline", "--fixed-difficulty=1", `--data-dir=${path.join(work, "data")}`,
  "--p2p-bind-ip=127.0.0.1", `--p2p-bind-port=${p2p}`, "--rpc-bind-ip=127.0.0.1", `--rpc-bind-port=${rpcPort}`,
  "--no-zmq", "--non-interactive", "--log-level=0"]);
const exporter = start("exporter", opts.exporter, [`--monerod=http://127.0.0.1:${rpcPort}`, `--listen=127.0.0.1:${port}`, "--max-block-age=0"]);
await until("monerod RPC", 120000, async () => ({ ok: !!(await rpc(`http://127.0.0.1:${rpcPort}`, "get_info")).height }));

async function timed(p, n) {
  const t = [];
  for (let i = 0; i < n; i++) {
    const s = process.hrtime.bigint();
    const r = await fetch(`http://127.0.0.1:${port}${p}`);
    await r.text();
    t.push(Number(process.hrtime.bigint() - s) / 1e6);
  }
  t.sort((a, b) => a - b);
  const q = (f) => t[Math.min(t.length - 1, Math.floor(f * t.length))];
  return { p99: q(0.99), text: `p50 ${q(0.5).toFixed(2)} ms, p90 ${q(0.9).toFixed(2)} ms, p99 ${q(0.99).toFixed(2)} ms, max ${t[t.length - 1].toFixed(2)} ms` };
}
const status = () => fs.readFileSync(`/proc/${exporter.pid}/status`, "utf8");
const kb = (field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status())[1]);
const n = Number(opts.scrapes);
console.log(`== metrics sidecar against regtest monerod (loopback, ${n} sequential requests each)`);
const scrapes = await timed("/metrics", n);
console.log(`/metrics   ${scrapes.text}`);
console.log(`/readyz    ${(await timed("/readyz", n)).text}`);
// The scrape budget (docs/bench.md): reported loudly here, not a timed test that a loaded
// machine could fail.
const SCRAPE_BUDGET_MS = 20;
if (scrapes.p99 > SCRAPE_BUDGET_MS)
  console.log(`!!! OVER BUDGET: scrape p99 ${scrapes.p99.toFixed(2)} ms, budget ${SCRAPE_BUDGET_MS} ms !!!`);
else console.log(`budget     scrape p99 ${scrapes.p99.toFixed(2)} ms within ${SCRAPE_BUDGET_MS} ms`);
console.log(`memory     RSS ${kb("VmRSS")} kB (peak ${kb("VmHWM")} kB): heap and stacks ${kb("RssAnon")} kB, libraries and binary ${kb("RssFile")} kB`);
await Promise.all(children.map(stop));
