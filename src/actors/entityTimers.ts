/**
 * The entities' timers, seen from the host. An entity's machine arms its own timers (its delays) from its state;
 * the host marks in KV `COX_TIMERS` which entities wait on one, so that the next host to start wakes them (their
 * machines re-arm on rehydration), and turns a timer that fires into a command to the entity, sent through its
 * mailbox like any other.
 */
import type { EntityRef, Resource } from "../api/kinds.js";
import type { CommandReply } from "../api/reply.js";
import { entityKey, refFromEntityKey } from "../events/subjects.js";
import type { Logger } from "../log.js";
import { internalCommand, type AdmittedCommand } from "./door.js";
import type { Entity } from "./entity.js";
import type { AnyCommandType } from "./kindCommands.js";
import type { TimerDue } from "./lifecycle.js";
import type { ActorKind } from "./registry.js";
import type { SnapshotStore } from "./snapshots.js";

/** What the timers need from the host. */
export interface EntityTimersOptions {
  store: SnapshotStore | null;
  kinds: Partial<Record<string, ActorKind>>;
  log: Logger;
  /** Sends a command through the entity's mailbox. */
  send(cmd: AdmittedCommand, from: { actor: string; correlationId: string }): Promise<CommandReply>;
  /** Rehydrates an entity through its mailbox (its machine re-arms its timers). */
  wake(ref: EntityRef, kind: ActorKind): Promise<unknown>;
}

/** Marks pending timers, wakes the marked entities at start, and sends the commands of timers that fire. */
export class EntityTimers {
  constructor(private readonly opts: EntityTimersOptions) {}

  /** Records the entity's pending deadline (or its absence) in COX_TIMERS when it changed. */
  mark(entity: Entity): void {
    const at = entity.timer?.at ?? null;
    if (at === entity.markedTimer) return;
    entity.markedTimer = at;
    this.opts.store?.markTimer(entity.ref, at).catch((err: unknown) => this.opts.log.warn({ err }, "could not mark timer"));
  }

  /** Sends the command of a timer that fired; `version` is the entity's (the command id repeats per version). */
  fire(ref: EntityRef, kind: ActorKind, due: TimerDue, version: number): void {
    // The kind is erased here (ActorKind): its decider typed the timer's command as one of its own (EntityTimer<Cmd>).
    const command = due.timer.command as { type: AnyCommandType; data: unknown };
    const cmd = internalCommand(ref, kind, { role: "timer" }, command, `timer-${entityKey(ref)}-${version}`);
    this.opts.send(cmd, { actor: "actor-host/timer", correlationId: "" }).then(
      (r) => { if (!r.ok) this.opts.log.warn({ status: r.status, ref }, "timer command refused"); },
      (err: unknown) => this.opts.log.warn({ err, ref }, "timer command failed"),
    );
  }

  /** Wakes every entity marked as waiting on a timer (in the background). */
  async wakeMarked(): Promise<void> {
    const keys = (await this.opts.store?.pendingTimers().catch(() => [])) ?? [];
    for (const key of keys) {
      const ref = refFromEntityKey(key);
      const kind = ref ? this.opts.kinds[ref.resource as Resource] : undefined;
      if (!kind || !ref) continue;
      void this.opts.wake({ resource: kind.decider.resource, namespace: ref.namespace, name: ref.name }, kind);
    }
  }
}
