import { pino } from "pino";
import { describe, expect, it, vi } from "vitest";
import { MemoryView, RecordingSender, okReply, refusedReply } from "../../../test/harness/memoryView.js";
import type { ControllerContext } from "../context.js";
import { startKeyedLoop } from "../keyedLoop.js";
import { ServiceAccountReconciler } from "./reconciler.js";

const ns = (name: string, phase: "Active" | "Terminating") => ({ kind: "Namespace", metadata: { name, uid: `uid-${name}`, creationTimestamp: "2026-01-01T00:00:00Z" }, spec: {}, status: { phase } });
const account = (namespace: string, name = "default") => ({ kind: "ServiceAccount", metadata: { name, namespace, uid: `sa-${namespace}-${name}`, creationTimestamp: "2026-01-01T00:00:00Z" } });

function setUp() {
  const view = new MemoryView();
  const sender = new RecordingSender(() => okReply());
  const ctx: ControllerContext = { view, sender, now: () => 0, logger: pino({ level: "silent" }) };
  return { view, sender, controller: new ServiceAccountReconciler(ctx) };
}

describe("the service account controller", () => {
  it("creates `default` in each Active namespace that lacks it, with a durable id, and nothing elsewhere", async () => {
    const { view, sender, controller } = setUp();
    view.put("namespaces", ns("a", "Active"));
    view.put("namespaces", ns("b", "Active"));
    view.put("namespaces", ns("gone", "Terminating"));
    view.put("serviceaccounts", account("b"));
    const loop = startKeyedLoop("serviceAccounts", controller, { resyncMs: 3_600_000 });
    await new Promise((resolve) => setImmediate(resolve)); // the first pass queues every namespace
    await loop.idle();
    await loop.stop();
    expect(sender.sent.map((s) => [s.ref.namespace, s.ref.name, s.command.type, s.command.id])).toEqual([["a", "default", "CreateServiceAccount", "sa:uid-a:default"]]);
  });

  it("works on the namespace a change concerns: the namespace itself, or its default account, and no other", () => {
    const { view, controller } = setUp();
    const changes: string[][] = [];
    view.onChange((change) => changes.push(controller.keysOf(change)));
    view.put("namespaces", ns("a", "Active"));
    view.put("serviceaccounts", account("a"));
    view.put("serviceaccounts", account("a", "builder"));
    view.remove("serviceaccounts", "a", "default");
    view.put("pods", { kind: "Pod", metadata: { name: "p", namespace: "a" }, spec: {} });
    expect(changes).toEqual([["a"], ["a"], [], ["a"], []]);
  });

  it("retries a refused create after a backoff, with no change of the view to poke it", async () => {
    const view = new MemoryView();
    let refusals = 1;
    const sender = new RecordingSender(() => (refusals-- > 0 ? refusedReply("Unavailable", 503) : okReply()));
    const ctx: ControllerContext = { view, sender, now: () => 0, logger: pino({ level: "silent" }) };
    view.put("namespaces", ns("a", "Active"));
    const loop = startKeyedLoop("serviceAccounts", new ServiceAccountReconciler(ctx), { resyncMs: 3_600_000 });
    try {
      await vi.waitFor(() => expect(sender.sent).toHaveLength(2), { timeout: 5_000, interval: 5 });
    } finally {
      await loop.stop();
    }
    expect(sender.sent.map((s) => [s.ref.namespace, s.command.id])).toEqual([["a", "sa:uid-a:default"], ["a", "sa:uid-a:default"]]);
  });

  it("makes a deleted `default` again, each time, past the creates that the host answers from history", async () => {
    const view = new MemoryView();
    const history = new Map<string, number>(); // the actor host's answers: a create's id → its sequence
    const sender = new RecordingSender((_ref, command) => {
      const id = command.id ?? "";
      if (!history.has(id)) history.set(id, view.put("serviceaccounts", account("a")).resourceVersion); // a repeat: the first answer again
      return okReply(history.get(id), ["ServiceAccountCreated"]);
    });
    const controller = new ServiceAccountReconciler({ view, sender, now: () => 0, logger: pino({ level: "silent" }) });
    view.put("namespaces", ns("a", "Active"));
    await controller.sync("a");
    const first = view.get("serviceaccounts", "a", "default")!.resourceVersion;
    view.remove("serviceaccounts", "a", "default");
    await controller.sync("a");
    const second = view.get("serviceaccounts", "a", "default")!.resourceVersion;
    view.remove("serviceaccounts", "a", "default");
    await controller.sync("a");
    expect(view.get("serviceaccounts", "a", "default")).toBeDefined();
    expect(sender.sent.map((s) => s.command.id)).toEqual([
      "sa:uid-a:default",
      "sa:uid-a:default", `sa:uid-a:default@${first}`,
      "sa:uid-a:default", `sa:uid-a:default@${first}`, `sa:uid-a:default@${second}`,
    ]);
  });

  it("sends one create when its answer is not in the view yet (the view's change brings the key back)", async () => {
    const { view, sender, controller } = setUp();
    sender.respond = () => okReply(view.appliedSequence + 1, ["ServiceAccountCreated"]);
    view.put("namespaces", ns("a", "Active"));
    await controller.sync("a");
    expect(sender.sent.map((s) => s.command.id)).toEqual(["sa:uid-a:default"]);
  });
});
