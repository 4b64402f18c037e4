/**
 * A Service's endpoints from its pods, as Kubernetes' endpoints controller computes them: every active pod that the
 * selector picks and that has an IP, ready ones under `addresses` (all of them with publishNotReadyAddresses), the
 * others under `notReadyAddresses`, each service port resolved to the pod's port (a number, or a named container
 * port; a pod without that name is left out of that port), pods with the same ports grouped into one subset.
 * Sorted, so an unchanged set of pods gives an equal value. Pure.
 */
import type { EndpointSubset, ServicePort, ServiceSpec } from "../../api/service.js";
import type { Pod } from "../../api/pod.js";
import { selectorMatches } from "../../api/replicationController.js";
import { isActive, isReady } from "../pods.js";

type Address = NonNullable<EndpointSubset["addresses"]>[number];
type Port = NonNullable<EndpointSubset["ports"]>[number];

/** The pods' port for one service port (undefined: this pod does not serve it). Pure. */
export function targetPortOf(pod: Pod, port: ServicePort): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === "number") return target;
  for (const c of pod.spec.containers) {
    const found = c.ports?.find((p) => p.name === target && p.protocol === port.protocol);
    if (found) return found.containerPort;
  }
  return undefined;
}

/** True when the service selects `pod` (a service without a selector selects nothing: its endpoints are the user's). Pure. */
function selects(spec: ServiceSpec, pod: Pod): boolean {
  const sel = spec.selector;
  return !!sel && Object.keys(sel).length > 0 && selectorMatches(sel, pod.metadata.labels);
}

function address(pod: Pod, serviceName: string): Address {
  const hostname = pod.spec.hostname && pod.spec.subdomain === serviceName ? { hostname: pod.spec.hostname } : {};
  return {
    ip: pod.status.podIP ?? "", ...hostname, ...(pod.spec.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    targetRef: { kind: "Pod", namespace: pod.metadata.namespace ?? "", name: pod.metadata.name, uid: pod.metadata.uid },
  };
}

const byIp = (a: Address, b: Address) => a.ip.localeCompare(b.ip, "en", { numeric: true });

/** The subsets of the service `name` with `spec` over the pods of its namespace. Pure. */
export function endpointSubsets(name: string, spec: ServiceSpec, pods: readonly Pod[]): EndpointSubset[] {
  const groups = new Map<string, { ports: Port[]; ready: Address[]; notReady: Address[] }>();
  for (const pod of pods) {
    if (!selects(spec, pod) || !isActive(pod) || !pod.status.podIP) continue;
    const ports = (spec.ports ?? []).flatMap((p): Port[] => {
      const target = targetPortOf(pod, p);
      return target === undefined ? [] : [{ ...(p.name ? { name: p.name } : {}), port: target, protocol: p.protocol }];
    });
    if ((spec.ports ?? []).length > 0 && ports.length === 0) continue;
    const key = JSON.stringify(ports);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ports, ready: [], notReady: [] }));
    (isReady(pod) || spec.publishNotReadyAddresses ? g.ready : g.notReady).push(address(pod, name));
  }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, g]) => ({
    ...(g.ready.length ? { addresses: g.ready.sort(byIp) } : {}),
    ...(g.notReady.length ? { notReadyAddresses: g.notReady.sort(byIp) } : {}),
    ...(g.ports.length ? { ports: g.ports } : {}),
  }));
}

/** The ready backends of one service port, for the proxy: every ready address with its port of that name. Pure. */
export function readyBackends(subsets: readonly EndpointSubset[], port: ServicePort): { ip: string; port: number }[] {
  return subsets.flatMap((s) => {
    const p = s.ports?.find((x) => (x.name ?? "") === (port.name ?? "") && x.protocol === port.protocol);
    return p ? (s.addresses ?? []).map((a) => ({ ip: a.ip, port: p.port })) : [];
  });
}
