import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { MemoryView, RecordingSender, okReply, refusedReply } from "../../../test/harness/memoryView.js";
import type { EntityRef } from "../../api/kinds.js";
import type { CommandReply } from "../../api/reply.js";
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

function setUp(reply: (ref: EntityRef) => CommandReply = () => okReply()) {
  const view = new MemoryView();
  const sender = new RecordingSender((ref) => reply(ref));
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

  describe("with volumeClaimTemplates", () => {
    const withClaims = (policy?: object, replicas = 2) => ({
      ...statefulSet,
      spec: StatefulSetSpec.parse({
        ...spec, replicas, podManagementPolicy: "Parallel", ...(policy ? { persistentVolumeClaimRetentionPolicy: policy } : {}),
        template: { ...spec.template, spec: { ...spec.template.spec, containers: [{ name: "c", image: "db:1", volumeMounts: [{ name: "data", mountPath: "/data" }] }] } },
        volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } } }],
      }),
    });
    const claim = (name: string, extra: Record<string, unknown> = {}) =>
      ({ kind: "PersistentVolumeClaim", metadata: { name, namespace: "default", uid: `c-${name}`, labels: { app: "db" }, ...extra }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } } });
    const runningPod = (ordinal: number) => ({
      kind: "Pod", metadata: { name: `db-${ordinal}`, namespace: "default", uid: `u-${ordinal}`, labels: { app: "db", "controller-revision-hash": statefulSetRevision("db", withClaims().spec) }, ownerReferences: [{ apiVersion: "apps/v1", kind: "StatefulSet", name: "db", uid: "u-db", controller: true }] },
      spec: { containers: [] }, status: { phase: "Running", conditions: [{ type: "Ready", status: "True", lastTransitionTime: "2026-12-07T09:00:00Z" }] },
    });

    it("makes each pod's claim before the pod, and gives the pod a volume of it", async () => {
      const { view, sender, controller } = setUp();
      view.put("statefulsets", withClaims());
      await controller.sync("default/db");
      expect(sender.sent.map((c) => `${c.command.type} ${c.ref.name}`).slice(0, 4)).toEqual([
        "CreatePersistentVolumeClaim data-db-0", "CreatePersistentVolumeClaim data-db-1", "CreatePod db-0", "CreatePod db-1",
      ]);
      expect(sender.ofType("CreatePersistentVolumeClaim")[0]?.command).toMatchObject({
        id: "statefulset:u-db:data-db-0",
        data: { metadata: { name: "data-db-0", namespace: "default", labels: { app: "db" } }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } } },
      });
      expect(sender.ofType("CreatePod")[1]?.command.data).toMatchObject({ spec: { volumes: [{ name: "data", persistentVolumeClaim: { claimName: "data-db-1" } }] } });
    });

    it("uses a claim that is there as it is", async () => {
      const { view, sender, controller } = setUp();
      view.put("persistentvolumeclaims", claim("data-db-0"));
      view.put("statefulsets", withClaims());
      await controller.sync("default/db");
      expect(sender.ofType("CreatePersistentVolumeClaim").map((c) => c.ref.name)).toEqual(["data-db-1"]);
      expect(sender.ofType("UpdatePersistentVolumeClaim")).toEqual([]);
      expect(sender.ofType("CreatePod").map((c) => c.ref.name)).toEqual(["db-0", "db-1"]);
    });

    it("makes the StatefulSet its claims' owner when whenDeleted is Delete", async () => {
      const { view, sender, controller } = setUp();
      view.put("statefulsets", withClaims({ whenDeleted: "Delete" }));
      await controller.sync("default/db");
      expect(sender.ofType("CreatePersistentVolumeClaim")[0]?.command.data).toMatchObject({
        metadata: { ownerReferences: [{ apiVersion: "apps/v1", kind: "StatefulSet", name: "db", uid: "u-db", controller: true }] },
      });
    });

    it("on a scale-down with whenScaled Delete, deletes the condemned pod, then its claim once the pod is gone", async () => {
      const { view, sender, controller } = setUp();
      for (const o of [0, 1]) {
        view.put("persistentvolumeclaims", claim(`data-db-${o}`));
        view.put("pods", runningPod(o));
      }
      view.put("statefulsets", withClaims({ whenScaled: "Delete" }, 1));
      await controller.sync("default/db");
      expect(sender.ofType("DeletePod").map((c) => c.ref.name)).toEqual(["db-1"]);
      expect(sender.ofType("DeletePersistentVolumeClaim")).toEqual([]);
      view.remove("pods", "default", "db-1");
      await controller.sync("default/db");
      expect(sender.ofType("DeletePersistentVolumeClaim").map((c) => c.ref.name)).toEqual(["data-db-1"]);
    });

    it("leaves the claims of a scale-down alone with whenScaled Retain (the default)", async () => {
      const { view, sender, controller } = setUp();
      for (const o of [0, 1]) {
        view.put("persistentvolumeclaims", claim(`data-db-${o}`));
        view.put("pods", runningPod(o));
      }
      view.put("statefulsets", withClaims(undefined, 1));
      await controller.sync("default/db");
      view.remove("pods", "default", "db-1");
      await controller.sync("default/db");
      expect(sender.ofType("DeletePersistentVolumeClaim")).toEqual([]);
      expect(sender.ofType("DeletePod").map((c) => c.ref.name)).toEqual(["db-1"]);
    });

    it("makes no pod while a claim could not be made", async () => {
      const { view, sender, controller } = setUp((ref) => (ref.resource === "persistentvolumeclaims" ? refusedReply("Forbidden") : okReply()));
      view.put("statefulsets", withClaims());
      await expect(controller.sync("default/db")).rejects.toThrow(/CreatePersistentVolumeClaim data-db-0/);
      expect(sender.ofType("CreatePod")).toEqual([]);
    });

    it("works on the StatefulSets whose claim changed", () => {
      const { view, queued } = setUp();
      view.put("statefulsets", withClaims());
      view.put("statefulsets", { ...statefulSet, metadata: { ...statefulSet.metadata, name: "other", uid: "u-other" } });
      queued.length = 0;
      view.put("persistentvolumeclaims", claim("data-db-3"));
      view.remove("persistentvolumeclaims", "default", "data-db-3");
      view.put("persistentvolumeclaims", claim("data-other-0"));
      view.put("persistentvolumeclaims", claim("data-db-x"));
      expect(queued).toEqual(["default/db", "default/db"]);
    });
  });
});
