/**
 * The garbage collector: deletes the ReplicaSets of a deleted Deployment, the Jobs of a deleted CronJob, the pods
 * and ControllerRevisions of a deleted ReplicaSet, Job, DaemonSet or StatefulSet, and the PersistentVolumeClaims a
 * StatefulSet owns (`whenDeleted: Delete`) (background propagation,
 * Kubernetes' default for `kubectl delete`), following owner references. It works dependent by dependent on a work queue (`keyedLoop.ts`) fed by the view's changes through its
 * owner graph: an owner's deletion queues its dependents, a dependent that turns up without a live owner queues
 * itself; the resync goes over the graph in memory, never over the view.
 */
import { COLLECTED_OWNERS } from "../../api/collectedOwners.js";
import { RESOURCE_INFO, type Resource } from "../../api/kinds.js";
import type { ClusterView, ViewChange } from "../../projections/clusterView.js";
import type { ControllerContext } from "../context.js";
import type { KeyedController } from "../keyedLoop.js";
import { FiledIndex } from "../filedIndex.js";
import { OwnerGraph } from "./ownerGraph.js";

/** Which owner kinds the collector follows, and the resource each lives in; and the dependents it reads. */
const OWNERS: Record<string, Resource> = Object.fromEntries(COLLECTED_OWNERS.map((r) => [RESOURCE_INFO[r].kind, r]));
const DELETE = { replicasets: "DeleteReplicaSet", pods: "DeletePod", jobs: "DeleteJob", controllerrevisions: "DeleteControllerRevision", persistentvolumeclaims: "DeletePersistentVolumeClaim" } as const;
type DependentResource = keyof typeof DELETE;

/** The collector's owner graph of what `view` holds now; later changes come through its `apply`. */
export function collectorGraph(view: ClusterView): OwnerGraph {
  return new OwnerGraph(OWNERS, Object.keys(DELETE) as DependentResource[], view);
}

/**
 * One collector per leadership term (key: `<resource>/<namespace>/<name>` of a dependent), on the process's owner
 * graph (informers.ts) when given, else on its own, built from the view.
 */
export class GarbageCollector implements KeyedController {
  private readonly filed: FiledIndex<OwnerGraph, string[]>;

  constructor(private readonly ctx: ControllerContext, filed?: FiledIndex<OwnerGraph, string[]>) {
    this.filed = filed ?? new FiledIndex(collectorGraph(ctx.view));
  }

  private get graph(): OwnerGraph {
    return this.filed.index;
  }

  /**
   * Files the change in the owner graph unless it is filed already (the graph must see every change of the view, in
   * order); the dependents it made garbage.
   */
  keysOf(change: ViewChange): string[] {
    return this.filed.file(change);
  }

  /** The dependents that are garbage now. */
  allKeys(): string[] {
    return this.graph.allGarbage();
  }

  /** Deletes the dependent if its owners are still all gone; a refusal other than NotFound throws (retried after a backoff). */
  async sync(key: string): Promise<void> {
    const [resource, namespace, name] = key.split("/") as [DependentResource, string, string];
    const d = this.graph.garbage(resource, namespace, name);
    const type = DELETE[resource];
    if (!d) return;
    const reply = await this.ctx.sender.send({ resource, namespace, name }, { type, id: `gc:${d.uid}`, data: {} });
    if (!reply.ok && reply.status.reason !== "NotFound") throw new Error(`${type} ${namespace}/${name}: ${reply.status.reason}: ${reply.status.message}`);
  }

  /** Every garbage dependent at once (a whole pass, as a resync makes it); failures are logged, not thrown. */
  async reconcile(): Promise<void> {
    for (const key of this.allKeys()) {
      await this.sync(key).catch((err: unknown) => this.ctx.logger.warn({ err, key }, "garbage collection failed"));
    }
  }
}
