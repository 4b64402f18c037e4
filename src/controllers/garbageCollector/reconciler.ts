/**
 * The garbage collector: deletes the ReplicaSets of a deleted Deployment and the pods of a deleted ReplicaSet
 * (background propagation, Kubernetes' default for `kubectl delete`), following owner references in the view.
 */
import type { Resource } from "../../api/kinds.js";
import type { ObjectMeta } from "../../api/objectMeta.js";
import type { ControllerContext } from "../context.js";
import { orphans, type Dependent } from "./orphans.js";

/** Which owner kinds the collector follows, and the resource each lives in; and the dependents it reads. */
const OWNERS: Record<string, Resource> = { Deployment: "deployments", ReplicaSet: "replicasets" };
const DEPENDENTS = [
  { resource: "replicasets", del: "DeleteReplicaSet" },
  { resource: "pods", del: "DeletePod" },
] as const satisfies readonly { resource: Resource; del: string }[];

/** One collector per leadership term. */
export class GarbageCollector {
  constructor(private readonly ctx: ControllerContext) {}

  /** One round: every dependent whose owners are all gone is deleted. */
  async reconcile(): Promise<void> {
    const cache = new Map<string, Set<string>>();
    const owners = (kind: string, namespace: string) => {
      const resource = OWNERS[kind];
      if (!resource) return undefined;
      const key = `${resource}/${namespace}`;
      let uids = cache.get(key);
      if (!uids) cache.set(key, (uids = new Set(this.ctx.view.list<{ metadata: ObjectMeta }>(resource, namespace).map((e) => e.object.metadata.uid))));
      return uids;
    };
    for (const { resource, del } of DEPENDENTS) {
      const live = this.ctx.view.list<{ metadata: ObjectMeta }>(resource)
        .filter((e) => e.object.metadata.deletionTimestamp === undefined)
        .map((e): Dependent & { uid: string } => ({ resource, namespace: e.namespace, name: e.name, ownerReferences: e.object.metadata.ownerReferences, uid: e.object.metadata.uid }));
      for (const d of orphans(live, owners)) {
        const reply = await this.ctx.sender.send({ resource, namespace: d.namespace, name: d.name }, { type: del, id: `gc:${d.uid}`, data: {} });
        if (!reply.ok && reply.status.reason !== "NotFound") this.ctx.logger.warn({ resource, name: `${d.namespace}/${d.name}`, status: reply.status }, `${del} failed`);
      }
    }
  }
}
