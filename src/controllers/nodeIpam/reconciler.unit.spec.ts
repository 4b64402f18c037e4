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

  it("once the range is spent, only a node gone starts a round, and its block goes to a node still waiting", async () => {
    const { view, sender, ipam } = setup("127.244.0.0/23");
    for (const n of ["a", "b", "c"]) view.put("nodes", node(n));
    await ipam.reconcile();
    // The actor host's part: each assignment shows in the view.
    view.put("nodes", { ...node("a"), spec: { podCIDR: "127.244.0.0/24" } });
    view.put("nodes", { ...node("b"), spec: { podCIDR: "127.244.1.0/24" } });
    const change = (name: string) => ({ resource: "nodes" as const, namespace: "_", name, entry: view.get("nodes", "_", name) ?? null });
    expect(ipam.observe(change("c"))).toBe(false);
    await ipam.reconcile();
    expect(sender.sent).toHaveLength(2);
    view.remove("nodes", "_", "a");
    expect(ipam.observe(change("a"))).toBe(true);
    await ipam.reconcile();
    expect(sender.sent.map((s) => [s.ref.name, (s.command.data as { podCIDR: string }).podCIDR])).toEqual([
      ["a", "127.244.0.0/24"], ["b", "127.244.1.0/24"], ["c", "127.244.0.0/24"],
    ]);
  });

  it("a node that has its block concerns no round; one without, while blocks are left, does", async () => {
    const { view, ipam } = setup();
    view.put("nodes", { ...node("a"), spec: { podCIDR: "127.244.0.0/24" } });
    view.put("nodes", node("b"));
    const change = (name: string) => ({ resource: "nodes" as const, namespace: "_", name, entry: view.get("nodes", "_", name) ?? null });
    expect([ipam.observe(change("a")), ipam.observe(change("b"))]).toEqual([false, true]);
  });
});
