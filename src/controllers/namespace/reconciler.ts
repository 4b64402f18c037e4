/** The namespace controller's round: for every Terminating namespace in the view, send what `planNamespaceDeletion` says. */
import type { Namespace } from "../../api/namespace.js";
import type { ControllerContext } from "../context.js";
import { NAMESPACED_CONTENT, planNamespaceDeletion, type ContentObject, type NamespaceContent } from "./plan.js";

/** Empties and finalizes Terminating namespaces. Level-triggered and idempotent; one instance per leadership term. */
export class NamespaceReconciler {
  constructor(private readonly ctx: ControllerContext) {}

  /** One round over all namespaces. */
  async reconcile(): Promise<void> {
    for (const ns of this.ctx.view.list<Namespace>("namespaces")) {
      if (ns.object.status.phase === "Terminating") await this.syncOne(ns.object);
    }
  }

  private async syncOne(ns: Namespace): Promise<void> {
    for (const { ref, command } of planNamespaceDeletion(ns, this.contentOf(ns.metadata.name))) {
      const reply = await this.ctx.sender.send(ref, command);
      // NotFound: already gone (the view has not shown it yet); anything else is retried on the next round.
      if (!reply.ok && reply.status.reason !== "NotFound") {
        this.ctx.logger.warn({ namespace: ns.metadata.name, ref, status: reply.status }, `${command.type} failed`);
      }
    }
  }

  private contentOf(namespace: string): NamespaceContent {
    return Object.fromEntries(NAMESPACED_CONTENT.map(([resource]) => [resource,
      this.ctx.view.list<{ metadata: ContentObject["metadata"] }>(resource, namespace).map((e) => ({ name: e.name, metadata: e.object.metadata }))]));
  }
}
