/**
 * ConfigMap actor (v1): a plain object, with the apiserver's checks beyond the schema (no key in both `data` and
 * `binaryData`, at most 1 MiB) and `immutable`: once set, the data, the binary data and the flag itself stay.
 */
import { configMapCodec, configMapProblem, type ConfigMapFields } from "../../api/configMap.js";
import { invalidField, requireUnchangedWhenImmutable } from "../decisions.js";
import { plainObjectDecider } from "../plainObject/decider.js";
import { plainObjectKind } from "../plainObject/machine.js";

/** Refuses fields that cannot be a ConfigMap's, or that change an immutable one. Pure. */
export function checkConfigMap(fields: ConfigMapFields, current: ConfigMapFields | null, name: string): void {
  const problem = configMapProblem(fields);
  // A command's fields are under `data.` (the manifest is the command's data), as every refusal names them.
  if (problem) throw invalidField("configmaps", name, problem.field === "<root>" ? "data" : `data.${problem.field}`, problem.message);
  requireUnchangedWhenImmutable("configmaps", name, { ...fields }, current ? { ...current } : null, ["data", "binaryData", "immutable"]);
}

/** The ConfigMap's registration. */
export const configMapKind = plainObjectKind(plainObjectDecider({
  resource: "configmaps", kind: "ConfigMap", clusterScoped: false,
  check: (fields, current, name) => checkConfigMap(fields as ConfigMapFields, current as ConfigMapFields | null, name),
}), configMapCodec);
