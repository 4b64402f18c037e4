/** The actor kinds the host knows: each resource's decider and codec, built from the actors' configuration. */
import type { KindCodec } from "../api/codec.js";
import type { EntityRef, Resource } from "../api/kinds.js";
import { DEFAULT_ACTOR_CONFIG, type ActorConfig } from "./actorConfig.js";
import type { AnyDecider } from "./decider.js";
import type { CommandReply } from "../api/reply.js";
import type { HostService, KindAdmissionContext, KindAdmissionRun } from "./kindAdmission.js";
import type { NamesPerNamespace } from "./namespaceIndex.js";
import type { Lifecycle } from "./lifecycle.js";
import { namespaceKind } from "./namespace/index.js";
import { nodeKind } from "./node/index.js";
import { createPodKind } from "./pod/index.js";
import { podTemplateKind } from "./podTemplate/index.js";
import { replicationControllerKind } from "./replicationController/index.js";
import { resourceQuotaKind } from "./resourceQuota/index.js";
import { deploymentActorKind } from "./deployment/index.js";
import { imageKind } from "./image/index.js";
import { leaseKind } from "./lease/index.js";
import { rbacKinds } from "./rbac/index.js";
import { replicaSetActorKind } from "./replicaSet/index.js";
import { createServiceKinds } from "./service/index.js";
import { serviceAccountKind } from "./serviceAccount/index.js";
import { configMapKind } from "./configMap/index.js";
import { secretKind } from "./secret/index.js";
import { jobKind } from "./job/index.js";
import { cronJobKind } from "./cronJob/index.js";
import { daemonSetKind } from "./daemonSet/index.js";
import { statefulSetKind } from "./statefulSet/index.js";
import { controllerRevisionKind } from "./controllerRevision/index.js";
import { podDisruptionBudgetKind } from "./podDisruptionBudget/index.js";
import { networkingKinds } from "./networking/index.js";
import { priorityClassKind } from "./priorityClass/index.js";
import { horizontalPodAutoscalerKind } from "./horizontalPodAutoscaler/index.js";
import { persistentVolumeKind } from "./persistentVolume/index.js";
import { persistentVolumeClaimKind } from "./persistentVolumeClaim/index.js";
import { storageClassKind } from "./storageClass/index.js";
import { limitRangeKind } from "./limitRange/index.js";
import { eventKind } from "./event/index.js";
import { runtimeClassKind } from "./runtimeClass/index.js";
import type { BootstrapObject } from "./bootstrap.js";

export { DEFAULT_ACTOR_CONFIG, type ActorConfig } from "./actorConfig.js";
export type { BootstrapObject } from "./bootstrap.js";
export type { HostService, KindAdmissionContext, KindAdmissionRun } from "./kindAdmission.js";

/** What the host needs of one kind. */
export interface ActorKind {
  decider: AnyDecider;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  codec: KindCodec<any, any>;
  /** Field selector labels the kind supports and the object path each reads; absent: the common ones (see selectors.ts). */
  selectableFields?: Readonly<Record<string, string>>;
  /**
   * What is special about admitting the kind's commands (a Service's clusterIP, a pod's quota reservations): runs
   * around the decision, may adjust the command's data before `execute`, refuse, or act after it.
   */
  admit?: (ctx: KindAdmissionContext, run: KindAdmissionRun) => Promise<CommandReply>;
  /**
   * The kind's admission reads the entity's state (`run.current()`) and must see its latest version: the host catches
   * the entity up from the stream first (one read), since another host may have changed it (a Service's node ports).
   */
  admitsOnFreshState?: true;
  /**
   * What the kind's admission keeps of the object on an update that leaves it out (a Service's clusterIP and node
   * ports), as a pure function of the update's data and the object: a dry run applies it, having no admission.
   */
  keptOnUpdate?: (data: Record<string, unknown>, current: Record<string, unknown>) => Record<string, unknown>;
  /**
   * Kinds whose names per namespace its admission reads on create (a pod's quotas): admission fences the namespace
   * index on them with the namespace's.
   */
  fencesOnCreate?: readonly Resource[];
  /** The namespace index keeps the kind's names per namespace (a namespace's quotas), added and removed by these events. */
  namesPerNamespace?: NamesPerNamespace;
  /** A service the kind provides the host with (its quotas' reservations), built at start; admissions look it up by key. */
  hostService?: HostService<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /**
   * For a kind a node agent sends commands to: why node `node` may not act on the entity as it stands (`current`,
   * null when it does not exist), or null when it may. Absent: a node may not act on the kind at all.
   */
  nodeScope?: (node: string, ref: EntityRef, current: Record<string, unknown> | null) => string | null;
  /**
   * Fields the read model indexes for field selectors' equalities: `every` value (an empty one too), or only when
   * `set`. Absent: none (a field selector then filters the kind's documents one by one).
   */
  indexedFields?: Readonly<Record<string, "every" | "set">>;
  /** The kind's lifecycle (src/actors/<kind>/machine.ts): the states its machine has and what each accepts. */
  lifecycle?: Lifecycle<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** The objects of the kind every cluster has from its first start (`default`, Kubernetes' ClusterRoles), in order. */
  bootstrap?: readonly BootstrapObject[];
}


/** Kinds with an actor, by resource. A resource missing here refuses every command. */
export type ActorKinds = Partial<Record<Resource, ActorKind>>;

/**
 * Builds the registry of kinds for a configuration (the pod decider's back-off, the services' range).
 * Its return type keeps each kind's precise decider and codec types (see `TypedActorKinds`).
 */
export function createActorKinds(config: ActorConfig = DEFAULT_ACTOR_CONFIG) {
  return {
    namespaces: namespaceKind,
    pods: createPodKind(config),
    replicationcontrollers: replicationControllerKind,
    podtemplates: podTemplateKind,
    nodes: nodeKind,
    resourcequotas: resourceQuotaKind,
    leases: leaseKind,
    serviceaccounts: serviceAccountKind,
    configmaps: configMapKind,
    secrets: secretKind,
    jobs: jobKind,
    cronjobs: cronJobKind,
    daemonsets: daemonSetKind,
    statefulsets: statefulSetKind,
    controllerrevisions: controllerRevisionKind,
    poddisruptionbudgets: podDisruptionBudgetKind,
    ...networkingKinds,
    priorityclasses: priorityClassKind,
    horizontalpodautoscalers: horizontalPodAutoscalerKind,
    persistentvolumes: persistentVolumeKind,
    persistentvolumeclaims: persistentVolumeClaimKind,
    storageclasses: storageClassKind,
    limitranges: limitRangeKind,
    events: eventKind,
    runtimeclasses: runtimeClassKind,
    images: imageKind,
    replicasets: replicaSetActorKind,
    deployments: deploymentActorKind,
    ...rbacKinds,
    ...createServiceKinds(config),
  } satisfies ActorKinds;
}

/** The registry with each kind's precise types: what typed clients (src/client) derive their commands from. */
export type TypedActorKinds = ReturnType<typeof createActorKinds>;

/** The registry with the default configuration. */
export const ACTOR_KINDS: ActorKinds = createActorKinds();
