/**
 * The storage protection controller (Kubernetes' pvc-protection and pv-protection controllers): takes
 * `kubernetes.io/pvc-protection` away from a claim being deleted once no pod uses it, and `kubernetes.io/pv-protection`
 * from a volume being deleted once it is not Bound, and gives them back to one that lacks them (decide.ts), with an
 * update at the version read (a change meanwhile
 * is a Conflict, and the view's change brings the key back). A key is `claim/<ns>/<name>` or `volume/<name>`; a
 * claim's or volume's change queues its own, and a pod's change the held claims of its namespace (it keeps those, so
 * that a pod's change costs one lookup when none is held).
 */
import { CLUSTER_NS, type EntityRef } from "../../api/kinds.js";
import { clientMetaOf, type ObjectMeta } from "../../api/objectMeta.js";
import { untypedCommand } from "../../nats/commandClient.js";
import type { ViewChange } from "../../projections/clusterView.js";
import type { ControllerContext } from "../context.js";
import type { KeyedController } from "../keyedLoop.js";
import { claimFinalizers, heldBy, PV_PROTECTION, PVC_PROTECTION, unprotected, volumeFinalizers, type PodUsing, type Protected } from "./decide.js";

const CLAIM = "claim/";
const VOLUME = "volume/";

type Stored = Protected & { kind?: string; apiVersion?: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> } } & Record<string, unknown>;

/** The update manifest of `object` with `finalizers` (its own fields and client metadata as they are). Pure. */
function withFinalizers(object: Stored, finalizers: string[]): Record<string, unknown> {
  const { kind: _k, apiVersion: _a, status: _s, metadata, ...fields } = object;
  return { ...fields, metadata: { ...clientMetaOf(metadata as ObjectMeta), finalizers } };
}

/** One controller per leadership term. */
export class StorageProtectionReconciler implements KeyedController {
  /** The claims held by their protection, by namespace: what a pod's change there may release. */
  private readonly held = new Map<string, Set<string>>();

  constructor(private readonly ctx: ControllerContext) {}

  keysOf(change: ViewChange): string[] {
    switch (change.resource) {
      case "persistentvolumeclaims": {
        this.track(change.namespace, change.name, !!change.entry && heldBy(change.entry.object as Protected, PVC_PROTECTION));
        return [`${CLAIM}${change.namespace}/${change.name}`];
      }
      case "persistentvolumes":
        return [`${VOLUME}${change.name}`];
      case "pods":
        return [...this.held.get(change.namespace) ?? []].map((name) => `${CLAIM}${change.namespace}/${name}`);
      default:
        return [];
    }
  }

  allKeys(): string[] {
    const claims = this.ctx.view.list<Protected>("persistentvolumeclaims").filter((e) => heldBy(e.object, PVC_PROTECTION) || unprotected(e.object, PVC_PROTECTION));
    for (const e of claims) this.track(e.namespace, e.name, heldBy(e.object, PVC_PROTECTION));
    const volumes = this.ctx.view.list<Protected>("persistentvolumes").filter((e) => heldBy(e.object, PV_PROTECTION) || unprotected(e.object, PV_PROTECTION));
    return [...claims.map((e) => `${CLAIM}${e.namespace}/${e.name}`), ...volumes.map((e) => `${VOLUME}${e.name}`)];
  }

  async sync(key: string): Promise<void> {
    if (key.startsWith(CLAIM)) {
      const [namespace = "", name = ""] = key.slice(CLAIM.length).split("/");
      const entry = this.ctx.view.get<Stored>("persistentvolumeclaims", namespace, name);
      const pods = () => this.ctx.view.list<PodUsing>("pods", namespace).map((e) => e.object);
      const finalizers = entry ? claimFinalizers(entry.object, name, pods()) : null;
      if (entry && finalizers) await this.write({ resource: "persistentvolumeclaims", namespace, name }, "UpdatePersistentVolumeClaim", entry, finalizers);
      return;
    }
    const name = key.slice(VOLUME.length);
    const entry = this.ctx.view.get<Stored>("persistentvolumes", CLUSTER_NS, name);
    const finalizers = entry ? volumeFinalizers(entry.object) : null;
    if (entry && finalizers) await this.write({ resource: "persistentvolumes", namespace: CLUSTER_NS, name }, "UpdatePersistentVolume", entry, finalizers);
  }

  private track(namespace: string, name: string, held: boolean): void {
    const names = this.held.get(namespace);
    if (held) this.held.set(namespace, (names ?? new Set()).add(name));
    else if (names?.delete(name) && names.size === 0) this.held.delete(namespace);
  }

  /** Sends the update that gives or takes the protection; a refusal the view will not answer throws (a backoff, then again). */
  private async write(ref: EntityRef, type: "UpdatePersistentVolumeClaim" | "UpdatePersistentVolume", entry: { object: Stored; version: number }, finalizers: string[]): Promise<void> {
    const reply = await this.ctx.sender.send(ref, untypedCommand({ type, expectedVersion: entry.version, data: withFinalizers(entry.object, finalizers) }));
    if (!reply.ok && !["NotFound", "Conflict"].includes(reply.status.reason)) throw new Error(`${type} ${ref.namespace}/${ref.name}: ${reply.status.reason}: ${reply.status.message}`);
  }
}
