/** Connecting to NATS with the project's defaults: every server of a list, reconnect forever, and a clear error when nothing answers. */
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { StatusError } from "../api/status.js";
import { coalesceWrites } from "./coalescedWrites.js";

/** The servers of `--nats` / `NATS_URL`: a comma-separated list (`nats://a:4222,nats://b:4222`), blanks dropped. Pure. */
export function natsServers(urls: string | readonly string[]): string[] {
  const list = typeof urls === "string" ? urls.split(",") : urls.flatMap((u) => u.split(","));
  return list.map((u) => u.trim()).filter((u) => u !== "");
}

/**
 * Connects to one of `url`'s servers (a comma-separated list: the client tries each and later reconnects to any
 * of them or of the servers the cluster announces), as `auth` (a tenant with its own inbox prefix); no server
 * answering becomes an Unavailable StatusError naming the URLs.
 */
export async function connectNats(url: string, name: string, auth?: { user: string; pass: string; inboxPrefix?: string }): Promise<NatsConnection> {
  const servers = natsServers(url);
  try {
    // noAsyncTraces: the client would otherwise build two Error objects (with stacks) per request and publish ack,
    // which profiles showed at ~15 % of the actor host's CPU; errors keep their messages.
    return coalesceWrites(await connect({ servers, name, maxReconnectAttempts: -1, reconnectTimeWait: 250, timeout: 5_000, noAsyncTraces: true, ...(auth ?? {}) }));
  } catch (err) {
    const where = servers.join(",");
    if (/authorization/i.test((err as Error).message)) {
      throw new StatusError("Forbidden", `NATS at ${where} refused the credentials${auth ? ` of user "${auth.user}"` : " (none given)"}: pass --user/--password or --credentials, or run from the folder of \`coxswain up\``, {}, { cause: err });
    }
    throw new StatusError("Unavailable", `cannot reach NATS at ${where} (${(err as Error).message}); start Coxswain with \`npm start\`, or pass --nats / NATS_URL`, {}, { cause: err });
  }
}
