// The hook server over TLS with a bearer token, against the real server (certificates made here
// with openssl):
//   - the handshake succeeds with the CA that signed the certificate, at TLS 1.2 or 1.3 with an
//     AEAD cipher; TLS 1.1 is refused; a client trusting another CA refuses the server, and so
//     does a client given an expired certificate by the server;
//   - plain HTTP on the TLS port gets no HTTP answer;
//   - /hooks/ without the token, or with a wrong one, gets 401 with a one-line reason (counted in
//     /metrics); with the token, the fixture's response; /healthz needs no token;
//   - a renewed certificate (the files replaced as a Secret volume does) is served to new
//     connections within seconds, while a keep-alive connection opened before keeps answering;
//     a half-updated pair (new certificate, old key) is refused and the previous pair stays;
//   - a rotated token takes effect without a restart, both accepted while the Secret holds both.
//
//   node test/http/tls.mjs --binary ./monero-operator
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import tls from "node:tls";
import { isDeepStrictEqual } from "node:util";

const opts = { binary: "./monero-operator" };
for (let i = 2; i < process.argv.length; i += 2) opts[process.argv[i].replace(/^--/, "")] = process.argv[i + 1];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const work = fs.mkdtempSync(path.join(os.tmpdir(), "monero-tls-"));
const file = (n) => path.join(work, n);
let server;
const fail = (m) => {
  console.log(`FAIL: ${m}`);
  server?.kill("SIGKILL");
  fs.rmSync(work, { recursive: true, force: true });
  process.exit(1);
};
const ok = (m) => console.log(`  ok   ${m}`);

