/**
 * Admission of a Service's node ports: each `spec.ports[i].nodePort` asked for is claimed across all actor hosts
 * (the KV claims that hold clusterIPs), so two services never share one; a port another service holds is Invalid
 * naming the field, and nothing is appended. Ports a service drops or a deleted service held are freed after the
 * command succeeds. Node ports are recorded, not served: Limit (docs/architecture.md), nothing listens on them yet.
 */
import type { CommandReply } from "../../api/reply.js";
import type { ServiceSpec } from "../../api/service.js";
import { StatusError } from "../../api/status.js";
import type { KindAdmissionContext } from "../kindAdmission.js";

const key = (port: number, protocol: string) => `nodeport.${protocol}.${port}`;

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
  const kept = new Set(wanted.map((w) => w.key));
  const freed = reply.ok ? [...before].filter((k) => !kept.has(k)) : fresh;
  await Promise.all(freed.map((k) => ctx.claims.release(k, holder)));
  return reply;
}
