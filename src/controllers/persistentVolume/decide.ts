/**
 * The decisions of the PersistentVolume controller, as Kubernetes' binder (pkg/controller/volume/persistentvolume)
 * takes them, one claim or one volume at a time. Pure: the reconciler reads the view and sends what these say.
 *
 * A claim: one with no class gets the default StorageClass (the newest marked default, as Kubernetes' retroactive
 * assignment does); one that names its volume is bound to it when the volume is free and satisfies it; else a volume
 * already claimed for it is named in it; else the smallest Available volume that satisfies it (class, access modes,
 * size, volume mode, selector) is claimed; else a class whose provisioner is Coxswain's gets a new volume
 * `pvc-<claim uid>` (on a host path) claimed for it. A claim is Bound once its volume's claimRef names it, and Lost
 * when a Bound claim's volume is gone or claimed by another.
 * A volume: Available while nobody claims it (or its claimRef names a claim not yet made), Bound while its claim
 * exists; freed again when the controller claimed it for a claim that ended up bound to another volume (a decision on
 * a stale view); Released once its claim is gone, then deleted (reclaim policy Delete), freed for another claim
 * (Recycle), or kept (Retain). A claim or volume being deleted stays, Terminating, while its protection finalizer
 * holds it (src/controllers/storageProtection): a claim while pods use it, a volume while it is Bound.
 */
import { labelSelectorMatches } from "../../api/labelSelector.js";
import { BETA_CLASS_ANNOTATION, storageClassOf, type PersistentVolumeSpec, type PersistentVolumeStatus } from "../../api/persistentVolume.js";
import type { PersistentVolumeClaimSpec, PersistentVolumeClaimStatus } from "../../api/persistentVolumeClaim.js";
import { compareQuantities, tryParseQuantity } from "../../api/quantity.js";
import { COXSWAIN_PROVISIONER, isDefaultClass } from "../../api/storageClass.js";

/** Where Coxswain's provisioner puts a new volume's directory: `<root>/pvc-<claim uid>`. */
export const PROVISIONED_ROOT = "/var/lib/coxswain/volumes";
const BIND_COMPLETED = "pv.kubernetes.io/bind-completed";
/** Kubernetes' mark of a binding its controller made (on the claim, and on a volume it claimed). */
export const BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller";
const PROVISIONED_BY = "pv.kubernetes.io/provisioned-by";

type Meta = {
  name: string; namespace?: string | undefined; uid: string; creationTimestamp?: string | undefined; deletionTimestamp?: string | undefined;
  labels?: Record<string, string> | undefined; annotations?: Record<string, string> | undefined;
};

/** A claim as the controller reads it. */
export interface ClaimLike { metadata: Meta; spec: PersistentVolumeClaimSpec; status?: PersistentVolumeClaimStatus | undefined }
/** A volume as the controller reads it. */
export interface VolumeLike { metadata: Meta; spec: PersistentVolumeSpec; status?: PersistentVolumeStatus | undefined }
/** The claim a volume is for. */
export type ClaimRef = NonNullable<PersistentVolumeSpec["claimRef"]>;
/** A StorageClass as the controller reads it. */
export interface ClassLike { metadata: Meta; provisioner: string; reclaimPolicy?: "Delete" | "Retain" | undefined; mountOptions?: string[] | undefined }

/** What to do about a claim. */
export type ClaimAction =
  | { kind: "none"; why?: string }
  | { kind: "setClass"; className: string }
  | { kind: "setVolumeName"; volume: string; annotations: Record<string, string> }
  | { kind: "claimVolume"; volume: string; claimRef: ClaimRef }
  | { kind: "provision"; volume: { metadata: { name: string; annotations: Record<string, string> }; spec: PersistentVolumeSpec } }
  | { kind: "status"; status: PersistentVolumeClaimStatus };

/** What to do about a volume. */
export type VolumeAction =
  | { kind: "none" }
  | { kind: "status"; phase: "Available" | "Bound" | "Released" }
  | { kind: "delete" }
  | { kind: "free" };

/** The default StorageClass: of those marked default, the newest (then the first by name), as Kubernetes picks it. Pure. */
export function defaultClass(classes: readonly ClassLike[]): ClassLike | undefined {
  const marked = classes.filter(isDefaultClass);
  return marked.sort((a, b) => (b.metadata.creationTimestamp ?? "").localeCompare(a.metadata.creationTimestamp ?? "") || a.metadata.name.localeCompare(b.metadata.name))[0];
}

