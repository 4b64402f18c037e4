/** The scheduler's verdicts on a pod that is still unbound: the PodScheduled condition. Pure. */
import type { Pod } from "../../api/pod.js";
import { conflict } from "../decisions.js";
import type { PodState } from "./decider.js";

/** PodUnschedulable when the pod waits for a node and the message is new; nothing when it says the same again. */
export function decideUnschedulable(state: PodState, pod: Pod, message: string): { type: "PodUnschedulable"; data: { message: string } }[] {
  const name = pod.metadata.name;
  if (pod.spec.nodeName !== undefined) throw conflict("pods", name, `is already bound to node "${pod.spec.nodeName}"`);
  if (state.deletionDeadline !== null) throw conflict("pods", name, "is being deleted");
  const current = pod.status.conditions?.find((c) => c.type === "PodScheduled");
  if (current?.reason === "Unschedulable" && current.message === message) return [];
  return [{ type: "PodUnschedulable", data: { message } }];
}

/** The pod with PodScheduled=False, reason Unschedulable and the scheduler's message. */
export function markUnschedulable(pod: Pod, message: string, time: string): Pod {
  const conditions = pod.status.conditions ?? [];
  const current = conditions.find((c) => c.type === "PodScheduled");
  const next = {
    type: "PodScheduled", status: "False" as const, reason: "Unschedulable", message,
    lastTransitionTime: current?.status === "False" ? (current.lastTransitionTime ?? time) : time,
  };
  const list = current ? conditions.map((c) => (c.type === "PodScheduled" ? next : c)) : [...conditions, next];
  return { ...pod, status: { ...pod.status, conditions: list } };
}
