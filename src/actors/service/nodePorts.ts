/**
 * Admission of a Service's node ports: each `spec.ports[i].nodePort` asked for is claimed across all actor hosts
 * (the KV claims that hold clusterIPs), so two services never share one; a port another service holds is Invalid
 * naming the field, and nothing is appended. Ports a service drops or a deleted service held are freed after the
 * command succeeds. A NodePort or LoadBalancer service's port that asks for none is given one of 30000-32767, as the
 * apiserver allocates it, unless a LoadBalancer service says `allocateLoadBalancerNodePorts: false`. Node ports are
 * recorded, not served: Limit (docs/architecture.md), nothing listens on them yet.
 */
import { createHash } from "node:crypto";
import type { CommandReply } from "../../api/reply.js";
import type { ServiceSpec } from "../../api/service.js";
import { StatusError } from "../../api/status.js";
import type { KindAdmissionContext } from "../kindAdmission.js";

const key = (port: number, protocol: string) => `nodeport.${protocol}.${port}`;

/** The node port `previous` gave the port of `port`'s number and protocol, if any. Pure. */
function keptNodePort(previous: ServiceSpec | undefined, port: { port: number; protocol: string }): number | undefined {
  return previous?.ports?.find((q) => q.port === port.port && q.protocol === port.protocol)?.nodePort;
}

/**
 * What an update of a Service keeps that it leaves out: the clusterIP (immutable) and each port's node port (the one
 * it had), as admission keeps them. Pure.
 */
export function keptOnUpdate(next: ServiceSpec, previous: ServiceSpec): ServiceSpec {
  const ip = next.clusterIP || previous.clusterIP === undefined ? {} : { clusterIP: previous.clusterIP, ...(previous.clusterIPs ? { clusterIPs: previous.clusterIPs } : {}) };
  const ports = !wantsNodePorts(next) ? next.ports : next.ports?.map((p) => {
    const kept = keptNodePort(previous, p);
    return p.nodePort === undefined && kept !== undefined ? { ...p, nodePort: kept } : p;
  });
  return { ...next, ...ip, ...(ports ? { ports } : {}) };
}

/** Kubernetes' default node port range. */
export const NODE_PORT_RANGE = { first: 30_000, last: 32_767 } as const;

/**
 * The spec without node ports when its type has none (a NodePort service made a ClusterIP one drops them, as the
 * apiserver drops them, and they are freed); a node port asked for outside the range is Invalid. Pure.
 */
export function withoutStrayNodePorts(name: string, spec: ServiceSpec): ServiceSpec {
  if (!wantsNodePorts(spec)) return spec.ports?.some((p) => p.nodePort !== undefined) ? { ...spec, ports: spec.ports.map(({ nodePort: _, ...p }) => p) } : spec;
  (spec.ports ?? []).forEach((p, i) => {
    if (p.nodePort === undefined || (p.nodePort >= NODE_PORT_RANGE.first && p.nodePort <= NODE_PORT_RANGE.last)) return;
    const field = `spec.ports[${i}].nodePort`;
    const message = `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_RANGE.first}-${NODE_PORT_RANGE.last}`;
    throw new StatusError("Invalid", `Service "${name}" is invalid: ${field}: Invalid value: ${p.nodePort}: ${message}`, { kind: "Service", name, causes: [{ field, message }] });
  });
  return spec;
}

/** Whether a service of this type is given a node port for each of its ports. Pure. */
export function wantsNodePorts(spec: ServiceSpec | undefined): boolean {
  return spec?.type === "NodePort" || spec?.type === "LoadBalancer";
}

/**
 * Whether ports that ask for no node port are given one: not for a LoadBalancer service with
 * `allocateLoadBalancerNodePorts: false` (its load balancer would send to the pods directly), as Kubernetes decides. Pure.
 */
export function allocates(spec: ServiceSpec): boolean {
  return wantsNodePorts(spec) && !(spec.type === "LoadBalancer" && spec.allocateLoadBalancerNodePorts === false);
}

/** The node ports tried for port `index` of `holder`, from a point its name picks, round the range. Pure. */
export function nodePortCandidates(holder: string, index: number, limit = 64): number[] {
  const size = NODE_PORT_RANGE.last - NODE_PORT_RANGE.first + 1;
  const start = createHash("sha256").update(`${holder}/${index}`).digest().readUInt32BE(0) % size;
  return Array.from({ length: limit }, (_, i) => NODE_PORT_RANGE.first + ((start + i) % size));
}

