/**
 * PodDisruptionBudget actor (policy/v1): a workload whose status its controller records (src/controllers/disruption),
 * and which admits evictions one at a time. `AdmitEviction` (what the `pods/eviction` subresource sends before it
 * deletes a pod the budget covers) takes one of the disruptions its status allows and records the pod as disrupted,
 * or is refused in the apiserver's words (429) when none is left. One actor per budget makes the check and the
 * decrement one step: two evictions can never spend the same disruption.
 */
import { z } from "zod";
import { PodDisruptionBudgetStatus, podDisruptionBudgetCodec, withDisruptionCondition } from "../../api/podDisruptionBudget.js";
import { ObjectName } from "../../api/names.js";
import { StatusError } from "../../api/status.js";
import type { Command, DecidedEvent } from "../decider.js";
import { plainObjectDecider, type OwnCommands, type PlainObject } from "../plainObject/decider.js";
import { plainObjectKind } from "../plainObject/machine.js";

/** AdmitEviction: the pod (by name, in the budget's namespace) about to be evicted. */
export const AdmitEvictionData = z.strictObject({ pod: ObjectName });

/** More pods than this waiting for the controller to see them go, and evictions are refused (Kubernetes' limit). */
const MAX_DISRUPTED_PODS = 2000;

type Budget = { metadata: { name: string; generation?: number | undefined }; status?: PodDisruptionBudgetStatus | undefined };

/** Why an eviction of a healthy pod under `pdb` is refused now, or undefined when one disruption is left. Pure. */
export function evictionRefusal(pdb: Budget): StatusError | undefined {
  const status = pdb.status ?? {};
  const name = pdb.metadata.name;
  const tooMany = (cause: string) => new StatusError("TooManyRequests", "Cannot evict pod as it would violate the pod's disruption budget.", {
    causes: [{ field: "", reason: "DisruptionBudget", message: cause }],
  });
  if ((status.observedGeneration ?? 0) < (pdb.metadata.generation ?? 1)) return tooMany(`The disruption budget ${name} is still being processed by the server.`);
  if (Object.keys(status.disruptedPods ?? {}).length > MAX_DISRUPTED_PODS) {
    return new StatusError("Forbidden", `poddisruptionbudgets.policy "${name}" is forbidden: DisruptedPods map too big - too many evictions not confirmed by PDB controller`);
  }
  if ((status.disruptionsAllowed ?? 0) === 0) {
    return tooMany(`The disruption budget ${name} needs ${status.desiredHealthy ?? 0} healthy pods and has ${status.currentHealthy ?? 0} currently`);
  }
  return undefined;
}

/** The status after an admitted eviction at `time`: one disruption fewer, the pod among the disrupted. Pure. */
export function afterEviction(status: PodDisruptionBudgetStatus, pod: string, time: string): PodDisruptionBudgetStatus {
  const disruptionsAllowed = Math.max(0, (status.disruptionsAllowed ?? 0) - 1);
  const conditions = disruptionsAllowed > 0 ? status.conditions : withDisruptionCondition(status.conditions, {
    status: "False", reason: "InsufficientPods", ...(status.observedGeneration !== undefined ? { observedGeneration: status.observedGeneration } : {}),
  }, time);
  return { ...status, disruptionsAllowed, disruptedPods: { ...status.disruptedPods, [pod]: time }, ...(conditions ? { conditions } : {}) };
}

const own: OwnCommands = {
  commands: { AdmitEviction: { schema: AdmitEvictionData, senders: ["user", "controller"] } },
  decide(command: Command, object: PlainObject): DecidedEvent[] {
    const refusal = evictionRefusal(object as Budget);
    if (refusal) throw refusal;
    return [{ type: "EvictionAdmitted", data: { pod: (command.data as z.infer<typeof AdmitEvictionData>).pod, time: command.meta.time } }];
  },
  evolve(object: PlainObject, event: DecidedEvent): PlainObject | undefined {
    if (event.type !== "EvictionAdmitted") return undefined;
    const { pod, time } = event.data as { pod: string; time: string };
    return { ...object, status: afterEviction((object.status ?? {}) as PodDisruptionBudgetStatus, pod, time) };
  },
};

/** The PodDisruptionBudget's registration. */
export const podDisruptionBudgetKind = plainObjectKind(plainObjectDecider({
  resource: "poddisruptionbudgets", kind: "PodDisruptionBudget", clusterScoped: false,
  workload: { status: PodDisruptionBudgetStatus, scales: false }, own,
}), podDisruptionBudgetCodec);
