/**
 * PersistentVolumeClaim actor (v1): a plain object with a status of its controllers' (created Pending;
 * `RecordPersistentVolumeClaimStatus`, controllers only, takes the whole status), stored with Kubernetes' default
 * volume mode (Filesystem). Its spec never changes once made but, once bound, for `resources.requests` (never below
 * what they were) and `volumeAttributesClassName`, and for a `volumeName` set where there was none and a
 * `storageClassName` set where there was none (what the persistent volume controller sets when it binds a claim),
 * in the apiserver's words.
 */
import { PersistentVolumeClaimStatus, PVC_PROTECTION, persistentVolumeClaim, storedPersistentVolumeClaimSpec, type PersistentVolumeClaimSpec } from "../../api/persistentVolumeClaim.js";
import { compareQuantities, tryParseQuantity } from "../../api/quantity.js";
import { invalidField, sameValue } from "../decisions.js";
import { plainObjectDecider } from "../plainObject/decider.js";
import { plainObjectKind } from "../plainObject/machine.js";
import { admitClaim } from "../limitRange/admission.js";

/**
 * What of a claim's spec may not change, given the spec it had: all of it while unbound; once bound (it names its
 * volume), all but the requests and the volume attributes class. `volumeName` and `storageClassName` may be set where
 * they were not. Pure.
 */
function fixedPart(spec: PersistentVolumeClaimSpec, before: PersistentVolumeClaimSpec): Record<string, unknown> {
  const { resources, volumeName, storageClassName, volumeAttributesClassName, ...rest } = spec;
  const bound = before.volumeName !== undefined;
  return {
    ...rest,
    resources: bound ? { ...resources, requests: undefined } : resources,
    volumeAttributesClassName: bound ? undefined : volumeAttributesClassName,
    volumeName: before.volumeName ? volumeName : undefined,
    storageClassName: before.storageClassName === undefined ? undefined : storageClassName,
  };
}

/** Refuses an update that changes more of the spec than Kubernetes lets a claim change, or shrinks a bound claim. Pure. */
export function checkPersistentVolumeClaim(spec: PersistentVolumeClaimSpec, current: { spec: PersistentVolumeClaimSpec } | null, name: string): void {
  if (!current) return;
  if (!sameValue(fixedPart(spec, current.spec), fixedPart(current.spec, current.spec))) {
    throw invalidField("persistentvolumeclaims", name, "data.spec", "Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims");
  }
  const asked = tryParseQuantity(spec.resources?.requests?.storage ?? "0");
  const had = tryParseQuantity(current.spec.resources?.requests?.storage ?? "0");
  if (typeof asked !== "string" && typeof had !== "string" && compareQuantities(asked, had) < 0) {
    throw invalidField("persistentvolumeclaims", name, "data.spec.resources.requests.storage", "Forbidden: field can not be less than previous value");
  }
}

/** The PersistentVolumeClaim's registration: admitted under its namespace's LimitRanges (fenced on create). */
export const persistentVolumeClaimKind = { ...plainObjectKind(plainObjectDecider({
  resource: "persistentvolumeclaims", kind: "PersistentVolumeClaim", clusterScoped: false,
  finalizers: [PVC_PROTECTION],
  status: { schema: PersistentVolumeClaimStatus, initial: { phase: "Pending" } },
  stored: (fields) => ({ ...fields, spec: storedPersistentVolumeClaimSpec(fields.spec as PersistentVolumeClaimSpec) }),
  check: (fields, current, name) => checkPersistentVolumeClaim(fields.spec as PersistentVolumeClaimSpec, current as { spec: PersistentVolumeClaimSpec } | null, name),
}), persistentVolumeClaim.codec), admit: admitClaim, fencesOnCreate: ["limitranges"] as const };
