import { describe, expect, it } from "vitest";
import { commandOf, given, meta } from "../../../test/harness/deciderSpec.js";
import { ReplicaSetStatus } from "../../api/apps.js";
import { plainObjectDecider } from "./decider.js";

const m = meta({ namespace: "default", name: "my-lease", uid: "u-1", time: "2026-12-02T10:00:00Z" });
const leases = plainObjectDecider({ resource: "leases", kind: "Lease", clusterScoped: false });
const cmd = commandOf(leases, m);
const spec = { holderIdentity: "pod-a", leaseDurationSeconds: 15, leaseTransitions: 0 };
const created = { kind: "Lease", spec, metadata: { name: "my-lease", namespace: "default", uid: "u-1", creationTimestamp: "2026-12-02T10:00:00Z" } };
const history = [{ type: "LeaseCreated", data: { object: created } }];

describe("plain object decider (Lease)", () => {
  it("creates once; a second create is AlreadyExists", () => {
    given(leases).when(cmd("CreateLease", { metadata: { name: "my-lease" }, spec })).then(history);
    given(leases, history).when(cmd("CreateLease", { metadata: { name: "my-lease" }, spec })).thenThrows("AlreadyExists", /leases "my-lease" already exists/);
  });
  it("replaces the fields and labels whole; the same replace records nothing", () => {
    const next = { ...spec, holderIdentity: "pod-b", leaseTransitions: 1 };
    const events = given(leases, history).when(cmd("UpdateLease", { metadata: { name: "my-lease", labels: { a: "b" } }, spec: next }))
      .then([{ type: "LeaseUpdated", data: { fields: { spec: next }, labels: { a: "b" } } }]);
    expect(given(leases, [...history, ...events]).state.object).toMatchObject({ spec: next, metadata: { labels: { a: "b" }, uid: "u-1" } });
    given(leases, history).when(cmd("UpdateLease", { metadata: { name: "my-lease" }, spec })).thenNothingHappened();
    given(leases).when(cmd("UpdateLease", { metadata: { name: "my-lease" }, spec })).thenThrows("NotFound");
  });
  it("deletes, and a missing object is NotFound", () => {
    const after = [...history, ...given(leases, history).when(cmd("DeleteLease", {})).then([{ type: "LeaseDeleted", data: {} }])];
    expect(given(leases, after).state.object).toBeNull();
    given(leases).when(cmd("DeleteLease", {})).thenThrows("NotFound");
  });
  it("a plain kind has no scale or status commands", () => {
    expect(Object.keys(leases.commands).sort()).toEqual(["CreateLease", "DeleteLease", "UpdateLease"]);
  });
});

describe("plain object decider: finalizers hold a deletion", () => {
  const held = given(leases).when(cmd("CreateLease", { metadata: { name: "my-lease", finalizers: ["example.com/hold", "example.com/also"] }, spec }))
    .then((events) => expect(events).toHaveLength(1));
  const object = (events: { type: string; data: unknown }[]) => given(leases, events).state.object as { metadata: Record<string, unknown> } | null;
  const terminating = [...held, ...given(leases, held).when(cmd("DeleteLease", {}))
    .then([{ type: "LeaseTerminating", data: { deletionTimestamp: "2026-12-02T10:00:00Z" } }])];
  const update = (finalizers?: string[], extra: Record<string, unknown> = {}) =>
    cmd("UpdateLease", { metadata: { name: "my-lease", ...(finalizers ? { finalizers } : {}) }, spec: { ...spec, ...extra } });

  it("a created object keeps its finalizers; an empty list is none", () => {
    expect(object(held)?.metadata.finalizers).toEqual(["example.com/hold", "example.com/also"]);
    const plain = given(leases).when(cmd("CreateLease", { metadata: { name: "my-lease", finalizers: [] }, spec })).then((e) => expect(e).toHaveLength(1));
    expect(object(plain)?.metadata).not.toHaveProperty("finalizers");
  });
  it("a delete makes it Terminating (deletionTimestamp, no grace period), and a second delete records nothing", () => {
    expect(object(terminating)?.metadata).toMatchObject({ deletionTimestamp: "2026-12-02T10:00:00Z", deletionGracePeriodSeconds: 0 });
    given(leases, terminating).when(cmd("DeleteLease", {})).thenNothingHappened();
  });
  it("an update that leaves the finalizers out keeps them; one that states them replaces them", () => {
    given(leases, held).when(update(undefined, { holderIdentity: "pod-b" }))
      .then([{ type: "LeaseUpdated", data: { fields: { spec: { ...spec, holderIdentity: "pod-b" } }, finalizers: ["example.com/hold", "example.com/also"] } }]);
    const events = given(leases, held).when(update([])).then([{ type: "LeaseUpdated", data: { fields: { spec } } }]);
    expect(object([...held, ...events])?.metadata).not.toHaveProperty("finalizers");
  });
  it("taking finalizers away while Terminating: the object stays until the last is gone, then is deleted", () => {
    const one = given(leases, terminating).when(update(["example.com/also"]))
      .then([{ type: "LeaseUpdated", data: { fields: { spec }, finalizers: ["example.com/also"] } }]);
    expect(object([...terminating, ...one])?.metadata).toMatchObject({ finalizers: ["example.com/also"], deletionTimestamp: "2026-12-02T10:00:00Z" });
    given(leases, [...terminating, ...one]).when(update([], { holderIdentity: "pod-c" }))
      .then([{ type: "LeaseUpdated", data: { fields: { spec: { ...spec, holderIdentity: "pod-c" } } } }, { type: "LeaseDeleted", data: {} }]);
    expect(object([...terminating, ...one, { type: "LeaseUpdated", data: { fields: { spec } } }, { type: "LeaseDeleted", data: {} }])).toBeNull();
  });
  it("no finalizer can be added while Terminating, as the apiserver words it", () => {
    given(leases, terminating).when(update(["example.com/hold", "example.com/new", "example.com/also"]))
      .thenThrows("Invalid", /metadata\.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers \[\]string\{"example.com\/new"\}/);
  });
  it("a delete of an object without finalizers deletes it at once", () => {
    given(leases, history).when(cmd("DeleteLease", {})).then([{ type: "LeaseDeleted", data: {} }]);
  });
});

