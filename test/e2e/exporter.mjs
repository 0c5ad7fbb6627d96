// End to end: the metrics sidecar against real regtest monerod, promtool and a Prometheus server
// (loopback only).
//
//   node test/e2e/exporter.mjs --binary ./monero-operator --exporter ./monero-exporter [--budgets off]
//
// A two-node MoneroNetwork is rendered; each node's monerod and exporter run with the arguments
// the hook emits (addresses rewritten to loopback, every rewrite asserted, see lib.mjs). Then:
//   - /readyz is 503 while node 0 has no peer, and 200 once node 1 is up and they have talked;
//   - the metrics equal what get_info reports; promtool check metrics finds nothing;
//     OpenMetrics is served when asked for;
//   - after generateblocks the height metric moves by exactly the blocks mined;
//   - a real prometheus scrapes the exporter and a query returns the node's height;
//   - resident memory is held to its budget (5 MiB); scrape time is reported (make bench holds it);
//   - with monerod stopped, monero_up is 0 and the exporter keeps serving;
//   - the same exporter in xmrig mode reads an xmrig-shaped API (a stand-in: xmrig is not
//     packaged in Debian) with its bearer token;
//   - `make install` puts libmonero-rpc, its header and pkg-config file in a staging root, and
//     the example program builds against them and reports the height get_info does.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { WALLET, harness, loopbackPods, options, render, rpc, sleep } from "./lib.mjs";

const opts = options({ binary: "./monero-operator", exporter: "./monero-exporter", monerod: "monerod", budgets: "on" });
const h = harness("monero-exporter");
const { work, log, fail, until, start, stop } = h;
// Resident memory is a budget here (it does not depend on load); scrape latency is a figure of
// `make bench` (test/bench/exporter.mjs), where a loaded machine cannot fail a test.
const RSS_BUDGET_KB = 5120;

