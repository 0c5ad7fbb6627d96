// The operator against a real control plane (started by test/cluster/run.sh): kube-apiserver,
// kube-controller-manager (StatefulSet, PV binder, garbage collector, disruption, HPA), the
// scheduler and kwok's fake nodes. The hook server is the real `monero-operator serve`;
// Metacontroller is played by test/cluster/metacontroller-standin.mjs (test code).
//
//   node test/cluster/cluster.test.mjs --api URL --ca FILE --kubectl PATH --hook URL --work DIR
//        [--only install,admission,loop,rollout,volumes,repair,largest,dry-run,bench]
//        [--bench-network-nodes 1000] [--client-qps 5 --client-burst 10] [--bench-rates 5/10,200/400]
//
// --client-qps/--client-burst: Metacontroller's client rate limit, which the stand-in applies
// (Metacontroller's defaults unless given; make check-cluster passes the README's setting).
// --bench-rates: the settings the bench step measures, QPS/BURST each.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { Kube, LAST_APPLIED, MetacontrollerStandIn, TokenBucket, resourcePath, deepEqual } from "./metacontroller-standin.mjs";

const require = createRequire(path.resolve("test/schema/package.json"));
const YAML = require("yaml");

const opts = { "bench-network-nodes": "1000", "client-qps": "5", "client-burst": "10", "bench-rates": "5/10,200/400" };
for (let i = 2; i < process.argv.length; i += 2) opts[process.argv[i].replace(/^--/, "")] = process.argv[i + 1];
const only = opts.only ? new Set(opts.only.split(",")) : null;
const kube = new Kube({ server: opts.api, token: process.env.CLUSTER_TOKEN, ca: fs.readFileSync(opts.ca) });
const started = Date.now();
const results = { passed: 0, failed: 0 };
const figures = {};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (m) => console.log(`  [${((Date.now() - started) / 1000).toFixed(1)}s] ${m}`);

