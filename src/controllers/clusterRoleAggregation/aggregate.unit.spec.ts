import { describe, expect, it } from "vitest";
import { aggregatedRules, type AggregatedRole } from "./aggregate.js";

const role = (name: string, labels: Record<string, string>, rules: AggregatedRole["rules"], selectors?: object[]): AggregatedRole =>
  ({ metadata: { name, labels }, rules, ...(selectors ? { aggregationRule: { clusterRoleSelectors: selectors } } : {}) }) as AggregatedRole;

describe("a ClusterRole's aggregation", () => {
  it("takes the rules of the other roles its selectors match, by name, each rule once, and none of its own", () => {
    const pods = { apiGroups: [""], resources: ["pods"], verbs: ["get"] };
    const svc = { apiGroups: [""], resources: ["services"], verbs: ["list"] };
    const monitoring = role("monitoring", {}, [{ apiGroups: ["x"], resources: ["old"], verbs: ["get"] }], [{ matchLabels: { "rbac.example.com/aggregate-to-monitoring": "true" } }]);
    const all = [
      monitoring,
      role("b-services", { "rbac.example.com/aggregate-to-monitoring": "true" }, [svc, pods]),
      role("a-pods", { "rbac.example.com/aggregate-to-monitoring": "true" }, [pods]),
      role("other", { team: "x" }, [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }]),
    ];
    expect(aggregatedRules(monitoring, all)).toEqual([pods, svc]);
    expect(aggregatedRules(all[3]!, all)).toBeUndefined(); // not an aggregating role
    expect(aggregatedRules(role("empty", {}, [], [{ matchLabels: { none: "x" } }]), all)).toEqual([]);
  });
});
