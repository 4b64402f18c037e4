/**
 * The actor host's own small index of namespaces (their phase) and of the quotas in each, folded from the
 * namespace and quota events of COX_EVENTS (never from the read model). Each of the two subject filters is
 * replayed at start and then followed by an ordered consumer that stays live and is recreated after a NATS
 * restart from the last sequence it applied. Before an admission decision the host fences the index: it asks
 * the stream for the last event on the namespace's subjects and waits until the index has applied it, so a
 * namespace or quota created a moment ago on another host is never missed.
 */
import { CLUSTER_NS } from "../api/kinds.js";
import type { NamespacePhase } from "../api/namespace.js";
import { StatusError } from "../api/status.js";
import type { EventEnvelope } from "../events/envelope.js";
import type { EventStore } from "../events/eventStore.js";
import { EventTail } from "../events/eventTail.js";
import { eventFilter } from "../events/subjects.js";
import type { Logger } from "../log.js";
import { PROTECTED_NAMESPACES } from "./namespace/decider.js";

/** How long a fence waits for the live consumers before answering Unavailable. */
const FENCE_TIMEOUT_MS = 5_000;

/** Namespace phases and quota names, kept current from the event stream. */
export class NamespaceIndex {
  private readonly phases = new Map<string, NamespacePhase>();
  private readonly quotas = new Map<string, Set<string>>();
  private readonly followers: { namespaces: EventTail; quotas: EventTail };

  private constructor(private readonly store: EventStore, logger: Logger) {
    const follow = (filter: string) => new EventTail(store, filter, (t) => { if (t.event) this.apply(t.event); }, logger);
    this.followers = { namespaces: follow(eventFilter(store.prefix, "namespaces")), quotas: follow(eventFilter(store.prefix, "resourcequotas")) };
  }

  /** Replays the namespace and quota events and resolves once both are caught up (the consumers stay live). */
  static async start(store: EventStore, logger: Logger): Promise<NamespaceIndex> {
    const index = new NamespaceIndex(store, logger);
    try {
      await Promise.all(Object.values(index.followers).map(async (f) => {
        if (!(await f.waitFor(await store.lastSequenceOn(f.filter), 60_000))) throw new StatusError("Unavailable", `could not replay ${f.filter}`);
      }));
    } catch (err) {
      index.stop();
      throw err;
    }
    return index;
  }

  /** The phase of namespace `ns`, or undefined when it does not exist. `default` always exists. */
  phaseOf(ns: string): NamespacePhase | undefined {
    return this.phases.get(ns) ?? (PROTECTED_NAMESPACES.includes(ns) ? "Active" : undefined);
  }

  /** The names of the quotas in namespace `ns`, sorted. */
  quotasIn(ns: string): string[] {
    return [...(this.quotas.get(ns) ?? [])].sort();
  }

  /** Waits until the index has applied the latest event of namespace `ns` (and, with `quotas`, of its quotas). */
  async fence(ns: string, what: { namespace: boolean; quotas: boolean }): Promise<void> {
    const prefix = this.store.prefix;
    const waits: Promise<void>[] = [];
    if (what.namespace) waits.push(this.fenceOn(this.followers.namespaces, `${prefix}.ev.namespaces.${CLUSTER_NS}.${ns}`));
    if (what.quotas) waits.push(this.fenceOn(this.followers.quotas, `${prefix}.ev.resourcequotas.${ns}.*`));
    await Promise.all(waits);
  }

  /** Stops following. */
  stop(): void {
    for (const f of Object.values(this.followers)) f.stop();
  }

  /** Folds one namespace or quota event into the index. */
  private apply(event: EventEnvelope): void {
    switch (event.type) {
      case "NamespaceCreated": this.phases.set(event.name, "Active"); break;
      case "NamespaceTerminating": this.phases.set(event.name, "Terminating"); break;
      case "NamespaceDeleted": this.phases.delete(event.name); break;
      case "ResourceQuotaCreated": this.quotaSet(event.namespace).add(event.name); break;
      case "ResourceQuotaDeleted": this.quotaSet(event.namespace).delete(event.name); break;
      default: break; // updates and reservations do not change what the index knows
    }
  }

  private quotaSet(ns: string): Set<string> {
    let set = this.quotas.get(ns);
    if (!set) this.quotas.set(ns, (set = new Set()));
    return set;
  }

  private async fenceOn(follower: EventTail, subject: string): Promise<void> {
    if (!(await follower.waitFor(await this.store.lastSequenceOn(subject), FENCE_TIMEOUT_MS))) {
      throw new StatusError("Unavailable", `the actor host's namespace index did not catch up with ${subject} within ${FENCE_TIMEOUT_MS} ms`);
    }
  }

}
