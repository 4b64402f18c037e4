import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { RESOURCES, RESOURCE_INFO } from "../api/kinds.js";
import { StatusError } from "../api/status.js";
import { authorize, authorizeNonResource, forbidden, isAllowed, isRead, VERBS, type ResourceRequest, type Verb } from "./authorize.js";
import { subjectMatches } from "./subjectMatch.js";
import type { Identity } from "./tokens.js";

const admin: Identity = { user: "admin", role: "admin" };
const system: Identity = { user: "system", role: "system" };
const viewer: Identity = { user: "viewer", role: "viewer" };
const controller: Identity = { user: "controller", role: "controller" };
const sharedNode: Identity = { user: "node", role: "node" };
const nodeN1: Identity = { user: "node-n1", role: "node", node: "n1" };
const alpha: Identity = { user: "tenant-alpha", role: "tenant", namespace: "alpha" };

describe("NATS wildcard matching", () => {
  it.each([
    ["cox.api.>", "cox.api.pods.alpha.list", true],
    ["cox.api.>", "cox.api", false],
    ["cox.api.*.alpha.*", "cox.api.pods.alpha.list", true],
    ["cox.api.*.alpha.*", "cox.api.pods.beta.list", false],
    ["cox.api.*.alpha.*", "cox.api.pods.alpha.list.more", false],
    ["cox.cmd.*.alpha.>", "cox.cmd.pods.alpha.web", true],
    ["cox.cmd.*.alpha.>", "cox.cmd.pods.alpha", false],
    [">", "anything.at.all", true],
    ["cox.node.n1.>", "cox.node.n2.pods.a.b", false],
    ["a.b", "a.b", true],
    ["a.b", "a.b.c", false],
  ])("%s on %s: %s", (pattern, subject, expected) => {
    expect(subjectMatches(pattern, subject)).toBe(expected);
  });
});

/** The policy in plain words, written independently of roles.ts: what each role may do over HTTP. */
function expected(who: Identity, req: ResourceRequest): boolean {
  const clusterScoped = RESOURCE_INFO[req.resource as (typeof RESOURCES)[number]].clusterScoped;
  const logs = req.subresource === "log";
  switch (who.role) {
    case "admin":
    case "system":
      return true;
    case "viewer":
      // Secrets are not the viewer's to read (as Kubernetes' own `view` role leaves them out).
      return isRead(req.verb) && req.resource !== "secrets";
    case "tenant":
      return !clusterScoped && req.namespace === who.namespace;
    case "controller":
      return !logs;
    case "node":
      return isRead(req.verb) ? !logs : who.node !== undefined;
    case "serviceaccount":
      // The shared NATS user of pods has no rights of its own: each request at its door is judged by RBAC.
      return false;
  }
}

describe("authorize: streams into pods", () => {
  it("are users' only: admin and a tenant in its namespace may exec, attach and port-forward; nodes and controllers never, whatever their trees allow", () => {
    for (const subresource of ["exec", "attach", "portforward"]) {
      const req = (namespace: string): ResourceRequest => ({ verb: "create", resource: "pods", subresource, namespace, name: "web" });
      expect(isAllowed(admin, req("beta"))).toBe(true);
      expect(isAllowed(alpha, req("alpha"))).toBe(true);
      expect(isAllowed(alpha, req("beta"))).toBe(false);
      for (const who of [viewer, controller, sharedNode, nodeN1]) expect(isAllowed(who, req("alpha")), `${who.user} ${subresource}`).toBe(false);
    }
    // The same node may still write its pods' status: a command, judged by the actor.
    expect(isAllowed(nodeN1, { verb: "update", resource: "pods", subresource: "status", namespace: "alpha", name: "web" })).toBe(true);
  });
});

