import { describe, expect, it } from "vitest";
import type { ReplicationController } from "../../api/replicationController.js";
import { detachedOldManifest, newRcManifest, newRcName, overlaps } from "./rollingUpdatePlan.js";

const old: ReplicationController = {
  kind: "ReplicationController",
  metadata: { name: "web", namespace: "default", uid: "u", creationTimestamp: "2026-11-26T00:00:00Z" },
  spec: { replicas: 3, selector: { app: "web" }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "nginx:1" }], restartPolicy: "Always", terminationGracePeriodSeconds: 30 } } },
  status: { replicas: 3 },
};

describe("rolling-update plan", () => {
  it("names the new RC by its template's hash, the same on every run, with the deployment label in selector and template", () => {
    const a = newRcManifest(old, "nginx:2", undefined);
    expect(a.name).toMatch(/^web-[0-9a-f]{8}$/);
    expect(newRcManifest(old, "nginx:2", undefined).name).toBe(a.name);
    const spec = a.data.spec as ReplicationController["spec"];
    expect(spec.replicas).toBe(0);
    expect(spec.selector).toEqual({ app: "web", deployment: a.name.slice(4) });
    expect(spec.template?.metadata.labels).toEqual(spec.selector);
    expect(spec.template?.spec.containers[0]?.image).toBe("nginx:2");
    expect(newRcName("x".repeat(63), "abcdef12")).toHaveLength(63);
    expect(newRcName("web-1a2b3c4d", "abcdef12", "1a2b3c4d")).toBe("web-abcdef12");
  });

  it("makes an old RC whose selector matches the new pods let go of its pods, with a selector no pod has", () => {
    const next = { ...old, spec: newRcManifest(old, "nginx:2", undefined).data.spec as ReplicationController["spec"] };
    expect(overlaps(old, next)).toBe(true);
    const detached = detachedOldManifest(old).spec as ReplicationController["spec"];
    expect(detached.replicas).toBe(0);
    expect(overlaps({ ...old, spec: detached }, next)).toBe(false);
  });
});
