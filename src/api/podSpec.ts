/** The pod spec (containers, restart policy, placement), shared by Pod, PodTemplate and ReplicationController. */
import { z } from "zod";
import { DnsLabel, ObjectName } from "./names.js";
import { Annotations, Labels } from "./labels.js";
import { ResourceQuantity, compareQuantities, parseQuantity } from "./quantity.js";
import { requiredString } from "./requiredString.js";
import { checkVolumeMounts, Volume, VolumeMount } from "./volumes.js";
import { CONTAINER_STORED_FIELDS, POD_STORED_FIELDS } from "./podPlacement.js";
import { checkHandlers, Lifecycle, PortNumber, Probe } from "./containerHandlers.js";
import { ResourceFieldSelector } from "./resourceFieldRef.js";
import { qualifiedNameProblem } from "./labels.js";
import type { FieldIssue } from "./manifest.js";

export { requiredString };

export { ExecAction, HttpGetAction, Lifecycle, LifecycleHandler, oneHandler, PortNumber, Probe, PROBE_HANDLERS, TcpSocketAction } from "./containerHandlers.js";

/** The pod fields a container may read through the downward API (`valueFrom.fieldRef.fieldPath`). */
export const DOWNWARD_FIELDS = [
  "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.podIP", "status.podIPs", "status.hostIP",
  "status.hostIPs",
] as const;

/** A ConfigMap (or Secret) of the pod's namespace, by name; `optional`: its absence is no error. */
const ConfigMapReference = { name: requiredString(), optional: z.boolean().optional() };
const KeyReference = z.strictObject({ ...ConfigMapReference, key: requiredString() });

/**
 * Where a variable's value comes from: a field of its own pod or a container's resources (the downward API), or a key
 * of a ConfigMap or Secret.
 */
export const EnvVarSource = z.strictObject({
  fieldRef: z.strictObject({
    apiVersion: z.string().optional(),
    fieldPath: z.string().refine((f) => (DOWNWARD_FIELDS as readonly string[]).includes(f) || /^metadata\.(labels|annotations)\['[^']+'\]$/.test(f),
      { message: `supported values: ${DOWNWARD_FIELDS.map((f) => `"${f}"`).join(", ")}, metadata.labels['<key>'], metadata.annotations['<key>']` }),
  }).optional(),
  resourceFieldRef: ResourceFieldSelector.optional(),
  configMapKeyRef: KeyReference.optional(),
  secretKeyRef: KeyReference.optional(),
}).refine((s) => [s.fieldRef, s.resourceFieldRef, s.configMapKeyRef, s.secretKeyRef].filter((r) => r !== undefined).length === 1,
  { message: "must specify exactly one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`" });

/** Variables from every key of a ConfigMap or of a Secret, each name after `prefix`. */
export const EnvFromSource = z.strictObject({
  prefix: z.string().optional(), configMapRef: z.strictObject(ConfigMapReference).optional(), secretRef: z.strictObject(ConfigMapReference).optional(),
}).refine((s) => (s.configMapRef === undefined) !== (s.secretRef === undefined), { message: "must specify one of: `configMapRef` or `secretRef`" });

/** An environment variable (a POSIX name): a value, or a value from the downward API. */
export const EnvVar = z.strictObject({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be a C identifier: letters, digits and '_', not starting with a digit"),
  value: z.string().optional(),
  valueFrom: EnvVarSource.optional(),
}).refine((e) => e.value === undefined || e.valueFrom === undefined, { path: ["valueFrom"], message: "may not be specified when `value` is not empty" });

/** A port the container listens on. */
export const ContainerPort = z.strictObject({
  containerPort: PortNumber,
  hostPort: PortNumber.optional(),
  /** The node address the host port is bound to (default: the node's own address). */
  hostIP: z.string().regex(/^\d{1,3}(\.\d{1,3}){3}$/, "must be a valid IPv4 address").optional(),
  protocol: z.enum(["TCP", "UDP"]).default("TCP"),
  name: DnsLabel.max(15, "a port name must be no more than 15 characters").optional(),
});

