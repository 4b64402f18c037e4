/**
 * Pruning after a server-side apply: a field, list item or set value that the manager applied last time and
 * does not apply now is removed from the object, unless some manager (this one included) still owns it or
 * something under it. Maps and lists left empty by a removal go too.
 */
import { type JsonObject, isObject } from "./body.js";
import { type FieldPathKey, isAtOrUnder, itemKeyToken, pathTokens, valueToken } from "./fieldSet.js";
import { type PatchMetaTable, fieldPath, itemPath } from "./patchMeta.js";

/**
 * `obj` without the paths in `lastApplied` that are neither in `applied` nor owned (at or under) in `owned`.
 * Changes `obj` in place and returns it.
 */
export function prune(obj: JsonObject, lastApplied: ReadonlySet<FieldPathKey>, applied: ReadonlySet<FieldPathKey>, owned: ReadonlySet<FieldPathKey>, table: PatchMetaTable): JsonObject {
  const gone = [...lastApplied].filter((p) => !applied.has(p)).sort((a, b) => pathTokens(a).length - pathTokens(b).length);
  for (const path of gone) {
    if ([...owned].some((o) => isAtOrUnder(o, path)) || isItemKeyField(path)) continue;
    removeAt(obj, pathTokens(path), table);
  }
  return obj;
}

/** Whether the path names a key field of a map-list item (`k:{"name":"web"}` then `f:name`): it goes only with its item. */
function isItemKeyField(path: FieldPathKey): boolean {
  const tokens = pathTokens(path);
  const last = tokens.at(-1);
  const parent = tokens.at(-2);
  if (!last?.startsWith("f:") || !parent?.startsWith("k:")) return false;
  return last.slice(2) in (JSON.parse(parent.slice(2)) as JsonObject);
}

/** A step from a container to a child: the container and where the child sits in it. */
type Step = { container: JsonObject | unknown[]; at: string | number };

/** Removes the value at `tokens` (if it is there), then removes maps that the removal left empty. */
function removeAt(obj: JsonObject, tokens: string[], table: PatchMetaTable): void {
  const steps: Step[] = [];
  let cur: unknown = obj;
  let path = "";
  for (const token of tokens) {
    const step = stepInto(cur, token, path, table);
    if (step === undefined) return;
    steps.push(step);
    cur = (step.container as Record<string | number, unknown>)[step.at];
    path = token.startsWith("f:") ? fieldPath(path, token.slice(2)) : itemPath(path);
  }
  for (let i = steps.length - 1; i >= 0; i--) {
    const { container, at } = steps[i] as Step;
    if (i < steps.length - 1 && !isEmpty((container as Record<string | number, unknown>)[at])) return;
    if (Array.isArray(container)) container.splice(at as number, 1);
    else delete container[at as string];
  }
}

function stepInto(cur: unknown, token: string, path: string, table: PatchMetaTable): Step | undefined {
  if (token.startsWith("f:")) return isObject(cur) && token.slice(2) in cur ? { container: cur, at: token.slice(2) } : undefined;
  if (!Array.isArray(cur)) return undefined;
  const meta = table[path];
  const at = cur.findIndex((item) =>
    token.startsWith("v:") ? valueToken(item) === token : meta !== undefined && isObject(item) && itemKeyToken(item, meta, path) === token,
  );
  return at < 0 ? undefined : { container: cur, at };
}

/** A map or list the removal left empty goes too (the typed object would omit it). */
function isEmpty(v: unknown): boolean {
  return (isObject(v) && Object.keys(v).length === 0) || (Array.isArray(v) && v.length === 0);
}
