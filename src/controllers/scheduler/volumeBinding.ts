/**
 * Kubernetes' VolumeBinding pre-filter, for claims bound as they are made: a pod whose volumes name a
 * PersistentVolumeClaim goes nowhere until every such claim exists, is Bound (the PersistentVolume controller binds
 * them, src/controllers/persistentVolume/) and is not being deleted (its protection finalizer holds it while pods
 * use it). The reason is the scheduler's own words, for every node alike. Pure.
 */

/** A claim as this check reads it. */
export type ClaimToPlace = { metadata?: { deletionTimestamp?: string | undefined }; status?: { phase?: string } };

/**
 * Why no node can take a pod yet because of its claims (`claims`, their names: `podClaimNames`; `claimOf` reads one
 * in the pod's namespace), or null. Pure.
 */
export function unboundClaims(claims: readonly string[], claimOf: (name: string) => ClaimToPlace | undefined): string | null {
  let unbound = false;
  for (const name of claims) {
    const claim = claimOf(name);
    if (!claim) return `persistentvolumeclaim "${name}" not found`;
    if (claim.metadata?.deletionTimestamp !== undefined) return `persistentvolumeclaim "${name}" is being deleted`;
    if (claim.status?.phase !== "Bound") unbound = true;
  }
  return unbound ? "pod has unbound immediate PersistentVolumeClaims" : null;
}
