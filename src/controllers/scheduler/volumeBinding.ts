/**
 * Kubernetes' VolumeBinding pre-filter, for claims bound as they are made: a pod whose volumes name a
 * PersistentVolumeClaim goes nowhere until every such claim exists and is Bound (the PersistentVolume controller binds
 * them, src/controllers/persistentVolume/). The reason is the scheduler's own words, for every node alike. Pure.
 */
import type { Pod } from "../../api/pod.js";
import { podClaimNames } from "../../api/volumes.js";

/** A claim as this check reads it. */
export type ClaimToPlace = { status?: { phase?: string } };

/** Why no node can take `pod` yet because of its claims (`claimOf` reads one in the pod's namespace), or null. Pure. */
export function unboundClaims(pod: Pod, claimOf: (name: string) => ClaimToPlace | undefined): string | null {
  let unbound = false;
  for (const name of podClaimNames(pod.spec)) {
    const claim = claimOf(name);
    if (!claim) return `persistentvolumeclaim "${name}" not found`;
    if (claim.status?.phase !== "Bound") unbound = true;
  }
  return unbound ? "pod has unbound immediate PersistentVolumeClaims" : null;
}
