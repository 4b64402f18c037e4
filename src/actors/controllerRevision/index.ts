/**
 * ControllerRevision actor (apps/v1): a plain object its controller (daemon set, statefulset) creates, renumbers when
 * its owner goes back to it, and deletes beyond the owner's history limit. Its `data` never changes.
 */
import { controllerRevisionCodec } from "../../api/controllerRevision.js";
import { invalidField, sameValue } from "../decisions.js";
import { plainObjectDecider } from "../plainObject/decider.js";
import { plainObjectKind } from "../plainObject/machine.js";

/** The ControllerRevision's registration. */
export const controllerRevisionKind = plainObjectKind(plainObjectDecider({
  resource: "controllerrevisions", kind: "ControllerRevision", clusterScoped: false,
  check: (fields, current, name) => {
    if (current && !sameValue(fields.data, current.data)) throw invalidField("controllerrevisions", name, "data.data", "Invalid value: field is immutable");
  },
}), controllerRevisionCodec);
