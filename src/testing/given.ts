/**
 * Given/when/then for your own controllers and automation: given a recorded log, when a command arrives, then these
 * events (or this refusal). The command goes through the same door as on the wire (its schema, its manifest
 * conversion, who may send it) and the kind's real decider, with no server. Failures are node:assert
 * AssertionErrors, so it works under vitest, jest and node:test alike.
 */
import { AssertionError, deepStrictEqual } from "node:assert";
import type { ApiVersion } from "../api/codec.js";
import { DEFAULT_MAX_BODY_BYTES } from "../api/commandBody.js";
import { CLUSTER_NS, RESOURCE_INFO, type EntityRef } from "../api/kinds.js";
import { StatusError, type StatusReason } from "../api/status.js";
import { admitCommand } from "../actors/door.js";
import { replayThroughActors as foldThroughActors, type ReplayedEntity } from "../actors/replay.js";
import { ACTOR_KINDS } from "../actors/registry.js";
import type { StoredEvent } from "../events/envelope.js";
import { commandSubject, entityKey, type CommandChannel } from "../events/subjects.js";
import { CoxswainStatusError } from "../client/statusError.js";
import type { CommandInput, CommandType, EventOf, EventType, KindName } from "../client/types.js";
import { prefixOfLog } from "./log.js";

/** A command for `when`: its kind, entity, type and data, and optionally who sends it and when. */
export type GivenCommand<R extends KindName = KindName> = R extends KindName
  ? { [T in CommandType<R>]: CommandFields<R> & { type: T; data?: CommandInput<R, T> } }[CommandType<R>]
  : never;

interface CommandFields<R extends KindName> {
  kind: R;
  /** Default `default` (cluster-scoped kinds: none). */
  namespace?: string;
  /** The entity; for a manifest, `metadata.name` when absent. */
  name?: string;
  apiVersion?: ApiVersion;
  id?: string;
  expectedVersion?: number;
  term?: number;
  /** Who sends it (default a user): it must be allowed to, as on the wire. */
  sender?: "user" | "controller" | { node: string };
  /** The decider's clock, RFC 3339 (default the time of the log's last event). */
  time?: string;
  /** The uid a new entity gets (default `uid-given`). */
  uid?: string;
}

/** An event as the decider decides it. */
export type DecidedEventOf<R extends KindName> = R extends KindName ? (EventOf<R> extends infer E ? (E extends { type: infer T; data: infer D } ? { type: T; data: D } : never) : never) : never;

/** What `then` compares: each event's type (one of the kind's), and its data when given (as stored: JSON, no undefined fields). */
export type ExpectedEvent<R extends KindName = KindName> = { type: EventType<R>; data?: unknown };

/** The outcome of `when`: assert it with one of these. */
export interface When<R extends KindName> {
  /** Asserts the events, in order, and returns them; or hands them to `check`. */
  then(expected: ExpectedEvent<R>[] | ((events: DecidedEventOf<R>[]) => void)): DecidedEventOf<R>[];
  /** Asserts that nothing was recorded (the command was accepted and changed nothing). */
  thenNothingHappened(): void;
  /** Asserts the refusal's reason (`"Invalid"`, `"Conflict"`, …) and, when given, that its message matches. */
  thenRejected(reason: StatusReason, message?: RegExp | string): CoxswainStatusError;
}

/** The given part: the states the log leaves, and `when`. */
export interface Given {
  /** Each entity's state after the log, keyed `<resource>.<namespace>.<name>`. */
  readonly entities: ReadonlyMap<string, ReplayedEntity>;
  when<R extends KindName>(command: GivenCommand<R>): When<R>;
}

/** `given(log).when(command).then([...events])`, `.thenRejected("Invalid")`. The log may be empty. Pure. */
export function given(log: Iterable<StoredEvent> = [], options: { prefix?: string } = {}): Given {
  const events = [...log];
  const prefix = options.prefix ?? prefixOfLog(events);
  const entities = foldThroughActors(prefix, events);
  const lastTime = events[events.length - 1]?.event.time ?? "2026-01-01T00:00:00Z";
  return {
    entities,
    when<R extends KindName>(command: GivenCommand<R>): When<R> {
      const outcome = () => decideOnce(prefix, entities, lastTime, command as GivenCommand);
      return whenOf<R>(outcome as () => DecidedEventOf<R>[], command);
    },
  };
}

