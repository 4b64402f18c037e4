/**
 * PersistentVolume actor (v1, cluster-scoped): a plain object with a status of its controllers' (created Pending;
 * `RecordPersistentVolumeStatus`, controllers only, takes the whole status). Stored with Kubernetes' defaults
 * (reclaim policy Retain, volume mode Filesystem); its volume source and volume mode never change once made, in the
 * apiserver's words, while its claimRef, capacity, reclaim policy and class may (the controller binds by claimRef).
 */
import { PERSISTENT_VOLUME_SOURCES, PersistentVolumeStatus, PV_PROTECTION, persistentVolume, storedPersistentVolumeSpec, type PersistentVolumeSpec } from "../../api/persistentVolume.js";
import { invalidField, sameValue } from "../decisions.js";
import { plainObjectDecider } from "../plainObject/decider.js";
import { plainObjectKind } from "../plainObject/machine.js";

/** Refuses an update that changes the volume source or the volume mode, as the apiserver words it. Pure. */
export function checkPersistentVolume(spec: PersistentVolumeSpec, current: { spec: PersistentVolumeSpec } | null, name: string): void {
  if (!current) return;
  if (PERSISTENT_VOLUME_SOURCES.some((s) => !sameValue(spec[s], current.spec[s]))) {
    throw invalidField("persistentvolumes", name, "data.spec.persistentvolumesource", "Forbidden: spec.persistentvolumesource is immutable after creation");
  }
  if (!sameValue(spec.volumeMode, current.spec.volumeMode)) throw invalidField("persistentvolumes", name, "data.spec.volumeMode", "Invalid value: field is immutable");
}

/** The PersistentVolume's registration. */
export const persistentVolumeKind = plainObjectKind(plainObjectDecider({
  resource: "persistentvolumes", kind: "PersistentVolume", clusterScoped: true,
  finalizers: [PV_PROTECTION],
  status: { schema: PersistentVolumeStatus, initial: { phase: "Pending" } },
  stored: (fields) => ({ ...fields, spec: storedPersistentVolumeSpec(fields.spec as PersistentVolumeSpec) }),
  check: (fields, current, name) => checkPersistentVolume(fields.spec as PersistentVolumeSpec, current as { spec: PersistentVolumeSpec } | null, name),
}), persistentVolume.codec);
