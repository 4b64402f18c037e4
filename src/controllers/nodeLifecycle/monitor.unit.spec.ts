import { describe, expect, it } from "vitest";
import { node } from "../../../test/harness/controllerObjects.js";
import { readyStatus } from "../../api/node.js";
import type { NodeLease } from "../../api/nodeLease.js";
import { evictionsOf, isFresh, observe, readyChange, staleAt, type NodeObservation } from "./monitor.js";
import { NOT_READY_TAINT, UNREACHABLE_TAINT } from "../../api/nodeTaints.js";

const opts = { gracePeriodMs: 40_000, evictionTimeoutMs: 300_000 };
const lease = (renewTime: string, leaseDurationMs?: number): NodeLease => ({ nodeName: "n", renewTime, ...(leaseDurationMs ? { leaseDurationMs } : {}) });

/** Samples the lease at each [time, renewTime | undefined] in turn. */
function run(samples: Array<[number, NodeLease | undefined]>): NodeObservation {
  let o: NodeObservation | undefined;
  for (const [now, l] of samples) o = observe(o, l, now, opts);
  return o!;
}

describe("heartbeat observation", () => {
  it("gives a node never seen to beat the grace period from the start", () => {
    expect(isFresh(run([[0, undefined]]), 39_999, opts)).toBe(true);
    expect(isFresh(run([[0, undefined], [40_000, undefined]]), 40_000, opts)).toBe(false);
  });

  it("counts a beat when the lease changes, on our clock, whatever its renewTime says", () => {
    const o = run([[0, lease("2020-01-01T00:00:00.000Z")], [30_000, lease("2020-01-01T00:00:00.000Z")], [35_000, lease("2020-01-01T00:00:01.000Z")]]);
    expect(o.observedAt).toBe(35_000);
    expect(isFresh(o, 74_999, opts)).toBe(true);
  });

  it("respects a lease duration longer than the grace period", () => {
    const o = run([[0, lease("t1", 60_000)]]);
    expect(isFresh(o, 59_999, opts)).toBe(true);
  });

  it("times NotReady from when we first saw it, and clears it on a beat", () => {
    const down = run([[0, lease("t1")], [40_000, lease("t1")], [100_000, lease("t1")]]);
    expect(down.notReadySince).toBe(40_000);
    expect(staleAt(down, opts)).toBe(40_000);
    const back = observe(down, lease("t2"), 200_000, opts);
    expect(back.notReadySince).toBeNull();
    expect(staleAt(run([[0, lease("t1")], [35_000, lease("t2")]]), opts)).toBe(75_000);
    expect(staleAt(run([[0, lease("t1", 60_000)]]), opts)).toBe(60_000);
  });

  it("evicts each pod of a lost node after its own NoExecute toleration of the node's state, else the eviction timeout, and names the next", () => {
    const toleration = (key: string, seconds?: number) => ({ key, operator: "Exists" as const, effect: "NoExecute" as const, ...(seconds !== undefined ? { tolerationSeconds: seconds } : {}) });
    const pods = [
      { pod: "plain", tolerations: undefined },
      { pod: "quick", tolerations: [toleration(UNREACHABLE_TAINT, 0)] },
      { pod: "minute", tolerations: [toleration(UNREACHABLE_TAINT, 60)] },
      { pod: "daemon", tolerations: [toleration(UNREACHABLE_TAINT)] },
      { pod: "other-key", tolerations: [toleration(NOT_READY_TAINT, 10)] },
      { pod: "shortest", tolerations: [toleration(UNREACHABLE_TAINT), { operator: "Exists" as const, tolerationSeconds: 30 }] },
    ];
    const at = (now: number) => evictionsOf(40_000, pods, UNREACHABLE_TAINT, now, opts);
    expect(at(40_000)).toEqual({ due: ["quick"], next: 70_000 });
    expect(at(70_000)).toEqual({ due: ["quick", "shortest"], next: 100_000 });
    expect(at(100_000)).toEqual({ due: ["quick", "minute", "shortest"], next: 340_000 });
    expect(at(340_000)).toEqual({ due: ["plain", "quick", "minute", "other-key", "shortest"], next: null });
    expect(evictionsOf(40_000, pods.slice(3, 4), UNREACHABLE_TAINT, 1e12, opts)).toEqual({ due: [], next: null });
    // A node that said NotReady itself: its pods' not-ready tolerations count.
    expect(evictionsOf(40_000, pods, NOT_READY_TAINT, 50_000, opts).due).toEqual(["other-key"]);
  });
});

describe("the Ready condition to set", () => {
  const fresh = run([[0, lease("t1")], [1, lease("t2")]]);
  const stale = run([[0, lease("t1")], [40_000, lease("t1")]]);

  it("is True for a beating node that is not Ready yet", () => {
    expect(readyChange(readyStatus(node("n", { ready: "Unknown" })), fresh, 1, opts)).toMatchObject({ status: "True" });
    expect(readyChange(readyStatus(node("n", { ready: null })), fresh, 1, opts)).toMatchObject({ status: "True" });
    expect(readyChange(readyStatus(node("n")), fresh, 1, opts)).toBeNull();
  });

  it("is nothing for a lease seen only once: a dead node's lease looks alive until it fails to move", () => {
    expect(readyChange(readyStatus(node("n", { ready: "Unknown" })), run([[0, lease("t1")]]), 1, opts)).toBeNull();
  });

  it("is Unknown for a Ready node that stopped beating, and nothing once it is not Ready", () => {
    expect(readyChange(readyStatus(node("n")), stale, 40_000, opts)).toEqual({ status: "Unknown", reason: "NodeStatusUnknown", message: "the node agent stopped posting heartbeats" });
    expect(readyChange(readyStatus(node("n", { ready: "Unknown" })), stale, 40_000, opts)).toBeNull();
    expect(readyChange(readyStatus(node("n", { ready: "False" })), stale, 40_000, opts)).toBeNull();
  });
});
