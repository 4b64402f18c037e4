/**
 * The actor host: takes commands from `<prefix>.cmd.>` in the queue group `cox-actors` and wires the parts that
 * run them. The door parses (door.ts) and decides who may send what (authorization.ts); admission checks what
 * spans entities (admission.ts, and each kind's own rules); each entity's mailbox (mailboxes.ts) runs its
 * commands one at a time on the entity from the cache (entityCache.ts), which rehydrates and passivates; the
 * decision is appended with optimistic concurrency (appendDecision.ts); snapshots (snapshotWriter.ts) and timers
 * (entityTimers.ts) follow each commit.
 */
import { type Msg, type MsgHdrs, type NatsConnection, type Subscription } from "@nats-io/transport-node";
import type { EntityRef } from "../api/kinds.js";
import type { CommandBodyOf, KindName, KindRef } from "./kindCommands.js";
import { failReply, REPLY_HEADER, STATUS_ONLY, TIMEOUT_HEADER, type CommandReply } from "../api/reply.js";
import { StatusError, toStatusError } from "../api/status.js";
import { DEFAULT_MAX_BODY_BYTES } from "../api/commandBody.js";
import type { EventStore } from "../events/eventStore.js";
import { commandFilters, entityKey, rejectedSubject, type CommandChannel } from "../events/subjects.js";
import { createLogger, type Logger } from "../log.js";
import { respondSafely } from "../nats/respond.js";
import { batchTree, parseBatch, type BatchItem } from "./batch.js";
import { admitCommand, admitParsed, commandFor, deadlineOf, internalCommand, lateRefusal, refFromCommandSubject, type AdmittedCommand, type CommandOrigin } from "./door.js";
import { PriorityLevels } from "./priorityLevels.js";
import { checkNodeScope, checkTerm, type TermCheck } from "./authorization.js";
import { Entity } from "./entity.js";
import type { TimerDue } from "./lifecycle.js";
import { EntityCache } from "./entityCache.js";
import { EntityTimers } from "./entityTimers.js";
import { Mailboxes } from "./mailboxes.js";
import { SnapshotWriter } from "./snapshotWriter.js";
import { appendDecision, type AppendDecisionOptions } from "./appendDecision.js";
import { ACTOR_KINDS, type ActorKind } from "./registry.js";
import { Admission } from "./admission.js";
import { NamespaceIndex } from "./namespaceIndex.js";
import type { SnapshotStore } from "./snapshots.js";
import { KvClaimStore, type ClaimStore } from "./claims.js";
import { startHostServices } from "./kindAdmission.js";

export type { TermCheck } from "./authorization.js";

/** How long an entity is unused before it rests (Entity.rest). */
const DEFAULT_REST_AFTER_MS = 1_000;
/** Most live entities (resting ones included) before the least recently used are passivated. */
const DEFAULT_MAX_LIVE = 200_000;

/** Options of the actor host. */
export interface ActorHostOptions {
  prefix: string;
  store: EventStore;
  snapshots: SnapshotStore | null;
  kinds?: Partial<Record<string, ActorKind>>;
  /**
   * Most entities kept live (default 200,000); the least recently used idle ones are passivated beyond it. An idle
   * entity rests at ~2 KB, so the default holds ~400 MB at most; below it, a cluster's pods are not reloaded from the
   * stream at every command (at 10,000 it was: past 30,000 pods, two to four direct gets per command).
   */
  maxLive?: number;
  /** An entity unused this long is passivated. */
  idleMs?: number;
  /** An entity unused this long rests: its actor stops, its state stays (0: never). Default 1 s. */
  restAfterMs?: number;
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
  /** Replicas of the buckets the host creates; default 1. */
  replicas?: number;
  /**
   * How many commands from NATS run at once per sender role (`user`, `controller`, `node`); the rest wait in their
   * role's queue (priorityLevels.ts). Default: `DEFAULT_CONCURRENCY`.
   */
  concurrency?: Partial<Record<CommandChannel["role"], number>>;
  /**
   * How many commands the controllers' and node agents' levels run at once while users' commands keep coming (one
   * running, or one ended within the last `windowMs`, default `YIELD_WINDOW_MS`); they take their full `concurrency`
   * again once users are quiet. Default seats: `DEFAULT_YIELDING`; `false`: they never yield.
   */
  yielding?: { seats?: Partial<Record<"controller" | "node", number>>; windowMs?: number } | false;
}

/**
 * Commands run at once per sender role: enough to keep the appends pipelined, few enough that a user's waits little.
 * A user's command holds its seat for the round trip of its append, which a scale-up on a busy host stretches: 32
 * seats serve at most 1,000 commands a second once each takes over 32 ms, and the level's queue then grows (3b p99
 * 331–682 ms on a slow hour; 181–314 ms with 128 seats, 310–441 with 64, the scale-up beside it within the noise:
 * docs/benchmarks.md).
 */
