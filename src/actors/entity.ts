/** One live entity in the actor host: its XState actor, its position in the stream, and the commands it remembers. */
import { createActor, type Actor } from "xstate";
import type { EntityRef } from "../api/kinds.js";
import { isSupersededVersion, type StoredEvent } from "../events/envelope.js";
import type { EntityPosition, EventStore } from "../events/eventStore.js";
import type { Command, DecidedEvent, RecordedEvent } from "./decider.js";
import { createLifecycleMachine, eventMessage, restingSnapshot, type EntityContext, type Lifecycle, type LifecycleMachine, type TimerDue } from "./lifecycle.js";
import type { ActorKind } from "./registry.js";
import type { CommandOutcome, EntitySnapshot, SnapshotStore } from "./snapshots.js";
import { SharedShapes } from "../events/sharedShapes.js";

/** The resting states of all entities, sharing the subtrees that are equal across them (SharedShapes). */
const restingShapes = new SharedShapes();

/** How many recent command ids an entity remembers (the create id is kept forever). */
const RECENT_COMMANDS = 64;

/**
 * The event-type lists of outcomes, shared by every entity: an outcome's list is one of few (`["PodCreated"]`,
 * …), so each live entity's remembered commands point at one frozen array each instead of holding their own (a
 * grown array of one element takes some 180 bytes). Bounded: a list beyond the bound is kept as it is.
 */
const eventLists = new Map<string, readonly string[]>();
const MAX_EVENT_LISTS = 4_096;

/** The shared frozen copy of an outcome's event types. */
function sharedEvents(types: readonly string[]): string[] {
  const key = types.join("\n");
  let list = eventLists.get(key);
  if (!list) {
    list = Object.freeze([...types]);
    if (eventLists.size < MAX_EVENT_LISTS) eventLists.set(key, list);
  }
  return list as string[];
}

type EntityActor = Actor<LifecycleMachine>;

/** A kind's machine and the lifecycle it was built from. */
interface KindMachine {
  machine: LifecycleMachine;
  lifecycle: Lifecycle;
}

/** Each kind's machine, built once. */
const machines = new WeakMap<ActorKind, KindMachine>();

/** The machine of a kind: its lifecycle, or one state that accepts every command for a kind that declares none. */
function machineOf(kind: ActorKind): KindMachine {
  let built = machines.get(kind);
  if (!built) {
    const open: Lifecycle = { absent: "Absent", states: { Any: { accepts: Object.keys(kind.decider.commands) } }, phaseOf: () => "Any" };
    const lifecycle = kind.lifecycle ?? open;
    machines.set(kind, (built = { machine: createLifecycleMachine(kind.decider, lifecycle), lifecycle }));
  }
  return built;
}

/** A rehydrated entity. Not safe for concurrent use: the host runs one command at a time per entity. */
export class Entity {
  position: EntityPosition = { version: 0, sequence: 0 };
  readonly recent = new Map<string, CommandOutcome>();
  /** The create command's id and outcome (answered forever, after it left `recent`). */
  private createdId: string | null = null;
  private createdOutcome: CommandOutcome | null = null;
  snapshotVersion = 0;
  /** The timer deadline last recorded in COX_TIMERS (undefined: not known). */
  markedTimer: string | null | undefined = undefined;
  lastUsed = Date.now();
  /** Taken as new without a read (`assumedNew`) and not yet confirmed by a catch-up or a commit. */
  private assumed = false;
  /** The highest stream sequence of the entity's events committed, a superseded one (skipped by `commit`) included. */
  private seen = 0;
  /** The running actor; null while the entity rests (its decider state is then `resting`). */
  private actor: EntityActor | null = null;
  private resting: unknown;

  private constructor(readonly ref: EntityRef, readonly kind: ActorKind, state: unknown, private readonly onTimer: (t: TimerDue) => void) {
    this.resting = state;
    this.awake();
  }

