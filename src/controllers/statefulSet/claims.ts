/**
 * A StatefulSet's PersistentVolumeClaims, as Kubernetes' statefulset controller keeps them: pod `<set>-<n>` has, for
 * each of the set's `volumeClaimTemplates`, the claim `<template>-<set>-<n>` (made before the pod, never changed
 * after), and a volume named after the template that mounts it. `persistentVolumeClaimRetentionPolicy` says when
 * they go: `whenDeleted: Delete` makes the StatefulSet their owner when they are made, so that the garbage collector
 * deletes them with it; `whenScaled: Delete` deletes the claims of an ordinal the set no longer wants once its pod is
 * gone (Kubernetes makes the condemned pod their owner for its garbage collector; the outcome is the same);
 * `Retain` (both defaults) leaves them. Pure.
 */
import type { OwnerReference } from "../../api/objectMeta.js";
import type { StatefulSetSpec, VolumeClaimTemplate } from "../../api/statefulSet.js";
import { controllerRef } from "../replicaSet/kind.js";
import { ordinalOf } from "./decide.js";

/** The StatefulSet as the claims' decisions read it. */
export interface ClaimOwner {
  name: string;
  namespace: string;
  uid: string;
  spec: Pick<StatefulSetSpec, "selector" | "volumeClaimTemplates" | "persistentVolumeClaimRetentionPolicy" | "replicas" | "ordinals">;
}

/** A pod volume that mounts a claim. */
export interface ClaimVolume {
  name: string;
  persistentVolumeClaim: { claimName: string };
}

/** The data of a CreatePersistentVolumeClaim. */
export interface ClaimManifest {
  metadata: { name: string; namespace: string; labels?: Record<string, string>; annotations?: Record<string, string>; ownerReferences?: OwnerReference[] };
  spec: VolumeClaimTemplate["spec"];
}

/** The claim of template `template` for the pod of ordinal `ordinal` of StatefulSet `set`: `<template>-<set>-<ordinal>`. Pure. */
export function claimName(template: string, set: string, ordinal: number): string {
  return `${template}-${set}-${ordinal}`;
}

/** True when the set's `whenDeleted` / `whenScaled` is Delete (Retain, the default, otherwise). Pure. */
export function retention(spec: ClaimOwner["spec"]): { whenDeleted: boolean; whenScaled: boolean } {
  const policy = spec.persistentVolumeClaimRetentionPolicy;
  return { whenDeleted: policy?.whenDeleted === "Delete", whenScaled: policy?.whenScaled === "Delete" };
}

/**
 * The claims of ordinal `ordinal`, to create: each template's labels with the set's selector's matchLabels over them,
 * its annotations and spec as written, and (with `whenDeleted: Delete`) the set as controller owner. Pure.
 */
export function claimsOf(set: ClaimOwner, ordinal: number): ClaimManifest[] {
  const refs = retention(set.spec).whenDeleted ? [controllerRef("apps/v1", "StatefulSet", { metadata: set })] : [];
  return (set.spec.volumeClaimTemplates ?? []).map((t) => {
    const labels = { ...t.metadata.labels, ...set.spec.selector.matchLabels };
    const metadata = {
      name: claimName(t.metadata.name, set.name, ordinal), namespace: set.namespace,
      ...(Object.keys(labels).length > 0 ? { labels } : {}), ...(t.metadata.annotations ? { annotations: t.metadata.annotations } : {}),
      ...(refs.length > 0 ? { ownerReferences: refs } : {}),
    };
    return { metadata, spec: t.spec };
  });
}

/** The pod's volumes: one per template mounting its claim, first, then the template's own but those of the same names. Pure. */
export function podVolumes<V extends { name: string }>(set: ClaimOwner, ordinal: number, volumes: readonly V[] | undefined): (V | ClaimVolume)[] {
  const templates = (set.spec.volumeClaimTemplates ?? []).map((t) => t.metadata.name);
  const claimed: ClaimVolume[] = templates.map((name) => ({ name, persistentVolumeClaim: { claimName: claimName(name, set.name, ordinal) } }));
  return [...claimed, ...(volumes ?? []).filter((v) => !templates.includes(v.name))];
}

/**
 * With `whenScaled: Delete`, the claims (of `claims`, the names of the namespace's claims) of the ordinals the set
 * no longer wants whose pods (`pods`, the names of the set's pods) are gone: to delete, as Kubernetes' garbage
 * collector deletes them after the condemned pod that owns them. None with `Retain`. Pure.
 */
export function condemnedClaims(set: ClaimOwner, claims: readonly string[], pods: ReadonlySet<string>): string[] {
  if (!retention(set.spec).whenScaled) return [];
  const start = set.spec.ordinals?.start ?? 0;
  const templates = (set.spec.volumeClaimTemplates ?? []).map((t) => `${t.metadata.name}-${set.name}`);
  return claims.filter((name) => templates.some((prefix) => {
    const ordinal = ordinalOf(prefix, name);
    return ordinal !== undefined && (ordinal < start || ordinal >= start + set.spec.replicas) && !pods.has(`${set.name}-${ordinal}`);
  }));
}
