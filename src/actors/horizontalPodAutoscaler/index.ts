/**
 * HorizontalPodAutoscaler actor (autoscaling/v2): a workload whose status the autoscaler records
 * (src/controllers/autoscaler) and which does not scale itself: it scales its target.
 */
import { HorizontalPodAutoscalerStatus, horizontalPodAutoscalerCodec } from "../../api/horizontalPodAutoscaler.js";
import { plainObjectDecider } from "../plainObject/decider.js";
import { plainObjectKind } from "../plainObject/machine.js";

/** The HorizontalPodAutoscaler's registration. */
export const horizontalPodAutoscalerKind = plainObjectKind(plainObjectDecider({
  resource: "horizontalpodautoscalers", kind: "HorizontalPodAutoscaler", clusterScoped: false,
  workload: { status: HorizontalPodAutoscalerStatus, scales: false },
}), horizontalPodAutoscalerCodec);
