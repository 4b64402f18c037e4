/**
 * PriorityClass actor (scheduling.k8s.io/v1): a plain object whose `value` and `preemptionPolicy` never change, and
 * whose name may not begin with `system-` (Kubernetes keeps those for its own two classes, made by the first actor
 * host with their values), as the apiserver has it. `ResolvePriorityClass` (the host's, for a pod's admission) records
 * nothing: its reply carries the class, or NotFound.
 */
import { HIGHEST_USER_PRIORITY, priorityClass, SYSTEM_PRIORITY_CLASSES } from "../../api/priorityClass.js";
import { forbiddenError, StatusError } from "../../api/status.js";
import { invalidField, sameValue } from "../decisions.js";
import { plainObjectDecider, resolveCommand } from "../plainObject/decider.js";
import { plainObjectKind } from "../plainObject/machine.js";
import { bootstrapObject } from "../bootstrap.js";
import { PRIORITY_CLASSES, priorityClassesService } from "../pod/priority.js";
import type { CommandReply } from "../../api/reply.js";
import type { KindAdmissionContext, KindAdmissionRun } from "../kindAdmission.js";

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

const own = resolveCommand("ResolvePriorityClass");

/** Kubernetes' two system classes (system-node-critical, system-cluster-critical), with their values. */
const bootstrap = Object.entries(SYSTEM_PRIORITY_CLASSES).map(([name, { value, description }]) => bootstrapObject("priorityclasses", { metadata: { name }, value, description }));

/** Whether a class's created or updated event marks it the global default. Pure. */
function marksDefault(data: unknown): boolean {
  const d = data as { object?: { globalDefault?: unknown }; fields?: { globalDefault?: unknown } };
  return (d.object ?? d.fields)?.globalDefault === true;
}

/** Refuses a second global default, in Kubernetes' words (its Priority admission, on the classes its index knows). */
async function admitClass(ctx: KindAdmissionContext, run: KindAdmissionRun): Promise<CommandReply> {
  const { command } = run;
  if ((command.data as { globalDefault?: unknown } | undefined)?.globalDefault === true) {
    const other = ctx.service(PRIORITY_CLASSES).defaultNames().find((n) => n !== command.meta.name);
    if (other !== undefined) {
      throw forbiddenError("priorityclasses", command.meta.name, `PriorityClass ${other} is already marked as default. Only one default can exist`, "scheduling.k8s.io");
    }
  }
  return run.execute();
}

/**
 * The PriorityClass's registration: its actor, the host service by which pods' admission reads classes, Kubernetes'
 * own; the host's index keeps the names of the classes marked `globalDefault`, of which there may be only one.
 */
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
}), priorityClass.codec), hostService: priorityClassesService, bootstrap, admit: admitClass,
namesPerNamespace: { added: "PriorityClassCreated", removed: "PriorityClassDeleted", only: { changed: "PriorityClassUpdated", holds: marksDefault } } };
