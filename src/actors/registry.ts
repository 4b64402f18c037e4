/** The actor kinds the host knows: each resource's decider and codec, built from the actors' configuration. */
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
export type ActorKinds = Partial<Record<Resource, ActorKind>>;

/** Tunables of the deciders (timings are recorded in the events they produce, so replays do not depend on them). */
export interface ActorConfig {
  /** CrashLoopBackOff: first delay, cap, and how long a container must run before the delay resets. */
  backoffInitialMs: number;
  backoffMaxMs: number;
  backoffResetMs: number;
}

/** The kubelet's numbers: 10 s doubling to 5 min, reset after 10 min of running. */
export const DEFAULT_ACTOR_CONFIG: ActorConfig = { backoffInitialMs: 10_000, backoffMaxMs: 300_000, backoffResetMs: 600_000 };

/** Builds the registry of kinds for a configuration. */
export function createActorKinds(config: ActorConfig = DEFAULT_ACTOR_CONFIG): ActorKinds {
  void config;
  return {
    namespaces: { decider: namespaceDecider, codec: namespaceCodec },
  };
}

/** The registry with the default configuration. */
export const ACTOR_KINDS: ActorKinds = createActorKinds();
