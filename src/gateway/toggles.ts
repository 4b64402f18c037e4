/**
 * Updates of kinds that have no update command but a few fields a user may flip, each by a command of its own (a
 * node's `spec.unschedulable`, which `kubectl cordon` patches), and their labels and annotations by the kind's
 * metadata command (`kubectl label|annotate node`), as the kinds registry lists them.
 */
import { untypedCommand } from "../nats/commandClient.js";
import { RESOURCE_INFO, type EntityRef } from "../api/kinds.js";
import { jsonEqual } from "../api/patch/index.js";
import { StatusError } from "../api/status.js";
import { revealManagedFields } from "./managedFields.js";
import { withoutServerFields } from "./manifest.js";
import type { ResourceRoute } from "./routes.js";
import { currentObject, preconditions, send, type WriteContext, type WriteResult } from "./commands.js";

/**
 * An update of a kind that only toggles fields (a node's `spec.unschedulable`) and sets its labels and annotations:
 * the toggle commands of the fields that changed, then the metadata command if either map changed; a change of
 * anything else is Invalid, naming the fields an update may change.
 */
export async function toggle(ctx: WriteContext, route: ResourceRoute, ref: EntityRef, object: Record<string, unknown>, meta: Parameters<typeof preconditions>[2]): Promise<WriteResult> {
  const expectedVersion = await preconditions(ctx.service, ref, meta);
  const current = currentObject(ctx.service, ref) ?? {};
  const { toggles = [], metadataCommand } = RESOURCE_INFO[route.resource];
  const settable = [...toggles.map((t) => t.path), ...(metadataCommand ? ["metadata.labels", "metadata.annotations"] : [])];
  // What else the object says, without the settable fields and the bookkeeping (managedFields) a patch adds.
  const strip = (o: Record<string, unknown>) => withoutServerFields(withPath(settable.reduce((x, path) => withPath(x, path, undefined), revealManagedFields(o)), "metadata.managedFields", undefined), route.version);
  if (!jsonEqual(strip(current), strip({ ...current, ...object, metadata: { ...(current.metadata as object), ...(object.metadata as object) } }))) {
    const fields = settable.join(", ");
    throw new StatusError("Invalid", `${RESOURCE_INFO[route.resource].kind} "${ref.name}" is invalid: only ${fields} may change`, {
      kind: route.resource, name: ref.name, causes: [{ field: "<root>", message: `Forbidden: only ${fields} may change` }],
    });
  }
  let result: WriteResult = { code: 200, body: current };
  for (const t of toggles) {
    const wanted = valueAt(object, t.path) === true;
    if (wanted === (valueAt(current, t.path) === true) || ctx.dryRun) continue;
    result = await send(ctx, ref, untypedCommand({ type: wanted ? t.on : t.off, data: {}, expectedVersion }), 200);
  }
  const maps = (o: Record<string, unknown>) => {
    const m = (o.metadata ?? {}) as { labels?: unknown; annotations?: unknown };
    return { labels: m.labels ?? {}, annotations: m.annotations ?? {} };
  };
  if (metadataCommand && !jsonEqual(maps(current), maps(object)) && !ctx.dryRun) {
    result = await send(ctx, ref, untypedCommand({ type: metadataCommand, data: { metadata: maps(object) }, expectedVersion }), 200);
  }
  return result;
}

function valueAt(o: Record<string, unknown>, path: string): unknown {
  return path.split(".").reduce<unknown>((x, k) => (x && typeof x === "object" ? (x as Record<string, unknown>)[k] : undefined), o);
}

function withPath(o: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const [head, ...rest] = path.split(".") as [string, ...string[]];
  const child = (o[head] && typeof o[head] === "object" ? o[head] : {}) as Record<string, unknown>;
  if (rest.length === 0) {
    const { [head]: _old, ...others } = o;
    return value === undefined ? others : { ...others, [head]: value };
  }
  return { ...o, [head]: withPath(child, rest.join("."), value) };
}

