/**
 * The v1beta1 (2014) form of a pod spec: `desiredState: { manifest: ContainerManifest, host }` plus a
 * `nodeSelector` beside it, shared by Pod, PodTemplate and ReplicationController.
 *
 * What v1beta1 cannot carry, and therefore comes back as the default: a container's resource `requests`
 * (v1beta1 has only the limits `cpu`, in millicores, and `memory`, in bytes), a probe's `periodSeconds`,
 * `timeoutSeconds` and thresholds, and the pod's `terminationGracePeriodSeconds`. Lost altogether: a container's
 * `readinessProbe`, `startupProbe`, `terminationMessagePolicy` and `volumeMounts`, and the pod's `volumes` (this
 * project's v1beta1 has none).
 */
import { z } from "zod";
import { DnsLabel } from "./names.js";
import { Annotations, Labels } from "./labels.js";
import { dropUndefined } from "./objectMeta.js";
import { CONTAINER_COMMON_FIELDS, Container, ExecAction, HttpGetAction, TcpSocketAction, containerList, oneHandler } from "./podSpec.js";
import type { PodSpec, PodTemplateSpec, RestartPolicy, ResourceMap } from "./podSpec.js";
import { ResourceQuantity, formatQuantity, parseQuantity, quantityFromMilli } from "./quantity.js";

/** v1beta1 resource amounts: a plain number is millicores (cpu) or bytes (memory); a string is a quantity. */
const CpuV1beta1 = z.union([z.number().int().nonnegative().transform((m) => formatQuantity(quantityFromMilli(BigInt(m)))), ResourceQuantity]);
const MemoryV1beta1 = z.union([z.number().int().nonnegative().transform((b) => formatQuantity(quantityFromMilli(BigInt(b) * 1000n))), ResourceQuantity]);

/** A v1beta1 liveness probe (2014: no period, timeout or thresholds). */
export const ProbeV1beta1 = z
  .strictObject({
    exec: ExecAction.optional(), httpGet: HttpGetAction.optional(), tcpSocket: TcpSocketAction.optional(),
    initialDelaySeconds: z.number().int().nonnegative().optional(),
  })
  .refine(oneHandler, "must specify exactly one of exec, httpGet and tcpSocket");

/** A v1beta1 container. */
export const ContainerV1beta1 = z.strictObject({
  ...CONTAINER_COMMON_FIELDS,
  cpu: CpuV1beta1.optional(),
  memory: MemoryV1beta1.optional(),
  livenessProbe: ProbeV1beta1.optional(),
});
type ContainerV1beta1 = z.infer<typeof ContainerV1beta1>;

const Empty = z.strictObject({});

/** The v1beta1 restart policy: exactly one of `always`, `onFailure`, `never` (none means always). */
export const RestartPolicyV1beta1 = z
  .strictObject({ always: Empty.optional(), onFailure: Empty.optional(), never: Empty.optional() })
  .refine((p) => Object.keys(p).length <= 1, "must specify at most one of always, onFailure and never");

/** The v1beta1 ContainerManifest. `id` is the pod's name (a template's may be anything). */
export const ContainerManifestV1beta1 = z.strictObject({
  version: z.literal("v1beta1", { error: 'must be "v1beta1"' }),
  id: z.string().optional(),
  containers: containerList(ContainerV1beta1),
  restartPolicy: RestartPolicyV1beta1.optional(),
});

/** The v1beta1 `desiredState` of a pod: the manifest and the node it is bound to. */
export const PodDesiredStateV1beta1 = z.strictObject({ manifest: ContainerManifestV1beta1, host: DnsLabel.optional() });
export type PodDesiredStateV1beta1 = z.infer<typeof PodDesiredStateV1beta1>;

/** A v1beta1 pod template (ReplicationController `podTemplate`, PodTemplate `template`). */
export const PodTemplateV1beta1 = z.strictObject({
  desiredState: PodDesiredStateV1beta1,
  nodeSelector: Labels.optional(),
  labels: Labels.optional(),
  annotations: Annotations.optional(),
});
export type PodTemplateV1beta1 = z.infer<typeof PodTemplateV1beta1>;

