/**
 * The read-side view that controllers and node agents work from: the current objects of the cluster,
 * each with its entity version (for expectedVersion) and resourceVersion, and a change feed.
 * The projection runner implements it in-process; tests may implement it in memory.
 */
import type { Resource } from "../api/kinds.js";

/** One object of the view. `object` is the internal (v1-shaped) object. */
export interface ViewEntry<T = Record<string, unknown>> {
  resource: Resource;
  namespace: string;
  name: string;
  object: T;
  /** The entity's version (count of its events): what `expectedVersion` compares with. */
  version: number;
  /** The stream sequence of its latest event. */
  resourceVersion: number;
}

/** A change seen by the view: `object` null means the entity was deleted. */
export interface ViewChange {
  resource: Resource;
  namespace: string;
  name: string;
  entry: ViewEntry | null;
}

/** What controllers and node agents read. */
export interface ClusterView {
  /** Every live object of a resource, optionally in one namespace. */
  list<T = Record<string, unknown>>(resource: Resource, namespace?: string): ViewEntry<T>[];
  /** One object, or undefined. */
  get<T = Record<string, unknown>>(resource: Resource, namespace: string, name: string): ViewEntry<T> | undefined;
  /** Pods whose spec.nodeName is `nodeName`. */
  podsOnNode<T = Record<string, unknown>>(nodeName: string): ViewEntry<T>[];
  /** Calls `listener` after each applied change; returns the unsubscribe function. */
  onChange(listener: (change: ViewChange) => void): () => void;
  /** The last stream sequence applied. */
  readonly appliedSequence: number;
}
