/**
 * Reads on NATS: `<prefix>.api.<kind>.<ns>.get|list|watch` request/reply in the queue group `cox-api`.
 *
 * A watch replies `{ ok: true, subject }` with a fresh `<prefix>.watch.<ns>.<id>` subject (the namespace token of
 * the request, so that NATS permissions can confine a tenant to the watches of its namespace; `sealedwatch` for a
 * sealed kind's, which the viewer may not follow). The watcher subscribes to it
 * and then publishes to `<subject>.ping`: the first ping starts delivery (events are buffered until then, so
 * none is lost between the reply and the subscription), and the watcher must ping again at least every
 * `idleMs` (30 s by default; a ping with a reply subject is answered `{ ok: true }`, so a watcher can tell the
 * server is alive). Without pings the watch expires; `<subject>.stop` ends it at once. When the server ends a
 * watch (expiry, shutdown) it sends `{ type: "ERROR", object: Status }` last; the watcher resumes with a new
 * watch from the last resourceVersion it saw.
 */
import { randomUUID } from "node:crypto";
import type { Msg, NatsConnection, Subscription } from "@nats-io/transport-node";
import { failReply } from "../api/reply.js";
import { StatusError, toStatusError } from "../api/status.js";
import { createLogger, type Logger } from "../log.js";
import { respondSafely } from "../nats/respond.js";
import { readClusterStatus } from "../nats/clusterStatus.js";
import { CLUSTER_NS, RESOURCE_INFO } from "../api/kinds.js";
import { SEALED_WATCH_TREE, WATCH_TREE } from "../events/names.js";
import type { WireWatchEvent } from "./changeFeed.js";
import type { ApiMetrics } from "./metrics.js";
import { GetRequest, ListRequest, parseReadBody, readTarget, WatchRequest, type ReadService, type ReadVerb } from "./readService.js";

/** Options of the NATS read server. */
export interface NatsReadsOptions {
  prefix: string;
  /** A watch without a ping for this long ends. */
  idleMs?: number;
  /** Most events buffered for a watch before its first ping. */
  maxBuffered?: number;
  metrics?: ApiMetrics;
  logger?: Logger;
}

/** `<prefix>.api.cluster._.get`: the NATS servers, streams and processes (src/nats/clusterStatus.ts). */
const CLUSTER_READ = "cluster";

/** Room left in a reply for everything but a list's items (ok, resourceVersion, continue, the JSON around them). */
const REPLY_ENVELOPE_BYTES = 8 * 1024;

interface WatchSession {
  subject: string;
  stop(reason?: StatusError): void;
}

/** Serves get/list/watch requests from NATS. */
export class NatsReads {
  private sub: Subscription | null = null;
  private readonly watches = new Set<WatchSession>();
  private readonly log: Logger;

  constructor(private readonly nc: NatsConnection, private readonly service: ReadService, private readonly opts: NatsReadsOptions) {
    this.log = opts.logger ?? createLogger("api");
  }

  /** Number of open watches. */
  get watchCount(): number {
    return this.watches.size;
  }

  /** Subscribes to `<prefix>.api.>` in the queue group `cox-api`. */
  start(): void {
    this.sub = this.nc.subscribe(`${this.opts.prefix}.api.>`, {
      queue: "cox-api",
      callback: (err, msg) => {
        if (err) this.log.error({ err }, "read subscription failed");
        else void this.onRequest(msg);
      },
    });
  }

  /** Stops taking requests and ends every watch with an Unavailable ERROR. */
  async stop(): Promise<void> {
    await this.sub?.drain().catch(() => undefined);
    for (const w of [...this.watches]) w.stop(new StatusError("Unavailable", "the API server is stopping; watch again from the last resourceVersion"));
  }

  private async onRequest(msg: Msg): Promise<void> {
    const verb = msg.subject.slice(msg.subject.lastIndexOf(".") + 1);
    let reply: unknown;
    try {
      reply = await this.handle(msg);
      this.opts.metrics?.reads.inc({ verb, outcome: "ok" });
    } catch (err) {
      const status = toStatusError(err);
      if (status.reason === "Internal") this.log.error({ err, subject: msg.subject }, "read failed");
      this.opts.metrics?.reads.inc({ verb, outcome: status.reason });
      reply = failReply(status);
    }
    respondSafely(msg, reply, this.log);
  }

