/**
 * The service account controller: every Active namespace has a `default` ServiceAccount (with no rights of its own
 * until a binding grants some), which pods that name no account run as, as Kubernetes' controller-manager ensures.
 */
import type { Namespace } from "../../api/namespace.js";
import { DEFAULT_SERVICE_ACCOUNT } from "../../api/podSpec.js";
import type { ControllerContext } from "../context.js";


/** One controller per leadership term. */
export class ServiceAccountReconciler {
  constructor(private readonly ctx: ControllerContext) {}

  /** One round: creates the missing default accounts. */
  async reconcile(): Promise<void> {
    for (const ns of this.ctx.view.list<Namespace>("namespaces")) {
      if (ns.object.status.phase !== "Active" || this.ctx.view.get("serviceaccounts", ns.name, DEFAULT_SERVICE_ACCOUNT)) continue;
      const reply = await this.ctx.sender.send({ resource: "serviceaccounts", namespace: ns.name, name: DEFAULT_SERVICE_ACCOUNT }, {
        type: "CreateServiceAccount", id: `sa:${ns.object.metadata.uid}:${DEFAULT_SERVICE_ACCOUNT}`, data: { metadata: { name: DEFAULT_SERVICE_ACCOUNT, namespace: ns.name } },
      });
      if (!reply.ok && reply.status.reason !== "AlreadyExists") this.ctx.logger.warn({ namespace: ns.name, status: reply.status }, "CreateServiceAccount failed");
    }
  }
}
