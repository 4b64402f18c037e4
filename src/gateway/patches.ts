/**
 * PATCH through the gateway (JSON patch, merge patch, strategic merge patch, server-side apply, by Content-Type):
 * the patch is applied to the object as the read model renders it (src/api/patch), and the result is sent as the
 * kind's update guarded by the version it was computed from, retried on a conflict as the apiserver does. Server-side
 * apply of an object that does not exist creates it. The rc `scale` subresource takes PUT and PATCH of a Scale.
 */
import { untypedCommand } from "../nats/commandClient.js";
import { RESOURCE_INFO, type EntityRef } from "../api/kinds.js";
import { scaleCommandOf } from "../api/manifestCommands.js";
import { applyPatch } from "../api/patch/index.js";
import { StatusError } from "../api/status.js";
import { readTarget } from "../projections/readService.js";
import { scaleOf } from "./reads.js";
import { asServed, fromServed } from "./servedAs.js";
import type { ResourceRoute } from "./routes.js";
import { currentObject, preconditions, send, type WriteContext, type WriteResult } from "./commands.js";
import { createObject, requireObject, updateObject } from "./writes.js";

const MAX_ATTEMPTS = 3;

function refOf(route: ResourceRoute): EntityRef {
  return { resource: route.resource, namespace: readTarget(route.resource, route.namespace, "get").namespace ?? "", name: route.name ?? "" };
}

function currentOf(ctx: WriteContext, ref: EntityRef): Record<string, unknown> | undefined {
  return currentObject(ctx.service, ref);
}

/**
 * PATCH of an object (or of an rc's scale). Through an older group version of its kind (`autoscaling/v1`), the patch
 * applies to the object as that version shows it, and the result is converted back.
 */
export async function patchObject(ctx: WriteContext, route: ResourceRoute, body: string, contentType: string, q: URLSearchParams): Promise<WriteResult> {
  if (route.version !== "v1") throw new StatusError("UnsupportedMediaType", "PATCH is served for v1 objects only");
  const ref = refOf(route);
  const kind = RESOURCE_INFO[route.resource].kind;
  for (let attempt = 1; ; attempt++) {
    const own = currentOf(ctx, ref);
    const stored = own && (asServed(route, own) as Record<string, unknown>);
    const scale = route.subresource === "scale";
    const current = stored && scale ? scaleOf(stored) : stored;
    const force = q.get("force") === "true";
    const apply = contentType.startsWith("application/apply-patch");
    const patched = fromServed(route, applyPatch({
      current: current as never, body, contentType, kind: scale ? "Scale" : kind, force, now: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
      ...(apply ? (q.get("fieldManager") !== null ? { fieldManager: q.get("fieldManager") as string } : {}) : scale ? {} : { fieldManager: ctx.fieldManager }),
    })) as Record<string, unknown>;
    try {
      if (scale) return await updateScale(ctx, route, patched);
      if (!current) return await createObject(ctx, { ...route, name: undefined } as ResourceRoute, patched, false);
      const rv = (current.metadata as { resourceVersion?: string }).resourceVersion;
      const meta = (patched.metadata ?? {}) as Record<string, unknown>;
      // The patch is computed from `current`: it applies only if nothing changed since, unless it names its own version.
      const guarded = { ...patched, metadata: { ...meta, resourceVersion: meta.resourceVersion ?? rv } };
      return await updateObject(ctx, route, guarded, false);
    } catch (err) {
      const explicit = (patched.metadata as { resourceVersion?: unknown } | undefined)?.resourceVersion !== (current?.metadata as { resourceVersion?: unknown } | undefined)?.resourceVersion;
      if (!(err instanceof StatusError) || err.reason !== "Conflict" || attempt >= MAX_ATTEMPTS || explicit) throw err;
      // What beat this attempt may not be in the read model yet: the next one reads it.
      await ctx.service.runner.catchUpWithStream(5_000);
    }
  }
}

/** PUT (or a patched) Scale of a replication controller: ScaleReplicationController, guarded by its resourceVersion. */
export async function updateScale(ctx: WriteContext, route: ResourceRoute, body: unknown): Promise<WriteResult> {
  const type = scaleCommandOf(route.resource);
  if (!type) throw new StatusError("NotFound", `${route.resource} have no scale subresource`);
  const scale = requireObject(body) as { metadata?: { resourceVersion?: unknown; uid?: unknown }; spec?: { replicas?: unknown } };
  const replicas = scale.spec?.replicas;
  if (typeof replicas !== "number" || !Number.isInteger(replicas) || replicas < 0) {
    throw new StatusError("Invalid", `Scale "${route.name ?? ""}" is invalid: spec.replicas: Invalid value: must be greater than or equal to 0`, {
      kind: "Scale", name: route.name ?? "", causes: [{ field: "spec.replicas", message: "Invalid value: must be an integer greater than or equal to 0" }],
    });
  }
  const ref = refOf(route);
  const expectedVersion = await preconditions(ctx.service, ref, scale.metadata ?? {});
  if (ctx.dryRun) return { code: 200, body: { ...scaleOf(currentOf(ctx, ref) ?? {}), spec: { replicas } } };
  const result = await send(ctx, ref, untypedCommand({ type, data: { replicas }, expectedVersion }), 200);
  return { code: 200, body: scaleOf(result.body) };
}
