/**
 * The read model in memory: entity documents and their indexes (kind/namespace, label, spec.nodeName,
 * status.phase), kept up to date event by event, the documents of derived kinds (Events; each derived projection
 * holds its own), and the changes each event made. No I/O.
 */
import type { Resource } from "../api/kinds.js";
import type { ActorKind, ActorKinds } from "../actors/registry.js";
import type { StoredEvent } from "../events/envelope.js";
import type { DerivedProjection, DerivedProjectionFactory, StreamFact } from "./derived.js";
import { documentKey, entityProjection, renderDocument, type EntityDocument } from "./projection.js";
import { matchesSelector, type Selector } from "./selectors.js";
import { SharedShapes } from "../events/sharedShapes.js";
import { StringTable } from "../events/internTable.js";
import { ALL, IndexTerms } from "./indexTerms.js";

/** What one event did to one entity. Documents are immutable, so a change holds them by reference. */
export interface Change {
  sequence: number;
  type: "ADDED" | "MODIFIED" | "DELETED";
  kind: ActorKind;
  before: EntityDocument | null;
  after: EntityDocument | null;
}

/** A document and the internal object it renders to (resourceVersion set). */
export interface RenderedDocument {
  doc: EntityDocument;
  object: Record<string, unknown>;
}

/** A document's key and its index terms. */
type Indexed = [key: string, ...terms: string[]];

/** The entity documents of every kind in the registry, with indexes. Not thread-shared; pure in-memory state. */
export class ReadModel {
  private readonly docs = new Map<string, EntityDocument>();
  /** Each document's key as first stored (the one string every index set holds for it), then its index terms. */
  private readonly terms = new Map<string, Indexed>();
  private readonly index = new Map<Resource, Map<string, Set<string>>>();
  private readonly projection;
  private readonly derived: DerivedProjection[];
  /** The derived projections by the resource they serve. */
  private readonly derivedOf = new Map<Resource, DerivedProjection>();
  /** Structural sharing of the documents' states across entities (the pods of one RC share one spec). */
  private readonly shapes = new SharedShapes();
  /** The events' times, one string each: a pod's state holds its several times for as long as it lives. */
  private readonly times = new StringTable();
  /** The index terms, one string per distinct term, shared by every document's term list. */
  private readonly indexTerms = new IndexTerms();
  /** Every kind the model serves: the actor kinds and the derived ones. */
  readonly kinds: ActorKinds;
  /** The last stream sequence applied (events of unknown kinds count too). */
  sequence = 0;

  constructor(prefix: string, actorKinds: ActorKinds, derived: readonly DerivedProjectionFactory[] = []) {
    this.projection = entityProjection(prefix, actorKinds, (time) => this.times.get(time));
    this.derived = derived.map((make) => make());
    this.kinds = { ...actorKinds };
    for (const d of this.derived) {
      this.kinds[d.kind.decider.resource] = d.kind;
      this.derivedOf.set(d.kind.decider.resource, d);
    }
  }

  /** Whether a derived projection serves `resource` (its documents' versions are not their actors'). */
  isDerived(resource: Resource): boolean {
    return this.derivedOf.has(resource);
  }

  /** Number of documents, by resource. */
  counts(): Map<Resource, number> {
    const out = new Map<Resource, number>();
    for (const [r, terms] of this.index) out.set(r, terms.get(ALL)?.size ?? 0);
    for (const [r, d] of this.derivedOf) out.set(r, d.size);
    return out;
  }

  /** Number of documents of `resource` per value of `field` (e.g. pods by status.phase). */
  countBy(resource: Resource, field: "status.phase" | "spec.nodeName"): Map<string, number> {
    const out = new Map<string, number>();
    const head = `f:${field}=`;
    for (const [term, keys] of this.index.get(resource) ?? []) {
      if (term.startsWith(head) && keys.size > 0) out.set(term.slice(head.length), keys.size);
    }
    return out;
  }

