/** The table columns of resource quotas: NAME AGE REQUEST (used/hard of each limited resource). Pure. */
import { ageColumn, column, nameColumn } from "./column.js";
import { QUOTA_RESOURCES, type ResourceQuota } from "./resourceQuota.js";

/** The quota columns. */
export const resourceQuotaColumns = [
  nameColumn(),
  ageColumn(),
  column<ResourceQuota>("Request", "string", 0, "Used and hard limit of each resource.", (q) =>
    QUOTA_RESOURCES.filter((r) => q.spec.hard[r] !== undefined).map((r) => `${r}: ${q.status.used[r] ?? "0"}/${q.spec.hard[r]}`).join(", ")),
];
