// The shipped monitoring against what the binaries really export (loopback only):
//
//   node test/monitoring/check.mjs --binary ./monero-operator --exporter ./monero-exporter \
//        --bootstrap ./monero-bootstrap --out build/monitoring
//
// 1. The metric names the exporter (monerod and xmrig modes), the hook server and
//    monero-bootstrap's sidecar expose are
//    collected from the running binaries: the exporter reads a stand-in monerod that answers
//    with the recorded answers of test/fixtures/monero-rpc (and an xmrig-shaped API).
// 2. Every metric an alert or a dashboard panel uses must be one of those names, so a rename
//    cannot leave a silent dashboard or an alert that never fires.
// 3. The PrometheusRule's groups pass `promtool check rules` and the unit tests of
//    alerts.test.yaml (`promtool test rules`); every dashboard query, with Grafana's variables
//    filled in, parses as PromQL (as a recording rule, through `promtool check rules`).
// 4. The dashboard is well formed: unique panel ids, a Prometheus data source on every query,
//    panels inside the 24-column grid and not overlapping.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, "..", "..");
const YAML = (await import(path.join(root, "test/schema/node_modules/yaml/dist/index.js"))).default;
const opts = { binary: "./monero-operator", exporter: "./monero-exporter", bootstrap: "./monero-bootstrap", out: "build/monitoring" };
for (let i = 2; i < process.argv.length; i += 2) opts[process.argv[i].replace(/^--/, "")] = process.argv[i + 1];
fs.mkdirSync(opts.out, { recursive: true });
const children = [];
process.on("exit", () => children.forEach((c) => c.exitCode === null && c.kill("SIGKILL")));
const fail = (msg) => {
  console.log(`FAIL: ${msg}`);
  process.exit(1);
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const listen = (server) => new Promise((r) => server.listen(0, "127.0.0.1", () => r(server.address().port)));

// ---- 1. names the binaries expose

const recorded = path.join(root, "test/fixtures/monero-rpc");
const monerod = http.createServer((req, res) => {
  let body = "";
  req.on("data", (d) => (body += d));
  req.on("end", () => {
    const name = req.url === "/json_rpc" ? JSON.parse(body).method : req.url.slice(1);
    const file = path.join(recorded, `${name}.json`);
    res.writeHead(fs.existsSync(file) ? 200 : 404, { "Content-Type": "application/json" });
    res.end(fs.existsSync(file) ? fs.readFileSync(file) : "");
  });
});
const xmrig = http.createServer((req, res) => {
  res.writeHead(200, { "Content-Type": "application/json" });
  res.end(JSON.stringify({ version: "6.25.0", algo: "rx/0", uptime: 9, donate_level: 1, paused: false, cpu: { threads: 2 },
    hashrate: { total: [800, 790, 780], highest: 810 }, results: { shares_good: 1, shares_total: 1, hashes_total: 9000 },
    connection: { pool: "p:3333", uptime: 8, ping: 20, accepted: 1, rejected: 0 }, hugepages: [0, 1168] }));
});
const monerodPort = await listen(monerod), xmrigPort = await listen(xmrig);

// A port the kernel reports free (another process may still take it before the child binds:
// then the child exits and scrape() tries again on another).
const freePort = () =>
  new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

async function scrape(cmd, args, portArg) {
  let last = "";
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const listenArg = typeof portArg === "function" ? portArg(port) : `${portArg}127.0.0.1:${port}`;
    const child = spawn(cmd, [...args, listenArg], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr = (stderr + d).slice(-500)));
    children.push(child);
    for (let i = 0; i < 400 && child.exitCode === null && child.signalCode === null; i++) {
      try {
        const r = await fetch(`http://127.0.0.1:${port}/metrics`);
        if (r.ok) {
          // the second scrape: the first one is then counted among the requests
          const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
          child.kill("SIGTERM");
          return text;
        }
      } catch {}
      await sleep(50);
    }
    child.kill("SIGKILL");
    last = `exit ${child.exitCode ?? child.signalCode ?? "none within 20 s"}: ${stderr.trim()}`;
  }
  fail(`${cmd} ${args.join(" ")} served no /metrics in 3 tries (${last})`);
}

const expositions = {
  monerod: await scrape(opts.exporter, [`--monerod=http://127.0.0.1:${monerodPort}`], "--listen="),
  xmrig: await scrape(opts.exporter, [`--xmrig=http://127.0.0.1:${xmrigPort}`], "--listen="),
  operator: await scrape(opts.binary, ["serve", "--metrics-listen=127.0.0.1:0"], "--listen="),
  bootstrap: await scrape(opts.bootstrap, ["serve", "--lmdb=/nonexistent", "--port=0"], (port) => `--metrics-port=${port}`),
};
monerod.close();
xmrig.close();
const exposed = new Set();
for (const text of Object.values(expositions))
  for (const line of text.split("\n")) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{| )/.exec(line);
    if (m && !line.startsWith("#")) exposed.add(m[1]);
  }