/** Whether `ref` names `claim` (by namespace and name, and by uid when it has one). Pure. */
export function refersTo(ref: ClaimRef | undefined, claim: ClaimLike): boolean {
  return !!ref && ref.namespace === claim.metadata.namespace && ref.name === claim.metadata.name && (ref.uid === undefined || ref.uid === claim.metadata.uid);
}

/** Why `volume` cannot serve `claim` (null: it can), in the binder's terms. Pure. */
export function unsatisfied(claim: ClaimLike, volume: VolumeLike): string | null {
  if (storageClassOf(claim) !== storageClassOf(volume)) return "storageClassName does not match";
  const modes = volume.spec.accessModes ?? [];
  if (!(claim.spec.accessModes ?? []).every((m) => modes.includes(m))) return "incompatible accessMode";
  if ((claim.spec.volumeMode ?? "Filesystem") !== (volume.spec.volumeMode ?? "Filesystem")) return "incompatible volumeMode";
  const asked = tryParseQuantity(claim.spec.resources?.requests?.storage ?? "0");
  const has = tryParseQuantity(volume.spec.capacity?.storage ?? "0");
  if (typeof asked === "string" || typeof has === "string" || compareQuantities(has, asked) < 0) return "requested PV is too small";
  return null;
}

/** The claim's status while bound to `volume`. Pure. */
function boundStatus(volume: VolumeLike): PersistentVolumeClaimStatus {
  return { phase: "Bound", ...(volume.spec.accessModes ? { accessModes: volume.spec.accessModes } : {}), ...(volume.spec.capacity ? { capacity: volume.spec.capacity } : {}) };
}

function statusAction(claim: ClaimLike, status: PersistentVolumeClaimStatus): ClaimAction {
  return JSON.stringify(claim.status ?? {}) === JSON.stringify(status) ? { kind: "none" } : { kind: "status", status };
}

function refOf(claim: ClaimLike): ClaimRef {
  return { kind: "PersistentVolumeClaim", apiVersion: "v1", namespace: claim.metadata.namespace ?? "", name: claim.metadata.name, uid: claim.metadata.uid };
}

/** The next step for `claim`, given every volume and StorageClass there is. Pure. */
export function decideClaim(claim: ClaimLike, volumes: readonly VolumeLike[], classes: readonly ClassLike[]): ClaimAction {
  const named = claim.spec.volumeName;
  // Kubernetes' retroactive default class: only for a claim not bound to, nor naming, a volume.
  if (claim.spec.storageClassName === undefined && claim.metadata.annotations?.[BETA_CLASS_ANNOTATION] === undefined && !named && claim.status?.phase !== "Bound") {
    const fallback = defaultClass(classes);
    if (fallback) return { kind: "setClass", className: fallback.metadata.name };
  }
  if (named) {
    const volume = volumes.find((v) => v.metadata.name === named);
    const lost = claim.status?.phase === "Bound" ? statusAction(claim, { phase: "Lost" }) : { kind: "none" as const, why: `volume ${named} not found` };
    if (!volume) return lost;
    if (refersTo(volume.spec.claimRef, claim)) {
      // A claimRef without the uid (a volume pre-bound by a user) is completed first.
      return volume.spec.claimRef?.uid === undefined ? { kind: "claimVolume", volume: named, claimRef: refOf(claim) } : statusAction(claim, boundStatus(volume));
    }
    if (volume.spec.claimRef) return claim.status?.phase === "Bound" ? lost : { kind: "none", why: `volume ${named} already bound to a different claim` };
    const why = unsatisfied(claim, volume);
    return why ? { kind: "none", why: `Cannot bind to requested volume "${named}": ${why}` } : { kind: "claimVolume", volume: named, claimRef: refOf(claim) };
  }
  const mine = volumes.find((v) => refersTo(v.spec.claimRef, claim));
  if (mine) {
    if (mine.spec.claimRef?.uid === undefined) return { kind: "claimVolume", volume: mine.metadata.name, claimRef: refOf(claim) };
    return { kind: "setVolumeName", volume: mine.metadata.name, annotations: { ...claim.metadata.annotations, [BIND_COMPLETED]: "yes", [BOUND_BY_CONTROLLER]: "yes" } };
  }
  const free = volumes
    .filter((v) => !v.spec.claimRef && v.status?.phase === "Available" && unsatisfied(claim, v) === null)
    .filter((v) => !claim.spec.selector || labelSelectorMatches(claim.spec.selector, v.metadata.labels))
    .sort((a, b) => compareCapacity(a, b) || a.metadata.name.localeCompare(b.metadata.name))[0];
  if (free) return { kind: "claimVolume", volume: free.metadata.name, claimRef: refOf(claim) };
  const className = storageClassOf(claim);
  const cls = classes.find((c) => c.metadata.name === className);
  if (!className) return { kind: "none", why: "no persistent volumes available for this claim and no storage class is set" };
  if (!cls) return { kind: "none", why: `storageclass.storage.k8s.io "${className}" not found` };
  if (cls.provisioner !== COXSWAIN_PROVISIONER) return { kind: "none", why: `waiting for a volume to be created by the external provisioner "${cls.provisioner}"` };
  // Kubernetes' provisioning ignores a claim with a selector (it cannot make a volume with labels to match).
  if (claim.spec.selector) return { kind: "none", why: "claim Selector is not supported" };
  return { kind: "provision", volume: provisioned(claim, cls) };
}

