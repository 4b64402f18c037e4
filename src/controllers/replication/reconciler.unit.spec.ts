import { pino } from "pino";
import { describe, expect, it } from "vitest";
import type { Pod } from "../../api/pod.js";
import { MemoryView, RecordingSender, refusedReply, okReply } from "../../../test/harness/memoryView.js";
import type { ControllerContext } from "../context.js";
import { actorsOn, pod, podTemplate, rc } from "../../../test/harness/controllerObjects.js";
import { createPodCommandId, podName } from "./names.js";
import { startKeyedLoop } from "../keyedLoop.js";
import { ReplicationReconciler } from "./reconciler.js";
import { ReportedFailure } from "../workQueue.js";

/**
 * A reconciler whose indexes follow `view` (as the term's keyed loop feeds them, unless the test feeds it itself:
 * it must see each change once); `sync` is one owner's pass.
 */
function setup(view = new MemoryView(), sender = new RecordingSender(actorsOn(view)), fed = true) {
  const ctx: ControllerContext = { view, sender, now: () => 0, logger: pino({ level: "silent" }) };
  const reconciler = new ReplicationReconciler(ctx);
  if (fed) view.onChange((c) => reconciler.keysOf(c));
  return { view, sender, ctx, reconciler, sync: () => reconciler.sync("default/web") };
}

const activeNames = (view: MemoryView) =>
  view.list<Pod>("pods").filter((p) => p.object.metadata.deletionTimestamp === undefined).map((p) => p.name).sort();

const web = { name: "web", uid: "uid-web", generation: 1 };