function kubectl(args, input) {
  const r = spawnSync(opts.kubectl, args, { input, encoding: "utf8", maxBuffer: 256 << 20,
    env: { ...process.env, KUBECONFIG: path.join(opts.work, "kubeconfig") } });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

function mustKubectl(args, input) {
  const r = kubectl(args, input);
  if (r.status !== 0) throw new Error(`kubectl ${args.join(" ")}: ${r.err.trim() || r.out.trim()}`);
  return r.out;
}

function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

async function until(what, ms, check, every = 250) {
  const deadline = Date.now() + ms;
  let last;
  while (Date.now() < deadline) {
    last = await check();
    if (last && last.ok) return last.ok;
    await sleep(every);
  }
  throw new Error(`${what} not reached within ${ms / 1000}s (last: ${JSON.stringify(last)?.slice(0, 600)})`);
}

// ---- the operator's controllers

// One rate limit for all controllers, as in one Metacontroller process.
const limiter = new TokenBucket(Number(opts["client-qps"]), Number(opts["client-burst"]));
const controllers = {};
async function standIn(resource) {
  if (!controllers[resource]) {
    const cc = await kube.must("GET", `/apis/metacontroller.k8s.io/v1alpha1/compositecontrollers/${resource.replace(/s$/, "")}`);
    controllers[resource] = await new MetacontrollerStandIn(kube, cc, opts.hook, limiter).init();
  }
  return controllers[resource];
}

const NODES = 12;
const KINDS = { MoneroNodeSet: "moneronodesets", MoneroNetwork: "moneronetworks", MoneroMiningNodeSet: "monerominingnodesets" };
const parentPath = (kind, ns, name) => resourcePath("utxo.com.br/v1alpha1", KINDS[kind], ns, name);

// The smallest volume provisioner: a PersistentVolume pre-bound to every pending claim.
async function provisionVolumes() {
  const claims = await kube.must("GET", "/api/v1/persistentvolumeclaims");
  let made = 0;
  for (const c of claims.items) {
    if (c.spec.volumeName || c.status?.phase === "Bound") continue;
    const pv = { apiVersion: "v1", kind: "PersistentVolume", metadata: { name: `pv-${c.metadata.uid}` },
      spec: { capacity: { storage: c.spec.resources.requests.storage }, accessModes: c.spec.accessModes,
        storageClassName: c.spec.storageClassName ?? "", persistentVolumeReclaimPolicy: "Retain",
        claimRef: { namespace: c.metadata.namespace, name: c.metadata.name, uid: c.metadata.uid },
        hostPath: { path: `/nonexistent/${c.metadata.uid}` } } };
    const r = await kube.request("POST", "/api/v1/persistentvolumes", pv);
    if (r.status < 300) made++;
  }
  return made;
}

// One Metacontroller pass over the given parents: [{kind, ns, name}]. Returns the writes.
async function pass(parents) {
  let writes = 0;
  await provisionVolumes();
  for (const p of parents) {
    const c = await standIn(KINDS[p.kind]);
    writes += await c.sync(p.ns, p.name);
  }
  return writes;
}

async function parentStatus(p) {
  return (await kube.must("GET", parentPath(p.kind, p.ns, p.name))).status ?? {};
}

const ready = (status) => (status.conditions ?? []).find((c) => c.type === "Ready");

// Runs passes until every parent is Ready=True and a pass writes nothing.
async function converge(what, parents, ms = 120000) {
  const t0 = Date.now();
  let passes = 0;
  await until(`${what}: a fixed point with Ready=True`, ms, async () => {
    const writes = await pass(parents);
    passes++;
    const states = [];
    for (const p of parents) states.push(`${p.name}:${ready(await parentStatus(p))?.reason}`);
    const allReady = states.every((s) => s.endsWith(":AllReplicasReady"));
    // the last refusals, so a timeout says why (they stay for the runner to report)
    const refused = Object.values(controllers).flatMap((c) => c.stats.errors).slice(-3);
    return writes === 0 && allReady ? { ok: true } : { writes, states, refused };
  }, 200);
  return { passes, seconds: (Date.now() - t0) / 1000 };
}

// Child writes the API server refused, and syncs or status writes that did nothing (parent gone
// or being deleted, status given up after conflicts), since the last call. Every step fails on
// any left after it (see the runner at the end), so a step that expects some takes them with
// expectOutcomes.
let carried = [];
function childErrors() {
  const all = [...carried, ...Object.values(controllers).flatMap((c) => [...c.stats.errors.splice(0), ...c.stats.skipped.splice(0)])];
  carried = [];
  return all;
}

// Takes the outcomes matching `pattern`, fails when there are none, and leaves the others for the
// runner: an expected refusal is asserted, an unexpected one still fails the step.
function expectOutcomes(pattern, why) {
  const all = childErrors(), taken = all.filter((e) => pattern.test(e));
  carried = all.filter((e) => !pattern.test(e));
  assert(taken.length > 0, `expected ${why}, saw none`);
  return taken;
}

// resourceVersion of every object a parent owns, and the parent's status.
async function snapshot(parents) {
  const snap = {};
  for (const p of parents) {
    const c = await standIn(KINDS[p.kind]);
    const parent = await kube.must("GET", parentPath(p.kind, p.ns, p.name));
    snap[`${p.kind}/${p.name}`] = JSON.stringify(parent.status);
    for (const t of c.types) {
      const list = await kube.must("GET", resourcePath(t.apiVersion, t.resource, p.ns));
      for (const o of list.items)
        if (o.metadata.ownerReferences?.some((r) => r.uid === parent.metadata.uid))
          snap[`${t.kind}/${o.metadata.name}`] = o.metadata.resourceVersion;
    }
  }
  return snap;
}

// ---- steps

// Polls a CRD until Established=True (kubectl wait fails while status.conditions is still unset).
async function established(name) {
  await until(`CRD ${name} Established`, 60000, async () => {
    const crd = await kube.request("GET", `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`);
    const c = crd.json?.status?.conditions?.find((x) => x.type === "Established");
    return c?.status === "True" ? { ok: true } : crd.json?.status ?? crd.status;
  });
}

// The Helm chart into the real API server: install, CRDs Established, upgrade with other values,
// uninstall (CRDs stay, as Helm keeps what it installs from crds/). The kustomize install follows
// on the same cluster.
async function helmChart() {
  const helm = (args) => {
    const r = spawnSync(opts.helm, args, { encoding: "utf8", env: { ...process.env, KUBECONFIG: path.join(opts.work, "kubeconfig") } });
    if (r.status !== 0) throw new Error(`helm ${args.join(" ")}: ${r.stderr.trim() || r.stdout.trim()}`);
    return r.stdout;
  };
  mustKubectl(["apply", "-f", "test/schema/metacontroller-compositecontroller-crd.yaml"]);
  await established("compositecontrollers.metacontroller.k8s.io");
  helm(["install", "monero-operator", "charts/monero-operator", "--namespace", "monero-operator", "--create-namespace"]);
  for (const crd of ["moneronodesets", "moneronetworks", "monerominingnodesets"]) await established(`${crd}.utxo.com.br`);
  const deployment = () => kube.must("GET", "/apis/apps/v1/namespaces/monero-operator/deployments/monero-operator");
  assert((await deployment()).spec.replicas === 2, "helm install: Deployment without 2 replicas");
  const ccs = JSON.parse(mustKubectl(["get", "compositecontrollers", "-o", "json"])).items;
  assert(ccs.length === 3 && ccs.every((c) => c.spec.hooks.sync.webhook.service.namespace === "monero-operator"),
    `helm install: CompositeControllers ${JSON.stringify(ccs.map((c) => c.metadata.name))}`);
  const credentials = async () => Promise.all(["monero-operator-tls", "monero-operator-token"].map(async (name) =>
    (await kube.must("GET", `/api/v1/namespaces/monero-operator/secrets/${name}`)).data));
  const made = await credentials();
  const hook = ccs[0].spec.hooks.sync.webhook;
  assert(made[0]["tls.crt"] && made[0]["ca.crt"] && made[1].token && hook.service.protocol === "https" &&
    hook.caBundle.secretRef.name === "monero-operator-tls" && hook.authorization.secretRef.name === "monero-operator-token",
    `helm install: hook credentials ${JSON.stringify(Object.keys(made[0]))}, webhook ${JSON.stringify(hook)}`);
  helm(["upgrade", "monero-operator", "charts/monero-operator", "--namespace", "monero-operator",
    "--set", "replicaCount=3", "--set", "networkPolicy.metacontrollerNamespace=mc", "--set", "images.registry=registry.example.org/monero"]);
  const upgraded = await deployment();
  assert(upgraded.spec.replicas === 3 && upgraded.spec.template.spec.containers[0].image === "registry.example.org/monero/monero-operator:0.1.0",
    `helm upgrade: Deployment ${upgraded.spec.replicas} replicas, image ${upgraded.spec.template.spec.containers[0].image}`);
  const np = await kube.must("GET", "/apis/networking.k8s.io/v1/namespaces/monero-operator/networkpolicies/monero-operator");
  assert(np.spec.ingress[0].from[0].namespaceSelector.matchLabels["kubernetes.io/metadata.name"] === "mc", "helm upgrade: NetworkPolicy not updated");
  assert(deepEqual(await credentials(), made), "helm upgrade: the hook's TLS pair or token changed");
  const revisions = helm(["history", "monero-operator", "--namespace", "monero-operator", "-o", "json"]);
  helm(["uninstall", "monero-operator", "--namespace", "monero-operator", "--wait"]);
  assert(JSON.parse(mustKubectl(["get", "compositecontrollers", "-o", "json"])).items.length === 0, "helm uninstall left CompositeControllers");
  mustKubectl(["delete", "namespace", "monero-operator", "--wait=true", "--timeout=120s"]);
  return `helm install (CRDs Established, 3 CompositeControllers over https with caBundle and token, Deployment, generated TLS ` +
    `pair and token), upgrade to other values (${JSON.parse(revisions).length} revisions: replicas, image registry and ` +
    `NetworkPolicy changed, TLS pair and token kept), uninstall`;
}

async function install() {
  mustKubectl(["apply", "-f", "test/schema/metacontroller-compositecontroller-crd.yaml"]);
  await established("compositecontrollers.metacontroller.k8s.io");
  const out = mustKubectl(["apply", "-k", "manifests/"]);
  assert(/compositecontroller.*moneronodeset created/.test(out), `install did not create the CompositeControllers:\n${out}`);
  // The README's second command: the Secrets the hook server and Metacontroller share (the files
  // the hook server here was started with, kept in --out).
  const creds = spawnSync("scripts/hook-credentials", ["--out", path.join(opts.work, "hook-credentials")], { encoding: "utf8",
    env: { ...process.env, PATH: `${path.dirname(opts.kubectl)}:${process.env.PATH}`, KUBECONFIG: path.join(opts.work, "kubeconfig") } });
  assert(creds.status === 0, `scripts/hook-credentials: ${creds.stderr}${creds.stdout}`);
  const secrets = JSON.parse(mustKubectl(["-n", "monero-operator", "get", "secrets", "-o", "json"])).items.map((s) => s.metadata.name).sort();
  assert(secrets.includes("monero-operator-tls") && secrets.includes("monero-operator-token"), `hook Secrets: ${secrets}`);
  assert(/networkpolicy.*monero-operator created/.test(out), `install did not create the NetworkPolicy:\n${out}`);
  for (const crd of ["moneronodesets", "moneronetworks", "monerominingnodesets"])
    await established(`${crd}.utxo.com.br`);
  const ccs = JSON.parse(mustKubectl(["get", "compositecontrollers", "-o", "json"])).items.map((c) => c.metadata.name).sort();
  assert(deepEqual(ccs, ["monerominingnodeset", "moneronetwork", "moneronodeset"]), `CompositeControllers: ${ccs}`);
  // Fake kubelets: twelve nodes, so hard anti-affinity can place every example (10 miners).
  for (let i = 0; i < NODES; i++) {
    const node = { apiVersion: "v1", kind: "Node", metadata: { name: `kwok-node-${i}`,
      annotations: { "node.alpha.kubernetes.io/ttl": "0", "kwok.x-k8s.io/node": "fake" },
      labels: { "kubernetes.io/hostname": `kwok-node-${i}`, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
        "topology.kubernetes.io/zone": `zone-${i % 2}`, type: "kwok" } },
      status: { allocatable: { cpu: "1000", memory: "4Ti", pods: "3000", "hugepages-2Mi": "100Gi", "ephemeral-storage": "100Ti" },
        capacity: { cpu: "1000", memory: "4Ti", pods: "3000", "hugepages-2Mi": "100Gi", "ephemeral-storage": "100Ti" } } };
    mustKubectl(["apply", "-f", "-"], JSON.stringify(node));
  }
  await until("kwok nodes Ready", 60000, async () => {
    const nodes = (await kube.must("GET", "/api/v1/nodes")).items;
    return nodes.length === NODES && nodes.every((n) => n.status.conditions?.some((c) => c.type === "Ready" && c.status === "True")) ? { ok: true } : nodes.length;
  });
  return `CRDs Established (CEL accepted), CompositeControllers accepted by Metacontroller's CRD, NetworkPolicy accepted, ` +
    `hook TLS and token Secrets made by scripts/hook-credentials, ${NODES} kwok nodes Ready`;
}

const SCHEMA_REFUSALS = [
  ["negative replicas", "MoneroNodeSet", { replicas: -1 }, "spec.replicas: Invalid value: -1"],
  ["replicas over the maximum", "MoneroNodeSet", { replicas: 100000 }, "spec.replicas: Invalid value: 100000"],
  ["unknown network", "MoneroNodeSet", { network: "moonnet" }, 'spec.network: Unsupported value: "moonnet"'],
  ["disk size that is no quantity", "MoneroNodeSet", { diskSize: "lots" }, "spec.diskSize"],
  ["replicas as a string", "MoneroNodeSet", { replicas: "3" }, "spec.replicas: Invalid value: \"string\""],
  ["unknown field", "MoneroNodeSet", { replica: 3 }, 'unknown field "spec.replica"'],
  ["network over the maximum", "MoneroNetwork", { replicas: 100000 }, "spec.replicas: Invalid value: 100000"],
  ["short wallet address", "MoneroMiningNodeSet", { solo: { moneroNodeSet: "n", walletAddress: "4abc" } }, "spec.solo.walletAddress"],
];

async function admission() {
  for (const [ns, dir] of [["examples", "manifests/examples"], ["seeds", "test/seeds"]]) {
    mustKubectl(["create", "namespace", ns]);
    for (const f of fs.readdirSync(dir).filter((f) => f.endsWith(".yaml")).sort())
      mustKubectl(["apply", "-n", ns, "-f", path.join(dir, f)]);
  }
  const table = mustKubectl(["get", "monero", "-n", "examples"]);
  for (const col of ["REPLICAS", "NODES", "TOPOLOGY", "NETWORK", "READY", "STATUS"]) assert(table.includes(col), `kubectl get monero lacks ${col}:\n${table}`);
  // The CRDs' own rules, enforced by the API server: every case of test/schema/cel-cases.yaml.
  mustKubectl(["create", "namespace", "admission"]);
  const cases = YAML.parseAllDocuments(fs.readFileSync("test/schema/cel-cases.yaml", "utf8")).map((d) => d.toJSON());
  let refused = 0, accepted = 0;
  const wrong = [];
  for (const [i, c] of cases.entries()) {
    const name = `case-${i}`;
    const obj = (spec) => ({ apiVersion: "utxo.com.br/v1alpha1", kind: c.kind, metadata: { name, namespace: "admission" }, ...spec });
    let r;
    if (c.old) {
      const created = await kube.request("POST", parentPath(c.kind, "admission"), obj(c.old));
      assert(created.status === 201, `${c.name}: the old object was refused: ${created.json?.message}`);
      r = await kube.request("PUT", parentPath(c.kind, "admission", name), { ...obj(c.object), metadata: { ...created.json.metadata } });
    } else {
      r = await kube.request("POST", parentPath(c.kind, "admission"), obj(c.object));
    }
    if (c.fails && !(r.status === 422 && r.json.message.includes(c.fails)))
      wrong.push(`${c.name}: ${r.status} ${r.json?.message ?? ""}; want 422 with "${c.fails}"`);
    else if (!c.fails && r.status >= 300) wrong.push(`${c.name}: refused: ${r.json?.message}`);
    else if (c.fails) refused++;
    else accepted++;
    await kube.request("DELETE", parentPath(c.kind, "admission", name));
  }
  // Schema rules beyond CEL, and unknown fields (kubectl's default field validation is Strict).
  for (const [name, kind, spec, fragment] of SCHEMA_REFUSALS) {
    const r = await kube.request("POST", `${parentPath(kind, "admission")}?fieldValidation=Strict`,
      { apiVersion: "utxo.com.br/v1alpha1", kind, metadata: { name: "schema-case", namespace: "admission" }, spec });
    if (r.status === 422 || (r.status === 400 && fragment.startsWith("unknown"))) {
      if (r.json.message.includes(fragment)) refused++;
      else wrong.push(`${name}: refused with "${r.json.message}", want "${fragment}"`);
    } else {
      wrong.push(`${name}: ${r.status}, want a refusal with "${fragment}"`);
      await kube.request("DELETE", parentPath(kind, "admission", "schema-case"));
    }
  }
  assert(wrong.length === 0, `${wrong.length} of ${cases.length + SCHEMA_REFUSALS.length} cases answered wrongly:\n    ${wrong.join("\n    ")}`);
  // The monitoring overlay, against the Prometheus Operator's own CRDs.
  for (const crd of ["podmonitors", "servicemonitors", "prometheusrules"]) {
    mustKubectl(["apply", "--server-side", "-f", path.join(opts["monitoring-crds"], `monitoring.coreos.com_${crd}.yaml`)]);
    await established(`${crd}.monitoring.coreos.com`);
  }
  const monitoring = mustKubectl(["apply", "-k", "manifests/monitoring"]);
  for (const kind of ["podmonitor", "servicemonitor", "prometheusrule", "configmap"])
    assert(new RegExp(`${kind}[^ ]* created`).test(monitoring), `monitoring overlay: no ${kind} created:\n${monitoring}`);
  // kubectl scale through the scale subresource, and an HPA resolving a miner set's scale.
  mustKubectl(["scale", "-n", "seeds", "mns/nodes", "--replicas=4"]);
  const scaled = JSON.parse(mustKubectl(["get", "-n", "seeds", "mns/nodes", "-o", "json"]));
  assert(scaled.spec.replicas === 4, `kubectl scale left replicas at ${scaled.spec.replicas}`);
  mustKubectl(["apply", "-n", "examples", "-f", "-"], JSON.stringify({ apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler",
    metadata: { name: "miners" }, spec: { scaleTargetRef: { apiVersion: "utxo.com.br/v1alpha1", kind: "MoneroMiningNodeSet", name: "miners" },
      minReplicas: 1, maxReplicas: 20, metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 80 } } }] } }));
  await until("the HPA resolves its MoneroMiningNodeSet scale target (AbleToScale=True)", 90000, async () => {
    const hpa = await kube.must("GET", "/apis/autoscaling/v2/namespaces/examples/horizontalpodautoscalers/miners");
    const able = hpa.status?.conditions?.find((c) => c.type === "AbleToScale");
    return able?.status === "True" ? { ok: true } : hpa.status?.conditions;
  }, 1000);
  mustKubectl(["delete", "-n", "examples", "hpa/miners"]);
  return `examples, seeds and the monitoring overlay applied as-is; ${refused} invalid CRs refused by the API server with the CRD's messages, ${accepted} valid ones accepted; kubectl scale and an HPA work`;
}

