/**
 * The actor host's own small index of namespaces (their phase) and of the names, per namespace, of the kinds that
 * ask for it in their registration (`ActorKind.namesPerNamespace`: the resource quotas, the limit ranges, the priority
 * classes marked `globalDefault`), folded from the events of
 * COX_EVENTS (never from the read model). Each subject filter (the namespaces', and one per such kind) is replayed
 * at start and then followed by an ordered consumer that stays live and is recreated after a NATS restart from the
 * last sequence it applied. Before an admission decision the host fences the index: it asks the stream for the last
 * event on the namespace's subjects and waits until the index has applied it, so a namespace (or a quota) created a
 * moment ago on another host is never missed. Fences on one subject share their reads of the stream (SharedRead):
 * a burst of creates in one namespace asks the server once per round trip, not once per create.
 * The names of a kind (the quotas) are fenced as Kubernetes' quota admission looks them up: when the index knows
 * some in the namespace it uses them; when it knows none it asks the stream, and trusts a "none" for 30 s (its
 * live-lookup TTL). The stream's last event under a wildcard (`<kind>.<ns>.*`) is a scan of every subject the
 * stream holds on nats-server 2.9, so asking it for every pod create made each create cost more as the cluster
 * grew (0.8 ms of server CPU at 10,000 pods).
 */
import { CLUSTER_NS, type Resource } from "../api/kinds.js";
import { PROTECTED_NAMESPACES, type NamespacePhase } from "../api/namespace.js";
import { StatusError } from "../api/status.js";
import type { EventEnvelope } from "../events/envelope.js";
import type { EventStore } from "../events/eventStore.js";
import { EventTail } from "../events/eventTail.js";
import { SharedReads } from "../events/sharedRead.js";
import { eventFilter } from "../events/subjects.js";
import type { Logger } from "../log.js";

/** How long a fence waits for the live consumers before answering Unavailable. */
const FENCE_TIMEOUT_MS = 5_000;
/** How long a fence that found no names of a kind in a namespace is trusted (Kubernetes' quota liveTTL). */
export const NONE_FOUND_TTL_MS = 30_000;
const NAMESPACES = "namespaces";

/** The kinds whose names the index keeps per namespace, by resource. */
export type NamedKinds = Partial<Readonly<Record<Resource, NamesPerNamespace>>>;

/** A kind whose names the index keeps per namespace: the event types that add and remove one. */
export interface NamesPerNamespace {
  added: string;
  removed: string;
  /**
   * Only the objects whose events say they hold (a PriorityClass marked `globalDefault`): `holds` reads the data of
   * the adding event and of `changed` (an update), which adds or removes the name.
   */
  only?: { changed: string; holds: (data: unknown) => boolean };
}

/** What to fence: the namespace itself, and the names of these kinds in it. */
export interface FenceOn {
  namespace: boolean;
  names: readonly Resource[];
}

/** Namespace phases and, per namespace, the names of the kinds registered for it, kept current from the event stream. */
export class NamespaceIndex {
  private readonly phases = new Map<string, NamespacePhase>();
  /** resource → namespace → names. */
  private readonly names = new Map<Resource, Map<string, Set<string>>>();
  /** event type → the resource it adds a name of (`true`, when its data `holds`) or removes one of (`false`). */
  private readonly folds = new Map<string, { resource: Resource; add: boolean; holds?: ((data: unknown) => boolean) | undefined }>();
  private readonly followers = new Map<Resource, EventTail>();
  /** The last sequence on a subject, read once for all the fences that wait on it at the time. */
  private readonly lastOn: SharedReads<number>;
  /** Subject of a kind's names in a namespace → when a fence on it began that then found none. */
  private readonly noneFoundAt = new Map<string, number>();

