/**
 * SelfSubjectAccessReview (authorization.k8s.io/v1): "may I?", as `kubectl auth can-i` asks it. The answer is the
 * caller's own authorization decision for the attributes, the same one its requests would meet. Pure over the caller.
 */
import { StatusError } from "../api/status.js";
import { authorizeNonResource } from "../auth/authorize.js";
import type { Caller, RequestAttributes } from "./caller.js";

/** The path of the review. */
export const ACCESS_REVIEW_PATH = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";

type Spec = {
  resourceAttributes?: { namespace?: string; verb?: string; group?: string; resource?: string; subresource?: string; name?: string };
  nonResourceAttributes?: { path?: string; verb?: string };
};

const VERBS = new Set(["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"]);

/** The review with its status filled in. */
export function reviewAccess(caller: Caller, body: unknown): Record<string, unknown> {
  const spec = (body as { spec?: Spec } | undefined)?.spec;
  if (!spec || (!spec.resourceAttributes && !spec.nonResourceAttributes)) {
    throw new StatusError("Invalid", "SelfSubjectAccessReview.authorization.k8s.io is invalid: spec: Invalid value: exactly one of nonResourceAttributes or resourceAttributes must be specified", {
      kind: "SelfSubjectAccessReview", causes: [{ field: "spec", message: "exactly one of nonResourceAttributes or resourceAttributes must be specified" }],
    });
  }
  const status = spec.resourceAttributes ? decide(caller, spec.resourceAttributes) : decideNonResource(caller, spec.nonResourceAttributes ?? {});
  return { apiVersion: "authorization.k8s.io/v1", kind: "SelfSubjectAccessReview", metadata: { creationTimestamp: null }, spec, status };
}

/** A path outside the resources: discovery, version and health are open to every authenticated user, nothing else. */
function decideNonResource(caller: Caller, a: NonNullable<Spec["nonResourceAttributes"]>): { allowed: boolean; reason?: string } {
  try {
    authorizeNonResource(caller.user, a.verb ?? "", a.path ?? "");
    return { allowed: true, reason: "discovery, version and health are open to every authenticated user" };
  } catch (err) {
    if (err instanceof StatusError && err.reason === "Forbidden") return { allowed: false, reason: err.message };
    throw err;
  }
}

function decide(caller: Caller, a: NonNullable<Spec["resourceAttributes"]>): { allowed: boolean; reason?: string } {
  const verbs = a.verb === "*" ? [...VERBS] : [a.verb ?? ""];
  try {
    for (const verb of verbs) {
      if (!VERBS.has(verb)) return { allowed: false, reason: `unknown verb "${verb}"` };
      const attrs: RequestAttributes = {
        verb: verb as RequestAttributes["verb"], resource: a.resource ?? "", apiGroup: a.group ?? "",
        ...(a.namespace ? { namespace: a.namespace } : {}), ...(a.name ? { name: a.name } : {}), ...(a.subresource ? { subresource: a.subresource } : {}),
      };
      caller.authorize(attrs);
    }
    return { allowed: true };
  } catch (err) {
    if (err instanceof StatusError && err.reason === "Forbidden") return { allowed: false, reason: err.message };
    throw err;
  }
}
