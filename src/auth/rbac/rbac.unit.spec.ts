import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { PolicyRule } from "../../api/rbac.js";
import { rbacAllows, serviceAccountUser, type RbacPolicy } from "./authorizer.js";
import { ruleAllows, type RequestAttributes } from "./rules.js";

const res = (verb: string, resource: string, extra: Partial<Extract<RequestAttributes, { resourceRequest: true }>> = {}): RequestAttributes =>
  ({ resourceRequest: true, verb, apiGroup: "", resource, namespace: "default", ...extra });

describe("ruleAllows: Kubernetes' matching, case by case", () => {
  const leases: PolicyRule = { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["*"] };
  const cases: [string, PolicyRule, RequestAttributes, boolean][] = [
    ["any verb on leases", leases, res("update", "leases", { apiGroup: "coordination.k8s.io" }), true],
    ["leases of another group", leases, res("get", "leases"), false],
    ["another resource of the group", leases, res("get", "pods", { apiGroup: "coordination.k8s.io" }), false],
    ["verb listed", { apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] }, res("list", "pods"), true],
    ["verb not listed", { apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] }, res("watch", "pods"), false],
    ["no apiGroups matches no group", { resources: ["pods"], verbs: ["get"] }, res("get", "pods"), false],
    ["subresource named", { apiGroups: [""], resources: ["pods/log"], verbs: ["get"] }, res("get", "pods", { subresource: "log" }), true],
    ["the resource does not grant its subresource", { apiGroups: [""], resources: ["pods"], verbs: ["get"] }, res("get", "pods", { subresource: "log" }), false],
    ["*/subresource", { apiGroups: [""], resources: ["*/scale"], verbs: ["update"] }, res("update", "replicationcontrollers", { subresource: "scale" }), true],
    ["*/subresource is not the resource", { apiGroups: [""], resources: ["*/scale"], verbs: ["update"] }, res("update", "replicationcontrollers"), false],
    ["resourceNames hit", { apiGroups: [""], resources: ["pods"], verbs: ["get"], resourceNames: ["web"] }, res("get", "pods", { name: "web" }), true],
    ["resourceNames miss", { apiGroups: [""], resources: ["pods"], verbs: ["get"], resourceNames: ["web"] }, res("get", "pods", { name: "db" }), false],
    ["resourceNames never allow a nameless create", { apiGroups: [""], resources: ["pods"], verbs: ["create"], resourceNames: ["web"] }, res("create", "pods"), false],
    ["non-resource exact", { nonResourceURLs: ["/healthz"], verbs: ["get"] }, { resourceRequest: false, verb: "get", path: "/healthz" }, true],
    ["non-resource prefix", { nonResourceURLs: ["/api*"], verbs: ["get"] }, { resourceRequest: false, verb: "get", path: "/apis/apps" }, true],
    ["non-resource rule never grants resources", { nonResourceURLs: ["*"], verbs: ["*"] }, res("get", "pods"), false],
    ["resource rule never grants URLs", { apiGroups: ["*"], resources: ["*"], verbs: ["*"] }, { resourceRequest: false, verb: "get", path: "/version" }, false],
  ];
  it.each(cases)("%s", (_name, rule, req, allowed) => {
    expect(ruleAllows(rule, req)).toBe(allowed);
  });
});

const word = fc.constantFrom("get", "list", "watch", "create", "update", "patch", "delete", "pods", "leases", "apps", "", "web", "db", "*");
const ruleArb: fc.Arbitrary<PolicyRule> = fc.record({
  verbs: fc.array(word, { minLength: 1, maxLength: 3 }),
  apiGroups: fc.option(fc.array(word, { maxLength: 2 }), { nil: undefined }),
  resources: fc.option(fc.array(word, { maxLength: 2 }), { nil: undefined }),
  resourceNames: fc.option(fc.array(word, { maxLength: 2 }), { nil: undefined }),
});
const reqArb = fc.record({
  verb: word, apiGroup: word, resource: word, name: fc.option(word, { nil: undefined }), namespace: fc.constantFrom("a", "b"),
}).map((r): RequestAttributes => ({ resourceRequest: true, ...r }));

const sa = serviceAccountUser("a", "robot");
function policyWith(rules: PolicyRule[], bindingNs: string, roleExists = true): RbacPolicy {
  return {
    roles: new Map(roleExists ? [[`${bindingNs}/r`, rules]] : []),
    clusterRoles: new Map(),
    roleBindings: [{ namespace: bindingNs, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "r" }, subjects: [{ kind: "ServiceAccount", name: "robot" }] }],
    clusterRoleBindings: [],
  };
}

describe("rbacAllows: properties", () => {
  it("a rule of * on everything allows every nameless or named resource request", () => {
    fc.assert(fc.property(reqArb, (req) => ruleAllows({ verbs: ["*"], apiGroups: ["*"], resources: ["*"] }, req)));
  });
  it("adding rules never takes a permission away", () => {
    fc.assert(fc.property(fc.array(ruleArb, { maxLength: 3 }), ruleArb, reqArb, (rules, extra, req) => {
      const before = rbacAllows(policyWith(rules, "a"), sa, req);
      return !before || rbacAllows(policyWith([...rules, extra], "a"), sa, req);
    }));
  });
  it("a RoleBinding grants only in its own namespace", () => {
    fc.assert(fc.property(fc.array(ruleArb, { maxLength: 3 }), reqArb, (rules, req) =>
      !(req.resourceRequest && req.namespace === "b") || !rbacAllows(policyWith(rules, "a"), sa, req)));
  });
  it("a binding to a role that does not exist grants nothing", () => {
    fc.assert(fc.property(fc.array(ruleArb, { maxLength: 3 }), reqArb, (rules, req) => !rbacAllows(policyWith(rules, "a", false), sa, req)));
  });
  it("the service account subject without a namespace means the binding's namespace; another account gets nothing", () => {
    const policy = policyWith([{ verbs: ["*"], apiGroups: ["coordination.k8s.io"], resources: ["leases"] }], "a");
    const lease = (user = sa): boolean => rbacAllows(policy, user, { resourceRequest: true, verb: "update", apiGroup: "coordination.k8s.io", resource: "leases", namespace: "a", name: "my-lease" });
    expect(lease()).toBe(true);
    expect(lease(serviceAccountUser("a", "default"))).toBe(false);
    expect(lease(serviceAccountUser("b", "robot"))).toBe(false);
  });
  it("a ClusterRoleBinding grants a ClusterRole everywhere; a RoleBinding to a ClusterRole only in its namespace", () => {
    const view: PolicyRule[] = [{ verbs: ["get", "list"], apiGroups: [""], resources: ["pods"] }];
    const get = (ns: string) => ({ resourceRequest: true as const, verb: "get", apiGroup: "", resource: "pods", namespace: ns });
    const crb: RbacPolicy = { roles: new Map(), clusterRoles: new Map([["view", view]]), roleBindings: [], clusterRoleBindings: [{ roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" }, subjects: [{ kind: "Group", name: "system:serviceaccounts" }] }] };
    expect(rbacAllows(crb, sa, get("zzz"))).toBe(true);
    const rb: RbacPolicy = { ...crb, clusterRoleBindings: [], roleBindings: [{ namespace: "a", roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" }, subjects: [{ kind: "User", name: sa.name }] }] };
    expect(rbacAllows(rb, sa, get("a"))).toBe(true);
    expect(rbacAllows(rb, sa, get("b"))).toBe(false);
  });
});
