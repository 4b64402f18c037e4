/**
 * The namespace controller: for each Terminating namespace, sends what `planNamespaceDeletion` says. Informer-style:
 * a key is a namespace's name, queued when the namespace changes, or when an object of a Terminating namespace's
 * content does (the plan's next step may then be due). A change in an Active namespace (a scale-up's pods) queues
 * nothing: a round over every namespace followed each of them before.
 */
import type { Namespace } from "../../api/namespace.js";
import { CLUSTER_NS } from "../../api/kinds.js";
import type { ViewChange } from "../../projections/clusterView.js";
import type { ControllerContext } from "../context.js";
import type { KeyedController } from "../keyedLoop.js";
import { NAMESPACED_CONTENT, planNamespaceDeletion, type ContentObject, type NamespaceContent } from "./plan.js";

const CONTENT: ReadonlySet<string> = new Set(NAMESPACED_CONTENT.map(([resource]) => resource));

/** Empties and finalizes Terminating namespaces. Level-triggered and idempotent; one instance per leadership term. */
export class NamespaceReconciler implements KeyedController {
  constructor(private readonly ctx: ControllerContext) {}

  keysOf(change: ViewChange): string[] {
    if (change.resource === "namespaces") return [change.name];
    return CONTENT.has(change.resource) && this.terminating(change.namespace) ? [change.namespace] : [];
  }

  allKeys(): string[] {
    return this.ctx.view.list("namespaces").map((ns) => ns.name);
  }

  /** One step of a Terminating namespace's plan (nothing for any other). */
  async sync(name: string): Promise<void> {
    const ns = this.ctx.view.get<Namespace>("namespaces", CLUSTER_NS, name)?.object;
    if (ns?.status.phase !== "Terminating") return;
    for (const { ref, command } of planNamespaceDeletion(ns, this.contentOf(name))) {
      const reply = await this.ctx.sender.send(ref, command);
      // NotFound: already gone (the view has not shown it yet); anything else is retried on the next sync.
      if (!reply.ok && reply.status.reason !== "NotFound") {
        this.ctx.logger.warn({ namespace: name, ref, status: reply.status }, `${command.type} failed`);
      }
    }
  }

  private terminating(name: string): boolean {
    return this.ctx.view.get<Namespace>("namespaces", CLUSTER_NS, name)?.object.status.phase === "Terminating";
  }

  private contentOf(namespace: string): NamespaceContent {
    return Object.fromEntries(NAMESPACED_CONTENT.map(([resource]) => [resource,
      this.ctx.view.list<{ metadata: ContentObject["metadata"] }>(resource, namespace).map((e) => ({ name: e.name, metadata: e.object.metadata }))]));
  }
}
