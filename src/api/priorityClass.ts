/**
 * scheduling.k8s.io/v1 PriorityClass: a name for a pod priority (`value`), stored and served as the apiserver keeps it
 * (user classes at most 1,000,000,000, `system-` names reserved but for Kubernetes' two, the value fixed once made).
 * A pod's `priorityClassName` is resolved into its `priority` when it is created (src/actors/pod/priority.ts); the
 * scheduler does not preempt.
 */
import { z } from "zod";
import { ageColumn, column, nameColumn } from "./column.js";
import { groupKindCodec } from "./groupKind.js";

/** The highest value a user's class may have (higher ones are the system's). */
export const HIGHEST_USER_PRIORITY = 1_000_000_000;

/** Kubernetes' own classes, which every cluster has (their names are the only `system-` ones allowed), by name. */
export const SYSTEM_PRIORITY_CLASSES: Readonly<Record<string, { value: number; description: string }>> = {
  "system-node-critical": { value: 2_000_001_000, description: "Used for system critical pods that must not be moved from their current node." },
  "system-cluster-critical": { value: 2_000_000_000, description: "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary." },
};

/** The highest value any class may have (system-node-critical's). */
const HIGHEST_PRIORITY = 2_000_001_000;

/** The PriorityClass codec and schemas. */
export const priorityClass = groupKindCodec({
  resource: "priorityclasses", kind: "PriorityClass", apiVersion: "scheduling.k8s.io/v1", clusterScoped: true,
  fields: {
    // A user's class is held to HIGHEST_USER_PRIORITY by the actor, which knows its name (the system's go higher).
    value: z.number().int("must be an integer").max(HIGHEST_PRIORITY, `must not be greater than ${HIGHEST_USER_PRIORITY}`),
    globalDefault: z.boolean().optional(),
    description: z.string().optional(),
    preemptionPolicy: z.enum(["PreemptLowerPriority", "Never"]).optional(),
  },
});

type PriorityClassLike = { value: number; globalDefault?: boolean | undefined };

/** The PriorityClass columns: NAME VALUE GLOBAL-DEFAULT AGE. */
export const priorityClassColumns = [
  nameColumn(),
  column<PriorityClassLike>("Value", "integer", 0, "Value is the integer value of this priority class", (o) => o.value),
  column<PriorityClassLike>("Global-Default", "boolean", 0, "GlobalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class.", (o) => String(o.globalDefault ?? false)),
  ageColumn(),
];
