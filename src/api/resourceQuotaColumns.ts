/** The table columns of resource quotas: NAME AGE REQUEST LIMIT (used/hard of each limited resource), as kubectl prints them. Pure. */
import { ageColumn, column, nameColumn } from "./column.js";
import { limitedNames, type ResourceQuota } from "./resourceQuota.js";

/** `name: used/hard` for each limited name `pick` takes, comma-separated. Pure. */
const usage = (q: ResourceQuota, pick: (name: string) => boolean) =>
  limitedNames(q.spec.hard).filter(pick).map((r) => `${r}: ${q.status.used[r] ?? "0"}/${q.spec.hard[r]}`).join(", ");

/** The quota columns: the `limits.*` names under LIMIT, every other name under REQUEST. */
export const resourceQuotaColumns = [
  nameColumn(),
  ageColumn(),
  column<ResourceQuota>("Request", "string", 0, "Used and hard limit of each resource.", (q) => usage(q, (r) => !r.startsWith("limits."))),
  column<ResourceQuota>("Limit", "string", 0, "Used and hard limit of each limits resource.", (q) => usage(q, (r) => r.startsWith("limits."))),
];
