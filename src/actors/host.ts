/**
 * The actor host: takes commands from `<prefix>.cmd.>` in the queue group `cox-actors`, runs them one at a
 * time per entity on the entity's actor, appends the events with optimistic concurrency and replies.
 * Entities are rehydrated on demand (snapshot + events) and passivated when idle.
 */
import { randomUUID } from "node:crypto";
import { type Msg, type MsgHdrs, type NatsConnection, type Subscription } from "@nats-io/transport-node";
import { RESOURCE_INFO, type EntityRef } from "../api/kinds.js";
import { failReply, type CommandReply } from "../api/reply.js";
import { StatusError, toStatusError } from "../api/status.js";
import { DEFAULT_MAX_BODY_BYTES } from "../api/commandBody.js";
import { rfc3339Seconds, type EventEnvelope, type StoredEvent } from "../events/envelope.js";
import { SupersededAppend, VersionConflict, type EventStore } from "../events/eventStore.js";
import { commandFilters, entityKey, rejectedSubject } from "../events/subjects.js";
import { createLogger, type Logger } from "../log.js";
import { respondSafely } from "../nats/respond.js";
import type { Command, RecordedEvent } from "./decider.js";
import { admitCommand, internalCommand, refFromCommandSubject, type AdmittedCommand } from "./door.js";
import { Entity } from "./entity.js";
import type { TimerDue } from "./entityMachine.js";
import { ACTOR_KINDS, type ActorKind } from "./registry.js";
import { Admission } from "./admission.js";
import { NamespaceIndex } from "./namespaceIndex.js";
import type { CommandOutcome, SnapshotStore } from "./snapshots.js";
import { KvClaimStore, type ClaimStore } from "./claims.js";
import { DEFAULT_SERVICE_CIDR } from "./kindAdmission.js";

/** Checks a fencing term; throws StaleTerm when it is older than the current lease's. */
export interface TermCheck {
  check(term: number): void;
  stop?(): void;
}

/** Options of the actor host. */
export interface ActorHostOptions {
  prefix: string;
  store: EventStore;
  snapshots: SnapshotStore | null;
  kinds?: Partial<Record<string, ActorKind>>;
  /** Most entities kept live; the least recently used idle ones are passivated beyond it. */
  maxLive?: number;
  /** An entity unused this long is passivated. */
  idleMs?: number;
  /** Write a snapshot after this many new events. */
  snapshotEvery?: number;
  /**
   * How long a command may keep losing races for its entity (catching up and deciding again each time) before
   * the host answers Conflict, as the Kubernetes apiserver's guaranteed update retries until its request ends:
   * another host with a queue for the same entity wins every race until its queue drains. Default 10 s.
   */
  conflictRetryMs?: number;
  maxBodyBytes?: number;
  fencing?: TermCheck;
  identity?: string;
  logger?: Logger;
  /** The clock (epoch ms). */
  now?: () => number;
  /** Cross-entity claims (service clusterIPs); default: the KV bucket COX_CLAIMS. */
  claims?: ClaimStore;
  /** The service range; default 127.96.0.0/12. */
  serviceCidr?: string;
  /** Replicas of the buckets the host creates; default 1. */
  replicas?: number;
}

interface Mailbox {
  tail: Promise<unknown>;
  pending: number;
}

/** Runs entity actors for commands arriving on NATS. */
export class ActorHost {
  private readonly entities = new Map<string, Entity>();
  private readonly mailboxes = new Map<string, Mailbox>();
  private readonly writes = new Set<Promise<void>>();
  private readonly deprecationWarned = new Map<string, number>();
  private subs: Subscription[] = [];
  private sweeper: NodeJS.Timeout | null = null;
  private readonly log: Logger;
  private readonly kinds: Partial<Record<string, ActorKind>>;
  private readonly now: () => number;
  private index: NamespaceIndex | null = null;
  private admission: Admission | null = null;

  constructor(private readonly nc: NatsConnection, private readonly opts: ActorHostOptions) {
    this.log = opts.logger ?? createLogger("actors");
    this.kinds = opts.kinds ?? ACTOR_KINDS;
    this.now = opts.now ?? Date.now;
  }