const EXAMPLES = [
  { kind: "MoneroNodeSet", ns: "examples", name: "nodes" },
  { kind: "MoneroNodeSet", ns: "examples", name: "hidden" },
  { kind: "MoneroNetwork", ns: "examples", name: "regtest" },
  { kind: "MoneroMiningNodeSet", ns: "examples", name: "miners" },
  { kind: "MoneroMiningNodeSet", ns: "examples", name: "regtest-miners" },
  { kind: "MoneroNodeSet", ns: "examples", name: "public" },
];

async function loop() {
  const c = await converge("the examples", EXAMPLES, 180000);
  const before = await snapshot(EXAMPLES);
  let writes = 0;
  for (let i = 0; i < 10; i++) writes += await pass(EXAMPLES);
  const after = await snapshot(EXAMPLES);
  const changed = Object.keys(before).filter((k) => before[k] !== after[k]);
  assert(writes === 0 && changed.length === 0, `10 resyncs after the fixed point: ${writes} writes, changed: ${changed.join(", ")}`);
  for (const p of EXAMPLES) {
    const parent = await kube.must("GET", parentPath(p.kind, p.ns, p.name));
    const s = parent.status, want = parent.spec.replicas;
    assert(s.readyReplicas === want && s.replicas === want && s.observedGeneration === parent.metadata.generation,
      `${p.name}: status ${JSON.stringify(s)} for ${want} replicas`);
  }
  const hidden = (await parentStatus(EXAMPLES[1])).addresses ?? [];
  assert(hidden.length === 2 && hidden.every((a) => /\.onion$/.test(a.onion ?? a.tor ?? "") || JSON.stringify(a).includes(".onion")),
    `hidden: addresses ${JSON.stringify(hidden)}`);
  const pods = (await kube.must("GET", "/api/v1/namespaces/examples/pods")).items;
  const siblings = await bootstrapWiring();
  const publicNode = await publicNodePorts();
  const hooks = Object.values(controllers).flatMap((c) => Object.values(c.hooks).filter(Boolean));
  assert(hooks.length >= 6 && hooks.every((h) => h.url.startsWith("https:") && h.ca && /^Bearer [0-9a-f]{64}$/.test(h.authorization)),
    `hooks not called as the CompositeControllers say: ${JSON.stringify(hooks.map((h) => [h.url, !!h.ca, h.authorization?.slice(0, 7)]))}`);
  figures.loop = { passes: c.passes, seconds: c.seconds, pods: pods.length, objects: Object.keys(after).length };
  return `fixed point in ${c.passes} passes (${c.seconds.toFixed(1)} s); Ready=True with the right counts for all ${EXAMPLES.length}; ` +
    `${pods.length} pods Running and Ready; 10 more resyncs: 0 writes, ${Object.keys(after).length} resourceVersions unchanged; ` +
    `bootstrap.fromSibling: ${siblings}; ${publicNode}; all ${hooks.length} hooks called over https, verified with the ` +
    `caBundle Secret, with the authorization Secret's bearer token`;
}

