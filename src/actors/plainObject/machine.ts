/**
 * The simple lifecycle pod templates have: Absent → Active (created) → Absent (deleted); and the plain kinds', with
 * Terminating between: an object whose finalizers hold its deletion (Active → Terminating → Absent, once an update
 * takes the last finalizer away). Absent accepts only the create; the other states every other command.
 */
import type { KindCodec } from "../../api/codec.js";
import { RESOURCE_INFO } from "../../api/kinds.js";
import { createCommandOf } from "../../api/manifestCommands.js";
import type { AnyDecider } from "../decider.js";
import type { Lifecycle } from "../lifecycle.js";
import type { ActorKind } from "../registry.js";

/** The names of an existence lifecycle's create command and its created, terminating (when it has one) and deleted events. */
export interface ExistenceNames {
  create: string;
  created: string;
  deleted: string;
  /** The event that makes an object Terminating (its finalizers hold its deletion); absent: no such state. */
  terminating?: string;
}

/**
 * Absent → Active → Absent over `decider`, from its create command and its created and deleted events; with a
 * `terminating` event, Active → Terminating → Absent too (the object stays while its finalizers hold it, and takes
 * the same commands as Active: an update takes finalizers away). Pure.
 */
export function existenceLifecycle(decider: AnyDecider, names: ExistenceNames): Lifecycle<unknown, string> {
  const accepts = Object.keys(decider.commands).filter((c) => c !== names.create);
  const deleting = (state: unknown) => (decider.render(state) as { metadata?: { deletionTimestamp?: string } } | null)?.metadata?.deletionTimestamp !== undefined;
  const terminating = names.terminating;
  return {
    absent: "Absent",
    states: {
      Absent: { accepts: [names.create], on: { [names.created]: ["Active"] } },
      Active: { accepts, on: { ...(terminating ? { [terminating]: ["Terminating"] } : {}), [names.deleted]: ["Absent"] } },
      ...(terminating ? { Terminating: { accepts, on: { [names.deleted]: ["Absent"] } } } : {}),
    },
    phaseOf: (state) => (decider.uidOf(state) === undefined ? "Absent" : terminating && deleting(state) ? "Terminating" : "Active"),
  };
}

/** The registration of a plain kind: its decider, its codec and its lifecycle (names from the kinds registry). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function plainObjectKind<D extends AnyDecider>(decider: D, codec: KindCodec<any, any>) {
  const kind = RESOURCE_INFO[decider.resource].kind;
  const lifecycle = existenceLifecycle(decider, {
    create: createCommandOf(decider.resource), created: `${kind}Created`, terminating: `${kind}Terminating`, deleted: `${kind}Deleted`,
  });
  return { decider, codec, lifecycle } satisfies ActorKind;
}
