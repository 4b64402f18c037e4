/**
 * For tests: a ClusterView held in memory, which a test (or a fake pod actor) changes by hand. Not used in production.
 */
import type { Resource } from "../api/kinds.js";
import type { ClusterView, ViewChange, ViewEntry } from "../projections/clusterView.js";

/** An in-memory ClusterView. */
export class MemoryView implements ClusterView {
  private readonly entries = new Map<string, ViewEntry>();
  private readonly listeners = new Set<(change: ViewChange) => void>();
  appliedSequence = 0;

  /** Puts (creates or replaces) an object and tells the listeners. */
  put(resource: Resource, namespace: string, name: string, object: object): void {
    const key = `${resource}/${namespace}/${name}`;
    const version = (this.entries.get(key)?.version ?? 0) + 1;
    const entry: ViewEntry = { resource, namespace, name, object: structuredClone(object) as Record<string, unknown>, version, resourceVersion: ++this.appliedSequence };
    this.entries.set(key, entry);
    this.emit({ resource, namespace, name, entry });
  }

  /** Removes an object and tells the listeners. */
  remove(resource: Resource, namespace: string, name: string): void {
    if (!this.entries.delete(`${resource}/${namespace}/${name}`)) return;
    this.appliedSequence++;
    this.emit({ resource, namespace, name, entry: null });
  }

  list<T = Record<string, unknown>>(resource: Resource, namespace?: string): ViewEntry<T>[] {
    return [...this.entries.values()].filter((e) => e.resource === resource && (namespace === undefined || e.namespace === namespace)) as ViewEntry<T>[];
  }

  get<T = Record<string, unknown>>(resource: Resource, namespace: string, name: string): ViewEntry<T> | undefined {
    return this.entries.get(`${resource}/${namespace}/${name}`) as ViewEntry<T> | undefined;
  }

  podsOnNode<T = Record<string, unknown>>(nodeName: string): ViewEntry<T>[] {
    return this.list<T>("pods").filter((e) => (e.object as { spec?: { nodeName?: string } }).spec?.nodeName === nodeName);
  }

  onChange(listener: (change: ViewChange) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  private emit(change: ViewChange): void {
    for (const l of this.listeners) l(change);
  }
}