/**
 * Amounts of CPU (cores, `500m`) and memory (bytes, `128Mi`), held as canonical quantity strings, and of any other
 * resource a manifest names (`ephemeral-storage`, `hugepages-2Mi`, an extended resource such as `nvidia.com/gpu`; the
 * scheduler's resource fit says how each counts).
 */
export const ResourceMap = z.object({ cpu: ResourceQuantity.optional(), memory: ResourceQuantity.optional() }).catchall(ResourceQuantity.optional())
  .superRefine((map, ctx) => {
    for (const name of Object.keys(map)) {
      if (STANDARD_RESOURCES.has(name) || name.startsWith("hugepages-") || /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?\/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(name)) continue;
      ctx.addIssue({ code: "custom", path: [name], message: `Invalid value: "${name}": must be a standard resource type or fully qualified` });
    }
  });

/** The resource names a container may ask for without a domain. */
const STANDARD_RESOURCES = new Set(["cpu", "memory", "ephemeral-storage", "storage"]);
export type ResourceMap = z.infer<typeof ResourceMap>;

/**
 * What a container asks for (scheduling) and may not exceed (enforcement); a request may not exceed its limit.
 * `claims` name the pod's `resourceClaims` the container uses (stored only: no node allocates devices).
 */
export const ResourceRequirements = z
  .strictObject({
    requests: ResourceMap.optional(),
    limits: ResourceMap.optional(),
    claims: z.array(z.strictObject({ name: DnsLabel, request: z.string().optional() })).optional(),
  })
  .superRefine((r, ctx) => {
    for (const issue of requestsOverLimits(r)) ctx.addIssue({ code: "custom", ...issue });
  });

/** A container's cpu and memory requests above their limits, each by its path under its resources. Pure. */
export function requestsOverLimits(r: { requests?: Record<string, string | undefined> | undefined; limits?: Record<string, string | undefined> | undefined }): FieldIssue[] {
  return (["cpu", "memory"] as const).flatMap((resource) => {
    const request = r.requests?.[resource];
    const limit = r.limits?.[resource];
    return request !== undefined && limit !== undefined && compareQuantities(parseQuantity(request), parseQuantity(limit)) > 0
      ? [{ path: ["requests", resource], message: `must be less than or equal to the ${resource} limit (${limit})` }] : [];
  });
}

/** The container fields v1 and v1beta1 share, with the same meaning and shape. */
export const CONTAINER_COMMON_FIELDS = {
  name: DnsLabel,
  image: requiredString(),
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
  env: z.array(EnvVar).optional(),
  ports: z.array(ContainerPort).optional(),
  lifecycle: Lifecycle.optional(),
  /** Where the container may leave a message about its end (default `/dev/termination-log`, see docs/logging.md). */
  terminationMessagePath: z.string().startsWith("/", "must be an absolute path").optional(),
};

/** Where a container's termination message comes from. */
export const TerminationMessagePolicy = z.enum(["File", "FallbackToLogsOnError"]);

/** The fields of a container of a pod; an init container has the same. */
const CONTAINER_FIELDS = {
  ...CONTAINER_COMMON_FIELDS,
  envFrom: z.array(EnvFromSource).optional(),
  resources: ResourceRequirements.optional(),
  livenessProbe: Probe.optional(),
  readinessProbe: Probe.optional(),
  startupProbe: Probe.optional(),
  terminationMessagePolicy: TerminationMessagePolicy.optional(),
  volumeMounts: z.array(VolumeMount).optional(),
  /** Whether a change of its CPU or memory restarts it (stored: a spec's resources here never change in place). */
  resizePolicy: z.array(z.strictObject({ resourceName: z.enum(["cpu", "memory"]), restartPolicy: z.enum(["NotRequired", "RestartContainer"]) })).optional(),
  ...CONTAINER_STORED_FIELDS,
};

