/**
 * The simple lifecycle the plain kinds share (and pod templates): Absent → Active (created) → Absent
 * (deleted). Absent accepts only the create; Active every other command.
 */
import type { KindCodec } from "../../api/codec.js";
import { RESOURCE_INFO } from "../../api/kinds.js";
import { createCommandOf } from "../../api/manifestCommands.js";
import type { AnyDecider } from "../decider.js";
import type { Lifecycle } from "../lifecycle.js";
import type { ActorKind } from "../registry.js";

/** The names of an existence lifecycle's create command and its created and deleted events. */
export interface ExistenceNames {
  create: string;
  created: string;
  deleted: string;
}

/** Absent ⇄ Active over `decider`, from its create command and its created and deleted events. Pure. */
export function existenceLifecycle(decider: AnyDecider, names: ExistenceNames): Lifecycle<unknown, "Absent" | "Active"> {
  return {
    absent: "Absent",
    states: {
      Absent: { accepts: [names.create], on: { [names.created]: ["Active"] } },
      Active: { accepts: Object.keys(decider.commands).filter((c) => c !== names.create), on: { [names.deleted]: ["Absent"] } },
    },
    phaseOf: (state) => (decider.uidOf(state) === undefined ? "Absent" : "Active"),
  };
}

/** The registration of a plain kind: its decider, its codec and the existence lifecycle (names from the kinds registry). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function plainObjectKind<D extends AnyDecider>(decider: D, codec: KindCodec<any, any>) {
  const kind = RESOURCE_INFO[decider.resource].kind;
  const lifecycle = existenceLifecycle(decider, { create: createCommandOf(decider.resource), created: `${kind}Created`, deleted: `${kind}Deleted` });
  return { decider, codec, lifecycle } satisfies ActorKind;
}
