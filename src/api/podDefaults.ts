/**
 * What kube-apiserver fills in a pod spec that Coxswain does not store: its defaulting (a pod's and a template's
 * `schedulerName`, `dnsPolicy`, `securityContext`; each container's `imagePullPolicy`, `terminationMessage*` and
 * `resources`), and for a pod alone what its admission adds (`serviceAccountName`, `priority`, `preemptionPolicy`,
 * `enableServiceLinks`) and the `status.qosClass` it computes. The HTTP API shows them (`showDefaults`), so that
 * `kubectl get -o yaml`, `describe` and client libraries see the object a real cluster would give, and drops them
 * again from what a client writes (`dropDefaults`), so that an object read and written back (`kubectl replace`, a
 * client's read-modify-write) is the object stored: a pod's update is not refused for a field it never changed, and
 * a Deployment's template keeps its hash. Each value here means what its absence means to every part. A pod also
 * shows the NoExecute tolerations of a lost node's taints its admission would add (DefaultTolerationSeconds, which
 * the node lifecycle applies to a pod without them), and a Node the taints of its state (nodeTaints.ts). Pure.
 */
import { DEFAULT_SERVICE_ACCOUNT, serviceAccountOf } from "./podSpec.js";
import { compareQuantities, parseQuantity } from "./quantity.js";
import { DEFAULT_TOLERATIONS, dropStateTaints, missingDefaultTolerations, showStateTaints } from "./nodeTaints.js";
import type { Toleration } from "./podPlacement.js";
import { jsonEqual } from "./patch/index.js";

type Obj = Record<string, unknown>;

/** A pod spec's own defaults, a template's included. */
const SPEC_DEFAULTS: Obj = { dnsPolicy: "ClusterFirst", schedulerName: "default-scheduler", securityContext: {} };
/** What a pod alone gets (defaulting and admission); a template keeps what its writer gave. */
const POD_DEFAULTS: Obj = { enableServiceLinks: true, preemptionPolicy: "PreemptLowerPriority" };
/** Each container's defaults, but for its pull policy (imagePullPolicyOf). */
const CONTAINER_DEFAULTS: Obj = { terminationMessagePath: "/dev/termination-log", terminationMessagePolicy: "File", resources: {} };

/** The pull policy Kubernetes gives an image that states none: Always for `:latest` or no tag (and no digest), else IfNotPresent. Pure. */
export function imagePullPolicyOf(image: string): "Always" | "IfNotPresent" {
  const [ref = "", digest] = image.split("@");
  const name = ref.slice(ref.lastIndexOf("/") + 1);
  const colon = name.lastIndexOf(":");
  const tag = colon < 0 ? undefined : name.slice(colon + 1);
  return tag === "latest" || (tag === undefined && digest === undefined) ? "Always" : "IfNotPresent";
}

const isObject = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const isEmptyObject = (v: unknown): boolean => isObject(v) && Object.keys(v).length === 0;

/** `v` equals `d` as a default: the same scalar, or both empty objects. */
const isDefault = (v: unknown, d: unknown): boolean => v === d || (isEmptyObject(d) && isEmptyObject(v));

/** A container's defaults. */
function containerDefaults(c: Obj): Obj {
  return typeof c.image === "string" ? { ...CONTAINER_DEFAULTS, imagePullPolicy: imagePullPolicyOf(c.image) } : CONTAINER_DEFAULTS;
}

/**
 * Drops a written container's defaults in place. Its pull policy is also dropped when it is what was shown for the
 * stored container `was` (of the same name, with none stored): an image changed through a read object (`kubectl
 * patch`, `set image`) brings back the policy shown for the old image, which is no change of the pod's.
 */
function dropContainer(c: Obj, was: Obj | undefined): void {
  if (was && was.imagePullPolicy === undefined && typeof was.image === "string" && c.imagePullPolicy === imagePullPolicyOf(was.image)) delete c.imagePullPolicy;
  dropped(c, containerDefaults(c), was);
}

