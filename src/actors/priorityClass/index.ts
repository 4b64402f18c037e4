/**
 * PriorityClass actor (scheduling.k8s.io/v1): a plain object whose `value` and `preemptionPolicy` never change, and
 * whose name may not begin with `system-` (Kubernetes keeps those for its own classes), as the apiserver has it.
 */
import { priorityClass } from "../../api/priorityClass.js";
import { invalidField, sameValue } from "../decisions.js";
import { plainObjectDecider } from "../plainObject/decider.js";
import { plainObjectKind } from "../plainObject/machine.js";

/** The PriorityClass's registration. */
export const priorityClassKind = plainObjectKind(plainObjectDecider({
  resource: "priorityclasses", kind: "PriorityClass", clusterScoped: true,
  check: (fields, current, name) => {
    if (!current && name.startsWith("system-")) throw invalidField("priorityclasses", name, "data.metadata.name", `Invalid value: "${name}": priority class names with 'system-' prefix are reserved`);
    for (const field of ["value", "preemptionPolicy"] as const) {
      if (current && !sameValue(fields[field], current[field])) throw invalidField("priorityclasses", name, `data.${field}`, "Invalid value: field is immutable");
    }
  },
}), priorityClass.codec);
