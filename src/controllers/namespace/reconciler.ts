/**
 * The namespace controller: for each Terminating namespace, sends what `planNamespaceDeletion` says. Informer-style:
 * a key is a namespace's name, queued when the namespace changes, or when an object of a Terminating namespace's
 * content does (the plan's next step may then be due). A change in an Active namespace (a scale-up's pods) queues
 * nothing: a round over every namespace followed each of them before.
 */
import type { Namespace } from "../../api/namespace.js";
import { CLUSTER_NS } from "../../api/kinds.js";
import type { ClusterView, ViewChange } from "../../projections/clusterView.js";
import type { ControllerContext } from "../context.js";
import type { KeyedController } from "../keyedLoop.js";
import { NAMESPACED_CONTENT, planNamespaceDeletion, type ContentObject, type NamespaceContent } from "./plan.js";

const CONTENT: ReadonlySet<string> = new Set(NAMESPACED_CONTENT.map(([resource]) => resource));

/** True when the change is an update of an object already being deleted. Pure. */
function beingDeleted(change: ViewChange): boolean {
  return (change.entry?.object as { metadata?: { deletionTimestamp?: string } } | undefined)?.metadata?.deletionTimestamp !== undefined;
}

/** Empties and finalizes Terminating namespaces. Level-triggered and idempotent; one instance per leadership term. */
export class NamespaceReconciler implements KeyedController {
  constructor(private readonly ctx: ControllerContext) {}

  /**
   * A content object's update while it is being deleted (a terminating pod's status) cannot move the plan: it queues
   * nothing, so a large namespace's teardown does not sync once per such update.
   */
  keysOf(change: ViewChange): string[] {
    if (change.resource === "namespaces") return [change.name];
    if (!CONTENT.has(change.resource) || beingDeleted(change)) return [];
    return this.terminating(change.namespace) ? [change.namespace] : [];
  }

  allKeys(): string[] {
    return this.ctx.view.list("namespaces").map((ns) => ns.name);
  }

  /**
   * One step of a Terminating namespace's plan (nothing for any other). Every command of the step is sent; then, if
   * any was refused (NotFound aside: already gone, the view has not shown it yet), it throws, so the work queue
   * retries the namespace after a backoff.
   */
  async sync(name: string): Promise<void> {
    const ns = this.ctx.view.get<Namespace>("namespaces", CLUSTER_NS, name)?.object;
    if (ns?.status.phase !== "Terminating") return;
    const refused: string[] = [];
    for (const { ref, command } of planNamespaceDeletion(ns, this.contentOf(name))) {
      const reply = await this.ctx.sender.send(ref, command);
      if (!reply.ok && reply.status.reason !== "NotFound") refused.push(`${command.type} ${ref.namespace}/${ref.name}: ${reply.status.reason}: ${reply.status.message}`);
    }
    if (refused.length > 0) throw new Error(`namespace ${name}: ${refused.join("; ")}`);
  }

  private terminating(name: string): boolean {
    return namespaceTerminating(this.ctx.view, name);
  }

  private contentOf(namespace: string): NamespaceContent {
    return Object.fromEntries(NAMESPACED_CONTENT.map(([resource]) => [resource,
      this.ctx.view.list<{ metadata: ContentObject["metadata"] }>(resource, namespace).map((e) => ({ name: e.name, metadata: e.object.metadata }))]));
  }
}

/** True when namespace `name` is being deleted: nothing new can be made in it (the actor host refuses). Pure. */
export function namespaceTerminating(view: Pick<ClusterView, "get">, name: string): boolean {
  return view.get<Namespace>("namespaces", CLUSTER_NS, name)?.object.status.phase === "Terminating";
}
