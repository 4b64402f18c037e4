/** The ClusterView of a projection runner: what controllers and node agents read, straight from an in-process read model. */
import type { Resource } from "../api/kinds.js";
import type { ClusterView, ViewChange, ViewEntry } from "./clusterView.js";
import { renderDocument, type EntityDocument } from "./projection.js";
import type { Change, ReadModel, RenderedDocument } from "./readModel.js";
import type { ProjectionRunner } from "./runner.js";
import { parseSelector } from "./selectors.js";

const EVERYTHING = parseSelector();

function entry<T>(r: RenderedDocument): ViewEntry<T> {
  const { doc, object } = r;
  return { resource: doc.resource, namespace: doc.namespace, name: doc.name, object: object as T, version: doc.version, resourceVersion: doc.sequence };
}

function changeOf(c: Change): ViewChange {
  const doc = (c.after ?? c.before) as EntityDocument;
  const object = c.after ? renderDocument(c.kind, c.after) : null;
  return {
    resource: doc.resource, namespace: doc.namespace, name: doc.name,
    entry: c.after && object ? entry({ doc: c.after, object }) : null,
  };
}

/**
 * A ClusterView over a runner's read model and change feed. The view listens to the feed once and hands each change,
 * rendered once, to all its listeners (a node process has its agents' router and its service proxy listening; a
 * controllers process, its informers), so an index keyed by the change's identity (FiledIndex) files it once; a
 * change a listener causes while one is handed out is handed out whole, in between, with its own rendering. Nothing
 * is kept once a change is handed out (the feed's history holds thousands of changes).
 */
export class RunnerClusterView implements ClusterView {
  private readonly model: ReadModel;
  private readonly listeners = new Set<(change: ViewChange) => void>();
  /** Stops the view's own listening to the feed (while it has listeners). */
  private unlisten: (() => void) | null = null;

  constructor(private readonly runner: ProjectionRunner) {
    this.model = runner.model;
  }

  get appliedSequence(): number {
    return this.model.sequence;
  }

  list<T>(resource: Resource, namespace?: string): ViewEntry<T>[] {
    return this.model.list(resource, namespace ?? null, EVERYTHING).map((r) => entry<T>(r));
  }

  get<T>(resource: Resource, namespace: string, name: string): ViewEntry<T> | undefined {
    const r = this.model.get(resource, namespace, name);
    return r ? entry<T>(r) : undefined;
  }

  podsOnNode<T>(nodeName: string): ViewEntry<T>[] {
    return this.model.list("pods", null, parseSelector(undefined, `spec.nodeName=${nodeName}`)).map((r) => entry<T>(r));
  }

  onChange(listener: (change: ViewChange) => void): () => void {
    this.listeners.add(listener);
    this.unlisten ??= this.runner.feed.listen((c) => {
      const change = changeOf(c);
      for (const l of this.listeners) l(change);
    });
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) {
        this.unlisten?.();
        this.unlisten = null;
      }
    };
  }
}
