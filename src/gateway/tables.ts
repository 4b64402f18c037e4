/**
 * Server-side Table responses (`Accept: application/json;as=Table;g=meta.k8s.io;v=v1`): each kind's own columns
 * (priority 1 only with `kubectl get -o wide`), one row per object, each row carrying the object's metadata (or
 * the whole object) so kubectl can add NAMESPACE and label columns. Pure.
 */
import { cellsOf, columnsOf } from "../api/columns.js";

/** What a row carries besides its cells (`includeObject`): nothing, the metadata (default) or the whole object. */
export type IncludeObject = "None" | "Metadata" | "Object";

/** The includeObject query parameter (default Metadata). Pure. */
export function includeObjectOf(value: string | null): IncludeObject {
  return value === "None" || value === "Object" ? value : "Metadata";
}

/** Column definitions of a resource. */
export function columnDefinitions(resource: string): Record<string, unknown>[] {
  return columnsOf(resource).map((c) => ({
    name: c.name, type: c.type, format: c.format ?? "", description: c.description, priority: c.priority,
  }));
}

/** One row: the cells and the object as asked. */
export function tableRow(resource: string, object: Record<string, unknown>, include: IncludeObject, now: Date): Record<string, unknown> {
  const cells = cellsOf(columnsOf(resource), object, now);
  if (include === "None") return { cells };
  if (include === "Object") return { cells, object };
  return { cells, object: { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: object.metadata } };
}

/** A whole Table of objects, with the list's metadata (resourceVersion, continue). */
export function table(resource: string, objects: Record<string, unknown>[], listMeta: Record<string, unknown>, include: IncludeObject, now: Date): Record<string, unknown> {
  return {
    kind: "Table", apiVersion: "meta.k8s.io/v1", metadata: listMeta,
    columnDefinitions: columnDefinitions(resource),
    rows: objects.map((o) => tableRow(resource, o, include, now)),
  };
}

/** True when the Accept header asks for a Table (any of its alternatives). Pure. */
export function wantsTable(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(",").some((part) => {
    const params = new Map(part.split(";").slice(1).map((p) => p.trim().split("=") as [string, string]));
    return params.get("as") === "Table" && (params.get("g") ?? "meta.k8s.io") === "meta.k8s.io";
  });
}
