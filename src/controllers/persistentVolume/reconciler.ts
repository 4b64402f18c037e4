/**
 * The PersistentVolume controller (Kubernetes' binder and, for the `coxswain.io/host-path` provisioner, the
 * provisioner): binds claims to volumes and keeps both phases (decide.ts). Informer-style: a key is `claim/<ns>/<name>`
 * or `volume/<name>`, queued when the object changes; a volume's change also queues the claim it names (and, once it
 * is free, every claim waiting for one), a claim's change the volumes claimed for it, a StorageClass's change every
 * claim still waiting. Each step is one command sent at the version read (a concurrent change is a Conflict, and the
 * key is looked at again); the view's change of what it wrote brings the key back for the next step.
 */
import { CLUSTER_NS } from "../../api/kinds.js";
import type { ViewChange, ViewEntry } from "../../projections/clusterView.js";
import type { ControllerContext } from "../context.js";
import { sendCreate } from "../createAgain.js";
import type { KeyedController } from "../keyedLoop.js";
import { BOUND_BY_CONTROLLER, decideClaim, decideVolume, refersTo, type ClaimLike, type ClassLike, type VolumeLike } from "./decide.js";

const CLAIM = "claim/";
const VOLUME = "volume/";
/**
 * Refusals that a later change of the view answers, as it queues the key again: a write to the key's own object that
 * was too late (Conflict: the object moved), or whose object is gone. A claim's write to a volume that was too late is
 * not among them (the volume's change queues the claim that won, not this one): it is tried again after a backoff.
 */
const SETTLED_BY_VIEW = ["AlreadyExists", "NotFound", "Conflict"];
const SETTLED_ELSEWHERE = ["AlreadyExists", "NotFound"];

/** One controller per leadership term. */
export class PersistentVolumeReconciler implements KeyedController {
  constructor(private readonly ctx: ControllerContext) {}

  keysOf(change: ViewChange): string[] {
    switch (change.resource) {
      case "persistentvolumeclaims": {
        const keys = [`${CLAIM}${change.namespace}/${change.name}`];
        for (const v of this.volumes()) {
          const ref = v.object.spec.claimRef;
          if (ref?.namespace === change.namespace && ref.name === change.name) keys.push(`${VOLUME}${v.name}`);
        }
        return keys;
      }
      case "persistentvolumes": {
        const keys = [`${VOLUME}${change.name}`];
        const volume = change.entry?.object as VolumeLike | undefined;
        const ref = volume?.spec.claimRef;
        if (ref) keys.push(`${CLAIM}${ref.namespace}/${ref.name}`);
        // A free volume (or one gone, for the claims that named it) may be what a waiting claim needs.
        if (!ref || !volume) keys.push(...this.waitingClaims((c) => !volume ? c.spec.volumeName === change.name : !c.spec.volumeName || c.spec.volumeName === change.name));
        return keys;
      }
      case "storageclasses":
        return this.waitingClaims(() => true);
      default:
        return [];
    }
  }

  allKeys(): string[] {
    return [
      ...this.ctx.view.list("persistentvolumeclaims").map((e) => `${CLAIM}${e.namespace}/${e.name}`),
      ...this.volumes().map((e) => `${VOLUME}${e.name}`),
    ];
  }

  async sync(key: string): Promise<void> {
    if (key.startsWith(CLAIM)) {
      const [namespace = "", name = ""] = key.slice(CLAIM.length).split("/");
      return this.syncClaim(namespace, name);
    }
    if (key.startsWith(VOLUME)) return this.syncVolume(key.slice(VOLUME.length));
  }

  private volumes(): ViewEntry<VolumeLike>[] {
    return this.ctx.view.list<VolumeLike>("persistentvolumes");
  }

  /** The keys of claims not yet Bound that `pick` chooses. */
  private waitingClaims(pick: (claim: ClaimLike) => boolean): string[] {
    return this.ctx.view.list<ClaimLike>("persistentvolumeclaims")
      .filter((e) => e.object.status?.phase !== "Bound" && pick(e.object))
      .map((e) => `${CLAIM}${e.namespace}/${e.name}`);
  }

