/** The pod status functions share equal conditions across pods, and never let a shared one change. */
import { describe, expect, it } from "vitest";
import type { Pod } from "../../api/pod.js";
import { bindPod, newPod, setCondition, updateContainer } from "./podStatus.js";

const T1 = "2026-12-04T01:00:00Z";
const T2 = "2026-12-04T01:00:01Z";

/** A pod named `name` created, bound and started at `time`, its strings parsed afresh as from the wire. */
function started(name: string, time: string): Pod {
  const manifest = JSON.parse(JSON.stringify({ metadata: { name, namespace: "default", uid: `uid-${name}`, creationTimestamp: time }, spec: { containers: [{ name: "app", image: "sim" }] } })) as Omit<Pod, "status">;
  const bound = bindPod(newPod(manifest, time), "node-1", "10.200.100.100", time);
  return updateContainer(bound, "app", (s) => ({ ...s, state: { running: { startedAt: time } }, ready: true }), time);
}

describe("pod status sharing", () => {
  it("gives pods started in the same second one conditions list, frozen, and another second its own", () => {
    const [a, b, c] = [started("a", T1), started("b", T1), started("c", T2)];
    expect(a.status.conditions).toEqual([
      { type: "PodScheduled", status: "True", lastTransitionTime: T1 },
      { type: "ContainersReady", status: "True", lastTransitionTime: T1 },
      { type: "Ready", status: "True", lastTransitionTime: T1 },
    ]);
    expect(b.status.conditions).toBe(a.status.conditions);
    expect(Object.isFrozen(a.status.conditions) && a.status.conditions?.every((x) => Object.isFrozen(x))).toBe(true);
    expect(c.status.conditions).not.toBe(a.status.conditions);
    expect(c.status.conditions?.map((x) => x.lastTransitionTime)).toEqual([T2, T2, T2]);
    expect(() => (a.status.conditions as { status: string }[])[0]!.status = "False").toThrow(TypeError);
  });

  it("shares a list holding conditions from elsewhere (a checkpoint's, with a reason) only with an equal one", () => {
    const wire = (message: string) => JSON.parse(JSON.stringify([{ type: "PodScheduled", status: "False", lastTransitionTime: T1, reason: "Unschedulable", message }]));
    const a = setCondition(wire("0/3 nodes are available"), "Ready", "False", T1);
    expect(setCondition(wire("0/3 nodes are available"), "Ready", "False", T1)).toBe(a);
    const other = setCondition(wire("0/4 nodes are available"), "Ready", "False", T1);
    expect(other).not.toBe(a);
    expect(other).toEqual([
      { type: "PodScheduled", status: "False", lastTransitionTime: T1, reason: "Unschedulable", message: "0/4 nodes are available" },
      { type: "Ready", status: "False", lastTransitionTime: T1 },
    ]);
    // A list of conditions made here is shared however it was reached, and not with one that differs in a time.
    const made = setCondition(setCondition(undefined, "PodScheduled", "True", T1), "Ready", "True", T1);
    expect(setCondition(setCondition(undefined, "PodScheduled", "True", T1), "Ready", "True", T1)).toBe(made);
    expect(setCondition(setCondition(undefined, "PodScheduled", "True", T1), "Ready", "True", T2)).not.toBe(made);
  });
});

describe("readiness gates", () => {
  /** A pod with `gates`, its container running and ready (or not) at T1, its conditions `extra` besides. */
  function gated(gates: string[], ready: boolean, extra: Pod["status"]["conditions"] = []): Pod {
    const manifest = { metadata: { name: "g", namespace: "default", uid: "uid-g", creationTimestamp: T1 }, spec: { containers: [{ name: "app", image: "sim" }], readinessGates: gates.map((conditionType) => ({ conditionType })) } } as unknown as Omit<Pod, "status">;
    const bound = bindPod(newPod(manifest, T1), "node-1", "10.0.0.1", T1);
    const withExtra = { ...bound, status: { ...bound.status, conditions: [...bound.status.conditions ?? [], ...extra ?? []] } };
    return updateContainer(withExtra, "app", (s) => ({ ...s, state: { running: { startedAt: T1 } }, ready }), T1);
  }
  const condition = (pod: Pod, type: string) => pod.status.conditions?.find((c) => c.type === type);

  it("keeps Ready False, in the kubelet's words, while a gate's condition does not exist or is not True", () => {
    const pod = gated(["example.com/lb", "example.com/dns"], true, [{ type: "example.com/dns", status: "False" }]);
    expect(condition(pod, "ContainersReady")?.status).toBe("True");
    expect(condition(pod, "Ready")).toEqual({
      type: "Ready", status: "False", lastTransitionTime: T1, reason: "ReadinessGatesNotReady",
      message: 'corresponding condition of pod readiness gate "example.com/lb" does not exist., the status of pod readiness gate "example.com/dns" is not "True", but False',
    });
  });

  it("is Ready when every gate's condition is True, and ContainersNotReady wins over the gates", () => {
    expect(condition(gated(["example.com/lb"], true, [{ type: "example.com/lb", status: "True" }]), "Ready")?.status).toBe("True");
    expect(condition(gated(["example.com/lb"], false), "Ready")).toEqual({ type: "Ready", status: "False", lastTransitionTime: T1 });
  });

  it("drops the gates' reason when the containers stop being ready, keeping the transition time", () => {
    const held = gated(["example.com/lb"], true);
    const unready = updateContainer(held, "app", (s) => ({ ...s, ready: false }), T2);
    expect(condition(unready, "Ready")).toEqual({ type: "Ready", status: "False", lastTransitionTime: T1 });
  });
});
