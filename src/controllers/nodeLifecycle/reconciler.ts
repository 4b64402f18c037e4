/**
 * The node lifecycle, node by node on a work queue (`keyedLoop.ts`): a node is looked at when its heartbeat lease
 * changed, its object changed or went, or its next deadline came (the grace period running out: NotReady; a pod's
 * time on the lost node running out: it is evicted, each after its own NoExecute toleration of the node's state, else
 * the eviction timeout), never on a tick over all nodes. A pod's change concerns a node only while it is lost.
 */
import { CLUSTER_NS } from "../../api/kinds.js";
import { readyStatus, type Node } from "../../api/node.js";
import type { Pod } from "../../api/pod.js";
import type { ViewChange, ViewEntry } from "../../projections/clusterView.js";
import type { ControllerContext } from "../context.js";
import { Deadlines } from "../deadlines.js";
import type { KeyedController } from "../keyedLoop.js";
import { isActive } from "../pods.js";
import { lostTaintKey, UNREACHABLE_TAINT } from "../../api/nodeTaints.js";
import type { HeartbeatSource } from "./heartbeats.js";
import { evictionMessage, evictionsOf, observe, readyChange, staleAt, type NodeLifecycleOptions, type NodeObservation, type NodeReadiness } from "./monitor.js";

/** Watches nodes (key: the node's name). One instance per leadership term: every node gets a full grace period from the term's start. */
export class NodeLifecycleReconciler implements KeyedController {
  private readonly observations = new Map<string, NodeObservation>();
  private readonly deadlines: Deadlines;
  /** Nodes lost (NotReady, as we saw it): a pod that turns up active on one gets its own time to go. */
  private readonly lost = new Set<string>();
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
    return nodeName !== undefined && this.lost.has(nodeName) && isActive(pod) ? [nodeName] : [];
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
    if (o.notReadySince !== null) this.lost.add(name);
    else this.lost.delete(name);
    const { due, next } = o.notReadySince === null ? { due: [], next: staleAt(o, this.options) } : this.evictions(name, o.notReadySince, now);
    if (next === null) this.deadlines.delete(name);
    else this.deadlines.set(name, next);
    await this.syncNode(name, this.readiness.get(name), o, now, due);
  }

  /** The active pods of lost node `name` that must go now, and when the next one will. */
  private evictions(name: string, since: number, now: number) {
    const pods = this.ctx.view.podsOnNode<Pod>(name).filter((p) => isActive(p.object)).map((p) => ({ pod: p, tolerations: p.object.spec.tolerations }));
    return evictionsOf(since, pods, lostTaintKey(this.readiness.get(name)) ?? UNREACHABLE_TAINT, now, this.options);
  }

  private forget(name: string): void {
    this.readiness.delete(name);
    this.observations.delete(name);
    this.lost.delete(name);
    this.deadlines.delete(name);
  }

  /** A refused command throws after the others are sent, so the node is retried after a backoff. */
  private async syncNode(name: string, ready: NodeReadiness, o: NodeObservation, now: number, due: readonly ViewEntry<Pod>[]): Promise<void> {
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
    failures.push(...await this.evictPods(name, due));
    if (failures.length > 0) throw new Error(`node ${name}: ${failures.join("; ")}`);
  }

  /** Evicts the pods whose time on the lost node is up; returns what was refused. */
  private async evictPods(nodeName: string, due: readonly ViewEntry<Pod>[]): Promise<string[]> {
    const failures: string[] = [];
    for (const pod of due) {
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
