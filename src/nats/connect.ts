/** Connecting to NATS with the project's defaults: reconnect forever, and a clear error when nothing answers. */
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { StatusError } from "../api/status.js";

/** Connects to `url` (as `auth`; a tenant with its own inbox prefix); a server that does not answer becomes an Unavailable StatusError naming the URL. */
export async function connectNats(url: string, name: string, auth?: { user: string; pass: string; inboxPrefix?: string }): Promise<NatsConnection> {
  try {
    // noAsyncTraces: the client would otherwise build two Error objects (with stacks) per request and publish ack,
    // which profiles showed at ~15 % of the actor host's CPU; errors keep their messages.
    return await connect({ servers: url, name, maxReconnectAttempts: -1, reconnectTimeWait: 250, timeout: 5_000, noAsyncTraces: true, ...(auth ?? {}) });
  } catch (err) {
    if (/authorization/i.test((err as Error).message)) {
      throw new StatusError("Forbidden", `NATS at ${url} refused the credentials${auth ? ` of user "${auth.user}"` : " (none given)"}: pass --user/--password or --credentials, or run from the folder of \`coxswain up\``, {}, { cause: err });
    }
    throw new StatusError("Unavailable", `cannot reach NATS at ${url} (${(err as Error).message}); start Coxswain with \`npm start\`, or pass --nats / NATS_URL`, {}, { cause: err });
  }
}
