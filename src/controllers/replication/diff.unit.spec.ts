import { describe, expect, it } from "vitest";
import { pod, rc } from "../../../test/harness/controllerObjects.js";
import { activePodsOf, replicaDiff, replicationStatus, statusDiffers } from "./diff.js";

describe("replica diff", () => {
  it("is the number to create or (negative) to delete, capped by the burst", () => {
    expect(replicaDiff(5, 2, 500)).toBe(3);
    expect(replicaDiff(1, 4, 500)).toBe(-3);
    expect(replicaDiff(3, 3, 500)).toBe(0);
    expect(replicaDiff(1000, 0, 100)).toBe(100);
    expect(replicaDiff(0, 1000, 100)).toBe(-100);
  });
});

describe("the pods of a controller", () => {
  it("are the active pods its selector matches", () => {
    const web = rc("web");
    const pods = [
      pod("a", { labels: { app: "web", tier: "x" } }),
      pod("b", { labels: { app: "db" } }),
      pod("c", { labels: { app: "web" }, phase: "Succeeded", nodeName: "n" }),
      pod("d", { labels: { app: "web" }, phase: "Failed", nodeName: "n" }),
      pod("e", { labels: { app: "web" }, deleting: true }),
    ].map((object) => ({ object }));
    expect(activePodsOf(web, pods).map((p) => p.object.metadata.name)).toEqual(["a"]);
  });
});

describe("replication status", () => {
  it("counts active and ready pods and names the generation", () => {
    const web = rc("web", { generation: 4 });
    expect(replicationStatus(web, { active: 2, ready: 1 })).toEqual({ replicas: 2, readyReplicas: 1, observedGeneration: 4 });
  });

  it("differs only when a number does", () => {
    const next = { replicas: 2, readyReplicas: 1, observedGeneration: 4 };
    expect(statusDiffers({ ...next }, next)).toBe(false);
    expect(statusDiffers({ replicas: 2 }, next)).toBe(true);
    expect(statusDiffers({ ...next, readyReplicas: 2 }, next)).toBe(true);
  });
});
