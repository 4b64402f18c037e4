/**
 * Differential check against Kubernetes' own code: `kubectl patch --local` applies a patch to a Pod with the
 * apimachinery strategic merge (and JSON merge) that the apiserver runs. For random pods and random
 * kubectl-shaped patches, applyPatch must give the same object, or refuse when kubectl refuses.
 * Needs the real kubectl binary (`.ci/run` installs Debian's kubernetes-client when none is on the machine).
 */
import { execFile } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyPatch } from "./applyPatch.js";
import type { JsonObject } from "./body.js";
import { isObject } from "./body.js";

/** Random cases per run; raise it (PATCH_AGREEMENT_RUNS=500) to search harder. */
const RUNS = Number(process.env.PATCH_AGREEMENT_RUNS ?? 25);

/** Runs kubectl patch --local on `obj` (stdin) and resolves to the patched object, or to "error". */
function kubectlPatch(obj: JsonObject, patch: unknown, type: PatchType): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const args = ["patch", "-f", "-", "--local", `--type=${type}`, "-p", JSON.stringify(patch), "-o", "json"];
    const child = execFile("kubectl", args, { env: { ...process.env, KUBECONFIG: "/nonexistent" }, timeout: 20_000 }, (err, stdout, stderr) => {
      if (err && (err as NodeJS.ErrnoException).code === "ENOENT") reject(new Error("kubectl is not on the PATH"));
      // A refusal, or a panic of the library (which the apiserver turns into a 500).
      else if (err && (stderr.startsWith("error:") || stderr.startsWith("panic:"))) resolve("error");
      else if (err) reject(err);
      else resolve(JSON.parse(stdout));
    });
    child.stdin?.end(JSON.stringify(obj));
  });
}

type PatchType = "strategic" | "merge" | "json";
const CONTENT_TYPES: Record<PatchType, string> = {
  strategic: "application/strategic-merge-patch+json",
  merge: "application/merge-patch+json",
  json: "application/json-patch+json",
};

function ours(obj: JsonObject, patch: unknown, type: PatchType): unknown {
  const contentType = CONTENT_TYPES[type];
  try {
    return applyPatch({ current: obj, body: JSON.stringify(patch), contentType, kind: String(obj.kind) });
  } catch {
    return "error";
  }
}

/**
 * Drops what decoding into the typed object drops on the apiserver (empty maps, lists and strings, and the
 * directive keys that `kubectl patch --local` leaves inside items taken whole), so only meaning is compared.
 */
/** Whether an operation copies from a path that does not exist when it runs (earlier operations applied by ours). */
function copiesMissing(pod: JsonObject, ops: { op: string; from?: string }[]): boolean {
  return ops.some((o, i) => {
    if (o.op !== "copy" || o.from === undefined) return false;
    const before = i === 0 ? pod : ours(pod, ops.slice(0, i), "json");
    return before !== "error" && !resolves(before, o.from);
  });
}

/** Whether a JSON pointer names a value of `doc`. */
function resolves(doc: unknown, pointer: string): boolean {
  let at: unknown = doc;
  for (const token of pointer.split("/").slice(1).map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"))) {
    if (Array.isArray(at) && /^(0|[1-9]\d*)$/.test(token) && Number(token) < at.length) at = at[Number(token)];
    else if (isObject(at) && !Array.isArray(at) && Object.hasOwn(at, token)) at = at[token];
    else return false;
  }
  return true;
}

function normalize(v: unknown): unknown {
  if (Array.isArray(v)) return v.length === 0 ? undefined : v.map(normalize);
  if (!isObject(v)) return v === "" ? undefined : v;
  const out = Object.fromEntries(Object.entries(v).filter(([k]) => !k.startsWith("$")).map(([k, x]) => [k, normalize(x)]).filter(([, x]) => x !== undefined));
  return Object.keys(out).length === 0 ? undefined : out;
}

const containerName = fc.constantFrom("web", "sidecar", "log", "db");
const ports = fc.uniqueArray(fc.record({ containerPort: fc.constantFrom(80, 443, 8080) }), { selector: (p) => p.containerPort, maxLength: 2 });
const env = fc.uniqueArray(fc.record({ name: fc.constantFrom("A", "B", "C"), value: fc.constantFrom("1", "2") }), { selector: (e) => e.name, maxLength: 3 });
const image = fc.constantFrom("nginx:1", "nginx:2", "busybox");
const labels = fc.dictionary(fc.constantFrom("app", "tier", "env"), fc.constantFrom("web", "front", "prod"), { maxKeys: 3 });
const finalizers = fc.uniqueArray(fc.constantFrom("a.io/x", "a.io/y", "a.io/z"), { maxLength: 3 });

const livePod = fc.record({
  labels,
  finalizers,
  containers: fc.uniqueArray(fc.record({ name: containerName, image, ports, env }), { selector: (c) => c.name, minLength: 1, maxLength: 3 }),
  tolerations: fc.array(fc.record({ key: fc.constantFrom("k1", "k3"), operator: fc.constant("Exists") }), { maxLength: 2 }),
}).map(({ labels: l, finalizers: f, containers, tolerations }) => ({
  apiVersion: "v1", kind: "Pod", metadata: { name: "p", labels: l, finalizers: f }, spec: { containers, tolerations },
}));

