/**
 * Kubernetes' storage object in-use protection: every PersistentVolumeClaim is created with the finalizer
 * `kubernetes.io/pvc-protection` and every PersistentVolume with `kubernetes.io/pv-protection` (their actors add them),
 * so a delete leaves them Terminating; the protection controller takes a claim's finalizer away once no pod uses it,
 * and a volume's once it is not Bound, and the deletion goes on. Pure.
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

/** The finalizers `object` keeps once `finalizer` is taken away. Pure. */
function without(object: Protected, finalizer: string): string[] {
  return (object.metadata.finalizers ?? []).filter((f) => f !== finalizer);
}

/**
 * The finalizers claim `name` should have now: without its protection when it is being deleted and none of `pods` (its
 * namespace's) uses it; null when nothing is to change. Pure.
 */
export function releasedClaim(claim: Protected, name: string, pods: readonly PodUsing[]): string[] | null {
  if (!heldBy(claim, PVC_PROTECTION) || pods.some((p) => podUsesClaim(p, name))) return null;
  return without(claim, PVC_PROTECTION);
}

/** The finalizers a volume should have now: without its protection when it is being deleted and is not Bound; else null. Pure. */
export function releasedVolume(volume: Protected): string[] | null {
  if (!heldBy(volume, PV_PROTECTION) || volume.status?.phase === "Bound") return null;
  return without(volume, PV_PROTECTION);
}
