// TEST CODE ONLY: a stand-in for Metacontroller in the cluster tests.
//
// It does what Metacontroller v4.17 does for the operator's CompositeControllers
// (metacontroller/*.yaml: generateSelector, InPlace children, dynamic apply, v1 hooks, a
// customize hook) and nothing else: claim and adopt children, call customize and fetch the
// related objects, call the sync hook, create, 3-way merge and update, and delete children, and
// write the status through the status subresource. The behaviour follows Metacontroller's
// source (pkg/controller/composite, pkg/controller/common/manage_children.go,
// pkg/dynamic/apply) as summarised in the project's hook reference.
//
// It is never shipped, and it is not a way to run the operator: clusters run Metacontroller.
import https from "node:https";
import http from "node:http";

export const LAST_APPLIED = "metacontroller.k8s.io/last-applied-configuration";
const LIST_MAP_KEYS = ["containerPort", "port", "mountPath", "name", "uid", "ip", "path"];
const SYSTEM_METADATA = ["selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
  "deletionTimestamp", "deletionGracePeriodSeconds", "managedFields"];

// ---- a minimal API client (HTTPS, bearer token)

export class Kube {
  constructor({ server, token, ca }) {
    this.url = new URL(server);
    this.token = token;
    this.agent = new https.Agent({ ca, keepAlive: true, maxSockets: 16 });
    this.requests = 0;
  }