export const DEFAULT_CONCURRENCY: Readonly<Record<CommandChannel["role"], number>> = { user: 128, controller: 16, node: 16 };

/**
 * The seats the scale-up's levels keep while users' commands come: scratch pairs of figure 3b in one hour (1,000 user
 * commands a second beside a 10,000-pod scale-up) put 2 seats between 1 and 4, trading a slower scale-up beside the
 * users for their lower latency; the figures are in docs/benchmarks.md (2026-12-08). A scale-up with no user beside
 * it is not slowed.
 */
export const DEFAULT_YIELDING: Readonly<Record<"controller" | "node", number>> = { controller: 2, node: 2 };
/** How long after a user's command the scale-up's levels still yield. */
export const YIELD_WINDOW_MS = 100;

/** Runs entity actors for commands arriving on NATS. */
export class ActorHost {
  private readonly mailboxes = new Mailboxes();
  private readonly levels: PriorityLevels;
  private readonly cache: EntityCache;
  private readonly snapshots: SnapshotWriter;
  private readonly timers: EntityTimers;
  private readonly appending: AppendDecisionOptions;
  private readonly deprecationWarned = new Map<string, number>();
  private readonly expired = new Map<string, number>();
  private subs: Subscription[] = [];
  private readonly log: Logger;
  private readonly kinds: Partial<Record<string, ActorKind>>;
  private readonly now: () => number;
  private index: NamespaceIndex | null = null;
  private admission: Admission | null = null;

  constructor(private readonly nc: NatsConnection, private readonly opts: ActorHostOptions) {
    this.log = opts.logger ?? createLogger("actors");
    this.kinds = opts.kinds ?? ACTOR_KINDS;
    this.now = opts.now ?? Date.now;
    const yielding = opts.yielding === false ? undefined
      : { to: "user", limits: { ...DEFAULT_YIELDING, ...opts.yielding?.seats }, windowMs: opts.yielding?.windowMs ?? YIELD_WINDOW_MS };
    this.levels = new PriorityLevels({ ...DEFAULT_CONCURRENCY, ...opts.concurrency }, DEFAULT_CONCURRENCY.user, yielding);
    for (const level of Object.keys(DEFAULT_CONCURRENCY)) this.expired.set(level, 0); // each level's count exists from the start
    this.snapshots = new SnapshotWriter(opts.snapshots, opts.snapshotEvery ?? 50, this.log);
    this.timers = new EntityTimers({
      store: opts.snapshots, kinds: this.kinds, log: this.log,
      send: (cmd, from) => this.enqueue(cmd, from),
      // A woken entity was marked: mark it again from its state (a mark left behind by an entity without events goes).
      wake: (ref, kind) => this.mailboxes.run(entityKey(ref), async () => {
        const entity = await this.cache.get(ref, kind);
        entity.markedTimer = undefined;
        this.timers.mark(entity);
      }).catch(() => undefined),
    });
    this.cache = new EntityCache({
      load: (ref, kind, assumeNew) => {
        const onTimer = (due: TimerDue) => this.timers.fire(ref, kind, due, this.cache.peek(ref)?.position.version ?? 0);
        return assumeNew ? Promise.resolve(Entity.assumedNew(ref, kind, onTimer)) : Entity.load(ref, kind, opts.store, opts.snapshots, onTimer, this.snapshots.worthFrom);
      },
      busy: (key) => this.mailboxes.busy(key),
      passivated: (entity) => this.snapshots.passivated(entity),
      maxLive: opts.maxLive ?? DEFAULT_MAX_LIVE,
      now: this.now,
    });
    this.appending = {
      store: opts.store, conflictRetryMs: opts.conflictRetryMs ?? 10_000, log: this.log,
      committed: (entity) => { this.snapshots.afterCommit(entity); this.timers.mark(entity); },
    };
  }

  /** Number of live (not passivated) entities. */
  get liveCount(): number {
    return this.cache.size;
  }

  /** Commands not run because their senders' `Cox-Timeout` passed while they waited, by sender role, since start. */
  get expiredCommands(): Readonly<Record<string, number>> {
    return Object.fromEntries(this.expired);
  }

  /** Throws (and counts) the Timeout of a command whose sender's `Cox-Timeout` has passed. */
  private refuseIfLate(cmd: AdmittedCommand, from: CommandOrigin): void {
    const late = lateRefusal(cmd, from, performance.now());
    if (!late) return;
    this.expired.set(cmd.channel.role, (this.expired.get(cmd.channel.role) ?? 0) + 1);
    throw late;
  }

