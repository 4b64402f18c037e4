/**
 * Host ports on the loopback pod network, as Kubernetes' hostport plugin maps them: a pod's container port with a
 * `hostPort` is reachable at `<hostIP or the node's address>:<hostPort>`, forwarded to `<podIP>:<containerPort>` by
 * the node's processes (the service proxy's forwarding, one backend per entry). `hostNetwork` pods bind the node's
 * address themselves and need no forward. TCP only. Nodes that share one machine share its address, so the same
 * hostPort on two such nodes is served for the first only: Limit (docs/architecture.md).
 */
import type { Logger } from "pino";
import type { Pod } from "../api/pod.js";
import { ServiceProxy, type ProxiedPort } from "../network/serviceProxy.js";
import type { ClusterView } from "../projections/clusterView.js";

/** A node whose pods' host ports are forwarded, and the address they listen on. */
export interface HostPortNode {
  name: string;
  address: string;
}

const ended = (p: Pod) => p.status.phase === "Succeeded" || p.status.phase === "Failed";

/** The forwards of the pods of one node (the first pod to claim an address:port keeps it). Pure. */
export function hostPortTable(pods: readonly Pod[], nodeAddress: string): ProxiedPort[] {
  const table = new Map<string, ProxiedPort>();
  for (const pod of pods) {
    const podIP = pod.status.podIP;
    if (!podIP || pod.spec.hostNetwork || ended(pod) || pod.metadata.deletionTimestamp) continue;
    for (const c of pod.spec.containers) {
      for (const p of c.ports ?? []) {
        if (p.hostPort === undefined || p.protocol !== "TCP") continue;
        const entry: ProxiedPort = { clusterIP: p.hostIP ?? nodeAddress, port: p.hostPort, sessionAffinity: "None", backends: [{ ip: podIP, port: p.containerPort }] };
        const key = `${entry.clusterIP}:${entry.port}`;
        if (!table.has(key)) table.set(key, entry);
      }
    }
  }
  return [...table.values()];
}

/** Keeps the host-port forwards of `nodes` in step with the view's pods (coalesced over 10 ms). Does network I/O. */
export function startHostPorts(view: ClusterView, nodes: readonly HostPortNode[], log: Logger): { stop(): Promise<void> } {
  const proxy = new ServiceProxy((message, err) => log.warn({ err }, `host port: ${message}`));
  let timer: NodeJS.Timeout | null = null;
  let chain = Promise.resolve();
  const sync = () => {
    timer = null;
    const table = nodes.flatMap((n) => hostPortTable(view.podsOnNode<Pod>(n.name).map((e) => e.object), n.address));
    const unique = [...new Map(table.map((t) => [`${t.clusterIP}:${t.port}`, t])).values()];
    chain = chain.then(() => proxy.update(unique)).catch((err: unknown) => log.warn({ err }, "host ports"));
  };
  const unsubscribe = view.onChange((change) => {
    if (change.resource === "pods" && !timer) timer = setTimeout(sync, 10);
  });
  sync();
  return {
    async stop() {
      unsubscribe();
      if (timer) clearTimeout(timer);
      await chain;
      await proxy.close();
    },
  };
}
