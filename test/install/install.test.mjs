// The two ways to install (kustomize and the Helm chart) against each other and against image
// overrides, with the real kubectl and helm:
//   1. `helm lint --strict` passes;
//   2. the chart on its default values renders the same objects as `kubectl kustomize
//      manifests/` (the Namespace aside: Helm's --create-namespace makes it), and with
//      monitoring.enabled the same as manifests/ plus manifests/monitoring;
//   2b. the Secrets only the chart makes (TLS pair and token) are valid: the certificate verifies
//      against its ca.crt for the hook Service's names, the token is 64 characters; with
//      tls.enabled=false the chart renders what overlays/plain-http does, and with
//      tls.certManager.enabled cert-manager's Issuers and Certificate replace the TLS Secret;
//   3. with every image overridden (the kustomize overlay overlays/registry, and the chart's
//      images.* values), every image in the Deployment and every MONERO_OPERATOR_*_IMAGE value
//      carries the override, no default registry is named anywhere, and the hook, run with the
//      Deployment's own environment, puts only overridden images in the pods of a Tor+I2P
//      MoneroNodeSet, a MoneroNetwork and pool and solo miners.
//
//   node test/install/install.test.mjs --kubectl PATH --helm PATH --binary ./monero-operator
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { isDeepStrictEqual } from "node:util";

const require = createRequire(path.resolve("test/schema/package.json"));
const YAML = require("yaml");
const opts = { binary: "./monero-operator" };
for (let i = 2; i < process.argv.length; i += 2) opts[process.argv[i].replace(/^--/, "")] = process.argv[i + 1];
const KUBE_VERSION = "1.34.4"; // what check-cluster runs; the chart requires 1.28+
const CHART = "charts/monero-operator";
const PREFIX = "registry.example.org/monero/";
const fail = (msg) => {
  console.log(`FAIL: ${msg}`);
  process.exit(1);
};
const ok = (msg) => console.log(`  ok   ${msg}`);

function run(cmd, args, env) {
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 256 << 20, env: env ?? process.env });
  if (r.status !== 0) fail(`${path.basename(cmd)} ${args.join(" ")}: ${r.stderr || r.stdout}`);
  return r;
}
const docs = (text) => YAML.parseAllDocuments(text).map((d) => d.toJS()).filter((o) => o && o.kind);
const key = (o) => `${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`;
const kustomize = (dir) => docs(run(opts.kubectl, ["kustomize", dir]).stdout);
const helmTemplate = (...sets) => docs(run(opts.helm, ["template", "monero-operator", CHART, "--namespace", "monero-operator",
  "--include-crds", "--kube-version", KUBE_VERSION, ...sets.flatMap((s) => ["--set", s])]).stdout);

const work = fs.mkdtempSync(path.join(os.tmpdir(), "monero-install-"));

// ---- 1. lint

const lint = run(opts.helm, ["lint", CHART, "--strict", "--kube-version", KUBE_VERSION]);
if (/\[(WARNING|ERROR)\]/.test(lint.stdout)) fail(`helm lint:\n${lint.stdout}`);
ok(`helm lint --strict: ${lint.stdout.trim().split("\n").pop()}`);

// ---- 2. one set of objects

function sameObjects(what, fromHelm, fromKustomize) {
  const h = new Map(fromHelm.map((o) => [key(o), o]));
  const k = new Map(fromKustomize.filter((o) => o.kind !== "Namespace").map((o) => [key(o), o]));
  const missing = [...k.keys()].filter((x) => !h.has(x)), extra = [...h.keys()].filter((x) => !k.has(x));
  if (missing.length || extra.length) fail(`${what}: only in kustomize: ${missing.join(", ") || "-"}; only in Helm: ${extra.join(", ") || "-"}`);
  for (const [name, o] of k)
    if (!isDeepStrictEqual(o, h.get(name)))
      fail(`${what}: ${name} differs:\nkustomize: ${JSON.stringify(o).slice(0, 2000)}\nhelm:      ${JSON.stringify(h.get(name)).slice(0, 2000)}`);
  return k.size;
}
// The chart makes the hook credentials itself; the kustomize install has scripts/hook-credentials
// make them (README). Everything else must be the same objects.
const CREDENTIALS = ["Secret/monero-operator/monero-operator-tls", "Secret/monero-operator/monero-operator-token"];
const withoutCredentials = (objects) => objects.filter((o) => !CREDENTIALS.includes(key(o)));
const base = kustomize("manifests");
const chart = helmTemplate();
let n = sameObjects("default values", withoutCredentials(chart), base);
ok(`helm template (default values) = kubectl kustomize manifests/: ${n} objects identical (the Namespace and the generated hook credentials aside)`);
checkCredentials(chart);
n = sameObjects("tls.enabled=false", helmTemplate("tls.enabled=false"), kustomize("overlays/plain-http"));
ok(`helm template --set tls.enabled=false = kubectl kustomize overlays/plain-http: ${n} objects identical`);
const managed = helmTemplate("tls.certManager.enabled=true");
const kinds = managed.filter((o) => o.apiVersion === "cert-manager.io/v1").map((o) => `${o.kind}/${o.metadata.name}`).sort();
if (kinds.join() !== "Certificate/monero-operator-ca,Certificate/monero-operator-tls,Issuer/monero-operator-ca,Issuer/monero-operator-selfsigned" ||
    managed.some((o) => key(o) === CREDENTIALS[0]) || !managed.some((o) => key(o) === CREDENTIALS[1]))
  fail(`tls.certManager.enabled: ${kinds}`);
