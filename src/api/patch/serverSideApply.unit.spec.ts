/** Server-side apply: creation, managedFields as Kubernetes writes them, two managers, conflicts, force and pruning. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { applyPatch } from "./applyPatch.js";
import type { JsonObject } from "./body.js";
import { recordUpdate } from "./managedFields.js";
import { patchMetaFor } from "./patchMeta.js";
import { mergeApplied } from "./structuredMerge.js";
import { statusOf } from "./testObjects.js";

const APPLY = "application/apply-patch+yaml";
const T1 = "2026-12-02T10:00:00Z";
const T2 = "2026-12-02T11:00:00Z";

function rcConfig(over: { replicas?: number; labels?: Record<string, string>; containers?: JsonObject[] } = {}): JsonObject {
  return {
    apiVersion: "v1",
    kind: "ReplicationController",
    metadata: { name: "web", labels: over.labels ?? { app: "web" } },
    spec: {
      replicas: over.replicas ?? 2,
      selector: { app: "web" },
      template: { metadata: { labels: { app: "web" } }, spec: { containers: over.containers ?? [{ name: "web", image: "nginx:1.25" }] } },
    },
  };
}
const apply = (current: JsonObject | undefined, config: JsonObject, fieldManager: string, extra: { force?: boolean; now?: string } = {}) =>
  applyPatch({ current, body: stringify(config), contentType: APPLY, kind: "ReplicationController", fieldManager, now: T1, ...extra }) as any;
const entry = (obj: any, manager: string) => obj.metadata.managedFields.find((e: any) => e.manager === manager);
describe("server-side apply: one manager", () => {
  it("creates the object and records the manager's fields as Kubernetes encodes them", () => {
    const out = apply(undefined, rcConfig(), "kubectl");
    expect(out.spec.replicas).toBe(2);
    expect(out.metadata.managedFields).toEqual([
      {
        manager: "kubectl",
        operation: "Apply",
        apiVersion: "v1",
        time: T1,
        fieldsType: "FieldsV1",
        fieldsV1: {
          "f:metadata": { "f:labels": { "f:app": {} } },
          "f:spec": {
            "f:replicas": {},
            "f:selector": { "f:app": {} },
            "f:template": {
              "f:metadata": { "f:labels": { "f:app": {} } },
              "f:spec": { "f:containers": { 'k:{"name":"web"}': { ".": {}, "f:image": {}, "f:name": {} } } },
            },
          },
        },
      },
    ]);
  });

  it("keys ports by containerPort and protocol, defaulting the protocol to TCP", () => {
    const out = apply(undefined, rcConfig({ containers: [{ name: "web", image: "x", ports: [{ containerPort: 80 }] }] }), "kubectl");
    const web = out.metadata.managedFields[0].fieldsV1["f:spec"]["f:template"]["f:spec"]["f:containers"]['k:{"name":"web"}'];
    expect(web["f:ports"]).toEqual({ 'k:{"containerPort":80,"protocol":"TCP"}': { ".": {}, "f:containerPort": {} } });
  });

  it("merges into the live object: fields it does not name stay", () => {
    const live = { ...apply(undefined, rcConfig(), "kubectl"), status: { replicas: 2 } };
    live.metadata.uid = "u-1";
    const out = apply(live, rcConfig({ replicas: 4 }), "kubectl", { now: T2 });
    expect(out.spec.replicas).toBe(4);
    expect(out.status).toEqual({ replicas: 2 });
    expect(out.metadata.uid).toBe("u-1");
    expect(entry(out, "kubectl").time).toBe(T2);
  });

  it("keeps the manager's time when an apply changes nothing", () => {
    const live = apply(undefined, rcConfig(), "kubectl");
    const again = apply(live, rcConfig(), "kubectl", { now: T2 });
    expect(again).toEqual(live);
    expect(entry(again, "kubectl").time).toBe(T1);
  });

  it("removes a field the manager stops applying (a label)", () => {
    const live = apply(undefined, rcConfig({ labels: { app: "web", tier: "front" } }), "kubectl");
    const out = apply(live, rcConfig({ labels: { app: "web" } }), "kubectl");
    expect(out.metadata.labels).toEqual({ app: "web" });
    expect(entry(out, "kubectl").fieldsV1["f:metadata"]["f:labels"]).toEqual({ "f:app": {} });
  });

  it("removes a list item the manager stops applying, and keeps items of other managers", () => {
    let live = apply(undefined, rcConfig({ containers: [{ name: "web", image: "a" }, { name: "old", image: "b" }] }), "kubectl");
    live = apply(live, { apiVersion: "v1", kind: "ReplicationController", metadata: { name: "web" }, spec: { template: { spec: { containers: [{ name: "log", image: "c" }] } } } }, "sidecar-injector");
    const out = apply(live, rcConfig({ containers: [{ name: "web", image: "a" }] }), "kubectl");
    expect(out.spec.template.spec.containers.map((c: any) => c.name)).toEqual(["web", "log"]);
  });

  it("removes a list it no longer applies any item of, leaving no empty list behind", () => {
    const live = apply(undefined, rcConfig({ containers: [{ name: "web", image: "a", env: [{ name: "A", value: "1" }] }] }), "kubectl");
    const out = apply(live, rcConfig({ containers: [{ name: "web", image: "a" }] }), "kubectl");
    expect(out.spec.template.spec.containers).toEqual([{ name: "web", image: "a" }]);
  });

  it("ignores status and nulls in the applied configuration", () => {
    const out = apply(undefined, { ...rcConfig(), status: { replicas: 9 }, spec: { ...(rcConfig().spec as JsonObject), minReadySeconds: null } }, "kubectl");
    expect(out.status).toBeUndefined();
    expect(out.spec).not.toHaveProperty("minReadySeconds");
  });
});

describe("server-side apply: two managers", () => {
  const base = () => apply(undefined, rcConfig(), "alice");

  it("answers 409 when another applier owns a field with a different value, naming the field", () => {
    const status = statusOf(() => apply(base(), rcConfig({ replicas: 3 }), "bob"));
    expect(status).toEqual({
      code: 409,
      reason: "Conflict",
      message: 'Apply failed with 1 conflict: conflict with "alice": .spec.replicas',
      details: { causes: [{ field: ".spec.replicas", message: 'conflict with "alice"' }] },
    });
  });

  it("names an updater with its apiVersion (kubectl client-side apply, then server-side)", () => {
    const created = recordUpdate(undefined, { ...rcConfig(), metadata: { name: "web", uid: "u", labels: { app: "web" } } }, "kubectl-client-side-apply", T1);
    const status = statusOf(() => apply(created, rcConfig({ replicas: 5 }), "kubectl"));
    expect(status.message).toBe('Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .spec.replicas');
  });

  it("lists every conflict by manager when there are several", () => {
    const status = statusOf(() => apply(base(), rcConfig({ replicas: 3, containers: [{ name: "web", image: "nginx:2" }] }), "bob"));
    expect(status.message).toBe(
      'Apply failed with 2 conflicts: conflicts with "alice":\n- .spec.replicas\n- .spec.template.spec.containers[name="web"].image',
    );
    expect(status.details?.causes?.map((c) => c.field)).toEqual([".spec.replicas", '.spec.template.spec.containers[name="web"].image']);
  });

  it("shares a field applied with the same value: no conflict, both own it", () => {
    const out = apply(base(), rcConfig(), "bob");
    expect(entry(out, "alice").fieldsV1["f:spec"]["f:replicas"]).toEqual({});
    expect(entry(out, "bob").fieldsV1["f:spec"]["f:replicas"]).toEqual({});
  });

  it("takes the field over with force: the value changes and the other manager loses it", () => {
    const out = apply(base(), rcConfig({ replicas: 3 }), "bob", { force: true });
    expect(out.spec.replicas).toBe(3);
    expect(entry(out, "alice").fieldsV1["f:spec"]).not.toHaveProperty("f:replicas");
    expect(entry(out, "bob").fieldsV1["f:spec"]["f:replicas"]).toEqual({});
  });

  it("keeps a field one manager stops applying while another still owns it", () => {
    const both = apply(apply(undefined, rcConfig({ labels: { app: "web", tier: "front" } }), "alice"), rcConfig({ labels: { app: "web", tier: "front" } }), "bob");
    const out = apply(both, rcConfig({ labels: { app: "web" } }), "alice");
    expect(out.metadata.labels).toEqual({ app: "web", tier: "front" });
  });

  it("keeps a list item one manager drops while another owns a field of it", () => {
    const shared = apply(base(), rcConfig(), "bob");
    const out = apply(shared, { apiVersion: "v1", kind: "ReplicationController", metadata: { name: "web" }, spec: { replicas: 2, template: { spec: { containers: [{ name: "log", image: "c" }] } } } }, "alice");
    expect(out.spec.template.spec.containers.map((c: any) => c.name)).toEqual(["web", "log"]);
    expect(entry(out, "alice").fieldsV1["f:spec"]["f:template"]["f:spec"]["f:containers"]).not.toHaveProperty('k:{"name":"web"}');
  });

  it("orders entries as Kubernetes does: appliers before updaters, then by time", () => {
    const updated = recordUpdate(base(), { ...base(), spec: { ...base().spec, replicas: 7 } }, "kube-controller-manager", T2);
    const out = apply(updated, rcConfig({ replicas: 7 }), "bob", { now: T2 });
    expect(out.metadata.managedFields.map((e: any) => `${e.operation}/${e.manager}`)).toEqual(["Apply/alice", "Apply/bob", "Update/kube-controller-manager"]);
  });
});

describe("server-side apply: moving from client-side apply (manager kubectl)", () => {
  const LAST = "kubectl.kubernetes.io/last-applied-configuration";
  /** An object as client-side `kubectl apply` leaves it: the annotation and an Update entry owning every field. */
  function clientSideApplied(): JsonObject {
    const config = rcConfig();
    const obj = structuredClone(config) as any;
    obj.metadata.annotations = { [LAST]: JSON.stringify(config) };
    obj.metadata.uid = "u";
    return recordUpdate(undefined, obj, "kubectl-client-side-apply", T1);
  }

  it("takes over the fields the annotation holds with live values, and rewrites the annotation", () => {
    const out = apply(clientSideApplied(), rcConfig({ replicas: 5 }), "kubectl");
    expect(out.spec.replicas).toBe(5);
    expect(entry(out, "kubectl-client-side-apply").fieldsV1["f:spec"]).not.toHaveProperty("f:replicas");
    expect(JSON.parse(out.metadata.annotations[LAST]).spec.replicas).toBe(5);
  });

  it("still conflicts on a field changed since the last client-side apply, or for another manager", () => {
    const scaled = recordUpdate(clientSideApplied(), { ...clientSideApplied(), spec: { ...(rcConfig().spec as JsonObject), replicas: 3 } }, "kubectl-scale", T2);
    expect(statusOf(() => apply(scaled, rcConfig({ replicas: 5 }), "kubectl")).message).toBe('Apply failed with 1 conflict: conflict with "kubectl-scale" using v1: .spec.replicas');
    expect(statusOf(() => apply(clientSideApplied(), rcConfig({ replicas: 5 }), "my-tool")).code).toBe(409);
  });
});

