/**
 * Which dependents lost their owner: an object whose controller owner reference names a uid that no object of the
 * owner's kind in its namespace has any more (deleted, or deleted and recreated under the same name) is garbage,
 * as Kubernetes' garbage collector deletes it in the background after its owner's deletion. Pure.
 */
import type { OwnerReference } from "../../api/objectMeta.js";

/** An object as the collector sees it. */
export interface Dependent {
  resource: string;
  namespace: string;
  name: string;
  ownerReferences?: readonly OwnerReference[] | undefined;
}

/** The uids of the live owners of a Kind in a namespace; undefined for a Kind the collector does not follow. */
export type OwnerIndex = (kind: string, namespace: string) => { has(uid: string): boolean } | undefined;

/**
 * The dependents whose every owner reference names an owner that is gone. An owner kind the index does not know
 * never makes anything garbage. Pure.
 */
export function orphans<D extends Dependent>(dependents: readonly D[], owners: OwnerIndex): D[] {
  return dependents.filter((d) => {
    const refs = d.ownerReferences ?? [];
    if (refs.length === 0) return false;
    return refs.every((r) => {
      const uids = owners(r.kind, d.namespace);
      return uids !== undefined && !uids.has(r.uid);
    });
  });
}
