/**
 * `coxctl top pods|nodes [name]`: CPU and memory as `kubectl top` prints them, from the latest samples in
 * COX_STATS (through the same metrics.k8s.io objects the HTTP API serves). A node's figure is its containers'
 * plus its agent's own; CPU% and MEMORY% are of the node's allocatable (else its capacity).
 */
import { CLUSTER_NS } from "../../api/kinds.js";
import type { Node } from "../../api/node.js";
import { parseQuantity } from "../../api/quantity.js";
import type { ResourceUsage } from "../../api/resourceMetrics.js";
import { resourceMetrics } from "../../projections/resourceMetrics.js";
import { namespaceOf, withClient, type CoxctlFlags } from "./context.js";
import { CoxctlError } from "./errors.js";
import { formatTable } from "./table.js";

/** The flags of `top`. */
export interface TopFlags extends CoxctlFlags {
  allNamespaces?: boolean;
  containers?: boolean;
}

/** Runs `top`. */
export async function top(what: string, name: string | undefined, flags: TopFlags): Promise<void> {
  const kind = ["pods", "pod", "po"].includes(what) ? "pods" : ["nodes", "node", "no"].includes(what) ? "nodes" : undefined;
  if (!kind) throw new CoxctlError(`top shows pods or nodes, not "${what}"`);
  await withClient(flags, async (client) => {
    const namespace = flags.allNamespaces ? undefined : namespaceOf(flags);
    const metrics = await resourceMetrics(client.nc, client.prefix, namespace === undefined || kind === "nodes" ? {} : { namespace });
    if (kind === "pods") {
      const items = metrics.pods.items.filter((p) => name === undefined || p.metadata.name === name);
      if (items.length === 0) throw new CoxctlError(name ? `metrics not available for pod ${namespace ?? "?"}/${name}` : "metrics not available yet");
      const rows = items.flatMap((p) => {
        const lead = flags.allNamespaces ? [p.metadata.namespace] : [];
        if (flags.containers) return p.containers.map((c) => [...lead, p.metadata.name, c.name, cpuText(c.usage), memoryText(c.usage)]);
        const cores = p.containers.reduce((s, c) => s + nanocores(c.usage), 0);
        const bytes = p.containers.reduce((s, c) => s + kib(c.usage), 0);
        return [[...lead, p.metadata.name, `${Math.round(cores / 1e6)}m`, `${Math.round(bytes / 1024)}Mi`]];
      });
      const headers = [...(flags.allNamespaces ? ["NAMESPACE"] : []), ...(flags.containers ? ["POD", "NAME"] : ["NAME"]), "CPU(cores)", "MEMORY(bytes)"];
      process.stdout.write(formatTable({ headers, rows }));
      return;
    }
    const items = metrics.nodes.items.filter((n) => name === undefined || n.metadata.name === name);
    if (items.length === 0) throw new CoxctlError(name ? `metrics not available for node ${name}` : "metrics not available yet");
    const nodes = new Map(((await client.reads.list("nodes", CLUSTER_NS)).items as unknown as Node[]).map((n) => [n.metadata.name, n]));
    const rows = items.map((n) => {
      const room = nodes.get(n.metadata.name)?.status;
      const of = room?.allocatable ?? room?.capacity;
      return [n.metadata.name, cpuText(n.usage), percent(nanocores(n.usage), of?.cpu, 1e9), memoryText(n.usage), percent(kib(n.usage) * 1024, of?.memory, 1)];
    });
    process.stdout.write(formatTable({ headers: ["NAME", "CPU(cores)", "CPU%", "MEMORY(bytes)", "MEMORY%"], rows }));
  });
}

function nanocores(u: ResourceUsage): number {
  return Number(parseQuantity(u.cpu).nano);
}

function kib(u: ResourceUsage): number {
  return Number(parseQuantity(u.memory).nano / 1_000_000_000n) / 1024;
}

function cpuText(u: ResourceUsage): string {
  return `${Math.round(nanocores(u) / 1e6)}m`;
}

function memoryText(u: ResourceUsage): string {
  return `${Math.round(kib(u) / 1024)}Mi`;
}

/** `used` as a share of a quantity (`unitsPer`: how many of `used`'s units make one of the quantity's). */
function percent(used: number, total: string | undefined, unitsPer: number): string {
  if (total === undefined) return "<unknown>";
  const whole = (Number(parseQuantity(total).nano) / 1e9) * unitsPer;
  return whole > 0 ? `${Math.round((used / whole) * 100)}%` : "<unknown>";
}
