import { describe, expect, it } from "vitest";
import type { ReplicaSet } from "../replicaSet/kind.js";
import type { Deployment } from "./replicaSets.js";
import { deploymentStatus } from "./status.js";

const NOW = "2026-12-06T10:05:00Z";
const template = { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "nginx" }] } };
const deployment = { kind: "Deployment", metadata: { name: "web", namespace: "default", uid: "d", generation: 1 }, spec: { replicas: 3, selector: { matchLabels: { app: "web" } }, template, strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } }, revisionHistoryLimit: 10, progressDeadlineSeconds: 600 }, status: {} } as unknown as Deployment;
const failure = (message: string) => ({ type: "ReplicaFailure", status: "True" as const, lastTransitionTime: "2026-12-06T10:00:00Z", reason: "FailedCreate", message });
const rs = (name: string, replicas: number, conditions?: ReturnType<typeof failure>[]): ReplicaSet => ({
  kind: "ReplicaSet", metadata: { name, namespace: "default", uid: name }, spec: { replicas, selector: { matchLabels: { app: "web" } }, template },
  status: { replicas, availableReplicas: replicas, readyReplicas: replicas, ...(conditions ? { conditions } : {}) },
} as unknown as ReplicaSet);

describe("a Deployment's status", () => {
  it("copies a ReplicaSet's ReplicaFailure, the new ReplicaSet's first, as Kubernetes does", () => {
    const oldRS = rs("web-old", 1, [failure("old refused")]);
    const newRS = rs("web-new", 2, [failure("new refused")]);
    const types = (s: ReturnType<typeof deploymentStatus>) => s.conditions?.map((c) => c.type);
    const both = deploymentStatus(deployment, newRS, [oldRS, newRS], NOW);
    expect(types(both)).toEqual(["Available", "Progressing", "ReplicaFailure"]);
    expect(both.conditions?.[2]).toEqual({ ...failure("new refused"), lastUpdateTime: "2026-12-06T10:00:00Z" });
    expect(deploymentStatus(deployment, rs("web-new", 2), [oldRS, rs("web-new", 2)], NOW).conditions?.[2]?.message).toBe("old refused");
    expect(types(deploymentStatus(deployment, rs("web-new", 3), [rs("web-new", 3)], NOW))).toEqual(["Available", "Progressing"]);
  });
});
