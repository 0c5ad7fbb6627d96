// Benchmark input (not a test): steady-state sync requests shaped the way Metacontroller sends
// them, for each resource at several sizes, written as files for the benchmarks.
//
//   node test/bench/requests.mjs --hook-run build/test/hook-run --out DIR [--sizes 3,100,1000]
//
// For each resource and size: the hook's first answer (through build/test/hook-run) gives the
// desired children; each becomes an observed child as Metacontroller and the API server leave
// it: the controller-uid label and namespace Metacontroller adds, its last-applied annotation
// (Go's encoding/json of the desired object: keys sorted, compact), an owner reference, the
// server's metadata (uid, resourceVersion, generation, creationTimestamp, a managedFields
// entry), the defaults the API server fills in for the fields the hooks leave out, and a status
// with every replica ready. The parent carries the status the hook answered and kubectl's own
// last-applied annotation. Files are named <hook>[-variant]-<size>.json.
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const require = createRequire(path.resolve("test/schema/package.json"));
const YAML = require("yaml");
const opts = { "hook-run": "build/test/hook-run", out: "build/bench-requests", sizes: "3,100,1000" };
for (let i = 2; i < process.argv.length; i += 2) opts[process.argv[i].replace(/^--/, "")] = process.argv[i + 1];
const LAST_APPLIED = "metacontroller.k8s.io/last-applied-configuration";
const NOW = "2026-01-01T00:00:00Z";

// encoding/json of a map: keys sorted, compact, and <, >, & escaped as Go does.
const goJSON = (v) => {
  if (Array.isArray(v)) return `[${v.map(goJSON).join(",")}]`;
  if (v && typeof v === "object")
    return `{${Object.keys(v).sort().map((k) => `${goString(k)}:${goJSON(v[k])}`).join(",")}}`;
  return typeof v === "string" ? goString(v) : JSON.stringify(v);
};
const goString = (s) => JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
let serial = 0;
const uid = () => crypto.createHash("sha256").update(String(serial++)).digest("hex").replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*/, "$1-$2-$3-$4-$5");

