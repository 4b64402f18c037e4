import { pino } from "pino";
import { describe, expect, it, vi } from "vitest";
import type { ResourceQuota } from "../../api/resourceQuota.js";
import { MemoryView, RecordingSender, okReply, refusedReply } from "../../../test/harness/memoryView.js";
import { pod } from "../../../test/harness/controllerObjects.js";
import type { ControllerContext } from "../context.js";
import { startKeyedLoop } from "../keyedLoop.js";
import { QuotaReconciler } from "./reconciler.js";

const quota = (used: ResourceQuota["status"]["used"], namespace = "team", name = "compute"): ResourceQuota => ({
  kind: "ResourceQuota",
  metadata: { name, namespace, uid: "uid-q", creationTimestamp: "2026-01-01T00:00:00Z" },
  spec: { hard: { pods: "10", "requests.cpu": "5" } },
  status: { hard: { pods: "10", "requests.cpu": "5" }, used },
});
const NOW = Date.parse("2026-11-26T03:40:00Z");

function setup(sender = new RecordingSender()) {
  const view = new MemoryView();
  const ctx: ControllerContext = { view, sender, now: () => 0, logger: pino({ level: "silent" }) };
  const reconciler = new QuotaReconciler(ctx, { graceMs: 30_000, wallClock: () => NOW });
  /** A resync's worth: every quota synced once, in turn (a refusal throws, for the work queue to retry). */
  const round = async () => {
    for (const key of reconciler.allKeys()) await reconciler.sync(key);
  };
  return { view, sender, reconciler, round };
}

describe("the quota reconciler", () => {
  it("sends nothing while used agrees with the pods that have not ended", async () => {
    const { view, sender, round } = setup();
    view.put("resourcequotas", quota({ pods: "1", "requests.cpu": "500m" }));
    view.put("pods", pod("a", { namespace: "team", cpu: "500m" }));
    view.put("pods", pod("done", { namespace: "team", cpu: "1", phase: "Succeeded" }));
    view.put("pods", pod("elsewhere", { namespace: "other", cpu: "1" }));
    await round();
    expect(sender.sent).toEqual([]);
  });

  it("resyncs a quota whose used disagrees, at the version it saw and with a grace for reservations under way", async () => {
    const { view, sender, round } = setup(new RecordingSender(() => refusedReply("Conflict")));
    const q = view.put("resourcequotas", quota({ pods: "3", "requests.cpu": "1500m" }));
    view.put("pods", pod("a", { namespace: "team", cpu: "500m", deleting: true }));
    await round();
    expect(sender.sent).toEqual([{
      ref: { resource: "resourcequotas", namespace: "team", name: "compute" },
      command: {
        type: "ResyncQuota", expectedVersion: q.version,
        data: { pods: [{ pod: "a", uid: "uid-a", requests: { "requests.cpu": "500m" } }], reservedBefore: "2026-11-26T03:39:30Z" },
      },
    }]);
  });

  it("works on the quotas a change concerns: the quota itself, or every quota of a changed pod's namespace", () => {
    const { view, reconciler } = setup();
    const changes: string[][] = [];
    view.onChange((change) => changes.push(reconciler.keysOf(change)));
    view.put("pods", pod("before", { namespace: "team", cpu: "1" }));
    view.put("resourcequotas", quota({}));
    view.put("resourcequotas", quota({}, "team", "memory"));
    view.put("resourcequotas", quota({}, "other", "compute"));
    view.put("pods", pod("a", { namespace: "team", cpu: "1" }));
    view.remove("pods", "team", "a");
    view.put("pods", pod("b", { namespace: "free", cpu: "1" }));
    view.put("services", { kind: "Service", metadata: { name: "web", namespace: "team" }, spec: {} });
    expect(changes).toEqual([[], ["team/compute"], ["team/memory"], ["other/compute"], ["team/compute", "team/memory"], ["team/compute", "team/memory"], [], []]);
    expect(reconciler.allKeys().sort()).toEqual(["other/compute", "team/compute", "team/memory"]);
  });

  it("on its work queue, resyncs a quota when a pod of its namespace changes, and retries a refusal after a backoff", async () => {
    let refusals = 1;
    const { view, sender, reconciler } = setup(new RecordingSender(() => (refusals-- > 0 ? refusedReply("Unavailable", 503) : okReply())));
    view.put("resourcequotas", quota({ pods: "0", "requests.cpu": "0" }));
    const loop = startKeyedLoop("quota", reconciler, { resyncMs: 3_600_000 });
    view.onChange((change) => loop.offer(change));
    try {
      await new Promise((resolve) => setImmediate(resolve)); // the first pass: used agrees, nothing sent
      await loop.idle();
      expect(sender.sent).toEqual([]);
      view.put("pods", pod("a", { namespace: "team", cpu: "500m" }));
      await vi.waitFor(() => expect(sender.sent).toHaveLength(2), { timeout: 5_000, interval: 5 });
    } finally {
      await loop.stop();
    }
    expect(sender.sent.map((s) => [s.ref.name, s.command.type, (s.command.data as { pods: unknown[] }).pods.length])).toEqual([["compute", "ResyncQuota", 1], ["compute", "ResyncQuota", 1]]);
  });

  it("ends a quota's key without a retry when its resync is refused Conflict (its change comes) or NotFound (gone)", async () => {
    for (const reason of ["Conflict", "NotFound"]) {
      const { view, sender, reconciler } = setup(new RecordingSender(() => refusedReply(reason)));
      view.put("resourcequotas", quota({ pods: "2", "requests.cpu": "1" }));
      await expect(reconciler.sync("team/compute")).resolves.toBeUndefined();
      expect(sender.sent).toHaveLength(1);
    }
    const { view, reconciler } = setup(new RecordingSender(() => refusedReply("Unavailable", 503)));
    view.put("resourcequotas", quota({ pods: "2", "requests.cpu": "1" }));
    await expect(reconciler.sync("team/compute")).rejects.toThrow(/ResyncQuota team\/compute: Unavailable/);
  });

  it("counts the objects a quota limits from the view, and looks again when one of them changes", async () => {
    const { view, sender, reconciler, round } = setup();
    const hard = { "count/configmaps": "2", pods: "10" };
    const q: ResourceQuota = { ...quota({ "count/configmaps": "0", pods: "0" }), spec: { hard }, status: { hard, used: { "count/configmaps": "0", pods: "0" } } };
    const changes: string[][] = [];
    view.onChange((change) => changes.push(reconciler.keysOf(change)));
    const entry = view.put("resourcequotas", q);
    view.put("configmaps", { kind: "ConfigMap", metadata: { name: "a", namespace: "team" } });
    view.put("secrets", { kind: "Secret", metadata: { name: "s", namespace: "team" } });
    view.put("configmaps", { kind: "ConfigMap", metadata: { name: "elsewhere", namespace: "other" } });
    expect(changes).toEqual([["team/compute"], ["team/compute"], [], []]);
    await round();
    expect(sender.sent).toEqual([{
      ref: { resource: "resourcequotas", namespace: "team", name: "compute" },
      command: { type: "ResyncQuota", expectedVersion: entry.version, data: { pods: [], reservedBefore: "2026-11-26T03:39:30Z", counts: { "count/configmaps": "1" } } },
    }]);
  });
});