// The public example's Service as the API server stored it: the fixed node ports allocated, the
// RPC's target the pod's own listening port (= rpcNodePort), and the condition saying so.
async function publicNodePorts() {
  const svc = await kube.must("GET", "/api/v1/namespaces/examples/services/public");
  const rpc = svc.spec.ports.find((p) => p.name === "rpc"), p2p = svc.spec.ports.find((p) => p.name === "p2p");
  assert(rpc.port === 18089 && rpc.nodePort === 30089 && rpc.targetPort === 30089 && p2p.nodePort === 30080,
    `public Service ports ${JSON.stringify(svc.spec.ports)}`);
  const sts = await kube.must("GET", "/apis/apps/v1/namespaces/examples/statefulsets/public");
  const monerod = sts.spec.template.spec.containers.find((c) => c.name === "monerod");
  assert(monerod.args.includes("--rpc-restricted-bind-port=30089") && monerod.ports.some((p) => p.containerPort === 30089),
    `public monerod: ${JSON.stringify(monerod.args)}`);
  const reach = ((await parentStatus(EXAMPLES.find((e) => e.name === "public"))).conditions ?? []).find((c) => c.type === "PublicNodeReachable");
  assert(reach?.status === "True", `public: PublicNodeReachable ${JSON.stringify(reach)}`);
  return "public node: node ports 30080/30089 allocated, RPC target 30089, PublicNodeReachable=True";
}

// The nodes example has bootstrap.fromSibling: its objects as the API server stored them, the
// init step wired as docs/bootstrap.md says, and the endpoints the controller-manager publishes
// for the bootstrap Service (what a new node's DNS lookup returns): the 3 pods, Ready. (kwok's
// pods never turn unready, so leaving out an unready pod is Kubernetes' part, not shown here.)
async function bootstrapWiring() {
  const secret = await kube.must("GET", "/api/v1/namespaces/examples/secrets/nodes-bootstrap");
  assert(/^[0-9a-f]{64}$/.test(Buffer.from(secret.data.token, "base64").toString()), "the bootstrap token is not 64 hex digits");
  const np = await kube.must("GET", "/apis/networking.k8s.io/v1/namespaces/examples/networkpolicies/nodes-bootstrap");
  const [copyRule, rest] = np.spec.ingress;
  assert(copyRule.ports[0].port === 18090 && copyRule.from[0].podSelector.matchLabels["utxo.com.br/moneronodeset"] === "nodes" &&
    rest.ports.some((p) => p.port === 1 && p.endPort === 18089) && !rest.from, `NetworkPolicy ingress: ${JSON.stringify(np.spec.ingress)}`);
  const sts = await kube.must("GET", "/apis/apps/v1/namespaces/examples/statefulsets/nodes");
  const pod = sts.spec.template.spec;
  const init = pod.initContainers?.[0];
  assert(init?.name === "bootstrap" && init.command[0] === "monero-bootstrap" && init.args[0] === "fetch" &&
    init.args.includes("--from=nodes-bootstrap:18090") && init.args.includes("--lmdb=/data/lmdb"), `init step: ${JSON.stringify(init)}`);
  const sidecar = pod.containers.find((c) => c.name === "bootstrap-serve");
  assert(sidecar?.args[0] === "serve" && sidecar.args.includes("--rate-limit-mb=200"), `sidecar: ${JSON.stringify(sidecar?.args)}`);
  assert(pod.shareProcessNamespace === true, "bootstrap pods must share one PID namespace (LMDB reader locks by pid)");
  const token = pod.volumes.find((v) => v.name === "bootstrap-token");
  assert(token?.secret?.secretName === "nodes-bootstrap", `token volume: ${JSON.stringify(token)}`);
  const selector = encodeURIComponent("kubernetes.io/service-name=nodes-bootstrap");
  const readyEndpoints = async () =>
    (await kube.must("GET", `/apis/discovery.k8s.io/v1/namespaces/examples/endpointslices?labelSelector=${selector}`)).items
      .flatMap((s) => s.endpoints ?? []).filter((e) => e.conditions?.ready).length;
  await until("the bootstrap Service lists the 3 Ready nodes", 60000, async () => {
    const n = await readyEndpoints();
    return n === 3 ? { ok: true } : n;
  });
  return "Secret, NetworkPolicy, init step and sidecar as documented; the bootstrap Service lists the 3 Ready pods";
}

async function rollout() {
  const p = EXAMPLES[0];
  mustKubectl(["patch", "-n", p.ns, "mns/nodes", "--type=merge", "-p", JSON.stringify({ spec: { monerod: { image: "ghcr.io/sethforprivacy/simple-monerod:v0.18.4.0" } } })]);
  const seen = new Set();
  let sawNotReady = false;
  await until("the rollout completes and Ready=True", 180000, async () => {
    await pass([p]);
    const r = ready(await parentStatus(p));
    const sts = await kube.must("GET", "/apis/apps/v1/namespaces/examples/statefulsets/nodes");
    const done = sts.status.observedGeneration === sts.metadata.generation && sts.status.updatedReplicas === 3 &&
      sts.status.currentRevision === sts.status.updateRevision && sts.status.readyReplicas === 3;
    seen.add(`${r.reason}: ${r.message}`);
    if (r.status === "True" && !done) throw new Error(`Ready=True while the StatefulSet is mid-rollout: ${JSON.stringify(sts.status)}`);
    if (r.status !== "True") sawNotReady = true;
    return r.status === "True" && done ? { ok: true } : r;
  }, 100);
  assert(sawNotReady, "the image change never showed Ready=False");
  const pods = (await kube.must("GET", "/api/v1/namespaces/examples/pods?labelSelector=" + encodeURIComponent("app.kubernetes.io/instance=nodes"))).items;
  assert(pods.length === 3 && pods.every((x) => x.spec.containers[0].image.endsWith("v0.18.4.0")), "pods not on the new image");
  return `image change rolled 3 pods; conditions seen: ${[...seen].join(" | ")}`;
}