function hookRun(hook, request, extra = []) {
  const r = spawnSync(opts["hook-run"], [hook, ...extra], { input: JSON.stringify(request), maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`hook-run ${hook}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

// What the API server fills in when an object leaves it out (the fields the hooks leave out).
function serverDefaults(obj) {
  const podDefaults = (spec) => {
    spec.dnsPolicy ??= "ClusterFirst";
    spec.restartPolicy ??= "Always";
    spec.schedulerName ??= "default-scheduler";
    spec.securityContext ??= {};
    spec.terminationGracePeriodSeconds ??= 30;
    for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
      c.imagePullPolicy ??= c.image?.endsWith(":latest") ? "Always" : "IfNotPresent";
      c.terminationMessagePath ??= "/dev/termination-log";
      c.terminationMessagePolicy ??= "File";
      c.resources ??= {};
      for (const p of c.ports ?? []) p.protocol ??= "TCP";
    }
  };
  if (obj.kind === "StatefulSet") {
    obj.spec.podManagementPolicy ??= "OrderedReady";
    obj.spec.revisionHistoryLimit ??= 10;
    obj.spec.updateStrategy ??= { type: "RollingUpdate", rollingUpdate: { partition: 0 } };
    podDefaults(obj.spec.template.spec);
    obj.spec.template.metadata.creationTimestamp = null;
    for (const t of obj.spec.volumeClaimTemplates ?? []) {
      t.apiVersion ??= "v1";
      t.kind ??= "PersistentVolumeClaim";
      t.spec.volumeMode ??= "Filesystem";
      t.status = { phase: "Pending" };
    }
    const n = obj.spec.replicas;
    obj.status = { availableReplicas: n, collisionCount: 0, currentReplicas: n, currentRevision: `${obj.metadata.name}-7d9f8b6c5`,
      observedGeneration: 1, readyReplicas: n, replicas: n, updateRevision: `${obj.metadata.name}-7d9f8b6c5`, updatedReplicas: n };
  } else if (obj.kind === "Service") {
    const headless = obj.spec.clusterIP === "None";
    obj.spec.clusterIP ??= `10.96.${serial % 250}.${(serial * 7) % 250}`;
    obj.spec.clusterIPs ??= [obj.spec.clusterIP];
    obj.spec.ipFamilies ??= ["IPv4"];
    obj.spec.ipFamilyPolicy ??= "SingleStack";
    obj.spec.internalTrafficPolicy ??= "Cluster";
    obj.spec.sessionAffinity ??= "None";
    obj.spec.type ??= "ClusterIP";
    for (const p of obj.spec.ports ?? []) {
      p.protocol ??= "TCP";
      p.targetPort ??= p.port;
    }
    obj.status = { loadBalancer: {} };
    if (headless) obj.spec.clusterIPs = ["None"];
  } else if (obj.kind === "PodDisruptionBudget") {
    obj.status = { currentHealthy: 3, desiredHealthy: 2, disruptionsAllowed: 1, expectedPods: 3, observedGeneration: 1 };
  } else if (obj.kind === "Secret") {
    obj.type ??= "Opaque";
  } else if (obj.kind === "NetworkPolicy") {
    obj.spec.policyTypes ??= ["Ingress"];
  }
}

function observedChild(parent, desired) {
  const d = structuredClone(desired);
  d.metadata.labels = { ...(d.metadata.labels ?? {}), "controller-uid": parent.metadata.uid };
  d.metadata.namespace ??= parent.metadata.namespace;
  const o = structuredClone(d);
  o.metadata.annotations = { ...(o.metadata.annotations ?? {}), [LAST_APPLIED]: goJSON(d) };
  o.metadata.ownerReferences = [{ apiVersion: parent.apiVersion, kind: parent.kind, name: parent.metadata.name,
    uid: parent.metadata.uid, controller: true, blockOwnerDeletion: true }];
  Object.assign(o.metadata, { uid: uid(), resourceVersion: String(1000 + serial), creationTimestamp: NOW,
    managedFields: [{ apiVersion: o.apiVersion, fieldsType: "FieldsV1", manager: "metacontroller", operation: "Update", time: NOW,
      fieldsV1: { "f:metadata": { "f:annotations": { ".": {}, [`f:${LAST_APPLIED}`]: {} }, "f:labels": { ".": {} } } } }] });
  if (o.kind === "StatefulSet" || o.kind === "PodDisruptionBudget") o.metadata.generation = 1;
  serverDefaults(o);
  return o;
}

// name -> the hook and the parent; a plain MoneroNodeSet is one StatefulSet at any size, the
// Tor+I2P one carries every replica's identities.
const PARENTS = {
  moneronodeset: (n) => ({ kind: "MoneroNodeSet", name: "nodes", spec: { replicas: n, monerod: { args: ["--public-node"] } } }),
  "moneronodeset-tor": (n) => ({ kind: "MoneroNodeSet", name: "hidden", spec: { replicas: n, tor: { enabled: true }, i2p: { enabled: true } } }),
  moneronetwork: (n) => ({ kind: "MoneroNetwork", name: "net", spec: { replicas: n, topology: { type: "random", degree: 3 },
    template: { spec: { network: "regtest", monerod: { args: ["--fixed-difficulty=1"] } } } } }),
  monerominingnodeset: (n) => ({ kind: "MoneroMiningNodeSet", name: "miners", spec: { replicas: n,
    pools: [{ url: "pool.example.org:3333", user: "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A" }] } }),
};

const hookOf = (name) => name.replace(/-.*/, "");

function build(name, n) {
  const hook = hookOf(name);
  const p = PARENTS[name](n);
  const spec = p.spec;
  const parent = { apiVersion: "utxo.com.br/v1alpha1", kind: p.kind,
    metadata: { name: p.name, namespace: "monero", uid: uid(), generation: 1, resourceVersion: "900", creationTimestamp: NOW,
      annotations: { "kubectl.kubernetes.io/last-applied-configuration": `${JSON.stringify({ apiVersion: "utxo.com.br/v1alpha1", kind: p.kind, metadata: { name: p.name, namespace: "monero" }, spec })}\n` },
      managedFields: [{ apiVersion: "utxo.com.br/v1alpha1", fieldsType: "FieldsV1", manager: "kubectl-client-side-apply", operation: "Update", time: NOW,
        fieldsV1: { "f:spec": { ".": {}, "f:replicas": {} } } }] },
    spec };
  const controller = YAML.parse(fs.readFileSync(`metacontroller/${hook}.yaml`, "utf8"));
  controller.status = {};
  const types = JSON.parse(spawnSync(opts["hook-run"], [hook, "child-types"]).stdout);
  const empty = Object.fromEntries(types.map((t) => [t.key, {}]));
  const first = hookRun(hook, { controller, parent, children: empty, related: {}, finalizing: false });
  const children = structuredClone(empty);
  for (const c of first.children) {
    const key = c.apiVersion.includes("/") ? `${c.kind}.${c.apiVersion}` : `${c.kind}.${c.apiVersion}`;
    children[key][c.metadata.name] = observedChild(parent, c);
  }
  parent.status = { ...first.status, observedGeneration: 1 };
  return { controller, parent, children, related: {}, finalizing: false };
}

fs.mkdirSync(opts.out, { recursive: true });
for (const name of Object.keys(PARENTS)) {
  for (const n of opts.sizes.split(",").map(Number)) {
    const request = build(name, n);
    const file = path.join(opts.out, `${name}-${n}.json`);
    fs.writeFileSync(file, JSON.stringify(request));
    const again = hookRun(hookOf(name), request);
    const count = Object.values(request.children).reduce((a, g) => a + Object.keys(g).length, 0);
    console.log(`${file}: ${fs.statSync(file).size} bytes, ${count} observed children, the hook answers ${again.children.length}`);
  }
}
