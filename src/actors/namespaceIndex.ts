/**
 * The actor host's own small index of namespaces (their phase) and of the quotas in each, folded from the
 * namespace and quota events of COX_EVENTS (never from the read model). Each of the two subject filters is
 * replayed at start and then followed by an ordered consumer that stays live and is recreated after a NATS
 * restart from the last sequence it applied. Before an admission decision the host fences the index: it asks
 * the stream for the last event on the namespace's subjects and waits until the index has applied it, so a
 * namespace or quota created a moment ago on another host is never missed.
 */
import { DeliverPolicy, type ConsumerMessages } from "@nats-io/jetstream";
import { CLUSTER_NS } from "../api/kinds.js";
import { StatusError } from "../api/status.js";
import { EventEnvelope } from "../events/envelope.js";
import type { EventStore } from "../events/eventStore.js";
import { eventFilter } from "../events/subjects.js";
import { upcast } from "../events/upcast.js";
import type { Logger } from "../log.js";
import { PROTECTED_NAMESPACES } from "./namespace/decider.js";

/** A namespace's phase as the index knows it. */
export type NamespacePhase = "Active" | "Terminating";

/** How long a fence waits for the live consumers before answering Unavailable. */
const FENCE_TIMEOUT_MS = 5_000;

/** Namespace phases and quota names, kept current from the event stream. */
export class NamespaceIndex {
  private readonly phases = new Map<string, NamespacePhase>();
  private readonly quotas = new Map<string, Set<string>>();
  private readonly followers: { namespaces: Follower; quotas: Follower };

  private constructor(private readonly store: EventStore, logger: Logger) {
    const js = store.js;
    const follow = (filter: string) => new Follower(js, store.stream, filter, (e) => this.apply(e), logger);
    this.followers = { namespaces: follow(eventFilter(store.prefix, "namespaces")), quotas: follow(eventFilter(store.prefix, "resourcequotas")) };
  }

  /** Replays the namespace and quota events and resolves once both are caught up (the consumers stay live). */
  static async start(store: EventStore, logger: Logger): Promise<NamespaceIndex> {
    const index = new NamespaceIndex(store, logger);
    try {
      await Promise.all(Object.values(index.followers).map(async (f) => {
        if (!(await f.waitFor(await index.lastSequence(f.filter), 60_000))) throw new StatusError("Unavailable", `could not replay ${f.filter}`);
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

  private async fenceOn(follower: Follower, subject: string): Promise<void> {
    if (!(await follower.waitFor(await this.lastSequence(subject), FENCE_TIMEOUT_MS))) {
      throw new StatusError("Unavailable", `the actor host's namespace index did not catch up with ${subject} within ${FENCE_TIMEOUT_MS} ms`);
    }
  }

  /** The stream sequence of the last event on `subject` (wildcards allowed), 0 when there is none. */
  private async lastSequence(subject: string): Promise<number> {
    try {
      return (await this.store.jsm.direct.getMessage(this.store.stream, { last_by_subj: subject }))?.seq ?? 0;
    } catch (err) {
      throw new StatusError("Unavailable", `event store unavailable: ${(err as Error).message}`, {}, { cause: err });
    }
  }
}

/** An ordered consumer on one subject filter that stays live and resumes after the last sequence it applied. */
class Follower {
  applied = 0;
  private stopped = false;
  private messages: ConsumerMessages | null = null;
  private readonly waiters = new Set<{ sequence: number; resolve: (ok: boolean) => void }>();

  constructor(
    private readonly js: EventStore["js"], private readonly stream: string, readonly filter: string,
    private readonly onEvent: (e: EventEnvelope) => void, private readonly log: Logger,
  ) {
    void this.follow();
  }

  /** Resolves true once `sequence` is applied, false after `timeoutMs`. */
  waitFor(sequence: number, timeoutMs: number): Promise<boolean> {
    if (this.applied >= sequence) return Promise.resolve(true);
    return new Promise((resolve) => {
      const w = { sequence, resolve: (ok: boolean) => { clearTimeout(t); this.waiters.delete(w); resolve(ok); } };
      const t = setTimeout(() => w.resolve(false), timeoutMs);
      this.waiters.add(w);
    });
  }

  stop(): void {
    this.stopped = true;
    this.messages?.stop();
    for (const w of [...this.waiters]) w.resolve(false);
  }

  private async follow(): Promise<void> {
    let backoff = 100;
    while (!this.stopped) {
      try {
        const consumer = await this.js.consumers.get(this.stream, {
          filter_subjects: this.filter, deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: this.applied + 1,
        });
        // Short pull expiry: after the client re-creates an ordered consumer (a server restart) it may ask for a
        // short batch and wait for the pull to expire before asking again; 1 s bounds that stall.
        this.messages = await consumer.consume({ max_messages: 512, expires: 1_000 });
        if (this.stopped) this.messages.stop();
        for await (const m of this.messages) {
          this.apply(m.seq, m.data);
          backoff = 100;
        }
      } catch (err) {
        if (!this.stopped) this.log.warn({ err: String(err), filter: this.filter, at: this.applied }, "namespace index consumer failed; recreating it");
      }
      if (!this.stopped) await new Promise((r) => setTimeout(r, backoff));
      backoff = Math.min(backoff * 2, 2_000);
    }
  }

  private apply(sequence: number, data: Uint8Array): void {
    if (sequence <= this.applied) return;
    try {
      this.onEvent(upcast(EventEnvelope.parse(JSON.parse(new TextDecoder().decode(data)))));
    } catch (err) {
      this.log.error({ err: String(err), sequence, filter: this.filter }, "unreadable event skipped by the namespace index");
    }
    this.applied = sequence;
    for (const w of this.waiters) if (w.sequence <= sequence) w.resolve(true);
  }
}