describe("plain object decider as a workload (ReplicaSet)", () => {
  const sets = plainObjectDecider({ resource: "replicasets", kind: "ReplicaSet", clusterScoped: false, workload: { status: ReplicaSetStatus } });
  const rsCmd = commandOf(sets, m);
  const rsSpec = { replicas: 3, selector: { matchLabels: { app: "x" } }, template: { metadata: { labels: { app: "x" } }, spec: { containers: [{ name: "c", image: "i" }] } } };
  const rsCreated = given(sets).when(rsCmd("CreateReplicaSet", { metadata: { name: "x-1" }, spec: rsSpec })).then((events) => expect(events).toHaveLength(1));
  const state = (extra: { type: string; data: unknown }[] = []) => given(sets, [...rsCreated, ...extra]).state.object as { metadata: { generation: number }; spec: { replicas: number }; status: unknown };
  it("starts at generation 1 with an empty status", () => {
    expect(state()).toMatchObject({ metadata: { generation: 1 }, status: {} });
  });
  it("scaling bumps the generation; scaling to the same size records nothing", () => {
    const scaled = given(sets, rsCreated).when(rsCmd("ScaleReplicaSet", { replicas: 5 })).then([{ type: "ReplicaSetScaled", data: { replicas: 5 } }]);
    expect(state(scaled)).toMatchObject({ metadata: { generation: 2 }, spec: { replicas: 5 } });
    given(sets, rsCreated).when(rsCmd("ScaleReplicaSet", { replicas: 3 })).thenNothingHappened();
  });
  it("a delete that its finalizers hold moves the generation on, as Kubernetes marks it", () => {
    const held = given(sets).when(rsCmd("CreateReplicaSet", { metadata: { name: "x-1", finalizers: ["example.com/hold"] }, spec: rsSpec })).then(() => undefined);
    const deleting = given(sets, held).when(rsCmd("DeleteReplicaSet", {})).then(() => undefined);
    expect((given(sets, [...held, ...deleting]).state.object as { metadata: { generation: number } }).metadata.generation).toBe(2);
  });
  it("a label-only update keeps the generation and the status; the status is the controller's", () => {
    const status = { replicas: 3, readyReplicas: 2, availableReplicas: 2, observedGeneration: 1 };
    const recorded = given(sets, rsCreated).when(rsCmd("RecordReplicaSetStatus", status)).then([{ type: "ReplicaSetStatusRecorded", data: status }]);
    const relabeled = given(sets, [...rsCreated, ...recorded]).when(rsCmd("UpdateReplicaSet", { metadata: { name: "x-1", labels: { v: "2" } }, spec: rsSpec })).then((e) => expect(e).toHaveLength(1));
    expect(state([...recorded, ...relabeled])).toMatchObject({ metadata: { generation: 1 }, status });
    expect(sets.commands.RecordReplicaSetStatus?.senders).toEqual(["controller"]);
  });
});
