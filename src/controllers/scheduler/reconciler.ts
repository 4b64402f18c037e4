/**
 * The scheduler's round: bind pending unbound pods, oldest first, to the best node, counting the binds of this
 * round and those the view does not show yet; mark the others unschedulable when their message changes.
 */
import type { Node } from "../../api/node.js";
import type { Pod } from "../../api/pod.js";
import type { ReplicationController } from "../../api/replicationController.js";
import type { ViewEntry } from "../../projections/clusterView.js";
import type { ControllerContext } from "../context.js";
import { Expectations } from "../expectations.js";
import { replySequence } from "../fencedSender.js";
import { createdAtMs, isActive } from "../pods.js";
import { DEFAULT_PLUGINS, feasibleNodesToFind, schedule } from "./decide.js";
import type { SchedulerPlugins, Snapshot } from "./plugins.js";
import { buildSnapshot, withPod } from "./snapshot.js";

/** Tunables of the scheduler. */
export interface SchedulerOptions {
  plugins?: SchedulerPlugins;
  /** How long a bind the view does not show yet is still counted; default 5 min. */
  expectationTtlMs?: number;
  /** Binds in flight at once within a round; default 64 (1: one round trip per pod). */
  maxInFlight?: number;
}

type PodEntry = ViewEntry<Pod>;

/** Decisions between two turns of the event loop within a round. */
const YIELD_EVERY = 50;

/** The pods waiting for a node, oldest first (then by name, so the order is total). Pure. */
export function pendingPods(pods: readonly PodEntry[]): PodEntry[] {
  return pods
    .filter((p) => p.object.spec.nodeName === undefined && isActive(p.object))
    .sort((a, b) => createdAtMs(a.object) - createdAtMs(b.object) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** True when the pod already says exactly `message` as its Unschedulable condition (so sending it again is noise). Pure. */
export function alreadyMarked(pod: Pod, message: string): boolean {
  const c = pod.status.conditions?.find((x) => x.type === "PodScheduled");
  return c?.status === "False" && c.reason === "Unschedulable" && c.message === message;
}

/** Places pods. One instance per leadership term. */
export class SchedulerReconciler {
  private readonly expectations: Expectations;
  /** Binds sent and confirmed that the view may not show yet, by pod key. */
  private readonly assumed = new Map<string, Pod>();
  private readonly plugins: SchedulerPlugins;
  private readonly maxInFlight: number;
  private nextStart = 0;

  constructor(private readonly ctx: ControllerContext, options: SchedulerOptions = {}) {
    this.expectations = new Expectations(options.expectationTtlMs);
    this.plugins = options.plugins ?? DEFAULT_PLUGINS;
    this.maxInFlight = Math.max(1, options.maxInFlight ?? 64);
  }

  /** One round over all pending pods. */
  async reconcile(): Promise<void> {
    const { view } = this.ctx;
    this.expectations.settle(view.appliedSequence, this.ctx.now());
    for (const key of this.assumed.keys()) if (!this.expectations.has(key)) this.assumed.delete(key);
    const pods = view.list<Pod>("pods");
    const pending = pendingPods(pods).filter((p) => !this.assumed.has(keyOf(p)));
    if (pending.length === 0) return;
    const nodes = view.list<Node>("nodes").map((n) => n.object);
    const controllers = view.list<ReplicationController>("replicationcontrollers").map((e) => ({ namespace: e.namespace, selector: e.object.spec.selector }));
    const placed = pods.map((p) => this.assumed.get(keyOf(p)) ?? p.object);
    let snapshot = buildSnapshot(nodes, placed, controllers);
    // Decisions are made in order, each assuming the binds before it (as Kubernetes' scheduler assumes a pod
    // before binding it); the sends overlap, up to maxInFlight. A refused bind only leaves this round's snapshot
    // counting one pod too many on its node; the next round starts again from the view.
    const inFlight = new Set<Promise<unknown>>();
    let failure: { err: unknown } | null = null;
    let decided = 0;
    for (const pod of pending) {
      if (failure) break;
      // A long round must not starve the lease renewals and the NATS client of this process.
      if (++decided % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
      // Like Kubernetes, each decision starts where the previous one stopped looking, so large clusters are sampled evenly.
      const decision = schedule(pod.object, snapshot, this.plugins, this.nextStart);
      this.nextStart = (this.nextStart + feasibleNodesToFind(snapshot.nodes.length)) % Math.max(1, snapshot.nodes.length);
      const send = "unschedulable" in decision
        ? this.markUnschedulable(pod, decision.unschedulable)
        : this.bind(pod, decision.nodeName, snapshot);
      if (!("unschedulable" in decision)) snapshot = withPod(snapshot, pod.object, decision.nodeName);
      const tracked: Promise<unknown> = send.catch((err: unknown) => { failure ??= { err }; }).finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
      if (inFlight.size >= this.maxInFlight) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    if (failure) throw (failure as { err: unknown }).err;
  }

  private async bind(entry: PodEntry, nodeName: string, snapshot: Snapshot): Promise<boolean> {
    const key = keyOf(entry);
    const node = snapshot.nodes.find((n) => n.name === nodeName)?.node;
    const hostIP = node?.status.addresses?.find((a) => a.type === "InternalIP")?.address;
    this.expectations.expect(key, key, this.ctx.now());
    // The id names the pod's version: a new leader binding the same pod at the same version sends the same command.
    const reply = await this.ctx.sender.send({ resource: "pods", namespace: entry.namespace, name: entry.name }, {
      type: "BindPod", id: `sched:${entry.object.metadata.uid}:v${entry.version}:bind:${nodeName}`, expectedVersion: entry.version,
      data: hostIP === undefined ? { nodeName } : { nodeName, hostIP },
    });
    if (!reply.ok) {
      this.expectations.forget(key);
      this.ctx.logger.info({ pod: key, node: nodeName, status: reply.status }, "BindPod refused; retrying on the next change");
      return false;
    }
    this.expectations.confirm(key, replySequence(reply));
    this.assumed.set(key, { ...entry.object, spec: { ...entry.object.spec, nodeName } });
    return true;
  }

  private async markUnschedulable(entry: PodEntry, message: string): Promise<void> {
    if (alreadyMarked(entry.object, message)) return;
    const reply = await this.ctx.sender.send({ resource: "pods", namespace: entry.namespace, name: entry.name }, {
      type: "MarkPodUnschedulable", expectedVersion: entry.version, data: { message },
    });
    if (!reply.ok) this.ctx.logger.info({ pod: keyOf(entry), status: reply.status }, "MarkPodUnschedulable refused");
  }
}

function keyOf(entry: PodEntry): string {
  return `${entry.namespace}/${entry.name}`;
}
