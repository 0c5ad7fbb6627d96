// Schema validation of everything monero-operator emits or ships.
//
//   node validate.mjs --render <file.jsonl>... --fixtures <dir> --manifests <dir>...
//                     --crs <file.yaml>... --kustomize <built.yaml>
//
// - Every child in hook responses (fixtures and `render -o json` output) is validated against
//   the official Kubernetes OpenAPI schema (npm kubernetes-models) and must not carry fields the
//   schema does not know (the API server would drop or reject them). Every status is validated
//   against its CRD's status schema with unknown fields refused: the API server prunes unknown
//   status fields, and a pruned status differs on every sync, which makes Metacontroller loop.
// - Every YAML document under the manifest directories: Kubernetes kinds as above,
//   CompositeControllers against Metacontroller's CRD, our custom resources against our CRDs.
// - CRDs are checked for structure (types everywhere, descriptions for `kubectl explain`,
//   defaults valid against their schema, printer columns and scale paths that exist) and their
//   CEL rules are compiled and evaluated on every custom resource checked.
// Prints one line per problem and exits 1 if there is any.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import Ajv from "ajv";
import YAML from "yaml";
import { run as celRun, parse as celParse } from "@bufbuild/cel";

const here = path.dirname(fileURLToPath(import.meta.url));
const problems = [];
let checked = 0;
const problem = (where, what) => problems.push(`${where}: ${what}`);

// ---------------------------------------------------------------- Kubernetes built-in kinds

const schemaDir = path.join(here, "node_modules", "kubernetes-models", "_schemas");
const validators = new Map();

function schemaName(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["core", apiVersion];
  if (group === "apiextensions.k8s.io")
    return `IoK8sApiextensionsApiserverPkgApisApiextensions${cap(version)}${kind}`;
  const first = group.split(".")[0];
  return `IoK8sApi${cap(first)}${cap(version)}${kind}`;
}
const cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);

// The Prometheus Operator's kinds (PodMonitor, ServiceMonitor, PrometheusRule) shipped in the
// optional monitoring overlay: from @kubernetes-models/prometheus-operator.
const promSchemaDir = path.join(here, "node_modules", "@kubernetes-models", "prometheus-operator", "_schemas");

async function k8sValidator(apiVersion, kind) {
  const prom = apiVersion === "monitoring.coreos.com/v1";
  const name = prom ? `MonitoringCoreosComV1${kind}` : schemaName(apiVersion, kind);
  if (!validators.has(name)) {
    const file = path.join(prom ? promSchemaDir : schemaDir, `${name}.mjs`);
    validators.set(name, fs.existsSync(file) ? (await import(pathToFileURL(file))).validate : null);
  }
  return validators.get(name);
}

// Wraps a value so that every property the validator reads is recorded; properties it never
// reads are fields the schema does not define. Values under these keys are free-form.
const FREE_FORM = new Set(["default", "example", "enum", "openAPIV3Schema"]); // the last: checked by checkStructural
function tracked(value, at, unread) {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v, i) => tracked(v, `${at}[${i}]`, unread));
  const seen = new Set();
  const copy = {};
  for (const [k, v] of Object.entries(value))
    copy[k] = FREE_FORM.has(k) ? v : tracked(v, `${at}.${k}`, unread);
  unread.push(() => Object.keys(value).filter((k) => !seen.has(k)).map((k) => `${at}.${k}`));
  return new Proxy(copy, {
    get(t, k, r) {
      if (typeof k === "string") seen.add(k);
      return Reflect.get(t, k, r);
    },
  });
}

async function checkK8sObject(obj, where) {
  checked++;
  if (!obj || typeof obj.apiVersion !== "string" || typeof obj.kind !== "string")
    return problem(where, "not a Kubernetes object (apiVersion and kind required)");
  if (!obj.metadata || typeof obj.metadata.name !== "string" || !obj.metadata.name)
    return problem(where, `${obj.kind}: metadata.name required`);
  const validate = await k8sValidator(obj.apiVersion, obj.kind);
  if (!validate) return problem(where, `no schema for ${obj.apiVersion} ${obj.kind}`);
  const unread = [];
  const proxy = tracked(obj, "", unread);
  const label = `${where}: ${obj.kind} ${obj.metadata.name}`;
  if (!validate(proxy)) {
    for (const e of validate.errors)
      problem(label, `${e.instancePath || "/"} ${e.message ?? `${e.keyword} ${JSON.stringify(e.params)}`}`);
    return;
  }
  for (const f of unread.flatMap((g) => g())) problem(label, `${f}: unknown field`);
  checkNoNulls(obj, label);
}

