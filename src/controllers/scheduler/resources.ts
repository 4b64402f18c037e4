/** Resource arithmetic of the scheduler on top of src/api/quantity.ts (numbers: see Amounts). Pure. */
import { readyStatus, type Node } from "../../api/node.js";
import type { Pod } from "../../api/pod.js";
import type { Container, ResourceMap } from "../../api/podSpec.js";
import { effectiveRequest } from "../../api/initContainers.js";
import { milliValue, parseQuantity, unitValue } from "../../api/quantity.js";
import type { Amounts, NodeInfo } from "./plugins.js";

/** What a node offers; an absent resource is not limited (a node that reports no capacity takes any request). */
export interface Allocatable {
  milliCpu?: number;
  memory?: number;
  pods?: number;
}

/** Requests for scoring only, for containers that state none (Kubernetes' DefaultMilliCPURequest and DefaultMemoryRequest). */
export const NON_ZERO_DEFAULTS: Amounts = { milliCpu: 100, memory: 200 * 1024 * 1024 };

/** Zero of everything. */
export const NO_AMOUNTS: Amounts = { milliCpu: 0, memory: 0 };

/** `a + b`. Pure. */
export function addAmounts(a: Amounts, b: Amounts): Amounts {
  return { milliCpu: a.milliCpu + b.milliCpu, memory: a.memory + b.memory };
}

/**
 * The sum of the pod's container requests; a container with a limit but no request asks for its limit (as
 * Kubernetes defaults it). With `defaults`, a container stating nothing counts as `defaults` (for scoring). Pure.
 */
export function podRequests(pod: Pod, defaults: Amounts = NO_AMOUNTS): Amounts {
  // Pod objects from the view are immutable values: the sums are worked out once per object and defaults.
  let byDefaults = requestsOf.get(pod);
  if (!byDefaults) requestsOf.set(pod, (byDefaults = new Map()));
  let sum = byDefaults.get(defaults);
  if (!sum) byDefaults.set(defaults, (sum = sumRequests(pod, defaults)));
  return sum;
}

const requestsOf = new WeakMap<Pod, Map<Amounts, Amounts>>();

/**
 * What the pod asks for: its containers' and sidecars' requests summed, or an init container's with the sidecars
 * started before it when that is more (init containers run one at a time, before the others), per resource, and its
 * overhead, as Kubernetes counts a pod's effective request. Pure.
 */
function sumRequests(pod: Pod, defaults: Amounts): Amounts {
  const containers = effectiveRequest(pod.spec, (c) => containerRequests(c, defaults), addAmounts, maxAmounts, NO_AMOUNTS);
  // A RuntimeClass's overhead (spec.overhead) is asked for beside the containers, as Kubernetes' scheduler counts it.
  const overhead = pod.spec.overhead;
  return overhead ? addAmounts(containers, amountsOf(overhead.cpu, overhead.memory, NO_AMOUNTS)) : containers;
}

/** The larger of each resource. Pure. */
function maxAmounts(a: Amounts, b: Amounts): Amounts {
  return { milliCpu: Math.max(a.milliCpu, b.milliCpu), memory: Math.max(a.memory, b.memory) };
}

/** One container's requests (its limit when it states no request; `defaults` when neither). Pure. */
function containerRequests(c: Container, defaults: Amounts): Amounts {
  const asked = (resource: keyof ResourceMap) => c.resources?.requests?.[resource] ?? c.resources?.limits?.[resource];
  return amountsOf(asked("cpu"), asked("memory"), defaults);
}

/** Amounts of these cpu and memory quantities (`defaults` for one not given). Pure. */
function amountsOf(cpu: string | undefined, memory: string | undefined, defaults: Amounts): Amounts {
  return {
    milliCpu: cpu === undefined ? defaults.milliCpu : Number(milliValue(parseQuantity(cpu))),
    memory: memory === undefined ? defaults.memory : Number(unitValue(parseQuantity(memory))),
  };
}

/** What a decision reads of a node object itself, worked out once per object (NodeInfo carries it). */
export type NodeSchedulingFacts = Pick<NodeInfo, "allocatableMilliCpu" | "allocatableMemory" | "allocatablePods" | "ready" | "unschedulable">;

/** The facts of `node` a decision reads (Infinity for what it does not limit). Pure. */
export function nodeFacts(node: Node): NodeSchedulingFacts {
  const { milliCpu, memory, pods } = nodeAllocatable(node);
  return {
    allocatableMilliCpu: milliCpu ?? Infinity, allocatableMemory: memory ?? Infinity, allocatablePods: pods ?? Infinity,
    ready: readyStatus(node) === "True", unschedulable: node.spec.unschedulable === true,
  };
}

/**
 * The node's allocatable resources, falling back to capacity per resource (v1beta1 nodes report no allocatable).
 * NodeInfo keeps it per node object (a decision reads it for hundreds of nodes). Pure.
 */
export function nodeAllocatable(node: Node): Allocatable {
  const value = (resource: "cpu" | "memory" | "pods", toNumber: (s: string) => bigint) => {
    const q = node.status.allocatable?.[resource] ?? node.status.capacity?.[resource];
    return q === undefined ? undefined : Number(toNumber(q));
  };
  const out: Allocatable = {};
  const milliCpu = value("cpu", (s) => milliValue(parseQuantity(s)));
  const memory = value("memory", (s) => unitValue(parseQuantity(s)));
  const pods = value("pods", (s) => unitValue(parseQuantity(s)));
  if (milliCpu !== undefined) out.milliCpu = milliCpu;
  if (memory !== undefined) out.memory = memory;
  if (pods !== undefined) out.pods = pods;
  return out;
}

const ANY_IP = "0.0.0.0";

/** `<protocol>/<hostPort>/<hostIP>` (no hostIP: 0.0.0.0) of every host port the pod asks for. Pure. */
export function hostPorts(pod: Pod): string[] {
  let ports = portsOf.get(pod);
  if (!ports) {
    ports = pod.spec.containers.flatMap((c) => (c.ports ?? []).filter((p) => p.hostPort !== undefined).map((p) => `${p.protocol}/${p.hostPort}/${p.hostIP ?? ANY_IP}`));
    portsOf.set(pod, ports);
  }
  return ports;
}

const portsOf = new WeakMap<Pod, string[]>();

/**
 * True when one of `wanted` collides with `used` (both as `hostPorts` gives them), by Kubernetes' port fit: the same
 * protocol and port, and the same hostIP or 0.0.0.0 on either side. Pure.
 */
export function hostPortsConflict(wanted: readonly string[], used: ReadonlySet<string>): boolean {
  if (used.size === 0) return false;
  return wanted.some((w) => {
    const [protocol, port, ip] = w.split("/");
    if (used.has(w) || used.has(`${protocol}/${port}/${ANY_IP}`)) return true;
    return ip === ANY_IP && [...used].some((u) => u.startsWith(`${protocol}/${port}/`));
  });
}
