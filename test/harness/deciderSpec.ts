/**
 * Given/when/then specifications of a decider (the shape of emmett's DeciderSpecification), typed by the decider:
 * `given(decider, [...events]).when(command).then([...events])` takes only the decider's own commands and events,
 * and `commandOf(decider, meta)` builds its commands by type with that type's data.
 */
import { expect } from "vitest";
import type { StatusReason } from "../../src/api/status.js";
import type { AnyDecider, Command, CommandMeta, DecidedEvent, Decider, RecordedEvent } from "../../src/actors/decider.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyShape = any;

/** The commands a decider takes. */
export type CommandOfDecider<D> = D extends Decider<AnyShape, infer C, AnyShape> ? C : never;
/** The data of command `T` among commands `C` (a command may share its data type among several type names). */
export type DataOfCommand<C, T> = C extends Command<infer U, infer D> ? (T extends U ? D : never) : never;
/** The state a decider folds. */
export type StateOfDecider<D> = D extends Decider<infer S, AnyShape, AnyShape> ? S : never;
/** The events a decider decides, as `given` takes them and `then` compares them (type and data). */
export type DecidedEventOfDecider<D> = D extends Decider<AnyShape, AnyShape, infer E>
  ? E extends RecordedEvent<infer T, infer Data> ? DecidedEvent<T, Data> : never
  : never;

/** Default metadata for commands in specs; override any field. */
export function meta(overrides: Partial<CommandMeta> = {}): CommandMeta {
  return {
    id: "cmd-1", time: "2026-11-26T00:00:00Z", nowMs: Date.parse("2026-11-26T00:00:00Z"), uid: "uid-1",
    apiVersion: "v1", namespace: "default", name: "x", correlationId: "corr-1", actor: "test", ...overrides,
  };
}

/**
 * `cmd("ScaleReplicationController", { replicas: 5 })`: the decider's commands by type, each with its data, under
 * `defaults` (a command's own `meta` overrides them).
 */
export function commandOf<D extends AnyDecider>(_decider: D, defaults: CommandMeta = meta()) {
  return <T extends CommandOfDecider<D>["type"]>(type: T, data: DataOfCommand<CommandOfDecider<D>, T>, overrides: Partial<CommandMeta> = {}): CommandOfDecider<D> =>
    ({ type, data, meta: { ...defaults, ...overrides } }) as Command as CommandOfDecider<D>;
}

/** Turns decided events into recorded ones for `given`. */
export function recorded<E extends DecidedEvent>(events: readonly E[], startVersion = 1): (E & RecordedEvent<E["type"], E["data"]>)[] {
  return events.map((e, i) => ({ ...e, version: startVersion + i, time: "2026-11-26T00:00:00Z", uid: "uid-1", commandId: "past", sequence: startVersion + i }));
}

/**
 * `given(decider, [...events]).when(command).then([...events])`. The command must be one of the decider's; the
 * history and the expected events are data, as a log holds them (the decider's evolve reads them).
 */
export function given<D extends AnyDecider>(decider: D, history: readonly DecidedEvent[] = []) {
  type Events = DecidedEventOfDecider<D>[];
  const state: StateOfDecider<D> = recorded(history).reduce((s, e) => decider.evolve(s, e), decider.initialState);
  return {
    state,
    when(command: CommandOfDecider<D>) {
      const run = () => decider.decide(command, state) as Events;
      return {
        then(expected: readonly DecidedEvent[] | ((events: Events) => void)): Events {
          const events = run();
          if (typeof expected === "function") expected(events);
          else expect(events).toEqual(expected);
          return events;
        },
        thenThrows(reason: StatusReason, message?: RegExp) {
          let caught: unknown;
          try {
            run();
          } catch (err) {
            caught = err;
          }
          expect(caught, "the decider should have refused the command").toMatchObject({ reason });
          if (message) expect(String((caught as Error).message)).toMatch(message);
        },
        thenNothingHappened() {
          expect(run()).toEqual([]);
        },
      };
    },
  };
}

/** Runs commands one after the other, each decided on the state the previous ones left; returns every event. */
export function play<D extends AnyDecider>(decider: D, ...commands: CommandOfDecider<D>[]): DecidedEventOfDecider<D>[] {
  const events: DecidedEventOfDecider<D>[] = [];
  let state: StateOfDecider<D> = decider.initialState;
  for (const c of commands) {
    for (const e of decider.decide(c, state) as DecidedEventOfDecider<D>[]) {
      events.push(e);
      state = decider.evolve(state, recorded([e], events.length)[0]);
    }
  }
  return events;
}
