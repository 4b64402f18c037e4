import { describe, expect, it } from "vitest";
import type { OwnerReference } from "../../api/objectMeta.js";
import { StatefulSetSpec } from "../../api/statefulSet.js";
import { claimName, claimsOf, condemnedClaims, podVolumes, type ClaimOwner } from "./claims.js";

const claimSpec = { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } };
const set = (extra: Record<string, unknown> = {}): ClaimOwner => ({
  name: "db", namespace: "default", uid: "u-db",
  spec: StatefulSetSpec.parse({
    replicas: 2, selector: { matchLabels: { app: "db" } },
    template: { metadata: { labels: { app: "db" } }, spec: { containers: [{ name: "c", image: "db", volumeMounts: [{ name: "data", mountPath: "/data" }] }] } },
    volumeClaimTemplates: [
      { metadata: { name: "data", labels: { tier: "storage", app: "other" }, annotations: { note: "kept" } }, spec: claimSpec },
      { metadata: { name: "logs" }, spec: { ...claimSpec, storageClassName: "fast" } },
    ],
    ...extra,
  }),
});
const policy = (whenDeleted: string, whenScaled: string) => set({ persistentVolumeClaimRetentionPolicy: { whenDeleted, whenScaled } });
const setRef: OwnerReference = { apiVersion: "apps/v1", kind: "StatefulSet", name: "db", uid: "u-db", controller: true, blockOwnerDeletion: true };

describe("a StatefulSet's claims", () => {
  it("are named <template>-<set>-<ordinal>", () => {
    expect(claimName("data", "db", 3)).toBe("data-db-3");
    expect(claimsOf(set(), 1).map((c) => c.metadata.name)).toEqual(["data-db-1", "logs-db-1"]);
  });

  it("carry the template's labels under the selector's, its annotations and its spec as written (a class only where given)", () => {
    const [data, logs] = claimsOf(set(), 0);
    expect(data?.metadata).toEqual({ name: "data-db-0", namespace: "default", labels: { tier: "storage", app: "db" }, annotations: { note: "kept" } });
    expect(data?.spec).toEqual({ accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } });
    expect(data?.spec).not.toHaveProperty("storageClassName");
    expect(logs?.metadata.labels).toEqual({ app: "db" });
    expect(logs?.spec.storageClassName).toBe("fast");
  });

  it("are owned by the StatefulSet from their making when whenDeleted is Delete, by nothing otherwise", () => {
    expect(claimsOf(policy("Delete", "Retain"), 0)[0]?.metadata.ownerReferences).toEqual([setRef]);
    expect(claimsOf(policy("Retain", "Delete"), 0)[0]?.metadata).not.toHaveProperty("ownerReferences");
    expect(claimsOf(set(), 0)[0]?.metadata).not.toHaveProperty("ownerReferences");
  });

  it("are the pod's volumes named after the templates, first, in place of the template's volumes of those names", () => {
    const volumes = podVolumes(set(), 2, [{ name: "data", emptyDir: {} }, { name: "scratch", emptyDir: {} }]);
    expect(volumes).toEqual([
      { name: "data", persistentVolumeClaim: { claimName: "data-db-2" } },
      { name: "logs", persistentVolumeClaim: { claimName: "logs-db-2" } },
      { name: "scratch", emptyDir: {} },
    ]);
  });
});

describe("the claims a scale-down condemns", () => {
  const names = ["data-db-0", "data-db-1", "data-db-2", "logs-db-3", "data-other-5", "data-db-x", "scratch"];
  it("are, with whenScaled Delete, those of the ordinals beyond the replicas whose pods are gone", () => {
    expect(condemnedClaims(policy("Retain", "Delete"), names, new Set(["db-0", "db-1", "db-2"]))).toEqual(["logs-db-3"]);
    expect(condemnedClaims(policy("Retain", "Delete"), names, new Set(["db-0", "db-1"]))).toEqual(["data-db-2", "logs-db-3"]);
    // Below ordinals.start too.
    expect(condemnedClaims(set({ persistentVolumeClaimRetentionPolicy: { whenScaled: "Delete" }, ordinals: { start: 1 } }), names, new Set(["db-1", "db-2"]))).toEqual(["data-db-0", "logs-db-3"]);
  });

  it("are none with whenScaled Retain (the default)", () => {
    expect(condemnedClaims(policy("Delete", "Retain"), names, new Set())).toEqual([]);
    expect(condemnedClaims(set(), names, new Set())).toEqual([]);
  });
});
