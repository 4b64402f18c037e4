/**
 * What a pod log read asks for (kubectl's query of GET /api/v1/namespaces/{ns}/pods/{name}/log), checked as the
 * Kubernetes API server and kubelet check it, and which container instance answers it. Pure.
 */
import type { Pod } from "../../api/pod.js";
import { awaitingStart, containerAttempt, POD_INITIALIZING, statusOfContainer, type ContainerStatus } from "../../api/podStatus.js";
import { StatusError, type StatusCause } from "../../api/status.js";

/** The options of a log read (PodLogOptions). */
export interface PodLogOptions {
  container?: string | undefined;
  follow?: boolean | undefined;
  previous?: boolean | undefined;
  timestamps?: boolean | undefined;
  tailLines?: number | undefined;
  sinceSeconds?: number | undefined;
  /** RFC 3339. */
  sinceTime?: string | undefined;
  limitBytes?: number | undefined;
}

/** Which instance's lines to read: exactly one attempt, or the latest that wrote any at or below a bound. */
export type InstanceChoice = { exact: number } | { latestUpTo: number; inclusive: boolean };

/** A checked log read. */
export interface PodLogPlan {
  container: string;
  podUid: string;
  instance: InstanceChoice;
  follow: boolean;
  timestamps: boolean;
  tailLines?: number;
  /** Lines published before this instant (ns since the epoch) are left out. */
  sinceNanos?: bigint;
  limitBytes?: number;
}

const QUERY_INTS = ["tailLines", "sinceSeconds", "limitBytes"] as const;
const QUERY_BOOLS = ["follow", "previous", "timestamps"] as const;

/**
 * PodLogOptions from a query string (`container=web&follow=true&tailLines=10`), unknown parameters ignored.
 * Throws BadRequest for a parameter that is not a number or a boolean. Pure.
 */
export function parsePodLogQuery(q: URLSearchParams): PodLogOptions {
  const out: PodLogOptions = {};
  const container = q.get("container");
  if (container !== null && container !== "") out.container = container;
  for (const k of QUERY_BOOLS) {
    const v = q.get(k);
    if (v === null) continue;
    if (!["true", "false", "1", "0", ""].includes(v)) throw new StatusError("BadRequest", `${k}: invalid boolean "${v}"`, { causes: [{ field: k, message: "must be true or false" }] });
    out[k] = v === "true" || v === "1" || v === "";
  }
  for (const k of QUERY_INTS) {
    const v = q.get(k);
    if (v === null) continue;
    if (!/^-?\d+$/.test(v)) throw new StatusError("BadRequest", `${k}: invalid integer "${v}"`, { causes: [{ field: k, message: "must be an integer" }] });
    out[k] = Number(v);
  }
  const sinceTime = q.get("sinceTime");
  if (sinceTime !== null) out.sinceTime = sinceTime;
  return out;
}

/** PodLogOptions validation (Kubernetes' ValidatePodLogOptions): 422 Invalid naming each field. Pure. */
function validate(opts: PodLogOptions, podName: string): void {
  const causes: StatusCause[] = [];
  if (opts.tailLines !== undefined && opts.tailLines < 0) causes.push({ field: "tailLines", message: `Invalid value: ${opts.tailLines}: must be greater than or equal to 0` });
  if (opts.limitBytes !== undefined && opts.limitBytes < 1) causes.push({ field: "limitBytes", message: `Invalid value: ${opts.limitBytes}: must be greater than 0` });
  if (opts.sinceSeconds !== undefined && opts.sinceSeconds < 1) causes.push({ field: "sinceSeconds", message: `Invalid value: ${opts.sinceSeconds}: must be greater than 0` });
  if (opts.sinceSeconds !== undefined && opts.sinceTime !== undefined) causes.push({ field: "", message: "at most one of `sinceTime` or `sinceSeconds` may be specified" });
  if (opts.sinceTime !== undefined && rfc3339Nanos(opts.sinceTime) === null) causes.push({ field: "sinceTime", message: `Invalid value: "${opts.sinceTime}": must be an RFC 3339 time` });
  if (causes.length === 0) return;
  const detail = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message)).join(", ");
  throw new StatusError("Invalid", `PodLogOptions "${podName}" is invalid: ${detail}`, { kind: "PodLogOptions", name: podName, causes });
}

