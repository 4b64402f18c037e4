/**
 * storage.k8s.io/v1 StorageClass: how a claim's volume is provisioned (`provisioner`, its `parameters`), what becomes
 * of it when released (`reclaimPolicy`, default Delete) and when it is bound (`volumeBindingMode`, default Immediate),
 * as the apiserver keeps it: the provisioner, parameters and both policies never change once made (src/actors/storageClass).
 * Every cluster has the class `standard` of Coxswain's host-path provisioner, marked the default.
 */
import { z } from "zod";
import { requiredValue } from "./requiredString.js";
import { ageColumn, column } from "./column.js";
import { groupKindCodec, type GroupObject } from "./groupKind.js";
import { StringMap } from "./objectMeta.js";

/** The annotation that makes a class the default (the one a claim without `storageClassName` gets). */
export const DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class";
/** The beta annotation kubectl and the apiserver still honour alike. */
const BETA_DEFAULT_CLASS_ANNOTATION = "storageclass.beta.kubernetes.io/is-default-class";
/** Coxswain's own provisioner: a directory on the node's host (src/controllers/persistentVolume). */
export const COXSWAIN_PROVISIONER = "coxswain.io/host-path";

/** A string Kubernetes requires (`provisioner: Required value`). */
/** A term of `allowedTopologies`: label values a node must have, as Kubernetes' TopologySelectorTerm. */
const TopologySelectorTerm = z.strictObject({
  matchLabelExpressions: z.array(z.strictObject({ key: requiredValue(), values: z.array(z.string()).min(1, "Required value: must specify as least one value") })).optional(),
});

const fields = {
  provisioner: requiredValue(),
  parameters: StringMap.optional(),
  reclaimPolicy: z.enum(["Delete", "Retain"]).optional(),
  volumeBindingMode: z.enum(["Immediate", "WaitForFirstConsumer"]).optional(),
  allowVolumeExpansion: z.boolean().optional(),
  mountOptions: z.array(z.string()).optional(),
  allowedTopologies: z.array(TopologySelectorTerm).optional(),
};

/** The StorageClass codec and schemas. */
export const storageClass = groupKindCodec({ resource: "storageclasses", kind: "StorageClass", apiVersion: "storage.k8s.io/v1", clusterScoped: true, fields });

/** A StorageClass as stored: both policies defaulted. */
export type StorageClass = Omit<GroupObject<typeof fields>, "reclaimPolicy" | "volumeBindingMode"> & {
  reclaimPolicy: "Delete" | "Retain";
  volumeBindingMode: "Immediate" | "WaitForFirstConsumer";
};

/** A class's fields as stored: the policies' defaults filled in, as the apiserver defaults them. Pure. */
export function storedStorageClass(f: Record<string, unknown>): Record<string, unknown> {
  return { ...f, reclaimPolicy: f.reclaimPolicy ?? "Delete", volumeBindingMode: f.volumeBindingMode ?? "Immediate" };
}

/** Whether a class is marked the default (either annotation `"true"`), as Kubernetes reads it. Pure. */
export function isDefaultClass(o: { metadata: { annotations?: Record<string, string> | undefined } }): boolean {
  const a = o.metadata.annotations ?? {};
  return a[DEFAULT_CLASS_ANNOTATION] === "true" || a[BETA_DEFAULT_CLASS_ANNOTATION] === "true";
}

type StorageClassLike = { metadata: { name: string; annotations?: Record<string, string> | undefined }; provisioner: string; reclaimPolicy?: string | undefined; volumeBindingMode?: string | undefined; allowVolumeExpansion?: boolean | undefined };

/** The StorageClass columns, as kube-apiserver prints them: NAME (` (default)`) PROVISIONER RECLAIMPOLICY VOLUMEBINDINGMODE ALLOWVOLUMEEXPANSION AGE. */
export const storageClassColumns = [
  column<StorageClassLike>("Name", "string", 0, "Name must be unique within a namespace.", (o) => (isDefaultClass(o) ? `${o.metadata.name} (default)` : o.metadata.name), "name"),
  column<StorageClassLike>("Provisioner", "string", 0, "provisioner indicates the type of the provisioner.", (o) => o.provisioner),
  column<StorageClassLike>("ReclaimPolicy", "string", 0, "reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class. Defaults to Delete.", (o) => o.reclaimPolicy ?? "Delete"),
  column<StorageClassLike>("VolumeBindingMode", "string", 0, "volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.  When unset, VolumeBindingImmediate is used.", (o) => o.volumeBindingMode ?? "Immediate"),
  column<StorageClassLike>("AllowVolumeExpansion", "string", 0, "allowVolumeExpansion shows whether the storage class allow volume expand.", (o) => String(o.allowVolumeExpansion ?? false)),
  ageColumn(),
];
