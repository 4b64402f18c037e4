/**
 * v1 PersistentVolume (cluster-scoped): a piece of storage (`capacity.storage`, `accessModes`) from exactly one
 * volume source (`hostPath`, `local`, `nfs`, `csi`), which never changes once made; a claim it is bound to
 * (`claimRef`), its class and reclaim policy (default Retain) may. Its status is its controllers' (a created one is
 * Pending; the persistent volume controller makes it Available and binds it). Checked as the apiserver checks them.
 */
import { z } from "zod";
import { requiredValue } from "./requiredString.js";
import { ageColumn, column, nameColumn } from "./column.js";
import { groupKindCodec, type GroupObject } from "./groupKind.js";
import { StringMap } from "./objectMeta.js";
import { NodeSelectorTerm } from "./podPlacement.js";
import { ResourceQuantity } from "./quantity.js";

/** The finalizer every volume is created with, which holds its deletion while it is Bound (src/controllers/storageProtection). */
export const PV_PROTECTION = "kubernetes.io/pv-protection";

/** A string Kubernetes requires (`Required value`). */
/** How a volume may be mounted. */
export const AccessMode = z.enum(["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"]);
export type AccessMode = z.infer<typeof AccessMode>;
/** At least one access mode, as the apiserver requires of a volume and of a claim. */
export const AccessModes = z.array(AccessMode, { error: (iss) => (iss.input === undefined ? "Required value: at least 1 access mode is required" : undefined) })
  .min(1, "Required value: at least 1 access mode is required");
/** A filesystem, or a raw block device. */
export const VolumeMode = z.enum(["Filesystem", "Block"]);
/** `{ storage }`, the only resource of a volume. */
export const StorageCapacity = z.strictObject({ storage: ResourceQuantity }, { error: (iss) => (iss.input === undefined ? "Required value" : undefined) });

const SecretReference = z.strictObject({ name: z.string().optional(), namespace: z.string().optional() });

/** The volume sources Coxswain takes, one of which a volume has. */
export const PERSISTENT_VOLUME_SOURCES = ["hostPath", "local", "nfs", "csi"] as const;

const sources = {
  hostPath: z.strictObject({ path: requiredValue(), type: z.enum(["", "DirectoryOrCreate", "Directory", "FileOrCreate", "File", "Socket", "CharDevice", "BlockDevice"]).optional() }).optional(),
  local: z.strictObject({ path: requiredValue(), fsType: z.string().optional() }).optional(),
  nfs: z.strictObject({ server: requiredValue(), path: requiredValue(), readOnly: z.boolean().optional() }).optional(),
  csi: z.strictObject({
    driver: requiredValue(), volumeHandle: requiredValue(), fsType: z.string().optional(), readOnly: z.boolean().optional(), volumeAttributes: StringMap.optional(),
    controllerPublishSecretRef: SecretReference.optional(), nodeStageSecretRef: SecretReference.optional(), nodePublishSecretRef: SecretReference.optional(),
    controllerExpandSecretRef: SecretReference.optional(), nodeExpandSecretRef: SecretReference.optional(),
  }).optional(),
};

/** The claim a volume is bound (or reserved) to. */
export const ClaimRef = z.strictObject({
  kind: z.string().optional(), apiVersion: z.string().optional(), namespace: requiredValue(), name: requiredValue(),
  uid: z.string().optional(), resourceVersion: z.string().optional(), fieldPath: z.string().optional(),
});

/** A volume's spec. */
export const PersistentVolumeSpec = z.strictObject({
  capacity: StorageCapacity,
  accessModes: AccessModes,
  persistentVolumeReclaimPolicy: z.enum(["Retain", "Delete", "Recycle"]).optional(),
  storageClassName: z.string().optional(),
  claimRef: ClaimRef.optional(),
  volumeMode: VolumeMode.optional(),
  mountOptions: z.array(z.string()).optional(),
  nodeAffinity: z.strictObject({ required: z.strictObject({ nodeSelectorTerms: z.array(NodeSelectorTerm).min(1, "Required value: must have at least one node selector term") }).optional() }).optional(),
  volumeAttributesClassName: z.string().optional(),
  ...sources,
}, { error: (iss) => (iss.input === undefined ? "Required value" : undefined) }).superRefine((spec, ctx) => {
  const given = PERSISTENT_VOLUME_SOURCES.filter((s) => spec[s] !== undefined);
  if (given.length === 0) ctx.addIssue({ code: "custom", path: [], message: "Required value: must specify a volume type" });
  if (given.length > 1) ctx.addIssue({ code: "custom", path: [given[1] ?? ""], message: "Forbidden: may not specify more than 1 volume type" });
});
export type PersistentVolumeSpec = z.infer<typeof PersistentVolumeSpec>;

