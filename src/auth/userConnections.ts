/**
 * The HTTP API's connections to NATS as its callers: one connection per user, made with that user's own credentials
 * and inbox prefix, so that an HTTP write travels on the caller's role subject tree and nats-server enforces the very
 * permissions it enforces for NATS clients. Idle connections are closed; all of them on `close()`.
 */
import type { NatsConnection } from "@nats-io/transport-node";
import type { EntityRef } from "../api/kinds.js";
import { failReply, type CommandReply } from "../api/reply.js";
import { NatsCommandSender, type OutgoingCommand } from "../nats/commandClient.js";
import { connectNats } from "../nats/connect.js";
import { DEFAULT_PREFIX } from "../events/subjects.js";
import { authorize, commandChannelOf, forbidden, type ResourceRequest } from "./authorize.js";
import { connectionAuth, type Credentials } from "./credentials.js";
import type { Identity } from "./tokens.js";

/** How to reach NATS and find each user's credentials (e.g. `TokenStore.credentials`). */
export interface UserConnectionsOptions {
  url: string;
  credentials: (user: string) => Credentials | undefined;
  prefix?: string;
  /** A connection unused this long is closed (default one minute). */
  idleMs?: number;
  /** How long a command waits for its reply (default 10 s). */
  timeoutMs?: number;
}

interface Cached {
  connection: Promise<NatsConnection>;
  lastUsed: number;
  busy: number;
}

/** A cache of per-user NATS connections. */
export class UserConnections {
  private readonly cache = new Map<string, Cached>();
  private readonly sweeper: NodeJS.Timeout;
  private readonly idleMs: number;
  private readonly prefix: string;
  private closed = false;

  constructor(private readonly opts: UserConnectionsOptions) {
    this.idleMs = opts.idleMs ?? 60_000;
    this.prefix = opts.prefix ?? DEFAULT_PREFIX;
    this.sweeper = setInterval(() => void this.closeIdle(), Math.max(10, Math.floor(this.idleMs / 2)));
    this.sweeper.unref();
  }

  /** The open connections' users (for tests and metrics). */
  get users(): string[] {
    return [...this.cache.keys()];
  }

  /** The connection of this user, made on first use (or after it was closed) with the user's own credentials. */
  userConnection(identity: Identity): Promise<NatsConnection> {
    if (this.closed) return Promise.reject(new Error("the user connections are closed"));
    const cached = this.cache.get(identity.user);
    if (cached) {
      cached.lastUsed = Date.now();
      return cached.connection;
    }
    const entry: Cached = { connection: this.connect(identity), lastUsed: Date.now(), busy: 0 };
    this.cache.set(identity.user, entry);
    // A failed connect is forgotten, so that the next request tries again.
    entry.connection.catch(() => this.cache.get(identity.user) === entry && this.cache.delete(identity.user));
    return entry.connection;
  }

  /** Runs `fn` with the user's connection, which is not closed as idle while `fn` runs. */
  async withConnection<T>(identity: Identity, fn: (nc: NatsConnection) => Promise<T>): Promise<T> {
    const nc = await this.userConnection(identity);
    const entry = this.cache.get(identity.user);
    if (entry) entry.busy++;
    try {
      return await fn(nc);
    } finally {
      if (entry) {
        entry.busy--;
        entry.lastUsed = Date.now();
      }
    }
  }

  /**
   * Sends a command as the user, on its role's command tree (`commandChannelOf`), after the same authorization as
   * the read side: a refused request throws Forbidden before anything is sent, and should nats-server refuse the
   * publish anyway, its permissions violation comes back as the same Forbidden reply.
   */
  async send(identity: Identity, req: ResourceRequest, ref: EntityRef, command: OutgoingCommand, timeoutMs = this.opts.timeoutMs ?? 10_000): Promise<CommandReply> {
    authorize(identity, req, this.prefix);
    const channel = commandChannelOf(identity);
    if (!channel) throw forbidden(identity, req); // unreachable after authorize; keeps the type narrow
    const reply = await this.withConnection(identity, (nc) =>
      new NatsCommandSender(nc, this.prefix, `user/http/${identity.user}`, timeoutMs, channel).send(ref, command));
    return forbiddenByNats(reply) ? failReply(forbidden(identity, req, "refused by NATS")) : reply;
  }

  /** Closes every connection; later calls fail. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweeper);
    const entries = [...this.cache.values()];
    this.cache.clear();
    await Promise.allSettled(entries.map(async (e) => (await e.connection).close()));
  }

  private async connect(identity: Identity): Promise<NatsConnection> {
    const c = this.opts.credentials(identity.user);
    if (!c) throw new Error(`no credentials for user "${identity.user}"`);
    const nc = await connectNats(this.opts.url, `coxswain-http-${identity.user}`, connectionAuth(c));
    // A connection the server ends (credentials removed, server stopped for good) is dropped from the cache.
    void nc.closed().then(() => {
      const entry = this.cache.get(identity.user);
      void entry?.connection.then((current) => current === nc && this.cache.get(identity.user) === entry && this.cache.delete(identity.user));
    });
    return nc;
  }

  private async closeIdle(): Promise<void> {
    const now = Date.now();
    for (const [user, e] of this.cache) {
      if (e.busy > 0 || now - e.lastUsed < this.idleMs) continue;
      this.cache.delete(user);
      await e.connection.then((nc) => nc.close(), () => undefined);
    }
  }
}

/**
 * True when a command's reply is the sender's report of nats-server refusing the publish (a permissions violation:
 * the command client turns every transport failure into an Unavailable reply naming the error). Pure.
 */
export function forbiddenByNats(reply: CommandReply): boolean {
  return !reply.ok && /permissions violation/i.test(reply.status.message);
}