  /**
   * Folds one event (in stream order) into its entity's document and the derived kinds; returns the changes made
   * (the entity's first, then the derived documents'), none for an event already applied or of no known kind.
   */
  apply(stored: StoredEvent): Change[] {
    if (stored.sequence <= this.sequence) return [];
    this.sequence = stored.sequence;
    const t = this.projection.target(stored);
    if (!t) return [];
    const served = this.derivedOf.get(t.resource);
    if (served) {
      // A kind a derived projection serves (Events a client wrote): that projection folds its events, not the entities'.
      const changes: Change[] = [];
      this.applyDerived(served, lazyFact(t.kind, { resource: t.resource, namespace: t.namespace, name: t.name, sequence: stored.sequence, event: stored.event }, null, null), changes);
      return changes;
    }
    const before = this.docs.get(t.key) ?? null;
    const evolved = this.projection.evolve(before, stored);
    if (evolved === before) return []; // a superseded version: nothing changes
    // An entity's first document shares what it has in common with the others of its kind; its later versions
    // keep those references through the deciders' spreads (compacting every version cost CPU and saved less).
    const after = evolved && !before ? this.compact(evolved) : evolved;
    this.put(t.key, t.kind, after);
    const changes: Change[] = [];
    if (before || after) changes.push({ sequence: stored.sequence, type: !before ? "ADDED" : !after ? "DELETED" : "MODIFIED", kind: t.kind, before, after });
    if (this.derived.length === 0) return changes;
    const fact = lazyFact(t.kind, { resource: t.resource, namespace: t.namespace, name: t.name, sequence: stored.sequence, event: stored.event }, before, after);
    for (const d of this.derived) this.applyDerived(d, fact, changes);
    return changes;
  }

  private applyDerived(d: DerivedProjection, fact: StreamFact, changes: Change[]): void {
    const delta = d.apply(fact, (resource, namespace, name) => this.get(resource, namespace, name)?.object ?? null);
    for (const { before, after } of delta.upserts) {
      changes.push({ sequence: fact.sequence, type: before ? "MODIFIED" : "ADDED", kind: d.kind, before, after });
    }
    for (const before of delta.removals) changes.push({ sequence: fact.sequence, type: "DELETED", kind: d.kind, before, after: null });
  }

  /** Replaces the whole model (a checkpoint load). */
  load(sequence: number, documents: Iterable<EntityDocument>): void {
    this.docs.clear();
    this.terms.clear();
    this.index.clear();
    const derived = new Map<Resource, EntityDocument[]>(this.derived.map((d) => [d.kind.decider.resource, []]));
    for (const doc of documents) {
      const kind = this.kinds[doc.resource];
      const restored = derived.get(doc.resource);
      if (restored) restored.push((this.derivedOf.get(doc.resource) as DerivedProjection).restore(doc));
      else if (kind) this.put(documentKey(doc.resource, doc.namespace, doc.name), kind, this.compact(doc));
    }
    for (const d of this.derived) d.load(derived.get(d.kind.decider.resource) ?? []);
    this.sequence = sequence;
  }

  /** `doc` with its state sharing the subtrees (and strings) it has in common with other documents of its kind. */
  private compact(doc: EntityDocument): EntityDocument {
    const state = this.shapes.share(doc.resource, doc.state);
    const namespace = this.shapes.share(" ns", doc.namespace);
    // The name parsed from the subject and the one in the state are two copies of the same characters: keep one.
    const named = (this.kinds[doc.resource]?.decider.render(state)?.metadata as { name?: unknown } | undefined)?.name;
    return { ...doc, namespace, name: named === doc.name ? named : doc.name, state };
  }

  /** Every document (for checkpoints). */
  *documents(): IterableIterator<EntityDocument> {
    yield* this.docs.values();
    for (const d of this.derived) yield* d.list(null);
  }

  /** One entity, rendered, or null. */
  get(resource: Resource, namespace: string, name: string): RenderedDocument | null {
    const derived = this.derivedOf.get(resource);
    const doc = derived ? derived.get(namespace, name) : this.docs.get(documentKey(resource, namespace, name));
    const kind = this.kinds[resource];
    if (!doc || !kind) return null;
    const object = renderDocument(kind, doc);
    return object ? { doc, object } : null;
  }

  /**
   * The entities of `resource` in `namespace` (null: all) matching `selector`, sorted by namespace and name.
   * Candidates come from the smallest index set the selector's equalities name; the rest is filtered.
   */
  list(resource: Resource, namespace: string | null, selector: Selector): RenderedDocument[] {
    const kind = this.kinds[resource];
    const derived = this.derivedOf.get(resource);
    if (kind && derived) return this.listDerived(kind, derived, namespace, selector);
    const byTerm = this.index.get(resource);
    if (!kind || !byTerm) return [];
    let best = byTerm.get(ALL) ?? new Set<string>();
    for (const term of candidateTerms(kind, namespace, selector)) {
      const keys = byTerm.get(term) ?? new Set<string>();
      if (keys.size < best.size) best = keys;
    }
    const out: RenderedDocument[] = [];
    for (const key of best) {
      const doc = this.docs.get(key);
      if (!doc || (namespace !== null && doc.namespace !== namespace)) continue;
      const object = renderDocument(kind, doc);
      if (object && matchesSelector(selector, object)) out.push({ doc, object });
    }
    return sortByName(out);
  }