  /** Number of live (not passivated) entities. */
  get liveCount(): number {
    return this.entities.size;
  }

  /** Catches up the namespace index, subscribes to commands, wakes entities with pending timers, and starts the idle sweep. */
  async start(): Promise<void> {
    this.index = await NamespaceIndex.start(this.opts.store, this.log);
    const claims = this.opts.claims ?? await KvClaimStore.open(this.nc, { replicas: this.opts.replicas ?? 1 });
    this.admission = new Admission(this.index, (ref, type, data, id) => this.runInternal(ref, type, data, id), this.log,
      { claims, serviceCidr: this.opts.serviceCidr ?? DEFAULT_SERVICE_CIDR });
    this.subs = commandFilters(this.opts.prefix).map((filter) =>
      this.nc.subscribe(filter, {
        queue: "cox-actors",
        callback: (err, msg) => {
          if (err) this.log.error({ err }, "command subscription failed");
          else void this.onMessage(msg);
        },
      }),
    );
    const idleMs = this.opts.idleMs ?? 60_000;
    this.sweeper = setInterval(() => this.passivateIdle(idleMs), Math.max(250, idleMs / 2));
    this.sweeper.unref();
    await this.wakeTimers();
  }

  /** Stops taking commands, finishes the ones under way, snapshots and stops every live entity. */
  async stop(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    this.opts.fencing?.stop?.();
    await Promise.allSettled(this.subs.map((sub) => sub.drain()));
    await Promise.allSettled([...this.mailboxes.values()].map((m) => m.tail));
    for (const e of [...this.entities.values()]) this.passivate(e);
    await Promise.allSettled([...this.writes]);
    this.index?.stop();
  }