function checkNoNulls(value, where, at = "") {
  if (value === null) return problem(where, `${at || "/"}: null value (Metacontroller issue #319)`);
  if (typeof value === "number" && !Number.isInteger(value))
    return problem(where, `${at}: non-integer number ${value}`);
  if (typeof value !== "object") return;
  for (const [k, v] of Object.entries(value)) {
    if (k === "creationTimestamp" && v === null) continue; // as stored inside volumeClaimTemplates
    checkNoNulls(v, where, `${at}.${k}`);
  }
}

// Numbers written with a fraction or exponent in raw JSON text: whole numbers must be integers.
function realNumbersIn(text, where) {
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === "-" || (c >= "0" && c <= "9")) {
      const m = /^-?\d+(\.\d+)?([eE][-+]?\d+)?/.exec(text.slice(i, i + 40));
      if (m && (m[1] || m[2])) problem(where, `real number ${m[0]} where JSON integers are expected`);
      i += m ? m[0].length - 1 : 0;
    }
  }
}

// ---------------------------------------------------------------- our CRDs

const crds = new Map(); // kind -> { crd, version, ajvSpec, ajvStatus, rules }
const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });

// A structural schema as JSON Schema for ajv, refusing unknown fields like `kubectl --validate=strict`.
function toJsonSchema(s) {
  if (!s || typeof s !== "object") return s;
  const out = {};
  for (const [k, v] of Object.entries(s)) {
    if (k.startsWith("x-kubernetes-") || k === "description") continue;
    if (k === "properties") out.properties = Object.fromEntries(Object.entries(v).map(([p, ps]) => [p, toJsonSchema(ps)]));
    else if (k === "items" || k === "additionalProperties") out[k] = typeof v === "object" ? toJsonSchema(v) : v;
    else if (k === "anyOf" || k === "allOf" || k === "oneOf") out[k] = v.map(toJsonSchema);
    else out[k] = v;
  }
  if (s["x-kubernetes-int-or-string"]) {
    delete out.type;
    out.anyOf = [{ type: "integer" }, { type: "string" }];
  }
  if (out.type === "object" && out.properties && out.additionalProperties === undefined && !s["x-kubernetes-preserve-unknown-fields"])
    out.additionalProperties = false;
  if (s.nullable) out.type = [out.type, "null"];
  return out;
}

// Structural-schema rules of apiextensions.k8s.io/v1, plus descriptions for kubectl explain.
function checkStructural(s, where, needDescription) {
  if (!s || typeof s !== "object") return problem(where, "schema missing");
  const intOrString = s["x-kubernetes-int-or-string"];
  if (!s.type && !intOrString && !s["x-kubernetes-preserve-unknown-fields"])
    problem(where, "no type (not structural)");
  if (needDescription && !s.description) problem(where, "no description (kubectl explain shows nothing)");
  if (s.properties && s.additionalProperties) problem(where, "both properties and additionalProperties");
  if (s.$ref) problem(where, "$ref is not allowed");
  if (s.anyOf && !intOrString) problem(where, "anyOf is only used for int-or-string here");
  for (const [p, ps] of Object.entries(s.properties || {}))
    checkStructural(ps, `${where}.${p}`, needDescription && !["metadata", "apiVersion", "kind"].includes(p) ? true : false);
  if (s.items) checkStructural(s.items, `${where}[]`, false);
  if (s.additionalProperties && typeof s.additionalProperties === "object")
    checkStructural(s.additionalProperties, `${where}{}`, false);
  if (s.default !== undefined) {
    const v = ajv.compile(toJsonSchema(s));
    if (!v(s.default)) problem(where, `default ${JSON.stringify(s.default)} fails its own schema`);
  }
}

function schemaAt(schema, jsonPath) {
  let s = schema;
  for (const part of jsonPath.replace(/\[[^\]]*\]/g, "[]").replace(/^\./, "").split(".")) {
    s = s?.properties?.[part.replace("[]", "")];
    if (part.endsWith("[]")) s = s?.items;
    if (!s) return null;
  }
  return s;
}

// CEL rules with where they apply: [{ at: "spec", rule, message }]
function collectRules(s, at, out) {
  for (const r of s["x-kubernetes-validations"] || []) out.push({ at, ...r });
  for (const [p, ps] of Object.entries(s.properties || {})) collectRules(ps, at ? `${at}.${p}` : p, out);
  return out;
}