function compareCapacity(a: VolumeLike, b: VolumeLike): number {
  const qa = tryParseQuantity(a.spec.capacity?.storage ?? "0");
  const qb = tryParseQuantity(b.spec.capacity?.storage ?? "0");
  return typeof qa === "string" || typeof qb === "string" ? 0 : compareQuantities(qa, qb);
}

/** The volume Coxswain's provisioner makes for `claim`: its size, modes and class, claimed for it. Pure. */
function provisioned(claim: ClaimLike, cls: ClassLike): Extract<ClaimAction, { kind: "provision" }>["volume"] {
  const name = `pvc-${claim.metadata.uid}`;
  return {
    metadata: { name, annotations: { [PROVISIONED_BY]: COXSWAIN_PROVISIONER, [BOUND_BY_CONTROLLER]: "yes" } },
    spec: {
      capacity: { storage: claim.spec.resources?.requests?.storage ?? "0" },
      accessModes: claim.spec.accessModes,
      persistentVolumeReclaimPolicy: cls.reclaimPolicy ?? "Delete",
      storageClassName: cls.metadata.name,
      volumeMode: claim.spec.volumeMode ?? "Filesystem",
      claimRef: refOf(claim),
      hostPath: { path: `${PROVISIONED_ROOT}/${name}`, type: "DirectoryOrCreate" },
      ...(cls.mountOptions ? { mountOptions: cls.mountOptions } : {}),
    },
  };
}

/** The next step for `volume`, given the claim its claimRef names (undefined: none, or not found). Pure. */
export function decideVolume(volume: VolumeLike, claim: ClaimLike | undefined): VolumeAction {
  const ref = volume.spec.claimRef;
  const phase = volume.status?.phase;
  const want = (p: "Available" | "Bound" | "Released"): VolumeAction => (phase === p ? { kind: "none" } : { kind: "status", phase: p });
  if (!ref) return want("Available");
  if (claim && refersTo(ref, claim)) {
    if (ref.uid === undefined) return want("Available");
    const elsewhere = claim.spec.volumeName !== undefined && claim.spec.volumeName !== volume.metadata.name;
    // Claimed by the controller for a claim since bound to another volume: free again (a user's binding is kept).
    if (elsewhere) return volume.metadata.annotations?.[BOUND_BY_CONTROLLER] === "yes" ? { kind: "free" } : want("Available");
    return want("Bound");
  }
  // Claimed ahead of a claim not made yet: still free for it.
  if (ref.uid === undefined) return want("Available");
  // Its claim is gone: released, then reclaimed by its policy.
  if (phase !== "Released") return { kind: "status", phase: "Released" };
  switch (volume.spec.persistentVolumeReclaimPolicy ?? "Retain") {
    case "Delete": return { kind: "delete" };
    case "Recycle": return { kind: "free" };
    default: return { kind: "none" };
  }
}
