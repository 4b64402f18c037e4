/**
 * One command's decision and append: the entity decides on its current state, the events get their envelope and
 * are appended with the entity's expected sequence. Losing a race to another host (a version conflict, a
 * superseded append, a rejection that stale state gave) catches the entity up and decides again, until a deadline,
 * as the Kubernetes apiserver's guaranteed update retries until its request ends.
 */
import { RESOURCE_INFO } from "../api/kinds.js";
import type { CommandReply } from "../api/reply.js";
import { StatusError } from "../api/status.js";
import type { EventEnvelope } from "../events/envelope.js";
import { SupersededAppend, VersionConflict, type EventStore } from "../events/eventStore.js";
import type { Logger } from "../log.js";
import { backoffDelay } from "../nats/untilReady.js";
import type { Command, DecidedEvent } from "./decider.js";
import type { AdmittedCommand } from "./door.js";
import type { Entity } from "./entity.js";
import { okReply, replyFromHistory, shownBeforeLast } from "./replies.js";

/** What the append needs from the host. */
export interface AppendDecisionOptions {
  store: EventStore;
  /** How long a command may keep losing races before it is answered Conflict. */
  conflictRetryMs: number;
  log: Logger;
  /** Called after events were appended and committed to the entity (snapshots, timer marks). */
  committed(entity: Entity): void;
}

/**
 * Decides `command` on `entity` and appends the events, retrying lost races for `conflictRetryMs`, and no longer than
 * its sender waits (`deadline`, `performance.now()`'s; none: no bound but that).
 */
export async function appendDecision(opts: AppendDecisionOptions, cmd: AdmittedCommand, command: Command, entity: Entity, deadline = Infinity): Promise<CommandReply> {
  const race: Race = { giveUpAt: Math.min(performance.now() + opts.conflictRetryMs, deadline), dedupeKey: command.meta.id, attempt: 0 };
  for (; ; race.attempt++) {
    if (race.attempt > 0 && performance.now() > race.giveUpAt) throw new StatusError("Conflict", `${cmd.ref.resource} "${cmd.ref.name}" kept changing; try again`, { kind: cmd.ref.resource, name: cmd.ref.name });
    const reply = await attempt(opts, cmd, command, entity, race);
    if (reply !== AGAIN) return reply;
  }
}

/** The entity changed under the attempt (it has caught up since): decide again. */
const AGAIN = Symbol("again");

/** One command's retries: until when (`performance.now()`'s), the dedupe key of its next append, and which attempt this is. */
interface Race {
  giveUpAt: number;
  dedupeKey: string;
  attempt: number;
}

/** One attempt: the answer from history for a repeated id, else the decision on the entity as it stands and its append. */
async function attempt(opts: AppendDecisionOptions, cmd: AdmittedCommand, command: Command, entity: Entity, race: Race): Promise<CommandReply | typeof AGAIN> {
  const known = entity.outcomeOf(command.meta.id);
  if (known) return replyFromHistory(opts.store, entity, known, cmd);
  if (await expectedVersionMoved(opts, cmd, entity)) return AGAIN;
  const before = cmd.replyObject === false ? null : cmd.kind.decider.render(entity.state);
  const decided = await decideOnFreshState(opts, command, entity);
  if (decided === AGAIN) return AGAIN;
  if (decided.length === 0) return okReply(entity, cmd, [], before);
  return appendDecided(opts, { cmd, command, entity, decided, before }, race);
}

/** The command's expectedVersion against the entity's: true when catching up moved it (decide again); Conflict when stale. */
async function expectedVersionMoved(opts: AppendDecisionOptions, cmd: AdmittedCommand, entity: Entity): Promise<boolean> {
  if (cmd.expectedVersion === undefined || cmd.expectedVersion === entity.position.version) return false;
  if ((await entity.catchUp(opts.store)) > 0) return true;
  throw new StatusError("Conflict", `${cmd.ref.resource} "${cmd.ref.name}" is at version ${entity.position.version}, not ${cmd.expectedVersion}`, {
    kind: cmd.ref.resource, name: cmd.ref.name,
  });
}

