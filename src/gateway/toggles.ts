/**
 * Updates of kinds that have no update command but a few fields a user may flip, each by a command of its own (a
 * node's `spec.unschedulable`, which `kubectl cordon` patches), and a few more it may set, each group by a command
 * (a node's labels and annotations, what `kubectl label|annotate node` patch; its taints, `kubectl taint`), as the
 * kinds registry lists them.
 */
import { untypedCommand } from "../nats/commandClient.js";
import { RESOURCE_INFO, type EntityRef } from "../api/kinds.js";
import { jsonEqual } from "../api/patch/index.js";
import { StatusError } from "../api/status.js";
import { revealManagedFields } from "./managedFields.js";
import { withoutServerFields } from "./manifest.js";
import type { ResourceRoute } from "./routes.js";
import { preconditions, send, storedObject, type WriteContext, type WriteResult } from "./commands.js";
import { present } from "./present.js";
import { dropDefaults } from "../api/podDefaults.js";

/**
 * An update of a kind that only toggles fields (a node's `spec.unschedulable`) and sets a few others: the toggle
 * commands of the fields that changed, then the command of each group of settable fields that changed; a change of
 * anything else is Invalid, naming the fields an update may change.
 */
export async function toggle(ctx: WriteContext, route: ResourceRoute, ref: EntityRef, object: Record<string, unknown>, meta: Parameters<typeof preconditions>[2]): Promise<WriteResult> {
  const expectedVersion = await preconditions(ctx.service, ref, meta);
  // Rendered once: the setters compare the stored object, the rest the object as clients see it.
  const found = storedObject(ctx.service, ref);
  const stored = found ?? {};
  const current = found ? present(ctx.service.runner.model, found) : {};
  const { toggles = [], setters = [] } = RESOURCE_INFO[route.resource];
  const settable = [...toggles.map((t) => t.path), ...setters.flatMap((s) => Object.keys(s.fields))];
  // What else the object says, without the settable fields and the bookkeeping (managedFields) a patch adds.
  const strip = (o: Record<string, unknown>) => withoutServerFields(withPath(settable.reduce((x, path) => withPath(x, path, undefined), revealManagedFields(o)), "metadata.managedFields", undefined), route.version, route.resource);
  if (!jsonEqual(strip(current), strip({ ...current, ...object, metadata: { ...(current.metadata as object), ...(object.metadata as object) } }))) {
    const fields = settable.join(", ");
    throw new StatusError("Invalid", `${RESOURCE_INFO[route.resource].kind} "${ref.name}" is invalid: only ${fields} may change`, {
      kind: route.resource, name: ref.name, causes: [{ field: "<root>", message: `Forbidden: only ${fields} may change` }],
    });
  }
  let result: WriteResult = { code: 200, body: current };
  // The update's precondition holds for its first command; the later ones follow from it.
  let expected = expectedVersion;
  const sendOne = async (type: string, data: Record<string, unknown>) => {
    result = await send(ctx, ref, untypedCommand({ type, data, expectedVersion: expected }), 200);
    expected = undefined;
  };
  for (const t of toggles) {
    const wanted = valueAt(object, t.path) === true;
    if (wanted === (valueAt(current, t.path) === true) || ctx.dryRun) continue;
    await sendOne(wanted ? t.on : t.off, {});
  }
  // The setters compare what is stored with what is written, neither with what only a read shows (a node's state taints).
  const written = structuredClone(object);
  dropDefaults(route.resource, written);
  for (const s of setters) {
    // The group's fields, nested as in the object, an absent one as its empty value.
    const fields = (o: Record<string, unknown>) => Object.entries(s.fields).reduce((x, [path, empty]) => withPath(x, path, valueAt(o, path) ?? empty), {});
    if (jsonEqual(fields(stored), fields(written)) || ctx.dryRun) continue;
    await sendOne(s.command, fields(written));
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