function loadCrd(doc, where) {
  const kind = doc.spec?.names?.kind;
  const version = (doc.spec?.versions || []).find((v) => v.storage);
  if (!kind || !version) return problem(where, "CRD without kind or storage version");
  const root = version.schema?.openAPIV3Schema;
  checkStructural(root, `${where} ${kind}`, true);
  if (!version.subresources?.status) problem(where, `${kind}: no status subresource (Metacontroller ignores it)`);
  const scale = version.subresources?.scale;
  if (!scale) problem(where, `${kind}: no scale subresource`);
  for (const p of scale ? [scale.specReplicasPath, scale.statusReplicasPath, scale.labelSelectorPath] : [])
    if (p && !schemaAt(root, p)) problem(where, `${kind}: scale path ${p} not in the schema`);
  for (const col of version.additionalPrinterColumns || [])
    if (!col.jsonPath.startsWith(".metadata") && !schemaAt(root, col.jsonPath))
      problem(where, `${kind}: printer column ${col.name} path ${col.jsonPath} not in the schema`);
  if (!(doc.spec.names.categories || []).includes("monero")) problem(where, `${kind}: not in category monero`);
  const rules = collectRules(root, "", []);
  for (const r of rules) {
    try {
      celParse(r.rule);
    } catch (e) {
      problem(where, `${kind}: CEL rule does not compile: ${r.rule}: ${e.message}`);
    }
  }
  const withoutStatus = { ...root, properties: { ...root.properties } };
  delete withoutStatus.properties.status;
  crds.set(kind, {
    apiVersion: `${doc.spec.group}/${version.name}`,
    root,
    ajvObject: ajv.compile(toJsonSchema(withoutStatus)),
    ajvStatus: ajv.compile(toJsonSchema(root.properties.status)),
    rules,
  });
}

const get = (obj, dotted) => dotted.split(".").filter(Boolean).reduce((o, k) => (o == null ? o : o[k]), obj);

// Evaluates the CEL rules of `kind` on `obj` (and `old` for transition rules). Returns failures.
function celFailures(kind, obj, old) {
  const failures = [];
  for (const r of crds.get(kind).rules) {
    const self = get(obj, r.at);
    if (self === undefined) continue;
    const oldSelf = old ? get(old, r.at) : undefined;
    if (r.rule.includes("oldSelf") && oldSelf === undefined) continue; // transition rules: updates only
    let ok;
    try {
      ok = celRun(r.rule, { self, oldSelf });
    } catch (e) {
      ok = e;
    }
    if (ok !== true) failures.push(r.message || r.rule);
  }
  return failures;
}

function checkCustomResource(obj, where) {
  checked++;
  const crd = crds.get(obj.kind);
  if (!crd) return problem(where, `no CRD for kind ${obj.kind}`);
  const label = `${where}: ${obj.kind} ${obj.metadata?.name}`;
  if (obj.apiVersion !== crd.apiVersion) problem(label, `apiVersion ${obj.apiVersion}, CRD serves ${crd.apiVersion}`);
  if (!crd.ajvObject(obj)) for (const e of crd.ajvObject.errors) problem(label, `${e.instancePath || "/"} ${e.message}`);
  for (const f of celFailures(obj.kind, obj)) problem(label, `CEL: ${f}`);
}

function checkStatus(kind, status, where) {
  checked++;
  const crd = crds.get(kind);
  if (!crd) return problem(where, `no CRD for kind ${kind}`);
  const withGeneration = { ...status, observedGeneration: 1 }; // Metacontroller adds it
  if (!crd.ajvStatus(withGeneration))
    for (const e of crd.ajvStatus.errors) problem(`${where}: status`, `${e.instancePath || "/"} ${e.message}`);
}

// ---------------------------------------------------------------- Metacontroller

const ccCrd = YAML.parse(fs.readFileSync(path.join(here, "metacontroller-compositecontroller-crd.yaml"), "utf8"));
const ccSchema = ccCrd.spec.versions.find((v) => v.storage).schema.openAPIV3Schema;
const ccValidate = ajv.compile(toJsonSchema(ccSchema));

function checkCompositeController(obj, where) {
  checked++;
  const label = `${where}: CompositeController ${obj.metadata?.name}`;
  if (!ccValidate(obj)) for (const e of ccValidate.errors) problem(label, `${e.instancePath || "/"} ${e.message}`);
  const parent = obj.spec?.parentResource?.resource;
  const crd = [...crds.values()].find((c) => c.plural === parent);
  if (!crd) problem(label, `parent resource ${parent} has no CRD here`);
  const sync = obj.spec?.hooks?.sync?.webhook;
  if (!sync?.timeout) problem(label, "hook without an explicit timeout");
  if (!sync?.service || sync.url) problem(label, "hook URL not in service form");
  for (const c of obj.spec?.childResources || [])
    if (!c.updateStrategy?.method) problem(label, `${c.resource}: no update strategy (children would never update)`);
  return obj;
}

