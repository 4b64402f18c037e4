import { describe, expect, it } from "vitest";
import { resolveResource, resolveTypeAndName } from "./kinds.js";

describe("kind names", () => {
  it("takes plural, singular, short and Kind names, in any case", () => {
    const cases: [string, string][] = [
      ["pods", "pods"], ["pod", "pods"], ["po", "pods"], ["Pod", "pods"],
      ["replicationcontrollers", "replicationcontrollers"], ["rc", "replicationcontrollers"], ["ReplicationController", "replicationcontrollers"],
      ["nodes", "nodes"], ["node", "nodes"], ["no", "nodes"], ["namespaces", "namespaces"], ["ns", "namespaces"], ["podtemplates", "podtemplates"],
    ];
    for (const [name, resource] of cases) expect(resolveResource(name), name).toBe(resource);
  });

  it("splits kind/name, and says so when a kind is unknown", () => {
    expect(resolveTypeAndName("rc/front")).toEqual({ resource: "replicationcontrollers", name: "front" });
    expect(resolveTypeAndName("po", "web")).toEqual({ resource: "pods", name: "web" });
    expect(() => resolveResource("widgets")).toThrow(`the server doesn't have a resource type "widgets"`);
  });
});
