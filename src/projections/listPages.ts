/**
 * Lists in pages (`limit` / `continue`, as Kubernetes lists page). The first page of a limited list keeps the
 * whole sorted result as a snapshot in this process for a while; a continue that reaches the same process is served
 * from it, so every page is consistent at the first page's resourceVersion. A continue that reaches another API
 * process (or an expired snapshot) is served from the live model when the feed's history proves that nothing at or
 * before the token's position changed since the token was issued (then the pages together are consistent at the
 * current resourceVersion); otherwise it is Expired (410), and the client lists again from the start.
 */
import { randomUUID } from "node:crypto";
import type { Resource } from "../api/kinds.js";
import { StatusError } from "../api/status.js";
import type { ChangeFeed } from "./changeFeed.js";
import type { RenderedDocument } from "./readModel.js";

/** Where a continued list resumes: after (namespace, name), read at resourceVersion `rv`, from snapshot `snap`. */
export interface ContinueToken {
  rv: number;
  ns: string;
  name: string;
  snap: string;
}

/** How to cut a page: at most `limit` items and `maxBytes` of rendered JSON, rendered by `render`. */
export interface PageShape {
  limit: number;
  maxBytes: number;
  render(doc: RenderedDocument): Record<string, unknown>;
}

/** One page: the rendered items, the resourceVersion they are consistent at, and the token of the next page. */
export interface ListPage {
  items: Record<string, unknown>[];
  resourceVersion: number;
  continue?: string;
  remainingItemCount?: number;
}

/** The token on the wire: base64url of its JSON. Pure. */
export function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify(token)).toString("base64url");
}

/** Decodes a continue token; BadRequest naming `continue` when it is not one. Pure. */
export function decodeContinue(text: string): ContinueToken {
  const bad = () => new StatusError("BadRequest", "continue is not a token this server issued", { causes: [{ field: "continue", message: "malformed" }] });
  let t: Partial<ContinueToken>;
  try {
    t = JSON.parse(Buffer.from(text, "base64url").toString("utf8")) as Partial<ContinueToken>;
  } catch {
    throw bad();
  }
  if (typeof t?.rv !== "number" || typeof t.ns !== "string" || typeof t.name !== "string" || typeof t.snap !== "string") throw bad();
  return { rv: t.rv, ns: t.ns, name: t.name, snap: t.snap };
}

interface Snapshot {
  docs: RenderedDocument[];
  rv: number;
  at: number;
}

/** Options of the pager. */
export interface ListPagerOptions {
  /** Most snapshots kept; the oldest goes first. Default 64. */
  maxSnapshots?: number;
  /** How long a snapshot is kept after its last page. Default 60 s. */
  ttlMs?: number;
  now?: () => number;
}

/** Cuts sorted lists into pages and keeps the snapshots of lists still being paged. */
export class ListPager {
  private readonly snapshots = new Map<string, Snapshot>();

  constructor(private readonly feed: ChangeFeed, private readonly opts: ListPagerOptions = {}) {}

  /** The first page of `docs` (the whole sorted result at `rv`); keeps a snapshot when more pages follow. */
  first(docs: RenderedDocument[], rv: number, shape: PageShape): ListPage {
    return this.cut({ docs, rv, at: this.now() }, 0, shape, null);
  }

  /**
   * The page after `token`. `live` lists the current result (sorted) and `currentRv` is the model's sequence; both
   * are used only when this process has no snapshot for the token. Throws Expired when the pages would not be consistent.
   */
  next(token: ContinueToken, shape: PageShape, resource: Resource, namespace: string | null, live: () => RenderedDocument[], currentRv: number): ListPage {
    const kept = this.snapshots.get(token.snap);
    if (kept) {
      this.snapshots.delete(token.snap);
      return this.cut(kept, after(kept.docs, token), shape, token.snap);
    }
    this.checkUnchanged(token, resource, namespace);
    const docs = live();
    return this.cut({ docs, rv: currentRv, at: this.now() }, after(docs, token), shape, null);
  }

  private cut(snapshot: Snapshot, start: number, shape: PageShape, id: string | null): ListPage {
    const items: Record<string, unknown>[] = [];
    let bytes = 0;
    let end = start;
    for (; end < snapshot.docs.length && items.length < shape.limit; end++) {
      const item = shape.render(snapshot.docs[end] as RenderedDocument);
      // Measured only when a reply has a size limit (the NATS reads'): the HTTP lists have none.
      const size = Number.isFinite(shape.maxBytes) ? Buffer.byteLength(JSON.stringify(item)) + 1 : 0;
      if (bytes + size > shape.maxBytes) {
        if (items.length > 0) break;
        throw new StatusError("TooLarge", `one object of the list is ${size} bytes, over the reply limit of ${shape.maxBytes}`);
      }
      bytes += size;
      items.push(item);
    }
    const remaining = snapshot.docs.length - end;
    const last = snapshot.docs[end - 1];
    if (remaining <= 0 || !last) return { items, resourceVersion: snapshot.rv };
    const snap = id ?? randomUUID();
    this.keep(snap, { ...snapshot, at: this.now() });
    const token = { rv: snapshot.rv, ns: last.doc.namespace, name: last.doc.name, snap };
    return { items, resourceVersion: snapshot.rv, continue: encodeContinue(token), remainingItemCount: remaining };
  }

  /** Expired unless the feed's history shows no change at or before the token's position since its resourceVersion. */
  private checkUnchanged(token: ContinueToken, resource: Resource, namespace: string | null): void {
    const expired = () => new StatusError("Expired",
      "the list changed since the previous page and this API server holds no snapshot of it: list again without continue");
    let changes;
    try {
      changes = this.feed.since(token.rv);
    } catch {
      throw expired();
    }
    for (const c of changes) {
      const doc = c.after ?? c.before;
      if (!doc || c.kind.decider.resource !== resource || (namespace !== null && doc.namespace !== namespace)) continue;
      if (compareKey(doc.namespace, doc.name, token) <= 0) throw expired();
    }
  }

  private keep(id: string, snapshot: Snapshot): void {
    const ttl = this.opts.ttlMs ?? 60_000;
    for (const [k, s] of this.snapshots) if (snapshot.at - s.at > ttl) this.snapshots.delete(k);
    this.snapshots.set(id, snapshot);
    const max = this.opts.maxSnapshots ?? 64;
    while (this.snapshots.size > max) this.snapshots.delete(this.snapshots.keys().next().value as string);
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }
}

/** The index of the first document after the token's position. Pure. */
function after(docs: RenderedDocument[], token: ContinueToken): number {
  let lo = 0;
  let hi = docs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const d = (docs[mid] as RenderedDocument).doc;
    if (compareKey(d.namespace, d.name, token) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function compareKey(ns: string, name: string, token: ContinueToken): number {
  return cmp(ns, token.ns) || cmp(name, token.name);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