const freePort = (host) =>
  new Promise((resolve) => {
    const s = net.createServer().listen(0, host, () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

// ---- render, and the pods as loopback processes

const name = "obs";
const response = render(opts.binary, {
  apiVersion: "utxo.com.br/v1alpha1",
  kind: "MoneroNetwork",
  metadata: { name },
  spec: { replicas: 2, template: { spec: { network: "regtest", monerod: { args: ["--fixed-difficulty=1"] } } } },
}, fail);
const pods = loopbackPods(response, name, work, fail);
const { ip, rpcPort } = pods;
const probe = pods.monerod.readinessProbe.httpGet;
if (pods.exporter.command.join(" ") !== "monero-exporter") fail(`exporter command ${pods.exporter.command}`);
if (probe.path !== "/readyz" || probe.port !== pods.exporter.ports[0].containerPort)
  fail(`monerod readinessProbe is ${JSON.stringify(probe)}, not the exporter's /readyz`);
if (!pods.exporter.args.includes("--max-block-age=0")) fail("regtest exporter keeps a block-age check");
log("rendered: monerod's readinessProbe is the exporter's /readyz; regtest has no block-age check");

const rpcUrl = (i) => `http://${ip(i)}:${rpcPort}`;
const port = await freePort(ip(0));
const base = `http://${ip(0)}:${port}`;
const get = async (p, headers = {}) => {
  const res = await fetch(base + p, { headers, signal: AbortSignal.timeout(5000) });
  return { status: res.status, type: res.headers.get("content-type"), text: (await res.text()) };
};
const metric = (text, series) => {
  const line = text.split("\n").find((l) => l.startsWith(series + " "));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};
// A series' value for a comparison: a missing series fails the run (undefined compares false).
const value = (text, series) => {
  const v = metric(text, series);
  if (v === undefined || Number.isNaN(v)) fail(`/metrics lacks ${series}`);
  return v;
};

const node0 = start("node-0", opts.monerod, pods.monerodArgs(0).args);
const exporter = start("exporter", opts.exporter, pods.exporterArgs(0, port));
await until("exporter /healthz", 10000, async () => ({ ok: (await get("/healthz")).status === 200 }));
await until("node 0 RPC", 120000, async () => ({ ok: !!(await rpc(rpcUrl(0), "get_info")).height }));
for (let k = 0; k < 6; k++) {
  const r = await get("/readyz");
  if (r.status !== 503) fail(`/readyz answered ${r.status} "${r.text}" with no peer`);
  await sleep(500);
}
log(`/readyz stays 503 while node 0 is alone ("${(await get("/readyz")).text.trim()}")`);

// ---- a peer arrives

start("node-1", opts.monerod, pods.monerodArgs(1).args);
const ready = await until("/readyz 200 once a peer is connected", 120000, async () => {
  const r = await get("/readyz");
  return r.status === 200 ? { ok: r.text.trim() } : r.text;
});
log(`/readyz 200 with a peer ("${ready}")`);

// ---- values equal get_info

const FIELDS = {
  monero_height: "height",
  monero_target_height: "target_height",
  monero_difficulty: "difficulty",
  monero_transactions: "tx_count",
  monero_tx_pool_transactions: "tx_pool_size",
  monero_alt_blocks: "alt_blocks_count",
  'monero_connections{direction="in"}': "incoming_connections_count",
  'monero_connections{direction="out"}': "outgoing_connections_count",
  'monero_peerlist_size{list="white"}': "white_peerlist_size",
  'monero_peerlist_size{list="grey"}': "grey_peerlist_size",
  monero_database_size_bytes: "database_size",
  monero_free_space_bytes: "free_space",
  monero_start_time_seconds: "start_time",
  monero_block_weight_limit: "block_weight_limit",
  monero_block_weight_median: "block_weight_median",
  monero_synchronized: "synchronized",
  monero_offline: "offline",
  monero_busy_syncing: "busy_syncing",
};
// Every read is bracketed by two get_info calls, so each metric must lie between them. The
// first match may take a moment (the peers' handshakes settle); after it, five reads in a row
// must all match: an exporter that is only sometimes stale fails here.
async function metricsMatchGetInfo() {
  const before = await rpc(rpcUrl(0), "get_info");
  const text = (await get("/metrics")).text;
  const after = await rpc(rpcUrl(0), "get_info");
  const differ = [];
  for (const [series, field] of Object.entries(FIELDS)) {
    const v = metric(text, series), a = Number(before[field]), b = Number(after[field]);
    if (v === undefined || v < Math.min(a, b) || v > Math.max(a, b)) differ.push(`${series}=${v} get_info.${field}=${before[field]}`);
  }
  const info = `monero_build_info{version="${before.version}",nettype="${before.nettype}"} 1`;
  if (!text.split("\n").includes(info)) differ.push(`no "${info}"`);
  return differ;
}
await until("metrics equal get_info", 30000, async () => {
  const differ = await metricsMatchGetInfo();
  return differ.length ? differ : { ok: true };
});
for (let k = 0; k < 5; k++) {
  const differ = await metricsMatchGetInfo();
  if (differ.length) fail(`read ${k + 2} of 6 in a row: metrics differ from get_info: ${differ.join("; ")}`);
}
log(`all ${Object.keys(FIELDS).length} get_info fields and build info match the metrics, six reads in a row`);

const text = (await get("/metrics")).text;
for (const series of ["monero_up", "monero_network_height", "monero_last_block_age_seconds", "monero_hard_fork_version",
  'monero_fee_estimate_piconero_per_byte{priority="0"}', "monero_net_received_bytes_total", 'monero_peers{direction="in",network="clearnet"}',
  "monero_tx_pool_bytes"])
  if (metric(text, series) === undefined) fail(`/metrics lacks ${series}:\n${text}`);
const promtool = spawnSync("promtool", ["check", "metrics"], { input: text });
if (promtool.status !== 0 || `${promtool.stdout}${promtool.stderr}`.trim())
  fail(`promtool check metrics: ${promtool.stdout}${promtool.stderr}`);
log(`promtool check metrics: clean (${text.split("\n").filter((l) => l && !l.startsWith("#")).length} samples)`);
const om = await get("/metrics", { Accept: "application/openmetrics-text; version=1.0.0,text/plain;q=0.5" });
if (!om.type.startsWith("application/openmetrics-text") || !om.text.endsWith("# EOF\n") || !om.text.includes("# TYPE monero_net_received_bytes counter"))
  fail(`OpenMetrics answer: ${om.type}\n${om.text.slice(-300)}`);
log("OpenMetrics served on request (content type, counter families, # EOF)");

// ---- blocks move the height

const h0 = value((await get("/metrics")).text, "monero_height");
await until("generateblocks", 60000, async () => {
  const r = await rpc(rpcUrl(0), "generateblocks", { amount_of_blocks: 5, wallet_address: WALLET, starting_nonce: 0 });
  return r.status === "OK" ? { ok: r } : r;
});
const h1 = await until("monero_height after 5 blocks", 20000, async () => {
  const v = value((await get("/metrics")).text, "monero_height");
  return v === h0 + 5 ? { ok: v } : v;
});
log(`generateblocks 5: monero_height ${h0} -> ${h1}`);

// ---- a real Prometheus scrapes it

const promPort = await freePort("127.0.0.1");
fs.writeFileSync(path.join(work, "prometheus.yml"),
  `global: {scrape_interval: 1s, scrape_timeout: 1s}\nscrape_configs:\n  - job_name: monero\n    static_configs: [{targets: ["${ip(0)}:${port}"]}]\n`);
const prom = start("prometheus", "prometheus", [`--config.file=${path.join(work, "prometheus.yml")}`,
  `--storage.tsdb.path=${path.join(work, "tsdb")}`, `--web.listen-address=127.0.0.1:${promPort}`]);
const queried = await until("prometheus query monero_height", 60000, async () => {
  const r = await (await fetch(`http://127.0.0.1:${promPort}/api/v1/query?query=monero_height`)).json();
  const v = r.data?.result?.[0]?.value?.[1];
  return Number(v) === h1 ? { ok: r.data.result[0] } : r.data?.result;
}, 500);
log(`prometheus ${queried.metric.job}/${queried.metric.instance}: monero_height = ${queried.value[1]}`);
await stop(prom);

// ---- budgets: resident memory and scrape time

const times = [];
for (let k = 0; k < 200; k++) {
  const t = process.hrtime.bigint();
  await get("/metrics");
  times.push(Number(process.hrtime.bigint() - t) / 1e6);
}
times.sort((a, b) => a - b);
const rss = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${exporter.pid}/status`, "utf8"))[1]);
const hwm = Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${exporter.pid}/status`, "utf8"))[1]);
const p50 = times[100], p99 = times[197];
log(`200 scrapes: p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms; exporter RSS ${rss} kB (peak ${hwm} kB)`);
if (opts.budgets === "on") {
  if (hwm > RSS_BUDGET_KB) fail(`exporter peak RSS ${hwm} kB over the ${RSS_BUDGET_KB} kB budget`);
} else {
  log("budgets not checked (--budgets off: an instrumented build)");
}

