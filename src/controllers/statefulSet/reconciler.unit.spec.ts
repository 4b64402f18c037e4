import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { MemoryView, RecordingSender, okReply } from "../../../test/harness/memoryView.js";
import { StatefulSetSpec } from "../../api/statefulSet.js";
import { ControlledPods } from "../controlledPods.js";
import { FiledIndex } from "../filedIndex.js";
import { statefulSetRevision } from "./decide.js";
import { StatefulSetReconciler } from "./reconciler.js";

const spec = StatefulSetSpec.parse({
  serviceName: "db", replicas: 2, selector: { matchLabels: { app: "db" } },
  template: { metadata: { labels: { app: "db" } }, spec: { containers: [{ name: "c", image: "db:1" }] } },
});
const statefulSet = { kind: "StatefulSet", metadata: { name: "db", namespace: "default", uid: "u-db", generation: 1 }, spec, status: {} };

function setUp(reply = () => okReply()) {
  const view = new MemoryView();
  const sender = new RecordingSender(() => reply());
  const controller = new StatefulSetReconciler({ view, sender, now: () => 0, logger: pino({ level: "silent" }) }, new FiledIndex(new ControlledPods(["StatefulSet"], [])), () => Date.parse("2026-12-07T10:00:00Z"));
  const queued: string[] = [];
  view.onChange((change) => queued.push(...controller.keysOf(change)));
  return { view, sender, controller, queued };
}

describe("the statefulset controller", () => {
  it("makes <name>-0 first, with its hostname, the service as subdomain, the stable labels and a controller reference, and records the status", async () => {
    const { view, sender, controller } = setUp();
    view.put("statefulsets", statefulSet);
    await controller.sync("default/db");
    const creates = sender.ofType("CreatePod");
    expect(creates.map((c) => c.ref.name)).toEqual(["db-0"]);
    expect(creates[0]?.command.data).toMatchObject({
      metadata: {
        name: "db-0",
        labels: { app: "db", "controller-revision-hash": statefulSetRevision("db", spec), "statefulset.kubernetes.io/pod-name": "db-0", "apps.kubernetes.io/pod-index": "0" },
        ownerReferences: [{ apiVersion: "apps/v1", kind: "StatefulSet", name: "db", uid: "u-db", controller: true, blockOwnerDeletion: true }],
      },
      spec: { hostname: "db-0", subdomain: "db" },
    });
    expect(sender.ofType("RecordStatefulSetStatus")[0]?.command.data).toMatchObject({ replicas: 0, observedGeneration: 1, updateRevision: statefulSetRevision("db", spec) });
  });

  it("makes a pod below the partition from the current revision's template, kept in its ControllerRevision", async () => {
    const { view, sender, controller } = setUp();
    const next = StatefulSetSpec.parse({ ...spec, replicas: 2, updateStrategy: { rollingUpdate: { partition: 1 } }, podManagementPolicy: "Parallel",
      template: { ...spec.template, spec: { ...spec.template.spec, containers: [{ name: "c", image: "db:2" }] } } });
    const old = statefulSetRevision("db", spec);
    view.put("controllerrevisions", { kind: "ControllerRevision", metadata: { name: old, namespace: "default", uid: "u-rev" }, data: { spec: { template: { ...spec.template, $patch: "replace" } } }, revision: 1 });
    view.put("statefulsets", { ...statefulSet, spec: next, status: { currentRevision: old } });
    await controller.sync("default/db");
    const made = Object.fromEntries(sender.ofType("CreatePod").map((c) => [c.ref.name, c.command.data as { metadata: { labels: Record<string, string> }; spec: { containers: { image: string }[] } }]));
    expect(made["db-0"]?.spec.containers[0]?.image).toBe("db:1");
    expect(made["db-0"]?.metadata.labels["controller-revision-hash"]).toBe(old);
    expect(made["db-1"]?.spec.containers[0]?.image).toBe("db:2");
    expect(made["db-1"]?.metadata.labels["controller-revision-hash"]).toBe(statefulSetRevision("db", next));
  });

  it("waits for the view to show a create it sent before deciding again", async () => {
    const { view, sender, controller } = setUp(() => okReply(100));
    view.put("statefulsets", statefulSet);
    await controller.sync("default/db");
    await controller.sync("default/db");
    expect(sender.ofType("CreatePod")).toHaveLength(1);
  });

  it("works on the StatefulSet a change concerns: itself, or a pod it controls, also when the pod goes", () => {
    const { view, queued } = setUp();
    view.put("statefulsets", statefulSet);
    const owned = { kind: "Pod", metadata: { name: "db-0", namespace: "default", uid: "p", ownerReferences: [{ apiVersion: "apps/v1", kind: "StatefulSet", name: "db", uid: "u-db", controller: true }] }, spec: { containers: [] }, status: { phase: "Running" } };
    view.put("pods", owned);
    view.put("pods", { ...owned, metadata: { ...owned.metadata, name: "other", ownerReferences: [] } });
    view.remove("pods", "default", "db-0");
    expect(queued).toEqual(["default/db", "default/db", "default/db"]);
  });
});