// ---------------------------------------------------------------- inputs

const HOOK_KINDS = { moneronodeset: "MoneroNodeSet", moneronetwork: "MoneroNetwork", monerominingnodeset: "MoneroMiningNodeSet" };
const RESOURCE_OF = (kind) => `${kind.toLowerCase()}s`;

function yamlDocs(file) {
  return YAML.parseAllDocuments(fs.readFileSync(file, "utf8"))
    .map((d) => {
      if (d.errors.length) problem(file, d.errors[0].message);
      return d.toJS();
    })
    .filter((d) => d != null);
}

const yamlFiles = (dir) =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return yamlFiles(p);
    return /\.ya?ml$/.test(e.name) && !["kustomization.yaml", "kustomizeconfig.yaml"].includes(e.name) ? [p] : [];
  });

async function checkDocument(doc, where) {
  if (doc.kind === "CompositeController") return checkCompositeController(doc, where);
  if (crds.has(doc.kind)) return checkCustomResource(doc, where);
  return checkK8sObject(doc, where);
}

async function checkResponse(text, kind, where, generatedChildren) {
  realNumbersIn(text, where);
  const resp = JSON.parse(text);
  if (!Array.isArray(resp.children)) return problem(where, "response without a children array");
  if (typeof resp.status !== "object") return problem(where, "response without a status object");
  for (const [i, child] of resp.children.entries()) await checkK8sObject(child, `${where} children[${i}]`);
  checkStatus(kind, resp.status, where);
  if (generatedChildren) generatedChildren.push(...resp.children);
}

// A customize answer: only relatedResources, each rule with apiVersion and resource, and no
// combination Metacontroller refuses (names with selectors, namespace with namespaceSelector).
function checkCustomizeResponse(resp, where) {
  checked++;
  const keys = Object.keys(resp);
  if (keys.length !== 1 || !Array.isArray(resp.relatedResources)) return problem(where, "customize answer must be {relatedResources: [...]}");
  for (const r of resp.relatedResources) {
    if (!r.apiVersion || !r.resource) problem(where, "rule without apiVersion and resource");
    if (r.names && (r.labelSelector || r.namespaceSelector)) problem(where, "names combined with a selector");
    if (r.namespace && r.namespaceSelector) problem(where, "namespace combined with namespaceSelector");
  }
}

function applyDefaults(value, schema) {
  if (!schema || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => applyDefaults(v, schema.items));
  const out = { ...value };
  for (const [p, ps] of Object.entries(schema.properties || {})) {
    if (out[p] === undefined && ps.default !== undefined) out[p] = structuredClone(ps.default);
    if (out[p] !== undefined) out[p] = applyDefaults(out[p], ps);
  }
  return out;
}

// The hook must behave the same whether or not the API server filled in the CRD defaults.
async function checkDefaultsAgree(binary, doc, where) {
  const { spawnSync } = await import("node:child_process");
  const crd = crds.get(doc.kind);
  // Tor/I2P keys and the bootstrap token are random on a first sync: compare everything but them.
  const withoutKeys = (text) =>
    text.split("\n").filter(Boolean).map((line) => {
      const r = JSON.parse(line);
      for (const c of r.children) if (c.kind === "Secret" && /-(identities(-\d+)?|bootstrap)$/.test(c.metadata.name)) delete c.data;
      delete r.status.addresses;
      return JSON.stringify(r);
    }).join("\n");
  const render = (obj) =>
    withoutKeys(spawnSync(binary, ["render", "-f", "-", "-o", "json"], { input: JSON.stringify(obj) }).stdout.toString());
  const plain = render(doc);
  const defaulted = render(applyDefaults(doc, crd.root));
  if (plain !== defaulted) problem(where, `${doc.kind} ${doc.metadata?.name}: output changes once CRD defaults are applied`);
}