// ---- the library, installed, with its example

const root = path.join(work, "root");
const install = spawnSync("make", ["-s", "install", `DESTDIR=${root}`, "PREFIX=/usr"], { encoding: "utf8" });
if (install.status !== 0) fail(`make install: ${install.stderr}`);
const env = { ...process.env, PKG_CONFIG_PATH: path.join(root, "usr/lib/pkgconfig"), PKG_CONFIG_SYSROOT_DIR: root };
const flags = spawnSync("pkg-config", ["--cflags", "--libs", "monero-rpc"], { env, encoding: "utf8" });
if (flags.status !== 0) fail(`pkg-config monero-rpc: ${flags.stderr}`);
const example = path.join(work, "monero-status");
const cc = spawnSync("sh", ["-c", `cc -std=c11 -Wall -Wextra -Werror examples/monero-status.c ${flags.stdout.trim()} -o ${example}`], { encoding: "utf8" });
if (cc.status !== 0) fail(`building the example: ${cc.stderr}`);
const ran = spawnSync(example, [rpcUrl(1)], { env: { ...process.env, LD_LIBRARY_PATH: path.join(root, "usr/lib") }, encoding: "utf8" });
const height1 = (await rpc(rpcUrl(1), "get_info")).height;
if (ran.status !== 0 || !ran.stdout.startsWith(`height=${height1} `)) fail(`example printed "${ran.stdout}${ran.stderr}", get_info height ${height1}`);
const refused = spawnSync(example, ["http://127.0.0.1:1"], { env: { ...process.env, LD_LIBRARY_PATH: path.join(root, "usr/lib") }, encoding: "utf8" });
if (refused.status !== 1 || !refused.stderr.startsWith("monero-status: get_info: ")) fail(`example against nothing: ${refused.status} ${refused.stderr}`);
log(`make install + pkg-config: the example builds and prints "${ran.stdout.trim().split(" ").slice(0, 3).join(" ")} ..."`);

