/** `coxctl get cluster`: the NATS servers, the JetStream state of every stream and bucket, and every Coxswain process. */
import { hostname } from "node:os";
import { readClusterStatus } from "../../nats/clusterStatus.js";
import { withClient, type CoxctlFlags } from "./context.js";
import { formatAge, formatTable } from "./table.js";

/** Prints the cluster's state as three tables, or JSON with `-o json`. */
export async function getCluster(flags: CoxctlFlags & { output?: string }): Promise<void> {
  await withClient(flags, async (client) => {
    const status = await readClusterStatus(client.nc, client.prefix, `coxctl/${hostname()}/${process.pid}`);
    if (flags.output === "json") {
      process.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
      return;
    }
    const out = (s: string) => process.stdout.write(s);
    out(`connected to ${status.connectedTo.server}${status.connectedTo.cluster ? ` of cluster ${status.connectedTo.cluster}` : " (a single server)"}; servers: ${status.servers.join(", ")}\n\n`);
    out(formatTable({
      headers: ["STREAM", "REPLICAS", "MESSAGES", "LEADER", "FOLLOWERS (current, lag)"],
      rows: status.streams.map((s) => [s.name, String(s.replicas), String(s.messages), s.leader,
        s.followers.map((f) => `${f.name}${f.offline ? " offline" : f.current ? "" : " behind"}${f.lag ? ` lag ${f.lag}` : ""}`).join(", ") || "-"]),
    }));
    out("\n");
    const now = Date.now();
    out(formatTable({
      headers: ["COMPONENT", "IDENTITY", "VERSION", "PROTOCOL", "STARTED", "LAST HELLO"],
      rows: status.processes.map((p) => [p.component, p.identity, p.version ?? "-", `${p.protocol.major}.${p.protocol.minor}`,
        p.startedAt ? `${formatAge(now - Date.parse(p.startedAt))} ago` : "-", "now"]),
    }));
  });
}
