/**
 * The XState v5 machine that drives a decider: `decide` asks the decider (nothing changes yet),
 * `commit` folds appended events into the state, and a pending timer (backoff, grace period) is
 * armed from the deadline kept in the state, so rehydrating an entity re-arms its timers.
 */
import { assign, emit, setup } from "xstate";
import type { AnyDecider, Command, DecidedEvent, EntityTimer, RecordedEvent } from "./decider.js";

/** The machine's context: the decider state and the outcome of the last `decide`. */
export interface EntityContext<S> {
  state: S;
  decided: DecidedEvent[] | null;
  rejection: unknown;
  timer: EntityTimer | null;
}

/** Messages the host sends to an entity actor. */
export type EntityMessage = { type: "decide"; command: Command } | { type: "commit"; events: RecordedEvent[] };

/** What the actor emits when a timer is due: the host sends `command` to the entity. */
export interface TimerDue {
  type: "timerDue";
  timer: EntityTimer;
}

/** Builds the machine for one kind. `now` is the clock used only to turn deadlines into delays. */
export function createEntityMachine<S>(decider: AnyDecider, now: () => number = Date.now) {
  const timerOf = (state: S): EntityTimer | null => decider.nextTimer?.(state) ?? null;
  return setup({
    types: {
      context: {} as EntityContext<S>,
      events: {} as EntityMessage,
      input: {} as { state: S },
      emitted: {} as TimerDue,
    },
    delays: {
      untilDeadline: ({ context }) => Math.max(0, Date.parse(context.timer?.at ?? "") - now() || 0),
    },
    guards: { hasTimer: ({ context }) => context.timer !== null },
    actions: {
      decide: assign(({ context, event }) => {
        if (event.type !== "decide") return {};
        try {
          return { decided: decider.decide(event.command, context.state) as DecidedEvent[], rejection: null };
        } catch (err) {
          return { decided: null, rejection: err };
        }
      }),
      commit: assign(({ context, event }) => {
        if (event.type !== "commit") return {};
        const state = event.events.reduce((s: S, e) => decider.evolve(s, e) as S, context.state);
        return { state, decided: null, timer: timerOf(state) };
      }),
      timerDue: emit(({ context }) => ({ type: "timerDue" as const, timer: context.timer as EntityTimer })),
    },
  }).createMachine({
    id: decider.resource,
    context: ({ input }) => ({ state: input.state, decided: null, rejection: null, timer: timerOf(input.state) }),
    initial: "settling",
    on: {
      decide: { actions: "decide" },
      commit: { actions: "commit", target: ".settling", reenter: true },
    },
    states: {
      settling: { always: [{ guard: "hasTimer", target: "waiting" }, { target: "idle" }] },
      idle: {},
      waiting: { after: { untilDeadline: { actions: "timerDue", target: "idle" } } },
    },
  });
}
