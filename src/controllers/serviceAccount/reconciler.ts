/**
 * The service account controller: every Active namespace has a `default` ServiceAccount (with no rights of its own
 * until a binding grants some), which pods that name no account run as, as Kubernetes' controller-manager ensures.
 * Informer-style, as Kubernetes' is: a key is a namespace's name, queued when the namespace changes or its `default`
 * account does. The create's id is durable (the namespace's uid), so the actor host answers a repeat from history.
 * An account deleted later is made again, as Kubernetes' controller does: when the answer is a create the view has
 * already applied and no longer holds, the next id is chained to that create's sequence (`sa:<uid>:default@<seq>`),
 * the same on every leader and after a restart. A chain grows by one link per deletion, and an entity remembers its
 * last 64 command ids: past ~32 deletions the host forgets the first links, and a forgotten id simply creates.
 */
import type { Namespace } from "../../api/namespace.js";
import { CLUSTER_NS } from "../../api/kinds.js";
import { DEFAULT_SERVICE_ACCOUNT } from "../../api/podSpec.js";
import type { ViewChange } from "../../projections/clusterView.js";
import type { ControllerContext } from "../context.js";
import type { KeyedController } from "../keyedLoop.js";

/** One controller per leadership term. */
export class ServiceAccountReconciler implements KeyedController {
  constructor(private readonly ctx: ControllerContext) {}

  keysOf(change: ViewChange): string[] {
    if (change.resource === "namespaces") return [change.name];
    if (change.resource === "serviceaccounts" && change.name === DEFAULT_SERVICE_ACCOUNT) return [change.namespace];
    return [];
  }

  allKeys(): string[] {
    return this.ctx.view.list("namespaces").map((ns) => ns.name);
  }

  /** Creates the namespace's default account when the namespace is Active and has none; a refusal throws (a backoff, then again). */
  async sync(namespace: string): Promise<void> {
    const { view } = this.ctx;
    const ns = view.get<Namespace>("namespaces", CLUSTER_NS, namespace);
    if (ns?.object.status.phase !== "Active") return;
    const base = `sa:${ns.object.metadata.uid}:${DEFAULT_SERVICE_ACCOUNT}`;
    for (let id = base, last = 0; !view.get("serviceaccounts", namespace, DEFAULT_SERVICE_ACCOUNT);) {
      const reply = await this.ctx.sender.send({ resource: "serviceaccounts", namespace, name: DEFAULT_SERVICE_ACCOUNT }, {
        type: "CreateServiceAccount", id, data: { metadata: { name: DEFAULT_SERVICE_ACCOUNT, namespace } },
      });
      if (!reply.ok) {
        if (reply.status.reason === "AlreadyExists") return;
        throw new Error(`CreateServiceAccount ${namespace}/${DEFAULT_SERVICE_ACCOUNT}: ${reply.status.reason}: ${reply.status.message}`);
      }
      const created = Number(reply.resourceVersion);
      // Not yet in the view: its change queues the key again. Each link's create is later than the last, so the chain ends.
      if (!(created > last) || view.appliedSequence < created) return;
      id = `${base}@${created}`; // a create since deleted (the view applied it and holds no account): chain past it
      last = created;
    }
  }
}