  private async syncClaim(namespace: string, name: string): Promise<void> {
    const entry = this.ctx.view.get<ClaimLike>("persistentvolumeclaims", namespace, name);
    if (!entry) return;
    const claim = entry.object;
    const classes = this.ctx.view.list<ClassLike>("storageclasses").map((e) => e.object);
    const action = decideClaim(claim, this.volumes().map((e) => e.object), classes);
    const ref = { resource: "persistentvolumeclaims" as const, namespace, name };
    const metadata = (annotations = claim.metadata.annotations) => ({
      name, namespace, ...(claim.metadata.labels ? { labels: claim.metadata.labels } : {}), ...(annotations ? { annotations } : {}),
    });
    switch (action.kind) {
      case "none":
        if (action.why) this.ctx.logger.debug({ claim: `${namespace}/${name}`, why: action.why }, "claim waits");
        return;
      case "setClass":
        return this.check("UpdatePersistentVolumeClaim", await this.ctx.sender.send(ref, {
          type: "UpdatePersistentVolumeClaim", expectedVersion: entry.version, data: { metadata: metadata(), spec: { ...claim.spec, storageClassName: action.className } },
        }));
      case "setVolumeName":
        return this.check("UpdatePersistentVolumeClaim", await this.ctx.sender.send(ref, {
          type: "UpdatePersistentVolumeClaim", expectedVersion: entry.version, data: { metadata: metadata(action.annotations), spec: { ...claim.spec, volumeName: action.volume } },
        }));
      case "status":
        return this.check("RecordPersistentVolumeClaimStatus", await this.ctx.sender.send(ref, {
          type: "RecordPersistentVolumeClaimStatus", expectedVersion: entry.version, data: action.status,
        }));
      case "claimVolume": {
        const volume = this.ctx.view.get<VolumeLike>("persistentvolumes", CLUSTER_NS, action.volume);
        if (!volume) return;
        return this.check("UpdatePersistentVolume", await this.ctx.sender.send({ resource: "persistentvolumes", namespace: CLUSTER_NS, name: action.volume }, {
          type: "UpdatePersistentVolume", expectedVersion: volume.version, data: volumeManifest(volume.object, action.claimRef),
        }), SETTLED_ELSEWHERE);
      }
      case "provision":
        return this.check("CreatePersistentVolume", await sendCreate(this.ctx, { resource: "persistentvolumes", namespace: CLUSTER_NS, name: action.volume.metadata.name }, {
          type: "CreatePersistentVolume", id: `provision:${claim.metadata.uid}`, data: action.volume,
        }), SETTLED_ELSEWHERE);
    }
  }

  private async syncVolume(name: string): Promise<void> {
    const entry = this.ctx.view.get<VolumeLike>("persistentvolumes", CLUSTER_NS, name);
    if (!entry) return;
    const ref = entry.object.spec.claimRef;
    const claimEntry = ref ? this.ctx.view.get<ClaimLike>("persistentvolumeclaims", ref.namespace, ref.name) : undefined;
    const claim = claimEntry && refersTo(ref, claimEntry.object) ? claimEntry.object : undefined;
    const action = decideVolume(entry.object, claim);
    const target = { resource: "persistentvolumes" as const, namespace: CLUSTER_NS, name };
    switch (action.kind) {
      case "none":
        return;
      case "status":
        return this.check("RecordPersistentVolumeStatus", await this.ctx.sender.send(target, {
          type: "RecordPersistentVolumeStatus", expectedVersion: entry.version, data: { ...entry.object.status, phase: action.phase },
        }));
      case "delete":
        // Deleted already, its protection holding it until it goes: nothing to send again.
        if (entry.object.metadata.deletionTimestamp !== undefined) return;
        return this.check("DeletePersistentVolume", await this.ctx.sender.send(target, { type: "DeletePersistentVolume", expectedVersion: entry.version, data: {} }));
      case "free":
        return this.check("UpdatePersistentVolume", await this.ctx.sender.send(target, {
          type: "UpdatePersistentVolume", expectedVersion: entry.version, data: volumeManifest(entry.object, undefined),
        }));
    }
  }

  /** Throws a refusal the view will not answer by itself (the queue tries the key again after a backoff). */
  private check(type: string, reply: Awaited<ReturnType<ControllerContext["sender"]["send"]>>, settled = SETTLED_BY_VIEW): void {
    if (!reply.ok && !settled.includes(reply.status.reason)) throw new Error(`${type}: ${reply.status.reason}: ${reply.status.message}`);
  }
}

/**
 * `volume`'s manifest for a replace, claimed for `claimRef` by the controller (its annotation says so), or freed when
 * undefined (the claimRef and that annotation taken away). Pure.
 */
function volumeManifest(volume: VolumeLike, claimRef: VolumeLike["spec"]["claimRef"]): { metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> }; spec: VolumeLike["spec"] } {
  const { claimRef: _old, ...spec } = volume.spec;
  const { name, labels } = volume.metadata;
  const { [BOUND_BY_CONTROLLER]: _mark, ...others } = volume.metadata.annotations ?? {};
  const annotations = claimRef ? { ...others, [BOUND_BY_CONTROLLER]: "yes" } : others;
  return { metadata: { name, ...(labels ? { labels } : {}), ...(Object.keys(annotations).length > 0 ? { annotations } : {}) }, spec: claimRef ? { ...spec, claimRef } : spec };
}
