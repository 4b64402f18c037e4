/** managedFields bookkeeping of non-apply writes, and the FieldsV1 encoding. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyPatch } from "./applyPatch.js";
import { fromFieldsV1, pathKey, printPath, toFieldsV1 } from "./fieldSet.js";
import { recordUpdate } from "./managedFields.js";
import { pod } from "./testObjects.js";

const T1 = "2026-12-02T10:00:00Z";
const T2 = "2026-12-02T11:00:00Z";

describe("recordUpdate", () => {
  it("gives the creator every field it wrote, system metadata and type aside", () => {
    const created = recordUpdate(undefined, pod(), "kubectl-create", T1) as any;
    expect(created.metadata.managedFields).toHaveLength(1);
    const e = created.metadata.managedFields[0];
    expect(e).toMatchObject({ manager: "kubectl-create", operation: "Update", apiVersion: "v1", time: T1, fieldsType: "FieldsV1" });
    expect(e.fieldsV1["f:metadata"]).toEqual({ "f:labels": { "f:app": {}, "f:tier": {} } });
    expect(e.fieldsV1["f:spec"]["f:containers"]['k:{"name":"web"}']["f:ports"]).toEqual({
      'k:{"containerPort":80,"protocol":"TCP"}': { ".": {}, "f:containerPort": {}, "f:protocol": {} },
    });
    expect(e.fieldsV1).not.toHaveProperty("f:apiVersion");
    expect(e.fieldsV1).not.toHaveProperty("f:kind");
  });

  it("moves the fields a patch changes to the patching manager (kubectl edit after kubectl create)", () => {
    const created = recordUpdate(undefined, pod(), "kubectl-create", T1);
    const edited = applyPatch({
      current: created,
      body: JSON.stringify({ spec: { containers: [{ name: "web", image: "nginx:1.27" }] } }),
      contentType: "application/strategic-merge-patch+json",
      kind: "Pod",
      fieldManager: "kubectl-edit",
      now: T2,
    }) as any;
    const [create, edit] = edited.metadata.managedFields;
    expect(edit).toMatchObject({ manager: "kubectl-edit", operation: "Update", time: T2 });
    expect(edit.fieldsV1).toEqual({ "f:spec": { "f:containers": { 'k:{"name":"web"}': { "f:image": {} } } } });
    expect(create.fieldsV1["f:spec"]["f:containers"]['k:{"name":"web"}']).not.toHaveProperty("f:image");
    expect(create.time).toBe(T1);
  });

  it("drops removed fields from every manager and keeps a no-op update's time", () => {
    const created = recordUpdate(undefined, pod(), "kubectl-create", T1) as any;
    const next = structuredClone(created);
    delete next.metadata.labels.tier;
    const out = recordUpdate(created, next, "kubectl-label", T2) as any;
    expect(out.metadata.managedFields.map((e: any) => e.manager)).toEqual(["kubectl-create"]);
    expect(out.metadata.managedFields[0].fieldsV1["f:metadata"]["f:labels"]).toEqual({ "f:app": {} });
    expect((recordUpdate(out, structuredClone(out), "kubectl-create", T2) as any).metadata.managedFields[0].time).toBe(T1);
  });
});

describe("FieldsV1", () => {
  it("prints paths as conflicts print them", () => {
    expect(printPath(pathKey(["f:spec", 'k:{"name":"web"}', "f:image"]))).toBe('.spec[name="web"].image');
    expect(printPath(pathKey(["f:spec", "f:ports", 'k:{"port":80,"protocol":"TCP"}']))).toBe('.spec.ports[port=80,protocol="TCP"]');
    expect(printPath(pathKey(["f:metadata", "f:finalizers", 'v:"x"']))).toBe('.metadata.finalizers[="x"]');
  });

  it("decodes what it encodes, members with children marked by '.'", () => {
    const token = fc.oneof(fc.string({ minLength: 1, maxLength: 5 }).map((s) => `f:${s}`), fc.integer().map((n) => `k:{"n":${n}}`), fc.string().map((s) => `v:${JSON.stringify(s)}`));
    fc.assert(fc.property(fc.uniqueArray(fc.array(token, { minLength: 1, maxLength: 4 }).map(pathKey)), (paths) => {
      expect(new Set(fromFieldsV1(toFieldsV1(paths)))).toEqual(new Set(paths));
    }));
  });
});