/** The defaults of a pod spec (`pod`: a pod's, else a template's), its containers' and its account aside. */
function specDefaults(spec: Obj, pod: boolean): Obj {
  if (!pod) return SPEC_DEFAULTS;
  // A pod with no class has priority 0; one with a class has what admission stored.
  return spec.priorityClassName === undefined ? { ...SPEC_DEFAULTS, ...POD_DEFAULTS, priority: 0 } : { ...SPEC_DEFAULTS, ...POD_DEFAULTS };
}

/** `o` with each default it lacks filled in (a new object when any is). */
function filled(o: Obj, defaults: Obj): Obj {
  const missing = Object.keys(defaults).filter((k) => o[k] === undefined);
  if (missing.length === 0) return o;
  const out = { ...o };
  for (const k of missing) out[k] = isObject(defaults[k]) ? {} : defaults[k];
  return out;
}

/** Drops from `o`, in place, each field whose value is its default. */
function dropped(o: Obj, defaults: Obj, stored: Obj | undefined): void {
  // What the stored object holds stays as it is stored (a create, or a new container, has nothing stored).
  for (const [k, d] of Object.entries(defaults)) if (isDefault(o[k], d) && stored?.[k] === undefined) delete o[k];
}

const CONTAINER_LISTS = ["containers", "initContainers"] as const;

/** A pod spec with its defaults shown (a new object; `spec` is not changed): a pod's account under both its names, its default tolerations. */
function showSpec(spec: Obj, pod: boolean): Obj {
  const out = { ...filled(spec, specDefaults(spec, pod)) };
  if (pod) {
    const account = serviceAccountOf(spec as { serviceAccountName?: string; serviceAccount?: string });
    out.serviceAccountName ??= account;
    out.serviceAccount ??= account;
  }
  const own = Array.isArray(spec.tolerations) ? spec.tolerations as Toleration[] : undefined;
  const missing = pod ? missingDefaultTolerations(own) : [];
  if (missing.length > 0) out.tolerations = [...(own ?? []), ...missing];
  for (const list of CONTAINER_LISTS) {
    const containers = out[list];
    if (Array.isArray(containers)) out[list] = containers.map((c: Obj) => filled(c, containerDefaults(c)));
  }
  return out;
}

/** Drops a pod spec's defaults in place (`stored`: the spec it replaces); a pod's account is kept under its one name, unless it is `default`. */
function dropSpec(spec: Obj, pod: boolean, stored: Obj | undefined): void {
  const named = (v: unknown) => v === undefined || typeof v === "string"; // else left for validation to name
  type Accounts = { serviceAccountName?: string; serviceAccount?: string };
  if (pod && named(spec.serviceAccount) && named(spec.serviceAccountName) && !stored) {
    const account = serviceAccountOf(spec as Accounts);
    delete spec.serviceAccount;
    if (account === DEFAULT_SERVICE_ACCOUNT) delete spec.serviceAccountName;
    else spec.serviceAccountName = account;
  } else if (pod && stored) {
    // Each name the stored pod does not hold, shown for its account, goes; those it holds stay.
    if (stored.serviceAccount === undefined && spec.serviceAccount === serviceAccountOf(spec as Accounts)) delete spec.serviceAccount;
    if (stored.serviceAccountName === undefined && spec.serviceAccountName === serviceAccountOf(stored as Accounts)) delete spec.serviceAccountName;
  }
  dropped(spec, specDefaults(spec, pod), stored);
  if (pod) dropDefaultTolerations(spec, stored);
  for (const list of CONTAINER_LISTS) {
    const containers = spec[list];
    const before = Array.isArray(stored?.[list]) ? (stored[list] as unknown[]).filter(isObject) : [];
    if (Array.isArray(containers)) for (const c of containers) if (isObject(c)) dropContainer(c, before.find((b) => b.name === c.name));
  }
}

/**
 * Drops, in place, the default tolerations a written pod spec holds that `stored` (the spec it replaces) did not;
 * none left: no `tolerations`, unless the stored spec had a list (an empty one stays empty).
 */
