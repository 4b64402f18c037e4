import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { MemoryView, RecordingSender, okReply } from "../../../test/harness/memoryView.js";
import { node } from "../../../test/harness/controllerObjects.js";
import type { ControllerContext } from "../context.js";
import { NodeIpamReconciler } from "./reconciler.js";

function setup(range?: string) {
  const view = new MemoryView();
  const sender = new RecordingSender(() => okReply());
  const ctx: ControllerContext = { view, sender, now: () => 0, logger: pino({ level: "silent" }) };
  return { view, sender, ipam: new NodeIpamReconciler(ctx, range ? { clusterCidr: range } : {}) };
}

describe("node IPAM", () => {
  it("gives each node without a podCIDR the lowest free /24 of the cluster range, with a durable id", async () => {
    const { view, sender, ipam } = setup();
    view.put("nodes", { ...node("a"), spec: { podCIDR: "127.244.0.0/24" } });
    view.put("nodes", node("b"));
    view.put("nodes", node("c"));
    await ipam.reconcile();
    expect(sender.sent.map((s) => [s.ref.name, s.command.type, s.command.id, s.command.data])).toEqual([
      ["b", "AssignPodCIDR", "ipam:uid-b", { podCIDR: "127.244.1.0/24" }],
      ["c", "AssignPodCIDR", "ipam:uid-c", { podCIDR: "127.244.2.0/24" }],
    ]);
  });

  it("gives nothing once the range is spent, and never a block twice", async () => {
    const { view, sender, ipam } = setup("127.244.0.0/23");
    for (const n of ["a", "b", "c"]) view.put("nodes", node(n));
    await ipam.reconcile();
    expect(sender.sent.map((s) => (s.command.data as { podCIDR: string }).podCIDR)).toEqual(["127.244.0.0/24", "127.244.1.0/24"]);
  });
});
