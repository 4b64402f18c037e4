import { describe, expect, it } from "vitest";
import { RESOURCE_INFO } from "../api/kinds.js";
import { groupVersions } from "./discovery.js";
import { openapiV3Document } from "./openapi.js";
import { schemaName } from "./openapiSchemas.js";
import { explainableUnion, type Schema } from "./openapiUnions.js";

type Gvk = { group: string; version: string; kind: string };
type Doc = { paths: Record<string, Record<string, { "x-kubernetes-group-version-kind"?: Gvk }>>; components: { schemas: Record<string, Schema> } };

/** The schema `kubectl explain` would pick for a GVK: the first whose `x-kubernetes-group-version-kind` lists it. */
function byGvk(doc: Doc, gvk: Gvk): Schema | undefined {
  return Object.values(doc.components.schemas).find((s) =>
    (s["x-kubernetes-group-version-kind"] as Gvk[] | undefined)?.some((g) => JSON.stringify(g) === JSON.stringify(gvk)));
}

/** Every subschema of `node`, with its path. */
function* walk(node: unknown, path = ""): Generator<[string, Record<string, unknown>]> {
  if (node === null || typeof node !== "object") return;
  if (!Array.isArray(node)) yield [path, node as Record<string, unknown>];
  for (const [k, v] of Object.entries(node)) yield* walk(v, `${path}/${k}`);
}

const doc = (gv: string) => openapiV3Document(gv) as unknown as Doc;

describe("the kinds' schemas in the OpenAPI v3 documents", () => {
  it("holds, in each group version's document, a schema for every kind, found by the GVK of its operations", () => {
    for (const [gv, resources] of groupVersions()) {
      for (const r of resources) {
        const info = RESOURCE_INFO[r];
        const op = Object.values(doc(gv).paths).find((p) => p.get?.["x-kubernetes-group-version-kind"]?.kind === info.kind)?.get;
        const gvk = op?.["x-kubernetes-group-version-kind"] as Gvk;
        expect(gvk, `${gv} ${r}`).toEqual({ group: info.group, version: info.version, kind: info.kind });
        const schema = byGvk(doc(gv), gvk);
        expect(schema, `${gv} ${info.kind}`).toMatchObject({ type: "object", properties: { apiVersion: { type: "string" }, kind: { type: "string" } } });
        expect(doc(gv).components.schemas[schemaName(info)]).toBe(schema);
      }
    }
  });

  it("describes a kind the server mostly makes (Event) by its objects' fields", () => {
    const event = byGvk(doc("v1"), { group: "", version: "v1", kind: "Event" }) as any;
    expect(event.description).toMatch(/mostly made by the server/);
    expect(event.properties.involvedObject.properties.kind).toMatchObject({ type: "string" });
    expect(event.properties.type).toMatchObject({ type: "string" });
    expect(event.required).toEqual(expect.arrayContaining(["reason", "message", "involvedObject"]));
  });

  it("names them as Kubernetes does", () => {
    expect(Object.keys(doc("v1").components.schemas)).toEqual(expect.arrayContaining(["io.k8s.api.core.v1.Pod", "io.k8s.api.core.v1.Node"]));
    expect(Object.keys(doc("apps/v1").components.schemas)).toContain("io.k8s.api.apps.v1.Deployment");
    expect(Object.keys(doc("rbac.authorization.k8s.io/v1").components.schemas)).toContain("io.k8s.api.rbac.v1.Role");
    expect(Object.keys(doc("coordination.k8s.io/v1").components.schemas)).toContain("io.k8s.api.coordination.v1.Lease");
    expect(schemaName({ group: "coxswain.io", version: "v1", kind: "Image" })).toBe("io.coxswain.v1.Image");
  });

  it("describes a pod down to its containers' leaves, with what is required and the common fields described", () => {
    const pod = byGvk(doc("v1"), { group: "", version: "v1", kind: "Pod" }) as any;
    expect(pod.required).toEqual(expect.arrayContaining(["spec"]));
    for (const field of ["apiVersion", "kind", "metadata"]) expect(pod.properties[field].description).toMatch(/\w{10}/);
    const container = pod.properties.spec.properties.containers.items;
    expect(container.required).toEqual(expect.arrayContaining(["name", "image"]));
    expect(container.properties.image).toEqual({ type: "string", minLength: 1 });
    expect(container.properties.ports.items.properties.containerPort.type).toBe("integer");
    expect(container.properties.resources.properties.limits.properties.cpu).toMatchObject({
      description: expect.stringMatching(/quantity/), allOf: [{ $ref: "#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity" }],
    });
    expect(container.properties.livenessProbe.properties.httpGet.properties.port.allOf).toEqual([{ $ref: "#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString" }]);
  });

  it("gives a discriminated union (a deployment's strategy) the properties of all its alternatives", () => {
    const deployment = byGvk(doc("apps/v1"), { group: "apps", version: "v1", kind: "Deployment" }) as any;
    const strategy = deployment.properties.spec.properties.strategy;
    expect(strategy).toMatchObject({ type: "object", required: ["type"], properties: { type: { type: "string", enum: ["RollingUpdate", "Recreate"] } } });
    expect(strategy.properties.rollingUpdate.properties).toHaveProperty("maxSurge");
    expect(strategy.oneOf).toHaveLength(2);
  });

  it("uses only what OpenAPI 3.0 accepts, resolves every $ref, and still offers no strategic merge", () => {
    for (const gv of groupVersions().keys()) {
      const d = doc(gv);
      for (const [path, node] of walk(d.components.schemas)) {
        for (const banned of ["$schema", "const", "prefixItems", "$defs", "x-kubernetes-patch-strategy", "x-kubernetes-patch-merge-key"]) expect(node, `${gv}${path}`).not.toHaveProperty([banned]);
        if ("exclusiveMinimum" in node) expect(typeof node.exclusiveMinimum, `${gv}${path}`).toBe("boolean");
        if (typeof node.type !== "undefined" && !path.endsWith("/properties")) expect(typeof node.type, `${gv}${path}`).toBe("string");
        if (typeof node.$ref === "string") expect(d.components.schemas, node.$ref).toHaveProperty([node.$ref.replace("#/components/schemas/", "")]);
      }
      expect(JSON.stringify(d.paths)).not.toContain("strategic-merge-patch");
    }
  });
});

describe("explainableUnion", () => {
  it("types a union of one scalar type, and leaves a typed node or a mixed union of objects and scalars alone", () => {
    expect(explainableUnion({ anyOf: [{ type: "string", enum: ["None"] }, { type: "string", pattern: "^\\d+$" }] }).type).toBe("string");
    const typed = { type: "string", anyOf: [{ enum: ["a"] }] };
    expect(explainableUnion(typed)).toBe(typed);
    const mixed = { anyOf: [{ type: "object" }, { type: "string" }] };
    expect(explainableUnion(mixed)).toBe(mixed);
  });

  it("merges object alternatives: a property in several becomes their union, required is what all require", () => {
    const merged = explainableUnion({ anyOf: [
      { type: "object", properties: { a: { type: "integer" }, b: { type: "string" } }, required: ["a", "b"] },
      { type: "object", properties: { a: { type: "string" } }, required: ["a"] },
    ] });
    expect(merged).toMatchObject({ type: "object", required: ["a"], properties: { b: { type: "string" } } });
    expect((merged.properties as Record<string, Schema>).a?.allOf).toEqual([{ $ref: "#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString" }]);
  });
});