  private constructor(private readonly store: EventStore, logger: Logger, named: NamedKinds, private readonly now: () => number) {
    this.lastOn = new SharedReads((subject) => store.lastSequenceOn(subject));
    const follow = (resource: Resource) => new EventTail(store, eventFilter(store.prefix, resource), (t) => { if (t.event) this.apply(t.event); }, logger);
    this.followers.set(NAMESPACES, follow(NAMESPACES));
    for (const [resource, events] of Object.entries(named) as [Resource, NamesPerNamespace][]) {
      this.names.set(resource, new Map());
      this.folds.set(events.added, { resource, add: true, holds: events.only?.holds });
      this.folds.set(events.removed, { resource, add: false });
      if (events.only) this.folds.set(events.only.changed, { resource, add: true, holds: events.only.holds });
      this.followers.set(resource, follow(resource));
    }
  }

  /** Replays the namespace events and those of the `named` kinds, resolving once all are caught up (the consumers stay live). */
  static async start(store: EventStore, logger: Logger, named: NamedKinds = {}, now: () => number = Date.now): Promise<NamespaceIndex> {
    const index = new NamespaceIndex(store, logger, named, now);
    try {
      await Promise.all([...index.followers.values()].map(async (f) => {
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

  /** The names of the `resource` objects in namespace `ns`, sorted (none for a kind the index does not keep). */
  namesIn(resource: Resource, ns: string): string[] {
    return [...(this.names.get(resource)?.get(ns) ?? [])].sort();
  }

  /**
   * Waits until the index has applied the latest event of namespace `ns`, and knows the objects of `what.names` in
   * it (those it knows, or none found by a fence less than NONE_FOUND_TTL_MS ago).
   */
  async fence(ns: string, what: FenceOn): Promise<void> {
    const prefix = this.store.prefix;
    const waits: Promise<void>[] = [];
    if (what.namespace) waits.push(this.fenceOn(NAMESPACES, `${prefix}.ev.${NAMESPACES}.${CLUSTER_NS}.${ns}`));
    for (const resource of what.names) waits.push(this.fenceNames(resource, ns, `${prefix}.ev.${resource}.${ns}.*`));
    await Promise.all(waits);
  }

  /** Stops following. */
  stop(): void {
    for (const f of this.followers.values()) f.stop();
  }

  /** Folds one event of a followed kind into the index. */
  private apply(event: EventEnvelope): void {
    switch (event.type) {
      case "NamespaceCreated": this.phases.set(event.name, "Active"); return;
      case "NamespaceTerminating": this.phases.set(event.name, "Terminating"); return;
      case "NamespaceDeleted": this.phases.delete(event.name); return;
      default: break;
    }
    const fold = this.folds.get(event.type);
    if (!fold) return; // updates and reservations do not change what the index knows
    const set = this.nameSet(fold.resource, event.namespace);
    if (fold.add && (fold.holds?.(event.data) ?? true)) set.add(event.name);
    else set.delete(event.name);
  }

  private nameSet(resource: Resource, ns: string): Set<string> {
    const byNs = this.names.get(resource)!;
    let set = byNs.get(ns);
    if (!set) byNs.set(ns, (set = new Set()));
    return set;
  }

  private async fenceNames(resource: Resource, ns: string, subject: string): Promise<void> {
    if (this.names.get(resource)?.get(ns)?.size) return;
    const began = this.now();
    if (began - (this.noneFoundAt.get(subject) ?? -Infinity) < NONE_FOUND_TTL_MS) return;
    await this.fenceOn(resource, subject);
    if (this.names.get(resource)?.get(ns)?.size) this.noneFoundAt.delete(subject);
    else this.noneFoundAt.set(subject, began);
  }

  private async fenceOn(resource: Resource, subject: string): Promise<void> {
    const follower = this.followers.get(resource);
    if (!follower) throw new StatusError("Internal", `the actor host's namespace index does not follow ${resource}`);
    if (!(await follower.waitFor(await this.lastOn.get(subject), FENCE_TIMEOUT_MS))) {
      throw new StatusError("Unavailable", `the actor host's namespace index did not catch up with ${subject} within ${FENCE_TIMEOUT_MS} ms`);
    }
  }
}
