/** The read model's watch, typed: ADDED / MODIFIED / DELETED objects of one kind, as Kubernetes' watch gives them. */
import { RESOURCE_INFO } from "../api/kinds.js";
import { ReadClient } from "../projections/readClient.js";
import type { ClusterBase } from "../client/cluster.js";
import { CoxswainStatusError } from "../client/statusError.js";
import type { KindName, ObjectOf } from "../client/types.js";

/** One change of a watched object. */
export interface WatchEvent<R extends KindName> {
  type: "ADDED" | "MODIFIED" | "DELETED";
  object: ObjectOf<R>;
}

/** A running watch: iterate it; `stop()` (or breaking out of the loop) ends it. */
export interface KindWatch<R extends KindName> extends AsyncIterable<WatchEvent<R>> {
  stop(): Promise<void>;
}

/** What to watch. */
export interface WatchOptions {
  /** The namespace; absent: every namespace (cluster-scoped kinds ignore it). */
  namespace?: string;
  /** `app=web`, `tier in (a,b)`, `!canary`, …; a comma is AND. */
  labelSelector?: string;
  /** `spec.nodeName=node-1`, `status.phase!=Running`, … */
  fieldSelector?: string;
  /** Start after this resourceVersion (a list's); absent: an ADDED for every matching object first. */
  resourceVersion?: string;
}

/**
 * Watches `kind` through the read model: first the matching objects as ADDED (unless `resourceVersion` is given),
 * then every change. A change that takes an object out of the selection is a DELETED. When the server ends the watch
 * (its API process stops, or the resourceVersion is too old: `Expired`), the iteration throws a CoxswainStatusError;
 * watch again from the last `metadata.resourceVersion` seen.
 */
export async function watch<R extends KindName>(cluster: ClusterBase, kind: R, options: WatchOptions = {}): Promise<KindWatch<R>> {
  const reads = new ReadClient(cluster.connection, cluster.prefix);
  const namespace = RESOURCE_INFO[kind].clusterScoped ? "_" : options.namespace ?? null;
  let inner;
  try {
    inner = await reads.watch(kind, namespace, { labelSelector: options.labelSelector, fieldSelector: options.fieldSelector, resourceVersion: options.resourceVersion });
  } catch (err) {
    throw CoxswainStatusError.from(err);
  }
  const source = inner;
  return {
    stop: () => source.stop(),
    async *[Symbol.asyncIterator]() {
      try {
        for await (const e of source) yield e as WatchEvent<R>;
      } catch (err) {
        throw CoxswainStatusError.from(err);
      }
    },
  };
}
