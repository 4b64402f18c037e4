/**
 * One command's decision and append: the entity decides on its current state, the events get their envelope and
 * are appended with the entity's expected sequence. Losing a race to another host (a version conflict, a
 * superseded append, a rejection that stale state gave) catches the entity up and decides again, until a deadline,
 * as the Kubernetes apiserver's guaranteed update retries until its request ends.
 */
import { RESOURCE_INFO } from "../api/kinds.js";
import type { CommandReply } from "../api/reply.js";
import { StatusError } from "../api/status.js";
import type { EventEnvelope, StoredEvent } from "../events/envelope.js";
import { SupersededAppend, VersionConflict, type EventStore } from "../events/eventStore.js";
import type { Logger } from "../log.js";
import type { Command, DecidedEvent } from "./decider.js";
import type { AdmittedCommand } from "./door.js";
import type { Entity } from "./entity.js";
import { okReply, replyFromHistory } from "./replies.js";

/** What the append needs from the host. */
export interface AppendDecisionOptions {
  store: EventStore;
  /** How long a command may keep losing races before it is answered Conflict. */
  conflictRetryMs: number;
  log: Logger;
  /** Called after events were appended and committed to the entity (snapshots, timer marks). */
  committed(entity: Entity): void;
}

/** Decides `command` on `entity` and appends the events, retrying lost races until the deadline. */
export async function appendDecision(opts: AppendDecisionOptions, cmd: AdmittedCommand, command: Command, entity: Entity): Promise<CommandReply> {
  const id = command.meta.id;
  const giveUpAt = Date.now() + opts.conflictRetryMs;
  const catchUp = () => entity.catchUp(opts.store);
  let dedupeKey = id;
  for (let attempt = 0; ; attempt++) {
    if (attempt > 0 && Date.now() > giveUpAt) throw new StatusError("Conflict", `${cmd.ref.resource} "${cmd.ref.name}" kept changing; try again`, { kind: cmd.ref.resource, name: cmd.ref.name });
    const known = entity.outcomeOf(id);
    if (known) return replyFromHistory(opts.store, entity, known, cmd);
    if (cmd.expectedVersion !== undefined && cmd.expectedVersion !== entity.position.version) {
      if ((await catchUp()) > 0) continue;
      throw new StatusError("Conflict", `${cmd.ref.resource} "${cmd.ref.name}" is at version ${entity.position.version}, not ${cmd.expectedVersion}`, {
        kind: cmd.ref.resource, name: cmd.ref.name,
      });
    }
    const before = cmd.kind.decider.render(entity.state);
    let decided: DecidedEvent[];
    try {
      decided = entity.decide(command);
    } catch (rejection) {
      // A rejection must rest on fresh state: another host may have changed the entity.
      if ((await catchUp()) > 0) continue;
      throw rejection;
    }
    if (decided.length === 0) return okReply(entity, cmd, [], before);
    const envelopes = envelopesOf(cmd, command, entity, decided);
    try {
      const r = await opts.store.append(cmd.ref, entity.position, envelopes, id, dedupeKey);
      if (r.duplicate) {
        await catchUp();
        continue;
      }
      const stored: StoredEvent[] = envelopes.map((event, i) => ({ event, sequence: r.sequences[i] ?? 0, subject: "" }));
      entity.commit(stored);
      opts.committed(entity);
      return okReply(entity, cmd, decided.map((e) => e.type), before);
    } catch (err) {
      if (!(err instanceof VersionConflict) || Date.now() > giveUpAt) throw err;
      if (err instanceof SupersededAppend) {
        // another host's append of the same version got in first (nats-server#4320): ours counts for nothing
        opts.log.warn({ ref: cmd.ref, id, version: entity.position.version + 1 }, "append superseded by a concurrent one; deciding again");
        dedupeKey = `${id}~${attempt + 1}`;
      }
      await catchUp();
    }
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