/** The container a read names: `container` (a container or an init container), else the only one; Kubernetes' 400s otherwise. Pure. */
export function chooseContainer(pod: Pod, asked: string | undefined): string {
  const names = pod.spec.containers.map((c) => c.name);
  const inits = (pod.spec.initContainers ?? []).map((c) => c.name);
  const name = pod.metadata.name;
  if (asked !== undefined) {
    if (!names.includes(asked) && !inits.includes(asked)) throw new StatusError("BadRequest", `container ${asked} is not valid for pod ${name}`, { kind: "pods", name });
    return asked;
  }
  const only = names[0];
  if (names.length !== 1 || only === undefined) {
    const orInit = inits.length === 0 ? "" : ` or one of the init containers: [${inits.join(" ")}]`;
    throw new StatusError("BadRequest", `a container name must be specified for pod ${name}, choose one of: [${names.join(" ")}]${orInit}`, { kind: "pods", name });
  }
  return only;
}

/**
 * Checks a read of `pod`'s log and picks the instance: the running (or starting) one is its exact attempt, and the
 * previous is the latest one before it; while the container waits in back-off or has ended, both are its last
 * instance. `now` is the reader's clock (for sinceSeconds). Pure; throws Invalid/BadRequest Statuses.
 */
export function planPodLog(pod: Pod, opts: PodLogOptions, now: number): PodLogPlan {
  validate(opts, pod.metadata.name);
  const container = chooseContainer(pod, opts.container);
  const name = pod.metadata.name;
  if (pod.spec.nodeName === undefined) throw new StatusError("BadRequest", `pod ${name} does not have a host assigned`, { kind: "pods", name });
  const status = statusOfContainer(pod.status, container);
  const instance = opts.previous ? previousInstance(status, container, name) : currentInstance(status, container, name);
  return {
    container, podUid: pod.metadata.uid, instance, follow: opts.follow === true, timestamps: opts.timestamps === true,
    ...(opts.tailLines !== undefined ? { tailLines: opts.tailLines } : {}),
    ...(opts.limitBytes !== undefined ? { limitBytes: opts.limitBytes } : {}),
    ...(opts.sinceSeconds !== undefined ? { sinceNanos: BigInt(now - opts.sinceSeconds * 1000) * 1_000_000n } : {}),
    ...(opts.sinceTime !== undefined ? { sinceNanos: rfc3339Nanos(opts.sinceTime) ?? 0n } : {}),
  };
}

/** True while the instance of `attempt` runs or is being started. */
function live(status: ContainerStatus): boolean {
  return status.state.running !== undefined || awaitingStart(status);
}

function currentInstance(status: ContainerStatus | undefined, container: string, pod: string): InstanceChoice {
  if (!status) throw new StatusError("BadRequest", `container "${container}" in pod "${pod}" is waiting to start: ContainerCreating`, { kind: "pods", name: pod });
  const attempt = containerAttempt(status);
  const first = status.lastState?.terminated === undefined && status.restartCount === 0;
  if (awaitingStart(status) && first) {
    // Kubernetes' words: the reason while being created, a sentence while the image cannot be pulled.
    const reason = status.state.waiting?.reason;
    const why = reason === "ContainerCreating" || reason === POD_INITIALIZING ? reason : "trying and failing to pull image";
    throw new StatusError("BadRequest", `container "${container}" in pod "${pod}" is waiting to start: ${why}`, { kind: "pods", name: pod });
  }
  return live(status) ? { exact: attempt } : { latestUpTo: attempt, inclusive: true };
}

function previousInstance(status: ContainerStatus | undefined, container: string, pod: string): InstanceChoice {
  if (status?.lastState?.terminated === undefined) {
    throw new StatusError("BadRequest", `previous terminated container "${container}" in pod "${pod}" not found`, { kind: "pods", name: pod });
  }
  const attempt = containerAttempt(status);
  return { latestUpTo: attempt, inclusive: !live(status) };
}

/** An RFC 3339 time (fraction up to nanoseconds, any offset) in nanoseconds since the epoch, or null. Pure. */
export function rfc3339Nanos(text: string): bigint | null {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/i.exec(text);
  const seconds = m ? Date.parse(`${m[1]}${m[3]}`) : NaN;
  if (!m || !Number.isFinite(seconds)) return null;
  return BigInt(seconds) * 1_000_000n + BigInt((m[2] ?? "").padEnd(9, "0"));
}
