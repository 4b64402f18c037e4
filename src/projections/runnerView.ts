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
 * A ClusterView over a runner's read model and change feed. Every listener of one change gets the same ViewChange,
 * rendered once (a node process has its agents' router and its service proxy listening; a controllers process, its
 * informers), so an index keyed by the change's identity (FiledIndex) files it once.
 */
export class RunnerClusterView implements ClusterView {
  private readonly model: ReadModel;
  /** The rendering of each feed change while it is referenced (a listener may cause the next change before the
   * listeners after it have had this one). */
  private readonly renderings = new WeakMap<Change, ViewChange>();

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
    return this.runner.feed.listen((c) => listener(this.rendered(c)));
  }

  /** The ViewChange of the feed's change `c`, rendered the first time it is asked for. */
  private rendered(c: Change): ViewChange {
    let view = this.renderings.get(c);
    if (!view) this.renderings.set(c, (view = changeOf(c)));
    return view;
  }
}