ok("helm template --set tls.certManager.enabled=true: cert-manager Issuers and Certificates instead of the TLS Secret, the token Secret kept");
n = sameObjects("monitoring.enabled", withoutCredentials(helmTemplate("monitoring.enabled=true")), [...base, ...kustomize("manifests/monitoring")]);
ok(`helm template --set monitoring.enabled=true = manifests/ + manifests/monitoring: ${n} objects identical`);

// ---- 3. overrides reach every container

const EXAMPLES = ["moneronodeset-tor.yaml", "moneronetwork.yaml", "monerominingnodeset-pool.yaml", "monerominingnodeset-solo.yaml"]
  .map((f) => path.join("manifests/examples", f));

function podImages(obj) {
  const spec = obj.spec?.template?.spec;
  return spec ? [...(spec.initContainers ?? []), ...(spec.containers ?? [])].map((c) => `${obj.metadata.name}/${c.name}=${c.image}`) : [];
}

// The chart's own TLS pair and token: a certificate its CA signs for the hook Service's names,
// and a 64-character token.
function checkCredentials(objects) {
  const tls = objects.find((o) => key(o) === CREDENTIALS[0]), token = objects.find((o) => key(o) === CREDENTIALS[1]);
  if (!tls || !token) fail("the chart made no TLS or token Secret");
  for (const k of ["tls.crt", "tls.key", "ca.crt"]) fs.writeFileSync(path.join(work, k), Buffer.from(tls.data[k], "base64"));
  run("openssl", ["verify", "-CAfile", path.join(work, "ca.crt"), path.join(work, "tls.crt")]);
  const sans = run("openssl", ["x509", "-in", path.join(work, "tls.crt"), "-noout", "-ext", "subjectAltName"]).stdout;
  if (!sans.includes("DNS:monero-operator.monero-operator.svc")) fail(`certificate names: ${sans}`);
  const keyPub = run("openssl", ["pkey", "-in", path.join(work, "tls.key"), "-pubout"]).stdout;
  const certPub = run("openssl", ["x509", "-in", path.join(work, "tls.crt"), "-noout", "-pubkey"]).stdout;
  if (keyPub !== certPub) fail("the chart's tls.key does not belong to its tls.crt");
  if (Buffer.from(token.data.token, "base64").toString().length !== 64) fail("the chart's token is not 64 characters");
  ok("the chart's TLS Secret: a certificate its ca.crt verifies for monero-operator.monero-operator.svc, with its key; a 64-character token");
}

function checkOverridden(what, objects) {
  const text = YAML.stringify(objects);
  if (/ghcr\.io/.test(text)) fail(`${what}: a default image is still named: ${text.match(/.{60}ghcr\.io.{40}/)?.[0]}`);
  const dep = objects.find((o) => o.kind === "Deployment" && o.metadata.name === "monero-operator");
  const container = dep.spec.template.spec.containers[0];
  const env = Object.fromEntries(container.env.map((e) => [e.name, e.value]));
  const imageEnv = Object.entries(env).filter(([k]) => /_IMAGE$/.test(k));
  if (imageEnv.length !== 5) fail(`${what}: ${imageEnv.length} image variables in the Deployment, 5 expected`);
  for (const [k, v] of [["container image", container.image], ...imageEnv])
    if (!v.startsWith(PREFIX)) fail(`${what}: ${k} is ${v}`);
  // The hook with exactly the server's environment (no other variable of the operator's).
  const serverEnv = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("MONERO_OPERATOR_"))), ...env };
  const seen = new Set();
  let containers = 0;
  for (const example of EXAMPLES) {
    for (const line of run(opts.binary, ["render", "-f", example, "-o", "json"], serverEnv).stdout.trim().split("\n")) {
      for (const child of JSON.parse(line).children) {
        for (const entry of podImages(child)) {
          const image = entry.split("=")[1];
          if (!image.startsWith(PREFIX)) fail(`${what}: ${example} gives ${entry}`);
          seen.add(image.slice(PREFIX.length).split(":")[0]);
          containers++;
        }
      }
    }
  }
  const wanted = ["monero-operator", "tor", "i2pd", "xmrig", "simple-monerod"];
  if (!wanted.every((w) => seen.has(w))) fail(`${what}: the examples used only ${[...seen].join(", ")}`);
  return containers;
}

let containers = checkOverridden("kustomize overlays/registry", kustomize("overlays/registry"));
ok(`kustomize overlay overlays/registry: Deployment image and its 5 image variables overridden, no ghcr.io left; ` +
  `rendered with the Deployment's environment, all ${containers} containers of the examples use ${PREFIX}*`);
containers = checkOverridden("helm --set images.*", helmTemplate(`images.registry=${PREFIX.slice(0, -1)}`,
  `images.monerod=${PREFIX}simple-monerod:v0.18.5.1`, "monitoring.enabled=true"));
ok(`helm --set images.registry, images.monerod: the same, all ${containers} containers overridden`);
fs.rmSync(work, { recursive: true, force: true });
