/**
 * The clusterrole-aggregation controller: keeps each ClusterRole that has an `aggregationRule` holding the rules of
 * the ClusterRoles its selectors pick (aggregate.ts). A key is the aggregating role's name, queued when it changes
 * or when any ClusterRole does (one may start or stop matching). Its writes are UpdateClusterRole with the role as it
 * stands and the new rules.
 */
import { sameValue } from "../../actors/decisions.js";
import { CLUSTER_NS } from "../../api/kinds.js";
import { clientMetaOf, type ObjectMeta } from "../../api/objectMeta.js";
import type { ViewChange } from "../../projections/clusterView.js";
import type { ControllerContext } from "../context.js";
import type { KeyedController } from "../keyedLoop.js";
import { aggregatedRules, selectorsOf, type AggregatedRole } from "./aggregate.js";

/** One controller per leadership term. */
export class ClusterRoleAggregationReconciler implements KeyedController {
  constructor(private readonly ctx: ControllerContext) {}

  keysOf(change: ViewChange): string[] {
    return change.resource === "clusterroles" ? this.allKeys() : [];
  }

  allKeys(): string[] {
    return this.roles().filter((r) => selectorsOf(r)).map((r) => r.metadata.name);
  }

  async sync(name: string): Promise<void> {
    const role = this.ctx.view.get<AggregatedRole & { metadata: ObjectMeta }>("clusterroles", CLUSTER_NS, name)?.object;
    if (!role) return;
    const rules = aggregatedRules(role, this.roles());
    if (!rules || sameValue(rules, role.rules ?? [])) return;
    const metadata = clientMetaOf(role.metadata);
    const reply = await this.ctx.sender.send({ resource: "clusterroles", namespace: CLUSTER_NS, name }, {
      type: "UpdateClusterRole", data: { metadata, rules, aggregationRule: role.aggregationRule },
    });
    if (!reply.ok && reply.status.reason !== "NotFound") throw new Error(`clusterrole ${name}: UpdateClusterRole: ${reply.status.message}`);
  }

  private roles(): AggregatedRole[] {
    return this.ctx.view.list<AggregatedRole>("clusterroles").map((e) => e.object);
  }
}
