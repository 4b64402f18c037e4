/**
 * A kind's lifecycle as an XState v5 statechart driving its decider. A kind declares its states: the commands
 * each accepts (a `decide` in a state that does not accept the command is refused with a Status naming the state),
 * the events that may move it and where to, and whether it waits on the decider's deadline (a delay: when it ends
 * the machine emits `timerDue` and the host sends the timer's command). Each appended event is a machine event:
 * the decider's `evolve` folds it into the context and, of the targets the state declares for it, the machine
 * takes the one `phaseOf` the new state names (an event a state does not list leaves it where it is). A
 * rehydrated entity starts in the state `phaseOf` its snapshot names, so its timer re-arms. The diagrams in
 * docs/lifecycles/ are drawn from the machines (src/actors/diagrams.ts).
 */
import { assign, emit, setup } from "xstate";
import { StatusError } from "../api/status.js";
import type { AnyDecider, Command, DecidedEvent, EntityTimer, RecordedEvent } from "./decider.js";

/** The statechart of a lifecycle. */
export type LifecycleMachine = ReturnType<typeof createLifecycleMachine<unknown>>;

/** One state of a lifecycle. */
export interface LifecycleState<Name extends string = string, Cmd extends string = string, Evt extends string = string> {
  /** The command types this state accepts; the decider decides among them. */
  accepts: readonly Cmd[];
  /** Event type → the states it may lead to from here (an event not listed leaves the entity where it is). */
  on?: Readonly<Partial<Record<Evt, readonly Name[]>>>;
  /** The state waits on the decider's deadline (`nextTimer`). */
  timer?: boolean;
}

/** A kind's lifecycle: its states, the one an absent entity is in, and where a decider state stands. */
export interface Lifecycle<S = unknown, Name extends string = string, Cmd extends string = string, Evt extends string = string> {
  /** The state of an entity that does not exist (never created, or deleted). */
  absent: Name;
  /** Typed by the kind's command and event unions: a state cannot name a command or an event the kind does not have. */
  states: Readonly<Record<Name, LifecycleState<Name, Cmd, Evt>>>;
  /** The lifecycle state a decider state is in: what replaying the events through the decider says. Pure. */
  phaseOf(state: S): Name;
  /**
   * Every command writes the entity whole, whether or not it exists (an Event: one the read model derived has no
   * actor, and is updated or deleted all the same), so the absent state takes more than the create.
   */
  upserts?: true;
}

/** What each state node of a lifecycle machine carries in its `meta` (the diagrams read it). */
export interface LifecycleStateMeta {
  accepts: readonly string[];
  timer: boolean;
  /** The state of an entity that does not exist: where a new one starts. */
  absent: boolean;
}

/** The machine's context: the decider state and the outcome of the last `decide`. */
export interface EntityContext<S> {
  state: S;
  decided: DecidedEvent[] | null;
  rejection: unknown;
  timer: EntityTimer | null;
}

/** What the host sends to an entity actor: a command to decide, or an appended event to fold (typed by its own type). */
export type EntityMessage = { type: "decide"; command: Command } | { type: string; event: RecordedEvent };

/** The machine event of an appended event. Pure. */
export function eventMessage(event: RecordedEvent): EntityMessage {
  return { type: event.type, event };
}

const recordedOf = (m: EntityMessage): RecordedEvent | null => ("event" in m ? m.event : null);

/** What the actor emits when a timer is due: the host sends `command` to the entity. */
export interface TimerDue {
  type: "timerDue";
  timer: EntityTimer;
}

/** The refusal of a command the entity's state does not accept: NotFound when it does not exist, else Conflict naming the state. Pure. */
export function refusedInState(resource: string, name: string, state: string, absent: string, command: string, isCreate: boolean): StatusError {
  const what = { kind: resource, name };
  if (state === absent) return new StatusError("NotFound", `${resource} "${name}" not found`, what);
  if (isCreate) return new StatusError("AlreadyExists", `${resource} "${name}" already exists`, what);
  return new StatusError("Conflict", `${resource} "${name}" is ${state}: it does not accept ${command}`, what);
}

