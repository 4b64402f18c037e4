/**
 * The garbage collector's indexes, kept up to date change by change (an informer's indexer, `viewIndex.ts`): the
 * uids of the live owners of each kind it follows, per namespace, and the dependents that could become garbage
 * (live, and owned only by owners of those kinds) filed by owner uid. Each is kept as a small record (uid, owner
 * references), not the whole object. An owner's deletion then finds its dependents without listing any resource.
 * No I/O.
 */
import type { Resource } from "../../api/kinds.js";
import type { ObjectMeta, OwnerReference } from "../../api/objectMeta.js";
import type { ClusterView, ViewChange, ViewEntry } from "../../projections/clusterView.js";
import { ViewIndex } from "../../projections/viewIndex.js";
import { orphans, type Dependent, type OwnerIndex } from "./orphans.js";

/** What the graph keeps of an owner or a dependent. */
interface Slim {
  metadata: { uid: string; ownerReferences?: readonly OwnerReference[] | undefined };
  deleting: boolean;
}

/** A dependent the collector may delete: where it is and the uid its delete names. */
export interface Candidate extends Dependent {
  uid: string;
}

/** The key of a dependent: `<resource>/<namespace>/<name>`. Pure. */
export function dependentKey(resource: string, namespace: string, name: string): string {
  return `${resource}/${namespace}/${name}`;
}

/** Owners by uid and dependents by owner, of the owner kinds and dependent resources given. */
export class OwnerGraph {
  private readonly owners = new Map<Resource, ViewIndex<Slim>>();
  private readonly dependents = new Map<Resource, ViewIndex<Slim>>();
  /** `owners(kind, namespace)` for `orphans`: whether a uid is a live owner of that kind there. */
  private readonly ownerIndex: OwnerIndex;

  /** Reads `view` once, for the objects there are now; later changes come through `apply`. */
  constructor(private readonly ownerKinds: Readonly<Record<string, Resource>>, dependents: readonly Resource[], view: ClusterView) {
    const slimAll = (resource: Resource) => view.list<{ metadata: ObjectMeta }>(resource).map(slim);
    for (const resource of Object.values(ownerKinds)) {
      this.owners.set(resource, new ViewIndex<Slim>(resource, { uid: (e) => [`${e.namespace}/${e.object.metadata.uid}`] }, slimAll(resource)));
    }
    for (const resource of dependents) {
      this.dependents.set(resource, new ViewIndex<Slim>(resource, { owner: ownersOf }, slimAll(resource).filter((e) => this.mayBeGarbage(e))));
    }
    this.ownerIndex = (kind, namespace) => {
      const index = Object.hasOwn(this.ownerKinds, kind) ? this.owners.get(this.ownerKinds[kind] as Resource) : undefined;
      return index && { has: (uid: string) => index.count("uid", `${namespace}/${uid}`) > 0 };
    };
  }

  /**
   * Files a change; returns the keys of the dependents it made garbage: those of an owner that went (or came back
   * under its name with another uid), or the changed object itself when it is a dependent whose owners are all gone.
   */
  apply(change: ViewChange): string[] {
    const keys: string[] = [];
    const after = change.entry && slim(change.entry as unknown as ViewEntry<{ metadata: ObjectMeta }>);
    const owners = this.owners.get(change.resource);
    if (owners) {
      const before = owners.apply(withEntry(change, after));
      const uid = before?.object.metadata.uid;
      if (uid !== undefined && uid !== after?.object.metadata.uid) keys.push(...this.garbageOf(change.namespace, uid));
    }
    const dependents = this.dependents.get(change.resource);
    if (dependents) {
      dependents.apply(withEntry(change, after && this.mayBeGarbage(after) ? after : null));
      if (this.garbage(change.resource, change.namespace, change.name)) keys.push(dependentKey(change.resource, change.namespace, change.name));
    }
    return keys;
  }

  /** The dependent at that place, when every owner it names is gone; otherwise undefined. */
  garbage(resource: Resource, namespace: string, name: string): Candidate | undefined {
    const entry = this.dependents.get(resource)?.get(namespace, name) as ViewEntry<Slim> | undefined;
    if (!entry) return undefined;
    const candidate = { resource, namespace, name, ownerReferences: entry.object.metadata.ownerReferences, uid: entry.object.metadata.uid };
    return orphans([candidate], this.ownerIndex)[0];
  }

  /** The keys of every dependent that is garbage now (the resync's in-memory pass). */
  allGarbage(): string[] {
    const keys: string[] = [];
    for (const [resource, index] of this.dependents) {
      for (const e of index.all()) if (this.garbage(resource, e.namespace, e.name)) keys.push(dependentKey(resource, e.namespace, e.name));
    }
    return keys;
  }

  private garbageOf(namespace: string, ownerUid: string): string[] {
    const keys: string[] = [];
    for (const [resource, index] of this.dependents) {
      for (const e of index.by("owner", `${namespace}/${ownerUid}`)) if (this.garbage(resource, e.namespace, e.name)) keys.push(dependentKey(resource, e.namespace, e.name));
    }
    return keys;
  }

  /**
   * An object not being deleted (one that is, is on its way already), owned only by kinds the collector follows (an
   * owner of another kind never makes it garbage).
   */
  private mayBeGarbage(e: ViewEntry<Slim>): boolean {
    const refs = e.object.metadata.ownerReferences ?? [];
    return !e.object.deleting && refs.length > 0 && refs.every((r) => Object.hasOwn(this.ownerKinds, r.kind));
  }
}

/** Index function: `<namespace>/<uid>` of each owner the entry names. Pure. */
function ownersOf(e: ViewEntry<Slim>): string[] {
  return (e.object.metadata.ownerReferences ?? []).map((r) => `${e.namespace}/${r.uid}`);
}

/** The entry with only what the graph keeps. Pure. */
function slim(e: ViewEntry<{ metadata: ObjectMeta }>): ViewEntry<Slim> {
  const { uid, ownerReferences, deletionTimestamp } = e.object.metadata;
  return { ...e, object: { metadata: { uid, ...(ownerReferences ? { ownerReferences } : {}) }, deleting: deletionTimestamp !== undefined } };
}

/** The change with `entry` in place of its own (what an index of small records files). Pure. */
function withEntry(change: ViewChange, entry: ViewEntry<Slim> | null): ViewChange {
  return { ...change, entry: entry as unknown as ViewEntry | null };
}
