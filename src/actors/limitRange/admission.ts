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
import { invalidFromIssues, StatusError, toStatusError } from "../../api/status.js";
import type { CommandReply } from "../../api/reply.js";
import type { CommandBodyOf } from "../kindCommands.js";
import { hostServiceKey, type HostService, type KindAdmissionContext, type KindAdmissionRun, type RunInternal } from "../kindAdmission.js";
import type { NamespaceIndex } from "../namespaceIndex.js";
import { aggregate, claimLimitProblems, defaultPodResources, LIMIT_RANGER_ANNOTATION, podLimitProblems, requestsOverLimits, type Range } from "./limits.js";

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
    // ResolveLimitRange is the LimitRange actor's own command (plainObject's OwnCommands), not in the typed catalog.
    const command = { type: "ResolveLimitRange", data: {} } as unknown as CommandBodyOf<"limitranges">;
    try {
      const reply = await runInternal({ resource: "limitranges", namespace: ns, name }, command, `limits:${ns}:${name}`);
      const spec = (reply.ok ? (reply.object as { spec?: LimitRangeSpec }).spec : undefined);
      ranges.push(spec?.limits ?? []);
    } catch (err) {
      const status = toStatusError(err);
      if (status.reason !== "NotFound") throw status; // gone meanwhile: no longer a rule
    }
  }
  return ranges;
}

/** Gives a pod to be created its namespace's defaults, or throws the refusal of a range it breaks. */
export async function admitPodLimits(ctx: KindAdmissionContext, ns: string, name: string, manifest: PodManifest): Promise<void> {
  const ranges = await ctx.service(LIMIT_RANGES).inNamespace(ns);
  if (ranges.length === 0) return;
  const note = defaultPodResources(ranges, manifest.spec);
  if (note) manifest.metadata.annotations = { ...manifest.metadata.annotations, [LIMIT_RANGER_ANNOTATION]: note };
  const over = requestsOverLimits(manifest.spec);
  if (over.length > 0) throw invalidFromIssues(over, { kind: "pods", name }, "data");
  const problems = podLimitProblems(ranges, manifest.spec);
  if (problems.length > 0) throw new StatusError("Forbidden", `pods "${name}" is forbidden: ${aggregate(problems)}`, { kind: "pods", name });
}

/** Runs a claim's command under its namespace's ranges: a create, or an update that changes what it requests. */
export async function admitClaim(ctx: KindAdmissionContext, run: KindAdmissionRun): Promise<CommandReply> {
  const { command } = run;
  const requests = (command.data as { spec?: PersistentVolumeClaimSpec } | undefined)?.spec?.resources?.requests;
  const before = (run.current() as { spec: PersistentVolumeClaimSpec } | null)?.spec.resources?.requests;
  const checked = command.type === "CreatePersistentVolumeClaim" || (command.type === "UpdatePersistentVolumeClaim" && JSON.stringify(requests) !== JSON.stringify(before));
  if (checked) {
    const { namespace, name } = command.meta;
    const problems = claimLimitProblems(await ctx.service(LIMIT_RANGES).inNamespace(namespace), requests);
    if (problems.length > 0) {
      throw new StatusError("Forbidden", `persistentvolumeclaims "${name}" is forbidden: ${aggregate(problems)}`, { kind: "persistentvolumeclaims", name });
    }
  }
  return run.execute();
}
