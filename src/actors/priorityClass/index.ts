/**
 * PriorityClass actor (scheduling.k8s.io/v1): a plain object whose `value` and `preemptionPolicy` never change, and
 * whose name may not begin with `system-` (Kubernetes keeps those for its own two classes, made by the first actor
 * host with their values), as the apiserver has it. `ResolvePriorityClass` (the host's, for a pod's admission) records
 * nothing: its reply carries the class, or NotFound.
 */
import { z } from "zod";
import { HIGHEST_USER_PRIORITY, priorityClass, SYSTEM_PRIORITY_CLASSES } from "../../api/priorityClass.js";
import { StatusError } from "../../api/status.js";
import { invalidField, sameValue } from "../decisions.js";
import { plainObjectDecider, type OwnCommands } from "../plainObject/decider.js";
import { plainObjectKind } from "../plainObject/machine.js";
import { bootstrapObject } from "../bootstrap.js";
import { priorityClassesService } from "../pod/priority.js";

/** Whether `name` may be made with `fields`: a user's class within the users' values, a `system-` one only Kubernetes' own. */
function checkName(fields: Record<string, unknown>, name: string): void {
  const system = SYSTEM_PRIORITY_CLASSES[name];
  if (name.startsWith("system-")) {
    if (!system || fields.value !== system.value || fields.globalDefault === true) {
      throw invalidField("priorityclasses", name, "data.metadata.name", `Invalid value: "${name}": priority class names with 'system-' prefix are reserved`);
    }
  } else if (typeof fields.value === "number" && fields.value > HIGHEST_USER_PRIORITY) {
    throw invalidField("priorityclasses", name, "data.value", `must not be greater than ${HIGHEST_USER_PRIORITY}`);
  }
}

const own: OwnCommands = {
  commands: { ResolvePriorityClass: { schema: z.strictObject({}), senders: ["host"] } },
  decide: () => [],
  evolve: () => undefined,
};

/** Kubernetes' two system classes (system-node-critical, system-cluster-critical), with their values. */
const bootstrap = Object.entries(SYSTEM_PRIORITY_CLASSES).map(([name, { value, description }]) => bootstrapObject("priorityclasses", { metadata: { name }, value, description }));

/** The PriorityClass's registration: its actor, the host service by which pods' admission reads classes, Kubernetes' own. */
export const priorityClassKind = { ...plainObjectKind(plainObjectDecider({
  resource: "priorityclasses", kind: "PriorityClass", clusterScoped: true, own,
  checkDelete: (_current, name) => {
    if (SYSTEM_PRIORITY_CLASSES[name]) {
      throw new StatusError("Forbidden", `priorityclasses.scheduling.k8s.io "${name}" is forbidden: this is a system priority class and cannot be deleted`, { kind: "priorityclasses", name });
    }
  },
  check: (fields, current, name) => {
    if (!current) checkName(fields, name);
    for (const field of ["value", "preemptionPolicy"] as const) {
      if (current && !sameValue(fields[field], current[field])) throw invalidField("priorityclasses", name, `data.${field}`, "Invalid value: field is immutable");
    }
  },
}), priorityClass.codec), hostService: priorityClassesService, bootstrap };
