/**
 * Admission of Services: a clusterIP from the service range for each new ClusterIP service (the one asked for, or
 * the first free one from a starting point derived from the service's name), claimed across all actor hosts, so no
 * two services ever share an address; asking for an address outside the range or already taken is Invalid; the
 * address is immutable on update (an update that leaves it out keeps it) and freed when the service is deleted.
 */
import { createHash } from "node:crypto";
import type { CommandReply } from "../../api/reply.js";
import type { ServiceSpec } from "../../api/service.js";
import { StatusError } from "../../api/status.js";
import { cidrContains, cidrSize, numberToIp, parseCidr, type Cidr } from "../../network/cidr.js";
import type { KindAdmissionContext } from "../kindAdmission.js";
import type { Command } from "../decider.js";
import { assignNodePorts, serviceGone, withNodePorts, withoutStrayNodePorts } from "./nodePorts.js";

/** What service admission needs: the host's claims, and the service range of the kind's configuration. */
export type ServiceAdmissionContext = Pick<KindAdmissionContext, "claims"> & { serviceCidr: string };

type ServiceData = { metadata: { name: string }; spec: ServiceSpec };
const key = (ip: string) => `svcip.${ip}`;
const invalid = (name: string, value: string, message: string) => new StatusError("Invalid", `Service "${name}" is invalid: spec.clusterIP: Invalid value: "${value}": ${message}`, {
  kind: "Service", name, causes: [{ field: "spec.clusterIP", message }],
});

/** The candidates of a service, in the order they are tried: from a point the name picks, round the range. Pure. */
export function candidates(range: Cidr, holder: string, limit = 64): string[] {
  const size = cidrSize(range) - 2;
  const start = createHash("sha256").update(holder).digest().readUInt32BE(0) % size;
  return Array.from({ length: Math.min(limit, size) }, (_, i) => numberToIp(range.base + 1 + ((start + i) % size)));
}

async function allocate(ctx: ServiceAdmissionContext, holder: string, name: string, asked: string | undefined): Promise<{ ip: string; fresh: boolean }> {
  const range = parseCidr(ctx.serviceCidr);
  if (asked) {
    if (!cidrContains(range, asked)) throw invalid(name, asked, `provided IP is not in the valid range. The range of valid IPs is ${ctx.serviceCidr}`);
    const outcome = await ctx.claims.claim(key(asked), holder);
    if (outcome === "taken") throw invalid(name, asked, "provided IP is already allocated");
    return { ip: asked, fresh: outcome === "claimed" };
  }
  for (const ip of candidates(range, holder)) {
    const outcome = await ctx.claims.claim(key(ip), holder);
    if (outcome !== "taken") return { ip, fresh: outcome === "claimed" };
  }
  throw new StatusError("Unavailable", `no free clusterIP found in ${ctx.serviceCidr} for service "${name}"`);
}

/** Runs a Service command under the clusterIP rules; `current` is the service as it stands (null: none). */
export async function admitService(ctx: ServiceAdmissionContext, command: Command, current: ServiceData | null, run: () => Promise<CommandReply>): Promise<CommandReply> {
  const holder = `${command.meta.namespace}/${command.meta.name}`;
  const data = command.data as ServiceData;
  const ports = ["CreateService", "UpdateService", "DeleteService"].includes(command.type);
  if (command.type === "CreateService" || command.type === "UpdateService") data.spec = withoutStrayNodePorts(command.meta.name, data.spec);
  const execute = ports ? async () => {
    // Node ports last, on the spec as the clusterIP's rules left it; those claimed here are freed if the command fails.
    const assigned = command.type === "DeleteService" ? { spec: undefined, fresh: [] } : await assignNodePorts(ctx, holder, data.spec, current?.spec);
    if (assigned.spec) data.spec = assigned.spec;
    let reply: CommandReply | undefined;
    try {
      reply = await withNodePorts(ctx, holder, command.meta.name, current?.spec, assigned.spec, run);
      return reply;
    } finally {
      // Freed when the command failed, or when it deleted the Service (the update that took its last finalizer away).
      if (!reply?.ok || serviceGone(reply)) await Promise.all(assigned.fresh.map((k) => ctx.claims.release(k, holder)));
    }
  } : run;
  if (command.type === "CreateService") {
    const asked = data.spec.clusterIP;
    if (asked === "None" || data.spec.type === "ExternalName") return execute();
    const { ip, fresh } = await allocate(ctx, holder, command.meta.name, asked || undefined);
    data.spec = { ...data.spec, clusterIP: ip, clusterIPs: [ip] };
    const reply = await execute();
    if (!reply.ok && fresh) await ctx.claims.release(key(ip), holder);
    return reply;
  }
  if (command.type === "UpdateService" && current) {
    const was = current.spec.clusterIP;
    const asked = data.spec.clusterIP;
    if (asked && asked !== was) throw new StatusError("Invalid", `Service "${command.meta.name}" is invalid: spec.clusterIP: Invalid value: "${asked}": field is immutable`, {
      kind: "Service", name: command.meta.name, causes: [{ field: "spec.clusterIP", message: "field is immutable" }],
    });
    if (was !== undefined) data.spec = { ...data.spec, clusterIP: was, ...(current.spec.clusterIPs ? { clusterIPs: current.spec.clusterIPs } : {}) };
  }
  if ((command.type === "UpdateService" || command.type === "DeleteService") && current) {
    // The address goes with the Service: not while its finalizers hold it, but with the update that takes the last away.
    const reply = await execute();
    const ip = current.spec.clusterIP;
    if (serviceGone(reply) && ip && ip !== "None") await ctx.claims.release(key(ip), holder);
    return reply;
  }
  return execute();
}
