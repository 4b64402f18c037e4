/**
 * LimitRange actor (v1): a plain object, stored with its Container item's defaults filled in (api/limitRange.ts).
 * The namespace index keeps each namespace's ranges, and the host reads them for the admission of pods and claims
 * (admission.ts); `ResolveLimitRange` (the host's) records nothing: its reply carries the range, or NotFound.
 */
import { limitRange, storedLimitRangeSpec, type LimitRangeSpec } from "../../api/limitRange.js";
import { plainObjectDecider, resolveCommand } from "../plainObject/decider.js";
import { plainObjectKind } from "../plainObject/machine.js";
import { limitRangesService } from "./admission.js";

const own = resolveCommand("ResolveLimitRange");

/** The LimitRange's registration: its actor, the namespace index's names of ranges, the host service admissions read them by. */
export const limitRangeKind = {
  ...plainObjectKind(plainObjectDecider({
    resource: "limitranges", kind: "LimitRange", clusterScoped: false, own,
    stored: (fields) => ({ ...fields, spec: storedLimitRangeSpec(fields.spec as LimitRangeSpec | undefined) }),
  }), limitRange.codec),
  namesPerNamespace: { added: "LimitRangeCreated", removed: "LimitRangeDeleted" },
  hostService: limitRangesService,
};
