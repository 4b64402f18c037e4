/**
 * Server-side apply (application/apply-patch+yaml): merges a manager's applied configuration into the live
 * object, removes what the manager stopped applying, and answers 409 Conflict when the apply would change a
 * field another manager owns (unless forced, which takes the field over). The ownership it leaves is written
 * into `metadata.managedFields`.
 */
import { StatusError } from "../status.js";
import { type JsonObject, isObject, parseApplyBody } from "./body.js";
import { type FieldPathKey, printPath } from "./fieldSet.js";
import { type Manager, compareFields, decodeManagers, managerId, ownableFields, without, withManagers } from "./managedFields.js";
import { UPGRADING_MANAGER, fieldsFromLastApplied, syncLastApplied } from "./lastApplied.js";
import { type PatchMetaTable, apiVersionFor, patchMetaFor } from "./patchMeta.js";
import { prune } from "./prune.js";
import { mergeApplied, withoutNulls } from "./structuredMerge.js";

/** A field another manager owns that the apply would change. */
interface Conflict {
  manager: Manager;
  path: FieldPathKey;
}

/** What an apply brings. */
export interface ApplyInput {
  current: JsonObject | undefined;
  body: string | Uint8Array;
  kind: string;
  fieldManager: string;
  force: boolean;
  now?: string;
}

/** Applies a configuration as `fieldManager`; creates the object when `current` is undefined. Pure. */
export function serverSideApply(input: ApplyInput): JsonObject {
  const table = patchMetaFor(input.kind);
  const raw = parseApplyBody(input.body);
  const config = appliedConfiguration(raw, input);
  const live = input.current ?? {};
  const managers = decodeManagers(input.current);
  const me: Manager = { manager: input.fieldManager, operation: "Apply", apiVersion: String(config.apiVersion), ...(input.now ? { time: input.now } : {}), fields: new Set() };
  const last = managers.find((m) => managerId(m) === managerId(me));
  me.fields = new Set(ownableFields(config, table).keys());
  const others = managers.filter((m) => m !== last);
  const merged = mergeApplied(live, config, table) as JsonObject;
  const owned = new Set([...me.fields, ...others.flatMap((m) => [...m.fields])]);
  prune(merged, last?.fields ?? new Set(), me.fields, owned, table);
  const diff = compareFields(ownableFields(live, table), ownableFields(merged, table));
  const conflicts = others.flatMap((m) => [...m.fields].filter((f) => diff.changed.has(f)).map((path) => ({ manager: m, path })));
  if (!input.force) refuseConflicts(conflicts, input, table);
  const taken = new Set(conflicts.map((c) => c.path));
  const kept = others.map((m) => ({ ...m, fields: without(m.fields, taken, diff.removed) }));
  const result = withManagers(merged, [...kept, me]);
  return input.fieldManager === UPGRADING_MANAGER ? syncLastApplied(result, raw) : result;
}

/**
 * Throws 409 for the conflicts, except (for the manager "kubectl") those on fields its last client-side apply
 * set to the values the object still has: the apiserver lets kubectl take those over when it moves an object
 * from client-side to server-side apply.
 */
function refuseConflicts(conflicts: Conflict[], input: ApplyInput, table: PatchMetaTable): void {
  if (conflicts.length === 0) return;
  const allowed = input.fieldManager === UPGRADING_MANAGER ? fieldsFromLastApplied(input.current, table) : new Set<FieldPathKey>();
  const left = conflicts.filter((c) => !allowed.has(c.path));
  if (left.length > 0) throw conflictError(left);
}

/**
 * The applied configuration, checked and cleaned: it must name the kind's apiVersion (400 otherwise, as the
 * apiserver answers) and carry no managedFields; `null`s and `status` (which the main resource ignores) go.
 */
function appliedConfiguration(config: JsonObject, input: ApplyInput): JsonObject {
  const expected = isObject(input.current) && typeof input.current.apiVersion === "string" ? input.current.apiVersion : apiVersionFor(input.kind);
  if (config.apiVersion !== expected) {
    throw new StatusError("BadRequest", `Incorrect version specified in apply patch. Specified patch version: ${String(config.apiVersion ?? "")}, expected: ${expected}`);
  }
  if (config.kind !== input.kind) {
    throw new StatusError("BadRequest", `Incorrect kind specified in apply patch. Specified patch kind: ${String(config.kind ?? "")}, expected: ${input.kind}`);
  }
  if (isObject(config.metadata) && config.metadata.managedFields !== undefined) {
    throw new StatusError("BadRequest", "metadata.managedFields must be nil");
  }
  const { status: _ignored, ...rest } = withoutNulls(config) as JsonObject;
  return rest;
}

/** Kubernetes' apply conflict: 409 with one cause per field and the message kubectl prints. */
function conflictError(conflicts: Conflict[]): StatusError {
  const sorted = [...conflicts].sort((a, b) => cmp(a.manager.manager, b.manager.manager) || cmp(printPath(a.path), printPath(b.path)));
  const causes = sorted.map((c) => ({ field: printPath(c.path), message: `conflict with ${printManager(c.manager)}` }));
  if (sorted.length === 1) {
    const [only] = sorted as [(typeof sorted)[number]];
    return new StatusError("Conflict", `Apply failed with 1 conflict: conflict with ${printManager(only.manager)}: ${printPath(only.path)}`, { causes });
  }
  const lines: string[] = [];
  for (const name of [...new Set(sorted.map((c) => managerId(c.manager)))]) {
    const mine = sorted.filter((c) => managerId(c.manager) === name);
    lines.push(`conflicts with ${printManager((mine[0] as (typeof sorted)[number]).manager)}:`, ...mine.map((c) => `- ${printPath(c.path)}`));
  }
  return new StatusError("Conflict", `Apply failed with ${sorted.length} conflicts: ${lines.join("\n")}`, { causes });
}

/** A manager as conflicts name it: `"kubectl"` for an applier, `"kube-controller-manager" using apps/v1` for an updater. */
function printManager(m: Manager): string {
  const sub = m.subresource ? ` with subresource ${JSON.stringify(m.subresource)}` : "";
  return `${JSON.stringify(m.manager)}${sub}${m.operation === "Update" ? ` using ${m.apiVersion}` : ""}`;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
