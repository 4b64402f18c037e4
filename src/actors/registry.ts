/** The actor kinds the host knows: each resource's decider and codec, built from the actors' configuration. */
import type { KindCodec } from "../api/codec.js";
import type { Resource } from "../api/kinds.js";
import { namespaceCodec } from "../api/namespace.js";
import { nodeCodec } from "../api/node.js";
import { podCodec } from "../api/pod.js";
import { podTemplateCodec } from "../api/podTemplate.js";
import { replicationControllerCodec } from "../api/replicationController.js";
import { resourceQuotaCodec } from "../api/resourceQuota.js";
import { DEFAULT_ACTOR_CONFIG, type ActorConfig } from "./actorConfig.js";
import type { AnyDecider, Command } from "./decider.js";
import type { CommandReply } from "../api/reply.js";
import type { KindAdmissionContext } from "./kindAdmission.js";
import { namespaceDecider } from "./namespace/index.js";
import { nodeDecider } from "./node/index.js";
import { createPodDecider } from "./pod/index.js";
import { podTemplateDecider } from "./podTemplate/index.js";
import { replicationControllerDecider } from "./replicationController/index.js";
import { resourceQuotaDecider } from "./resourceQuota/index.js";
import { deploymentActorKind } from "./deployment/index.js";
import { imageKind } from "./image/index.js";
import { leaseKind } from "./lease/index.js";
import { rbacKinds } from "./rbac/index.js";
import { replicaSetActorKind } from "./replicaSet/index.js";
import { serviceKinds } from "./service/index.js";
import { serviceAccountKind } from "./serviceAccount/index.js";

export { DEFAULT_ACTOR_CONFIG, type ActorConfig } from "./actorConfig.js";
export type { KindAdmissionContext } from "./kindAdmission.js";

/** What the host needs of one kind. */
export interface ActorKind {
  decider: AnyDecider;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  codec: KindCodec<any, any>;
  /** Field selector labels the kind supports and the object path each reads; absent: the common ones (see selectors.ts). */
  selectableFields?: Readonly<Record<string, string>>;
  /**
   * What is special about admitting the kind's commands (a Service's clusterIP): runs around the decision, may
   * adjust the command's data before `execute`, refuse, or act after it. `current` is the object as it stands.
   */
  admit?: (ctx: KindAdmissionContext, command: Command, current: Record<string, unknown> | null, execute: () => Promise<CommandReply>) => Promise<CommandReply>;
}

/** Kinds with an actor, by resource. A resource missing here refuses every command. */
export type ActorKinds = Partial<Record<Resource, ActorKind>>;

/**
 * Builds the registry of kinds for a configuration (only the pod decider depends on it: its back-off).
 * Its return type keeps each kind's precise decider and codec types (see `TypedActorKinds`).
 */
export function createActorKinds(config: ActorConfig = DEFAULT_ACTOR_CONFIG) {
  return {
    namespaces: { decider: namespaceDecider, codec: namespaceCodec },
    pods: { decider: createPodDecider(config), codec: podCodec },
    replicationcontrollers: { decider: replicationControllerDecider, codec: replicationControllerCodec },
    podtemplates: { decider: podTemplateDecider, codec: podTemplateCodec },
    nodes: { decider: nodeDecider, codec: nodeCodec },
    resourcequotas: { decider: resourceQuotaDecider, codec: resourceQuotaCodec },
    leases: leaseKind,
    serviceaccounts: serviceAccountKind,
    images: imageKind,
    replicasets: replicaSetActorKind,
    deployments: deploymentActorKind,
    ...rbacKinds,
    ...serviceKinds,
  } satisfies ActorKinds;
}

/** The registry with each kind's precise types: what typed clients (src/client) derive their commands from. */
export type TypedActorKinds = ReturnType<typeof createActorKinds>;

/** The registry with the default configuration. */
export const ACTOR_KINDS: ActorKinds = createActorKinds();