  /**
   * The actor, started again from the resting state when the entity rests: at its lifecycle state directly when that
   * waits on no delay (restingSnapshot), else as a rehydration starts it, through `rehydrating`.
   */
  private awake(): EntityActor {
    if (this.actor) return this.actor;
    const { machine, lifecycle } = machineOf(this.kind);
    const snapshot = restingSnapshot(machine, this.kind.decider, lifecycle, this.resting);
    const actor = createActor(machine, { input: { state: this.resting }, ...(snapshot ? { snapshot } : {}) }); // input: used without a snapshot
    actor.on("timerDue", this.onTimer);
    actor.start();
    this.resting = undefined;
    return (this.actor = actor);
  }

  /**
   * Stops the actor but keeps its decider state in memory, unless a timer is pending (the actor holds its delay):
   * an idle entity then takes its state and position, not an XState actor and its system (~2.7 KB). The next
   * command starts the actor again from that state, without any read. True when it rests.
   */
  rest(): boolean {
    if (!this.actor) return true;
    const ctx = this.context;
    if (ctx.timer !== null) return false;
    this.resting = restingShapes.share(this.ref.resource, ctx.state);
    this.actor.stop();
    this.actor = null;
    return true;
  }

  /** True while the entity rests (no actor running). */
  get isResting(): boolean {
    return this.actor === null;
  }

  /**
   * Rebuilds an entity from its snapshot (when usable) plus the events after it, or from its events alone. Its
   * last event is read first: an entity without any (what a create usually meets) needs no snapshot read and no
   * catch-up, and one whose snapshot holds that event needs no catch-up.
   */
  static async load(
    ref: EntityRef, kind: ActorKind, store: EventStore, snapshots: SnapshotStore | null, onTimer: (t: TimerDue) => void, snapshotsFrom = 1,
  ): Promise<Entity> {
    const last = await store.last(ref);
    if (!last) {
      // Nothing ever happened to it, so no timer of it is marked: its first commit need not clear one in COX_TIMERS.
      const fresh = new Entity(ref, kind, kind.decider.initialState, onTimer);
      fresh.markedTimer = null;
      return fresh;
    }
    // An entity with fewer events than a snapshot is worth has none: its events are read without asking for one.
    const snap = snapshots && last.event.version >= snapshotsFrom ? await snapshots.get(ref).catch(() => null) : null;
    const entity = new Entity(ref, kind, snap ? snap.state : kind.decider.initialState, onTimer);
    if (snap) entity.restore(snap);
    if (entity.position.sequence < last.sequence) await entity.catchUp(store, last.sequence);
    return entity;
  }

  /**
   * An entity taken to have no history, without asking the stream (CommandSpec.assumeNew). Its appends expect an
   * empty subject; when that fails, its catch-up reads the whole history and it is the entity it really is.
   */
  static assumedNew(ref: EntityRef, kind: ActorKind, onTimer: (t: TimerDue) => void): Entity {
    const entity = new Entity(ref, kind, kind.decider.initialState, onTimer);
    entity.markedTimer = null;
    entity.assumed = true;
    return entity;
  }

  /** True while the entity was taken as new without a read and nothing has confirmed it (no catch-up, no commit). */
  get assumedNewUnread(): boolean {
    return this.assumed;
  }

  /** The highest sequence of the entity this host has seen, by reading or by its own appends. */
  get seenSequence(): number {
    return Math.max(this.seen, this.position.sequence);
  }

  /**
   * Where the next append goes: after the entity's version, expecting the last message seen on its subject. That is
   * its last counted event's unless a superseded one (nats-server#4320) came after it, which readers skip but the
   * stream's expected-last-subject-sequence check does not.
   */
  get appendPosition(): EntityPosition {
    return { version: this.position.version, sequence: this.seenSequence };
  }

  /** The decider state. */
  get state(): unknown {
    return this.actor ? this.context.state : this.resting;
  }

  /** The pending timer, if any (a resting entity has none). */
  get timer() {
    return this.actor ? this.context.timer : null;
  }

  /** The state of the entity's lifecycle (`Running`, `Terminating`, …). */
  get lifecycleState(): string {
    return String(this.awake().getSnapshot().value);
  }