/** A liveness or startup probe's successThreshold must be 1, as the apiserver has it. */
function probeThresholds(c: { livenessProbe?: Probe | undefined; startupProbe?: Probe | undefined }, ctx: z.RefinementCtx): void {
  for (const probe of ["livenessProbe", "startupProbe"] as const) {
    if ((c[probe]?.successThreshold ?? 1) !== 1) ctx.addIssue({ code: "custom", path: [probe, "successThreshold"], message: "must be 1" });
  }
}

/** One container of a pod. */
export const Container = z.strictObject(CONTAINER_FIELDS).superRefine(probeThresholds);
export type Container = z.infer<typeof Container>;

/** A non-empty list of containers (of any version's shape) whose names are unique; a duplicate is named by its path. */
export function containerList<C extends z.ZodType<{ name: string }>>(container: C) {
  return z
    .array(container)
    .min(1, "must have at least one container")
    .superRefine((containers, ctx) => {
      const seen = new Set<string>();
      containers.forEach((c, i) => {
        if (seen.has(c.name)) ctx.addIssue({ code: "custom", path: [i, "name"], message: `duplicate container name "${c.name}"` });
        seen.add(c.name);
      });
    });
}

/** What an init container may not have unless it is a sidecar (it runs to completion before the others start). */
const NOT_FOR_INIT = ["lifecycle", "livenessProbe", "readinessProbe", "startupProbe"] as const;

/**
 * One init container: run to completion, one after another in order, before any of the pod's containers starts.
 * With `restartPolicy: Always` it is a sidecar: started in its turn and kept running beside the containers (restarted
 * whenever it ends), the next one started once it has. Probes and lifecycle hooks only a sidecar may have, as the
 * apiserver has it.
 */
export const InitContainer = z.strictObject({ ...CONTAINER_FIELDS, restartPolicy: z.string().optional() }).superRefine((c, ctx) => {
  if (c.restartPolicy !== undefined && c.restartPolicy !== "Always") {
    ctx.addIssue({ code: "custom", path: ["restartPolicy"], message: `Unsupported value: "${c.restartPolicy}": supported values: "Always"` });
  }
  if (c.restartPolicy === "Always") return probeThresholds(c, ctx);
  for (const field of NOT_FOR_INIT) {
    if (c[field] !== undefined) ctx.addIssue({ code: "custom", path: [field], message: "Forbidden: may not be set for init containers without restartPolicy=Always" });
  }
});
export type InitContainer = z.infer<typeof InitContainer>;

/** Init container names, each unique among the pod's init containers and containers (`spec.initContainers[1].name`). Pure. */
function checkInitContainerNames(spec: { containers: readonly { name: string }[]; initContainers?: readonly { name: string }[] | undefined }, ctx: z.RefinementCtx): void {
  const seen = new Set(spec.containers.map((c) => c.name));
  (spec.initContainers ?? []).forEach((c, i) => {
    if (seen.has(c.name)) ctx.addIssue({ code: "custom", path: ["initContainers", i, "name"], message: `Duplicate value: "${c.name}"` });
    seen.add(c.name);
  });
}

/** A condition of the pod's that must be True for it to be Ready; its type is a qualified name. */
const ReadinessGate = z.strictObject({
  conditionType: z.string().superRefine((t, ctx) => {
    const problem = qualifiedNameProblem(t);
    if (problem) ctx.addIssue({ code: "custom", message: `Invalid value: ${JSON.stringify(t)}: ${problem}` });
  }),
});

/** A resource claim of the pod: by the name of a ResourceClaim, or of a template to make one from. */
const PodResourceClaim = z.strictObject({
  name: DnsLabel,
  resourceClaimName: z.string().optional(),
  resourceClaimTemplateName: z.string().optional(),
}).refine((c) => (c.resourceClaimName === undefined) !== (c.resourceClaimTemplateName === undefined),
  { message: "must specify one of: `resourceClaimName`, `resourceClaimTemplateName`" });

/**
 * The containers' `resources.claims`: each names one of the pod's `resourceClaims`, once per container, in the
 * apiserver's words; the pod's claim names unique. Pure.
 */
