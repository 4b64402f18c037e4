/**
 * The horizontal pod autoscaler's Events, as Kubernetes reports them on a HorizontalPodAutoscaler:
 * - SuccessfulRescale (`New size: 3; reason: cpu resource utilization (percentage of request) above target`,
 *   `All metrics below target`, or `Current number of replicas below Spec.MinReplicas`) when its status records a
 *   new scale;
 * - a Warning with the reason and words of `ScalingActive` when that becomes False (FailedGetResourceMetric: no
 *   samples, or a pod without a request).
 * Pure.
 */
import type { AutoscalerCondition, HorizontalPodAutoscalerStatus } from "../../api/horizontalPodAutoscaler.js";
import { COMPONENTS, draft, referenceTo, type EventDraft, type MetaOf, type StreamFact } from "./facts.js";

type Autoscaler = MetaOf & { status?: HorizontalPodAutoscalerStatus };
const source = { component: COMPONENTS.autoscaler };
const MEASURED_FROM = "the HPA was able to successfully calculate a replica count from ";
const UNABLE = "the HPA was unable to compute the replica count: ";

/** The Events of one recorded status. Pure. */
export function autoscalerEvents(fact: StreamFact): EventDraft[] {
  if (fact.event.type !== "HorizontalPodAutoscalerStatusRecorded") return [];
  const [before, after] = [fact.before as unknown as Autoscaler | null, fact.after as unknown as Autoscaler | null];
  if (!after?.status) return [];
  const ref = referenceTo("HorizontalPodAutoscaler", after, after.metadata.resourceVersion, undefined, "autoscaling/v2");
  const status = after.status;
  const active = (s: HorizontalPodAutoscalerStatus | undefined): AutoscalerCondition | undefined => s?.conditions?.find((c) => c.type === "ScalingActive");
  const out: EventDraft[] = [];
  if (status.lastScaleTime !== undefined && status.lastScaleTime !== before?.status?.lastScaleTime) {
    const up = (status.desiredReplicas ?? 0) > (status.currentReplicas ?? 0);
    const metric = active(status)?.message?.startsWith(MEASURED_FROM) ? active(status)?.message?.slice(MEASURED_FROM.length) : undefined;
    // A count brought within [min, max] before any metric was read says so, as Kubernetes does.
    const limited = active(status) ? undefined : status.conditions?.find((c) => c.type === "ScalingLimited")?.reason;
    const clamped = limited === "TooFewReplicas" ? "Current number of replicas below Spec.MinReplicas"
      : limited === "TooManyReplicas" ? "Current number of replicas above Spec.MaxReplicas" : undefined;
    const reason = clamped ?? (up && metric ? `${metric} above target` : "All metrics below target");
    out.push(draft(ref, "Normal", "SuccessfulRescale", `New size: ${status.desiredReplicas ?? 0}; reason: ${reason}`, source));
  }
  const now = active(status);
  const was = active(before?.status);
  if (now?.status === "False" && now.reason !== "ScalingDisabled" && (was?.status !== "False" || was.reason !== now.reason)) {
    out.push(draft(ref, "Warning", now.reason ?? "FailedComputeMetricsReplicas", (now.message ?? "").replace(UNABLE, ""), source));
  }
  return out;
}