function dropDefaultTolerations(spec: Obj, stored: Obj | undefined): void {
  if (!Array.isArray(spec.tolerations)) return;
  const had: unknown[] | undefined = Array.isArray(stored?.tolerations) ? stored.tolerations : undefined;
  const shown = (t: unknown) => DEFAULT_TOLERATIONS.some((d) => jsonEqual(d, t)) && !(had ?? []).some((h) => jsonEqual(h, t));
  const kept = spec.tolerations.filter((t: unknown) => !shown(t));
  if (kept.length === spec.tolerations.length) return;
  if (kept.length > 0 || had) spec.tolerations = kept;
  else delete spec.tolerations;
}

/** The paths within a template holder where a template's pod spec may be: a workload's, a PodTemplate's, a CronJob's job template's. */
const TEMPLATE_PATHS = [["spec", "template", "spec"], ["template", "spec"], ["spec", "jobTemplate", "spec", "template", "spec"]];

/** The value at `path` in `o`, if every step is an object. */
function at(o: Obj, path: readonly string[]): Obj | undefined {
  let cur: unknown = o;
  for (const k of path) cur = isObject(cur) ? cur[k] : undefined;
  return isObject(cur) ? cur : undefined;
}

/** `o` with the object at `path` replaced by `f` of it, copied along the path only. */
function updatedAt(o: Obj, path: readonly string[], f: (v: Obj) => Obj): Obj {
  const [k, ...rest] = path as [string, ...string[]];
  return { ...o, [k]: rest.length === 0 ? f(o[k] as Obj) : updatedAt(o[k] as Obj, rest, f) };
}

/** Where `object` (a v1 object of `resource`) holds pod specs, each with whether it is a pod's. */
function specPaths(resource: string, object: Obj): { path: readonly string[]; pod: boolean }[] {
  const paths = resource === "pods" ? [{ path: ["spec"], pod: true }] : TEMPLATE_PATHS.map((path) => ({ path, pod: false }));
  return paths.filter(({ path }) => at(object, path) !== undefined);
}

/** The pod's QoS class, as the apiserver computes it from its containers' CPU and memory requests and limits. Pure. */
export function qosClassOf(spec: { containers?: unknown; initContainers?: unknown }): "Guaranteed" | "Burstable" | "BestEffort" {
  const containers = [...(Array.isArray(spec.containers) ? spec.containers : []), ...(Array.isArray(spec.initContainers) ? spec.initContainers : [])] as Obj[];
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const r = isObject(c.resources) ? c.resources : {};
    const requests = (isObject(r.requests) ? r.requests : {}) as Record<string, string | undefined>;
    const limits = (isObject(r.limits) ? r.limits : {}) as Record<string, string | undefined>;
    for (const resource of ["cpu", "memory"]) {
      const limit = limits[resource];
      const request = requests[resource] ?? limit;
      if (request !== undefined || limit !== undefined) any = true;
      if (limit === undefined || request === undefined || compareQuantities(parseQuantity(request), parseQuantity(limit)) !== 0) guaranteed = false;
    }
  }
  if (!any) return "BestEffort";
  return guaranteed ? "Guaranteed" : "Burstable";
}

/** `object` (a v1 object of `resource` as stored) with the defaults kube-apiserver would show filled in, copied only where it differs. */
export function showDefaults(resource: string, object: Obj): Obj {
  if (resource === "nodes") return showStateTaints(object);
  let out = object;
  for (const { path, pod } of specPaths(resource, object)) out = updatedAt(out, path, (spec) => showSpec(spec, pod));
  if (resource === "pods" && isObject(out.status) && out.status.qosClass === undefined) out = { ...out, status: { ...out.status, qosClass: qosClassOf(out.spec as Obj) } };
  return out;
}

/** Drops, in place, the defaults `showDefaults` shows from a v1 body a client writes for `resource` (`stored`: the object it replaces, as stored). */
export function dropDefaults(resource: string, body: Obj, stored?: Obj): void {
  if (resource === "nodes") return dropStateTaints(body);
  for (const { path, pod } of specPaths(resource, body)) dropSpec(at(body, path) as Obj, pod, stored && at(stored, path));
}