  request(method, path, body, contentType = "application/json") {
    this.requests++;
    const data = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = https.request({
        host: this.url.hostname, port: this.url.port, path, method, agent: this.agent,
        headers: { Authorization: `Bearer ${this.token}`, Accept: "application/json",
          ...(data !== undefined ? { "Content-Type": contentType, "Content-Length": Buffer.byteLength(data) } : {}) },
      }, (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json = null;
          try { json = text ? JSON.parse(text) : null; } catch { json = null; }
          resolve({ status: res.statusCode, json, text });
        });
      });
      req.setTimeout(60000, () => req.destroy(new Error(`${method} ${path}: timed out`)));
      req.on("error", reject);
      if (data !== undefined) req.write(data);
      req.end();
    });
  }

  async must(method, path, body, contentType) {
    const r = await this.request(method, path, body, contentType);
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${r.json?.message ?? r.text.slice(0, 300)}`);
    return r.json;
  }
}

// "/api/v1" or "/apis/<group>/<version>"
export function groupPath(apiVersion) {
  return apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

export function resourcePath(apiVersion, resource, namespace, name) {
  let p = groupPath(apiVersion);
  if (namespace) p += `/namespaces/${namespace}`;
  p += `/${resource}`;
  if (name) p += `/${name}`;
  return p;
}

// ---- Metacontroller's client rate limit

// client-go's token bucket (flowcontrol.NewTokenBucketRateLimiter): Metacontroller's API client
// takes a token before every request it sends, --client-go-qps per second with bursts of
// --client-go-burst (defaults 5 and 10). One bucket serves every controller of the process.
// The reads the stand-in makes in place of Metacontroller's informer caches (the parent, the
// children, related objects) take none; creates, updates, deletes, adoptions, and the uncached
// GET and the PUT of a status write take one each.
export class TokenBucket {
  constructor(qps = 5, burst = 10) {
    this.qps = qps;
    this.burst = burst;
    this.tokens = burst;
    this.last = performance.now();
    this.taken = 0;
    this.waitedMs = 0;
  }

  async take() {
    this.taken++;
    if (!(this.qps > 0)) return;
    for (;;) {
      const now = performance.now();
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      const wait = ((1 - this.tokens) / this.qps) * 1000;
      this.waitedMs += wait;
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

// The hook server's container port in the shipped Deployment (its --listen default).
const HOOK_CONTAINER_PORT = 8443; // manifests/deployment.yaml

// A Go time.Duration string ("30s", "1m30s", "500ms") in milliseconds.
export function goDurationMs(text) {
  const units = { h: 3600e3, m: 60e3, s: 1e3, ms: 1, us: 1e-3, µs: 1e-3, ns: 1e-6 };
  let ms = 0, rest = text;
  while (rest) {
    const m = /^(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/.exec(rest);
    if (!m) throw new Error(`not a Go duration: ${JSON.stringify(text)}`);
    ms += Number(m[1]) * units[m[2]];
    rest = rest.slice(m[0].length);
  }
  return ms;
}

// ---- JSON helpers with Go's semantics

// encoding/json of a map: keys sorted, compact, and strings escaped as json.Marshal does: '<',
// '>', '&', U+2028 and U+2029 as \u escapes (six bytes each), controls as JSON.stringify does.
const goString = (s) => JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
export function goJSON(v) {
  if (Array.isArray(v)) return `[${v.map(goJSON).join(",")}]`;
  if (v && typeof v === "object")
    return `{${Object.keys(v).sort().map((k) => `${goString(k)}:${goJSON(v[k])}`).join(",")}}`;
  return typeof v === "string" ? goString(v) : JSON.stringify(v);
}

export function deepEqual(a, b) {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  const ka = Object.keys(a), kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
}

const clone = (v) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));

// Numbers written with a fraction or exponent: Go decodes them to float64, which never equals
// the int64 the API server returns, so Metacontroller would update such a child forever.
export function realNumbersIn(text) {
  const found = [];
  for (const m of text.matchAll(/"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g))
    if (m[0][0] !== '"' && /[.eE]/.test(m[0])) found.push(m[0]);
  return found;
}

// The text of the top-level "children" array of a hook answer.
function childrenText(text) {
  const start = text.indexOf('"children":[');
  if (start < 0) return "";
  let depth = 0;
  for (let i = start + 11; i < text.length; i++) {
    const c = text[i];
    if (c === '"') { for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++; }
    else if (c === "[" || c === "{") depth++;
    else if ((c === "]" || c === "}") && --depth === 0) return text.slice(start + 11, i + 1);
  }
  return text.slice(start);
}

// ---- dynamic apply: pkg/dynamic/apply (3-way merge in the style of kubectl apply)

function detectListMapKey(...lists) {
  let common = null;
  for (const list of lists) {
    for (const item of list ?? []) {
      if (!item || typeof item !== "object" || Array.isArray(item)) return "";
      if (common === null) { common = new Set(Object.keys(item)); continue; }
      for (const k of [...common]) if (!(k in item)) common.delete(k);
    }
  }
  if (!common) return "";
  return LIST_MAP_KEYS.find((k) => common.has(k)) ?? "";
}

const mergeKey = (v) => (typeof v === "string" ? v : JSON.stringify(v));

function makeListMap(key, list) {
  const m = {};
  for (const item of list ?? []) m[mergeKey(item[key])] = item;
  return m;
}

function mergeListMap(key, dest, lastApplied, desired) {
  const destMap = makeListMap(key, dest);
  mergeObject(destMap, makeListMap(key, lastApplied), makeListMap(key, desired));
  const out = [];
  for (const item of dest) {
    const k = mergeKey(item[key]);
    if (k in destMap) { out.push(destMap[k]); delete destMap[k]; }
  }
  for (const item of desired ?? []) {
    const k = mergeKey(item[key]);
    if (k in destMap) { out.push(destMap[k]); delete destMap[k]; }
  }
  return out;
}

function merge(dest, lastApplied, desired) {
  if (dest && typeof dest === "object" && !Array.isArray(dest)) {
    if (desired !== null && desired !== undefined && (typeof desired !== "object" || Array.isArray(desired)))
      return desired;
    return mergeObject(dest, lastApplied ?? {}, desired ?? {});
  }
  if (Array.isArray(dest) && Array.isArray(desired)) {
    const key = detectListMapKey(dest, Array.isArray(lastApplied) ? lastApplied : [], desired);
    return key ? mergeListMap(key, dest, Array.isArray(lastApplied) ? lastApplied : [], desired) : desired;
  }
  return desired;
}

function mergeObject(dest, lastApplied, desired) {
  for (const k of Object.keys(lastApplied ?? {})) if (!(k in desired)) delete dest[k];
  for (const [k, v] of Object.entries(desired)) dest[k] = merge(dest[k], lastApplied?.[k], v);
  return dest;
}

export function threeWayMerge(observed, lastApplied, desired) {
  return mergeObject(clone(observed), lastApplied ?? {}, desired);
}

function setLastApplied(obj, lastApplied) {
  obj.metadata ??= {};
  obj.metadata.annotations = { ...(obj.metadata.annotations ?? {}), [LAST_APPLIED]: goJSON(lastApplied) };
}

function getLastApplied(obj) {
  const text = obj.metadata?.annotations?.[LAST_APPLIED];
  return text ? JSON.parse(text) : null;
}

// Paths where two JSON values differ (for logs).
export function differences(a, b, at = "") {
  if (deepEqual(a, b)) return [];
  if (!a || !b || typeof a !== "object" || typeof b !== "object")
    return [`${at || "."}: ${JSON.stringify(a)?.slice(0, 120)} -> ${JSON.stringify(b)?.slice(0, 120)}`];
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].flatMap((k) => differences(a[k], b[k], `${at}.${k}`));
}

// ---- the controller

export class MetacontrollerStandIn {
  // controller: the CompositeController object; hookBase: "https://127.0.0.1:<port>"; limiter:
  // the process's TokenBucket (Metacontroller's defaults when none is given)
  // applyStrategy: "dynamic-apply" (Metacontroller's default: 3-way merge, last-applied
  // annotation) or "server-side-apply" (PATCH application/apply-patch+yaml, fieldManager
  // metacontroller, force; no annotation).
  constructor(kube, controller, hookBase, limiter = new TokenBucket(), applyStrategy = "dynamic-apply") {
    this.kube = kube;
    this.applyStrategy = applyStrategy;
    this.limiter = limiter;
    this.controller = controller;
    this.hookBase = hookBase;
    this.spec = controller.spec;
    this.types = null; // [{apiVersion, resource, kind, key, namespaced}]
    // errors: child writes the API server refused (Metacontroller logs and aggregates them);
    // skipped: syncs that did nothing because the parent was gone or being deleted, and status
    // writes given up after repeated conflicts (Metacontroller swallows the last one). The
    // cluster test fails a step on any entry of either that the step did not expect.
    this.stats = { syncs: 0, creates: 0, updates: 0, conflicts: 0, deletes: 0, statusWrites: 0, adoptions: 0, errors: [], skipped: [],
      hookMs: {}, staleReads: 0 };
    this.lag = 0; // probability that a cached object is one sync behind (lagged())
    let seed = 42; // a small LCG: runs are repeatable
    this.random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  }

  async discover(apiVersion, resource) {
    const list = await this.kube.must("GET", groupPath(apiVersion));
    const r = list.resources.find((x) => x.name === resource);
    if (!r) throw new Error(`${apiVersion} has no resource ${resource}`);
    const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
    return { apiVersion, resource, kind: r.kind, namespaced: r.namespaced,
      key: group ? `${r.kind}.${group}/${version}` : `${r.kind}.${version}` };
  }

  // Where Metacontroller sends each hook, and with what timeout: webhook.service (name,
  // namespace, port, protocol) -> the Service's port -> its targetPort -> the container port of
  // the pods it selects (the Deployment's template), then webhook.path; webhook.timeout bounds the
  // whole call (10s when unset). The operator's hook server runs here on loopback (hookBase), so
  // the chain must end at its Deployment's hook container port (8443): any wrong name, port or
  // path in metacontroller/*.yaml fails here as the hook would fail in a cluster.
  // With https, as Metacontroller v4.17 does (pkg/hooks: webhook.go, cabundle.go, auth.go): the
  // server is verified for the name the service URL uses (<name>.<namespace>) against the
  // webhook's caBundle (inline, or a key of a Secret or ConfigMap read from the API server), TLS
  // 1.2 at least; the authorization Secret's value, trimmed, goes after its type ("Bearer").
  async resolveHook(which) {
    const w = this.spec.hooks[which]?.webhook;
    if (!w) return null;
    if (!w.service) throw new Error(`${which} hook: no webhook.service (url hooks are not what the operator ships)`);
    const { name, namespace, port = 80, protocol = "http" } = w.service;
    if (protocol !== new URL(this.hookBase).protocol.replace(":", ""))
      throw new Error(`${which} hook: protocol ${protocol}, the hook server speaks ${new URL(this.hookBase).protocol}`);
    const svc = await this.kube.request("GET", resourcePath("v1", "services", namespace, name));
    if (svc.status !== 200) throw new Error(`${which} hook: Service ${namespace}/${name}: ${svc.status} ${svc.json?.message ?? ""}`);
    const sp = (svc.json.spec.ports ?? []).find((p) => p.port === port);
    if (!sp) throw new Error(`${which} hook: Service ${namespace}/${name} has no port ${port}`);
    const deployments = await this.kube.must("GET", `/apis/apps/v1/namespaces/${namespace}/deployments`);
    const selector = svc.json.spec.selector ?? {};
    const selected = deployments.items.filter((d) =>
      Object.entries(selector).every(([k, v]) => d.spec.template.metadata.labels?.[k] === v));
    const ports = selected.flatMap((d) => d.spec.template.spec.containers.flatMap((c) => c.ports ?? []));
    const target = typeof sp.targetPort === "string" ? ports.find((p) => p.name === sp.targetPort)?.containerPort : sp.targetPort ?? sp.port;
    if (target !== HOOK_CONTAINER_PORT)
      throw new Error(`${which} hook: Service ${namespace}/${name}:${port} reaches container port ${target}, not the hook server's ${HOOK_CONTAINER_PORT}`);
    const hook = { url: `${this.hookBase}${w.path ?? "/"}`, timeoutMs: goDurationMs(w.timeout ?? "10s"), which };
    if (protocol === "https") {
      hook.servername = `${name}.${namespace}`;
      hook.ca = await this.keyOf(which, "caBundle", w.caBundle);
      if (!w.caBundle) throw new Error(`${which} hook: https without a caBundle (the system roots cannot know the hook's CA)`);
    }
    if (w.clientTLS || w.basicAuth) throw new Error(`${which} hook: clientTLS/basicAuth are not what the operator ships`);
    if (w.authorization) {
      const type = (w.authorization.type ?? "Bearer").trim();
      hook.authorization = `${type} ${(await this.keyOf(which, "authorization", { secretRef: w.authorization.secretRef })).trim()}`;
    }
    return hook;
  }

  // The value a caBundle or authorization reference names: inline, a Secret's or a ConfigMap's key.
  async keyOf(which, field, ref) {
    if (!ref) return undefined;
    if (ref.inline) return ref.inline;
    const [kind, r] = ref.secretRef ? ["secrets", ref.secretRef] : ["configmaps", ref.configMapRef];
    if (!r) throw new Error(`${which} hook: ${field} names no source`);
    const obj = await this.kube.request("GET", resourcePath("v1", kind, r.namespace, r.name));
    if (obj.status !== 200) throw new Error(`${which} hook: ${field}: ${kind} ${r.namespace}/${r.name}: ${obj.status}`);
    const key = r.key ?? "ca.crt";
    const value = kind === "secrets" ? obj.json.data?.[key] && Buffer.from(obj.json.data[key], "base64").toString() : obj.json.data?.[key];
    if (!value) throw new Error(`${which} hook: ${field}: ${kind} ${r.namespace}/${r.name} has no key ${key}`);
    return value;
  }

  async init() {
    this.hooks = { sync: await this.resolveHook("sync"), customize: await this.resolveHook("customize") };
    const p = this.spec.parentResource;
    this.parentType = await this.discover(p.apiVersion, p.resource);
    this.types = [];
    for (const c of this.spec.childResources) this.types.push({ ...(await this.discover(c.apiVersion, c.resource)),
      method: c.updateStrategy?.method || "OnDelete" });
    return this;
  }

  async callHook(which, body) {
    const hook = this.hooks[which];
    const url = new URL(hook.url);
    const data = JSON.stringify(body);
    const started = performance.now();
    return new Promise((resolve, reject) => {
      // A connection per call (agent: false): a kept-alive socket the server closed while idle
      // would fail the call ("socket hang up") where Metacontroller would retry.
      const tls = hook.servername ? { ca: hook.ca, servername: hook.servername, minVersion: "TLSv1.2" } : {};
      const req = (hook.servername ? https : http).request({ host: url.hostname, port: url.port, path: url.pathname, method: "POST", agent: false,
        ...tls, headers: { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(data),
          ...(hook.authorization ? { Authorization: hook.authorization } : {}) } }, (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          const ms = performance.now() - started;
          this.stats.hookMs[which] = Math.max(this.stats.hookMs[which] ?? 0, ms);
          resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString("utf8") });
        });
      });
      // The whole call, as Metacontroller's http.Client{Timeout} bounds it.
      const deadline = setTimeout(() => req.destroy(new Error(`${which} hook: no answer within its timeout (${hook.timeoutMs} ms)`)), hook.timeoutMs);
      req.on("close", () => clearTimeout(deadline));
      req.on("error", reject);
      req.end(data);
    });
  }

  async listParents(namespace) {
    const r = await this.kube.must("GET", resourcePath(this.parentType.apiVersion, this.parentType.resource, namespace));
    return r.items;
  }

  // ClaimChildren with generateSelector: owned = controllerRef to the parent and label
  // controller-uid=<uid>; orphans with the label are adopted; owned ones without it released.
  async claimChildren(parent) {
    const uid = parent.metadata.uid, ns = parent.metadata.namespace;
    const children = {};
    for (const t of this.types) {
      children[t.key] = {};
      const list = await this.list(t, ns);
      for (const obj of list.items) {
        const ref = (obj.metadata.ownerReferences ?? []).find((o) => o.controller);
        const matches = obj.metadata.labels?.["controller-uid"] === uid;
        if (ref && ref.uid === uid) {
          if (matches) children[t.key][obj.metadata.name] = obj;
          else await this.patchOwnerRefs(t, obj, (obj.metadata.ownerReferences ?? []).filter((o) => o.uid !== uid));
        } else if (!ref && matches && !obj.metadata.deletionTimestamp) {
          const adopted = await this.patchOwnerRefs(t, obj, [...(obj.metadata.ownerReferences ?? []), this.ownerRef(parent)]);
          this.stats.adoptions++;
          if (adopted) children[t.key][obj.metadata.name] = adopted;
        }
      }
    }
    return children;
  }

  // A list whose items carry apiVersion and kind, as client-go's dynamic client decodes it.
  async list(t, ns) {
    const list = await this.kube.must("GET", resourcePath(t.apiVersion, t.resource, ns));
    for (const o of list.items) {
      o.apiVersion ??= t.apiVersion;
      o.kind ??= t.kind;
    }
    return list;
  }

  // A request Metacontroller sends to the API server: it waits for the client's rate limit.
  async write(method, path, body, contentType) {
    await this.limiter.take();
    return this.kube.request(method, path, body, contentType);
  }

  async patchOwnerRefs(t, obj, refs) {
    const r = await this.write("PATCH", resourcePath(t.apiVersion, t.resource, obj.metadata.namespace, obj.metadata.name),
      { metadata: { ownerReferences: refs, uid: obj.metadata.uid } }, "application/merge-patch+json");
    return r.status < 300 ? r.json : null;
  }

  ownerRef(parent) {
    return { apiVersion: parent.apiVersion, kind: parent.kind, name: parent.metadata.name,
      uid: parent.metadata.uid, controller: true, blockOwnerDeletion: true };
  }

  // Customize: relatedResources rules, then the objects they select (v1: same namespace only).
  async related(parent) {
    const related = {};
    if (!this.hooks.customize) return related;
    const r = await this.callHook("customize", { controller: this.controller, parent });
    if (r.status !== 200) throw new Error(`customize hook answered ${r.status}: ${r.text.trim()}`);
    const rules = JSON.parse(r.text).relatedResources ?? [];
    for (const rule of rules) {
      const t = await this.discover(rule.apiVersion, rule.resource);
      related[t.key] ??= {};
      const ns = t.namespaced ? rule.namespace || parent.metadata.namespace : undefined;
      if (t.namespaced && ns !== parent.metadata.namespace) continue;
      if (rule.names?.length) {
        for (const name of rule.names) {
          const got = await this.kube.request("GET", resourcePath(t.apiVersion, t.resource, ns, name));
          if (got.status === 200) related[t.key][name] = got.json;
        }
      } else {
        const sel = Object.entries(rule.labelSelector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(",");
        const list = await this.kube.must("GET", `${resourcePath(t.apiVersion, t.resource, ns)}${sel ? `?labelSelector=${encodeURIComponent(sel)}` : ""}`);
        for (const o of list.items) related[t.key][o.metadata.name] = o;
      }
    }
    return related;
  }

  // One sync of one parent, as syncParentObject does it. Returns the number of writes.
  async sync(namespace, name) {
    const before = this.writes();
    const got = await this.kube.request("GET", resourcePath(this.parentType.apiVersion, this.parentType.resource, namespace, name));
    if (got.status === 404) {
      this.stats.skipped.push(`sync ${this.parentType.kind} ${namespace}/${name}: the parent is gone`);
      return 0;
    }
    const parent = got.json;
    // Being deleted (another controller's finalizer or foreground deletion holds it), with no
    // finalize hook: Metacontroller still calls the sync hook and writes status, but manages no
    // children (ManageChildren runs only for parents not being deleted, or that it finalizes).
    const deleting = !!parent.metadata.deletionTimestamp;
    if (deleting) this.stats.skipped.push(`sync ${this.parentType.kind} ${namespace}/${name}: the parent is being deleted (children not managed)`);
    let children = await this.claimChildren(parent);
    let related = await this.related(parent);
    if (this.lag) ({ children, related } = this.lagged(`${namespace}/${name}`, children, related));
    this.stats.syncs++;
    const r = await this.callHook("sync", { controller: this.controller, parent, children, related, finalizing: false });
    if (r.status !== 200) throw new Error(`sync hook answered ${r.status}: ${r.text.trim()}`);
    const response = JSON.parse(r.text);
    if (!Array.isArray(response.children)) throw new Error("sync answer without a children list");
    const reals = realNumbersIn(childrenText(r.text));
    if (reals.length) throw new Error(`children carry real numbers (${reals.slice(0, 3).join(", ")}): an update loop in Metacontroller`);
    const desired = response.children.map((c) => this.prepareDesired(parent, c));
    this.lastAnswer = { observed: children, desired, status: response.status };
    if (!deleting) await this.manageChildren(parent, children, desired);
    await this.updateStatus(parent, response.status);
    return this.writes() - before;
  }

  // Lagging informer caches: with probability this.lag, each observed child and related object is
  // served as the previous sync saw it (or missing, if it is new since), as Metacontroller's
  // caches may be one sync behind. Deterministic for a given this.random.
  lagged(key, children, related) {
    const prev = this.previous?.get(key);
    this.previous ??= new Map();
    this.previous.set(key, clone({ children, related }));
    if (!prev) return { children, related };
    const stale = (now, before) => {
      const out = {};
      for (const type of Object.keys(now)) {
        out[type] = {};
        for (const name of new Set([...Object.keys(now[type]), ...Object.keys(before[type] ?? {})])) {
          const pick = this.random() < this.lag ? before[type]?.[name] : now[type][name];
          if (pick) out[type][name] = clone(pick);
          if (pick !== now[type][name]) this.stats.staleReads++;
        }
      }
      return out;
    };
    return { children: stale(children, prev.children), related: stale(related, prev.related) };
  }

  writes() {
    const s = this.stats;
    return s.creates + s.updates + s.deletes + s.statusWrites + s.adoptions;
  }

  prepareDesired(parent, child) {
    if (!child || typeof child.kind !== "string" || !child.kind) throw new Error("Object 'Kind' is missing");
    const obj = clone(child);
    obj.metadata ??= {};
    obj.metadata.labels = { ...(obj.metadata.labels ?? {}) };
    if (this.spec.generateSelector && !obj.metadata.labels["controller-uid"])
      obj.metadata.labels["controller-uid"] = parent.metadata.uid;
    if (!obj.metadata.namespace) obj.metadata.namespace = parent.metadata.namespace;
    return obj;
  }

  typeOf(obj) {
    const t = this.types.find((x) => x.apiVersion === obj.apiVersion && x.kind === obj.kind);
    if (!t) throw new Error(`${obj.kind} ${obj.apiVersion} is not a declared child type`);
    return t;
  }

  async manageChildren(parent, observed, desired) {
    const wanted = new Set(desired.map((d) => `${this.typeOf(d).key}/${d.metadata.name}`));
    for (const t of this.types) {
      for (const [name, obj] of Object.entries(observed[t.key])) {
        if (wanted.has(`${t.key}/${name}`) || obj.metadata.deletionTimestamp) continue;
        const r = await this.write("DELETE", resourcePath(t.apiVersion, t.resource, obj.metadata.namespace, name),
          { apiVersion: "v1", kind: "DeleteOptions", propagationPolicy: "Background", preconditions: { uid: obj.metadata.uid } });
        if (r.status >= 300 && r.status !== 404 && r.status !== 409) this.stats.errors.push(`delete ${t.kind} ${name}: ${r.status} ${r.json?.message}`);
        else this.stats.deletes++;
      }
    }
    for (const d of desired) {
      const t = this.typeOf(d);
      const old = observed[t.key][d.metadata.name];
      if (old) await this.updateChild(t, old, d, parent);
      else await this.createChild(parent, t, d);
    }
  }

  // --apply-strategy=server-side-apply: the desired object, owner reference added, applied as is.
  async serverSideApply(parent, t, desired, created) {
    const obj = clone(desired);
    obj.metadata.ownerReferences = [...(obj.metadata.ownerReferences ?? []), this.ownerRef(parent)];
    const path = `${resourcePath(t.apiVersion, t.resource, obj.metadata.namespace, obj.metadata.name)}?fieldManager=metacontroller&force=true`;
    const r = await this.write("PATCH", path, obj, "application/apply-patch+yaml");
    if (r.status >= 300) this.stats.errors.push(`apply ${t.kind} ${obj.metadata.name}: ${r.status} ${r.json?.message ?? r.text.slice(0, 200)}`);
    else if (created) this.stats.creates++;
    else if (r.json?.metadata?.resourceVersion !== desired.metadata?.resourceVersion) this.stats.updates++;
  }

  async createChild(parent, t, desired) {
    if (this.applyStrategy === "server-side-apply") return this.serverSideApply(parent, t, desired, true);
    const obj = clone(desired);
    setLastApplied(obj, desired);
    obj.metadata.ownerReferences = [...(obj.metadata.ownerReferences ?? []), this.ownerRef(parent)];
    const r = await this.write("POST", resourcePath(t.apiVersion, t.resource, obj.metadata.namespace), obj);
    if (r.status === 409) {
      this.stats.errors.push(`create ${t.kind} ${obj.metadata.name}: already exists (Metacontroller only logs this)`);
      return;
    }
    if (r.status >= 300) {
      this.stats.errors.push(`create ${t.kind} ${obj.metadata.name}: ${r.status} ${r.json?.message ?? r.text.slice(0, 200)}`);
      return;
    }
    this.stats.creates++;
  }

  async updateChild(t, old, desired, parent) {
    if (old.metadata.deletionTimestamp) return;
    if (this.applyStrategy === "server-side-apply") return this.serverSideApply(parent, t, desired, false);
    const merged = threeWayMerge(old, getLastApplied(old), desired);
    setLastApplied(merged, desired);
    for (const f of SYSTEM_METADATA) {
      if (old.metadata[f] === undefined) delete merged.metadata[f];
      else merged.metadata[f] = old.metadata[f];
    }
    if (old.status === undefined) delete merged.status;
    else merged.status = old.status;
    if (deepEqual(merged, old)) return;
    if (process.env.STANDIN_VERBOSE) console.log(`  stand-in: update ${t.kind} ${old.metadata.name}: ${differences(old, merged).slice(0, 6).join("; ")}` +
      ` | desired vs last applied: ${differences(getLastApplied(old), desired).slice(0, 6).join("; ")}`);
    if (t.method !== "InPlace") return; // OnDelete; the operator's controllers use InPlace
    const r = await this.write("PUT", resourcePath(t.apiVersion, t.resource, old.metadata.namespace, old.metadata.name), merged);
    if (r.status === 409 || r.status === 404) { // swallowed, retried on the next sync
      this.stats.conflicts++;
      return;
    }
    if (r.status >= 300) {
      this.stats.errors.push(`update ${t.kind} ${old.metadata.name}: ${r.status} ${r.json?.message ?? r.text.slice(0, 200)}`);
      return;
    }
    this.stats.updates++;
  }

  // updateParentStatus: the hook's status replaces .status, observedGeneration is injected, and
  // the write happens only when it differs from a fresh read.
  async updateStatus(parent, status) {
    const next = { ...(status ?? {}), observedGeneration: parent.metadata.generation };
    const what = `status of ${parent.kind} ${parent.metadata.namespace}/${parent.metadata.name}`;
    for (let attempt = 0; attempt < 5; attempt++) {
      const path = resourcePath(this.parentType.apiVersion, this.parentType.resource, parent.metadata.namespace, parent.metadata.name);
      const fresh = await this.write("GET", path); // uncached, as updateParentStatus does
      if (fresh.status === 404) {
        this.stats.skipped.push(`${what}: not written, the parent is gone`);
        return;
      }
      if (deepEqual(fresh.json.status ?? {}, next)) return;
      const obj = { ...fresh.json, status: next };
      const r = await this.write("PUT", `${path}/status`, obj);
      if (r.status === 409) continue;
      if (r.status === 404) {
        this.stats.skipped.push(`${what}: not written, the parent is gone`);
        return;
      }
      if (r.status >= 300) throw new Error(`status update: ${r.status} ${r.json?.message}`);
      this.stats.statusWrites++;
      return;
    }
    this.stats.skipped.push(`${what}: given up after 5 conflicts in a row`);
  }
}
