import { describe, expect, it } from "vitest";
import type { ReplicaSet } from "../replicaSet/kind.js";
import type { Deployment } from "./replicaSets.js";
import { deploymentStatus, progressDeadlineAt } from "./status.js";

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

  it("moves Progressing's update time at each step of progress, and times a rollout out after progressDeadlineSeconds without one", () => {
    const stuck = (available: number) => ({ ...rs("web-new", 3), status: { replicas: 3, availableReplicas: available, readyReplicas: available } }) as unknown as ReplicaSet;
    const progressing = (s: ReturnType<typeof deploymentStatus>) => s.conditions?.find((c) => c.type === "Progressing");
    const at = (t: string, d: Deployment, available: number) => deploymentStatus(d, stuck(available), [stuck(available)], t);
    const d = { ...deployment, spec: { ...deployment.spec, progressDeadlineSeconds: 60 } } as Deployment;
    const first = at("2026-12-06T10:00:00Z", d, 0);
    expect(progressing(first)).toMatchObject({ status: "True", reason: "ReplicaSetUpdated", lastUpdateTime: "2026-12-06T10:00:00Z" });
    const step = at("2026-12-06T10:00:30Z", { ...d, status: first } as Deployment, 1);
    expect(progressing(step)).toMatchObject({ reason: "ReplicaSetUpdated", lastUpdateTime: "2026-12-06T10:00:30Z", lastTransitionTime: "2026-12-06T10:00:00Z" });
    expect(progressDeadlineAt({ ...d, status: step } as Deployment)).toBe(Date.parse("2026-12-06T10:01:30Z"));
    expect(progressing(at("2026-12-06T10:01:30Z", { ...d, status: step } as Deployment, 1))).toEqual(progressing(step)); // not past it yet
    const late = at("2026-12-06T10:01:31Z", { ...d, status: step } as Deployment, 1);
    expect(progressing(late)).toMatchObject({ status: "False", reason: "ProgressDeadlineExceeded", message: 'ReplicaSet "web-new" has timed out progressing.', lastTransitionTime: "2026-12-06T10:01:31Z" });
    expect(progressDeadlineAt({ ...d, status: late } as Deployment)).toBeUndefined();
    expect(progressing(at("2026-12-06T10:05:00Z", { ...d, status: late } as Deployment, 1))).toEqual(progressing(late)); // stays timed out
    expect(progressing(at("2026-12-06T10:05:00Z", { ...d, status: late } as Deployment, 3))).toMatchObject({ status: "True", reason: "NewReplicaSetAvailable" });
    const other = deploymentStatus({ ...d, status: late } as Deployment, rs("web-newer", 1), [rs("web-newer", 1), stuck(1)], "2026-12-06T10:06:00Z");
    expect(progressing(other)).toMatchObject({ status: "True", reason: "ReplicaSetUpdated", message: 'ReplicaSet "web-newer" is progressing.', lastUpdateTime: "2026-12-06T10:06:00Z" });
  });

  it("keeps a finished rollout as it was when it only loses a pod, and reports a paused one as Unknown DeploymentPaused", () => {
    const progressing = (st: ReturnType<typeof deploymentStatus>) => st.conditions?.find((c) => c.type === "Progressing");
    const full = rs("web-new", 3);
    const done = deploymentStatus(deployment, full, [full], "2026-12-01T10:00:00Z");
    expect(progressing(done)).toMatchObject({ reason: "NewReplicaSetAvailable" });
    const lost = { ...full, status: { replicas: 3, availableReplicas: 2, readyReplicas: 2 } } as unknown as ReplicaSet;
    const dayAfter = deploymentStatus({ ...deployment, status: done } as Deployment, lost, [lost], "2026-12-06T10:00:00Z");
    expect(progressing(dayAfter)).toEqual(progressing(done));
    const paused = { ...deployment, spec: { ...deployment.spec, paused: true }, status: dayAfter } as unknown as Deployment;
    expect(progressing(deploymentStatus(paused, lost, [lost], "2026-12-06T10:01:00Z"))).toMatchObject({ status: "Unknown", reason: "DeploymentPaused", message: "Deployment is paused" });
  });
});