  /** Executes one raw command as if it arrived on `subject` (the NATS callback uses this too). */
  async execute(subject: string, payload: Uint8Array, hdrs?: MsgHdrs): Promise<CommandReply> {
    try {
      const cmd = admitCommand(this.opts.prefix, subject, payload, this.kinds, this.opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
      const actor = hdrs?.get("Cox-Actor") || "user";
      if (cmd.apiVersion === "v1beta1") this.warnDeprecated(actor);
      return await this.enqueue(cmd, { actor, correlationId: hdrs?.get("Cox-Correlation-Id") || "" });
    } catch (err) {
      const status = toStatusError(err);
      if (status.reason === "Internal") this.log.error({ err, subject }, "command failed");
      return failReply(status);
    }
  }

  /** v1beta1 is deprecated (docs/api-policy.md): one warning per sender and hour. */
  private warnDeprecated(actor: string): void {
    const last = this.deprecationWarned.get(actor) ?? -Infinity;
    if (this.now() - last < 3_600_000) return;
    this.deprecationWarned.set(actor, this.now());
    this.log.warn({ actor }, "apiVersion v1beta1 is deprecated; use v1 (see docs/api-policy.md)");
  }

  private async onMessage(msg: Msg): Promise<void> {
    this.log.debug({ subject: msg.subject }, "command taken");
    const reply = await this.execute(msg.subject, msg.data, msg.headers);
    this.log.debug({ subject: msg.subject, ok: reply.ok }, "command answered");
    if (msg.reply) {
      respondSafely(msg, reply, this.log);
    } else if (!reply.ok) {
      const ref = this.refOf(msg.subject);
      if (ref) this.nc.publish(rejectedSubject(this.opts.prefix, ref), JSON.stringify(reply.status));
    }
  }

  private refOf(subject: string): EntityRef | null {
    try {
      return refFromCommandSubject(this.opts.prefix, subject).ref;
    } catch {
      return null;
    }
  }

  /** Runs `cmd` after the commands already queued for the same entity. */
  private enqueue(cmd: AdmittedCommand, from: { actor: string; correlationId: string }): Promise<CommandReply> {
    const key = entityKey(cmd.ref);
    const box = this.mailboxes.get(key) ?? { tail: Promise.resolve(), pending: 0 };
    this.mailboxes.set(key, box);
    box.pending++;
    const run = box.tail.then(() => this.process(cmd, from));
    box.tail = run.catch(() => undefined).finally(() => {
      if (--box.pending === 0 && this.mailboxes.get(key) === box) this.mailboxes.delete(key);
    });
    return run;
  }

  private async process(cmd: AdmittedCommand, from: { actor: string; correlationId: string }): Promise<CommandReply> {
    this.checkTerm(cmd);
    const entity = await this.entityFor(cmd.ref, cmd.kind);
    entity.lastUsed = this.now();
    await this.checkNodeScope(cmd, entity);
    const nowMs = this.now();
    const id = cmd.id ?? `h-${randomUUID()}`;
    const command: Command = {
      type: cmd.type,
      data: cmd.data,
      meta: {
        id, time: rfc3339Seconds(new Date(nowMs)), nowMs, uid: randomUUID(), apiVersion: cmd.apiVersion,
        namespace: cmd.ref.namespace, name: cmd.ref.name, term: cmd.term, actor: from.actor, correlationId: from.correlationId || id,
      },
    };
    const run = () => this.decideAndAppend(cmd, command, entity, from.actor);
    return this.admission ? this.admission.around(cmd, command, entity, run) : run();
  }

  /** Decides on fresh state and appends with the entity's expected sequence, catching up and retrying on a conflict. */
  private async decideAndAppend(cmd: AdmittedCommand, command: Command, entity: Entity, actor: string): Promise<CommandReply> {
    const id = command.meta.id;
    const giveUpAt = Date.now() + (this.opts.conflictRetryMs ?? 10_000);
    let dedupeKey = id;
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0 && Date.now() > giveUpAt) throw new StatusError("Conflict", `${cmd.ref.resource} "${cmd.ref.name}" kept changing; try again`, { kind: cmd.ref.resource, name: cmd.ref.name });
      const known = entity.outcomeOf(id);
      if (known) return this.replyFromHistory(entity, known, cmd);
      if (cmd.expectedVersion !== undefined && cmd.expectedVersion !== entity.position.version) {
        if ((await entity.catchUp(this.opts.store)) > 0) continue;
        throw new StatusError("Conflict", `${cmd.ref.resource} "${cmd.ref.name}" is at version ${entity.position.version}, not ${cmd.expectedVersion}`, {
          kind: cmd.ref.resource, name: cmd.ref.name,
        });
      }
      const before = cmd.kind.decider.render(entity.state);
      let decided;
      try {
        decided = entity.decide(command);
      } catch (rejection) {
        // A rejection must rest on fresh state: another host may have changed the entity.
        if ((await entity.catchUp(this.opts.store)) > 0) continue;
        throw rejection;
      }
      if (decided.length === 0) return this.ok(entity, cmd, [], before);
      const uid = cmd.kind.decider.uidOf(entity.state) ?? command.meta.uid;
      const envelopes: EventEnvelope[] = decided.map((e, i) => ({
        type: e.type, kind: RESOURCE_INFO[cmd.ref.resource].kind, namespace: cmd.ref.namespace, name: cmd.ref.name,
        uid, version: entity.position.version + i + 1, time: command.meta.time, commandId: id,
        correlationId: command.meta.correlationId, actor, ...(cmd.term !== undefined ? { term: cmd.term } : {}),
        schemaVersion: 1, data: e.data,
      }));
      try {
        const r = await this.opts.store.append(cmd.ref, entity.position, envelopes, id, dedupeKey);
        if (r.duplicate) {
          await entity.catchUp(this.opts.store);
          continue;
        }
        const stored: StoredEvent[] = envelopes.map((event, i) => ({ event, sequence: r.sequences[i] ?? 0, subject: "" }));
        entity.commit(stored);
        this.afterCommit(entity);
        return this.ok(entity, cmd, decided.map((e) => e.type), before);
      } catch (err) {
        if (!(err instanceof VersionConflict) || Date.now() > giveUpAt) throw err;
        if (err instanceof SupersededAppend) {
          // another host's append of the same version got in first (nats-server#4320): ours counts for nothing
          this.log.warn({ ref: cmd.ref, id, version: entity.position.version + 1 }, "append superseded by a concurrent one; deciding again");
          dedupeKey = `${id}~${attempt + 1}`;
        }
        await entity.catchUp(this.opts.store);
      }
    }
  }

  /**
   * A node agent speaks only for its own node and the pods bound to it. A refusal is a decision too: one that
   * the cached pod would give is checked again on the pod's latest version (another host may have bound it).
   */
  private async checkNodeScope(cmd: AdmittedCommand, entity: Entity): Promise<void> {
    if (cmd.channel.role !== "node") return;
    const node = cmd.channel.node;
    const what = { kind: cmd.ref.resource, name: cmd.ref.name };
    if (cmd.ref.resource === "nodes") {
      if (cmd.ref.name !== node) throw new StatusError("Forbidden", `node ${node} may not act for node ${cmd.ref.name}`, what);
      return;
    }
    const boundHere = () => (cmd.kind.decider.render(entity.state) as { spec?: { nodeName?: string } } | null)?.spec?.nodeName === node;
    if (cmd.ref.resource === "pods" && (boundHere() || ((await entity.catchUp(this.opts.store)) > 0 && boundHere()))) return;
    throw new StatusError("Forbidden", `node ${node} may report only on pods bound to it; ${cmd.ref.resource}/${cmd.ref.name} is not`, what);
  }

  /** Commands only an elected controller sends must carry a term, and no term may be older than the lease's. */
  private checkTerm(cmd: AdmittedCommand): void {
    if (cmd.channel.role === "timer" || cmd.channel.role === "host") return; // the host's own commands, not a sender's claim
    const senders = cmd.kind.decider.commands[cmd.type]?.senders ?? [];
    if (cmd.term === undefined && senders.length > 0 && senders.every((s: string) => s === "controller")) {
      throw new StatusError("Forbidden", `${cmd.type} is sent only by an elected controller and must carry its term`, {
        kind: cmd.ref.resource, name: cmd.ref.name, causes: [{ field: "term", message: "Required" }],
      });
    }
    if (cmd.term !== undefined) this.opts.fencing?.check(cmd.term);
  }

  private ok(entity: Entity, cmd: AdmittedCommand, events: string[], before: Record<string, unknown> | null): CommandReply {
    const object = cmd.kind.decider.render(entity.state) ?? before;
    return {
      ok: true,
      object: object ? cmd.kind.codec.render(cmd.apiVersion, withResourceVersion(object, entity.position.sequence)) : null,
      version: entity.position.version,
      resourceVersion: String(entity.position.sequence),
      events,
    };
  }

  /** The reply a repeated command gets: the object as that command left it. */
  private async replyFromHistory(entity: Entity, outcome: CommandOutcome, cmd: AdmittedCommand): Promise<CommandReply> {
    const decider = cmd.kind.decider;
    let state = entity.state;
    if (outcome.version !== entity.position.version) {
      const history = await this.opts.store.readEntity(cmd.ref);
      state = decider.initialState;
      for (const { event, sequence } of history) {
        if (event.version > outcome.version) break;
        state = decider.evolve(state, { ...event, sequence } as RecordedEvent);
      }
    }
    const object = decider.render(state);
    return {
      ok: true,
      object: object ? cmd.kind.codec.render(cmd.apiVersion, withResourceVersion(object, outcome.sequence)) : null,
      version: outcome.version,
      resourceVersion: String(outcome.sequence),
      events: outcome.events,
    };
  }

  private async entityFor(ref: EntityRef, kind: ActorKind): Promise<Entity> {
    const key = entityKey(ref);
    const cached = this.entities.get(key);
    if (cached) {
      this.entities.delete(key);
      this.entities.set(key, cached);
      return cached;
    }
    const entity = await Entity.load(ref, kind, this.opts.store, this.opts.snapshots, (t) => this.onTimer(ref, kind, t));
    this.entities.set(key, entity);
    this.passivateOverflow();
    return entity;
  }

  private afterCommit(entity: Entity): void {
    const every = this.opts.snapshotEvery ?? 50;
    if (entity.position.version - entity.snapshotVersion >= every) this.saveSnapshot(entity);
    const at = entity.timer?.at ?? null;
    if (at !== entity.markedTimer) {
      entity.markedTimer = at;
      this.opts.snapshots?.markTimer(entity.ref, at).catch((err: unknown) => this.log.warn({ err }, "could not mark timer"));
    }
  }

  /** Writes a snapshot in the background; `stop` waits for the writes under way. */
  private saveSnapshot(entity: Entity): void {
    if (!this.opts.snapshots || entity.position.version === entity.snapshotVersion) return;
    entity.snapshotVersion = entity.position.version;
    const write = this.opts.snapshots
      .put(entity.ref, entity.toSnapshot())
      .catch((err: unknown) => this.log.warn({ err: String(err) }, "snapshot failed"))
      .finally(() => this.writes.delete(write));
    this.writes.add(write);
  }

  /** Runs a command the host sends itself (sender `host`, e.g. a quota reservation) through the entity's mailbox. */
  private runInternal(ref: EntityRef, type: string, data: unknown, id: string): Promise<CommandReply> {
    const kind = this.kinds[ref.resource];
    if (!kind) return Promise.reject(new StatusError("Internal", `no actor kind for ${ref.resource}`));
    return this.enqueue(internalCommand(ref, kind, { role: "host" }, { type, data }, id), { actor: "actor-host", correlationId: "" });
  }

  private onTimer(ref: EntityRef, kind: ActorKind, due: TimerDue): void {
    const entity = this.entities.get(entityKey(ref));
    const cmd = internalCommand(ref, kind, { role: "timer" }, due.timer.command, `timer-${entityKey(ref)}-${entity?.position.version ?? 0}`);
    this.enqueue(cmd, { actor: "actor-host/timer", correlationId: "" }).then(
      (r) => { if (!r.ok) this.log.warn({ status: r.status, ref }, "timer command refused"); },
      (err: unknown) => this.log.warn({ err, ref }, "timer command failed"),
    );
  }

  private async wakeTimers(): Promise<void> {
    const keys = (await this.opts.snapshots?.pendingTimers().catch(() => [])) ?? [];
    for (const key of keys) {
      const [resource, namespace, name] = key.split(".");
      const kind = resource ? this.kinds[resource] : undefined;
      if (!kind || !namespace || !name) continue;
      const ref = { resource: kind.decider.resource, namespace, name };
      void this.enqueueLoad(ref, kind);
    }
  }

  private enqueueLoad(ref: EntityRef, kind: ActorKind): Promise<unknown> {
    const key = entityKey(ref);
    const box = this.mailboxes.get(key) ?? { tail: Promise.resolve(), pending: 0 };
    this.mailboxes.set(key, box);
    box.pending++;
    box.tail = box.tail.then(() => this.entityFor(ref, kind)).catch(() => undefined).finally(() => {
      if (--box.pending === 0 && this.mailboxes.get(key) === box) this.mailboxes.delete(key);
    });
    return box.tail;
  }

  private passivateOverflow(): void {
    const max = this.opts.maxLive ?? 10_000;
    if (this.entities.size <= max) return;
    for (const entity of this.entities.values()) {
      if (this.entities.size <= max) break;
      if (this.evictable(entity)) this.passivate(entity);
    }
  }

  private passivateIdle(idleMs: number): void {
    const cutoff = this.now() - idleMs;
    for (const entity of this.entities.values()) {
      if (entity.lastUsed < cutoff && this.evictable(entity)) this.passivate(entity);
    }
  }

  private evictable(entity: Entity): boolean {
    return !this.mailboxes.has(entityKey(entity.ref)) && entity.timer === null;
  }

  private passivate(entity: Entity): void {
    this.entities.delete(entityKey(entity.ref));
    entity.stop();
    this.saveSnapshot(entity);
  }
}

function withResourceVersion(object: Record<string, unknown>, sequence: number): Record<string, unknown> {
  const metadata = (object.metadata ?? {}) as Record<string, unknown>;
  return { ...object, metadata: { ...metadata, resourceVersion: String(sequence) } };
}
