/**
 * Acting as one user of the cluster (a role's credentials) and telling who refused an attempt: the client library
 * (a subject it will not send), nats-server (a permissions violation, no responders), the host or API (a Status
 * reply), or nobody (accepted).
 */
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { connectionAuth, credentialsPath, readCredentials, type Credentials } from "../../src/auth/credentials.js";

/** Who decided an attempt, and why. `unanswered` means nobody answered in time: it must never happen. */
export type Verdict =
  | { by: "client"; reason: string }
  | { by: "server"; reason: string }
  | { by: "host"; reason: string; code: number }
  | { by: "accepted"; reply: Record<string, unknown> }
  | { by: "unanswered"; reason: string };

/** A connection as one user that collects the server's refusals (`-ERR` lines) as they arrive. */
export class UserConnection {
  /** Every refusal the server sent on this connection, in order. */
  readonly refusals: string[] = [];

  constructor(readonly user: string, readonly nc: NatsConnection) {
    void (async () => {
      for await (const s of nc.status()) if (s.type === "error") this.refusals.push(String(s.error));
    })();
  }

  /** Publishes without a reply subject; the server's answer (if any) arrives before the flush's PONG. */
  async publish(subject: string, data: string | Uint8Array = ""): Promise<Verdict> {
    return this.refusedBy(() => this.nc.publish(subject, data), subject);
  }

  /** Subscribes and reports whether the server refused it; the subscription stays open when allowed. */
  async subscribe(subject: string): Promise<Verdict> {
    return this.refusedBy(() => this.nc.subscribe(subject), subject);
  }

  /** A request: refused by the server, answered with a Status (host or API), or accepted. */
  async request(subject: string, body: unknown, timeout = 10_000): Promise<Verdict> {
    const payload = typeof body === "string" || body instanceof Uint8Array ? body : JSON.stringify(body);
    try {
      const reply = (await this.nc.request(subject, payload, { timeout })).json<Record<string, unknown>>();
      if (reply.ok === true) return { by: "accepted", reply };
      const status = (reply.status ?? {}) as { reason?: string; code?: number };
      return { by: "host", reason: status.reason ?? "?", code: status.code ?? 0 };
    } catch (err) {
      return verdictOfError(err);
    }
  }

  private async refusedBy(act: () => unknown, subject: string): Promise<Verdict> {
    const before = this.refusals.length;
    try {
      act();
    } catch (err) {
      return verdictOfError(err);
    }
    // Two round trips: the server's -ERR precedes the first PONG, and the status stream has been read by the second.
    await this.nc.flush();
    await this.nc.flush();
    const refusal = this.refusals.slice(before).find((r) => r.includes(subject));
    return refusal ? { by: "server", reason: shortReason(refusal) } : { by: "accepted", reply: {} };
  }
}

function verdictOfError(err: unknown): Verdict {
  const message = String((err as Error).message ?? err);
  if (/illegal subject|invalid subject/i.test(message)) return { by: "client", reason: "illegal subject" };
  if (/permissions violation|no responders|max_payload/i.test(message)) return { by: "server", reason: shortReason(message) };
  return { by: "unanswered", reason: message };
}

function shortReason(message: string): string {
  if (/permissions violation/i.test(message)) return "permissions violation";
  if (/no responders/i.test(message)) return "no responders";
  if (/max_payload/i.test(message)) return "over max_payload";
  return message.slice(0, 60);
}

/** The credentials of `user` in a data folder. */
export function credentialsOf(dataDir: string, user: string): Credentials {
  return readCredentials(credentialsPath(dataDir, user));
}

/** Connects to `url` as `user` of the data folder (a tenant with its own inbox prefix); closed by the caller. */
export async function connectAs(url: string, dataDir: string, user: string): Promise<UserConnection> {
  const nc = await connect({ servers: url, name: `test-${user}`, reconnect: false, ...connectionAuth(credentialsOf(dataDir, user)) });
  return new UserConnection(user, nc);
}
