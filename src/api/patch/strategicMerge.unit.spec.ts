/**
 * Strategic merge patch: given/expected objects for each list strategy and directive, patches shaped as
 * kubectl's client-side apply sends them, ordering cases from Kubernetes' own test table, and bad patches.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyPatch } from "./applyPatch.js";
import type { JsonObject } from "./body.js";
import { applyMergePatch, createMergePatch } from "./mergePatch.js";
import { registerPatchMeta } from "./patchMeta.js";
import { pod, rc, statusOf } from "./testObjects.js";

const SMP = "application/strategic-merge-patch+json";
const smp = (current: JsonObject, p: unknown, kind = "Pod") => applyPatch({ current, body: JSON.stringify(p), contentType: SMP, kind }) as any;
const names = (list: { name: string }[]) => list.map((c) => c.name);

registerPatchMeta("OrderTest", {
  mergingList: { strategy: "merge", mergeKey: "name", listType: "map", keys: ["name"] },
  mergingIntList: { strategy: "merge", listType: "set" },
});

describe("strategic merge: lists merged by key", () => {
  it("changes one container's image by name and keeps the others (kubectl apply changing an image)", () => {
    const out = smp(pod(), {
      spec: { "$setElementOrder/containers": [{ name: "web" }, { name: "sidecar" }], containers: [{ name: "web", image: "nginx:1.27" }] },
    });
    expect(out.spec.containers).toEqual([
      { name: "web", image: "nginx:1.27", ports: [{ containerPort: 80, protocol: "TCP" }], env: [{ name: "A", value: "1" }] },
      { name: "sidecar", image: "busybox:1.36" },
    ]);
  });

  it("adds a container with a new name (first, as the apiserver puts items it cannot place), and removes one with $patch: delete", () => {
    const added = smp(pod(), { spec: { containers: [{ name: "log", image: "fluentd" }] } });
    expect(names(added.spec.containers)).toEqual(["log", "web", "sidecar"]);
    const ordered = smp(pod(), { spec: { "$setElementOrder/containers": [{ name: "web" }, { name: "sidecar" }, { name: "log" }], containers: [{ name: "log", image: "fluentd" }] } });
    expect(names(ordered.spec.containers)).toEqual(["web", "sidecar", "log"]);
    const removed = smp(pod(), { spec: { "$setElementOrder/containers": [{ name: "web" }], containers: [{ $patch: "delete", name: "sidecar" }] } });
    expect(names(removed.spec.containers)).toEqual(["web"]);
  });

  it("merges ports by containerPort and env by name inside a container", () => {
    const out = smp(pod(), {
      spec: { containers: [{ name: "web", ports: [{ containerPort: 443 }], env: [{ name: "A", value: "2" }, { name: "B", value: "3" }] }] },
    });
    expect(out.spec.containers[0].ports).toEqual([{ containerPort: 443 }, { containerPort: 80, protocol: "TCP" }]);
    expect(out.spec.containers[0].env).toEqual([{ name: "A", value: "2" }, { name: "B", value: "3" }]);
  });

  it("merges the pod template's containers inside a ReplicationController", () => {
    const out = smp(rc(), { spec: { replicas: 5, template: { spec: { containers: [{ name: "web", image: "nginx:1.27" }] } } } }, "ReplicationController");
    expect(out.spec.replicas).toBe(5);
    expect(out.spec.template.spec.containers).toEqual([{ name: "web", image: "nginx:1.27" }]);
    expect(out.spec.selector).toEqual({ app: "web" });
  });

  it("merges conditions by type", () => {
    const current = { ...pod(), status: { conditions: [{ type: "Ready", status: "False" }, { type: "PodScheduled", status: "True" }] } };
    const out = smp(current, { status: { conditions: [{ type: "Ready", status: "True" }] } });
    expect(out.status.conditions).toEqual([{ type: "Ready", status: "True" }, { type: "PodScheduled", status: "True" }]);
  });

  it("replaces lists without patch metadata (tolerations, command) whole", () => {
    const current = pod() as any;
    current.spec.tolerations = [{ key: "a", operator: "Exists" }];
    current.spec.containers[0].command = ["nginx", "-g"];
    const out = smp(current, { spec: { tolerations: [{ key: "b", operator: "Exists" }], containers: [{ name: "web", command: ["httpd"] }] } });
    expect(out.spec.tolerations).toEqual([{ key: "b", operator: "Exists" }]);
    expect(out.spec.containers[0].command).toEqual(["httpd"]);
  });

  it("replaces a merged list with $patch: replace", () => {
    const out = smp(pod(), { spec: { containers: [{ name: "only", image: "x" }, { $patch: "replace" }] } });
    expect(out.spec.containers).toEqual([{ name: "only", image: "x" }]);
  });
});

describe("strategic merge: patches as kubectl apply (client-side) sends them", () => {
  const LAST = "kubectl.kubernetes.io/last-applied-configuration";
  it("changes an image, removes a label and records the new last-applied configuration in one patch", () => {
    const last = JSON.stringify({ apiVersion: "v1", kind: "Pod", metadata: { labels: { app: "web" }, name: "web-1" } }) + "\n";
    const out = smp(pod(), {
      metadata: { annotations: { [LAST]: last }, labels: { tier: null } },
      spec: { "$setElementOrder/containers": [{ name: "web" }, { name: "sidecar" }], containers: [{ image: "nginx:1.27", name: "web" }] },
    });
    expect(out.metadata.annotations).toEqual({ [LAST]: last });
    expect(out.metadata.labels).toEqual({ app: "web" });
    expect(out.spec.containers.map((c: any) => c.image)).toEqual(["nginx:1.27", "busybox:1.36"]);
    expect(out.spec.containers[0].ports).toEqual([{ containerPort: 80, protocol: "TCP" }]);
  });

  it("removes an env var and adds another inside a named container", () => {
    const out = smp(pod(), {
      spec: {
        "$setElementOrder/containers": [{ name: "web" }, { name: "sidecar" }],
        containers: [{ "$setElementOrder/env": [{ name: "B" }], env: [{ name: "B", value: "2" }, { $patch: "delete", name: "A" }], name: "web" }],
      },
    });
    expect(out.spec.containers[0].env).toEqual([{ name: "B", value: "2" }]);
    expect(names(out.spec.containers)).toEqual(["web", "sidecar"]);
  });
});

describe("strategic merge: maps, nulls and directives", () => {
  it("removes a label with null and adds another (kubectl apply removing a label)", () => {
    const out = smp(pod(), { metadata: { labels: { tier: null, env: "prod" } } });
    expect(out.metadata.labels).toEqual({ app: "web", env: "prod" });
    expect(out.status).toEqual({ phase: "Running" });
  });

  it("replaces a map with $patch: replace and empties it with $patch: delete", () => {
    expect(smp(pod(), { metadata: { labels: { only: "x", $patch: "replace" } } }).metadata.labels).toEqual({ only: "x" });
    expect(smp(pod(), { metadata: { labels: { $patch: "delete" } } }).metadata.labels).toEqual({});
  });

  it("clears keys missing from $retainKeys (a volume changing its source)", () => {
    const current = pod() as any;
    current.spec.volumes = [{ name: "data", emptyDir: {} }];
    const out = smp(current, { spec: { volumes: [{ $retainKeys: ["configMap", "name"], name: "data", configMap: { name: "cfg" } }] } });
    expect(out.spec.volumes).toEqual([{ name: "data", configMap: { name: "cfg" } }]);
  });

  it("switches a Deployment's strategy with $retainKeys", () => {
    const current = { ...rc(), kind: "Deployment", spec: { strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1 } } } };
    const out = smp(current, { spec: { strategy: { $retainKeys: ["type"], type: "Recreate", rollingUpdate: null } } }, "Deployment");
    expect(out.spec.strategy).toEqual({ type: "Recreate" });
  });

  it("removes finalizers with $deleteFromPrimitiveList and merges them as a set", () => {
    const current = pod() as any;
    current.metadata.finalizers = ["a", "b", "c"];
    expect(smp(current, { metadata: { "$deleteFromPrimitiveList/finalizers": ["b"] } }).metadata.finalizers).toEqual(["a", "c"]);
    expect(smp(current, { metadata: { finalizers: ["c", "d"] } }).metadata.finalizers).toEqual(["a", "b", "c", "d"]);
  });

  it("keeps no directive in fields it adds", () => {
    const out = smp({ ...pod(), spec: {} }, { spec: { "$setElementOrder/containers": [{ name: "a" }], containers: [{ name: "a", image: "x", "$setElementOrder/env": [{ name: "E" }], env: [{ name: "E", value: "1" }] }] } });
    expect(out.spec).toEqual({ containers: [{ name: "a", image: "x", env: [{ name: "E", value: "1" }] }] });
  });
});

describe("strategic merge: $setElementOrder with server-only items (Kubernetes' ordering cases)", () => {
  const list = (...ns: (number | [number, string, string])[]) => ns.map((n) => (Array.isArray(n) ? { name: n[0], [n[1]]: n[2] } : { name: n }));
  it.each([
    [[1, 3, 4, 2, 9], [4, 2, 3, 1], [4, 2, 3, 1, 9]],
    [[1, 2, 9, 3, 4], [2, 1, 4, 3], [2, 1, 9, 4, 3]],
    [[1, 2, 7, 9, 8, 3, 4], [2, 1, 4, 3], [2, 1, 7, 9, 8, 4, 3]],
  ])("live %j ordered %j gives %j", (live, order, expected) => {
    const out = smp({ mergingList: list(...live), mergingIntList: live }, {
      "$setElementOrder/mergingList": list(...order),
      "$setElementOrder/mergingIntList": order,
    }, "OrderTest");
    expect(out.mergingList.map((i: any) => i.name)).toEqual(expected);
    expect(out.mergingIntList).toEqual(expected);
  });

  it("places server-only items against the live order as the apiserver reads it after a delete and an add", () => {
    const live = { spec: { containers: [{ name: "a" }, { name: "b", image: "x" }, { name: "d", image: "y" }] } };
    const out = smp(live, { spec: { "$setElementOrder/containers": [{ name: "b" }, { name: "c" }], containers: [{ name: "c" }, { name: "a", $patch: "delete" }] } });
    expect(names(out.spec.containers)).toEqual(["b", "d", "c"]);
  });

  it("merges the items the patch carries and then orders them", () => {
    const out = smp({ mergingList: list([1, "other", "a"], 2, 9) }, { "$setElementOrder/mergingList": list(2, 1), mergingList: list([1, "value", "v"]) }, "OrderTest");
    expect(out.mergingList).toEqual([{ name: 2 }, { name: 1, other: "a", value: "v" }, { name: 9 }]);
  });
});

describe("strategic merge: bad patches", () => {
  it.each([
    ["a body that is not JSON", "{spec", 400],
    ["a body that is a list", "[]", 400],
    ["an unknown $patch", JSON.stringify({ metadata: { labels: { $patch: "frob" } } }), 400],
    ["$patch: merge in a list", JSON.stringify({ spec: { containers: [{ $patch: "merge" }] } }), 400],
    ["a list item without its merge key", JSON.stringify({ spec: { containers: [{ image: "x" }] } }), 400],
    ["$retainKeys that is not a list", JSON.stringify({ spec: { $retainKeys: "x" } }), 400],
    ["a patched key missing from $retainKeys", JSON.stringify({ spec: { $retainKeys: ["a"], b: 1 } }), 400],
    ["$setElementOrder that is not a list", JSON.stringify({ spec: { "$setElementOrder/containers": "web" } }), 400],
    ["$setElementOrder disagreeing with the patch list", JSON.stringify({ spec: { "$setElementOrder/containers": [{ name: "web" }], containers: [{ name: "other" }] } }), 400],
    ["a list of lists", JSON.stringify({ metadata: { finalizers: [["a"]] } }), 422],
  ])("answers %s with %i", (_what, body, code) => {
    const current = pod() as any;
    current.metadata.finalizers = ["a"];
    expect(statusOf(() => applyPatch({ current, body, contentType: SMP, kind: "Pod" })).code).toBe(code);
  });
});

/** JSON objects without lists: strategic merge has nothing strategic to do on them. */
const listFree = (withNulls: boolean) =>
  fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: "small" }, fc.string(), fc.integer(), fc.boolean(), ...(withNulls ? [fc.constant(null)] : []), tie("object")),
    object: fc.dictionary(fc.constantFrom("a", "b", "spec", "labels", "x-y"), tie("value"), { maxKeys: 4 }),
  })).object as fc.Arbitrary<JsonObject>;