async function pvcUIDs(instance) {
  const list = await kube.must("GET", "/api/v1/namespaces/examples/persistentvolumeclaims");
  return Object.fromEntries(list.items.filter((c) => c.metadata.name.includes(`-${instance}-`)).map((c) => [c.metadata.name, c.metadata.uid]));
}

async function volumes() {
  const p = EXAMPLES[0];
  const before = await pvcUIDs("nodes");
  assert(Object.keys(before).length === 3, `volumes of nodes: ${JSON.stringify(before)}`);
  mustKubectl(["scale", "-n", p.ns, "mns/nodes", "--replicas=1"]);
  await converge("scale down to 1", [p]);
  const pods = (await kube.must("GET", "/api/v1/namespaces/examples/pods")).items.filter((x) => x.metadata.name.startsWith("nodes-"));
  assert(pods.length === 1, `after scale down: ${pods.length} pods`);
  const down = await pvcUIDs("nodes");
  assert(deepEqual(down, before), `scale down lost volumes: ${JSON.stringify(down)}`);
  mustKubectl(["scale", "-n", p.ns, "mns/nodes", "--replicas=3"]);
  await converge("scale up to 3", [p]);
  const up = await pvcUIDs("nodes");
  assert(deepEqual(up, before), `scale up did not reuse the volumes: ${JSON.stringify(up)}`);
  return "scale 3 -> 1 kept all 3 volumes (Retain); 1 -> 3 reused them (same UIDs)";
}

async function repair() {
  const p = EXAMPLES[2];
  mustKubectl(["delete", "-n", p.ns, "service/regtest-0", "configmap/regtest-peers-0"]);
  const c = await standIn("moneronetworks");
  const creates = c.stats.creates;
  await converge("repair after deleting children by hand", [p]);
  assert(c.stats.creates - creates === 2, `repaired with ${c.stats.creates - creates} creates`);
  // Deleting the parent: the garbage collector removes the children and keeps the volumes.
  const claims = Object.keys(await pvcUIDs("regtest"));
  mustKubectl(["delete", "-n", p.ns, "mnet/regtest", "--wait=true"]);
  await until("the garbage collector removes the network's children", 60000, async () => {
    const sts = await kube.request("GET", "/apis/apps/v1/namespaces/examples/statefulsets/regtest");
    const svc = await kube.request("GET", "/api/v1/namespaces/examples/services/regtest");
    return sts.status === 404 && svc.status === 404 ? { ok: true } : [sts.status, svc.status];
  });
  const left = Object.keys(await pvcUIDs("regtest"));
  assert(claims.length === 8 && deepEqual(left.sort(), claims.sort()), `volumes after deleting the parent: ${left.length} of ${claims.length}`);
  return "deleted Service and ConfigMap re-created on the next sync; parent deleted: children collected, 8 volumes kept";
}

// kubectl drain while nodes are unready (syncing): the PodDisruptionBudget must not block it.
async function drain() {
  const pdbPath = "/apis/policy/v1/namespaces/examples/poddisruptionbudgets/hidden";
  for (const pod of ["hidden-0", "hidden-1"]) {
    const path = `/api/v1/namespaces/examples/pods/${pod}/status`;
    const got = await kube.must("GET", path);
    const conditions = got.status.conditions.map((c) => (c.type === "Ready" || c.type === "ContainersReady" ? { ...c, status: "False", reason: "Syncing" } : c));
    await kube.must("PATCH", path, { status: { conditions } }, "application/strategic-merge-patch+json");
  }
  await until("the budget sees no healthy pod", 30000, async () => {
    const pdb = await kube.must("GET", pdbPath);
    return pdb.status?.currentHealthy === 0 && pdb.status?.disruptionsAllowed === 0 ? { ok: true } : pdb.status;
  });
  const r = await kube.request("POST", "/api/v1/namespaces/examples/pods/hidden-0/eviction",
    { apiVersion: "policy/v1", kind: "Eviction", metadata: { name: "hidden-0", namespace: "examples" } });
  assert(r.status === 201, `evicting an unready pod was refused (${r.status}): ${r.json?.message}`);
  // Put back what this step changed (kwok does not revisit a status patched by hand): later
  // steps need the set Ready again.
  const fix = await kube.must("GET", "/api/v1/namespaces/examples/pods/hidden-1");
  const conditions = fix.status.conditions.map((c) => (c.type === "Ready" || c.type === "ContainersReady" ? { ...c, status: "True", reason: undefined } : c));
  await kube.must("PATCH", "/api/v1/namespaces/examples/pods/hidden-1/status", { status: { conditions } }, "application/strategic-merge-patch+json");
  await converge("the set Ready again after the drain", [EXAMPLES[1]]);
  return "with both nodes of a set unready (disruptionsAllowed 0), the eviction API evicted one (unhealthyPodEvictionPolicy AlwaysAllow)";
}

// A set deleted with --cascade=orphan and re-created: its old children are left without an
// owner, carrying the old parent's controller-uid, so Metacontroller cannot adopt them and its
// creates of the same names are refused. The new parent must say so and what to do; doing it
// (deleting the orphaned workload objects, never the identities Secrets or the volumes) must
// bring it to Ready with the same onion and I2P addresses.
async function orphan() {
  const p = EXAMPLES[1];
  const before = (await parentStatus(p)).addresses;
  assert(before?.length === 2 && before.every((a) => a.onion && a.i2p), `addresses before: ${JSON.stringify(before)}`);
  mustKubectl(["delete", "-n", p.ns, "mns/hidden", "--cascade=orphan", "--wait=true"]);
  mustKubectl(["apply", "-n", p.ns, "-f", "manifests/examples/moneronodeset-tor.yaml"]);
  const c = await standIn("moneronodesets");
  for (let i = 0; i < 3; i++) await c.sync(p.ns, p.name);
  const refused = expectOutcomes(/: already exists/, "creates of the orphaned names to be refused");
  const stuck = ready(await parentStatus(p));
  log(`after re-creation: ${refused.length} creates refused; Ready=${stuck?.status}/${stuck?.reason}: ${stuck?.message}`);
  assert(stuck?.status === "False" && stuck.reason === "Orphaned" && stuck.message.includes("--cascade=orphan"),
    `the re-created set does not say why it cannot proceed: ${JSON.stringify(stuck)}`);
  // Run the command the message gives, in the parent's namespace.
  const command = stuck.message.slice(stuck.message.indexOf("kubectl ") + 8).split(" ");
  const deleted = mustKubectl(["-n", p.ns, ...command]);
  log(`kubectl ${command.join(" ")}: ${deleted.trim().split("\n").length} objects deleted`);
  const conv = await converge("the re-created set after the orphans are deleted", [p]);
  const after = (await parentStatus(p)).addresses;
  assert(deepEqual(after, before), `addresses changed: ${JSON.stringify(before)} -> ${JSON.stringify(after)}`);
  return `re-created after --cascade=orphan: Ready=False/Orphaned ("${stuck.message.slice(0, 90)}…"); after deleting the ` +
    `orphaned workload objects, Ready=True in ${conv.passes} passes with the same ${after.length} onion and I2P addresses`;
}

