/**
 * Kubernetes' RuntimeClass admission for pods: a pod naming a `runtimeClassName` that does not exist is refused; one
 * whose class has an overhead is given it (`spec.overhead`; one that gives another is refused), and the class's
 * `scheduling` node selector and tolerations are merged into it (a node selector key it sets otherwise is refused);
 * a pod may not set an overhead its class does not define. In the apiserver's words (`pod rejected: …`). The class is
 * read through its own actor (ResolveRuntimeClass, the host's command).
 */
import type { PodManifest } from "../../api/pod.js";
import type { RuntimeClass } from "../../api/runtimeClass.js";
import { forbiddenError } from "../../api/status.js";
import { CLUSTER_NS } from "../../api/kinds.js";
import { sameValue } from "../decisions.js";
import { compareQuantities, parseQuantity } from "../../api/quantity.js";
import { hostServiceKey, resolveThroughActor, type HostService, type KindAdmissionContext } from "../kindAdmission.js";

/** Reads runtime classes for pods' admission. */
export interface RuntimeClasses {
  /** The class `name`, or null when there is none. */
  resolve(name: string): Promise<RuntimeClass | null>;
}

/** The host service's key. */
export const RUNTIME_CLASSES = hostServiceKey<RuntimeClasses>("runtime-classes");

/** Classes read through their actors, with the host's own command. */
export const runtimeClassesService: HostService<RuntimeClasses> = {
  key: RUNTIME_CLASSES,
  start: (host) => ({
    resolve: async (name) => (await resolveThroughActor(host.runInternal, { resource: "runtimeclasses", namespace: CLUSTER_NS, name }, "ResolveRuntimeClass", `runtime:${name}`)) as RuntimeClass | null,
  }),
};

/** Gives the pod (`spec`, mutated) what its class `rc` (null: it names none) gives it; returns why it may not run under it, if so. */
export function applyRuntimeClass(spec: PodManifest["spec"], rc: RuntimeClass | null): string | undefined {
  const podFixed = rc?.overhead?.podFixed;
  if (!rc?.overhead && spec.overhead) return "pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead";
  if (rc?.overhead) {
    if (spec.overhead && !sameQuantities(spec.overhead, podFixed ?? {})) return "pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead";
    if (podFixed) spec.overhead = podFixed;
  }
  const scheduling = rc?.scheduling;
  for (const [key, value] of Object.entries(scheduling?.nodeSelector ?? {})) {
    const theirs = spec.nodeSelector?.[key];
    if (theirs !== undefined && theirs !== value) return `conflict: runtimeClass.scheduling.nodeSelector[${key}] = ${value}; pod.spec.nodeSelector[${key}] = ${theirs}`;
    spec.nodeSelector = { ...spec.nodeSelector, [key]: value };
  }
  const missing = (scheduling?.tolerations ?? []).filter((t) => !(spec.tolerations ?? []).some((p) => sameValue(p, t)));
  if (missing.length > 0) spec.tolerations = [...spec.tolerations ?? [], ...missing];
  return undefined;
}

/** Whether two resource lists name the same resources in the same amounts (`1` and `1000m` alike). Pure. */
function sameQuantities(a: Record<string, string | undefined>, b: Record<string, string | undefined>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)].filter((k) => a[k] !== undefined || b[k] !== undefined));
  return [...keys].every((k) => a[k] !== undefined && b[k] !== undefined && compareQuantities(parseQuantity(a[k]), parseQuantity(b[k])) === 0);
}

/** Admits a pod to be created under the class it names, or throws the apiserver's refusal. */
export async function admitRuntimeClass(ctx: KindAdmissionContext, name: string, manifest: PodManifest): Promise<void> {
  const className = manifest.spec.runtimeClassName;
  const rc = className ? await ctx.service(RUNTIME_CLASSES).resolve(className) : null;
  if (className && !rc) throw forbiddenError("pods", name, `pod rejected: RuntimeClass "${className}" not found`);
  const refusal = applyRuntimeClass(manifest.spec, rc);
  if (refusal) throw forbiddenError("pods", name, refusal);
}