describe("the replication reconciler", () => {
  it("creates the missing pods with deterministic names and durable ids, then records the status", async () => {
    const { view, sender, sync } = setup();
    view.put("replicationcontrollers", rc("web", { replicas: 3 }));
    await sync();
    const creates = sender.ofType("CreatePod");
    expect(creates.map((c) => c.command.id)).toEqual([0, 1, 2].map((o) => createPodCommandId(web, o)));
    expect(creates.map((c) => c.ref.name)).toEqual([0, 1, 2].map((o) => podName(web, o)));
    // The status is counted from the view before the creates: nothing yet, but the generation is observed.
    expect(sender.ofType("RecordReplicationStatus").at(-1)?.command.data).toEqual({ replicas: 0, readyReplicas: 0, observedGeneration: 1 });
    await sync();
    expect(sender.ofType("CreatePod")).toHaveLength(3);
    expect(sender.ofType("RecordReplicationStatus").at(-1)?.command.data).toEqual({ replicas: 3, readyReplicas: 0, observedGeneration: 1 });
    await sync();
    expect(sender.ofType("RecordReplicationStatus")).toHaveLength(2);
  });

  it("makes no pods for an owner being deleted (its finalizers hold it), and keeps its status", async () => {
    const { view, sender, sync } = setup();
    const owner = rc("web", { replicas: 3 });
    view.put("replicationcontrollers", { ...owner, metadata: { ...owner.metadata, deletionTimestamp: "2026-12-07T10:00:00Z" } });
    await sync();
    expect(sender.ofType("CreatePod")).toHaveLength(0);
    expect(sender.ofType("RecordReplicationStatus").at(-1)?.command.data).toEqual({ replicas: 0, readyReplicas: 0, observedGeneration: 1 });
  });

  it("counts creates the view does not show yet, so it never overshoots", async () => {
    const view = new MemoryView();
    const sender = new RecordingSender(() => okReply(1_000));
    const { sync } = setup(view, sender);
    view.put("replicationcontrollers", rc("web", { replicas: 2 }));
    await sync();
    await sync();
    expect(sender.ofType("CreatePod")).toHaveLength(2);
  });

  it("stops a sync at the first failed batch and fails it (so the queue retries the owner), then goes on", async () => {
    const view = new MemoryView();
    const actors = actorsOn(view);
    let failing = true;
    const sender = new RecordingSender((ref, cmd) => (failing && cmd.type === "CreatePod" && cmd.id?.endsWith(":1") ? refusedReply("Unavailable", 503) : actors(ref, cmd)));
    const { sync } = setup(view, sender);
    view.put("replicationcontrollers", rc("web", { replicas: 5 }));
    await expect(sync()).rejects.toThrow(/failed/);
    expect(sender.ofType("CreatePod")).toHaveLength(3); // batches [0], [1, 2]: 1 failed, [3, 4, ...] never sent
    failing = false;
    await sync();
    expect(activeNames(view)).toHaveLength(5);
    expect(sender.ofType("CreatePod").at(3)?.command.id).toBe(createPodCommandId(web, 1));
  });

  it("records a refused create as a ReplicaFailure condition, keeps it through retries, and removes it once the creates go through", async () => {
    const view = new MemoryView();
    const actors = actorsOn(view);
    let quota = 1;
    const refusal = 'pods "x" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=1, limited: pods=1';
    const sender = new RecordingSender((ref, cmd) => (cmd.type === "CreatePod" && view.list("pods").length >= quota ? refusedReply("Forbidden", 403, refusal) : actors(ref, cmd)));
    let clock = Date.parse("2026-12-06T10:00:00Z");
    const ctx: ControllerContext = { view, sender, now: () => 0, logger: pino({ level: "silent" }) };
    const reconciler = new ReplicationReconciler(ctx, { wallTime: () => new Date(clock) });
    view.onChange((c) => reconciler.keysOf(c));
    const sync = () => reconciler.sync("default/web");
    const status = () => view.get<{ status: { conditions?: unknown } }>("replicationcontrollers", "default", "web")?.object.status;
    const failure = { type: "ReplicaFailure", status: "True", lastTransitionTime: "2026-12-06T10:00:00Z", reason: "FailedCreate", message: refusal };
    view.put("replicationcontrollers", rc("web", { replicas: 3 }));
    // The first create passes, the second is refused: the sync fails as a failure already reported in the status.
    await expect(sync()).rejects.toBeInstanceOf(ReportedFailure);
    expect(status()).toMatchObject({ conditions: [failure] });
    clock += 60_000;
    await expect(sync()).rejects.toThrow(/a create or delete failed \(pods "x" is forbidden/);
    expect(status()).toMatchObject({ replicas: 1, conditions: [failure] }); // the same condition: its time stays
    quota = 3;
    await sync(); // the creates go through: the condition goes (the count is the one before them)
    expect(status()).toEqual({ replicas: 1, readyReplicas: 0, observedGeneration: 1 });
    expect(activeNames(view)).toHaveLength(3);
    await sync();
    expect(status()).toEqual({ replicas: 3, readyReplicas: 0, observedGeneration: 1 });
  });

  it("goes on from the conditions it recorded while the view does not show them yet, so a quick retry keeps their time", async () => {
    const view = new MemoryView();
    let clock = Date.parse("2026-12-06T10:00:00Z");
    // Every create is refused; a status is acknowledged far ahead of what the view has applied.
    const sender = new RecordingSender((_ref, cmd) => (cmd.type === "CreatePod" ? refusedReply("Forbidden", 403, "exceeded quota") : okReply(1_000_000)));
    const ctx: ControllerContext = { view, sender, now: () => 0, logger: pino({ level: "silent" }) };
    const reconciler = new ReplicationReconciler(ctx, { wallTime: () => new Date(clock) });
    view.onChange((c) => reconciler.keysOf(c));
    view.put("replicationcontrollers", rc("web", { replicas: 2 }));
    await expect(reconciler.sync("default/web")).rejects.toBeInstanceOf(ReportedFailure);
    clock += 60_000;
    await expect(reconciler.sync("default/web")).rejects.toBeInstanceOf(ReportedFailure);
    const times = sender.ofType("RecordReplicationStatus").map((c) => (c.command.data as { conditions: { lastTransitionTime: string }[] }).conditions[0]?.lastTransitionTime);
    expect(times).toEqual(["2026-12-06T10:00:00Z", "2026-12-06T10:00:00Z"]);
  });

  it("reports no condition for a create that was not answered or found its name taken, and retries it with a warning", async () => {
    for (const answer of [() => Promise.reject(new Error("timed out")), () => refusedReply("AlreadyExists", 409)]) {
      const view = new MemoryView();
      const sender = new RecordingSender((_ref, cmd) => (cmd.type === "CreatePod" ? answer() : okReply()));
      const { sync } = setup(view, sender);
      view.put("replicationcontrollers", rc("web", { replicas: 1 }));
      const err: unknown = await sync().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      expect(err).not.toBeInstanceOf(ReportedFailure);
      expect(sender.ofType("RecordReplicationStatus").at(-1)?.command.data).toEqual({ replicas: 0, readyReplicas: 0, observedGeneration: 1 });
    }
  });

  it("records a refused delete as FailedDelete", async () => {
    const view = new MemoryView();
    const sender = new RecordingSender((_ref, cmd) => (cmd.type === "DeletePod" ? refusedReply("Forbidden", 403, "no deleting") : okReply()));
    const { sync } = setup(view, sender);
    view.put("replicationcontrollers", rc("web", { replicas: 0, status: { replicas: 1 } }));
    view.put("pods", pod("web-a", { labels: { app: "web" } }));
    await expect(sync()).rejects.toBeInstanceOf(ReportedFailure);
    expect(sender.ofType("RecordReplicationStatus").at(-1)?.command.data).toMatchObject({ conditions: [{ type: "ReplicaFailure", reason: "FailedDelete", message: "no deleting" }] });
  });

  it("deletes the surplus in Kubernetes' order", async () => {
    const { view, sender, sync } = setup();
    view.put("replicationcontrollers", rc("web", { replicas: 1, status: { replicas: 3 } }));
    view.put("pods", pod("web-ready", { labels: { app: "web" }, nodeName: "n1", ready: true }));
    view.put("pods", pod("web-pending", { labels: { app: "web" } }));
    view.put("pods", pod("web-running", { labels: { app: "web" }, nodeName: "n1" }));
    view.put("pods", pod("other", { labels: { app: "db" } }));
    await sync();
    expect(sender.ofType("DeletePod").map((c) => c.ref.name)).toEqual(["web-pending", "web-running"]);
    expect(sender.ofType("DeletePod")[0]?.command.id).toBe("rc:uid-web:g1:delete:uid-web-pending");
    await sync();
    expect(activeNames(view)).toEqual(["other", "web-ready"]);
  });

  it("takes the template from the PodTemplate named by templateRef, and creates nothing without it", async () => {
    const { view, sender, sync } = setup();
    view.put("replicationcontrollers", rc("web", { replicas: 1, templateRef: "web-t" }));
    await sync();
    expect(sender.ofType("CreatePod")).toHaveLength(0);
    view.put("podtemplates", podTemplate("web-t", { app: "web", tier: "front" }));
    await sync();
    const data = sender.ofType("CreatePod")[0]?.command.data as { metadata: { labels: Record<string, string> } };
    expect(data.metadata.labels).toEqual({ app: "web", tier: "front" });
  });

  describe("after a failover", () => {
    it("re-sends the same ids while its view lags, so the host de-duplicates them", async () => {
      const truth = new MemoryView();
      const lagging = new MemoryView();
      const actors = actorsOn(truth);
      lagging.put("replicationcontrollers", rc("web", { replicas: 3 }));
      const old = setup(lagging, new RecordingSender(actors));
      await old.sync();
      const successor = setup(lagging, new RecordingSender(actors));
      await successor.sync();
      expect(successor.sender.ofType("CreatePod").map((c) => c.command.id)).toEqual(old.sender.ofType("CreatePod").map((c) => c.command.id));
      expect(truth.list("pods")).toHaveLength(3);
    });

    it("moves past an ordinal whose pod was created and has gone since", async () => {
      const { view, sync } = setup();
      view.put("replicationcontrollers", rc("web", { replicas: 2 }));
      await sync();
      view.remove("pods", "default", podName(web, 0));
      const successor = setup(view, new RecordingSender(actorsOn(view)));
      // Its own actors fake does not know ordinal 0's id; replay the first reply as the real host would.
      const first = okReply(1);
      const actors = actorsOn(view);
      successor.sender.respond = (ref, cmd) => (cmd.id === createPodCommandId(web, 0) ? first : actors(ref, cmd));
      await successor.sync();
      await successor.sync();
      expect(activeNames(view)).toEqual([podName(web, 1), podName(web, 2)].sort());
    });
  });

  describe("owner by owner", () => {
    it("maps a pod's change to the owners it joins, leaves or turns ready in, an owner's to itself, a template's to its namespace's owners", () => {
      const view = new MemoryView();
      const { reconciler } = setup(view, new RecordingSender(), false);
      const feed = view.onChange((c) => reconciler.keysOf(c));
      view.put("replicationcontrollers", rc("web", { replicas: 0 }));
      view.put("replicationcontrollers", rc("db", { replicas: 0 }));
      view.put("replicationcontrollers", rc("web", { replicas: 0, namespace: "elsewhere" }));
      feed();
      const keysOf = (put: () => void) => {
        const seen: string[][] = [];
        const stop = view.onChange((c) => seen.push(reconciler.keysOf(c)));
        put();
        stop();
        return seen.flat().sort();
      };
      expect(keysOf(() => view.put("pods", pod("a", { labels: { app: "web" } })))).toEqual(["default/web"]);
      expect(keysOf(() => view.put("pods", pod("a", { labels: { app: "web" }, nodeName: "n1" })))).toEqual([]);
      expect(keysOf(() => view.put("pods", pod("a", { labels: { app: "web" }, nodeName: "n1", ready: true })))).toEqual(["default/web"]);
      expect(keysOf(() => view.put("pods", pod("a", { labels: { app: "db" } })))).toEqual(["default/db", "default/web"]);
      expect(keysOf(() => view.remove("pods", "default", "a"))).toEqual(["default/db"]);
      expect(keysOf(() => view.put("pods", pod("b", { labels: { app: "other" } })))).toEqual([]);
      expect(keysOf(() => view.put("replicationcontrollers", rc("web", { replicas: 2 })))).toEqual(["default/web"]);
      expect(keysOf(() => view.put("podtemplates", podTemplate("t", { app: "web" })))).toEqual(["default/db", "default/web"]);
      expect(keysOf(() => view.put("nodes", { metadata: { name: "n1" } }))).toEqual([]);
      // A quota's change: the owners of its namespace whose creates were refused, and no other.
      const quota = { metadata: { name: "q", namespace: "default", uid: "q" }, spec: { hard: { pods: "9" } } };
      expect(keysOf(() => view.put("resourcequotas", quota))).toEqual([]);
      const failure = [{ type: "ReplicaFailure", status: "True" as const, reason: "FailedCreate", message: "exceeded quota" }];
      keysOf(() => view.put("replicationcontrollers", rc("db", { replicas: 0, status: { replicas: 0, conditions: failure } })));
      keysOf(() => view.put("replicationcontrollers", rc("web", { replicas: 0, namespace: "elsewhere", status: { replicas: 0, conditions: failure } })));
      expect(keysOf(() => view.put("resourcequotas", { ...quota, spec: { hard: { pods: "10" } } }))).toEqual(["default/db"]);
      expect(reconciler.allKeys().sort()).toEqual(["default/db", "default/web", "elsewhere/web"]);
    });

    it("follows scale-ups, relabelled and deleted pods and scale-downs on a work queue fed by the view, touching only its owner's pods", async () => {
      const view = new MemoryView();
      const { sender, reconciler } = setup(view, undefined, false);
      view.put("pods", pod("db-1", { labels: { app: "db" } }));
      const loop = startKeyedLoop("replication", reconciler, { resyncMs: 60_000 });
      const stop = view.onChange((c) => loop.offer(c));
      const webPods = () => view.list<Pod>("pods").filter((p) => p.object.metadata.labels?.app === "web" && p.object.metadata.deletionTimestamp === undefined);
      try {
        view.put("replicationcontrollers", rc("web", { replicas: 4 }));
        await loop.idle();
        expect(webPods()).toHaveLength(4);
        expect(view.get<{ status: unknown }>("replicationcontrollers", "default", "web")?.object.status).toEqual({ replicas: 4, readyReplicas: 0, observedGeneration: 1 });
        // A pod that leaves the selector is replaced; one deleted by hand is replaced.
        const [first, second] = webPods();
        view.put("pods", { ...(first?.object as Pod), metadata: { ...(first?.object as Pod).metadata, labels: { app: "debug" } } });
        view.remove("pods", "default", second?.name ?? "");
        await loop.idle();
        expect(webPods()).toHaveLength(4);
        sender.clear();
        view.put("replicationcontrollers", rc("web", { replicas: 1, generation: 2 }));
        await loop.idle();
        expect(webPods()).toHaveLength(1);
        expect(sender.ofType("DeletePod")).toHaveLength(3);
        expect(sender.sent.every((s) => s.ref.name !== "db-1")).toBe(true);
        expect(view.get("pods", "default", "db-1")?.object).toMatchObject({ metadata: { labels: { app: "db" } } });
      } finally {
        stop();
        await loop.stop();
      }
    });
  });
});
