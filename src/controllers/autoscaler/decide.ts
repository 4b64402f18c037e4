/**
 * The horizontal pod autoscaler's decision, pure: from an autoscaler, its target's replicas, the target's pods and
 * their latest usage, the other autoscalers of the namespace and what the controller remembers of this one, the
 * replica count to ask for and the status to record, by Kubernetes' rules (horizontal.go): a count outside
 * [minReplicas, maxReplicas] brought within it first; pods that another autoscaler's target selects too move nothing
 * (AmbiguousSelector); the largest metric's proposal (replicaCalculator.ts), stabilized and kept within the scale rate
 * and the bounds (normalize.ts, with the `behavior` of behavior.ts).
 */
import type { AutoscalerCondition, HorizontalPodAutoscaler, HorizontalPodAutoscalerStatus } from "../../api/horizontalPodAutoscaler.js";
import { isEmptySelector, labelSelectorMatches, type LabelSelector } from "../../api/labelSelector.js";
import { behaviorOf } from "./behavior.js";
import { seeded, type AutoscalerHistory } from "./history.js";
import { normalizeLegacy, normalizeWithBehavior } from "./normalize.js";
import { metricsOf, resourceProposal, type PodsAndUsage, type Proposal } from "./replicaCalculator.js";

/** Another autoscaler of the namespace, and the selector of its target. */
export interface Peer {
  name: string;
  selector: LabelSelector;
}

/** What the decision looks at. */
export interface AutoscalerFacts extends PodsAndUsage {
  hpa: HorizontalPodAutoscaler;
  /** The target's `spec.replicas`, or undefined when the target is not found. */
  currentReplicas: number | undefined;
  /** The words of a missing target (`deployments.apps "web" not found`). */
  missing?: string;
  /** The target's selector as its Scale shows it (`app=web`). */
  selector: string;
  /** The namespace's other autoscalers whose targets have a selector. */
  peers: readonly Peer[];
  /** What the controller remembers of this autoscaler; undefined the first time it looks at it. */
  history: AutoscalerHistory | undefined;
  nowMs: number;
  /** `nowMs` as an RFC 3339 time (seconds). */
  now: string;
}

/** What to do. */
export interface AutoscalerDecision {
  /** The replicas to set on the target, when they differ from its current count. */
  scaleTo?: number;
  /**
   * The history to keep, with this round's recommendation (a scale is added once it is made: `afterScale`);
   * undefined when the target's scale could not be had.
   */
  history?: AutoscalerHistory;
  status: HorizontalPodAutoscalerStatus;
}

type Condition = (list: AutoscalerCondition[], type: string, status: "True" | "False", reason: string, message: string) => AutoscalerCondition[];

/** A condition setter for this round: a condition keeps its transition time while its status stays. Pure. */
function conditionsSince(before: readonly AutoscalerCondition[] | undefined, now: string): Condition {
  return (list, type, status, reason, message) => {
    const old = before?.find((c) => c.type === type);
    const lastTransitionTime = old && old.status === status && old.lastTransitionTime ? old.lastTransitionTime : now;
    return [...list, { type, status, reason, message, lastTransitionTime }];
  };
}

/**
 * The autoscalers whose targets select one of the pods, `<namespace>/<name>` in order: this one, and each other whose
 * target's (non-empty) selector picks one (Kubernetes' hpasControllingPodsUnderSelector). Pure.
 */
export function controllersOfPods(facts: Pick<AutoscalerFacts, "hpa" | "pods" | "peers">): string[] {
  if (facts.pods.length === 0) return [];
  const { name, namespace } = facts.hpa.metadata;
  const others = facts.peers.filter((p) => p.name !== name && !isEmptySelector(p.selector)
    && facts.pods.some((pod) => labelSelectorMatches(p.selector, pod.metadata.labels)));
  return [name, ...others.map((p) => p.name)].sort().map((n) => `${namespace}/${n}`);
}

