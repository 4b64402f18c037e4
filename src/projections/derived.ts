/**
 * Derived projections: read-only kinds whose documents are folded from what the stream says about other kinds
 * (core v1 Events from pod and node events), kept in the same read model as the entities so that one resourceVersion,
 * one checkpoint and one change feed serve them. They have no actor: every command to them is refused.
 */
import type { Resource } from "../api/kinds.js";
import type { ActorKind } from "../actors/registry.js";
import type { EventEnvelope } from "../events/envelope.js";
import type { EntityDocument } from "./projection.js";
import type { FieldRequirement } from "./selectors.js";

/** One applied stream event, seen through the entity it changed. Objects are the kind's internal (v1) objects. */
export interface StreamFact {
  resource: Resource;
  /** The entity's namespace token (`_` for cluster-scoped kinds). */
  namespace: string;
  name: string;
  sequence: number;
  event: EventEnvelope;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** Finds the current internal object of an entity in the read model, or null. */
export type ObjectLookup = (resource: Resource, namespace: string, name: string) => Record<string, unknown> | null;

/** What one fact did to a derived kind's documents. */
export interface DerivedDelta {
  /** Documents added (`before` null) or replaced. */
  upserts: { before: EntityDocument | null; after: EntityDocument }[];
  /** Documents removed (expired or over the cap). */
  removals: EntityDocument[];
}

/**
 * A derived projection: stateful, fed in stream order, rebuilt from its documents on a checkpoint load. It holds
 * its documents itself (the read model asks it for them), so it keeps only the indexes its kind needs: a derived
 * kind can far outnumber the live objects, and the model's general indexes would cost each document hundreds of bytes.
 */
export interface DerivedProjection {
  /** The read side of its kind: codec, identity render, selectable fields; its decider takes no command. */
  readonly kind: ActorKind;
  apply(fact: StreamFact, lookup: ObjectLookup): DerivedDelta;
  /**
   * A document of its kind as a checkpoint holds it, in the form the projection keeps (an older checkpoint may hold
   * another), with its parts shared with the documents restored before it.
   */
  restore(document: EntityDocument): EntityDocument;
  /** Replaces its documents with those of a checkpoint (each through `restore` first). */
  load(documents: readonly EntityDocument[]): void;
  /** One document, or null. */
  get(namespace: string, name: string): EntityDocument | null;
  /**
   * Its documents in `namespace` (null: all), in no particular order; with `fields`, it may leave out those whose
   * stored form already fails one of them (the model still filters what it returns).
   */
  list(namespace: string | null, fields?: readonly FieldRequirement[]): Iterable<EntityDocument>;
  /** Number of documents it holds. */
  readonly size: number;
}

/** Makes a fresh derived projection (one per read model). */
export type DerivedProjectionFactory = () => DerivedProjection;