/** Builds the statechart of `lifecycle` over `decider`. `now` is the clock used only to turn deadlines into delays. */
export function createLifecycleMachine<S>(decider: AnyDecider, lifecycle: Lifecycle<S>, now: () => number = Date.now) {
  const timerOf = (state: S): EntityTimer | null => decider.nextTimer?.(state) ?? null;
  const folded = foldOnce<S>(decider);
  const names = Object.keys(lifecycle.states);
  const states: Record<string, object> = { rehydrating: { always: names.map((n) => ({ guard: ({ context }: { context: EntityContext<S> }) => lifecycle.phaseOf(context.state) === n, target: n })) } };
  for (const name of names) states[name] = stateNode<S>(decider, lifecycle, name, folded);
  return setup({
    types: { context: {} as EntityContext<S>, events: {} as EntityMessage, input: {} as { state: S }, emitted: {} as TimerDue },
    delays: { untilDeadline: ({ context }) => Math.max(0, Date.parse(context.timer?.at ?? "") - now() || 0) },
    actions: {
      fold: assign(({ context, event }) => {
        const recorded = recordedOf(event);
        if (!recorded) return {};
        const state = folded(context.state, recorded);
        return { state, decided: null, timer: timerOf(state) };
      }),
      timerDue: emit(({ context }) => ({ type: "timerDue" as const, timer: context.timer as EntityTimer })),
    },
  }).createMachine({
    id: decider.resource,
    context: ({ input }) => ({ state: input.state, decided: null, rejection: null, timer: timerOf(input.state) }),
    initial: "rehydrating",
    on: { "*": { actions: "fold" } },
    states: states as never,
  });
}

/**
 * The snapshot an entity's actor may start from at decider state `state` when its lifecycle state has no delay and
 * the decider no deadline: that lifecycle state itself, resolved without the `rehydrating` step (a resting entity
 * woken by its next command; about half the allocation and time of a start through `rehydrating`). Null otherwise:
 * an actor must enter a state with a delay to arm it. Pure.
 */
export function restingSnapshot<S>(machine: LifecycleMachine, decider: AnyDecider, lifecycle: Lifecycle<S>, state: S) {
  const phase = lifecycle.phaseOf(state);
  if (lifecycle.states[phase]?.timer || decider.nextTimer?.(state)) return null;
  return machine.resolveState({ value: phase, context: { state, decided: null, rejection: null, timer: null } });
}

/** One lifecycle state as a state node: its accepted commands, its event transitions, its delay. */
function stateNode<S>(decider: AnyDecider, lifecycle: Lifecycle<S>, name: string, folded: (s: S, e: RecordedEvent) => S): object {
  const spec = lifecycle.states[name] as LifecycleState;
  const accepted = new Set(spec.accepts);
  const decide = assign(({ context, event }: { context: EntityContext<S>; event: EntityMessage }) => {
    if (!("command" in event)) return {};
    const { command } = event;
    if (!accepted.has(command.type)) {
      const isCreate = name !== lifecycle.absent && (lifecycle.states[lifecycle.absent]?.accepts ?? []).includes(command.type);
      return { decided: null, rejection: refusedInState(decider.resource, command.meta.name, name, lifecycle.absent, command.type, isCreate) };
    }
    try {
      return { decided: decider.decide(command, context.state) as DecidedEvent[], rejection: null };
    } catch (err) {
      return { decided: null, rejection: err };
    }
  });
  const on: Record<string, object> = { decide: { actions: decide } };
  const stay = spec.timer ? [{ target: name, reenter: true, actions: "fold" }] : [{ actions: "fold" }];
  for (const [type, targets] of Object.entries(spec.on ?? {}) as [string, readonly string[]][]) {
    on[type] = [...targets.map((target) => ({
      guard: ({ context, event }: { context: EntityContext<S>; event: EntityMessage }) => {
        const recorded = recordedOf(event);
        return recorded !== null && lifecycle.phaseOf(folded(context.state, recorded)) === target;
      },
      target, reenter: spec.timer === true, actions: "fold",
    })), ...stay];
  }
  if (spec.timer) on["*"] = stay[0] as object;
  return {
    meta: { accepts: spec.accepts, timer: spec.timer === true, absent: name === lifecycle.absent } satisfies LifecycleStateMeta,
    on,
    ...(spec.timer ? { after: { untilDeadline: { actions: "timerDue" } } } : {}),
  };
}

/** `evolve` remembering its last answer, so the guards that try a transition and the fold that takes it evolve once. */
function foldOnce<S>(decider: AnyDecider): (state: S, event: RecordedEvent) => S {
  let last: { state: S; event: RecordedEvent; next: S } | null = null;
  return (state, event) => {
    if (last && last.state === state && last.event === event) return last.next;
    last = { state, event, next: decider.evolve(state, event) as S };
    return last.next;
  };
}
