/**
 * The entity projection: `evolve(document, event) → document | null`.
 *
 * There is deliberately no per-kind folding here. The document of an entity IS its decider state, folded with
 * the kind's own pure `decider.evolve` from ACTOR_KINDS and turned into the API object by `decider.render`
 * (null = deleted). The write side folds the very same functions, so the read model cannot drift from what the
 * actors decide on; a new kind in the registry is served by reads without a line changed here.
 */
import type { Resource } from "../api/kinds.js";
import type { RecordedEvent } from "../actors/decider.js";
import type { ActorKind, ActorKinds } from "../actors/registry.js";
import { isSupersededVersion, type StoredEvent } from "../events/envelope.js";
import { refFromEventSubject } from "../events/subjects.js";

/** One entity as the read model keeps it: its decider state and where its history ends. */
export interface EntityDocument {
  resource: Resource;
  /** The namespace token (`_` for cluster-scoped kinds). */
  namespace: string;
  name: string;
  /** The entity's version (events so far). */
  version: number;
  /** The stream sequence of its latest event: its resourceVersion. */
  sequence: number;
  /** The decider state (opaque here). */
  state: unknown;
}

/** A projection: a pure fold of one entity's events into a document; null means the entity is gone. */
export interface Projection<Doc> {
  evolve(document: Doc | null, event: StoredEvent): Doc | null;
}

/** The entity document an event folds into: its key, its reference and its kind. */
export interface EntityTarget {
  key: string;
  resource: Resource;
  namespace: string;
  name: string;
  kind: ActorKind;
}

/** The key of an entity document: `<resource>.<ns>.<name>`. Pure. */
export function documentKey(resource: string, namespace: string, name: string): string {
  return `${resource}.${namespace}.${name}`;
}

/**
 * The projection of every kind in `kinds`: folds an event into its entity's document with the kind's decider.
 * Events of kinds without a decider, or with another prefix, give null (ignored). `shareTime` may replace an event's
 * time by an equal string held already (the deciders copy it into the state, often several times). Pure.
 */
export function entityProjection(prefix: string, kinds: ActorKinds, shareTime: (time: string) => string = (t) => t): Projection<EntityDocument> & {
  /** The entity an event belongs to, or null when no kind of the registry owns it. */
  target(event: StoredEvent): EntityTarget | null;
} {
  // The last event's target: a read model asks it, then `evolve` asks again for the same event (the subject's
  // tokens and the key are new strings each time).
  let lastStored: StoredEvent | null = null;
  let lastSubject = "";
  let lastTarget: EntityTarget | null = null;
  return {
    target(stored) {
      if (stored === lastStored && stored.subject === lastSubject) return lastTarget;
      const ref = refFromEventSubject(prefix, stored.subject);
      const kind = ref ? kinds[ref.resource] : undefined;
      const target = ref && kind ? { key: documentKey(ref.resource, ref.namespace, ref.name), ...ref, kind } : null;
      lastStored = stored;
      lastSubject = stored.subject;
      lastTarget = target;
      return target;
    },
    evolve(document, stored) {
      const t = this.target(stored);
      if (!t) return document;
      const { event, sequence } = stored;
      if (document && isSupersededVersion(document.version, event)) return document;
      const recorded: RecordedEvent = {
        type: event.type, data: event.data, version: event.version, time: shareTime(event.time), uid: event.uid, commandId: event.commandId, sequence,
      };
      const state = t.kind.decider.evolve(document?.state ?? t.kind.decider.initialState, recorded);
      // Deleted entities are dropped so memory follows the live objects. A re-create is then folded from
      // initialState. Limit (docs/architecture.md): a kind whose post-delete state matters to render would need tombstones here.
      if (t.kind.decider.render(state) === null) return null;
      // A later version keeps the strings of the first (the subject's are parsed afresh for every event).
      const { resource, namespace, name } = document ?? t;
      return { resource, namespace, name, version: event.version, sequence, state };
    },
  };
}

/**
 * The internal API object of a document, with `metadata.resourceVersion` set to the document's sequence
 * (null when the decider renders nothing). Pure.
 */
export function renderDocument(kind: ActorKind, doc: EntityDocument): Record<string, unknown> | null {
  const object = kind.decider.render(doc.state);
  if (!object) return null;
  const metadata = (object.metadata ?? {}) as Record<string, unknown>;
  return { ...object, metadata: { ...metadata, resourceVersion: String(doc.sequence) } };
}