describe("server-side apply: bad requests", () => {
  it.each([
    ["no field manager", { fieldManager: "" }, 422, 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch'],
    ["another apiVersion", { body: stringify({ ...rcConfig(), apiVersion: "apps/v1" }) }, 400, "Incorrect version specified in apply patch. Specified patch version: apps/v1, expected: v1"],
    ["managedFields in the configuration", { body: stringify({ ...rcConfig(), metadata: { name: "web", managedFields: [] } }) }, 400, "metadata.managedFields must be nil"],
    ["a body that is not YAML", { body: "a: [1" }, 400, undefined],
    ["a body that is a list", { body: "- a\n- b\n" }, 400, undefined],
    ["a list item without its key", { body: stringify(rcConfig({ containers: [{ image: "x" }] })) }, 422, undefined],
  ])("answers %s", (_what, over, code, message) => {
    const status = statusOf(() => applyPatch({ current: undefined, body: stringify(rcConfig()), contentType: APPLY, kind: "ReplicationController", fieldManager: "kubectl", ...over }));
    expect(status.code).toBe(code);
    if (message) expect(status.message).toBe(message);
  });

  it("refuses force on a patch that is not an apply (422)", () => {
    const status = statusOf(() => applyPatch({ current: rcConfig(), body: "{}", contentType: "application/merge-patch+json", kind: "ReplicationController", force: true }));
    expect(status).toMatchObject({ code: 422, message: 'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch' });
  });

  it("takes JSON as the apply body too", () => {
    const out = applyPatch({ current: undefined, body: JSON.stringify(rcConfig()), contentType: APPLY, kind: "ReplicationController", fieldManager: "kubectl" }) as any;
    expect(out.spec.replicas).toBe(2);
  });
});

/** Configurations of a ReplicationController with maps, a set, a map list and nested map lists. */
const configArb = fc.record({
  replicas: fc.option(fc.nat({ max: 5 }), { nil: undefined }),
  labels: fc.dictionary(fc.constantFrom("app", "tier", "env"), fc.constantFrom("a", "b"), { maxKeys: 3 }),
  finalizers: fc.uniqueArray(fc.constantFrom("x.io/a", "x.io/b", "x.io/c"), { maxLength: 3 }),
  containers: fc.uniqueArray(
    fc.record({
      name: fc.constantFrom("web", "log", "db"),
      image: fc.constantFrom("i:1", "i:2"),
      env: fc.uniqueArray(fc.record({ name: fc.constantFrom("A", "B"), value: fc.constantFrom("1", "2") }), { selector: (e) => e.name, maxLength: 2 }),
    }),
    { selector: (c) => c.name, minLength: 1, maxLength: 3 },
  ),
}).map(({ replicas, labels, finalizers, containers }): JsonObject => ({
  apiVersion: "v1",
  kind: "ReplicationController",
  metadata: { name: "web", ...(Object.keys(labels).length > 0 ? { labels } : {}), ...(finalizers.length > 0 ? { finalizers } : {}) },
  spec: { ...(replicas !== undefined ? { replicas } : {}), template: { spec: { containers: containers.map((c) => (c.env.length > 0 ? c : { name: c.name, image: c.image })) } } },
}));

describe("server-side apply properties (one manager)", () => {
  it("the object depends only on the last configuration applied (declarative)", () => {
    fc.assert(fc.property(configArb, configArb, (a, b) => {
      expect(apply(apply(undefined, a, "kubectl"), b, "kubectl")).toEqual(apply(undefined, b, "kubectl"));
    }));
  });

  it("applying a configuration twice is the same as once", () => {
    fc.assert(fc.property(configArb, configArb, (a, b) => {
      const once = apply(apply(undefined, a, "alice"), b, "bob", { force: true });
      expect(apply(once, b, "bob", { force: true })).toEqual(once);
    }));
  });

  it("after forced applies by several managers, the last configuration is all in the object", () => {
    const step = fc.tuple(fc.constantFrom("alice", "bob", "carol"), configArb);
    fc.assert(fc.property(fc.array(step, { minLength: 1, maxLength: 4 }), (steps) => {
      let obj: JsonObject | undefined;
      for (const [manager, config] of steps) obj = apply(obj, config, manager, { force: true });
      const last = (steps.at(-1) as [string, JsonObject])[1];
      expect(withoutManagedFields(mergeApplied(obj, last, patchMetaFor("ReplicationController")))).toEqual(withoutManagedFields(obj));
    }));
  });
});

function withoutManagedFields(obj: unknown): unknown {
  const copy = structuredClone(obj) as any;
  delete copy.metadata.managedFields;
  return copy;
}
