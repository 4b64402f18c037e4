/**
 * What the controllers of workloads that own pods directly (Jobs, DaemonSets, StatefulSets) share: the process's index
 * of the pods their kind controls (controlledPods.ts), expectations of the creates and deletes they sent (so a view
 * that lags them is not counted from), wall-clock deadlines that wake a key, and the writes themselves: each pod's
 * create or delete sent as an expectation, and the status recorded when it changed. No I/O but through the sender.
 */
import { sameValue } from "../actors/decisions.js";
import { RESOURCE_INFO, type EntityRef, type Resource } from "../api/kinds.js";
import { untypedCommand } from "../nats/commandClient.js";
import type { ViewChange } from "../projections/clusterView.js";
import type { ControlledPods, PodOwnerKey } from "./controlledPods.js";
import type { ControllerContext } from "./context.js";
import { Deadlines } from "./deadlines.js";
import { Expectations } from "./expectations.js";
import type { FiledIndex } from "./filedIndex.js";
import type { KeyedController } from "./keyedLoop.js";

const podRef = (namespace: string, name: string): EntityRef => ({ resource: "pods", namespace, name });

/** A pod to create: its name and the CreatePod data. */
export interface PodCreate {
  name: string;
  data: Record<string, unknown>;
}

/** The base of a controller keyed by `<namespace>/<name>` of an owner of `resource`, which owns pods directly. */
export abstract class PodOwnerController implements KeyedController {
  protected readonly expectations = new Expectations();
  protected readonly deadlines: Deadlines;
  private readonly kind: string;

  constructor(
    protected readonly ctx: ControllerContext,
    protected readonly pods: FiledIndex<ControlledPods, PodOwnerKey[]>,
    private readonly resource: Resource,
    protected readonly wallTime: () => number = Date.now,
  ) {
    this.deadlines = new Deadlines(ctx.now);
    this.kind = RESOURCE_INFO[resource].kind;
  }

  /** The keys whose wall-clock time came. */
  watch(add: (key: string) => void): () => void {
    return this.deadlines.fire(add);
  }

  /** The owner's own change, or a change of a pod it controls (also when the pod goes). */
  keysOf(change: ViewChange): string[] {
    if (change.resource === this.resource) return [`${change.namespace}/${change.name}`];
    return this.pods.file(change).filter((o) => o.kind === this.kind).map((o) => o.key);
  }

  abstract allKeys(): string[];
  abstract sync(key: string): Promise<void>;

  /** Forgets expectations the view has caught up with; true while some of `uid`'s are still outstanding. */
  protected awaitingView(uid: string): boolean {
    this.expectations.settle(this.ctx.view.appliedSequence, this.ctx.now());
    return this.expectations.keysOf(uid).length > 0;
  }

  /**
   * Sends the creates and deletes of owner `uid`'s pods in `namespace`, each as an expectation; returns what was
   * refused (a name taken is a create already made, a pod gone a delete already done: neither is a refusal).
   */
  protected async writePods(uid: string, namespace: string, creates: readonly PodCreate[], deletes: readonly string[]): Promise<string[]> {
    const problems: string[] = [];
    const send = (name: string, command: { type: string; data: Record<string, unknown> }) =>
      this.expectations.sending(uid, `${namespace}/${name}`, this.ctx.now(), () => this.ctx.sender.send(podRef(namespace, name), untypedCommand(command)));
    for (const { name, data } of creates) {
      const reply = await send(name, { type: "CreatePod", data });
      if (!reply.ok && reply.status.reason !== "AlreadyExists") problems.push(`CreatePod ${name}: ${reply.status.message}`);
    }
    for (const name of deletes) {
      const reply = await send(name, { type: "DeletePod", data: {} });
      if (!reply.ok && reply.status.reason !== "NotFound") problems.push(`DeletePod ${name}: ${reply.status.message}`);
    }
    return problems;
  }

  /** Records `status` with `type` on the owner unless it is `current` already; returns what was refused. */
  protected async recordStatus(namespace: string, name: string, type: string, current: unknown, status: object): Promise<string[]> {
    if (sameValue(current, status)) return [];
    const reply = await this.ctx.sender.send({ resource: this.resource, namespace, name }, untypedCommand({ type, data: status }));
    return reply.ok ? [] : [`${type}: ${reply.status.message}`];
  }
}
