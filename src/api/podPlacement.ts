/**
 * The pod and container fields that everyday manifests carry beyond what Coxswain's runtimes act on: pull policy,
 * security contexts, tolerations, affinity, DNS settings, priority and the like. They are checked as the apiserver
 * checks their shapes, stored and shown back, so a manifest written for Kubernetes applies unchanged and round-trips.
 * Of them, the scheduler applies the node affinity's required terms and the tolerations of a node's taints
 * (src/controllers/scheduler/filters.ts, src/api/taints.ts); the rest are stored only (docs/protocol.md says which). Pure.
 */
import { z } from "zod";

const Int = z.number().int("must be an integer");
const NonNegative = Int.nonnegative("must be greater than or equal to 0");
const Profile = z.strictObject({ type: z.enum(["RuntimeDefault", "Unconfined", "Localhost"]), localhostProfile: z.string().optional() });
const SeLinuxOptions = z.strictObject({ user: z.string().optional(), role: z.string().optional(), type: z.string().optional(), level: z.string().optional() });
const WindowsOptions = z.strictObject({
  gmsaCredentialSpecName: z.string().optional(), gmsaCredentialSpec: z.string().optional(), runAsUserName: z.string().optional(), hostProcess: z.boolean().optional(),
});
const Identity = {
  runAsUser: NonNegative.optional(), runAsGroup: NonNegative.optional(), runAsNonRoot: z.boolean().optional(),
  seLinuxOptions: SeLinuxOptions.optional(), windowsOptions: WindowsOptions.optional(), seccompProfile: Profile.optional(), appArmorProfile: Profile.optional(),
};

/** When the runtime pulls a container's image. */
export const PullPolicy = z.enum(["Always", "IfNotPresent", "Never"]);

/** A container's security context. */
export const SecurityContext = z.strictObject({
  ...Identity,
  capabilities: z.strictObject({ add: z.array(z.string()).optional(), drop: z.array(z.string()).optional() }).optional(),
  privileged: z.boolean().optional(),
  readOnlyRootFilesystem: z.boolean().optional(),
  allowPrivilegeEscalation: z.boolean().optional(),
  procMount: z.enum(["Default", "Unmasked"]).optional(),
});

/** The container fields stored as given. */
export const CONTAINER_STORED_FIELDS = {
  imagePullPolicy: PullPolicy.optional(),
  workingDir: z.string().optional(),
  securityContext: SecurityContext.optional(),
  stdin: z.boolean().optional(),
  stdinOnce: z.boolean().optional(),
  tty: z.boolean().optional(),
};

/** A pod's security context. */
export const PodSecurityContext = z.strictObject({
  ...Identity,
  supplementalGroups: z.array(NonNegative).optional(),
  supplementalGroupsPolicy: z.enum(["Merge", "Strict"]).optional(),
  fsGroup: NonNegative.optional(),
  fsGroupChangePolicy: z.enum(["OnRootMismatch", "Always"]).optional(),
  sysctls: z.array(z.strictObject({ name: z.string(), value: z.string() })).optional(),
  seLinuxChangePolicy: z.string().optional(),
});

/** One toleration of a node's taints. */
export const Toleration = z.strictObject({
  key: z.string().optional(),
  operator: z.enum(["Exists", "Equal"]).optional(),
  value: z.string().optional(),
  effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"]).optional(),
  tolerationSeconds: Int.optional(),
});
export type Toleration = z.infer<typeof Toleration>;

/** One requirement on a node's labels (`matchExpressions`) or fields (`matchFields`: `metadata.name`). */
export const NodeSelectorRequirement = z.strictObject({
  key: z.string(),
  operator: z.enum(["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"]),
  values: z.array(z.string()).optional(),
});
export type NodeSelectorRequirement = z.infer<typeof NodeSelectorRequirement>;

/** The requirements a node must all meet. */
export const NodeSelectorTerm = z.strictObject({
  matchExpressions: z.array(NodeSelectorRequirement).optional(),
  matchFields: z.array(NodeSelectorRequirement).optional(),
});
export type NodeSelectorTerm = z.infer<typeof NodeSelectorTerm>;

/** Node affinity: terms one of which a node must meet, and preferences that weigh. */
export const NodeAffinity = z.strictObject({
  requiredDuringSchedulingIgnoredDuringExecution: z.strictObject({ nodeSelectorTerms: z.array(NodeSelectorTerm).min(1, "must have at least one node selector term") }).optional(),
  preferredDuringSchedulingIgnoredDuringExecution: z.array(z.strictObject({ weight: Int.min(1).max(100), preference: NodeSelectorTerm })).optional(),
});

/** Where a pod may go by its node's labels and by other pods (the latter stored only). */
export const Affinity = z.strictObject({
  nodeAffinity: NodeAffinity.optional(),
  podAffinity: z.looseObject({}).optional(),
  podAntiAffinity: z.looseObject({}).optional(),
});

/** The pod fields stored as given (but `affinity.nodeAffinity`'s required terms, which the scheduler applies). */
export const POD_STORED_FIELDS = {
  securityContext: PodSecurityContext.optional(),
  tolerations: z.array(Toleration).optional(),
  affinity: Affinity.optional(),
  topologySpreadConstraints: z.array(z.looseObject({})).optional(),
  imagePullSecrets: z.array(z.strictObject({ name: z.string().optional() })).optional(),
  priorityClassName: z.string().optional(),
  priority: Int.optional(),
  preemptionPolicy: z.enum(["PreemptLowerPriority", "Never"]).optional(),
  runtimeClassName: z.string().optional(),
  schedulerName: z.string().optional(),
  enableServiceLinks: z.boolean().optional(),
  dnsPolicy: z.enum(["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"]).optional(),
  dnsConfig: z.strictObject({
    nameservers: z.array(z.string()).optional(), searches: z.array(z.string()).optional(),
    options: z.array(z.strictObject({ name: z.string().optional(), value: z.string().optional() })).optional(),
  }).optional(),
  hostAliases: z.array(z.strictObject({ ip: z.string(), hostnames: z.array(z.string()).optional() })).optional(),
  hostPID: z.boolean().optional(),
  hostIPC: z.boolean().optional(),
  shareProcessNamespace: z.boolean().optional(),
  setHostnameAsFQDN: z.boolean().optional(),
};

/** Whether a node with `labels` and `name` meets one of `terms` (Kubernetes' required node affinity). Pure. */
export function nodeMeetsTerms(terms: readonly NodeSelectorTerm[], labels: Readonly<Record<string, string>> | undefined, name: string): boolean {
  const meets = (r: NodeSelectorRequirement, value: string | undefined) => {
    const values = r.values ?? [];
    switch (r.operator) {
      case "In": return value !== undefined && values.includes(value);
      case "NotIn": return value === undefined || !values.includes(value);
      case "Exists": return value !== undefined;
      case "DoesNotExist": return value === undefined;
      case "Gt": return value !== undefined && Number.parseInt(value, 10) > Number.parseInt(values[0] ?? "", 10);
      case "Lt": return value !== undefined && Number.parseInt(value, 10) < Number.parseInt(values[0] ?? "", 10);
    }
  };
  // A term with no requirements matches no node, as Kubernetes reads it.
  return terms.some((t) => {
    const expressions = t.matchExpressions ?? [];
    const fields = t.matchFields ?? [];
    if (expressions.length + fields.length === 0) return false;
    return expressions.every((r) => meets(r, labels?.[r.key])) && fields.every((r) => meets(r, r.key === "metadata.name" ? name : undefined));
  });
}
