import { describe, expect, it } from "vitest";
import { API_VERSIONS } from "./codec.js";
import { RESOURCES, RESOURCE_INFO } from "./kinds.js";
import { jsonSchemas } from "./jsonSchemas.js";

describe("jsonSchemas", () => {
  const schemas = jsonSchemas();

  it("has one schema per kind and version, each a JSON object schema", () => {
    // The kinds of 2014 are served in both versions; those that came later (Lease, Deployment, Service, …) in v1 only.
    const both = new Set(["namespaces", "pods", "replicationcontrollers", "podtemplates", "nodes", "resourcequotas"]);
    const expected = RESOURCES.filter((r) => r !== "events").flatMap((r) => (both.has(r) ? API_VERSIONS : ["v1"]).map((v) => `${RESOURCE_INFO[r].kind.toLowerCase()}.${v}`));
    expect(Object.keys(schemas).sort()).toEqual(expected.sort());
    for (const schema of Object.values(schemas)) {
      expect(schema).toMatchObject({ $schema: "https://json-schema.org/draft/2020-12/schema", type: "object", additionalProperties: false });
      expect(() => JSON.stringify(schema)).not.toThrow();
    }
  });

  it("describes the input side: defaulted fields are optional, quantities are strings or numbers", () => {
    const pod = schemas["pod.v1"] as { properties: { spec: { required: string[]; properties: Record<string, any> } } };
    expect(pod.properties.spec.required).toEqual(["containers"]);
    const limits = pod.properties.spec.properties.containers.items.properties.resources.properties.limits;
    expect(limits.properties.cpu.type).toEqual(["string", "number"]);
    expect(limits.properties.cpu.description).toMatch(/quantity/);
  });

  it("refuses status in a pod manifest and conditions in a node manifest", () => {
    expect(schemas["pod.v1"]).not.toHaveProperty("properties.status");
    expect(schemas["node.v1"]).not.toHaveProperty("properties.status.properties.conditions");
    expect(schemas["node.v1"]).toHaveProperty("properties.status.properties.capacity");
  });
});
