import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Pod } from "../../api/pod.js";
import type { ReplicationController } from "../../api/replicationController.js";
import type { ViewChange, ViewEntry } from "../../projections/clusterView.js";
import { pod, rc } from "../../../test/harness/controllerObjects.js";
import { isActive, isReady } from "../pods.js";
import { OwnedPods } from "./ownedPods.js";
import { replicationControllerKind } from "./rcKind.js";

const entry = <T>(resource: "pods" | "replicationcontrollers", object: T & { metadata: { name: string } }): ViewEntry<T> =>
  ({ resource, namespace: "default", name: object.metadata.name, object, version: 1, resourceVersion: 1 });
const change = <T>(resource: "pods" | "replicationcontrollers", name: string, object: (T & { metadata: { name: string } }) | null): ViewChange =>
  ({ resource, namespace: "default", name, entry: object ? entry(resource, object) as ViewEntry : null });

/** A pod's state as a step of the model: its labels' app, its readiness, whether it is active. */
const podStep = fc.record({
  name: fc.constantFrom("p0", "p1", "p2", "p3", "p4"),
  app: fc.constantFrom("web", "db"),
  ready: fc.boolean(),
  gone: fc.boolean(),
  ended: fc.boolean(),
});
const ownerStep = fc.record({ owner: fc.constant(true as const), app: fc.constantFrom("web", "db") });

describe("OwnedPods: an owner's counts, kept change by change", () => {
  it("equal the counts made from scratch over the same pods, after any sequence of pod and owner changes", () => {
    fc.assert(fc.property(fc.array(fc.oneof(podStep, ownerStep), { maxLength: 40 }), (steps) => {
      let owner = rc("web", { selector: { app: "web" } });
      const pods = new Map<string, Pod>();
      const index = new OwnedPods(replicationControllerKind, [entry("replicationcontrollers", owner)], []);
      for (const s of steps) {
        if ("owner" in s) {
          owner = rc("web", { selector: { app: s.app } });
          index.apply(change("replicationcontrollers", "web", owner));
        } else if (s.gone) {
          pods.delete(s.name);
          index.apply(change<Pod>("pods", s.name, null));
        } else {
          const p = pod(s.name, { labels: { app: s.app }, ready: s.ready, nodeName: "n", ...(s.ended ? { phase: "Succeeded" as const } : {}) });
          pods.set(s.name, p);
          index.apply(change("pods", s.name, p));
        }
        const selected = [...pods.values()].filter((p) => p.metadata.labels?.app === owner.spec.selector.app && isActive(p));
        expect(index.countsOf(entry("replicationcontrollers", owner))).toEqual({ active: selected.length, ready: selected.filter(isReady).length });
      }
    }), { numRuns: 300 });
  });
});