/** Env entries of a patch: changes, deletions by name, and sometimes their order. */
const envPatch = fc.record({
  items: fc.uniqueArray(fc.oneof(fc.record({ name: fc.constantFrom<string>("A", "B", "C"), value: fc.constantFrom("1", "3") }), fc.constantFrom<string>("A", "B", "C").map((name) => ({ name, $patch: "delete" }))), { selector: (e) => e.name, maxLength: 3 }),
  order: fc.option(fc.shuffledSubarray<string>(["A", "B", "C"], { minLength: 1 }), { nil: undefined }),
}).map(({ items, order }): JsonObject => {
  const kept = items.filter((e) => !("$patch" in e)).map((e) => e.name);
  // kubectl's order names every item it sets, in the order it sets them.
  const full = order ? [...kept, ...order.filter((n) => !kept.includes(n))] : undefined;
  return { env: items, ...(full ? { "$setElementOrder/env": full.map((name) => ({ name })) } : {}) };
});

/** A container entry of a patch: changed fields, or a deletion by name. */
const containerPatch: fc.Arbitrary<JsonObject & { name: string }> = fc.oneof(
  fc.record({ name: containerName, image: fc.option(image, { nil: undefined }), env: fc.option(envPatch, { nil: undefined }), ports: fc.option(ports, { nil: undefined }) })
    .map(({ env: e, name, ...c }) => ({ name, ...Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)), ...(e ?? {}) })),
  containerName.map((name) => ({ name, $patch: "delete" })),
);

const patchArb = fc.record({
  labels: fc.dictionary(fc.constantFrom("app", "tier", "env"), fc.option(fc.constantFrom("web", "back"), { nil: null }), { maxKeys: 3 }),
  addFinalizers: fc.option(finalizers, { nil: undefined }),
  dropFinalizers: fc.option(finalizers, { nil: undefined }),
  containers: fc.uniqueArray(containerPatch, { selector: (c) => c.name, maxLength: 3 }),
  replaceContainers: fc.boolean(),
  tolerations: fc.option(fc.array(fc.record({ key: fc.constantFrom("k1", "k2"), operator: fc.constant("Exists") }), { maxLength: 2 }), { nil: undefined }),
  order: fc.option(fc.shuffledSubarray(["web", "sidecar", "log", "db"]), { nil: undefined }),
}).map(({ labels: l, addFinalizers, dropFinalizers, containers, replaceContainers, tolerations, order }) => ({
  metadata: {
    labels: l,
    ...(addFinalizers ? { finalizers: addFinalizers } : {}),
    // Adding and deleting one value in the same patch is left to Go's map order in Kubernetes (either may win),
    // and kubectl never sends it: the values deleted here are ones not added.
    ...(dropFinalizers ? { "$deleteFromPrimitiveList/finalizers": dropFinalizers.filter((f) => !addFinalizers?.includes(f)) } : {}),
  },
  spec: {
    containers: replaceContainers ? [...containers.filter((c) => !("$patch" in c)), { $patch: "replace" }] : containers,
    ...(order ? { "$setElementOrder/containers": order.map((name) => ({ name })) } : {}),
    ...(tolerations ? { tolerations } : {}),
  },
}));

