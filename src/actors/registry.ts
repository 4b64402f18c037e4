/** The actor kinds the host knows: each resource's decider and codec. */
import type { KindCodec } from "../api/codec.js";
import type { Resource } from "../api/kinds.js";
import { namespaceCodec } from "../api/namespace.js";
import type { AnyDecider } from "./decider.js";
import { namespaceDecider } from "./namespace/index.js";

/** What the host needs of one kind. */
export interface ActorKind {
  decider: AnyDecider;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  codec: KindCodec<any, any>;
}

/** Kinds with an actor, by resource. A resource missing here refuses every command. */
export const ACTOR_KINDS: Partial<Record<Resource, ActorKind>> = {
  namespaces: { decider: namespaceDecider, codec: namespaceCodec },
};
