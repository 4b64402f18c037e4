/** Shared steps of reading a manifest: schema parsing into Status errors, and agreement with the subject. */
import type { z } from "zod";
import { CLUSTER_NS } from "./kinds.js";
import { StatusError, invalidFromZod } from "./status.js";
import type { ManifestTarget } from "./codec.js";

/** A refusal of one field of a manifest, found by a check that returns them (its schema's refinement adds each). */
export type FieldIssue = { path: (string | number)[]; message: string };

/** Parses `body` with `schema`, or throws Invalid with one cause per field under `data.`. Pure. */
export function parseWith<S extends z.ZodType>(schema: S, body: unknown, kind: string, name: string): z.infer<S> {
  // The input on each issue: a value outside an enum is named, as the apiserver's `Unsupported value: "x"` names it.
  const r = schema.safeParse(body, { reportInput: true });
  if (!r.success) throw invalidFromZod(r.error, { kind, name }, "data");
  return r.data;
}

/** Throws BadRequest when the manifest's name or namespace disagrees with the subject's. Pure. */
export function checkTarget(
  meta: { name: string; namespace?: string | undefined },
  target: ManifestTarget,
  kind: string,
  clusterScoped: boolean,
): void {
  if (meta.name !== target.name) {
    throw new StatusError("BadRequest", `the name in the body ("${meta.name}") does not match the subject ("${target.name}")`, {
      kind, name: target.name, causes: [{ field: "data.metadata.name", message: `must equal "${target.name}"` }],
    });
  }
  if (clusterScoped) {
    if (meta.namespace !== undefined) {
      throw new StatusError("BadRequest", `${kind} is cluster-scoped and takes no namespace`, {
        kind, name: target.name, causes: [{ field: "data.metadata.namespace", message: "must be absent" }],
      });
    }
    if (target.namespace !== CLUSTER_NS) {
      throw new StatusError("BadRequest", `${kind} is cluster-scoped: the subject's namespace must be "_"`, { kind, name: target.name });
    }
    return;
  }
  if (meta.namespace !== undefined && meta.namespace !== target.namespace) {
    throw new StatusError("BadRequest", `the namespace in the body ("${meta.namespace}") does not match the subject ("${target.namespace}")`, {
      kind, name: target.name, causes: [{ field: "data.metadata.namespace", message: `must equal "${target.namespace}"` }],
    });
  }
}
