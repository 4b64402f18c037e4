/**
 * DELETE through the gateway: one object (DeleteOptions from the query or the body: gracePeriodSeconds,
 * preconditions, propagationPolicy) or a collection (`deletecollection`, with selectors). A replication
 * controller deleted with a propagation policy other than Orphan takes the pods it made with it, as Kubernetes'
 * garbage collector does (its pods name it in their created-by annotation). Orphan is refused for the kinds the
 * garbage collector follows, whose dependents cannot lose their owner reference.
 */
import { untypedCommand } from "../nats/commandClient.js";
import { COLLECTED_OWNERS } from "../api/collectedOwners.js";
import { RESOURCE_INFO, type EntityRef } from "../api/kinds.js";
import { commandOf } from "../api/manifestCommands.js";
import { StatusError } from "../api/status.js";
import { readTarget } from "../projections/readService.js";
import { dryRunDelete } from "./dryRun.js";
import { success } from "./kubeStatus.js";
import { CREATED_BY_ANNOTATION, present } from "./present.js";
import type { ResourceRoute } from "./routes.js";
import { preconditions, send, type WriteContext, type WriteResult } from "./commands.js";


/** DeleteOptions as a client sends them. */
interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: string;
  preconditions?: { uid?: string; resourceVersion?: string };
}

/** DeleteOptions from the body (a DeleteOptions object) and the query, the query winning. Pure. */
export function deleteOptionsOf(body: unknown, q: URLSearchParams): DeleteOptions {
  const b = (body && typeof body === "object" ? body : {}) as DeleteOptions & { kind?: string };
  const grace = q.get("gracePeriodSeconds") ?? b.gracePeriodSeconds;
  const out: DeleteOptions = { ...(b.preconditions ? { preconditions: b.preconditions } : {}) };
  if (grace !== undefined && grace !== null && grace !== "") {
    const n = Number(grace);
    if (!Number.isInteger(n)) throw new StatusError("BadRequest", "gracePeriodSeconds must be an integer", { causes: [{ field: "gracePeriodSeconds", message: "must be an integer" }] });
    // Kubernetes treats a negative grace period as "the default"; kubectl --force --grace-period=0 sends 0.
    if (n >= 0) out.gracePeriodSeconds = n;
  }
  const policy = q.get("propagationPolicy") ?? b.propagationPolicy;
  if (policy !== undefined && policy !== null) {
    if (!["Orphan", "Background", "Foreground"].includes(policy)) {
      throw new StatusError("BadRequest", `propagationPolicy must be Orphan, Background or Foreground, not "${policy}"`, { causes: [{ field: "propagationPolicy", message: "unsupported" }] });
    }
    out.propagationPolicy = policy;
  }
  return out;
}

/** Whether the DeleteOptions body asks for a dry run (`kubectl delete --dry-run=server` sends `dryRun: ["All"]` there). Pure. */
function bodyDryRun(body: unknown): boolean {
  const dryRun = body && typeof body === "object" ? (body as { dryRun?: unknown }).dryRun : undefined;
  return Array.isArray(dryRun) && dryRun.includes("All");
}

/** DELETE of one object: its Delete<Kind>; the object (still terminating) or a Success Status (gone). */
export async function deleteObject(given: WriteContext, route: ResourceRoute, body: unknown, q: URLSearchParams): Promise<WriteResult> {
  const ctx = bodyDryRun(body) ? { ...given, dryRun: true } : given;
  const type = commandOf(route.resource, "delete");
  const ref: EntityRef = { resource: route.resource, namespace: readTarget(route.resource, route.namespace, "get").namespace ?? "", name: route.name ?? "" };
  const opts = deleteOptionsOf(body, q);
  if (opts.propagationPolicy === "Orphan" && COLLECTED_OWNERS.includes(route.resource)) {
    // Refused before anything is deleted: the collector would take the dependents all the same.
    throw new StatusError("BadRequest", `propagationPolicy Orphan is not supported for ${route.resource}: their dependents keep their owner reference and are deleted with them; delete with Background or Foreground`, {
      kind: route.resource, name: ref.name, causes: [{ field: "propagationPolicy", message: "Unsupported value: \"Orphan\"" }],
    });
  }
  const expectedVersion = await preconditions(ctx.service, ref, opts.preconditions ?? {});
  const uid = (ctx.service.runner.model.get(ref.resource, ref.namespace, ref.name)?.object.metadata as { uid?: string } | undefined)?.uid;
  const data = opts.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: opts.gracePeriodSeconds } : {};
  if (ctx.dryRun) return { code: 200, body: dryRunDelete(ctx.service.runner.model, route, ref, data) ?? success(route.resource, ref.name, uid) };
  const result = await send(ctx, ref, untypedCommand({ type, data, apiVersion: route.version, expectedVersion }), 200);
  if (route.resource === "replicationcontrollers" && opts.propagationPolicy !== "Orphan") await deleteMadeBy(ctx, ref);
  const still = await ctx.service.get({ resource: route.resource, namespace: ref.namespace }, { name: ref.name, apiVersion: route.version }).catch(() => null);
  void result;
  return { code: 200, body: still ? present(ctx.service.runner.model, still) : success(route.resource, ref.name, uid) };
}

/** Deletes the pods a replication controller made (what the garbage collector does for its dependents). */
async function deleteMadeBy(ctx: WriteContext, rc: EntityRef): Promise<void> {
  const owner = `replicationcontrollers/${rc.namespace}/${rc.name}`;
  const pods = ctx.service.runner.model.list("pods", rc.namespace, { labels: [], fields: [] })
    .filter((p) => (p.object.metadata as { annotations?: Record<string, string> }).annotations?.[CREATED_BY_ANNOTATION] === owner);
  const sub = { ...ctx, id: undefined };
  await Promise.all(pods.map((p) => send(sub, { resource: "pods", namespace: rc.namespace, name: p.doc.name }, { type: "DeletePod", data: {} }, 200).catch(() => undefined)));
}

/** DELETE of a collection: every matching object, each by its own command; the list of what was deleted. */
export async function deleteCollection(ctx: WriteContext, route: ResourceRoute, body: unknown, q: URLSearchParams): Promise<WriteResult> {
  const target = readTarget(route.resource, route.namespace, "list");
  const { items } = ctx.service.list(target, { labelSelector: q.get("labelSelector") ?? undefined, fieldSelector: q.get("fieldSelector") ?? undefined, apiVersion: route.version });
  const deleted: Record<string, unknown>[] = [];
  for (const item of items) {
    const m = item.metadata as { name: string; namespace?: string };
    const one = { ...route, name: m.name, namespace: m.namespace ?? route.namespace };
    deleted.push((await deleteObject({ ...ctx, id: undefined }, one, body, q)).body);
  }
  return { code: 200, body: { kind: `${RESOURCE_INFO[route.resource].kind}List`, apiVersion: "v1", metadata: {}, items: deleted } };
}