// ---- monerod goes away, the exporter stays

await stop(node0);
const down = await until("monero_up 0", 20000, async () => {
  const r = await get("/metrics");
  return r.status === 200 && metric(r.text, "monero_up") === 0 ? { ok: r.text } : r.status;
});
if (metric(down, "monero_height") !== undefined) fail("height still exported with monerod down");
if (value(down, 'monero_rpc_errors_total{method="get_info"}') < 1) fail("get_info errors not counted");
const notReady = await get("/readyz");
if (notReady.status !== 503 || (await get("/healthz")).status !== 200) fail(`with monerod down: /readyz ${notReady.status}`);
log(`monerod stopped: monero_up 0, /readyz 503 ("${notReady.text.trim()}"), exporter alive`);
const code = await stop(exporter);
if (code !== 0) fail(`exporter exited with ${code} on SIGTERM (sanitizer reports are in its log)`);

// ---- xmrig mode, against an xmrig-shaped API

const summary = {
  version: "6.25.0", algo: "rx/0", uptime: 120, donate_level: 1, paused: false, cpu: { threads: 2 },
  hashrate: { total: [812.5, 798.25, null], highest: 830.1 },
  results: { shares_good: 3, shares_total: 4, hashes_total: 96000 },
  connection: { pool: "pool.example:3333", uptime: 118, ping: 35, accepted: 3, rejected: 1 },
  hugepages: [0, 1168],
};
const api = http.createServer((req, res) => {
  const ok = req.url === "/2/summary" && req.headers.authorization === "Bearer s3cret";
  res.writeHead(ok ? 200 : 401, { "Content-Type": "application/json" });
  res.end(ok ? JSON.stringify(summary) : "{}");
});
await new Promise((r) => api.listen(0, ip(0), r));
const apiPort = api.address().port;
const port2 = await freePort(ip(0));
const miner = start("exporter-xmrig", opts.exporter, [`--xmrig=http://${ip(0)}:${apiPort}`, `--listen=${ip(0)}:${port2}`],
  { XMRIG_HTTP_ACCESS_TOKEN: "s3cret" });
const xm = await until("xmrig metrics", 10000, async () => {
  const r = await fetch(`http://${ip(0)}:${port2}/metrics`);
  return r.status === 200 ? { ok: await r.text() } : r.status;
});
for (const [series, want] of [["xmrig_up", 1], ['xmrig_hashrate_hashes_per_second{window="10s"}', 812.5],
  ["xmrig_shares_good_total", 3], ["xmrig_pool_ping_seconds", 0.035], ["xmrig_hugepages_wanted", 1168]])
  if (value(xm, series) !== want) fail(`${series} = ${metric(xm, series)}, want ${want}:\n${xm}`);
if (metric(xm, 'xmrig_hashrate_hashes_per_second{window="15m"}') !== undefined) fail("a null hashrate window was exported");
const xcheck = spawnSync("promtool", ["check", "metrics"], { input: xm });
if (xcheck.status !== 0 || `${xcheck.stdout}${xcheck.stderr}`.trim()) fail(`promtool (xmrig): ${xcheck.stdout}${xcheck.stderr}`);
const minerCode = await stop(miner);
if (minerCode !== 0) fail(`xmrig-mode exporter exited with ${minerCode} on SIGTERM`);
const wrong = start("exporter-xmrig-wrong-token", opts.exporter, [`--xmrig=http://${ip(0)}:${apiPort}`, `--listen=${ip(0)}:${port2}`],
  { XMRIG_HTTP_ACCESS_TOKEN: "wrong" });
await until("xmrig_up 0 with a wrong token", 10000, async () => {
  const r = await fetch(`http://${ip(0)}:${port2}/metrics`);
  return metric(await r.text(), "xmrig_up") === 0 ? { ok: true } : r.status;
});
const wrongCode = await stop(wrong);
if (wrongCode !== 0) fail(`the wrong-token exporter exited with ${wrongCode} on SIGTERM (sanitizer reports are in its log)`);
api.close();
log("xmrig mode: hashrate, shares, ping, huge pages exported; null windows left out; promtool clean; wrong token -> xmrig_up 0");

await Promise.all(h.children.map(stop));
console.log(`  ok   exporter: readiness, values, promtool, prometheus, ${rss} kB RSS, p99 scrape ${p99.toFixed(2)} ms`);
