import { describe, expect, it } from "vitest";
import { StatusError } from "../api/status.js";
import { authorize } from "../auth/authorize.js";
import type { Identity } from "../auth/tokens.js";
import { reviewAccess, reviewSelf } from "./accessReview.js";
import type { Caller } from "./caller.js";

/** A caller that decides as the NATS roles do for `identity` (the HTTP door's own decision). */
function callerOf(identity: Identity): Caller {
  return {
    user: identity.user,
    authorize: (a) => authorize(identity, { ...a, verb: a.verb }),
    sender: () => { throw new Error("a review sends nothing"); },
  };
}

const viewer = callerOf({ user: "viewer", role: "viewer" });
const tenant = callerOf({ user: "tenant-alpha", role: "tenant", namespace: "alpha" });
const status = (caller: Caller, spec: unknown) => reviewAccess(caller, { spec }).status as { allowed: boolean; reason?: string };

describe("SelfSubjectAccessReview", () => {
  it("answers resource attributes with the caller's own decision", () => {
    expect(status(viewer, { resourceAttributes: { verb: "list", resource: "pods", namespace: "default" } }).allowed).toBe(true);
    expect(status(viewer, { resourceAttributes: { verb: "create", resource: "pods", namespace: "default" } })).toMatchObject({ allowed: false });
    expect(status(tenant, { resourceAttributes: { verb: "create", resource: "pods", namespace: "alpha" } }).allowed).toBe(true);
    expect(status(tenant, { resourceAttributes: { verb: "get", resource: "pods", namespace: "beta" } }).allowed).toBe(false);
  });

  it("'*' asks every verb: allowed only when all are", () => {
    expect(status(viewer, { resourceAttributes: { verb: "*", resource: "pods", namespace: "default" } }).allowed).toBe(false);
    expect(status(tenant, { resourceAttributes: { verb: "*", resource: "pods", namespace: "alpha" } }).allowed).toBe(true);
  });

  it("answers a path outside the resources: discovery and health yes, anything else no", () => {
    expect(status(viewer, { nonResourceAttributes: { verb: "get", path: "/apis/apps/v1" } }).allowed).toBe(true);
    expect(status(viewer, { nonResourceAttributes: { verb: "get", path: "/healthz" } }).allowed).toBe(true);
    expect(status(viewer, { nonResourceAttributes: { verb: "post", path: "/api" } })).toMatchObject({ allowed: false, reason: 'forbidden: User "viewer" cannot post path "/api"' });
    expect(status(viewer, { nonResourceAttributes: { verb: "get", path: "/logs" } }).allowed).toBe(false);
  });

  it("refuses a review with neither attribute set as 422 naming spec", () => {
    expect(() => reviewAccess(viewer, { spec: {} })).toThrow(StatusError);
    expect(() => reviewAccess(viewer, {})).toThrow(/exactly one of nonResourceAttributes or resourceAttributes/);
  });
});

describe("SelfSubjectReview", () => {
  it("says who the caller is: name, uid, groups and the pod its token is bound to; system:authenticated when no groups are known", () => {
    const sa: Caller = {
      user: "system:serviceaccount:default:reader", uid: "sa-1", groups: ["system:serviceaccounts", "system:authenticated"],
      extra: { "authentication.kubernetes.io/pod-name": ["web"] }, authorize: () => undefined, sender: () => { throw new Error("no sender"); },
    };
    expect(reviewSelf(sa)).toEqual({
      apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview", metadata: { creationTimestamp: null },
      status: { userInfo: { username: sa.user, uid: "sa-1", groups: ["system:serviceaccounts", "system:authenticated"], extra: { "authentication.kubernetes.io/pod-name": ["web"] } } },
    });
    expect(reviewSelf({ ...callerOf({ user: "viewer", role: "viewer" }), groups: undefined }).status).toEqual({ userInfo: { username: "viewer", groups: ["system:authenticated"] } });
  });
});

describe("the rules of a data-folder user (kubectl auth can-i --list)", () => {
  it("gives the viewer every kind to read but Secrets, with the subresources it reads, and agrees with its decisions", async () => {
    const { roleRules } = await import("./auth.js");
    const rules = roleRules({ user: "viewer", role: "viewer" }, "default") ?? [];
    const reads = (resource: string, group = "") => rules.some((r) => r.apiGroups?.includes(group) && r.resources?.includes(resource) && r.verbs.includes("list"));
    expect(reads("pods") && reads("pods/log") && reads("configmaps") && reads("deployments", "apps") && reads("leases", "coordination.k8s.io")).toBe(true);
    expect(reads("secrets")).toBe(false);
    expect(rules.flatMap((r) => r.resources ?? []).some((r) => r === "*" || r.startsWith("secrets"))).toBe(false);
    expect(status(viewer, { resourceAttributes: { verb: "list", resource: "secrets", namespace: "default" } }).allowed).toBe(false);
  });
});
