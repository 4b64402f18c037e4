import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { MemoryView, RecordingSender } from "../../../test/harness/memoryView.js";
import type { ControllerContext } from "../context.js";
import { RootCaReconciler, ROOT_CA_CONFIGMAP } from "./reconciler.js";

const PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
const ns = (name: string, phase: "Active" | "Terminating") => ({ kind: "Namespace", metadata: { name, uid: `uid-${name}`, creationTimestamp: "2026-01-01T00:00:00Z" }, spec: {}, status: { phase } });

function setUp(pem: () => string | undefined = () => PEM) {
  const view = new MemoryView();
  const sender = new RecordingSender();
  const ctx: ControllerContext = { view, sender, now: () => 0, logger: pino({ level: "silent" }) };
  return { view, sender, controller: new RootCaReconciler(ctx, pem) };
}

describe("the root CA publisher", () => {
  it("makes kube-root-ca.crt with the CA in each Active namespace, with a durable id, and nothing without a CA", async () => {
    const { view, sender, controller } = setUp();
    view.put("namespaces", ns("a", "Active"));
    view.put("namespaces", ns("gone", "Terminating"));
    await controller.sync("a");
    await controller.sync("gone");
    expect(sender.sent.map((s) => [s.ref.namespace, s.ref.name, s.command.type, s.command.id])).toEqual([["a", ROOT_CA_CONFIGMAP, "CreateConfigMap", "rootca:uid-a"]]);
    expect(sender.sent[0]?.command.data).toMatchObject({ data: { "ca.crt": PEM }, metadata: { annotations: { "kubernetes.io/description": expect.stringContaining("verify the kube-apiserver") } } });
    const none = setUp(() => undefined);
    none.view.put("namespaces", ns("a", "Active"));
    await none.controller.sync("a");
    expect(none.sender.sent).toEqual([]);
  });

  it("sets back one a user changed, keeping its labels and other annotations; leaves one as it should be", async () => {
    const { view, sender, controller } = setUp();
    view.put("namespaces", ns("a", "Active"));
    const cm = (data: Record<string, string>, annotations: Record<string, string>) => ({
      kind: "ConfigMap", metadata: { name: ROOT_CA_CONFIGMAP, namespace: "a", uid: "cm", labels: { team: "x" }, annotations }, data,
    });
    view.put("configmaps", cm({ "ca.crt": "tampered" }, { note: "mine" }));
    await controller.sync("a");
    expect(sender.sent.map((s) => [s.command.type, s.command.data])).toEqual([["UpdateConfigMap", {
      metadata: { name: ROOT_CA_CONFIGMAP, namespace: "a", labels: { team: "x" }, annotations: { note: "mine", "kubernetes.io/description": expect.any(String) } }, data: { "ca.crt": PEM },
    }]]);
    view.put("configmaps", cm({ "ca.crt": PEM }, (sender.sent[0]?.command.data as { metadata: { annotations: Record<string, string> } }).metadata.annotations));
    await controller.sync("a");
    expect(sender.sent).toHaveLength(1);
    expect(sender.sent[0]?.command.expectedVersion).toBe(1); // at the version read: a user's edit meanwhile is a Conflict
    // One a user made immutable cannot be set back: it is left, not fought.
    view.put("configmaps", { ...cm({ "ca.crt": "tampered" }, {}), immutable: true });
    await controller.sync("a");
    expect(sender.sent).toHaveLength(1);
  });

  it("works on the namespace a change concerns: the namespace, or its kube-root-ca.crt", () => {
    const { view, controller } = setUp();
    const keys: string[][] = [];
    view.onChange((change) => keys.push(controller.keysOf(change)));
    view.put("namespaces", ns("a", "Active"));
    view.put("configmaps", { kind: "ConfigMap", metadata: { name: ROOT_CA_CONFIGMAP, namespace: "a", uid: "1" } });
    view.put("configmaps", { kind: "ConfigMap", metadata: { name: "other", namespace: "a", uid: "2" } });
    view.remove("configmaps", "a", ROOT_CA_CONFIGMAP);
    expect(keys).toEqual([["a"], ["a"], [], ["a"]]);
  });
});
