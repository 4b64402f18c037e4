/**
 * Kubernetes' storage object in-use protection: every PersistentVolumeClaim is created with the finalizer
 * `kubernetes.io/pvc-protection` and every PersistentVolume with `kubernetes.io/pv-protection` (their actors add them),
 * so a delete leaves them Terminating; the protection controller takes a claim's finalizer away once no pod uses it,
 * and a volume's once it is not Bound, and the deletion goes on. It gives the finalizer back to an object not being
 * deleted that lacks it (one made before, or replaced without it), as Kubernetes' controllers do. Pure.
 */
import { PV_PROTECTION } from "../../api/persistentVolume.js";
import { PVC_PROTECTION } from "../../api/persistentVolumeClaim.js";
import { podClaimNames, type Volume } from "../../api/volumes.js";

export { PV_PROTECTION, PVC_PROTECTION };

/** An object as this controller reads it: its deletion, its finalizers, and a volume's phase. */
export type Protected = { metadata: { deletionTimestamp?: string | undefined; finalizers?: readonly string[] | undefined }; status?: { phase?: string } };
/** A pod as this controller reads it. */
export type PodUsing = { spec: { nodeName?: string | undefined; volumes?: readonly Volume[] | undefined }; status?: { phase?: string } };

/** Whether the object is being deleted and still held by `finalizer`. Pure. */
export function heldBy(object: Protected, finalizer: string): boolean {
  return object.metadata.deletionTimestamp !== undefined && (object.metadata.finalizers ?? []).includes(finalizer);
}

/**
 * Whether `pod` uses claim `name` (of its namespace): it names the claim in a volume, has been placed on a node (the
 * scheduler places no pod whose claim is being deleted), and has not ended, as Kubernetes' controller counts it. Pure.
 */
export function podUsesClaim(pod: PodUsing, name: string): boolean {
  const ended = pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed";
  return pod.spec.nodeName !== undefined && !ended && podClaimNames(pod.spec).includes(name);
}

/** Whether the object lacks `finalizer` and is not being deleted (a finalizer cannot be added then). Pure. */
export function unprotected(object: Protected, finalizer: string): boolean {
  return object.metadata.deletionTimestamp === undefined && !(object.metadata.finalizers ?? []).includes(finalizer);
}

/**
 * The finalizers `object` should have now, with `finalizer` its protection: given back when it lacks it, taken away
 * when it is being deleted and `inUse` says nothing holds it any more; null when nothing is to change. Pure.
 */
function protection(object: Protected, finalizer: string, inUse: () => boolean): string[] | null {
  const finalizers = object.metadata.finalizers ?? [];
  if (unprotected(object, finalizer)) return [...finalizers, finalizer];
  if (!heldBy(object, finalizer) || inUse()) return null;
  return finalizers.filter((f) => f !== finalizer);
}

/** The finalizers claim `name` should have now (none of `pods`, its namespace's, using it lets its deletion go on). Pure. */
export function claimFinalizers(claim: Protected, name: string, pods: readonly PodUsing[]): string[] | null {
  return protection(claim, PVC_PROTECTION, () => pods.some((p) => podUsesClaim(p, name)));
}

/** The finalizers a volume should have now (not Bound lets its deletion go on). Pure. */
export function volumeFinalizers(volume: Protected): string[] | null {
  return protection(volume, PV_PROTECTION, () => volume.status?.phase === "Bound");
}
