/**
 * SelfSubjectAccessReview (authorization.k8s.io/v1): "may I?", as `kubectl auth can-i` asks it. The answer is the
 * caller's own authorization decision for the attributes, the same one its requests would meet. SelfSubjectRulesReview
 * ("what may I do here?", `kubectl auth can-i --list`) lists the caller's rules in a namespace. Pure over the caller.
 */
import { StatusError } from "../api/status.js";
import { authorizeNonResource } from "../auth/authorize.js";
import type { Caller, RequestedAccess } from "./caller.js";

/** The path of the review. */
export const ACCESS_REVIEW_PATH = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";
/** The path of the rules review. */
export const RULES_REVIEW_PATH = "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews";
/** The path of the self review (`kubectl auth whoami`). */
export const SELF_REVIEW_PATH = "/apis/authentication.k8s.io/v1/selfsubjectreviews";

/** The non-resource paths every authenticated user may read (see `authorizeNonResource`). */
const PUBLIC_URLS = ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/readyz", "/openapi", "/openapi/*", "/version", "/version/"];

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
      const attrs: RequestedAccess = {
        verb: verb as RequestedAccess["verb"], resource: a.resource ?? "", apiGroup: a.group ?? "",
        ...(a.namespace ? { namespace: a.namespace } : {}), ...(a.name ? { name: a.name } : {}), ...(a.subresource ? { subresource: a.subresource } : {}),
      };
      caller.authorize(attrs);
    }
    return { allowed: true };
  } catch (err) {
    // Kubernetes' RBAC denies with no reason, so that kubectl prints a bare "no".
    if (err instanceof StatusError && err.reason === "Forbidden") return { allowed: false };
    throw err;
  }
}

/** The rules review with its status: the caller's rules in `spec.namespace`; incomplete when they are not known. */
export function reviewRules(caller: Caller, body: unknown): Record<string, unknown> {
  const spec = (body as { spec?: { namespace?: string } } | undefined)?.spec ?? {};
  const rules = caller.rules?.(spec.namespace || undefined);
  const resourceRules = (rules ?? []).filter((r) => !r.nonResourceURLs).map((r) => ({ verbs: r.verbs, apiGroups: r.apiGroups ?? [], resources: r.resources ?? [], ...(r.resourceNames ? { resourceNames: r.resourceNames } : {}) }));
  const status = {
    resourceRules: [{ verbs: ["create"], apiGroups: ["authorization.k8s.io"], resources: ["selfsubjectaccessreviews", "selfsubjectrulesreviews"] }, ...resourceRules],
    nonResourceRules: [{ verbs: ["get"], nonResourceURLs: PUBLIC_URLS }],
    incomplete: rules === undefined,
  };
  return { apiVersion: "authorization.k8s.io/v1", kind: "SelfSubjectRulesReview", metadata: { creationTimestamp: null }, spec, status };
}

/** SelfSubjectReview (authentication.k8s.io/v1, `kubectl auth whoami`): who the caller authenticated as. */
export function reviewSelf(caller: Caller): Record<string, unknown> {
  const userInfo = {
    username: caller.user, ...(caller.uid ? { uid: caller.uid } : {}), groups: [...(caller.groups ?? ["system:authenticated"])],
    ...(caller.extra ? { extra: caller.extra } : {}),
  };
  return { apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview", metadata: { creationTimestamp: null }, status: { userInfo } };
}
