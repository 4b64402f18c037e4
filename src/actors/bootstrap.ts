/**
 * The objects every cluster has from its first start, as the kinds register them (`ActorKind.bootstrap`): each made
 * by the first actor host (src/actors/index.ts) with a create command of a fixed id, so that every host and every
 * restart agrees on one create. Pure.
 */
import { CLUSTER_NS, RESOURCE_INFO, type Resource } from "../api/kinds.js";

/** One such object: where it is, its create's id, type and data. `optional`: a refusal is logged, not fatal. */
export interface BootstrapObject {
  namespace: string;
  name: string;
  id: string;
  type: string;
  data: unknown;
  optional?: true;
}

/**
 * The bootstrap object of `resource` whose create carries `data`: named by its metadata, in its namespace (the
 * cluster's for a cluster-scoped kind), made by `Create<Kind>` with the id `bootstrap-<kind>-<name>`. Pure.
 */
export function bootstrapObject<D extends { metadata: { name: string; namespace?: string } }>(resource: Resource, data: D, optional?: true): BootstrapObject {
  const { kind, clusterScoped } = RESOURCE_INFO[resource];
  const { name, namespace } = data.metadata;
  return {
    namespace: clusterScoped ? CLUSTER_NS : namespace ?? "default", name, id: `bootstrap-${kind.toLowerCase()}-${name}`, type: `Create${kind}`, data,
    ...(optional ? { optional } : {}),
  };
}
