/** What init containers change beyond the pod's life: its effective requests (scheduler, quota) and which logs may be read. */
import { describe, expect, it } from "vitest";
import type { Pod } from "./pod.js";
import { PodSpec } from "./podSpec.js";
import { podQuotaRequests } from "./resourceQuota.js";
import { bindPod } from "../actors/pod/podStatus.js";
import { podRequests } from "../controllers/scheduler/resources.js";
import { chooseContainer, planPodLog } from "../projections/podLogs/plan.js";
import { StatusError } from "./status.js";

const spec = PodSpec.parse({
  initContainers: [
    { name: "migrate", image: "busybox", resources: { requests: { cpu: "2", memory: "64Mi" } } },
    { name: "warm", image: "busybox", resources: { requests: { cpu: "100m", memory: "1Gi" } } },
  ],
  containers: [
    { name: "app", image: "nginx", resources: { requests: { cpu: "500m", memory: "128Mi" } } },
    { name: "side", image: "nginx", resources: { requests: { cpu: "500m", memory: "128Mi" } } },
  ],
});
const TIME = "2026-12-07T00:00:00Z";
const pod: Pod = bindPod({ kind: "Pod", metadata: { name: "web", namespace: "default", uid: "u", creationTimestamp: TIME }, spec, status: { phase: "Pending" } }, "n1", undefined, TIME);

/** The message of the Status `fn` throws. */
function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatusError) return err.message;
  }
  return "no refusal";
}

describe("init containers: effective requests", () => {
  it("asks the scheduler for the larger of the containers' sum and each init container, per resource", () => {
    expect(podRequests(pod)).toEqual({ milliCpu: 2000, memory: 1024 * 1024 * 1024 });
  });

  it("counts the same against a quota", () => {
    expect(podQuotaRequests(spec)).toEqual({ "requests.cpu": "2", "requests.memory": "1Gi" });
  });

  it("states a resource to a quota only when the init containers state it too (Kubernetes asks it of each)", () => {
    const unstated = PodSpec.parse({ ...spec, initContainers: [...spec.initContainers ?? [], { name: "bare", image: "busybox", resources: { requests: { memory: "1Mi" } } }] });
    expect(podQuotaRequests(unstated)).toEqual({ "requests.memory": "1Gi" });
  });

  it("adds a sidecar to the containers and to every init container after it", () => {
    const proxy = { name: "proxy", image: "envoy", restartPolicy: "Always", resources: { requests: { cpu: "250m", memory: "1Gi" } } };
    const withSidecar = PodSpec.parse({ ...spec, initContainers: [proxy, ...(spec.initContainers ?? [])] });
    const sidecarPod: Pod = { ...pod, spec: withSidecar };
    expect(podRequests(sidecarPod)).toEqual({ milliCpu: 2250, memory: 2 * 1024 * 1024 * 1024 });
    expect(podQuotaRequests(withSidecar)).toEqual({ "requests.cpu": "2250m", "requests.memory": "2Gi" });
  });
});

describe("init containers: logs", () => {
  it("reads an init container's log by name, and names them when no container is given", () => {
    expect(chooseContainer(pod, "migrate")).toBe("migrate");
    expect(refusal(() => chooseContainer(pod, undefined))).toBe("a container name must be specified for pod web, choose one of: [app side] or one of the init containers: [migrate warm]");
    expect(refusal(() => chooseContainer(pod, "nope"))).toBe("container nope is not valid for pod web");
  });

  it("says a container waits to start while the pod initializes, in the apiserver's words", () => {
    expect(refusal(() => planPodLog(pod, { container: "app" }, Date.parse(TIME)))).toBe('container "app" in pod "web" is waiting to start: PodInitializing');
  });
});
