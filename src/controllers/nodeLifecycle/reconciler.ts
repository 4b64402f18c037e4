/**
 * The node lifecycle's round: sample the heartbeats, set each node's Ready condition from them, and evict the
 * active pods of nodes that have been NotReady for the eviction timeout.
 */
import type { Node } from "../../api/node.js";
import type { Pod } from "../../api/pod.js";
import type { ViewEntry } from "../../projections/clusterView.js";
import type { ControllerContext } from "../context.js";
import { isActive } from "../pods.js";
import type { HeartbeatSource } from "./heartbeats.js";
import { evictionMessage, observe, readyChange, shouldEvict, type NodeLifecycleOptions, type NodeObservation } from "./monitor.js";

/** Watches nodes. One instance per leadership term: every node gets a full grace period from the term's start. */
export class NodeLifecycleReconciler {
  private readonly observations = new Map<string, NodeObservation>();

  constructor(
    private readonly ctx: ControllerContext,
    private readonly heartbeats: HeartbeatSource,
    private readonly options: NodeLifecycleOptions,
  ) {}

  /** One round over all nodes. */
  async reconcile(): Promise<void> {
    const now = this.ctx.now();
    const nodes = this.ctx.view.list<Node>("nodes");
    const leases = this.heartbeats.leases();
    const seen = new Set<string>();
    for (const entry of nodes) {
      seen.add(entry.name);
      const o = observe(this.observations.get(entry.name), leases.get(entry.name), now, this.options);
      this.observations.set(entry.name, o);
      await this.syncNode(entry, o, now);
    }
    for (const name of this.observations.keys()) if (!seen.has(name)) this.observations.delete(name);
  }

  private async syncNode(entry: ViewEntry<Node>, o: NodeObservation, now: number): Promise<void> {
    const change = readyChange(entry.object, o, now, this.options);
    if (change) {
      // No id: SetNodeCondition is idempotent by value, and Ready flips back and forth over a node's life.
      const reply = await this.ctx.sender.send({ resource: "nodes", namespace: entry.namespace, name: entry.name }, {
        type: "SetNodeCondition", data: { type: "Ready", ...change },
      });
      if (!reply.ok) this.ctx.logger.warn({ node: entry.name, status: reply.status }, "SetNodeCondition failed");
      else this.ctx.logger.info({ node: entry.name, ready: change.status }, "node readiness changed");
    }
    if (shouldEvict(o, now, this.options)) await this.evictPods(entry.name);
  }

  private async evictPods(nodeName: string): Promise<void> {
    const victims = this.ctx.view.podsOnNode<Pod>(nodeName).filter((p) => isActive(p.object));
    for (const pod of victims) {
      // Evicting one pod instance is the same command in every term: its uid makes the id durable.
      const reply = await this.ctx.sender.send({ resource: "pods", namespace: pod.namespace, name: pod.name }, {
        type: "EvictPod", id: `nodelifecycle:evict:${pod.object.metadata.uid}`,
        data: { reason: "NodeLost", message: evictionMessage(nodeName, pod.name) },
      });
      if (!reply.ok && reply.status.reason !== "NotFound") {
        this.ctx.logger.warn({ pod: `${pod.namespace}/${pod.name}`, status: reply.status }, "EvictPod failed");
      }
    }
  }
}
