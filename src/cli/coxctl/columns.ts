/** The columns of `get` for each kind, as kubectl shows them (`-o wide` adds some), from the kinds' own columns. Pure. */
import { cellsOf, columnsOf, type Column } from "../../api/columns.js";
import type { Resource } from "../../api/kinds.js";
import type { Table } from "./table.js";

export { labelString } from "../../api/column.js";
export { podReady, podRestarts, podStatus } from "../../api/podColumns.js";
export { nodeStatus } from "../../api/nodeColumns.js";

/** How rows are drawn: wide or not, with a NAMESPACE column or not, at which time. */
export interface RowOptions {
  wide?: boolean;
  withNamespace?: boolean;
  now: Date;
}

function shown(resource: Resource, wide: boolean | undefined): readonly Column<never>[] {
  return columnsOf(resource).filter((c) => wide || c.priority === 0);
}

/** The header row of a kind's table. */
export function headersOf(resource: Resource, opts: Omit<RowOptions, "now">): string[] {
  return [...(opts.withNamespace ? ["NAMESPACE"] : []), ...shown(resource, opts.wide).map((c) => c.name.toUpperCase())];
}

/** One object's row. */
export function rowOf(resource: Resource, object: Record<string, unknown>, opts: RowOptions): string[] {
  const ns = (object.metadata as { namespace?: string } | undefined)?.namespace ?? "";
  return [...(opts.withNamespace ? [ns] : []), ...cellsOf(shown(resource, opts.wide), object, opts.now).map(String)];
}

/** The table of a list of objects of one kind. */
export function tableOf(resource: Resource, objects: Record<string, unknown>[], opts: RowOptions): Table {
  return { headers: headersOf(resource, opts), rows: objects.map((o) => rowOf(resource, o, opts)) };
}