describe("authorize: one decision with the NATS permissions", () => {
  const pods: Identity = { user: "serviceaccount", role: "serviceaccount" };
  const who = [admin, system, viewer, controller, sharedNode, nodeN1, alpha, pods];
  const namespaces = ["alpha", "beta", undefined];
  const cases = who.flatMap((w) => VERBS.flatMap((verb) => RESOURCES.flatMap((resource) =>
    namespaces.map((namespace) => ({ w, req: { verb, resource, namespace: RESOURCE_INFO[resource].clusterScoped ? undefined : namespace, name: "x" } })))));

  it("agrees with the policy for every role × verb × resource × namespace", () => {
    const disagreements = cases.filter(({ w, req }) => isAllowed(w, req) !== expected(w, req)).map(({ w, req }) => `${w.user} ${req.verb} ${req.resource} ${req.namespace}`);
    expect(disagreements).toEqual([]);
    expect(cases.length).toBeGreaterThan(500);
  });

  it("lets a tenant do anything in its own namespace and nothing in another or across all", () => {
    const dnsLabel = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?$/);
    const namespaced = RESOURCES.filter((r) => !RESOURCE_INFO[r].clusterScoped);
    fc.assert(fc.property(dnsLabel, dnsLabel, fc.constantFrom(...VERBS), fc.constantFrom(...namespaced), fc.option(dnsLabel, { nil: undefined }),
      (own, other, verb, resource, name) => {
        const tenant: Identity = { user: `tenant-${own}`, role: "tenant", namespace: own };
        expect(isAllowed(tenant, { verb, resource, namespace: own, name })).toBe(true);
        expect(isAllowed(tenant, { verb, resource, namespace: other, name })).toBe(own === other);
        expect(isAllowed(tenant, { verb, resource, name })).toBe(false);
      }));
  });

  it("reads pod logs as the log subjects allow: tenants in their namespace and the viewer, not controllers or nodes", () => {
    const log = (namespace: string): ResourceRequest => ({ verb: "get", resource: "pods", namespace, name: "web", subresource: "log" });
    expect(isAllowed(alpha, log("alpha"))).toBe(true);
    expect(isAllowed(alpha, log("beta"))).toBe(false);
    expect(isAllowed(viewer, log("beta"))).toBe(true);
    expect(isAllowed(controller, log("alpha"))).toBe(false);
    expect(isAllowed(nodeN1, log("alpha"))).toBe(false);
  });

  it("lets a TokenRequest be made as a write of the account: admin, controllers, a tenant in its namespace; never a node or the viewer", () => {
    const token = (namespace: string): ResourceRequest => ({ verb: "create", resource: "serviceaccounts", namespace, name: "reader", subresource: "token" });
    expect(isAllowed(admin, token("kube-system"))).toBe(true);
    expect(isAllowed(controller, token("kube-system"))).toBe(true);
    expect(isAllowed(alpha, token("alpha"))).toBe(true);
    expect(isAllowed(alpha, token("beta"))).toBe(false);
    expect(isAllowed(viewer, token("alpha"))).toBe(false);
    expect(isAllowed(nodeN1, token("alpha"))).toBe(false);
    expect(isAllowed(sharedNode, token("alpha"))).toBe(false);
  });

  it("takes the scope of a kind the registry does not know from the request", () => {
    expect(isAllowed(alpha, { verb: "list", resource: "events", namespace: "alpha" })).toBe(true);
    expect(isAllowed(alpha, { verb: "list", resource: "events", namespace: "alpha", clusterScoped: true })).toBe(false);
    expect(isAllowed(viewer, { verb: "get", resource: "componentstatuses", name: "etcd", clusterScoped: true })).toBe(true);
  });

  it("follows a custom subject prefix", () => {
    expect(isAllowed(alpha, { verb: "create", resource: "pods", namespace: "alpha", name: "w" }, "blue")).toBe(true);
    expect(isAllowed(viewer, { verb: "create", resource: "pods", namespace: "alpha", name: "w" }, "blue")).toBe(false);
  });
});

describe("the Forbidden error in the apiserver's words", () => {
  const refused = (w: Identity, req: ResourceRequest): StatusError => {
    try {
      authorize(w, req);
    } catch (err) {
      return err as StatusError;
    }
    throw new Error("authorized");
  };

  it.each<[Identity, ResourceRequest, string]>([
    [alpha, { verb: "list", resource: "pods", namespace: "beta" },
      'pods is forbidden: User "tenant-alpha" cannot list resource "pods" in API group "" in the namespace "beta"'],
    [alpha, { verb: "list", resource: "pods" },
      'pods is forbidden: User "tenant-alpha" cannot list resource "pods" in API group "" at the cluster scope'],
    [viewer, { verb: "delete", resource: "pods", namespace: "default", name: "web-1" },
      'pods "web-1" is forbidden: User "viewer" cannot delete resource "pods" in API group "" in the namespace "default"'],
    [viewer, { verb: "update", resource: "replicationcontrollers", namespace: "default", name: "web", subresource: "scale" },
      'replicationcontrollers "web" is forbidden: User "viewer" cannot update resource "replicationcontrollers/scale" in API group "" in the namespace "default"'],
    [alpha, { verb: "get", resource: "nodes", name: "n1" },
      'nodes "n1" is forbidden: User "tenant-alpha" cannot get resource "nodes" in API group "" at the cluster scope'],
  ])("%o %o", (w, req, message) => {
    const err = refused(w, req);
    expect(err).toBeInstanceOf(StatusError);
    expect(err.toStatus()).toEqual({ code: 403, reason: "Forbidden", message, details: { kind: req.resource, ...(req.name ? { name: req.name } : {}) } });
  });

  it("qualifies a resource of another API group and appends a reason", () => {
    const err = forbidden(viewer, { verb: "create", resource: "deployments", apiGroup: "apps", namespace: "default" }, "read-only");
    expect(err.message).toBe('deployments.apps is forbidden: User "viewer" cannot create resource "deployments" in API group "apps" in the namespace "default": read-only');
  });

  it("never throws for what is allowed", () => {
    const verbs: Verb[] = [...VERBS];
    for (const verb of verbs) expect(() => authorize(admin, { verb, resource: "pods", namespace: "x", name: "y" })).not.toThrow();
  });
});

describe("paths that name no resource", () => {
  it("lets every authenticated user read discovery, version, OpenAPI and health", () => {
    for (const path of ["/api", "/api/v1", "/apis", "/apis/apps/v1", "/version", "/openapi/v2", "/openapi/v3/api/v1", "/healthz", "/readyz"]) {
      expect(() => authorizeNonResource(alpha.user, "get", path)).not.toThrow();
    }
  });

  it("refuses anything else in the apiserver's words", () => {
    expect(() => authorizeNonResource(viewer.user, "post", "/api")).toThrow('forbidden: User "viewer" cannot post path "/api"');
    expect(() => authorizeNonResource(admin.user, "get", "/metrics-secret")).toThrow(StatusError);
    expect(() => authorizeNonResource(admin.user, "get", "/apiextras")).toThrow(/cannot get path "\/apiextras"/);
  });
});
