/**
 * Kubernetes' Priority admission for pods: a pod that names a `priorityClassName` is created with that class's value
 * as its `spec.priority` (and the class's `preemptionPolicy`), and one naming a class that does not exist is refused,
 * in the apiserver's words. A pod that names none gets the global default class (the one marked `globalDefault`; of
 * several, the lowest value), named in its spec, or priority 0 when there is none. A class is read through its own
 * actor (ResolvePriorityClass, the host's command); the default classes' names come from the host's index, which
 * keeps the classes marked `globalDefault` (as Kubernetes' admission reads its informer's cache).
 */
import type { PodManifest } from "../../api/pod.js";
import { CLUSTER_NS } from "../../api/kinds.js";
import { forbiddenError } from "../../api/status.js";
import { hostServiceKey, resolveThroughActor, type HostService, type KindAdmissionContext, type RunInternal } from "../kindAdmission.js";

/** A class as a pod takes it. */
export interface ResolvedPriority {
  value: number;
  preemptionPolicy: "PreemptLowerPriority" | "Never";
}

/** Reads priority classes for pods' admission. */
export interface PriorityClasses {
  /** The class `name`, or undefined when there is none. */
  resolve(name: string): Promise<ResolvedPriority | undefined>;
  /** The names of the classes marked `globalDefault`, as the host's index knows them. */
  defaultNames(): string[];
}

/** The host service's key. */
export const PRIORITY_CLASSES = hostServiceKey<PriorityClasses>("priority-classes");

/** Classes read through their actors, with the host's own command. */
export const priorityClassesService: HostService<PriorityClasses> = {
  key: PRIORITY_CLASSES,
  start: (host) => ({ resolve: (name) => resolveWith(host.runInternal, name), defaultNames: () => host.index.namesIn("priorityclasses", CLUSTER_NS) }),
};

async function resolveWith(runInternal: RunInternal, name: string): Promise<ResolvedPriority | undefined> {
  const object = await resolveThroughActor(runInternal, { resource: "priorityclasses", namespace: CLUSTER_NS, name }, "ResolvePriorityClass", `priority:${name}`);
  if (!object) return undefined;
  const c = object as { value?: number; preemptionPolicy?: ResolvedPriority["preemptionPolicy"] };
  return { value: c.value ?? 0, preemptionPolicy: c.preemptionPolicy ?? "PreemptLowerPriority" };
}

/**
 * Sets `manifest.spec.priority` and `preemptionPolicy` from its class, or throws the apiserver's refusal: no such
 * class, or a priority or policy the pod gives that differs from the class's.
 */
export async function admitPriority(ctx: KindAdmissionContext, pod: string, manifest: PodManifest): Promise<void> {
  const spec = manifest.spec;
  const name = spec.priorityClassName;
  const forbidden = (why: string) => forbiddenError("pods", pod, why);
  const given = (value: number) => `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${value} from the given PriorityClass name`;
  const classes = ctx.service(PRIORITY_CLASSES);
  const fallback = name ? undefined : await globalDefault(classes);
  if (!name && !fallback) {
    // No class and no default: Kubernetes computes 0, so another value is not the pod's to give.
    if (spec.priority !== undefined && spec.priority !== 0) throw forbidden(given(0));
    return;
  }
  const resolved = fallback ?? (name ? await classes.resolve(name) : undefined);
  if (!resolved) throw forbidden(`no PriorityClass with name ${name} was found`);
  if (spec.priority !== undefined && spec.priority !== resolved.value) {
    throw forbidden(given(resolved.value));
  }
  if (spec.preemptionPolicy !== undefined && spec.preemptionPolicy !== resolved.preemptionPolicy) {
    throw forbidden(`the string value of PreemptionPolicy (${spec.preemptionPolicy}) must not be provided in pod spec; priority admission controller computed ${resolved.preemptionPolicy} from the given PriorityClass name`);
  }
  spec.priority = resolved.value;
  spec.preemptionPolicy = resolved.preemptionPolicy;
  if (fallback) spec.priorityClassName = fallback.name;
}

/** The global default class: of those marked `globalDefault` (normally one), the lowest value, as Kubernetes picks it. */
async function globalDefault(classes: PriorityClasses): Promise<(ResolvedPriority & { name: string }) | undefined> {
  let lowest: (ResolvedPriority & { name: string }) | undefined;
  for (const name of classes.defaultNames()) {
    const resolved = await classes.resolve(name);
    if (resolved && (!lowest || resolved.value < lowest.value)) lowest = { ...resolved, name };
  }
  return lowest;
}