/** The entity's decision; a rejection must rest on fresh state (another host may have changed the entity). */
async function decideOnFreshState(opts: AppendDecisionOptions, command: Command, entity: Entity): Promise<DecidedEvent[] | typeof AGAIN> {
  try {
    return entity.decide(command);
  } catch (rejection) {
    if ((await entity.catchUp(opts.store)) > 0) return AGAIN;
    throw rejection;
  }
}

/** What was decided, for the append and the reply. */
interface Decision {
  cmd: AdmittedCommand;
  command: Command;
  entity: Entity;
  decided: DecidedEvent[];
  /** The object before the command, for the reply. */
  before: Record<string, unknown> | null;
}

/** Appends the decided events at the entity's position and commits them to it; a lost race catches up (decide again). */
async function appendDecided(opts: AppendDecisionOptions, d: Decision, race: Race): Promise<CommandReply | typeof AGAIN> {
  const { cmd, command, entity } = d;
  const envelopes = envelopesOf(cmd, command, entity, d.decided);
  try {
    const r = await opts.store.append(cmd.ref, entity.appendPosition, envelopes, command.meta.id, race.dedupeKey);
    if (r.duplicate) {
      await entity.catchUp(opts.store);
      return AGAIN;
    }
    const prior = entity.state;
    const stored = envelopes.map((event, i) => ({ event, sequence: r.sequences[i] ?? 0, subject: "" }));
    entity.commit(stored);
    opts.committed(entity);
    return okReply(entity, cmd, d.decided.map((e) => e.type), () => shownBeforeLast(cmd, prior, stored) ?? d.before);
  } catch (err) {
    await afterLostAppend(opts, d, race, err);
    return AGAIN;
  }
}

/** A failed append: a version conflict before the deadline catches up (a superseded one with a new dedupe key); else it throws. */
async function afterLostAppend(opts: AppendDecisionOptions, d: Decision, race: Race, err: unknown): Promise<void> {
  if (!(err instanceof VersionConflict) || performance.now() > race.giveUpAt) throw err;
  if (err instanceof SupersededAppend) {
    // another host's append of the same version got in first (nats-server#4320): ours counts for nothing
    opts.log.warn({ ref: d.cmd.ref, id: d.command.meta.id, version: d.entity.position.version + 1 }, "append superseded by a concurrent one; deciding again");
    race.dedupeKey = `${d.command.meta.id}~${race.attempt + 1}`;
  }
  const named = err.lastSequence;
  // The stream names a last sequence below what the entity has seen: its history came from elsewhere (a replica that
  // diverged). Reading cannot mend that; waiting, longer each attempt, keeps the retries from hammering the stream.
  if (named !== undefined && named < d.entity.seenSequence) await pause(race.attempt + 1);
  await catchUpThrough(opts.store, d.entity, named, race.giveUpAt);
}

/** The wait before retry `n` (n ≥ 1) of a lost race: 5 ms, doubling, at most 200. */
const pause = (n: number) => new Promise((r) => setTimeout(r, backoffDelay(n, 5, 200)));

/**
 * Catches the entity up after a lost append. When the stream named the entity's last sequence, the reads go on (backing
 * off, until `giveUpAt`) until they got there: a read answered by a replica that lags, or by one nats-server let
 * diverge, would leave the entity where it was, and the next append would lose the same race at once.
 */
async function catchUpThrough(store: EventStore, entity: Entity, through: number | undefined, giveUpAt: number): Promise<void> {
  for (let n = 1; ; n++) {
    await entity.catchUp(store, through);
    if (through === undefined || entity.seenSequence >= through || performance.now() > giveUpAt) return;
    await pause(n);
  }
}

/** The envelopes of the decided events, numbered after the entity's version. Pure. */
function envelopesOf(cmd: AdmittedCommand, command: Command, entity: Entity, decided: DecidedEvent[]): EventEnvelope[] {
  const uid = cmd.kind.decider.uidOf(entity.state) ?? command.meta.uid;
  return decided.map((e, i) => ({
    type: e.type, kind: RESOURCE_INFO[cmd.ref.resource].kind, namespace: cmd.ref.namespace, name: cmd.ref.name,
    uid, version: entity.position.version + i + 1, time: command.meta.time, commandId: command.meta.id,
    correlationId: command.meta.correlationId, actor: command.meta.actor, ...(cmd.term !== undefined ? { term: cmd.term } : {}),
    schemaVersion: 1, data: e.data,
  }));
}
