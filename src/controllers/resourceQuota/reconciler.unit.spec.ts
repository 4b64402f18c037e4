import { pino } from "pino";
import { describe, expect, it } from "vitest";
import type { ResourceQuota } from "../../api/resourceQuota.js";
import { MemoryView, RecordingSender, refusedReply } from "../../../test/harness/memoryView.js";
import { pod } from "../../../test/harness/controllerObjects.js";
import type { ControllerContext } from "../context.js";
import { QuotaReconciler } from "./reconciler.js";

const quota = (used: ResourceQuota["status"]["used"]): ResourceQuota => ({
  kind: "ResourceQuota",
  metadata: { name: "compute", namespace: "team", uid: "uid-q", creationTimestamp: "2026-01-01T00:00:00Z" },
  spec: { hard: { pods: "10", "requests.cpu": "5" } },
  status: { hard: { pods: "10", "requests.cpu": "5" }, used },
});
const NOW = Date.parse("2026-11-26T03:40:00Z");

function setup(sender = new RecordingSender()) {
  const view = new MemoryView();
  const ctx: ControllerContext = { view, sender, now: () => 0, logger: pino({ level: "silent" }) };
  return { view, sender, reconciler: new QuotaReconciler(ctx, { graceMs: 30_000, wallClock: () => NOW }) };
}

describe("the quota reconciler", () => {
  it("sends nothing while used agrees with the pods that have not ended", async () => {
    const { view, sender, reconciler } = setup();
    view.put("resourcequotas", quota({ pods: "1", "requests.cpu": "500m" }));
    view.put("pods", pod("a", { namespace: "team", cpu: "500m" }));
    view.put("pods", pod("done", { namespace: "team", cpu: "1", phase: "Succeeded" }));
    view.put("pods", pod("elsewhere", { namespace: "other", cpu: "1" }));
    await reconciler.reconcile();
    expect(sender.sent).toEqual([]);
  });

  it("resyncs a quota whose used disagrees, at the version it saw and with a grace for reservations under way", async () => {
    const { view, sender, reconciler } = setup(new RecordingSender(() => refusedReply("Conflict")));
    const q = view.put("resourcequotas", quota({ pods: "3", "requests.cpu": "1500m" }));
    view.put("pods", pod("a", { namespace: "team", cpu: "500m", deleting: true }));
    await reconciler.reconcile();
    expect(sender.sent).toEqual([{
      ref: { resource: "resourcequotas", namespace: "team", name: "compute" },
      command: {
        type: "ResyncQuota", expectedVersion: q.version,
        data: { pods: [{ pod: "a", uid: "uid-a", requests: { "requests.cpu": "500m" } }], reservedBefore: "2026-11-26T03:39:30Z" },
      },
    }]);
  });
});
