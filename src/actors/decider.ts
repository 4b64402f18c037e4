/** The shape every actor kind's decider has: pure decide/evolve over typed commands and events. */
import type { z } from "zod";
import type { ApiVersion } from "../api/codec.js";
import type { Resource } from "../api/kinds.js";

/**
 * Who may send a command: any user, an elected controller (with a term), a node agent, or the actor host itself
 * (`host`: commands the host sends to its own entities, such as quota reservations; never accepted from the wire).
 */
export type SenderRole = "user" | "controller" | "node" | "host";

/** What the host knows of a command besides its data. The decider takes its clock and fresh uid from here. */
export interface CommandMeta {
  /** The idempotency key (sender's or host-assigned). */
  id: string;
  /** Arrival time, RFC 3339 at second precision: the decider's only clock. */
  time: string;
  /** The same instant in epoch milliseconds, for deadlines that need more than seconds. */
  nowMs: number;
  /** A fresh uid the decider may give a new entity. */
  uid: string;
  apiVersion: ApiVersion;
  /** The entity's namespace token and name, from the subject. */
  namespace: string;
  name: string;
  term?: number | undefined;
  correlationId: string;
  actor: string;
}

/** A parsed command addressed to one entity. */
export interface Command<Type extends string = string, Data = unknown> {
  type: Type;
  data: Data;
  meta: CommandMeta;
}

/** An event as a decider produces it (the host adds the envelope). */
export interface DecidedEvent<Type extends string = string, Data = unknown> {
  type: Type;
  data: Data;
}

/** An event as evolve sees it: the decided event plus envelope facts. */
export interface RecordedEvent<Type extends string = string, Data = unknown> extends DecidedEvent<Type, Data> {
  version: number;
  time: string;
  uid: string;
  commandId: string;
  /** The stream sequence (resourceVersion) of this event. */
  sequence: number;
}

/** One entry of a kind's command catalog. */
export interface CommandSpec {
  /** The schema of `data`, before any version conversion. */
  schema: z.ZodType;
  /** Who may send it. */
  senders: readonly SenderRole[];
  /** Whether `data` is a manifest in the command's apiVersion (creates and updates). */
  manifest?: boolean;
  /**
   * The command nearly always meets an entity without history (a controller's create under a generated name): a host
   * that does not hold the entity live decides on the initial state without reading the entity's last event first.
   * The append expects the subject to hold nothing, so a wrong guess is a version conflict: the entity is read, and
   * the command decided again on what it holds.
   */
  assumeNew?: true;
}

/** The `type` and `data` of one of the commands `Cmd` (what a timer or the host sends an entity, without metadata). */
export type CommandPayload<Cmd extends Command = Command> = Cmd extends Command ? { type: Cmd["type"]; data: Cmd["data"] } : never;

/** A timer the entity needs: when it fires the host sends `command`, one of the kind's commands `Cmd`, to the entity itself. */
export interface EntityTimer<Cmd extends Command = Command> {
  /** RFC 3339 (millisecond precision allowed) deadline. */
  at: string;
  command: CommandPayload<Cmd>;
}

/**
 * A kind's decider. `decide` throws a StatusError to reject; `evolve` never throws.
 * `render` gives the internal object for replies and reads (null when the entity does not exist).
 */
export interface Decider<State, Cmd extends Command, Evt extends RecordedEvent> {
  resource: Resource;
  commands: Readonly<Record<Cmd["type"], CommandSpec>>;
  initialState: State;
  decide(command: Cmd, state: State): DecidedEvent<Evt["type"], Evt["data"]>[];
  evolve(state: State, event: Evt): State;
  render(state: State): Record<string, unknown> | null;
  /** The uid of the entity as it stands (undefined before it is created). */
  uidOf(state: State): string | undefined;
  /** The next timer the entity waits on, if any (re-armed on every rehydration). */
  nextTimer?(state: State): EntityTimer<Cmd> | null;
}

/** Any decider, for the host's registry. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDecider = Decider<any, any, any>;
