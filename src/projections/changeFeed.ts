/**
 * The bounded change history and the watches fed from it. A watch starts after a resourceVersion: older changes
 * come from the history, newer ones live; one older than the history retains is Expired (410), as in Kubernetes.
 */
import type { ApiVersion } from "../api/codec.js";
import type { Resource } from "../api/kinds.js";
import { StatusError } from "../api/status.js";
import { renderDocument, type EntityDocument } from "./projection.js";
import { objectMatches, type Change, type ReadModel } from "./readModel.js";
import type { Selector } from "./selectors.js";

/** One message of a watch, as it goes on the wire. */
export interface WireWatchEvent {
  type: "ADDED" | "MODIFIED" | "DELETED";
  object: Record<string, unknown>;
}

/** A ring of the latest changes plus the live listeners. Push order is stream order. */
export class ChangeFeed {
  private readonly ring: (Change | undefined)[];
  private head = 0;
  private size = 0;
  private readonly listeners = new Set<(c: Change) => void>();
  /** Every change after this sequence is retained (or still to come). */
  floor: number;

  constructor(readonly capacity: number, floor = 0) {
    this.ring = new Array<Change | undefined>(capacity);
    this.floor = floor;
  }

  /** Records a change and tells every listener, synchronously. */
  push(change: Change): void {
    if (this.size === this.capacity) {
      const evicted = this.ring[this.head];
      if (evicted) this.floor = evicted.sequence;
      this.ring[this.head] = change;
      this.head = (this.head + 1) % this.capacity;
    } else {
      this.ring[(this.head + this.size) % this.capacity] = change;
      this.size++;
    }
    for (const l of this.listeners) l(change);
  }

  /** Forgets the history: after a checkpoint load, nothing before `floor` can be replayed. */
  reset(floor: number): void {
    this.ring.fill(undefined);
    this.head = 0;
    this.size = 0;
    this.floor = floor;
  }

  /** The retained changes after `sequence`, oldest first; throws Expired when some of them are gone. */
  since(sequence: number): Change[] {
    if (sequence < this.floor) {
      throw new StatusError("Expired", `too old resource version: ${sequence} (oldest retained: ${this.floor})`);
    }
    const out: Change[] = [];
    for (let i = 0; i < this.size; i++) {
      const c = this.ring[(this.head + i) % this.capacity];
      if (c && c.sequence > sequence) out.push(c);
    }
    return out;
  }

  /** Adds a live listener; returns its removal. */
  listen(listener: (c: Change) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Number of live listeners (open watches). */
  get listenerCount(): number {
    return this.listeners.size;
  }
}

/** What a watch selects and how it renders. */
export interface WatchFilter {
  resource: Resource;
  /** null: every namespace. */
  namespace: string | null;
  selector: Selector;
  apiVersion: ApiVersion;
  /** Start after this resourceVersion; absent: an ADDED for each current object first. */
  resourceVersion?: number | undefined;
}

/**
 * Starts a watch: sends the backlog (current objects or retained changes) then every matching change as it is
 * applied, until the returned stop is called. Throws Expired (before sending anything) for a too-old start.
 */
export function startWatch(model: ReadModel, feed: ChangeFeed, filter: WatchFilter, send: (e: WireWatchEvent) => void): () => void {
  const codec = model.kinds[filter.resource]?.codec;
  const backlog = filter.resourceVersion === undefined ? null : feed.since(filter.resourceVersion);
  const out = (type: WireWatchEvent["type"], internal: Record<string, unknown>) => {
    if (codec) send({ type, object: codec.render(filter.apiVersion, internal) });
  };
  if (backlog === null) {
    for (const { object } of model.list(filter.resource, filter.namespace, filter.selector)) out("ADDED", object);
  }
  const onChange = (c: Change) => {
    const e = toWatchEvent(filter, c);
    if (e) out(e.type, e.object);
  };
  for (const c of backlog ?? []) onChange(c);
  return feed.listen(onChange);
}

/** How one change looks through a filter (Kubernetes rules: leaving the selection is a DELETED). Pure. */
export function toWatchEvent(filter: WatchFilter, c: Change): WireWatchEvent | null {
  if (c.kind.decider.resource !== filter.resource) return null;
  const before = c.before ? renderDocument(c.kind, c.before) : null;
  const after = c.after ? renderDocument(c.kind, c.after) : null;
  const was = before !== null && objectMatches(filter.selector, filter.namespace, c.before as EntityDocument, before);
  const is = after !== null && objectMatches(filter.selector, filter.namespace, c.after as EntityDocument, after);
  if (is && after) return { type: was ? "MODIFIED" : "ADDED", object: after };
  if (!was || !before) return null;
  const last = after ?? before;
  const metadata = { ...(last.metadata as Record<string, unknown>), resourceVersion: String(c.sequence) };
  return { type: "DELETED", object: { ...last, metadata } };
}
