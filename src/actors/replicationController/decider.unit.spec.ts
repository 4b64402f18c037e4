import { describe, expect, it } from "vitest";
import { commandOf, given, meta } from "../../../test/harness/deciderSpec.js";
import { ReplicationController } from "../../api/replicationController.js";
import { replicationControllerDecider as rcs } from "./decider.js";

const m = meta({ namespace: "default", name: "web", uid: "u-rc", time: "2026-11-26T03:40:00Z" });
const cmd = commandOf(rcs, m);
const template = { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "app", image: "nginx" }], restartPolicy: "Always" as const, terminationGracePeriodSeconds: 30 } };
const spec = { replicas: 3, selector: { app: "web" }, template };
const created: ReplicationController = {
  kind: "ReplicationController",
  metadata: { name: "web", namespace: "default", uid: "u-rc", creationTimestamp: "2026-11-26T03:40:00Z", generation: 1 },
  spec,
  status: { replicas: 0 },
};
const history = [{ type: "ReplicationControllerCreated", data: { object: created } }];
const stateOf = (events: { type: string; data: unknown }[]) => given(rcs, events).state.object as ReplicationController;

describe("replication controller decider", () => {
  it("creates at generation 1 with no replicas yet, and refuses to create it twice", () => {
    given(rcs).when(cmd("CreateReplicationController", { metadata: { name: "web" }, spec })).then(history);
    given(rcs, history).when(cmd("CreateReplicationController", { metadata: { name: "web" }, spec })).thenThrows("AlreadyExists");
  });

  it("updates spec and labels whole; the generation follows spec changes only", () => {
    const update = { metadata: { name: "web", labels: { tier: "front" } }, spec: { ...spec, replicas: 5 } };
    const events = given(rcs, history).when(cmd("UpdateReplicationController", update))
      .then([{ type: "ReplicationControllerUpdated", data: { spec: update.spec, labels: { tier: "front" } } }]);
    const after = stateOf([...history, ...events]);
    expect(after.metadata).toMatchObject({ labels: { tier: "front" }, generation: 2, uid: "u-rc" });
    expect(after.spec.replicas).toBe(5);
    expect(() => ReplicationController.parse(after)).not.toThrow();
    const labelsOnly = [...history, { type: "ReplicationControllerUpdated", data: { spec, labels: { tier: "x" } } }];
    expect(stateOf(labelsOnly).metadata.generation).toBe(1);
    given(rcs, history).when(cmd("UpdateReplicationController", { metadata: { name: "web" }, spec })).thenNothingHappened();
    given(rcs).when(cmd("UpdateReplicationController", update)).thenThrows("NotFound", /replicationcontrollers "web" not found/);
  });

  it("scales, bumping the generation, and records nothing when the count is unchanged", () => {
    const events = given(rcs, history).when(cmd("ScaleReplicationController", { replicas: 0 }))
      .then([{ type: "ReplicationControllerScaled", data: { replicas: 0 } }]);
    expect(stateOf([...history, ...events])).toMatchObject({ spec: { replicas: 0 }, metadata: { generation: 2 } });
    given(rcs, history).when(cmd("ScaleReplicationController", { replicas: 3 })).thenNothingHappened();
  });

  it("refuses a negative or fractional replica count at the door (schema)", () => {
    const schema = rcs.commands.ScaleReplicationController.schema;
    expect(schema.safeParse({ replicas: -1 }).success).toBe(false);
    expect(schema.safeParse({ replicas: 1.5 }).success).toBe(false);
    expect(schema.safeParse({ replicas: 2, extra: 1 }).success).toBe(false);
  });

  it("records the replication status only when it changed", () => {
    const status = { replicas: 3, readyReplicas: 2, observedGeneration: 1 };
    const events = given(rcs, history).when(cmd("RecordReplicationStatus", status)).then([{ type: "ReplicationStatusRecorded", data: status }]);
    expect(stateOf([...history, ...events]).status).toEqual(status);
    given(rcs, [...history, ...events]).when(cmd("RecordReplicationStatus", status)).thenNothingHappened();
  });

  it("deletes, and may be created again afterwards", () => {
    const deleted = [...history, ...given(rcs, history).when(cmd("DeleteReplicationController", {})).then([{ type: "ReplicationControllerDeleted", data: {} }])];
    expect(rcs.render(given(rcs, deleted).state)).toBeNull();
    given(rcs, deleted).when(cmd("CreateReplicationController", { metadata: { name: "web" }, spec })).then(([e]) => expect(e?.type).toBe("ReplicationControllerCreated"));
    given(rcs).when(cmd("DeleteReplicationController", {})).thenThrows("NotFound");
  });
});