const POLICY_TO_V1BETA1 = { Always: "always", OnFailure: "onFailure", Never: "never" } as const;
const POLICY_FROM_V1BETA1 = { always: "Always", onFailure: "OnFailure", never: "Never" } as const;

/** The pod spec of a v1beta1 desiredState and nodeSelector. Pure. */
export function podSpecFromV1beta1(desired: PodDesiredStateV1beta1, nodeSelector: Record<string, string> | undefined): PodSpec {
  const policyKey = Object.keys(desired.manifest.restartPolicy ?? {})[0] as keyof typeof POLICY_FROM_V1BETA1 | undefined;
  const restartPolicy: RestartPolicy = policyKey ? POLICY_FROM_V1BETA1[policyKey] : "Always";
  return dropUndefined({
    containers: desired.manifest.containers.map(containerFromV1beta1),
    restartPolicy, nodeSelector, nodeName: desired.host, terminationGracePeriodSeconds: 30,
  }) as PodSpec;
}

/** The v1beta1 desiredState and nodeSelector of a pod spec; `id` goes into the manifest. Pure. */
export function podSpecToV1beta1(spec: PodSpec, id: string | undefined): { desiredState: z.input<typeof PodDesiredStateV1beta1>; nodeSelector?: Record<string, string> } {
  const manifest = dropUndefined({
    version: "v1beta1" as const, id, containers: spec.containers.map(containerToV1beta1),
    restartPolicy: { [POLICY_TO_V1BETA1[spec.restartPolicy]]: {} },
  });
  return dropUndefined({ desiredState: dropUndefined({ manifest, host: spec.nodeName }), nodeSelector: spec.nodeSelector });
}

/** The internal template of a v1beta1 pod template. Pure. */
export function templateFromV1beta1(t: PodTemplateV1beta1): PodTemplateSpec {
  return { metadata: dropUndefined({ labels: t.labels, annotations: t.annotations }), spec: podSpecFromV1beta1(t.desiredState, t.nodeSelector) };
}

/** The v1beta1 form of an internal pod template. Pure. */
export function templateToV1beta1(t: PodTemplateSpec): z.input<typeof PodTemplateV1beta1> {
  return dropUndefined({ ...podSpecToV1beta1(t.spec, undefined), labels: t.metadata.labels, annotations: t.metadata.annotations });
}

function containerFromV1beta1({ cpu, memory, livenessProbe, ...rest }: ContainerV1beta1): Container {
  const limits = dropUndefined({ cpu, memory }) as ResourceMap;
  return dropUndefined({
    ...rest,
    resources: Object.keys(limits).length > 0 ? { limits } : undefined,
    livenessProbe: livenessProbe && {
      ...livenessProbe, initialDelaySeconds: livenessProbe.initialDelaySeconds ?? 0, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3,
    },
  });
}

function containerToV1beta1({ resources, livenessProbe, readinessProbe: _r, startupProbe: _s, terminationMessagePolicy: _t, volumeMounts: _v, ...rest }: Container): z.input<typeof ContainerV1beta1> {
  const { exec, httpGet, tcpSocket, initialDelaySeconds } = livenessProbe ?? {};
  const probe = livenessProbe && dropUndefined({ exec, httpGet, tcpSocket, initialDelaySeconds });
  return dropUndefined({ ...rest, ...limitsToV1beta1(resources?.limits), livenessProbe: probe });
}

/** 2014 clients read whole millicores and bytes as numbers; what a number would not give back exactly stays a string. */
function limitsToV1beta1(limits: ResourceMap | undefined): { cpu?: number | string; memory?: number | string } {
  if (!limits) return {};
  const asNumber = (s: string | undefined, nanoPerUnit: bigint) => {
    if (s === undefined) return undefined;
    const nano = parseQuantity(s).nano;
    const n = nano / nanoPerUnit;
    const exact = nano % nanoPerUnit === 0n && n <= BigInt(Number.MAX_SAFE_INTEGER) && formatQuantity({ nano, format: "DecimalSI" }) === s;
    return exact ? Number(n) : s;
  };
  return dropUndefined({ cpu: asNumber(limits.cpu, 1_000_000n), memory: asNumber(limits.memory, 1_000_000_000n) });
}