  /** Commands running and waiting at each priority level (for metrics). */
  get commandLoad(): Record<string, { running: number; queued: number }> {
    return this.levels.load();
  }

  /** Number of live entities that rest (their actors stopped). Counts them all. */
  get restingCount(): number {
    return this.cache.resting;
  }

  /**
   * Catches up the namespace index (with the names the kinds ask it to keep), starts the kinds' host services,
   * subscribes to commands, wakes entities with pending timers, and starts the idle sweep.
   */
  async start(): Promise<void> {
    const kinds = Object.values(this.kinds).filter((k): k is ActorKind => k !== undefined);
    const named = Object.fromEntries(Object.entries(this.kinds).flatMap(([resource, k]) => (k?.namesPerNamespace ? [[resource, k.namesPerNamespace]] : [])));
    this.index = await NamespaceIndex.start(this.opts.store, this.log, named, () => this.now());
    const claims = this.opts.claims ?? await KvClaimStore.open(this.nc, { replicas: this.opts.replicas ?? 1 });
    const runInternal = <R extends KindName>(ref: KindRef<R>, command: CommandBodyOf<R>, id: string) => this.runInternal(ref, command, id);
    const service = startHostServices(kinds, { index: this.index, runInternal, claims, log: this.log });
    this.admission = new Admission(this.index, { claims, service });
    // One subscription per sender role, each feeding its priority level.
    this.subs = commandFilters(this.opts.prefix).map(({ filter, role }) =>
      this.nc.subscribe(filter, {
        queue: "cox-actors",
        callback: (err, msg) => {
          if (err) this.log.error({ err }, "command subscription failed");
          else {
            const tree = batchTree(this.opts.prefix, msg.subject);
            const arrived = performance.now(); // a sender's Cox-Timeout counts from here (monotonic), the wait for a seat included
            if (tree) void this.onBatch(msg, tree, role, arrived);
            else void this.levels.run(role, () => this.onMessage(msg, arrived));
          }
        },
      }),
    );
    this.cache.sweepEvery(this.opts.idleMs ?? 60_000);
    this.cache.restEvery(this.opts.restAfterMs ?? DEFAULT_REST_AFTER_MS);
    await this.timers.wakeMarked();
  }

  /** Stops taking commands, finishes the ones under way, snapshots and stops every live entity. */
  async stop(): Promise<void> {
    this.opts.fencing?.stop?.();
    await Promise.allSettled(this.subs.map((sub) => sub.drain()));
    await this.levels.idle();
    await this.mailboxes.drain();
    this.cache.passivateAll();
    await this.snapshots.flush();
    this.index?.stop();
  }

  /** Executes one raw command as if it arrived on `subject` at `arrivedMs`, `performance.now()`'s (the NATS callback uses this too). */
  execute(subject: string, payload: Uint8Array, hdrs?: MsgHdrs, arrivedMs = performance.now()): Promise<CommandReply> {
    return this.admitAndRun(subject, () => admitCommand(this.opts.prefix, subject, payload, this.kinds, this.opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES), commandHeaders(hdrs, arrivedMs));
  }

