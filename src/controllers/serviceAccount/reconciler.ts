/**
 * The service account controller: every Active namespace has a `default` ServiceAccount (with no rights of its own
 * until a binding grants some), which pods that name no account run as, as Kubernetes' controller-manager ensures.
 * Informer-style, as Kubernetes' is: a key is a namespace's name, queued when the namespace changes or its `default`
 * account does. The create's id is durable (the namespace's uid), and an account deleted later is made again
 * (createAgain.ts).
 */
import type { Namespace } from "../../api/namespace.js";
import { CLUSTER_NS } from "../../api/kinds.js";
import { DEFAULT_SERVICE_ACCOUNT } from "../../api/podSpec.js";
import type { ViewChange } from "../../projections/clusterView.js";
import type { ControllerContext } from "../context.js";
import { sendCreate } from "../createAgain.js";
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
    const ns = this.ctx.view.get<Namespace>("namespaces", CLUSTER_NS, namespace);
    if (ns?.object.status.phase !== "Active" || this.ctx.view.get("serviceaccounts", namespace, DEFAULT_SERVICE_ACCOUNT)) return;
    const reply = await sendCreate(this.ctx, { resource: "serviceaccounts", namespace, name: DEFAULT_SERVICE_ACCOUNT }, {
      type: "CreateServiceAccount", id: `sa:${ns.object.metadata.uid}:${DEFAULT_SERVICE_ACCOUNT}`, data: { metadata: { name: DEFAULT_SERVICE_ACCOUNT, namespace } },
    });
    if (!reply.ok && reply.status.reason !== "AlreadyExists") throw new Error(`CreateServiceAccount ${namespace}/${DEFAULT_SERVICE_ACCOUNT}: ${reply.status.reason}: ${reply.status.message}`);
  }
}
