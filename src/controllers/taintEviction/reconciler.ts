/**
 * The taint eviction controller, node by node on a work queue: a node with NoExecute taints has the active pods that
 * do not tolerate them evicted (decide.ts), with the reason `TaintManagerEviction`. A node is looked at when it
 * changes, when a pod turns up active on it while it has such taints, and when a toleration's seconds run out
 * (counted from when this term first saw the pod there, as Kubernetes counts them).
 */
import { CLUSTER_NS } from "../../api/kinds.js";
import type { Node } from "../../api/node.js";
import type { Pod } from "../../api/pod.js";
import type { Taint } from "../../api/taints.js";
import type { ViewChange } from "../../projections/clusterView.js";
import type { ControllerContext } from "../context.js";
import { Deadlines } from "../deadlines.js";
import type { KeyedController } from "../keyedLoop.js";
import { isActive } from "../pods.js";
import { taintEvictions } from "./decide.js";

/** The node's NoExecute taints. Pure. */
function noExecute(node: Node): Taint[] {
  return (node.spec.taints ?? []).filter((t) => t.effect === "NoExecute");
}

/** One controller per leadership term (key: a node's name). */
export class TaintEvictionReconciler implements KeyedController {
  private readonly deadlines: Deadlines;
  /** Nodes with NoExecute taints, as their last change showed them: a pod's change concerns only these. */
  private readonly tainted = new Set<string>();
  /** By node, when this term first saw each of its active pods (by uid) under its NoExecute taints: their tolerationSeconds count from then. */
  private readonly seen = new Map<string, Map<string, number>>();

  constructor(private readonly ctx: ControllerContext, private readonly wallTime: () => number = Date.now) {
    this.deadlines = new Deadlines(ctx.now);
  }

  /** Nodes whose toleration seconds ran out. */
  watch(add: (key: string) => void): () => void {
    return this.deadlines.fire(add);
  }

  keysOf(change: ViewChange): string[] {
    if (change.resource === "nodes") {
      const was = this.tainted.has(change.name);
      if (change.entry && noExecute(change.entry.object as Node).length > 0) this.tainted.add(change.name);
      else this.tainted.delete(change.name);
      return was || this.tainted.has(change.name) ? [change.name] : [];
    }
    if (change.resource !== "pods" || !change.entry) return [];
    const pod = change.entry.object as Pod;
    const node = pod.spec.nodeName;
    return node !== undefined && this.tainted.has(node) && isActive(pod) ? [node] : [];
  }

  allKeys(): string[] {
    return this.ctx.view.list<Node>("nodes").filter((e) => noExecute(e.object).length > 0).map((e) => e.name);
  }

  /** Evicts what the node's NoExecute taints drive away now; a refusal throws (retried after a backoff). */
  async sync(name: string): Promise<void> {
    const node = this.ctx.view.get<Node>("nodes", CLUSTER_NS, name)?.object;
    const taints = node ? noExecute(node) : [];
    if (taints.length === 0) {
      this.tainted.delete(name);
      this.seen.delete(name);
      return this.deadlines.delete(name);
    }
    this.tainted.add(name);
    const nowMs = this.wallTime();
    const active = this.ctx.view.podsOnNode<Pod>(name).map((e) => e.object).filter(isActive);
    // Only the pods there now are remembered: one gone is forgotten.
    const before = this.seen.get(name);
    const seen = new Map(active.map((p) => [p.metadata.uid, before?.get(p.metadata.uid) ?? nowMs]));
    this.seen.set(name, seen);
    const decision = taintEvictions(taints, active, (p) => seen.get(p.metadata.uid) ?? nowMs, nowMs);
    this.deadlines.setWallClock(name, decision.nextAt, nowMs);
    const failures: string[] = [];
    for (const pod of decision.evict) {
      const { namespace = "", name: podName, uid } = pod.metadata;
      // One pod instance's eviction is the same command in every term: its uid makes the id durable.
      const reply = await this.ctx.sender.send({ resource: "pods", namespace, name: podName }, {
        type: "EvictPod", id: `taint:evict:${uid}`, data: { reason: "TaintManagerEviction", message: `Taint manager: deleting due to NoExecute taint on node ${name}` },
      });
      if (!reply.ok && reply.status.reason !== "NotFound") failures.push(`EvictPod ${namespace}/${podName}: ${reply.status.message}`);
    }
    if (failures.length > 0) throw new Error(`taint eviction on ${name}: ${failures.join("; ")}`);
  }
}
