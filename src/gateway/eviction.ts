/**
 * The `pods/eviction` subresource (policy/v1 Eviction, what `kubectl drain` POSTs): a pod is deleted only if the
 * PodDisruptionBudget that covers it allows one more disruption now, as kube-apiserver's eviction does. The budget's
 * actor admits the eviction (AdmitEviction: the check and the decrement in one step) before the pod's DeletePod is
 * sent; a budget with none left is a 429 that kubectl drain retries. A pod that is not running (Pending, Succeeded,
 * Failed) or already being deleted is deleted without asking; so is one no budget covers. More than one budget over
 * a pod is refused, as in Kubernetes.
 */
import type { Pod } from "../api/pod.js";
import type { PodDisruptionBudget } from "../api/podDisruptionBudget.js";
import { StatusError } from "../api/status.js";
import { untypedCommand } from "../nats/commandClient.js";
import { evictionRefusal } from "../actors/podDisruptionBudget/index.js";
import { budgetSelects } from "../controllers/disruption/decide.js";
import { isReady } from "../controllers/pods.js";
import { send, type WriteContext } from "./commands.js";
import { deleteObject } from "./deletes.js";
import type { SubresourceCreate } from "./gateway.js";
import type { ResourceRoute } from "./routes.js";
import { requireObject } from "./writes.js";

/** Whether an eviction of the pod may skip the budgets: it is not running, or it is already going. Pure. */
function ignoresBudgets(pod: Pod): boolean {
  return ["Pending", "Succeeded", "Failed"].includes(pod.status.phase) || pod.metadata.deletionTimestamp !== undefined;
}

/** Whether the budget lets an unhealthy (not Ready) pod go without taking a disruption. Pure. */
function unhealthyMayGo(pdb: PodDisruptionBudget): boolean {
  const { currentHealthy = 0, desiredHealthy = 0 } = pdb.status ?? {};
  return pdb.spec.unhealthyPodEvictionPolicy === "AlwaysAllow" || (currentHealthy >= desiredHealthy && desiredHealthy > 0);
}

/**
 * Takes a disruption from the budget for the pod, or throws the budget's refusal (a dry run only checks); false when
 * the pod, not Ready, goes without one (its deletion must then find it as it was read).
 */
async function admit(ctx: WriteContext, pdb: PodDisruptionBudget, pod: Pod, dryRun: boolean): Promise<boolean> {
  if (!isReady(pod) && unhealthyMayGo(pdb)) return false;
  const refusal = evictionRefusal(pdb);
  if (dryRun && refusal) throw refusal;
  if (dryRun) return true;
  const ref = { resource: "poddisruptionbudgets" as const, namespace: pdb.metadata.namespace ?? "", name: pdb.metadata.name };
  try {
    // One admission per pod instance: a drain that retries after a lost reply is answered from the budget's history,
    // not given a second disruption.
    await send({ ...ctx, id: `evict:${pod.metadata.uid}` }, ref, untypedCommand({ type: "AdmitEviction", data: { pod: pod.metadata.name } }), 201);
  } catch (err) {
    // A budget gone meanwhile: try again (kubectl drain would read NotFound as the pod gone).
    if (err instanceof StatusError && err.reason === "NotFound") throw tryAgain();
    throw err;
  }
  return true;
}

/** A 429 kubectl drain retries: what the eviction read changed before it was done. */
function tryAgain(): StatusError {
  return new StatusError("TooManyRequests", "Cannot evict pod as it would violate the pod's disruption budget.", {
    causes: [{ field: "", reason: "DisruptionBudget", message: "the pod or its disruption budget changed while it was being evicted; try again" }],
  });
}

/** Evicts the pod of `route`: the budget's admission, then its deletion with the Eviction's DeleteOptions. */
async function evict(ctx: WriteContext, route: ResourceRoute, body: unknown): Promise<Record<string, unknown>> {
  const eviction = requireObject(body);
  if (eviction.kind !== undefined && eviction.kind !== "Eviction") {
    throw new StatusError("BadRequest", `the kind of the body ("${String(eviction.kind)}") does not match the path (Eviction)`, { causes: [{ field: "kind", message: "must be Eviction" }] });
  }
  const name = route.name ?? "";
  const given = (eviction.metadata as { name?: unknown } | undefined)?.name;
  if (given !== undefined && given !== name) throw new StatusError("BadRequest", "name in URL does not match name in Eviction object");
  const options = (eviction.deleteOptions && typeof eviction.deleteOptions === "object" ? eviction.deleteOptions : {}) as { dryRun?: unknown; preconditions?: { resourceVersion?: string } };
  const dryRun = ctx.dryRun || (Array.isArray(options.dryRun) && options.dryRun.includes("All"));
  const model = ctx.service.runner.model;
  const entry = model.get("pods", route.namespace, name);
  if (!entry) throw new StatusError("NotFound", `pods "${name}" not found`, { kind: "pods", name });
  const pod = entry.object as unknown as Pod;
  // A pod let go without a disruption (not running, or not Ready) is deleted only as it was read: one that became
  // healthy meanwhile is not, as Kubernetes sets the resourceVersion precondition there.
  let asRead = ignoresBudgets(pod);
  if (!asRead) {
    const budgets = model.list("poddisruptionbudgets", route.namespace, { labels: [], fields: [] })
      .map((e) => e.object as unknown as PodDisruptionBudget).filter((b) => budgetSelects(b, pod.metadata.labels));
    if (budgets.length > 1) throw new StatusError("Internal", "Internal error occurred: This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.");
    if (budgets[0]) asRead = !(await admit(ctx, budgets[0], pod, dryRun));
  }
  const guard = asRead && options.preconditions?.resourceVersion === undefined
    ? { ...options, preconditions: { ...options.preconditions, resourceVersion: String(entry.doc.sequence) } } : options;
  const podRoute: ResourceRoute = { type: "resource", version: route.version, resource: "pods", namespace: route.namespace, namespaceInPath: route.namespaceInPath, name };
  try {
    await deleteObject({ ...ctx, dryRun }, podRoute, guard, new URLSearchParams());
  } catch (err) {
    if (err instanceof StatusError && err.reason === "Conflict" && guard !== options) throw tryAgain();
    throw err;
  }
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 };
}

/** The `pods/eviction` subresource of the gateway. */
export function evictions(): SubresourceCreate {
  return (route, body, ctx) => evict(ctx, route, body);
}