  private get context(): EntityContext<unknown> {
    return this.awake().getSnapshot().context as EntityContext<unknown>;
  }

  /**
   * Applies every event appended after our position (by anyone), or those up to `through` (the sequence of an event
   * known to be there: the read then stops at it). Returns how many there were.
   */
  async catchUp(store: EventStore, through?: number): Promise<number> {
    const events = await store.readEntity(this.ref, this.position.sequence, through);
    // Assumed new but it had a history: whether a timer of it is marked is not known after all.
    if (this.assumed && events.length > 0) this.markedTimer = undefined;
    this.assumed = false;
    this.commit(events);
    return events.length;
  }

  /** Asks the decider; throws its rejection. Nothing changes until `commit`. */
  decide(command: Command): DecidedEvent[] {
    this.awake().send({ type: "decide", command });
    const ctx = this.context;
    if (ctx.rejection) throw ctx.rejection;
    return ctx.decided ?? [];
  }

  /** Folds stored events into the actor and remembers which command produced them (a superseded version is skipped). */
  commit(stored: StoredEvent[]): void {
    if (stored.length > 0) this.assumed = false; // appended at an empty subject, or read: what it holds is known
    this.seen = Math.max(this.seen, stored.at(-1)?.sequence ?? 0); // a superseded event too: it is the subject's last
    const events: StoredEvent[] = [];
    let version = this.position.version;
    for (const e of stored) {
      if (isSupersededVersion(version, e.event)) continue;
      events.push(e);
      version = e.event.version;
    }
    if (events.length === 0) return;
    const recorded: RecordedEvent[] = events.map(({ sequence, event }) => ({
      type: event.type, data: event.data, version: event.version, time: event.time, uid: event.uid, commandId: event.commandId, sequence,
    }));
    const existedBefore = this.kind.decider.uidOf(this.state) !== undefined;
    const actor = this.awake();
    for (const e of recorded) actor.send(eventMessage(e));
    for (const e of recorded) {
      const prev = this.recent.get(e.commandId);
      const outcome = { version: e.version, sequence: e.sequence, events: sharedEvents(prev ? [...prev.events, e.type] : [e.type]) };
      this.recent.delete(e.commandId);
      this.recent.set(e.commandId, outcome);
      if (this.recent.size > RECENT_COMMANDS) this.recent.delete(this.recent.keys().next().value as string);
    }
    const last = recorded[recorded.length - 1] as RecordedEvent;
    this.position = { version: last.version, sequence: last.sequence };
    if (!existedBefore && this.kind.decider.uidOf(this.state) !== undefined) {
      const first = recorded[0] as RecordedEvent;
      this.createdId = first.commandId;
      this.createdOutcome = this.recent.get(first.commandId) as CommandOutcome;
    }
  }

  /** What a command id did to this entity, if it is remembered. */
  outcomeOf(commandId: string): CommandOutcome | undefined {
    if (this.createdId === commandId && this.createdOutcome) return this.createdOutcome;
    return this.recent.get(commandId);
  }

  /** The snapshot of the current state. */
  toSnapshot(): EntitySnapshot {
    return {
      schemaVersion: 1, version: this.position.version, sequence: this.position.sequence, state: this.state,
      recent: [...this.recent.entries()], createdBy: this.createdId !== null && this.createdOutcome ? [this.createdId, this.createdOutcome] : null,
    };
  }

  /** Stops the actor (its timers with it); its last state stays readable for the passivation snapshot. */
  stop(): void {
    this.actor?.stop();
  }

  private restore(snap: EntitySnapshot): void {
    this.position = { version: snap.version, sequence: snap.sequence };
    for (const [id, o] of snap.recent) this.recent.set(id, { version: o.version, sequence: o.sequence, events: sharedEvents(o.events) });
    if (snap.createdBy) {
      const [id, o] = snap.createdBy;
      this.createdId = id;
      this.createdOutcome = this.recent.get(id) ?? { version: o.version, sequence: o.sequence, events: sharedEvents(o.events) };
    }
    this.snapshotVersion = snap.version;
  }
}
