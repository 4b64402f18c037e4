import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { MemoryView, RecordingSender } from "../../../test/harness/memoryView.js";
import { node, pod } from "../../../test/harness/controllerObjects.js";
import { TaintEvictionReconciler } from "./reconciler.js";

const NOW = Date.parse("2026-12-07T10:00:00Z");
const tainted = (name: string, effect: "NoSchedule" | "NoExecute") => {
  const n = node(name);
  return { ...n, spec: { ...n.spec, taints: [{ key: "maintenance", effect, ...(effect === "NoExecute" ? { timeAdded: "2026-12-07T09:59:00Z" } : {}) }] } };
};

function setUp() {
  const view = new MemoryView();
  const sender = new RecordingSender();
  const controller = new TaintEvictionReconciler({ view, sender, now: () => 0, logger: pino({ level: "silent" }) }, () => NOW);
  const queued: string[] = [];
  view.onChange((change) => queued.push(...controller.keysOf(change))); // as the keyed loop offers every change
  return { view, sender, controller, queued };
}

describe("the taint eviction controller", () => {
  it("evicts the active pods of a node with a NoExecute taint that do not tolerate it, by a durable id", async () => {
    const { view, sender, controller } = setUp();
    view.put("nodes", tainted("n1", "NoExecute"));
    view.put("pods", pod("web", { nodeName: "n1" }));
    const patient = pod("patient", { nodeName: "n1" });
    view.put("pods", { ...patient, spec: { ...patient.spec, tolerations: [{ key: "maintenance", operator: "Exists", tolerationSeconds: 3600 }] } });
    view.put("pods", pod("done", { nodeName: "n1", phase: "Succeeded" }));
    view.put("pods", pod("elsewhere", { nodeName: "n2" }));
    await controller.sync("n1");
    expect(sender.ofType("EvictPod").map((s) => [s.ref.name, s.command.id, s.command.data])).toEqual([
      ["web", "taint:evict:uid-web", { reason: "TaintManagerEviction", message: "Taint manager: deleting due to NoExecute taint on node n1" }],
    ]);
  });

  it("looks at a node when its NoExecute taints come or go, and at a pod only when it turns up on such a node", () => {
    const { view, queued } = setUp();
    view.put("nodes", node("plain"));
    view.put("nodes", tainted("soft", "NoSchedule"));
    view.put("pods", pod("a", { nodeName: "plain" }));
    expect(queued).toEqual([]);
    view.put("nodes", tainted("hard", "NoExecute"));
    view.put("pods", pod("b", { nodeName: "hard" }));
    view.put("nodes", node("hard")); // untainted: looked at once more (its time forgotten)
    view.put("pods", pod("c", { nodeName: "hard" }));
    expect(queued).toEqual(["hard", "hard", "hard"]);
  });

  it("evicts nothing on a node without NoExecute taints", async () => {
    const { view, sender, controller } = setUp();
    view.put("nodes", tainted("soft", "NoSchedule"));
    view.put("pods", pod("web", { nodeName: "soft" }));
    await controller.sync("soft");
    expect(sender.sent).toEqual([]);
  });
});