  /** The bytes a list's items may take in one reply: the server's max_payload less room for the envelope. */
  private replyBudget(): number {
    return (this.nc.info?.max_payload ?? 1024 * 1024) - REPLY_ENVELOPE_BYTES;
  }

  private async handle(msg: Msg): Promise<unknown> {
    const head = `${this.opts.prefix}.api.`;
    const parts = msg.subject.slice(head.length).split(".");
    const [kind = "", ns = "", verb = ""] = parts;
    if (parts.length !== 3 || !["get", "list", "watch"].includes(verb)) {
      throw new StatusError("BadRequest", `read subjects are ${head}<kind>.<ns>.get|list|watch, not ${msg.subject}`);
    }
    if (kind === CLUSTER_READ && ns === CLUSTER_NS && verb === "get") {
      return { ok: true, cluster: await readClusterStatus(this.nc, this.opts.prefix, `api/${process.pid}`) };
    }
    const target = readTarget(kind, ns, verb as ReadVerb);
    switch (verb as ReadVerb) {
      case "get":
        return { ok: true, object: await this.service.get(target, parseReadBody(GetRequest, msg.data)) };
      case "list":
        return { ok: true, ...this.service.list(target, parseReadBody(ListRequest, msg.data), { maxBytes: this.replyBudget() }) };
      case "watch": {
        const req = parseReadBody(WatchRequest, msg.data);
        const tree = RESOURCE_INFO[target.resource].sealed ? SEALED_WATCH_TREE : WATCH_TREE;
        return { ok: true, subject: this.openWatch(`${tree}.${ns}`, (send) => this.service.watch(target, req, send)) };
      }
    }
  }

  /**
   * Opens a watch session under `where` (`watch.<ns>`, `sealedwatch.<ns>`) and returns its subject; `begin` may
   * throw (Expired, BadRequest) before anything is sent.
   */
  private openWatch(where: string, begin: (send: (e: WireWatchEvent) => void) => () => void): string {
    const subject = `${this.opts.prefix}.${where}.${randomUUID().replaceAll("-", "")}`;
    const idleMs = this.opts.idleMs ?? 30_000;
    const maxBuffered = this.opts.maxBuffered ?? 100_000;
    let buffer: WireWatchEvent[] | null = [];
    let lastPing = Date.now();
    let stopFeed: () => void = () => undefined;
    const publish = (e: unknown) => this.nc.publish(subject, JSON.stringify(e));
    const control = this.nc.subscribe(`${subject}.*`, {
      callback: (_err, m) => {
        if (m.subject.endsWith(".stop")) return session.stop();
        lastPing = Date.now();
        if (buffer !== null) {
          const pending = buffer;
          buffer = null;
          for (const e of pending) publish(e);
        }
        if (m.reply) m.respond(JSON.stringify({ ok: true }));
      },
    });
    const idle = setInterval(() => {
      if (Date.now() - lastPing > idleMs) session.stop(new StatusError("Timeout", `no ping for ${idleMs} ms: the watch expired`));
    }, Math.max(50, Math.min(idleMs / 4, 5_000)));
    idle.unref();
    const session: WatchSession = {
      subject,
      stop: (reason) => {
        if (!this.watches.delete(session)) return;
        stopFeed();
        clearInterval(idle);
        control.unsubscribe();
        if (reason) publish({ type: "ERROR", object: reason.toStatus() });
        this.opts.metrics?.watches.dec();
      },
    };
    this.watches.add(session);
    this.opts.metrics?.watches.inc();
    try {
      stopFeed = begin((e) => {
        if (buffer === null) publish(e);
        else if (buffer.push(e) > maxBuffered) queueMicrotask(() => session.stop(new StatusError("Expired", "the watcher did not start reading in time")));
      });
    } catch (err) {
      session.stop();
      throw err;
    }
    return subject;
  }
}