function checkClaims(spec: { containers: readonly Container[]; initContainers?: readonly Container[] | undefined; resourceClaims?: readonly { name: string }[] | undefined }, ctx: z.RefinementCtx): void {
  const podClaims = new Set<string>();
  spec.resourceClaims?.forEach((c, i) => {
    if (podClaims.has(c.name)) ctx.addIssue({ code: "custom", path: ["resourceClaims", i, "name"], message: `Duplicate value: "${c.name}"` });
    podClaims.add(c.name);
  });
  const known = podClaims.size === 0 ? " which is empty" : `: ${[...podClaims].sort().join(", ")}`;
  for (const [field, list] of [["containers", spec.containers], ["initContainers", spec.initContainers ?? []]] as const) {
    list.forEach((c, i) => {
      const seen = new Set<string>();
      c.resources?.claims?.forEach((claim, j) => {
        const path = [field, i, "resources", "claims", j];
        if (seen.has(claim.name)) ctx.addIssue({ code: "custom", path, message: `Duplicate value: "${claim.name}"` });
        seen.add(claim.name);
        if (!podClaims.has(claim.name)) {
          ctx.addIssue({ code: "custom", path, message: `Not found: "${claim.name}": must be one of the names in pod.spec.resourceClaims${known}` });
        }
      });
    });
  }
}

/** A scheduling gate: a qualified name some controller takes away when the pod may be scheduled (checked below). */
const SchedulingGate = z.strictObject({ name: z.string() });

/** Gates named by qualified names, none twice, and no node named while gated: the apiserver's refusals, by its paths. */
function checkSchedulingGates(spec: { schedulingGates?: { name: string }[] | undefined; nodeName?: string | undefined }, ctx: z.RefinementCtx): void {
  const gates = spec.schedulingGates ?? [];
  gates.forEach((g, i) => {
    const problem = qualifiedNameProblem(g.name);
    if (problem) ctx.addIssue({ code: "custom", path: ["schedulingGates", i], message: `Invalid value: ${JSON.stringify(g.name)}: ${problem}` });
    if (gates.findIndex((o) => o.name === g.name) < i) ctx.addIssue({ code: "custom", path: ["schedulingGates", i], message: `Duplicate value: ${JSON.stringify(g.name)}` });
  });
  if (gates.length > 0 && spec.nodeName !== undefined) {
    ctx.addIssue({ code: "custom", path: ["nodeName"], message: "Forbidden: cannot be set until all schedulingGates have been cleared" });
  }
}

/** When a pod's containers are restarted. */
export const RestartPolicy = z.enum(["Always", "OnFailure", "Never"]);
export type RestartPolicy = z.infer<typeof RestartPolicy>;

