/**
 * An informer's indexer over one resource of a ClusterView: the resource's entries, filed under the values each
 * index function gives them (a namespace, a label pair, an owner), kept up to date change by change, so a
 * controller finds the objects of one key without listing (and rendering) the whole resource. Not thread-shared;
 * pure in-memory state: whoever owns it feeds it the view's changes, in order.
 */
import type { Resource } from "../api/kinds.js";
import type { ViewChange, ViewEntry } from "./clusterView.js";

/** The values an entry is filed under in one index (none: not in that index). Pure. */
export type IndexFunc<T> = (entry: ViewEntry<T>) => readonly string[];

/** Entries of one resource by `<namespace>/<name>` and by index value. */
export class ViewIndex<T = Record<string, unknown>> {
  private readonly entries = new Map<string, ViewEntry<T>>();
  private readonly buckets = new Map<string, Map<string, Map<string, ViewEntry<T>>>>();

  /** @param initial the resource's entries now (`view.list(resource)`); later changes come through `apply`. */
  constructor(readonly resource: Resource, private readonly indexers: Readonly<Record<string, IndexFunc<T>>>, initial: Iterable<ViewEntry<T>> = []) {
    for (const name of Object.keys(indexers)) this.buckets.set(name, new Map());
    for (const e of initial) this.put(e);
  }

  /** Files the change of an entry of this resource (others are ignored); returns the entry it replaced, if any. */
  apply(change: ViewChange): ViewEntry<T> | undefined {
    if (change.resource !== this.resource) return undefined;
    const key = `${change.namespace}/${change.name}`;
    const previous = this.entries.get(key);
    if (previous) this.drop(key, previous);
    if (change.entry) this.put(change.entry as ViewEntry<T>);
    return previous;
  }

  /** One entry, or undefined. */
  get(namespace: string, name: string): ViewEntry<T> | undefined {
    return this.entries.get(`${namespace}/${name}`);
  }

  /** The entries filed under `value` in index `index` (a live view: copy it before changing the index). */
  by(index: string, value: string): Iterable<ViewEntry<T>> {
    return this.bucket(index).get(value)?.values() ?? [];
  }

  /** How many entries are filed under `value` in index `index`. */
  count(index: string, value: string): number {
    return this.bucket(index).get(value)?.size ?? 0;
  }

  /** Every entry. */
  all(): Iterable<ViewEntry<T>> {
    return this.entries.values();
  }

  private put(entry: ViewEntry<T>): void {
    const key = `${entry.namespace}/${entry.name}`;
    this.entries.set(key, entry);
    for (const [name, f] of Object.entries(this.indexers)) {
      const buckets = this.bucket(name);
      for (const value of f(entry)) {
        let bucket = buckets.get(value);
        if (!bucket) buckets.set(value, (bucket = new Map()));
        bucket.set(key, entry);
      }
    }
  }

  private drop(key: string, entry: ViewEntry<T>): void {
    this.entries.delete(key);
    for (const [name, f] of Object.entries(this.indexers)) {
      const buckets = this.bucket(name);
      for (const value of f(entry)) {
        const bucket = buckets.get(value);
        bucket?.delete(key);
        if (bucket?.size === 0) buckets.delete(value);
      }
    }
  }

  private bucket(index: string): Map<string, Map<string, ViewEntry<T>>> {
    const b = this.buckets.get(index);
    if (!b) throw new Error(`no index ${index} on ${this.resource}`);
    return b;
  }
}

/** Index function: the entry's namespace. Pure. */
export const byNamespace: IndexFunc<unknown> = (e) => [e.namespace];

/** Index function: `<namespace>/<key>=<value>` for each of the entry's labels. Pure. */
export const byLabel: IndexFunc<{ metadata?: { labels?: Record<string, string> | undefined } }> = (e) =>
  Object.entries(e.object.metadata?.labels ?? {}).map(([k, v]) => labelTerm(e.namespace, k, v));

/** The `byLabel` value of label `key=value` in `namespace`. Pure. */
export function labelTerm(namespace: string, key: string, value: string): string {
  return `${namespace}/${key}=${value}`;
}
