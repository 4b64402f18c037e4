import { describe, expect, it } from "vitest";
import { DeploymentSpec } from "./apps.js";

const base = { selector: { matchLabels: { app: "w" } }, template: { metadata: { labels: { app: "w" } }, spec: { containers: [{ name: "w", image: "nginx" }] } } };

describe("a Deployment's spec", () => {
  it("defaults a RollingUpdate's bounds left out to 25 % each, as Kubernetes does (kubectl describe shows both)", () => {
    const strategy = (s: unknown) => DeploymentSpec.parse({ ...base, ...(s === undefined ? {} : { strategy: s }) }).strategy;
    const both = { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } };
    expect(strategy(undefined)).toEqual(both);
    expect(strategy({})).toEqual(both); // kubectl create deployment sends strategy: {}
    expect(strategy({ type: "RollingUpdate", rollingUpdate: { maxSurge: "50%" } })).toEqual({ type: "RollingUpdate", rollingUpdate: { maxSurge: "50%", maxUnavailable: "25%" } });
    expect(strategy({ type: "Recreate" })).toEqual({ type: "Recreate" });
  });
});
