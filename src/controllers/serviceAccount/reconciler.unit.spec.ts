import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { MemoryView, RecordingSender, okReply } from "../../../test/harness/memoryView.js";
import type { ControllerContext } from "../context.js";
import { ServiceAccountReconciler } from "./reconciler.js";

const ns = (name: string, phase: "Active" | "Terminating") => ({ kind: "Namespace", metadata: { name, uid: `uid-${name}`, creationTimestamp: "2026-01-01T00:00:00Z" }, spec: {}, status: { phase } });

describe("the service account controller", () => {
  it("creates `default` in each Active namespace that lacks it, with a durable id, and nothing elsewhere", async () => {
    const view = new MemoryView();
    const sender = new RecordingSender(() => okReply());
    const ctx: ControllerContext = { view, sender, now: () => 0, logger: pino({ level: "silent" }) };
    view.put("namespaces", ns("a", "Active"));
    view.put("namespaces", ns("b", "Active"));
    view.put("namespaces", ns("gone", "Terminating"));
    view.put("serviceaccounts", { kind: "ServiceAccount", metadata: { name: "default", namespace: "b", uid: "u", creationTimestamp: "2026-01-01T00:00:00Z" } });
    await new ServiceAccountReconciler(ctx).reconcile();
    expect(sender.sent.map((s) => [s.ref.namespace, s.ref.name, s.command.type, s.command.id])).toEqual([["a", "default", "CreateServiceAccount", "sa:uid-a:default"]]);
  });
});