if (!exposed.has("monero_height") || !exposed.has("xmrig_up") || !exposed.has("monero_operator_http_requests_total") ||
    !exposed.has("monero_bootstrap_copies_total"))
  fail(`the binaries' expositions are incomplete: ${[...exposed].join(" ")}`);
console.log(`  ok   ${exposed.size} series names exposed by the exporter (monerod, xmrig), the hook server and monero-bootstrap`);

// ---- 2. names used by alerts and dashboard

const alerts = YAML.parse(fs.readFileSync(path.join(root, "manifests/monitoring/alerts.yaml"), "utf8"));
const dashboard = JSON.parse(fs.readFileSync(path.join(root, "manifests/monitoring/dashboards/monero.json"), "utf8"));
const queries = [];
for (const g of alerts.spec.groups) for (const r of g.rules) queries.push({ where: `alert ${r.alert}`, expr: r.expr });
for (const p of dashboard.panels) for (const t of p.targets ?? []) queries.push({ where: `panel "${p.title}" ${t.refId}`, expr: t.expr });
for (const v of dashboard.templating.list) if (v.type === "query") queries.push({ where: `variable ${v.name}`, expr: v.query.query, variable: true });
const unknown = [];
for (const q of queries)
  for (const name of q.expr.match(/\b(monero|xmrig)_[a-z0-9_]+\b/g) ?? [])
    if (!exposed.has(name)) unknown.push(`${q.where}: ${name}`);
if (unknown.length) fail(`metrics nobody exports:\n  ${unknown.join("\n  ")}`);
console.log(`  ok   every metric in ${queries.length} alert, panel and variable queries is exported`);

// ---- 3. promtool

const rules = path.join(opts.out, "rules.yaml");
fs.writeFileSync(rules, YAML.stringify({ groups: alerts.spec.groups }));
fs.copyFileSync(path.join(here, "alerts.test.yaml"), path.join(opts.out, "alerts.test.yaml"));
const filled = (e) =>
  e.replaceAll("$__rate_interval", "5m").replaceAll("$namespace", ".*").replaceAll("$pod", ".*");
const panelRules = path.join(opts.out, "dashboard-queries.yaml");
fs.writeFileSync(panelRules, YAML.stringify({
  groups: [{ name: "dashboard", rules: queries.filter((q) => q.where.startsWith("panel")).map((q, i) => ({ record: `dashboard:query_${i}`, expr: filled(q.expr) })) }],
}));
for (const [what, args] of [["check rules (alerts)", ["check", "rules", rules]], ["check rules (dashboard queries)", ["check", "rules", panelRules]],
  ["test rules", ["test", "rules", path.join(opts.out, "alerts.test.yaml")]]]) {
  const r = spawnSync("promtool", args, { encoding: "utf8" });
  if (r.status !== 0) fail(`promtool ${what}:\n${r.stdout}${r.stderr}`);
  console.log(`  ok   promtool ${what}: ${(r.stdout.match(/SUCCESS.*/) ?? ["SUCCESS"])[0]}`);
}
for (const q of queries.filter((q) => q.variable))
  if (!/^label_values\((monero|xmrig)_[a-z_]+(\{[^}]*\})?, [a-z_]+\)$/.test(q.expr)) fail(`${q.where}: unexpected query ${q.expr}`);

// ---- 4. dashboard shape

const ids = new Set();
const cells = new Map();
for (const p of dashboard.panels) {
  if (ids.has(p.id)) fail(`panel id ${p.id} used twice`);
  ids.add(p.id);
  const g = p.gridPos;
  if (g.x < 0 || g.x + g.w > 24) fail(`panel "${p.title}" leaves the 24-column grid`);
  for (let x = g.x; x < g.x + g.w; x++)
    for (let y = g.y; y < g.y + g.h; y++) {
      if (cells.has(`${x},${y}`)) fail(`panels "${p.title}" and "${cells.get(`${x},${y}`)}" overlap`);
      cells.set(`${x},${y}`, p.title);
    }
  if (p.type === "row") continue;
  if (p.datasource?.type !== "prometheus" || !p.targets?.length || p.targets.some((t) => t.datasource?.type !== "prometheus"))
    fail(`panel "${p.title}" lacks a Prometheus data source or queries`);
}
console.log(`  ok   dashboard: ${dashboard.panels.length} panels, ids unique, inside the grid, no overlap`);
