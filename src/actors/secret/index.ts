/**
 * Secret actor (v1): a plain object whose `stringData` is merged into `data` when written, with the apiserver's
 * checks (a typed Secret's keys, at most 1 MiB), a `type` that never changes, and `immutable`: once set, the data
 * and the flag stay. Its events are sealed by the event store (`sealed` in the kinds registry).
 */
import { secretCodec, secretProblem, storedSecret, type SecretFields } from "../../api/secret.js";
import { invalidField, requireUnchangedWhenImmutable } from "../decisions.js";
import { plainObjectDecider } from "../plainObject/decider.js";
import { plainObjectKind } from "../plainObject/machine.js";

/** Refuses stored fields that cannot be a Secret's, or that change what may not change. Pure. */
export function checkSecret(fields: SecretFields, current: SecretFields | null, name: string): void {
  const problem = secretProblem(fields);
  if (problem) throw invalidField("secrets", name, `data.${problem.field}`, problem.message);
  if (current && (current.type ?? "Opaque") !== fields.type) throw invalidField("secrets", name, "data.type", `Invalid value: ${JSON.stringify(fields.type)}: field is immutable`);
  requireUnchangedWhenImmutable("secrets", name, { ...fields }, current ? { ...current } : null, ["data", "immutable"]);
}

/** The Secret's registration. */
export const secretKind = plainObjectKind(plainObjectDecider({
  resource: "secrets", kind: "Secret", clusterScoped: false,
  stored: (fields) => ({ ...storedSecret(fields as SecretFields) }),
  check: (fields, current, name) => checkSecret(fields as SecretFields, current as SecretFields | null, name),
}), secretCodec);