  /** A derived kind's documents in `namespace` (null: all) matching `selector`, sorted as `list` sorts. */
  private listDerived(kind: ActorKind, derived: DerivedProjection, namespace: string | null, selector: Selector): RenderedDocument[] {
    const out: RenderedDocument[] = [];
    for (const doc of derived.list(namespace, selector.fields)) {
      const object = renderDocument(kind, doc);
      if (object && matchesSelector(selector, object)) out.push({ doc, object });
    }
    return sortByName(out);
  }

  /**
   * Stores `doc` (null: removes) and moves its key between index sets: only the terms that changed, so an event that
   * changes no indexed field touches no set and the document keeps its term list.
   */
  private put(key: string, kind: ActorKind, doc: EntityDocument | null): void {
    const resource = kind.decider.resource;
    let byTerm = this.index.get(resource);
    if (!byTerm) this.index.set(resource, (byTerm = new Map()));
    const held = this.terms.get(key);
    // An event's key is a new string each time: the sets hold the first one, so each document has one key string in memory.
    key = held?.[0] ?? key;
    const old: readonly string[] = held ?? []; // [key, ...terms]: its terms start at index 1
    // The index reads labels and indexed fields only, so the decider's object serves (renderDocument copies it to set resourceVersion).
    const object = doc ? kind.decider.render(doc.state) : null;
    const terms = doc && object ? this.indexTerms.of(kind, doc, object) : [];
    for (let i = 1; i < old.length; i++) {
      const term = old[i] as string;
      if (terms.includes(term)) continue;
      const keys = byTerm.get(term);
      keys?.delete(key);
      if (keys?.size === 0 && term !== ALL) {
        byTerm.delete(term);
        this.indexTerms.forget(term);
      }
    }
    if (!doc || !object) {
      this.docs.delete(key);
      this.terms.delete(key);
      return;
    }
    this.docs.set(key, doc);
    if (terms.length === old.length - 1 && terms.every((t) => old.includes(t, 1))) return;
    this.terms.set(key, [key].concat(terms) as Indexed); // concat allocates the exact length (a spread leaves room to grow: +100 B a pod)
    for (const term of terms) {
      if (old.includes(term, 1)) continue;
      let keys = byTerm.get(term);
      if (!keys) byTerm.set(term, (keys = new Set()));
      keys.add(key);
    }
  }
}

/** A StreamFact whose objects are rendered only when a derived projection reads them (most events derive nothing). */
function lazyFact(kind: ActorKind, head: Omit<StreamFact, "before" | "after">, before: EntityDocument | null, after: EntityDocument | null): StreamFact {
  let b: Record<string, unknown> | null | undefined;
  let a: Record<string, unknown> | null | undefined;
  return {
    ...head,
    get before() { return (b ??= before ? renderDocument(kind, before) : null); },
    get after() { return (a ??= after ? renderDocument(kind, after) : null); },
  };
}

/** The index terms a selector's equalities name on `kind` (each one a superset of the answer). Pure. */
function candidateTerms(kind: ActorKind, namespace: string | null, sel: Selector): string[] {
  const out: string[] = namespace === null ? [] : [`ns:${namespace}`];
  for (const r of sel.labels) {
    if (r.op === "=" || (r.op === "in" && r.values.length === 1)) out.push(`l:${r.key}=${r.values[0] ?? ""}`);
    else if (r.op === "exists") out.push(`lk:${r.key}`);
  }
  for (const f of sel.fields) {
    if (f.op !== "=") continue;
    const indexed = kind.indexedFields?.[f.path];
    if (indexed === "every" || (indexed === "set" && f.value !== "")) out.push(`f:${f.path}=${f.value}`);
    else if (f.path === "metadata.namespace" && f.value !== "") out.push(`ns:${f.value}`);
  }
  return out;
}

function sortByName(docs: RenderedDocument[]): RenderedDocument[] {
  return docs.sort((a, b) => cmp(a.doc.namespace, b.doc.namespace) || cmp(a.doc.name, b.doc.name));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whether an internal object matches, for watch filtering. Pure. */
export function objectMatches(selector: Selector, namespace: string | null, doc: EntityDocument, object: Record<string, unknown>): boolean {
  return (namespace === null || doc.namespace === namespace) && matchesSelector(selector, object);
}
