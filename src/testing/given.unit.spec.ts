import { AssertionError } from "node:assert";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { given, loadLog, replay, replayThroughActors } from "./index.js";

const fixture = fileURLToPath(new URL("../../test/fixtures/namespaces.jsonl", import.meta.url));
const container = { name: "web", image: "nginx" };
const rc = { metadata: { name: "web" }, spec: { replicas: 2, selector: { app: "web" }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [container] } } } };

describe("coxswain/testing: given(log).when(command)", () => {
  it("decides on the state the log leaves, through the real decider", async () => {
    const log = await loadLog(fixture);
    given(log).when({ kind: "namespaces", type: "CreateNamespace", data: { metadata: { name: "team-a" } } }).thenRejected("AlreadyExists", /team-a/);
    const [created] = given(log).when({ kind: "namespaces", type: "CreateNamespace", data: { metadata: { name: "fresh" } }, uid: "u-1" })
      .then([{ type: "NamespaceCreated" }]);
    expect(created?.data).toMatchObject({ object: { metadata: { name: "fresh", uid: "u-1" } } });
    given(log).when({ kind: "namespaces", name: "scratch", type: "DeleteNamespace" }).thenRejected("NotFound");
    // Typed by kind: a namespace has no such command, nor records a pod's event (each line fails tsc if it compiled).
    // @ts-expect-error not a namespace's command
    expect(() => given(log).when({ kind: "namespaces", name: "x", type: "BindPod", data: { nodeName: "n" } })).not.toThrow();
    // @ts-expect-error not a namespace's event
    expect(() => given(log).when({ kind: "namespaces", type: "CreateNamespace", data: { metadata: { name: "other" } } }).then([{ type: "PodCreated" }])).toThrow();
  });

  it("passes the command through the door: schema, manifest conversion and who may send it", () => {
    const created = given().when({ kind: "replicationcontrollers", type: "CreateReplicationController", data: rc }).then([{ type: "ReplicationControllerCreated" }]);
    const log = created.map((e, i) => ({ sequence: i + 1, subject: "cox.ev.replicationcontrollers.default.web", event: { ...e, kind: "ReplicationController", namespace: "default", name: "web", uid: "u", version: i + 1, time: "2026-11-26T00:00:00Z", commandId: "c" } }));
    given(log).when({ kind: "replicationcontrollers", name: "web", type: "ScaleReplicationController", data: { replicas: 5 } })
      .then([{ type: "ReplicationControllerScaled", data: { replicas: 5 } }]);
    given(log).when({ kind: "replicationcontrollers", name: "web", type: "ScaleReplicationController", data: { replicas: 2 } }).thenNothingHappened();
    const invalid = given(log).when({ kind: "replicationcontrollers", name: "web", type: "ScaleReplicationController", data: { replicas: -1 } }).thenRejected("Invalid");
    expect(invalid.details.causes?.[0]?.field).toBe("data.replicas");
    given(log).when({ kind: "replicationcontrollers", name: "web", type: "RecordReplicationStatus", data: { replicas: 1, readyReplicas: 1, observedGeneration: 1 } })
      .thenRejected("Forbidden");
    given(log).when({ kind: "replicationcontrollers", name: "web", type: "RecordReplicationStatus", sender: "controller", data: { replicas: 1, readyReplicas: 1, observedGeneration: 1 } })
      .then([{ type: "ReplicationStatusRecorded" }]);
    given(log).when({ kind: "replicationcontrollers", name: "web", type: "DeleteReplicationController", expectedVersion: 3 }).thenRejected("Conflict");
  });

  it("fails with plain AssertionErrors a test framework shows, not with its own", () => {
    const when = given().when({ kind: "namespaces", type: "CreateNamespace", data: { metadata: { name: "x" } } });
    expect(() => when.then([{ type: "NamespaceDeleted" }])).toThrow(AssertionError);
    expect(() => when.thenRejected("Invalid")).toThrow(/should have been rejected/);
    expect(() => when.thenNothingHappened()).toThrow(AssertionError);
    const bad = given().when({ kind: "namespaces", type: "CreateNamespace", data: { metadata: { name: "x" }, bogus: 1 } as never });
    expect(() => bad.then([{ type: "NamespaceCreated" }])).toThrow(/rejected \(Invalid\)/);
    expect(() => bad.thenRejected("Conflict")).toThrow(/as Invalid, not Conflict/);
  });
});

describe("coxswain/testing: replaying a recorded log", () => {
  it("rebuilds the read model and the actors' states from a file", async () => {
    const model = await replay(fixture);
    expect(model.items.namespaces?.map((n) => n.metadata.name)).toEqual(["default", "team-a", "team-b"]);
    const states = await replayThroughActors(fixture);
    expect([...states.keys()].sort()).toEqual(["namespaces._.default", "namespaces._.scratch", "namespaces._.team-a", "namespaces._.team-b"]);
    expect((await replayThroughActors(await loadLog(fixture))).get("namespaces._.team-a")).toEqual(states.get("namespaces._.team-a"));
  });
});
