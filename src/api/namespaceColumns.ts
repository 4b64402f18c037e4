/** The table columns of namespaces: NAME STATUS AGE. Pure. */
import { ageColumn, column, nameColumn } from "./column.js";
import type { Namespace } from "./namespace.js";

/** The namespace columns. */
export const namespaceColumns = [
  nameColumn(),
  column<Namespace>("Status", "string", 0, "The status of the namespace.", (ns) => ns.status.phase),
  ageColumn(),
];