function openssl(args) {
  const r = spawnSync("openssl", args, { encoding: "utf8" });
  if (r.status !== 0) fail(`openssl ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}
function ca(name) {
  openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", file(`${name}.key`),
    "-out", file(`${name}.crt`), "-days", "2", "-subj", `/CN=${name}`]);
}
// A server certificate for 127.0.0.1 signed by `signer`; negative `days` make it expired.
function serverCert(name, signer, { days = 1 } = {}) {
  openssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", file(`${name}.key`),
    "-out", file(`${name}.csr`), "-subj", "/CN=monero-operator"]);
  fs.writeFileSync(file("ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
  openssl(["x509", "-req", "-in", file(`${name}.csr`), "-CA", file(`${signer}.crt`), "-CAkey", file(`${signer}.key`),
    "-CAcreateserial", "-out", file(`${name}.crt`), "-extfile", file("ext"), "-days", String(days)]);
}
// Replaces a file the way a Secret volume update does: a new file renamed over the old name.
function replace(target, from) {
  fs.copyFileSync(from, `${target}.new`);
  fs.renameSync(`${target}.new`, target);
}

ca("ca");
ca("other-ca");
serverCert("one", "ca");
serverCert("two", "ca");
serverCert("expired", "ca", { days: -1 });
for (const n of ["one.crt", "one.key"]) fs.copyFileSync(file(n), file(`served.${n.split(".")[1]}`));
// The token as a mounted Secret: a directory with a file per key.
fs.mkdirSync(file("token"));
fs.writeFileSync(file("token/token"), "first-token\n");

const portFile = file("port"), metricsPortFile = file("mport");
server = spawn(opts.binary, ["serve", "--listen", "127.0.0.1:0", "--port-file", portFile, "--metrics-listen", "127.0.0.1:0",
  "--metrics-port-file", metricsPortFile, "--no-request-log", "--tls-cert", file("served.crt"), "--tls-key", file("served.key"),
  "--token-file", file("token")], { stdio: ["ignore", "ignore", "pipe"] });
let stderr = "";
server.stderr.on("data", (d) => (stderr += d));
for (let i = 0; i < 100 && !(fs.existsSync(metricsPortFile) && fs.readFileSync(metricsPortFile, "utf8").trim()); i++) await sleep(50);
const port = Number(fs.readFileSync(portFile, "utf8")), metricsPort = Number(fs.readFileSync(metricsPortFile, "utf8"));

// A TLS handshake: the negotiated protocol and cipher, the served certificate's serial, or the error.
function handshake(extra = {}) {
  return new Promise((resolve) => {
    const s = tls.connect({ host: "127.0.0.1", port, ca: fs.readFileSync(file("ca.crt")), servername: "localhost", ...extra }, () => {
      resolve({ protocol: s.getProtocol(), cipher: s.getCipher().name, serial: s.getPeerCertificate().serialNumber });
      s.end();
    });
    s.on("error", (e) => resolve({ error: e.code || e.message }));
  });
}
const serial = (name) => openssl(["x509", "-in", file(name), "-noout", "-serial"]).trim().split("=")[1].toUpperCase();

const h = await handshake();
if (!/^TLSv1\.[23]$/.test(h.protocol) || !/GCM|CHACHA20/.test(h.cipher) || h.serial !== serial("one.crt"))
  fail(`handshake: ${JSON.stringify(h)}`);
const v12 = await handshake({ maxVersion: "TLSv1.2" });
if (v12.protocol !== "TLSv1.2" || !/GCM|CHACHA20/.test(v12.cipher)) fail(`TLS 1.2 handshake: ${JSON.stringify(v12)}`);
const old = await handshake({ maxVersion: "TLSv1.1", minVersion: "TLSv1" });
if (!old.error) fail(`TLS 1.1 was accepted: ${JSON.stringify(old)}`);
const stranger = await handshake({ ca: fs.readFileSync(file("other-ca.crt")) });
if (stranger.error !== "UNABLE_TO_VERIFY_LEAF_SIGNATURE" && stranger.error !== "SELF_SIGNED_CERT_IN_CHAIN")
  fail(`a client trusting another CA: ${JSON.stringify(stranger)}`);
ok(`handshake ${h.protocol} ${h.cipher}, and ${v12.protocol} ${v12.cipher}; TLS 1.1 refused (${old.error}); a client trusting another CA refuses the server (${stranger.error})`);

const plain = await new Promise((resolve) => {
  const s = net.connect(port, "127.0.0.1", () => s.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
  let data = "";
  s.setTimeout(5000, () => s.destroy());
  s.on("data", (d) => (data += d));
  s.on("close", () => resolve(data));
  s.on("error", () => resolve(data));
});
if (plain.startsWith("HTTP/")) fail(`plain HTTP on the TLS port was answered: ${plain.slice(0, 80)}`);
ok("plain HTTP on the TLS port gets no HTTP answer");

const agent = new https.Agent({ keepAlive: true, maxSockets: 1, ca: fs.readFileSync(file("ca.crt")) });
const body = fs.readFileSync("test/fixtures/moneronodeset/steady-state/request.json");
function call(pathName, headers = {}, a = agent) {
  return new Promise((resolve) => {
    const req = https.request({ host: "127.0.0.1", port, servername: "localhost", method: pathName === "/healthz" ? "GET" : "POST",
      path: pathName, agent: a, headers: { "Content-Type": "application/json", ...headers } }, (res) => {
      let data = "";
      const served = res.socket.getPeerCertificate().serialNumber;
      res.on("data", (d) => (data += d));
      res.on("end", () => resolve({ status: res.statusCode, body: data, auth: res.headers["www-authenticate"], serial: served }));
    });
    req.on("error", (e) => resolve({ status: 0, error: e.code || e.message }));
    req.end(pathName === "/healthz" ? undefined : body);
  });
}
const hook = "/hooks/moneronodeset/sync";
const none = await call(hook), wrong = await call(hook, { Authorization: "Bearer first-tokeN" });
for (const [what, r] of [["no token", none], ["a wrong token", wrong]])
  if (r.status !== 401 || r.auth !== "Bearer" || r.body.trim().includes("\n") || !r.body.trim()) fail(`${what}: ${JSON.stringify(r)}`);
const right = await call(hook, { Authorization: "Bearer first-token" });
const expected = JSON.parse(fs.readFileSync("test/fixtures/moneronodeset/steady-state/response.json", "utf8"));
if (right.status !== 200 || !isDeepStrictEqual(JSON.parse(right.body), expected)) fail(`with the token: ${right.status} ${right.body.slice(0, 200)}`);
const health = await call("/healthz");
if (health.status !== 200) fail(`/healthz: ${JSON.stringify(health)}`);
const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
if (!/monero_operator_http_requests_total\{hook="",code="401"\} 2\n/.test(metrics)) fail(`401s not counted:\n${metrics.split("\n").filter((l) => l.includes("401")).join("\n")}`);
ok(`no token and a wrong token: 401 "${none.body.trim()}" (both counted); with the token: the fixture's response; /healthz open`);

// Renewal: a half-updated pair first (new certificate, old key): refused, the old pair stays.
const before = await call(hook, { Authorization: "Bearer first-token" });
replace(file("served.crt"), file("two.crt"));
await sleep(1500);
const half = await handshake();
if (half.serial !== serial("one.crt")) fail(`with a certificate and a key that do not match, the server served ${JSON.stringify(half)}`);
replace(file("served.key"), file("two.key"));
let renewed;
for (let i = 0; i < 40 && (renewed = await handshake()).serial !== serial("two.crt"); i++) await sleep(250);
if (renewed.serial !== serial("two.crt")) fail(`the renewed certificate was not served: ${JSON.stringify(renewed)}`);
const pooled = await call(hook, { Authorization: "Bearer first-token" });
if (pooled.status !== 200 || pooled.serial !== serial("one.crt") || before.serial !== serial("one.crt"))
  fail(`the keep-alive connection opened before the renewal: ${JSON.stringify({ status: pooled.status, serial: pooled.serial })}`);
if (!/keeping the current TLS certificate/.test(stderr)) fail("the refused half-update was not logged");
ok("renewal: a mismatched pair refused (logged, old pair kept); the new pair served to new connections; a pooled connection kept answering");

replace(file("served.crt"), file("expired.crt"));
replace(file("served.key"), file("expired.key"));
let expired;
for (let i = 0; i < 40 && !(expired = await handshake()).error; i++) await sleep(250);
if (expired.error !== "CERT_HAS_EXPIRED") fail(`an expired certificate: ${JSON.stringify(expired)}`);
replace(file("served.crt"), file("two.crt"));
replace(file("served.key"), file("two.key"));
ok("a client refuses the server once it serves an expired certificate");

// Token rotation as docs/security.md describes it, on the Secret's keys: add the new token under
// a second key, switch Metacontroller's key to it keeping the old one aside, then drop the old;
// no request with either token is refused until the last step.
const fresh = new https.Agent({ keepAlive: false, ca: fs.readFileSync(file("ca.crt")) });
const status = async (token) => (await call(hook, { Authorization: `Bearer ${token}` }, fresh)).status;
async function secretKeys(keys) {
  for (const f of fs.readdirSync(file("token"))) if (!(f in keys)) fs.rmSync(file(`token/${f}`));
  for (const [k, v] of Object.entries(keys)) fs.writeFileSync(file(`token/${k}`), `${v}\n`);
  await sleep(1200);
}
const steps = [];
for (const keys of [{ token: "first-token", next: "second-token" }, { token: "second-token", previous: "first-token" }, { token: "second-token" }]) {
  await secretKeys(keys);
  steps.push(`${await status("first-token")}/${await status("second-token")}`);
}
if (steps.join() !== "200/200,200/200,401/200") fail(`token rotation (old/new at each step): ${steps}`);
// A key's file changed in place (the directory's own entries unchanged) is read again too.
fs.writeFileSync(file("token/token"), "third-token\n");
await sleep(1200);
if (`${await status("second-token")}/${await status("third-token")}` !== "401/200") fail("a key changed in place was not read again");
ok(`token rotation through the Secret's keys without a restart: old/new answered ${steps.join(", ")}`);

agent.destroy();
server.kill("SIGTERM");
const code = await new Promise((r) => server.on("exit", (c, s) => r(c ?? s)));
fs.rmSync(work, { recursive: true, force: true });
if (code !== 0) fail(`serve exited with ${code}`);
process.exit(0);