async function main(argv) {
  const opts = { manifests: [], crs: [], render: [], kustomized: [], fixtures: null, binary: null, cel: null, crds: null, "must-fail": null };
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === "--manifests" || flag === "--crs" || flag === "--render") opts[flag.slice(2)].push(value), i++;
    else if (flag === "--kustomized") opts.kustomized.push(value), i++;
    else if (["--fixtures", "--binary", "--cel-cases", "--crds", "--must-fail"].includes(flag)) (opts[flag.slice(2).replace("-cases", "")] = value), i++;
    else throw new Error(`unknown argument ${flag}`);
  }
  for (const file of yamlFiles(opts.crds))
    for (const doc of yamlDocs(file)) {
      await checkK8sObject(doc, file);
      loadCrd(doc, file);
      crds.get(doc.spec.names.kind).plural = doc.spec.names.plural;
    }
  for (const dir of opts.manifests)
    for (const file of yamlFiles(dir)) for (const doc of yamlDocs(file)) await checkDocument(doc, file);
  for (const file of opts.kustomized) for (const doc of yamlDocs(file)) await checkDocument(doc, `kustomize build ${path.basename(file)} (${doc.kind})`);
  for (const file of opts.crs)
    for (const doc of yamlDocs(file)) {
      checkCustomResource(doc, file);
      if (opts.binary) await checkDefaultsAgree(opts.binary, doc, file);
    }
  for (const pair of opts.render) {
    const [input, output] = pair.split("=");
    const kinds = yamlDocs(input).map((d) => d.kind);
    const lines = fs.readFileSync(output, "utf8").split("\n").filter(Boolean);
    if (lines.length !== kinds.length) problem(output, `${lines.length} responses for ${kinds.length} resources`);
    for (const [i, line] of lines.entries()) await checkResponse(line, kinds[i], `${output}:${i + 1}`);
  }
  if (opts.fixtures)
    for (const hook of fs.readdirSync(opts.fixtures).filter((h) => HOOK_KINDS[h]))
      for (const c of fs.readdirSync(path.join(opts.fixtures, hook))) {
        const file = path.join(opts.fixtures, hook, c, "response.json");
        if (!fs.existsSync(file)) continue;
        if (c.startsWith("customize-")) checkCustomizeResponse(JSON.parse(fs.readFileSync(file, "utf8")), file);
        else await checkResponse(fs.readFileSync(file, "utf8"), HOOK_KINDS[hook], file);
      }
  checkNetworkTemplateMatchesNodeSet();
  if (opts.cel) checkCelCases(opts.cel);
  if (opts["must-fail"]) await checkMustFail(opts["must-fail"]);
  for (const p of problems) console.log(p);
  console.log(`${checked} objects checked, ${problems.length} problems`);
  process.exit(problems.length ? 1 : 0);
}

// The checker's own test: every file in `dir` is a bad response that must be reported with the
// expected message, so a check that silently accepts everything cannot pass.
async function checkMustFail(dir) {
  for (const name of fs.readdirSync(dir)) {
    const c = JSON.parse(fs.readFileSync(path.join(dir, name), "utf8"));
    const before = problems.length;
    await checkResponse(c.raw ?? JSON.stringify(c.response), c.kind, `must-fail/${name}`);
    const found = problems.splice(before);
    if (!found.some((p) => p.includes(c.expect)))
      problem(`must-fail/${name}`, `not reported (expected "${c.expect}"; got ${JSON.stringify(found)})`);
  }
}

// MoneroNetwork's template.spec is a MoneroNodeSet spec without replicas: the two schemas must
// not drift apart (descriptions aside).
function checkNetworkTemplateMatchesNodeSet() {
  const node = crds.get("MoneroNodeSet"), net = crds.get("MoneroNetwork");
  if (!node || !net) return;
  const strip = (v) => JSON.parse(JSON.stringify(v, (k, x) => (k === "description" ? undefined : x)));
  const a = { ...node.root.properties.spec.properties };
  delete a.replicas;
  const b = net.root.properties.spec.properties.template.properties.spec.properties;
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)]))
    if (JSON.stringify(strip(a[key])) !== JSON.stringify(strip(b[key])))
      problem("manifests/crds", `MoneroNetwork template.spec.${key} differs from MoneroNodeSet spec.${key}`);
}

// Each case: { kind, object, old (optional), fails: "message fragment" | null }.
function checkCelCases(file) {
  for (const [i, c] of yamlDocs(file).entries()) {
    checked++;
    const failures = celFailures(c.kind, c.object, c.old);
    const where = `${file} case ${i + 1} (${c.name})`;
    if (!c.fails && failures.length) problem(where, `rejected: ${failures.join("; ")}`);
    if (c.fails && !failures.some((f) => f.includes(c.fails))) problem(where, `accepted, expected "${c.fails}"`);
  }
}

main(process.argv.slice(2)).catch((e) => {
  console.log(`validate.mjs: ${e.stack}`);
  process.exit(2);
});