// A parent being deleted while another controller's finalizer holds it: Metacontroller still
// calls sync and writes status. The hook's answer must keep every observed child as it is and
// ask for nothing new; nothing changes until the finalizer goes, then the garbage collector
// removes the children.
async function deleting() {
  mustKubectl(["create", "namespace", "deleting"]);
  mustKubectl(["apply", "-n", "deleting", "-f", "manifests/examples/moneronodeset.yaml"]);
  const p = { kind: "MoneroNodeSet", ns: "deleting", name: "nodes" };
  await converge("a set to delete", [p]);
  mustKubectl(["patch", "-n", p.ns, "mns/nodes", "--type=merge", "-p", JSON.stringify({ metadata: { finalizers: ["example.org/hold"] } })]);
  mustKubectl(["delete", "-n", p.ns, "mns/nodes", "--wait=false"]);
  mustKubectl(["patch", "-n", p.ns, "mns/nodes", "--type=merge", "-p", JSON.stringify({ spec: { replicas: 5 } })]);
  const before = await snapshot([p]);
  const c = await standIn("moneronodesets");
  for (let i = 0; i < 3; i++) await c.sync(p.ns, p.name);
  expectOutcomes(/: the parent is being deleted/, "syncs of a parent being deleted");
  const { observed, desired } = c.lastAnswer;
  const names = (list) => list.map((o) => `${o.kind}/${o.metadata.name}`).sort();
  const observedNames = names(Object.values(observed).flatMap((g) => Object.values(g)));
  assert(deepEqual(names(desired), observedNames), `the answer for a parent being deleted: ${names(desired)} (observed ${observedNames})`);
  const sts = desired.find((o) => o.kind === "StatefulSet");
  assert(sts.spec.replicas === 3, `the answer scales a parent being deleted to ${sts.spec.replicas}`);
  const r = ready(await parentStatus(p));
  assert(r?.reason === "Deleting", `status of a parent being deleted: ${JSON.stringify(r)}`);
  const after = await snapshot([p]);
  const changed = Object.keys(before).filter((k) => k !== "MoneroNodeSet/nodes" && before[k] !== after[k]);
  assert(changed.length === 0, `children changed while the parent was being deleted: ${changed.join(", ")}`);
  mustKubectl(["patch", "-n", p.ns, "mns/nodes", "--type=merge", "-p", JSON.stringify({ metadata: { finalizers: null } })]);
  await until("the garbage collector removes the children", 60000, async () => {
    const sts = await kube.request("GET", "/apis/apps/v1/namespaces/deleting/statefulsets/nodes");
    return sts.status === 404 ? { ok: true } : sts.status;
  });
  await c.sync(p.ns, p.name);
  expectOutcomes(/: the parent is gone/, "a sync of the deleted parent to find it gone");
  return `held by a finalizer, spec raised to 5: 3 syncs answered the ${observedNames.length} observed children unchanged ` +
    `(StatefulSet still 3 replicas), Ready=False/Deleting ("${r.message}"), no child changed; after the finalizer, collected`;
}

// Metacontroller with --apply-strategy=server-side-apply writes no last-applied annotation,
// which the operator needs to tell whether a changed spec is applied. It is not supported, and
// every resource says so (ApplyStrategySupported=False); the children are still created.
async function serverSideApply() {
  mustKubectl(["create", "namespace", "ssa"]);
  mustKubectl(["apply", "-n", "ssa", "-f", "manifests/examples/moneronodeset.yaml"]);
  const cc = await kube.must("GET", "/apis/metacontroller.k8s.io/v1alpha1/compositecontrollers/moneronodeset");
  const c = await new MetacontrollerStandIn(kube, cc, opts.hook, limiter, "server-side-apply").init();
  await c.sync("ssa", "nodes");
  await c.sync("ssa", "nodes");
  assert(c.stats.errors.length === 0 && c.stats.creates > 0, `server-side apply: ${c.stats.creates} creates, errors ${c.stats.errors.join("; ")}`);
  const sts = await kube.must("GET", "/apis/apps/v1/namespaces/ssa/statefulsets/nodes");
  assert(!sts.metadata.annotations?.[LAST_APPLIED], "server-side apply wrote a last-applied annotation");
  const cond = ((await kube.must("GET", parentPath("MoneroNodeSet", "ssa", "nodes"))).status.conditions ?? [])
    .find((x) => x.type === "ApplyStrategySupported");
  assert(cond?.status === "False" && cond.message.includes("--apply-strategy=server-side-apply"), `condition: ${JSON.stringify(cond)}`);
  mustKubectl(["delete", "namespace", "ssa", "--wait=false"]);
  return `children applied server-side (${c.stats.creates} created, no last-applied annotation); ` +
    `ApplyStrategySupported=False/${cond.reason}`;
}

// Metacontroller's caches can be a sync behind. With every cached child and related object stale
// at random (half the time), a Tor+I2P set scaled up from 2 to 3 must still converge without
// ever replacing a stored key, dropping an address from status or flapping Ready once True.
async function lag() {
  mustKubectl(["create", "namespace", "lag"]);
  mustKubectl(["apply", "-n", "lag", "-f", "manifests/examples/moneronodeset-tor.yaml"]);
  const p = { kind: "MoneroNodeSet", ns: "lag", name: "hidden" };
  await converge("a Tor+I2P set to lag", [p]);
  const cc = await kube.must("GET", "/apis/metacontroller.k8s.io/v1alpha1/compositecontrollers/moneronodeset");
  const c = await new MetacontrollerStandIn(kube, cc, opts.hook, limiter).init();
  c.lag = 0.5;
  mustKubectl(["scale", "-n", "lag", "mns/hidden", "--replicas=3"]);
  const keys = {}, addresses = {}, problems = [];
  let readySince = -1, flaps = 0, passes = 0;
  for (; passes < 40; passes++) {
    await provisionVolumes();
    await c.sync(p.ns, p.name);
    const secrets = (await kube.must("GET", "/api/v1/namespaces/lag/secrets")).items.filter((x) => x.metadata.name.startsWith("hidden-identities"));
    for (const sec of secrets)
      for (const [k, v] of Object.entries(sec.data ?? {})) {
        if (keys[k] !== undefined && keys[k] !== v) problems.push(`pass ${passes}: key ${k} replaced`);
        keys[k] = v;
      }
    // Each address (a pod's onion or I2P), once shown, must stay shown and the same.
    const status = await parentStatus(p);
    const shown = {};
    for (const a of status.addresses ?? [])
      for (const net of ["onion", "i2p"]) if (a[net]) shown[`${a.pod} ${net}`] = a[net];
    for (const [id, value] of Object.entries(addresses)) {
      if (shown[id] === undefined) problems.push(`pass ${passes}: ${id} dropped from status`);
      else if (shown[id] !== value) problems.push(`pass ${passes}: ${id} changed`);
    }
    Object.assign(addresses, shown);
    const r = ready(status);
    if (r?.status === "True" && readySince < 0) readySince = passes;
    if (r?.status !== "True" && readySince >= 0) flaps++, problems.push(`pass ${passes}: Ready ${r?.reason} after True`);
    if (readySince >= 0 && passes - readySince >= 10) break;
  }
  // Creates of children the stale cache hid are refused as existing (Metacontroller swallows it).
  carried = childErrors().filter((e) => !/: already exists/.test(e));
  assert(readySince >= 0, `never Ready in ${passes} passes with lagging caches: ${JSON.stringify(ready(await parentStatus(p)))}`);
  assert(problems.length === 0, problems.slice(0, 5).join("; "));
  const n = Object.keys(addresses).length;
  mustKubectl(["delete", "namespace", "lag", "--wait=false"]);
  return `${c.stats.staleReads} stale reads over ${passes + 1} syncs (${c.stats.conflicts} update conflicts retried): scaled 2 -> 3, ` +
    `Ready=True from sync ${readySince + 1} and never after False; ${Object.keys(keys).length} stored keys never replaced; ${n} addresses never dropped or changed`;
}

