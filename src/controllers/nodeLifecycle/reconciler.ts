/**
 * The node lifecycle, node by node on a work queue (`keyedLoop.ts`): a node is looked at when its heartbeat lease
 * changed, its object changed or went, or its next deadline came (the grace period running out: NotReady; the
 * eviction timeout: its active pods are evicted), never on a tick over all nodes. A pod's change concerns a node
 * only while that node's pods are being evicted.
 */
import { CLUSTER_NS } from "../../api/kinds.js";
import { readyStatus, type Node } from "../../api/node.js";
import type { Pod } from "../../api/pod.js";
import type { ViewChange } from "../../projections/clusterView.js";
import type { ControllerContext } from "../context.js";
import { Deadlines } from "../deadlines.js";
import type { KeyedController } from "../keyedLoop.js";
import { isActive, toleratesNodeLoss } from "../pods.js";
import type { HeartbeatSource } from "./heartbeats.js";
import { evictionMessage, nextDeadline, observe, readyChange, shouldEvict, type NodeLifecycleOptions, type NodeObservation, type NodeReadiness } from "./monitor.js";

/** Watches nodes (key: the node's name). One instance per leadership term: every node gets a full grace period from the term's start. */
export class NodeLifecycleReconciler implements KeyedController {
  private readonly observations = new Map<string, NodeObservation>();
  private readonly deadlines: Deadlines;
  /** Nodes past their eviction timeout: a pod that turns up active on one is evicted too. */
  private readonly evicting = new Set<string>();
  /**
   * The Ready status of each node of the view, as its last change (or the first pass's list) showed it: a heartbeat's
   * sync compares with it instead of rendering the node (2,000 heartbeats a second at 10,000 nodes).
   */
  private readonly readiness = new Map<string, NodeReadiness>();

  constructor(
    private readonly ctx: ControllerContext,
    private readonly heartbeats: HeartbeatSource,
    private readonly options: NodeLifecycleOptions,
  ) {
    this.deadlines = new Deadlines(ctx.now);
  }

  /** A node's own change; a pod's change only when it is evictable on a node whose pods are being evicted. */
  keysOf(change: ViewChange): string[] {
    if (change.resource === "nodes") {
      if (change.entry) this.readiness.set(change.name, readyStatus(change.entry.object as Node));
      else this.readiness.delete(change.name);
      return [change.name];
    }
    if (change.resource !== "pods" || !change.entry) return [];
    const pod = change.entry.object as Pod;
    const nodeName = pod.spec.nodeName;
    return nodeName !== undefined && this.evicting.has(nodeName) && evictable(pod) ? [nodeName] : [];
  }

  /** Every node of the view, and every node this term still remembers (so one gone is forgotten). */
  allKeys(): string[] {
    const nodes = this.ctx.view.list<Node>("nodes");
    for (const e of nodes) this.readiness.set(e.name, readyStatus(e.object));
    return [...new Set([...nodes.map((e) => e.name), ...this.observations.keys()])];
  }

  /** A node's lease changed or went; a node's deadline came. */
  watch(add: (key: string) => void): () => void {
    const offBeats = this.heartbeats.onChange(add);
    const offDeadlines = this.deadlines.fire(add);
    return () => {
      offBeats();
      offDeadlines();
    };
  }

  /** Every node at once (a whole pass, as the first one and a resync make it); failures are logged, not thrown. */
  async reconcile(): Promise<void> {
    for (const name of this.allKeys()) {
      await this.sync(name).catch((err: unknown) => this.ctx.logger.warn({ err, node: name }, "node lifecycle sync failed"));
    }
  }

  /** Samples the node's lease, sends the Ready condition it should have, evicts its pods once past the timeout. */
  async sync(name: string): Promise<void> {
    if (!this.readiness.has(name)) {
      const entry = this.ctx.view.get<Node>("nodes", CLUSTER_NS, name);
      if (!entry) return this.forget(name);
      this.readiness.set(name, readyStatus(entry.object));
    }
    const now = this.ctx.now();
    const o = observe(this.observations.get(name), this.heartbeats.leases().get(name), now, this.options);
    this.observations.set(name, o);
    const evict = shouldEvict(o, now, this.options);
    if (evict) this.evicting.add(name);
    else this.evicting.delete(name);
    const at = nextDeadline(o, now, this.options);
    if (at === null) this.deadlines.delete(name);
    else this.deadlines.set(name, at);
    await this.syncNode(name, this.readiness.get(name), o, now, evict);
  }

  private forget(name: string): void {
    this.readiness.delete(name);
    this.observations.delete(name);
    this.evicting.delete(name);
    this.deadlines.delete(name);
  }

  /** A refused command throws after the others are sent, so the node is retried after a backoff. */
  private async syncNode(name: string, ready: NodeReadiness, o: NodeObservation, now: number, evict: boolean): Promise<void> {
    const change = readyChange(ready, o, now, this.options);
    const failures: string[] = [];
    if (change) {
      // No id: SetNodeCondition is idempotent by value, and Ready flips back and forth over a node's life.
      const reply = await this.ctx.sender.send({ resource: "nodes", namespace: CLUSTER_NS, name }, {
        type: "SetNodeCondition", data: { type: "Ready", ...change },
      });
      if (!reply.ok && reply.status.reason !== "NotFound") failures.push(`SetNodeCondition: ${reply.status.reason}`);
      else if (reply.ok) this.ctx.logger.info({ node: name, ready: change.status }, "node readiness changed");
    }
    if (evict) failures.push(...await this.evictPods(name));
    if (failures.length > 0) throw new Error(`node ${name}: ${failures.join("; ")}`);
  }

  /** Evicts the node's active pods; returns what was refused. */
  private async evictPods(nodeName: string): Promise<string[]> {
    const failures: string[] = [];
    const victims = this.ctx.view.podsOnNode<Pod>(nodeName).filter((p) => evictable(p.object));
    for (const pod of victims) {
      // Evicting one pod instance is the same command in every term: its uid makes the id durable.
      const reply = await this.ctx.sender.send({ resource: "pods", namespace: pod.namespace, name: pod.name }, {
        type: "EvictPod", id: `nodelifecycle:evict:${pod.object.metadata.uid}`,
        data: { reason: "NodeLost", message: evictionMessage(nodeName, pod.name) },
      });
      if (!reply.ok && reply.status.reason !== "NotFound") failures.push(`EvictPod ${pod.namespace}/${pod.name}: ${reply.status.reason}`);
    }
    return failures;
  }
}

/** A pod the node's loss evicts: active, and not tolerating the loss for good (a DaemonSet's pod). Pure. */
function evictable(pod: Pod): boolean {
  return isActive(pod) && !toleratesNodeLoss(pod);
}
