// The recorded log (fixtures/cluster.jsonl, from `coxctl events export`) in tests: no server needed.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { given, loadLog, replay, replayThroughActors, CoxswainStatusError } from "coxswain/testing";
import { podsByPhase } from "../src/scale.js";

const LOG = fileURLToPath(new URL("../fixtures/cluster.jsonl", import.meta.url));

describe("a recorded log", () => {
  it("replays into the read model the cluster showed: an RC of 3 and its 3 running pods", async () => {
    const { items, resourceVersion } = await replay(LOG);
    assert.equal(items.replicationcontrollers?.[0]?.spec.replicas, 3);
    assert.deepEqual(podsByPhase(items.pods ?? []), { Running: 3 });
    assert.equal(resourceVersion, String((await loadLog(LOG)).at(-1)?.sequence));
  });

  it("replays through the real deciders into each entity's state", async () => {
    const log = await loadLog(LOG);
    const states = await replayThroughActors(log);
    const rc = states.get("replicationcontrollers.default.web");
    assert.ok(rc, "the RC is in the log");
    assert.equal(rc.state.object.spec.replicas, 3);
    assert.equal(rc.version, log.filter((e) => e.subject === "cox.ev.replicationcontrollers.default.web").length);
    assert.equal([...states.keys()].filter((k) => k.startsWith("pods.default.web-")).length, 3);
  });

  it("given the log, decides what a command would do, or why it is refused", async () => {
    const log = await loadLog(LOG);
    const scale = (replicas) => ({ kind: "replicationcontrollers", namespace: "default", name: "web", type: "ScaleReplicationController", data: { replicas } });
    given(log).when(scale(5)).then([{ type: "ReplicationControllerScaled", data: { replicas: 5 } }]);
    given(log).when(scale(3)).thenNothingHappened();
    const refusal = given(log).when(scale(-1)).thenRejected("Invalid");
    assert.ok(refusal instanceof CoxswainStatusError);
    assert.equal(refusal.details.causes?.[0]?.field, "data.replicas");
    given(log).when({ ...scale(4), expectedVersion: 1 }).thenRejected("Conflict");
    given(log).when({ kind: "pods", name: "web-x", type: "BindPod", data: { nodeName: "node-1" } }).thenRejected("Forbidden");
  });

  it("fails a wrong expectation with an AssertionError, as node:test, vitest and jest all show", async () => {
    const log = await loadLog(LOG);
    const when = given(log).when({ kind: "replicationcontrollers", name: "web", type: "DeleteReplicationController" });
    assert.throws(() => when.then([{ type: "ReplicationControllerScaled" }]), assert.AssertionError);
    assert.throws(() => when.thenRejected("NotFound"), /should have been rejected/);
  });
});
