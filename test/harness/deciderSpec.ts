/** Given/when/then specifications of a decider (the shape of emmett's DeciderSpecification). */
import { expect } from "vitest";
import type { AnyDecider, Command, CommandMeta, DecidedEvent, RecordedEvent } from "../../src/actors/decider.js";

/** Default metadata for commands in specs; override any field. */
export function meta(overrides: Partial<CommandMeta> = {}): CommandMeta {
  return {
    id: "cmd-1", time: "2026-11-26T00:00:00Z", nowMs: Date.parse("2026-11-26T00:00:00Z"), uid: "uid-1",
    apiVersion: "v1", namespace: "default", name: "x", correlationId: "corr-1", actor: "test", ...overrides,
  };
}

/** Turns decided events into recorded ones for `given`. */
export function recorded(events: DecidedEvent[], startVersion = 1): RecordedEvent[] {
  return events.map((e, i) => ({ ...e, version: startVersion + i, time: "2026-11-26T00:00:00Z", uid: "uid-1", commandId: "past", sequence: startVersion + i }));
}

/** `given(decider, [...events]).when(command).then([...events])`. */
export function given(decider: AnyDecider, history: DecidedEvent[] = []) {
  const state = recorded(history).reduce((s, e) => decider.evolve(s, e), decider.initialState);
  return {
    state,
    when(command: Command) {
      const run = () => decider.decide(command, state) as DecidedEvent[];
      return {
        then(expected: DecidedEvent[] | ((events: DecidedEvent[]) => void)) {
          const events = run();
          if (typeof expected === "function") expected(events);
          else expect(events).toEqual(expected);
          return events;
        },
        thenThrows(reason: string, message?: RegExp) {
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
export function play(decider: AnyDecider, ...commands: Command[]): DecidedEvent[] {
  const events: DecidedEvent[] = [];
  let state = decider.initialState;
  for (const c of commands) {
    for (const e of decider.decide(c, state) as DecidedEvent[]) {
      events.push(e);
      state = decider.evolve(state, recorded([e], events.length)[0]);
    }
  }
  return events;
}