/** A volume's status, its controllers' (`RecordPersistentVolumeStatus`, the whole of it). */
export const PersistentVolumeStatus = z.strictObject({
  phase: z.enum(["Pending", "Available", "Bound", "Released", "Failed"]),
  message: z.string().optional(),
  reason: z.string().optional(),
  lastPhaseTransitionTime: z.string().optional(),
});
export type PersistentVolumeStatus = z.infer<typeof PersistentVolumeStatus>;

const fields = { spec: PersistentVolumeSpec };

/** The PersistentVolume codec and schemas. */
export const persistentVolume = groupKindCodec({ resource: "persistentvolumes", kind: "PersistentVolume", apiVersion: "v1", clusterScoped: true, fields, status: PersistentVolumeStatus });

/** A PersistentVolume as stored: its reclaim policy and volume mode defaulted, its status there from its creation. */
export type PersistentVolume = Omit<GroupObject<typeof fields>, "spec" | "status"> & {
  spec: PersistentVolumeSpec & { persistentVolumeReclaimPolicy: "Retain" | "Delete" | "Recycle"; volumeMode: "Filesystem" | "Block" };
  status: PersistentVolumeStatus;
};

/** A volume's spec as stored: the reclaim policy (Retain) and the volume mode (Filesystem) defaulted, as the apiserver defaults them. Pure. */
export function storedPersistentVolumeSpec(spec: PersistentVolumeSpec): PersistentVolumeSpec {
  return { ...spec, persistentVolumeReclaimPolicy: spec.persistentVolumeReclaimPolicy ?? "Retain", volumeMode: spec.volumeMode ?? "Filesystem" };
}

/** Access modes as kubectl prints them: `RWO,ROX,RWX,RWOP`, each once, always in that order. Pure. */
export function accessModesString(modes: readonly string[] | undefined): string {
  const short: [AccessMode, string][] = [["ReadWriteOnce", "RWO"], ["ReadOnlyMany", "ROX"], ["ReadWriteMany", "RWX"], ["ReadWriteOncePod", "RWOP"]];
  return short.filter(([mode]) => modes?.includes(mode)).map(([, s]) => s).join(",");
}

type PersistentVolumeLike = {
  metadata: { deletionTimestamp?: string | undefined; annotations?: Record<string, string> | undefined };
  spec: { capacity?: { storage?: string }; accessModes?: string[]; persistentVolumeReclaimPolicy?: string; claimRef?: { namespace?: string; name?: string }; storageClassName?: string; volumeAttributesClassName?: string; volumeMode?: string };
  status?: { phase?: string; reason?: string };
};

/** The class of claims and volumes written before `storageClassName`, which it overrides (as Kubernetes reads it). */
export const BETA_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class";

/** The class a volume or claim names (the beta annotation first, as kubectl reads it). Pure. */
export function storageClassOf(o: { metadata: { annotations?: Record<string, string> | undefined }; spec: { storageClassName?: string | undefined } }): string {
  return o.metadata.annotations?.[BETA_CLASS_ANNOTATION] ?? o.spec.storageClassName ?? "";
}

/** The PersistentVolume columns, as kube-apiserver prints them (wide: VOLUMEMODE). */
export const persistentVolumeColumns = [
  nameColumn(),
  column<PersistentVolumeLike>("Capacity", "string", 0, "capacity is the description of the persistent volume's resources and capacity.", (o) => o.spec.capacity?.storage ?? "0"),
  column<PersistentVolumeLike>("Access Modes", "string", 0, "accessModes contains all ways the volume can be mounted.", (o) => accessModesString(o.spec.accessModes)),
  column<PersistentVolumeLike>("Reclaim Policy", "string", 0, "persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.", (o) => o.spec.persistentVolumeReclaimPolicy ?? ""),
  column<PersistentVolumeLike>("Status", "string", 0, "phase indicates if a volume is available, bound to a claim, or released by a claim.", (o) => (o.metadata.deletionTimestamp ? "Terminating" : o.status?.phase ?? "")),
  column<PersistentVolumeLike>("Claim", "string", 0, "claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.", (o) => (o.spec.claimRef ? `${o.spec.claimRef.namespace ?? ""}/${o.spec.claimRef.name ?? ""}` : "")),
  column<PersistentVolumeLike>("StorageClass", "string", 0, "StorageClass of the pv", (o) => storageClassOf(o)),
  column<PersistentVolumeLike>("VolumeAttributesClass", "string", 0, "VolumeAttributesClass of the pv", (o) => o.spec.volumeAttributesClassName ?? "<unset>"),
  column<PersistentVolumeLike>("Reason", "string", 0, "reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.", (o) => o.status?.reason ?? ""),
  ageColumn(),
  column<PersistentVolumeLike>("VolumeMode", "string", 1, "volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.", (o) => o.spec.volumeMode ?? "<unset>"),
];
