import { describe, expect, it } from "vitest";
import type { PodManifest } from "../../api/pod.js";
import type { RuntimeClass } from "../../api/runtimeClass.js";
import { podRequests } from "../../controllers/scheduler/resources.js";
import { applyRuntimeClass } from "./admission.js";

const rc = (more: Partial<RuntimeClass> = {}) => ({ kind: "RuntimeClass", metadata: { name: "gvisor", uid: "u", creationTimestamp: "2026-12-07T00:00:00Z" }, handler: "runsc", ...more }) as RuntimeClass;
const spec = (more: Record<string, unknown> = {}) => ({ containers: [{ name: "app", image: "nginx", resources: { requests: { cpu: "100m" } } }], ...more }) as unknown as PodManifest["spec"];

describe("RuntimeClass admission of a pod", () => {
  it("gives the pod its class's overhead, node selector and tolerations, and the scheduler counts the overhead", () => {
    const s = spec({ nodeSelector: { disk: "ssd" }, tolerations: [{ key: "a", operator: "Exists" }] });
    const klass = rc({ overhead: { podFixed: { cpu: "250m", memory: "64Mi" } }, scheduling: { nodeSelector: { sandbox: "yes" }, tolerations: [{ key: "a", operator: "Exists" }, { key: "b", operator: "Exists" }] } });
    expect(applyRuntimeClass(s, klass)).toBeUndefined();
    expect(s).toMatchObject({ overhead: { cpu: "250m", memory: "64Mi" }, nodeSelector: { disk: "ssd", sandbox: "yes" }, tolerations: [{ key: "a", operator: "Exists" }, { key: "b", operator: "Exists" }] });
    expect(podRequests({ spec: s } as never)).toEqual({ milliCpu: 350, memory: 64 * 1024 * 1024 });
    // A class with no overhead gives none, and its scheduling still applies.
    const plain = spec();
    expect(applyRuntimeClass(plain, rc({ scheduling: { nodeSelector: { sandbox: "yes" } } }))).toBeUndefined();
    expect(plain).toMatchObject({ nodeSelector: { sandbox: "yes" } });
    expect(plain.overhead).toBeUndefined();
  });

  it("refuses in the apiserver's words: an overhead the class does not define or differs from, a node selector it contradicts", () => {
    expect(applyRuntimeClass(spec({ overhead: { cpu: "1" } }), null)).toBe("pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead");
    expect(applyRuntimeClass(spec({ overhead: { cpu: "1" } }), rc({ overhead: { podFixed: { cpu: "250m" } } }))).toBe("pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead");
    expect(applyRuntimeClass(spec({ nodeSelector: { sandbox: "no" } }), rc({ scheduling: { nodeSelector: { sandbox: "yes" } } })))
      .toBe("conflict: runtimeClass.scheduling.nodeSelector[sandbox] = yes; pod.spec.nodeSelector[sandbox] = no");
    expect(applyRuntimeClass(spec(), null)).toBeUndefined();
    // The same amounts written otherwise are the same overhead.
    expect(applyRuntimeClass(spec({ overhead: { cpu: "0.25" } }), rc({ overhead: { podFixed: { cpu: "250m" } } }))).toBeUndefined();
  });
});