function decideOnce(prefix: string, entities: ReadonlyMap<string, ReplayedEntity>, lastTime: string, c: GivenCommand): { type: string; data: unknown }[] {
  const ref = refOf(c);
  const kind = ACTOR_KINDS[ref.resource];
  const body = { apiVersion: c.apiVersion ?? "v1", type: c.type, id: c.id, expectedVersion: c.expectedVersion, term: c.term, data: c.data };
  const payload = new TextEncoder().encode(JSON.stringify(body));
  const admitted = admitCommand(prefix, commandSubject(prefix, ref, channelOf(c.sender)), payload, ACTOR_KINDS, DEFAULT_MAX_BODY_BYTES);
  const entity = entities.get(entityKey(ref)) ?? { version: 0, sequence: 0, state: kind?.decider.initialState };
  if (c.expectedVersion !== undefined && c.expectedVersion !== entity.version) {
    throw new StatusError("Conflict", `${ref.resource} "${ref.name}" is at version ${entity.version}, not ${c.expectedVersion}`, { kind: ref.resource, name: ref.name });
  }
  const time = c.time ?? lastTime;
  const id = c.id ?? "given-1";
  const meta = {
    id, time, nowMs: Date.parse(time), uid: c.uid ?? "uid-given", apiVersion: admitted.apiVersion,
    namespace: ref.namespace, name: ref.name, term: c.term, actor: "given", correlationId: id,
  };
  return admitted.kind.decider.decide({ type: admitted.type, data: admitted.data, meta }, entity.state);
}

function refOf(c: GivenCommand): EntityRef {
  const info = RESOURCE_INFO[c.kind];
  const manifestName = (c.data as { metadata?: { name?: unknown }; id?: unknown } | undefined)?.metadata?.name ?? (c.data as { id?: unknown } | undefined)?.id;
  const name = c.name ?? (typeof manifestName === "string" ? manifestName : "");
  return { resource: c.kind, namespace: info.clusterScoped ? CLUSTER_NS : c.namespace ?? "default", name };
}

function channelOf(sender: GivenCommand["sender"]): CommandChannel {
  if (sender === undefined || sender === "user") return { role: "user" };
  if (sender === "controller") return { role: "controller" };
  return { role: "node", node: sender.node };
}

function whenOf<R extends KindName>(outcome: () => DecidedEventOf<R>[], c: GivenCommand): When<R> {
  const what = `${c.type} on ${c.kind}/${refOf(c).name}`;
  const run = (): DecidedEventOf<R>[] => {
    try {
      return outcome();
    } catch (err) {
      if (err instanceof StatusError) throw new AssertionError({ message: `${what} was rejected (${err.reason}): ${err.message}` });
      throw err;
    }
  };
  return {
    then(expected) {
      const events = run();
      if (typeof expected === "function") expected(events);
      else compareEvents(what, events, expected);
      return events;
    },
    thenNothingHappened() {
      const types = run().map((e) => e.type);
      if (types.length > 0) throw new AssertionError({ message: `${what} should have changed nothing, but recorded ${types.join(", ")}`, actual: types, expected: [] });
    },
    thenRejected(reason, message) {
      let events: DecidedEventOf<R>[];
      try {
        events = outcome();
      } catch (err) {
        if (!(err instanceof StatusError)) throw err;
        const e = CoxswainStatusError.from(err);
        if (e.reason !== reason) throw new AssertionError({ message: `${what} was rejected as ${e.reason}, not ${reason}: ${e.message}`, actual: e.reason, expected: reason });
        if (message !== undefined && !(typeof message === "string" ? e.message.includes(message) : message.test(e.message))) {
          throw new AssertionError({ message: `${what} was rejected as ${reason} with "${e.message}", which does not match ${String(message)}`, actual: e.message, expected: String(message) });
        }
        return e;
      }
      throw new AssertionError({ message: `${what} should have been rejected (${reason}), but was accepted: [${events.map((e) => e.type).join(", ")}]` });
    },
  };
}

function compareEvents(what: string, actual: readonly { type: string; data: unknown }[], expected: readonly ExpectedEvent[]): void {
  deepStrictEqual(actual.map((e) => e.type), expected.map((e) => e.type), `${what}: the events recorded differ`);
  expected.forEach((e, i) => {
    if (!("data" in e)) return;
    deepStrictEqual(stored(actual[i]?.data), stored(e.data), `${what}: the data of event ${i} (${e.type}) differs`);
  });
}

/** A value as the stream stores it (JSON: no undefined fields). Pure. */
function stored(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}
