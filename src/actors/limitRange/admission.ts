/**
 * Admission under a namespace's LimitRanges (Kubernetes' LimitRanger): a pod created in it is given its ranges'
 * default requests and limits, then refused (Forbidden, in the apiserver's words) when it breaks a range's rule; a
 * claim is refused when its storage request is outside a range's min and max, on create and when its requests change.
 * The ranges are read through their own actors (ResolveLimitRange, the host's command), by the names the namespace
 * index keeps, fenced on create as quotas are.
 */
import type { LimitRangeSpec } from "../../api/limitRange.js";
import type { PodManifest } from "../../api/pod.js";
import type { PersistentVolumeClaimSpec } from "../../api/persistentVolumeClaim.js";
import { forbiddenError, invalidFromIssues } from "../../api/status.js";
import type { CommandReply } from "../../api/reply.js";
import { hostServiceKey, resolveThroughActor, type HostService, type KindAdmissionContext, type KindAdmissionRun, type RunInternal } from "../kindAdmission.js";
import type { NamespaceIndex } from "../namespaceIndex.js";
import { aggregate, claimLimitProblems, defaultPodResources, LIMIT_RANGER_ANNOTATION, podLimitProblems, podRequestsOverLimits, type Range } from "./limits.js";
import { sameValue } from "../decisions.js";

/** Reads a namespace's ranges for admissions. */
export interface LimitRanges {
  /** The items of each range of `ns`, by the range's name. */
  inNamespace(ns: string): Promise<Range[]>;
}

/** The host service's key. */
export const LIMIT_RANGES = hostServiceKey<LimitRanges>("limit-ranges");

/** Ranges read through their actors, with the host's own command. */
export const limitRangesService: HostService<LimitRanges> = {
  key: LIMIT_RANGES,
  start: (host) => ({ inNamespace: (ns) => rangesIn(host.index, host.runInternal, ns) }),
};

async function rangesIn(index: NamespaceIndex, runInternal: RunInternal, ns: string): Promise<Range[]> {
  const ranges: Range[] = [];
  for (const name of index.namesIn("limitranges", ns)) {
    const range = await resolveThroughActor(runInternal, { resource: "limitranges", namespace: ns, name }, "ResolveLimitRange", `limits:${ns}:${name}`);
    // One gone meanwhile is no longer a rule.
    if (range) ranges.push((range as { spec?: LimitRangeSpec }).spec?.limits ?? []);
  }
  return ranges;
}

/**
 * Gives a pod to be created its namespace's defaults (LimitRanger's mutating step); returns the check of the pod
 * against its ranges (the validating step: a request above a defaulted limit is Invalid, a broken rule Forbidden), to
 * run once the other admissions have changed the pod, as kube-apiserver runs every mutation before any validation.
 */
export async function defaultPodLimits(ctx: KindAdmissionContext, ns: string, name: string, manifest: PodManifest): Promise<() => void> {
  const ranges = await ctx.service(LIMIT_RANGES).inNamespace(ns);
  if (ranges.length === 0) return () => {};
  const note = defaultPodResources(ranges, manifest.spec);
  if (note) manifest.metadata.annotations = { ...manifest.metadata.annotations, [LIMIT_RANGER_ANNOTATION]: note };
  return () => {
    const over = podRequestsOverLimits(manifest.spec);
    if (over.length > 0) throw invalidFromIssues(over, { kind: "pods", name }, "data");
    const problems = podLimitProblems(ranges, manifest.spec);
    if (problems.length > 0) throw forbiddenError("pods", name, aggregate(problems));
  };
}

/** Runs a claim's command under its namespace's ranges: a create, or an update that changes what it requests. */
export async function admitClaim(ctx: KindAdmissionContext, run: KindAdmissionRun): Promise<CommandReply> {
  const { command } = run;
  const requests = (command.data as { spec?: PersistentVolumeClaimSpec } | undefined)?.spec?.resources?.requests;
  const before = (run.current() as { spec: PersistentVolumeClaimSpec } | null)?.spec.resources?.requests;
  const checked = command.type === "CreatePersistentVolumeClaim" || (command.type === "UpdatePersistentVolumeClaim" && !sameValue(requests, before));
  if (checked) {
    const problems = claimLimitProblems(await ctx.service(LIMIT_RANGES).inNamespace(command.meta.namespace), requests);
    if (problems.length > 0) throw forbiddenError("persistentvolumeclaims", command.meta.name, aggregate(problems));
  }
  return run.execute();
}