/**
 * Gives each port of a NodePort or LoadBalancer service that has none a node port: the one it had (an update that
 * leaves it out keeps it), else a free one of the range, claimed for `holder`. Returns the spec and the claims made
 * here (to free if the command fails).
 */
export async function assignNodePorts(ctx: Pick<KindAdmissionContext, "claims">, holder: string, next: ServiceSpec, previous: ServiceSpec | undefined): Promise<{ spec: ServiceSpec; fresh: string[] }> {
  if (!wantsNodePorts(next)) return { spec: next, fresh: [] };
  const fresh: string[] = [];
  // The node ports this spec holds already (asked for, or given to an earlier port here): no second port gets one.
  const used = new Set((next.ports ?? []).flatMap((p) => (p.nodePort === undefined ? [] : [key(p.nodePort, p.protocol)])));
  const ports = [];
  try {
    for (const [i, p] of (next.ports ?? []).entries()) {
      const kept = keptNodePort(previous, p);
      let nodePort = p.nodePort ?? (kept !== undefined && !used.has(key(kept, p.protocol)) ? kept : undefined);
      if (nodePort === undefined && !allocates(next)) {
        ports.push(p);
        continue;
      }
      for (const candidate of nodePort === undefined ? nodePortCandidates(holder, i) : []) {
        if (used.has(key(candidate, p.protocol))) continue;
        const outcome = await ctx.claims.claim(key(candidate, p.protocol), holder);
        if (outcome === "taken") continue;
        if (outcome === "claimed") fresh.push(key(candidate, p.protocol));
        nodePort = candidate;
        break;
      }
      if (nodePort === undefined) throw new StatusError("Unavailable", `no free node port found in ${NODE_PORT_RANGE.first}-${NODE_PORT_RANGE.last} for service "${holder}"`);
      used.add(key(nodePort, p.protocol));
      ports.push({ ...p, nodePort });
    }
  } catch (err) {
    await Promise.all(fresh.map((k) => ctx.claims.release(k, holder)));
    throw err;
  }
  return { spec: { ...next, ports }, fresh };
}

/** The claim keys of the node ports of `spec`, with the field each comes from. Pure. */
export function nodePortClaims(spec: ServiceSpec | undefined): { key: string; field: string; port: number }[] {
  return (spec?.ports ?? []).flatMap((p, i) => (p.nodePort === undefined ? [] : [{ key: key(p.nodePort, p.protocol), field: `spec.ports[${i}].nodePort`, port: p.nodePort }]));
}

/**
 * Claims the node ports `next` asks for that `previous` did not hold, runs `execute`, then frees what is no longer
 * held (the new claims when the command failed, the dropped ones when it succeeded). A taken port: Invalid.
 */
export async function withNodePorts(ctx: Pick<KindAdmissionContext, "claims">, holder: string, name: string, previous: ServiceSpec | undefined, next: ServiceSpec | undefined, execute: () => Promise<CommandReply>): Promise<CommandReply> {
  const before = new Set(nodePortClaims(previous).map((c) => c.key));
  const wanted = nodePortClaims(next);
  const fresh: string[] = [];
  for (const c of wanted.filter((w) => !before.has(w.key))) {
    const outcome = await ctx.claims.claim(c.key, holder);
    if (outcome === "taken") {
      await Promise.all(fresh.map((k) => ctx.claims.release(k, holder)));
      const message = "provided port is already allocated";
      throw new StatusError("Invalid", `Service "${name}" is invalid: ${c.field}: Invalid value: ${c.port}: ${message}`, { kind: "Service", name, causes: [{ field: c.field, message }] });
    }
    if (outcome === "claimed") fresh.push(c.key);
  }
  const reply = await execute();
  // A delete that leaves the Service Terminating (its finalizers hold it) keeps its ports; a write that deletes it frees them all.
  const gone = serviceGone(reply);
  const kept = new Set(gone ? [] : next === undefined ? before : wanted.map((w) => w.key));
  const freed = reply.ok ? [...before, ...(gone ? fresh : [])].filter((k) => !kept.has(k)) : fresh;
  await Promise.all(freed.map((k) => ctx.claims.release(k, holder)));
  return reply;
}

/** Whether a command's reply says the Service is gone (`ServiceDeleted`), not only Terminating. Pure. */
export function serviceGone(reply: CommandReply): boolean {
  return reply.ok && reply.events.includes("ServiceDeleted");
}
