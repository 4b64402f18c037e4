import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { pod as makePod } from "../../../test/harness/controllerObjects.js";
import { MemoryView, RecordingSender, okReply, refusedReply } from "../../../test/harness/memoryView.js";
import type { EntityRef } from "../../api/kinds.js";
import type { Pod } from "../../api/pod.js";
import type { OutgoingCommand } from "../../nats/commandClient.js";
import type { ControllerContext } from "../context.js";
import { startKeyedLoop } from "../keyedLoop.js";
import { EndpointsReconciler } from "./reconciler.js";

const svc = (name: string, selector?: Record<string, string>, namespace = "default") => ({
  kind: "Service", metadata: { name, namespace, uid: `uid-${name}`, creationTimestamp: "2026-01-01T00:00:00Z" },
  spec: { ...(selector ? { selector } : {}), ports: [{ port: 80, targetPort: 8080, protocol: "TCP" }], clusterIP: "127.96.0.9", type: "ClusterIP" },
});
const pod = (name: string, ip: string, ready: boolean, labels = { app: "web" }): Pod => {
  const p = makePod(name, { labels, ready, nodeName: "n1" });
  return { ...p, status: { ...p.status, podIP: ip } };
};

/** The view and a sender that plays the actor host: creates, updates and deletes land in the view. */
function cluster() {
  const view = new MemoryView();
  const apply = (ref: EntityRef, command: OutgoingCommand) => {
    if (command.type.startsWith("Delete")) view.remove(ref.resource, ref.namespace, ref.name);
    else view.put(ref.resource, command.data as { metadata: { name: string; namespace: string } });
    return okReply();
  };
  const sender = new RecordingSender(apply);
  const ctx: ControllerContext = { view, sender, now: () => 0, logger: pino({ level: "silent" }) };
  return { view, sender, apply, controller: new EndpointsReconciler(ctx) };
}
const addressesOf = (view: MemoryView, name: string) =>
  (view.get<{ subsets: { addresses?: { ip: string }[] }[] }>("endpoints", "default", name)?.object.subsets ?? []).flatMap((s) => (s.addresses ?? []).map((a) => a.ip));

describe("the endpoints controller, service by service", () => {
  it("maps a change to the services it concerns: the service, its namespace's selecting services for a pod, the owner of a managed object", () => {
    const { view, controller } = cluster();
    view.put("services", svc("web", { app: "web" }));
    view.put("services", svc("db", { app: "db" }));
    view.put("services", svc("manual"));
    view.put("services", svc("other", { app: "web" }, "elsewhere"));
    expect(controller.keysOf({ resource: "services", namespace: "default", name: "web", entry: null })).toEqual(["default/web"]);
    expect(controller.keysOf({ resource: "pods", namespace: "default", name: "p", entry: null }).sort()).toEqual(["default/db", "default/web"]);
    expect(controller.keysOf({ resource: "endpoints", namespace: "default", name: "web", entry: null })).toEqual(["default/web"]);
    expect(controller.keysOf({ resource: "endpointslices", namespace: "default", name: "web-1a2b3", entry: null })).toEqual(["default/web"]);
    expect(controller.keysOf({ resource: "nodes", namespace: "_", name: "n1", entry: null })).toEqual([]);
  });

  it("follows pods as they turn ready and go, and removes what a deleted service owned, on a work queue fed by the view", async () => {
    const { view, sender, controller } = cluster();
    const loop = startKeyedLoop("endpoints", controller, { resyncMs: 60_000 });
    const stop = view.onChange((c) => loop.offer(c));
    try {
      view.put("services", svc("web", { app: "web" }));
      view.put("pods", pod("a", "127.244.0.2", true));
      view.put("pods", pod("b", "127.244.0.3", false));
      view.put("pods", pod("c", "127.244.0.4", true, { app: "db" }));
      await loop.idle();
      expect(addressesOf(view, "web")).toEqual(["127.244.0.2"]);
      expect(view.list("endpointslices", "default")).toHaveLength(1);
      view.put("pods", pod("b", "127.244.0.3", true));
      await loop.idle();
      expect(addressesOf(view, "web")).toEqual(["127.244.0.2", "127.244.0.3"]);
      view.remove("pods", "default", "a");
      await loop.idle();
      expect(addressesOf(view, "web")).toEqual(["127.244.0.3"]);
      sender.clear();
      view.remove("services", "default", "web");
      await loop.idle();
      expect(sender.sent.map((s) => s.command.type).sort()).toEqual(["DeleteEndpointSlice", "DeleteEndpoints"]);
      expect(view.list("endpoints")).toEqual([]);
      expect(view.list("endpointslices")).toEqual([]);
    } finally {
      stop();
      await loop.stop();
    }
  });

  it("a refused write fails the service's sync (so the queue retries it); a service without selector keeps its user's Endpoints", async () => {
    const { view, sender, apply, controller } = cluster();
    view.put("services", svc("web", { app: "web" }));
    view.put("pods", pod("a", "127.244.0.2", true));
    sender.respond = () => refusedReply("Conflict");
    await expect(controller.sync("default/web")).rejects.toThrow(/Conflict/);
    sender.respond = apply;
    await controller.sync("default/web");
    expect(addressesOf(view, "web")).toEqual(["127.244.0.2"]);
    view.put("services", svc("manual"));
    view.put("endpoints", { kind: "Endpoints", metadata: { name: "manual", namespace: "default" }, subsets: [{ addresses: [{ ip: "127.0.0.9" }] }] });
    sender.clear();
    await controller.reconcile();
    expect(sender.sent).toEqual([]);
  });
});