  /**
   * Admits a command (`admit` throws its refusal) and runs it; the reply either way. `headers`: its message's, read
   * once per message (a batch's serve all its commands); `actor`: in place of `Cox-Actor`.
   */
  private async admitAndRun(subject: string, admit: () => AdmittedCommand, headers: CommandHeaders, ownActor?: string): Promise<CommandReply> {
    try {
      const cmd = admit();
      const deadline = deadlineOf(headers.timeout, headers.arrivedMs);
      const actor = ownActor ?? headers.actor;
      if (headers.statusOnly) cmd.replyObject = false;
      if (cmd.apiVersion === "v1beta1") this.warnDeprecated(actor);
      const from = { actor, correlationId: headers.correlationId, deadline };
      this.refuseIfLate(cmd, from); // not into the entity's mailbox, holding its seat, when its sender has gone
      return await this.enqueue(cmd, from);
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

  /**
   * A batch (batch.ts): each of its commands takes a seat of the batch's level, in the flow of its command type,
   * and runs as if it came alone on its subject; the reply lists their replies in order. A batch that cannot be
   * read is refused whole.
   */
  private async onBatch(msg: Msg, tree: string, role: CommandChannel["role"], arrivedMs: number): Promise<void> {
    let items: BatchItem[];
    try {
      items = parseBatch(tree, msg.data);
    } catch (err) {
      if (msg.reply) respondSafely(msg, failReply(toStatusError(err)), this.log);
      else this.log.warn({ subject: msg.subject, err: (err as Error).message }, "batch refused");
      return;
    }
    const headers = commandHeaders(msg.headers, arrivedMs);
    const replies = await Promise.all(items.map(({ subject, body, actor }) =>
      this.levels.run(role, () => this.admitAndRun(subject, () => admitParsed(this.opts.prefix, subject, body, this.kinds), headers, actor), flowOf(body))));
    if (msg.reply) respondSafely(msg, { replies }, this.log);
    else replies.forEach((reply, i) => this.publishRejection(items[i]?.subject ?? "", reply));
  }

  private async onMessage(msg: Msg, arrivedMs: number): Promise<void> {
    this.log.debug({ subject: msg.subject }, "command taken");
    const reply = await this.execute(msg.subject, msg.data, msg.headers, arrivedMs);
    this.log.debug({ subject: msg.subject, ok: reply.ok }, "command answered");
    if (msg.reply) respondSafely(msg, reply, this.log);
    else this.publishRejection(msg.subject, reply);
  }

  /** A refusal of a command sent without a reply subject goes to `cox.rejected.<kind>.<ns>.<name>`. */
  private publishRejection(subject: string, reply: CommandReply): void {
    if (reply.ok) return;
    const ref = this.refOf(subject);
    if (ref) this.nc.publish(rejectedSubject(this.opts.prefix, ref), JSON.stringify(reply.status));
  }

  private refOf(subject: string): EntityRef | null {
    try {
      return refFromCommandSubject(this.opts.prefix, subject).ref;
    } catch {
      return null;
    }
  }

  /** Runs `cmd` after the commands already queued for the same entity. */
  private enqueue(cmd: AdmittedCommand, from: CommandOrigin): Promise<CommandReply> {
    return this.mailboxes.run(entityKey(cmd.ref), () => this.process(cmd, from));
  }

  private async process(cmd: AdmittedCommand, from: CommandOrigin): Promise<CommandReply> {
    this.refuseIfLate(cmd, from); // after its wait behind the entity's earlier commands
    checkTerm(cmd, this.opts.fencing);
    const entity = await this.cache.get(cmd.ref, cmd.kind, cmd.kind.decider.commands[cmd.type]?.assumeNew === true);
    await checkNodeScope(cmd, entity, () => entity.catchUp(this.opts.store));
    if (cmd.kind.admitsOnFreshState) await entity.catchUp(this.opts.store);
    const command = commandFor(cmd, from, this.now());
    const run = () => appendDecision(this.appending, cmd, command, entity, from.deadline);
    const admission = this.admission;
    if (!admission) return run();
    try {
      return await admission.around(cmd, command, entity, run);
    } catch (refusal) {
      // A refusal must rest on what the entity holds: one assumed new without a read (CommandSpec.assumeNew) is read
      // now, and when it had a history the command is admitted again on it (a repeated id is answered from it).
      if (entity.assumedNewUnread && (await entity.catchUp(this.opts.store)) > 0) return admission.around(cmd, command, entity, run);
      throw refusal;
    }
  }

  /** Runs a command the host sends itself (sender `host`, for a kind's host service) through the entity's mailbox. */
  private runInternal<R extends KindName>(ref: KindRef<R>, command: CommandBodyOf<R>, id: string): Promise<CommandReply> {
    const kind = this.kinds[ref.resource];
    if (!kind) return Promise.reject(new StatusError("Internal", `no actor kind for ${ref.resource}`));
    return this.enqueue(internalCommand(ref, kind, { role: "host" }, command, id), { actor: "actor-host", correlationId: "" });
  }
}

/**
 * What a command message's headers say: who sends it, whether the reply carries the object, the correlation id, how
 * long its sender waits (`Cox-Timeout` as sent: the door reads it), and when it arrived.
 */
interface CommandHeaders {
  actor: string;
  statusOnly: boolean;
  correlationId: string;
  timeout: string | undefined;
  arrivedMs: number;
}

/** The headers of one command message that arrived at `arrivedMs`, read once. Pure. */
function commandHeaders(hdrs: MsgHdrs | undefined, arrivedMs: number): CommandHeaders {
  return {
    actor: hdrs?.get("Cox-Actor") || "user", statusOnly: hdrs?.get(REPLY_HEADER) === STATUS_ONLY, correlationId: hdrs?.get("Cox-Correlation-Id") || "",
    timeout: hdrs?.get(TIMEOUT_HEADER) || undefined, arrivedMs,
  };
}

/** The flow of a batched command within its priority level: its type (a body without one: the flow of those). Pure. */
function flowOf(body: Record<string, unknown>): string {
  return typeof body.type === "string" ? body.type : "";
}
