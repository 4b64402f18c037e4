/**
 * RuntimeClass actor (node.k8s.io/v1): a plain object whose `handler` never changes, as the apiserver has it
 * (`handler: Invalid value: "x": field is immutable`). `ResolveRuntimeClass` (the host's, for a pod's admission)
 * records nothing: its reply carries the class, or NotFound.
 */
import { runtimeClass } from "../../api/runtimeClass.js";
import { invalidField, sameValue } from "../decisions.js";
import { plainObjectDecider, resolveCommand } from "../plainObject/decider.js";
import { plainObjectKind } from "../plainObject/machine.js";
import { runtimeClassesService } from "./admission.js";

const own = resolveCommand("ResolveRuntimeClass");

/** The RuntimeClass's registration: its actor and the host service by which pods' admission reads classes. */
export const runtimeClassKind = {
  ...plainObjectKind(plainObjectDecider({
    resource: "runtimeclasses", kind: "RuntimeClass", clusterScoped: true, own,
    check: (fields, current, name) => {
      if (current && !sameValue(fields.handler, current.handler)) {
        throw invalidField("runtimeclasses", name, "data.handler", `Invalid value: ${JSON.stringify(fields.handler)}: field is immutable`);
      }
    },
  }), runtimeClass.codec),
  hostService: runtimeClassesService,
};
