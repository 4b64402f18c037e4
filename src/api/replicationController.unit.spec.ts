import { describe, expect, it } from "vitest";
import { replicationControllerCodec } from "./replicationController.js";

const target = { namespace: "default", name: "web" };
const template = { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "nginx" }] } };

describe("a v1 ReplicationController manifest", () => {
  it("without a selector or labels of its own takes its template's labels for both, as Kubernetes defaults them", () => {
    const m = replicationControllerCodec.parseManifest("v1", { metadata: { name: "web" }, spec: { replicas: 2, template } }, target);
    expect(m.spec.selector).toEqual({ app: "web" });
    expect(m.metadata.labels).toEqual({ app: "web" });
    const own = replicationControllerCodec.parseManifest("v1", { metadata: { name: "web", labels: { tier: "front" } }, spec: { selector: { app: "web" }, template } }, target);
    expect(own.metadata.labels).toEqual({ tier: "front" });
    expect(() => replicationControllerCodec.parseManifest("v1", { metadata: { name: "web" }, spec: { template: { ...template, metadata: {} } } }, target))
      .toThrow(/spec\.selector/);
  });
});
