/**
 * v1 PersistentVolumeClaim: a namespace's request for storage (`resources.requests.storage`, `accessModes`, a class,
 * a selector), which a pod mounts by name (a `persistentVolumeClaim` volume). Its spec never changes once made but for
 * its requests, a `volumeName` given when there was none and a `storageClassName` given when there was none (what the
 * persistent volume controller sets when it binds it: src/actors/persistentVolumeClaim). Its status is its
 * controllers' (a created claim is Pending). Checked as the apiserver checks them.
 */
import { z } from "zod";
import { requiredValue } from "./requiredString.js";
import { ageColumn, column, nameColumn } from "./column.js";
import { groupKindCodec, type GroupObject } from "./groupKind.js";
import { LabelSelector } from "./labelSelector.js";
import { AccessMode, AccessModes, accessModesString, StorageCapacity, storageClassOf, VolumeMode } from "./persistentVolume.js";
import { ResourceQuantity } from "./quantity.js";

/** The finalizer every claim is created with, which holds its deletion while pods use it (src/controllers/storageProtection). */
export const PVC_PROTECTION = "kubernetes.io/pvc-protection";

/** A claim's spec. */
export const PersistentVolumeClaimSpec = z.strictObject({
  accessModes: AccessModes,
  resources: z.strictObject({ requests: z.record(z.string(), ResourceQuantity).optional(), limits: z.record(z.string(), ResourceQuantity).optional() }).optional(),
  storageClassName: z.string().optional(),
  volumeName: z.string().optional(),
  volumeMode: VolumeMode.optional(),
  selector: LabelSelector.optional(),
  dataSource: z.strictObject({ apiGroup: z.string().optional(), kind: requiredValue(), name: requiredValue() }).optional(),
  dataSourceRef: z.strictObject({ apiGroup: z.string().optional(), kind: requiredValue(), name: requiredValue(), namespace: z.string().optional() }).optional(),
  volumeAttributesClassName: z.string().optional(),
}, { error: (iss) => (iss.input === undefined ? "Required value" : undefined) }).superRefine((spec, ctx) => {
  // The apiserver names the missing request by its key: `spec.resources[storage]: Required value`.
  if (spec.resources?.requests?.storage === undefined) ctx.addIssue({ code: "custom", path: ["resources[storage]"], message: "Required value" });
});
export type PersistentVolumeClaimSpec = z.infer<typeof PersistentVolumeClaimSpec>;

/** One condition of a claim (Resizing, FileSystemResizePending, …). */
const ClaimCondition = z.strictObject({
  type: z.string(), status: z.enum(["True", "False", "Unknown"]), lastProbeTime: z.string().optional(), lastTransitionTime: z.string().optional(),
  reason: z.string().optional(), message: z.string().optional(),
});

/** A claim's status, its controllers' (`RecordPersistentVolumeClaimStatus`, the whole of it): the bound volume's modes and capacity. */
export const PersistentVolumeClaimStatus = z.strictObject({
  phase: z.enum(["Pending", "Bound", "Lost"]),
  accessModes: z.array(AccessMode).optional(),
  capacity: StorageCapacity.optional(),
  conditions: z.array(ClaimCondition).optional(),
});
export type PersistentVolumeClaimStatus = z.infer<typeof PersistentVolumeClaimStatus>;

const fields = { spec: PersistentVolumeClaimSpec };

/** The PersistentVolumeClaim codec and schemas. */
export const persistentVolumeClaim = groupKindCodec({
  resource: "persistentvolumeclaims", kind: "PersistentVolumeClaim", apiVersion: "v1", clusterScoped: false, fields, status: PersistentVolumeClaimStatus,
});

/** A PersistentVolumeClaim as stored: its volume mode defaulted, its status there from its creation. */
export type PersistentVolumeClaim = Omit<GroupObject<typeof fields>, "spec" | "status"> & {
  spec: PersistentVolumeClaimSpec & { volumeMode: "Filesystem" | "Block" };
  status: PersistentVolumeClaimStatus;
};

/** A claim's spec as stored: the volume mode (Filesystem) defaulted, as the apiserver defaults it. Pure. */
export function storedPersistentVolumeClaimSpec(spec: PersistentVolumeClaimSpec): PersistentVolumeClaimSpec {
  return { ...spec, volumeMode: spec.volumeMode ?? "Filesystem" };
}

type ClaimLike = {
  metadata: { deletionTimestamp?: string | undefined; annotations?: Record<string, string> | undefined };
  spec: { volumeName?: string; storageClassName?: string; volumeAttributesClassName?: string; volumeMode?: string };
  status?: { phase?: string; accessModes?: string[]; capacity?: { storage?: string } };
};

/** The PersistentVolumeClaim columns, as kube-apiserver prints them (capacity and modes once bound to a volume; wide: VOLUMEMODE). */
export const persistentVolumeClaimColumns = [
  nameColumn(),
  column<ClaimLike>("Status", "string", 0, "phase represents the current phase of PersistentVolumeClaim.", (o) => (o.metadata.deletionTimestamp ? "Terminating" : o.status?.phase ?? "")),
  column<ClaimLike>("Volume", "string", 0, "volumeName is the binding reference to the PersistentVolume backing this claim.", (o) => o.spec.volumeName ?? ""),
  column<ClaimLike>("Capacity", "string", 0, "capacity represents the actual resources of the underlying volume.", (o) => (o.spec.volumeName ? o.status?.capacity?.storage ?? "0" : "")),
  column<ClaimLike>("Access Modes", "string", 0, "accessModes contains the actual access modes the volume backing the PVC has.", (o) => (o.spec.volumeName ? accessModesString(o.status?.accessModes) : "")),
  column<ClaimLike>("StorageClass", "string", 0, "StorageClass of the pvc", (o) => storageClassOf(o)),
  column<ClaimLike>("VolumeAttributesClass", "string", 0, "VolumeAttributesClass of the pvc", (o) => o.spec.volumeAttributesClassName ?? "<unset>"),
  ageColumn(),
  column<ClaimLike>("VolumeMode", "string", 1, "volumeMode defines what type of volume is required by the claim.", (o) => o.spec.volumeMode ?? "<unset>"),
];