// Two kinds of one name in one namespace want the same StatefulSet: the second says so.
async function conflict() {
  mustKubectl(["create", "namespace", "conflict"]);
  mustKubectl(["apply", "-n", "conflict", "-f", "manifests/examples/moneronetwork.yaml"]);
  const net = { kind: "MoneroNetwork", ns: "conflict", name: "regtest" };
  await pass([net]);
  mustKubectl(["apply", "-n", "conflict", "-f", "-"], JSON.stringify({ apiVersion: "utxo.com.br/v1alpha1", kind: "MoneroMiningNodeSet",
    metadata: { name: "regtest" }, spec: { replicas: 1, pools: [{ url: "pool.example.org:3333" }] } }));
  const miners = { kind: "MoneroMiningNodeSet", ns: "conflict", name: "regtest" };
  await pass([miners]);
  expectOutcomes(/^create StatefulSet regtest: already exists/, "the miners' StatefulSet create to meet the network's");
  const r = ready(await parentStatus(miners));
  assert(r?.reason === "NameConflict" && r.message.includes("MoneroNetwork regtest"), `miners: ${JSON.stringify(r)}`);
  return `a MoneroMiningNodeSet named like a MoneroNetwork: Ready=False/NameConflict ("${r.message}")`;
}

// Syncs until a sync creates nothing: the hook server asks for at most --max-new-children new
// children per sync (100), as Metacontroller syncs again on each child it sees appear. Returns
// the Ready messages seen on the way (what kubectl shows meanwhile).
async function createAll(c, p, maxSyncs = 80) {
  const seen = [];
  for (let i = 0; i < maxSyncs; i++) {
    const creates = c.stats.creates;
    await c.sync(p.ns, p.name);
    seen.push(ready(await parentStatus(p))?.message);
    if (c.stats.creates === creates) return seen;
  }
  throw new Error(`${p.kind} ${p.name}: children still being created after ${maxSyncs} syncs`);
}

// The largest objects the CRDs allow must be accepted by the API server.
async function largest() {
  const crdMax = (crd, field) => {
    const schema = JSON.parse(mustKubectl(["get", "crd", crd, "-o", "json"])).spec.versions[0].schema.openAPIV3Schema;
    return schema.properties.spec.properties[field].maximum;
  };
  const maxReplicas = crdMax("moneronodesets.utxo.com.br", "replicas");
  const maxNodes = crdMax("moneronetworks.utxo.com.br", "replicas");
  mustKubectl(["create", "namespace", "largest"]);
  // No pods here: thousands of them would only load the control plane; the objects are the test.
  mustKubectl(["apply", "-n", "largest", "-f", "-"], JSON.stringify({ apiVersion: "v1", kind: "ResourceQuota",
    metadata: { name: "no-pods" }, spec: { hard: { pods: "0" } } }));
  const cases = [
    { kind: "MoneroNodeSet", name: "hidden-max", spec: { replicas: maxReplicas, tor: { enabled: true }, i2p: { enabled: true } } },
    { kind: "MoneroNetwork", name: "network-max", spec: { replicas: maxNodes, topology: { type: "random", degree: 8 } } },
  ];
  const out = [], refusals = [];
  for (const cs of cases) {
    mustKubectl(["apply", "-n", "largest", "-f", "-"], JSON.stringify({ apiVersion: "utxo.com.br/v1alpha1", kind: cs.kind, metadata: { name: cs.name }, spec: cs.spec }));
    const p = { kind: cs.kind, ns: "largest", name: cs.name };
    const c = await standIn(KINDS[cs.kind]);
    // The second sync updates the StatefulSet once: the hook then copies the server-defaulted
    // volumeClaimTemplates it observes (immutable; Metacontroller issue #566). That update can
    // meet a conflict (the StatefulSet controller writes the object too, busy with 1000 replicas
    // it may not create) and is then retried on the next sync, as Metacontroller does. Once a
    // sync neither updates nor conflicts, another one must change nothing.
    await createAll(c, p);
    let settled = false;
    for (let i = 0; i < 5 && !settled; i++) {
      const before = c.stats.updates + c.stats.conflicts;
      await c.sync(p.ns, p.name);
      settled = c.stats.updates + c.stats.conflicts === before;
    }
    const before = { ...c.stats };
    const writes = await c.sync(p.ns, p.name);
    const changed = ["creates", "updates", "deletes", "statusWrites", "adoptions", "conflicts"]
      .filter((k) => c.stats[k] !== before[k]).map((k) => `${c.stats[k] - before[k]} ${k}`);
    const third = settled ? writes + changed.length : -1;
    const errors = childErrors();
    if (errors.length) {
      refusals.push(`${cs.kind} at ${cs.spec.replicas}: the API server refused children: ${errors.join("; ").slice(0, 600)}`);
      mustKubectl(["delete", "-n", "largest", `${cs.kind.toLowerCase()}/${cs.name}`, "--wait=false"]);
      continue;
    }
    const snap = await snapshot([p]);
    const sizes = [];
    for (const t of c.types) {
      const list = await kube.must("GET", resourcePath(t.apiVersion, t.resource, "largest"));
      for (const o of list.items) sizes.push([`${t.kind}/${o.metadata.name}`, JSON.stringify(o).length]);
    }
    sizes.sort((a, b) => b[1] - a[1]);
    if (third !== 0) refusals.push(`${cs.kind} at ${cs.spec.replicas}: ` +
      (third < 0 ? "six syncs never settled" : `a sync after it settled wrote: ${changed.join(", ")}`));
    const hookMs = Math.round(c.stats.hookMs.sync), limitMs = c.hooks.sync.timeoutMs;
    if (hookMs > limitMs / 4) refusals.push(`${cs.kind} at ${cs.spec.replicas}: a sync hook call took ${hookMs} ms, over a quarter of its ${limitMs} ms timeout`);
    out.push(`${cs.kind} ${cs.spec.replicas}: ${Object.keys(snap).length - 1} children, largest ${sizes[0][0]} ${sizes[0][1]} bytes, ` +
      `slowest sync hook call ${hookMs} ms of its ${limitMs / 1000} s timeout` +
      (c.stats.conflicts ? ` (${c.stats.conflicts} update conflict retried)` : ""));
    mustKubectl(["delete", "-n", "largest", `${cs.kind.toLowerCase()}/${cs.name}`, "--wait=false"]);
  }
  out.push(await escapedArgsAtTheLimit());
  assert(refusals.length === 0, refusals.join("\n    "));
  return out.join("; ");
}

