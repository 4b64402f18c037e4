/**
 * What a dry run (`?dryRun=All`: `kubectl diff`, `--dry-run=server`) answers: the object as the write would leave
 * it, in the shape a read gives. The checked manifest (its schema's defaults filled in) over the object as it stands:
 * the stored object's uid, creation time, resourceVersion and status, its generation one more when the spec
 * changes; for a create, a fresh uid and the time now. What only the actor host adds (a Job's selector, a Service's
 * clusterIP on a create) is not in it. Nothing is sent. Pure but for the read model and the clock.
 */
import { randomUUID } from "node:crypto";
import { sameValue } from "../actors/decisions.js";
import { RESOURCE_INFO, type EntityRef } from "../api/kinds.js";
import type { ReadModel } from "../projections/readModel.js";
import { revealManagedFields } from "./managedFields.js";
import { present } from "./present.js";
import type { ResourceRoute } from "./routes.js";

type Obj = Record<string, unknown> & { metadata?: Record<string, unknown>; spec?: unknown };

/** The object a dry-run create or update of `body` (already checked) at `ref` answers. */
export function dryRunObject(model: ReadModel, route: ResourceRoute, ref: EntityRef, body: Record<string, unknown>): Record<string, unknown> {
  const kind = RESOURCE_INFO[route.resource].kind;
  if (route.version === "v1beta1") return body;
  const codec = model.kinds[route.resource]?.codec;
  if (!codec) return body;
  const { metadata: meta, ...fields } = codec.parseManifest(route.version, body, { namespace: ref.namespace, name: ref.name }) as Obj;
  const current = model.get(ref.resource, ref.namespace, ref.name)?.object as Obj | undefined;
  const given = { labels: meta?.labels, annotations: meta?.annotations };
  const { labels: _l, annotations: _a, ...kept } = current?.metadata ?? {};
  const base = current ? kept : { ...meta, uid: randomUUID(), creationTimestamp: new Date().toISOString().replace(/\.\d{3}Z$/, "Z") };
  const generation = typeof base.generation === "number" && current && !sameValue(fields.spec, current.spec) ? base.generation + 1 : base.generation;
  const metadata = Object.fromEntries(Object.entries({ ...base, ...given, generation }).filter(([, v]) => v !== undefined));
  if (!RESOURCE_INFO[route.resource].clusterScoped) metadata.namespace = ref.namespace;
  const object = { ...(current ?? {}), kind, ...fields, metadata, ...(current && "status" in current ? { status: current.status } : {}) };
  return present(model, revealManagedFields(codec.render("v1", object)));
}