/** The autoscaler's decision for one round. Pure. */
export function decideAutoscaler(facts: AutoscalerFacts): AutoscalerDecision {
  const { hpa, now } = facts;
  const base: HorizontalPodAutoscalerStatus = {
    ...(hpa.metadata.generation === undefined ? {} : { observedGeneration: hpa.metadata.generation }),
    ...(hpa.status?.lastScaleTime === undefined ? {} : { lastScaleTime: hpa.status.lastScaleTime }),
  };
  const cond = conditionsSince(hpa.status?.conditions, now);
  const current = facts.currentReplicas;
  if (current === undefined) {
    const conditions = cond([], "AbleToScale", "False", "FailedGetScale", `the HPA controller was unable to get the target's current scale: ${facts.missing ?? "not found"}`);
    return { status: { ...base, currentReplicas: hpa.status?.currentReplicas ?? 0, desiredReplicas: hpa.status?.desiredReplicas ?? 0, conditions } };
  }
  const history = seeded(facts.history, current, facts.nowMs);
  const gotScale = cond([], "AbleToScale", "True", "SucceededGetScale", "the HPA controller was able to get the target's current scale");
  if (current === 0) {
    const conditions = cond(gotScale, "ScalingActive", "False", "ScalingDisabled", "scaling is disabled since the replica count of the target is zero");
    return { history, status: { ...base, currentReplicas: 0, desiredReplicas: 0, conditions } };
  }
  const min = hpa.spec.minReplicas ?? 1;
  const outside = current > hpa.spec.maxReplicas ? hpa.spec.maxReplicas : current < min ? min : undefined;
  if (outside !== undefined) {
    // Kubernetes brings the count within [min, max] before it reads any metric.
    const conditions = cond(cond([], "AbleToScale", "True", "SucceededRescale", `the HPA controller was able to update the target scale to ${outside}`),
      "ScalingLimited", "True", outside < current ? "TooManyReplicas" : "TooFewReplicas",
      outside < current ? "the desired replica count is more than the maximum replica count" : "the desired replica count is less than the minimum replica count");
    return { scaleTo: outside, history, status: { ...base, lastScaleTime: now, currentReplicas: current, desiredReplicas: outside, conditions } };
  }
  return byMetrics({ facts, current, history, base, cond, gotScale });
}

/** A round of an autoscaler whose target's count is within its bounds. */
interface Round {
  facts: AutoscalerFacts;
  current: number;
  history: AutoscalerHistory;
  base: HorizontalPodAutoscalerStatus;
  cond: Condition;
  gotScale: AutoscalerCondition[];
}

/** The decision by the metrics: their largest proposal, normalized; or why there is none. Pure. */
function byMetrics(round: Round): AutoscalerDecision {
  const { facts, current, history, base, cond } = round;
  const { hpa } = facts;
  const unable = (reason: string, message: string): AutoscalerDecision => ({
    history,
    status: { ...base, currentReplicas: current, desiredReplicas: hpa.status?.desiredReplicas ?? current, conditions: cond(round.gotScale, "ScalingActive", "False", reason, message) },
  });
  const controllers = controllersOfPods(facts);
  if (controllers.length > 1) return unable("AmbiguousSelector", `pods by selector ${facts.selector} are controlled by multiple HPAs: [${controllers.join(" ")}]`);
  const proposals = metricsOf(hpa).map((m) => resourceProposal(m.type === "Resource" || m.type === "ContainerResource" ? m : { type: m.type }, facts, current));
  const valid = proposals.filter((p): p is Extract<Proposal, { replicas: number }> => "replicas" in p);
  const failed = proposals.find((p): p is Extract<Proposal, { error: string }> => "error" in p);
  const best = valid.reduce<Extract<Proposal, { replicas: number }> | undefined>((a, b) => (a === undefined || b.replicas > a.replicas ? b : a), undefined);
  // With a metric failing, never scale down on the others alone: that is a failure too.
  if (best === undefined || (failed && best.replicas < current)) {
    return unable(failed?.reason ?? "FailedGetResourceMetric", `the HPA was unable to compute the replica count: ${failed?.error ?? "no metrics"}`);
  }
  const behavior = behaviorOf(hpa);
  const input = { current, proposed: best.replicas, min: hpa.spec.minReplicas ?? 1, max: hpa.spec.maxReplicas, history, nowMs: facts.nowMs };
  const { replicas, able, limited, history: kept } = behavior ? normalizeWithBehavior(behavior, input) : normalizeLegacy(input);
  const scaled = replicas !== current;
  const [ableReason, ableWords] = scaled ? ["SucceededRescale", `the HPA controller was able to update the target scale to ${replicas}`] : [able.reason, able.message];
  const conditions = cond(cond(cond([], "AbleToScale", "True", ableReason, ableWords),
    "ScalingActive", "True", "ValidMetricFound", `the HPA was able to successfully calculate a replica count from ${best.words}`),
  "ScalingLimited", limited.status, limited.reason, limited.message);
  const status: HorizontalPodAutoscalerStatus = {
    ...base, ...(scaled ? { lastScaleTime: facts.now } : {}), currentReplicas: current, desiredReplicas: replicas, currentMetrics: valid.map((p) => p.status), conditions,
  };
  return { ...(scaled ? { scaleTo: replicas } : {}), history: kept, status };
}