// User strings full of what Go escapes as six bytes ('&'), at exactly the largest size the hook
// accepts (found by rendering): the API server must accept the StatefulSet with the annotation
// Metacontroller writes, which shows the hook never counts short; one '&' more and the hook
// refuses the spec itself (InvalidSpec) instead of leaving a create the API server refuses.
async function escapedArgsAtTheLimit() {
  const spec = (amps) => {
    const args = [];
    for (let left = amps, i = 0; left > 0; i++) {
      const n = Math.min(left, 4000);
      args.push(`--add-priority-node=n${i}.example.org:18080#${"&".repeat(n)}`);
      left -= n;
    }
    return { replicas: 1, monerod: { args } };
  };
  // (with its namespace: render leaves metadata.namespace out when the CR has none)
  const cr = (amps) => ({ apiVersion: "utxo.com.br/v1alpha1", kind: "MoneroNodeSet", metadata: { name: "escaped-max", namespace: "largest" }, spec: spec(amps) });
  // render refuses an invalid spec with exit 1 and the one-line reason on stderr
  const refused = (amps) => {
    const r = spawnSync("./monero-operator", ["render", "-f", "-", "-o", "json"], { input: JSON.stringify(cr(amps)), encoding: "utf8", maxBuffer: 64 << 20 });
    if (r.status === 0) return false;
    if (/would carry \d+ bytes of annotations/.test(r.stderr)) return true;
    throw new Error(`render at ${amps} '&': exit ${r.status ?? r.signal}: ${r.stderr.slice(0, 300)}`);
  };
  let lo = 0, hi = 256 * 4000;
  assert(!refused(lo) && refused(hi), "the hook's size limit cannot be bracketed");
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (refused(mid)) hi = mid;
    else lo = mid;
  }
  mustKubectl(["apply", "-n", "largest", "-f", "-"], JSON.stringify(cr(lo)));
  const p = { kind: "MoneroNodeSet", ns: "largest", name: "escaped-max" };
  const c = await standIn("moneronodesets");
  await c.sync(p.ns, p.name);
  await c.sync(p.ns, p.name);
  const errors = childErrors();
  assert(errors.length === 0, `at ${lo} '&' (the most the hook accepts) the API server refused: ${errors.join("; ").slice(0, 400)}`);
  const sts = await kube.must("GET", "/apis/apps/v1/namespaces/largest/statefulsets/escaped-max");
  const stored = Object.entries(sts.metadata.annotations ?? {}).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
  assert(stored <= 262144 && stored > 262144 - 256, `stored annotations ${stored} bytes: the hook's count is off`);
  mustKubectl(["apply", "-n", "largest", "-f", "-"], JSON.stringify(cr(lo + 1)));
  await c.sync(p.ns, p.name);
  const r = ready(await parentStatus(p));
  assert(r?.reason === "InvalidSpec" && r.message.includes("escapes <, > and &"), `one '&' more: ${JSON.stringify(r)}`);
  assert(childErrors().length === 0, "the refused spec still led to a refused write");
  mustKubectl(["delete", "-n", "largest", "mns/escaped-max", "--wait=false"]);
  return `args with ${lo} '&' (${(lo * 6 / 1024).toFixed(0)} KiB as Go writes them): StatefulSet accepted with ${stored} ` +
    `bytes of annotations (limit 262144); one '&' more: InvalidSpec from the hook`;
}

// Every object of every render output, as the API server would take it.
async function dryRun() {
  const dir = "build/render/yaml";
  const files = fs.readdirSync(dir).sort();
  mustKubectl(["create", "namespace", "dry-run"]);
  mustKubectl(["apply", "-f", "-"], JSON.stringify({ apiVersion: "v1", kind: "Namespace", metadata: { name: "examples" } }));
  let objects = 0;
  for (const f of files) {
    // Fixed node ports are cluster-wide: the public example's Service already holds them in the
    // namespace examples (the loop step), so its render is checked there, against itself.
    const fixedPorts = /nodePort: \d+/.test(fs.readFileSync(path.join(dir, f), "utf8"));
    const out = mustKubectl(["apply", "--dry-run=server", "-n", fixedPorts ? "examples" : "dry-run", "-f", path.join(dir, f)]);
    objects += out.split("\n").filter((l) => l.includes("(server dry run)")).length;
  }
  return `${objects} objects from ${files.length} render outputs accepted by kubectl apply --dry-run=server`;
}

// Benchmark: applying an N-node MoneroNetwork until every child exists, once per client rate
// limit in --bench-rates (Metacontroller's defaults first), each with its own stand-in and bucket.
async function bench() {
  const n = Number(opts["bench-network-nodes"]);
  const cc = await kube.must("GET", "/apis/metacontroller.k8s.io/v1alpha1/compositecontrollers/moneronetwork");
  const runs = [];
  for (const [i, rate] of opts["bench-rates"].split(",").entries()) {
    const [qps, burst] = rate.split("/").map(Number);
    const ns = `bench-${i}`;
    mustKubectl(["create", "namespace", ns]);
    const c = await new MetacontrollerStandIn(kube, cc, opts.hook, new TokenBucket(qps, burst)).init();
    const t0 = Date.now();
    mustKubectl(["apply", "-n", ns, "-f", "-"], JSON.stringify({ apiVersion: "utxo.com.br/v1alpha1", kind: "MoneroNetwork",
      metadata: { name: "bench" }, spec: { replicas: n, topology: { type: "random", degree: 3 } } }));
    const progress = await createAll(c, { kind: "MoneroNetwork", ns, name: "bench" });
    const seconds = (Date.now() - t0) / 1000;
    const shown = progress.filter((m) => m?.startsWith("creating children: "));
    assert(n <= 100 || shown.length >= 2, `no progress shown while ${n} nodes were created: ${progress.join(" | ")}`);
    if (i === 0) log(`progress while creating: ${shown.slice(0, 3).join(" | ")} ...`);
    assert(c.stats.errors.length === 0 && c.stats.skipped.length === 0, [...c.stats.errors, ...c.stats.skipped].join("; "));
    runs.push({ qps, burst, nodes: n, children: c.stats.creates, seconds, syncs: progress.length });
    mustKubectl(["delete", "-n", ns, "mnet/bench", "--wait=false"]);
  }
  figures.bench = runs;
  return runs.map((r) => `${r.nodes}-node MoneroNetwork at --client-go-qps=${r.qps} --client-go-burst=${r.burst}: ` +
    `${r.children} children created ${r.seconds.toFixed(1)} s after kubectl apply, in ${r.syncs} syncs`).join("; ");
}

const STEPS = [["helm", helmChart], ["install", install], ["admission", admission], ["loop", loop], ["rollout", rollout],
  ["volumes", volumes], ["repair", repair], ["drain", drain], ["orphan", orphan], ["deleting", deleting], ["server-side-apply", serverSideApply], ["lag", lag], ["conflict", conflict], ["dry-run", dryRun], ["bench", bench], ["largest", largest]];
const REQUIRES = { loop: ["install", "admission"], rollout: ["install", "admission", "loop"], volumes: ["install", "admission", "loop"],
  repair: ["install", "admission", "loop"], drain: ["install", "admission", "loop"], orphan: ["install", "admission", "loop"], deleting: ["install"], "server-side-apply": ["install"], lag: ["install"], conflict: ["install"], largest: ["install"], "dry-run": ["install"], bench: ["install"], admission: ["install"] };

const wanted = only ? new Set([...only].flatMap((s) => [s, ...(REQUIRES[s] ?? [])])) : null;
for (const [name, fn] of STEPS) {
  if (wanted && !wanted.has(name)) continue;
  try {
    const t0 = Date.now();
    const what = await fn();
    const left = childErrors();
    if (left.length) throw new Error(`${left.length} unexpected outcomes: ${left.slice(0, 5).join("; ")}`);
    results.passed++;
    console.log(`  ok   ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s): ${what}`);
  } catch (e) {
    results.failed++;
    console.log(`  FAIL ${name}: ${e.message}`);
    childErrors(); // reported with this step, not the next
    if (REQUIRES.loop.includes(name)) break;
  }
}
const requests = kube.requests;
console.log(`  cluster: ${requests} API requests, ${((Date.now() - started) / 1000).toFixed(1)} s` +
  (figures.bench ? `; bench ${JSON.stringify(figures.bench)}` : ""));
console.log(`cluster: ${results.passed} passed, ${results.failed} failed`);
process.exit(results.failed ? 1 : 0);
