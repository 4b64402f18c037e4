/** A string field that must be present and non-empty, shared by the pod spec and its volumes. */
import { z } from "zod";

/** A string field that must be present and non-empty ("Required" when absent). */
export function requiredString() {
  return z.string({ error: (iss) => (iss.input === undefined ? "Required" : undefined) }).min(1, "must not be empty");
}

/** A string field that must be present and non-empty, refused as the apiserver's storage validation says it ("Required value"). */
export function requiredValue() {
  return z.string({ error: (iss) => (iss.input === undefined ? "Required value" : undefined) }).min(1, "Required value");
}