describe("strategic merge properties", () => {
  it("with no directives over objects without lists, equals a JSON merge patch", () => {
    fc.assert(fc.property(listFree(false), listFree(true), (current, p) => {
      expect(smp(current, p, "Pod")).toEqual(applyMergePatch(current, p));
    }));
  });

  it("the merge-patch diff of two list-free objects, applied strategically, gives the second", () => {
    fc.assert(fc.property(listFree(false), listFree(false), (a, b) => {
      expect(smp(a, createMergePatch(a, b), "Pod")).toEqual(b);
    }));
  });

  it("merging a container list by name keeps every live container and adds each patched one once", () => {
    const name = fc.constantFrom("a", "b", "c", "d", "e");
    const containers = fc.uniqueArray(fc.record({ name, image: fc.string() }), { selector: (c) => c.name, maxLength: 4 });
    fc.assert(fc.property(containers, containers, (live, patched) => {
      const out = smp({ spec: { containers: live } }, { spec: { containers: patched } });
      const expected = new Set([...live, ...patched].map((c) => c.name));
      expect(new Set(names(out.spec.containers))).toEqual(expected);
      expect(out.spec.containers).toHaveLength(expected.size);
      for (const c of patched) expect(out.spec.containers.find((x: any) => x.name === c.name).image).toBe(c.image);
    }));
  });
});