/** The desired state of a pod. Defaults: restartPolicy Always, terminationGracePeriodSeconds 30. */
export const PodSpec = z.strictObject({
  containers: containerList(Container),
  /** Run to completion in order before the containers start (see InitContainer). */
  initContainers: z.array(InitContainer).optional(),
  restartPolicy: RestartPolicy.default("Always"),
  nodeSelector: Labels.optional(),
  nodeName: DnsLabel.optional(),
  terminationGracePeriodSeconds: z.number().int().nonnegative().default(30),
  /** The service account whose token the pod's processes get (default `default`); `serviceAccount` is its old name. */
  serviceAccountName: ObjectName.optional(),
  serviceAccount: ObjectName.optional(),
  automountServiceAccountToken: z.boolean().optional(),
  /** The pod's host name and, with a headless Service of that name, its DNS name `<hostname>.<subdomain>.<ns>.svc`. */
  hostname: DnsLabel.optional(),
  subdomain: DnsLabel.optional(),
  /** Run in the node's network: the pod's IP is the node's, its ports are the node's ports. */
  hostNetwork: z.boolean().optional(),
  volumes: z.array(Volume).optional(),
  /** Whether the pod shares the node's user namespace (stored: the process runtime runs as the agent's user). */
  hostUsers: z.boolean().optional(),
  /** The operating system the pod needs (stored; the runtimes run on their host's). */
  os: z.strictObject({ name: z.enum(["linux", "windows"]) }).optional(),
  /** Conditions that must be True, besides ContainersReady, for the pod to be Ready (src/actors/pod/podStatus.ts). */
  readinessGates: z.array(ReadinessGate).optional(),
  /** The resource claims (dynamic resource allocation) the containers' `resources.claims` name; stored only. */
  resourceClaims: z.array(PodResourceClaim).optional(),
  /** What running the pod costs beyond its containers: its RuntimeClass's `overhead.podFixed`, set by admission. */
  overhead: ResourceMap.optional(),
  /** While any is left, the scheduler leaves the pod alone (SchedulingGated); an update may only take them away. */
  schedulingGates: z.array(SchedulingGate).optional(),
  ...POD_STORED_FIELDS,
}).superRefine((spec, ctx) => {
  checkSchedulingGates(spec, ctx);
  checkInitContainerNames(spec, ctx);
  checkVolumeMounts(spec, ctx);
  spec.containers.forEach((c, i) => checkHandlers(c, spec.terminationGracePeriodSeconds, ["containers", i], ctx));
  spec.initContainers?.forEach((c, i) => checkHandlers(c, spec.terminationGracePeriodSeconds, ["initContainers", i], ctx));
  checkClaims(spec, ctx);
});
export type PodSpec = z.infer<typeof PodSpec>;

/** The pod's containers and init containers, the init containers first (the order they run in). Pure. */
export function allContainers(spec: Pick<PodSpec, "containers" | "initContainers">): readonly Container[] {
  return spec.initContainers === undefined || spec.initContainers.length === 0 ? spec.containers : [...spec.initContainers, ...spec.containers];
}

/** Container `name` of the pod, a container or an init container. Pure. */
export function containerOf(spec: Pick<PodSpec, "containers" | "initContainers">, name: string): Container | undefined {
  return spec.containers.find((c) => c.name === name) ?? spec.initContainers?.find((c) => c.name === name);
}

/** True when `name` is a sidecar: an init container with `restartPolicy: Always`, kept running beside the containers. Pure. */
export function isSidecar(spec: Pick<PodSpec, "initContainers">, name: string): boolean {
  return spec.initContainers?.some((c) => c.name === name && c.restartPolicy === "Always") ?? false;
}

/** True when `name` is one of the pod's init containers (a sidecar too). Pure. */
export function isInitContainer(spec: Pick<PodSpec, "initContainers">, name: string): boolean {
  return spec.initContainers?.some((c) => c.name === name) ?? false;
}

/**
 * The host name a pod's containers see (HOSTNAME): `spec.hostname`, else the pod's name cut to a DNS label's 63
 * characters with no `-` or `.` at its end, as the kubelet does. Pure.
 */
export function podHostname(podName: string, spec: Pick<PodSpec, "hostname">): string {
  return spec.hostname ?? podName.slice(0, 63).replace(/[-.]+$/, "");
}

/** The service account every namespace has, which a pod naming none runs as. */
export const DEFAULT_SERVICE_ACCOUNT = "default";

/** The service account a pod runs as: `serviceAccountName`, else the deprecated `serviceAccount`, else `default`. Pure. */
export function serviceAccountOf(spec: Pick<PodSpec, "serviceAccountName" | "serviceAccount">): string {
  return spec.serviceAccountName ?? spec.serviceAccount ?? DEFAULT_SERVICE_ACCOUNT;
}

/** The metadata a pod template gives to the pods made from it. */
export const TemplateMeta = z.strictObject({ labels: Labels.optional(), annotations: Annotations.optional() });

/** A pod template: the metadata and spec of the pods to make (in PodTemplate and ReplicationController). */
export const PodTemplateSpec = z.strictObject({ metadata: TemplateMeta.default({}), spec: PodSpec });
export type PodTemplateSpec = z.infer<typeof PodTemplateSpec>;
