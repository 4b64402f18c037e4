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

/** One index: its function and its buckets (value → key → entry). */
interface Index<T> {
  f: IndexFunc<T>;
  buckets: Map<string, Map<string, ViewEntry<T>>>;
}

const NONE: readonly string[] = [];

/** Entries of one resource by `<namespace>/<name>` and by index value. */
export class ViewIndex<T = Record<string, unknown>> {
  private readonly entries = new Map<string, ViewEntry<T>>();
  private readonly indexes = new Map<string, Index<T>>();

  /** @param initial the resource's entries now (`view.list(resource)`); later changes come through `apply`. */
  constructor(readonly resource: Resource, indexers: Readonly<Record<string, IndexFunc<T>>>, initial: Iterable<ViewEntry<T>> = []) {
    for (const [name, f] of Object.entries(indexers)) this.indexes.set(name, { f, buckets: new Map() });
    for (const e of initial) this.file(`${e.namespace}/${e.name}`, undefined, e);
  }

  /** Files the change of an entry of this resource (others are ignored); returns the entry it replaced, if any. */
  apply(change: ViewChange): ViewEntry<T> | undefined {
    if (change.resource !== this.resource) return undefined;
    const key = `${change.namespace}/${change.name}`;
    const previous = this.entries.get(key);
    this.file(key, previous, (change.entry as ViewEntry<T> | null) ?? undefined);
    return previous;
  }

  /** One entry, or undefined. */
  get(namespace: string, name: string): ViewEntry<T> | undefined {
    return this.entries.get(`${namespace}/${name}`);
  }

  /** The entries filed under `value` in index `index` (a live view: copy it before changing the index). */
  by(index: string, value: string): Iterable<ViewEntry<T>> {
    return this.index(index).buckets.get(value)?.values() ?? [];
  }

  /** How many entries are filed under `value` in index `index`. */
  count(index: string, value: string): number {
    return this.index(index).buckets.get(value)?.size ?? 0;
  }

  /** Every entry. */
  all(): Iterable<ViewEntry<T>> {
    return this.entries.values();
  }

  /**
   * Moves `key` from what `previous` was filed under to what `next` is: an entry whose values did not change (most
   * changes: a status) is only replaced in its buckets, in place.
   */
  private file(key: string, previous: ViewEntry<T> | undefined, next: ViewEntry<T> | undefined): void {
    if (next) this.entries.set(key, next);
    else this.entries.delete(key);
    for (const { f, buckets } of this.indexes.values()) {
      const before = previous ? f(previous) : NONE;
      const after = next ? f(next) : NONE;
      for (const value of before) {
        if (after.includes(value)) continue;
        const bucket = buckets.get(value);
        bucket?.delete(key);
        if (bucket?.size === 0) buckets.delete(value);
      }
      if (!next) continue;
      for (const value of after) {
        let bucket = buckets.get(value);
        if (!bucket) buckets.set(value, (bucket = new Map()));
        bucket.set(key, next);
      }
    }
  }

  private index(name: string): Index<T> {
    const ix = this.indexes.get(name);
    if (!ix) throw new Error(`no index ${name} on ${this.resource}`);
    return ix;
  }
}

/** Index function: the entry's namespace. Pure. */
export const byNamespace: IndexFunc<unknown> = (e) => [e.namespace];

/** `byLabel`'s values per labels object and namespace (the pods of one RC hold one labels object). */
const labelTerms = new WeakMap<object, Map<string, readonly string[]>>();

/** Index function: `<namespace>/<key>=<value>` for each of the entry's labels. Pure (its answers are cached). */
export const byLabel: IndexFunc<{ metadata?: { labels?: Record<string, string> | undefined } }> = (e) => {
  const labels = e.object.metadata?.labels;
  if (!labels) return NONE;
  let byNs = labelTerms.get(labels);
  if (!byNs) labelTerms.set(labels, (byNs = new Map()));
  let terms = byNs.get(e.namespace);
  if (!terms) byNs.set(e.namespace, (terms = Object.entries(labels).map(([k, v]) => labelTerm(e.namespace, k, v))));
  return terms;
};

/** The `byLabel` value of label `key=value` in `namespace`. Pure. */
export function labelTerm(namespace: string, key: string, value: string): string {
  return `${namespace}/${key}=${value}`;
}