describe("applyPatch agrees with kubectl patch --local (Kubernetes' own merge code)", () => {
  it("strategic merge patches of pods", async () => {
    await fc.assert(fc.asyncProperty(livePod, patchArb, async (pod, patch) => {
      expect(normalize(ours(pod, patch, "strategic"))).toEqual(normalize(await kubectlPatch(pod, patch, "strategic")));
    }), { numRuns: RUNS });
  }, 20_000 + RUNS * 1_000);

  it("JSON merge patches of pods", async () => {
    await fc.assert(fc.asyncProperty(livePod, patchArb, async (pod, patch) => {
      const plain = { metadata: { labels: patch.metadata.labels }, spec: { containers: (patch.spec.containers as JsonObject[]).filter((c) => !("$patch" in c)).map((c) => ({ name: c.name, image: c.image ?? null })) } };
      expect(normalize(ours(pod, plain, "merge"))).toEqual(normalize(await kubectlPatch(pod, plain, "merge")));
    }), { numRuns: 10 });
  });

  it("JSON patches of pods", async () => {
    const path = fc.constantFrom("/metadata/labels/app", "/metadata/labels/new", "/metadata/labels", "/spec/containers/0/image", "/spec/containers/1", "/spec/containers/-", "/metadata/finalizers/0", "/spec/nope", "/spec/containers/0/env/0/value");
    const value = fc.constantFrom<unknown>("web", 3, { name: "x", image: "y" }, ["a"], null);
    const op = fc.oneof(
      fc.record({ op: fc.constantFrom("add", "replace", "test"), path, value }),
      fc.record({ op: fc.constant("remove"), path }),
      fc.record({ op: fc.constantFrom("move", "copy"), from: path, path }),
    );
    await fc.assert(fc.asyncProperty(livePod, fc.array(op, { minLength: 1, maxLength: 3 }), async (pod, ops) => {
      // The library copies a missing key of an object as null where RFC 6902 (and we) refuse it: a known difference,
      // left out, also when a later operation overwrites that null (seen on CI: copy of a missing label, then a move
      // onto it).
      fc.pre(!copiesMissing(pod, ops));
      const theirs = await kubectlPatch(pod, ops, "json");
      fc.pre(!JSON.stringify(theirs).includes("null"));
      expect(normalize(ours(pod, ops, "json"))).toEqual(normalize(theirs));
    }), { numRuns: 15 });
  });

  /** One case per list of each kind's table: kubectl decides with the Go struct tags, we with the table. */
  const meta = { name: "x", ownerReferences: [{ apiVersion: "v1", kind: "Pod", name: "o", uid: "u1" }], finalizers: ["a"] };
  const podSpec = {
    containers: [{ name: "web", image: "i", ports: [{ containerPort: 80 }], volumeMounts: [{ name: "v", mountPath: "/a" }], env: [{ name: "A", value: "1" }] }],
    initContainers: [{ name: "init", image: "i" }],
    volumes: [{ name: "v", emptyDir: {} }],
    imagePullSecrets: [{ name: "s1" }],
    tolerations: [{ key: "k", operator: "Exists" }],
    hostAliases: [{ ip: "10.0.0.1", hostnames: ["a"] }],
  };
  const podPatch = {
    containers: [{ name: "web", ports: [{ containerPort: 81 }], volumeMounts: [{ name: "w", mountPath: "/b" }], env: [{ name: "B", value: "2" }] }],
    initContainers: [{ name: "init2", image: "j" }],
    volumes: [{ name: "w", emptyDir: {} }],
    imagePullSecrets: [{ name: "s2" }],
    tolerations: [{ key: "k2", operator: "Exists" }],
    hostAliases: [{ ip: "10.0.0.2", hostnames: ["b"] }],
  };
  const metaPatch = { ownerReferences: [{ apiVersion: "v1", kind: "Pod", name: "o2", uid: "u2" }], finalizers: ["b"] };
  it.each([
    ["Pod", { apiVersion: "v1", kind: "Pod", metadata: meta, spec: podSpec, status: { conditions: [{ type: "Ready", status: "False" }], podIPs: [{ ip: "1.1.1.1" }] } },
      { metadata: metaPatch, spec: podPatch, status: { conditions: [{ type: "PodScheduled", status: "True" }], podIPs: [{ ip: "2.2.2.2" }] } }],
    ["ReplicationController", { apiVersion: "v1", kind: "ReplicationController", metadata: meta, spec: { replicas: 1, template: { metadata: { labels: { a: "b" } }, spec: podSpec } }, status: { replicas: 1, conditions: [{ type: "ReplicaFailure", status: "True" }] } },
      { metadata: metaPatch, spec: { template: { spec: podPatch } }, status: { conditions: [{ type: "Other", status: "True" }] } }],
    ["PodTemplate", { apiVersion: "v1", kind: "PodTemplate", metadata: meta, template: { spec: podSpec } }, { template: { spec: podPatch } }],
    ["Node", { apiVersion: "v1", kind: "Node", metadata: meta, spec: { podCIDRs: ["10.0.0.0/24"], taints: [{ key: "a", effect: "NoSchedule" }] }, status: { addresses: [{ type: "InternalIP", address: "1.1.1.1" }], conditions: [{ type: "Ready", status: "True" }] } },
      { spec: { podCIDRs: ["10.0.1.0/24"], taints: [{ key: "b", effect: "NoSchedule" }] }, status: { addresses: [{ type: "Hostname", address: "h" }], conditions: [{ type: "MemoryPressure", status: "False" }] } }],
    ["Namespace", { apiVersion: "v1", kind: "Namespace", metadata: meta, spec: { finalizers: ["kubernetes"] }, status: { conditions: [{ type: "A", status: "True" }] } },
      { spec: { finalizers: ["other"] }, status: { conditions: [{ type: "B", status: "True" }] } }],
    ["Service", { apiVersion: "v1", kind: "Service", metadata: meta, spec: { ports: [{ port: 80, protocol: "TCP" }], selector: { a: "b" } } },
      { spec: { ports: [{ port: 443, protocol: "TCP" }] } }],
    ["Deployment", { apiVersion: "apps/v1", kind: "Deployment", metadata: meta, spec: { strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1 } }, template: { spec: podSpec } }, status: { conditions: [{ type: "Available", status: "True" }] } },
      { spec: { strategy: { $retainKeys: ["type"], type: "Recreate" }, template: { spec: podPatch } }, status: { conditions: [{ type: "Progressing", status: "True" }] } }],
  ])("the %s table merges each list as kubectl does", async (_kind, obj, patch) => {
    expect(normalize(ours(obj, patch, "strategic"))).toEqual(normalize(await kubectlPatch(obj, patch, "strategic")));
  });
});
