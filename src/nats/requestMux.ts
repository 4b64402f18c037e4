/**
 * Requests over one inbox subscription per connection, for the hot paths (commands, event appends). nats.js 3.4's own
 * `request` settles each completed request by also rejecting it with a new `RequestError("cancelled")`, whose
 * stack is captured every time: 4–6 % of the actor host's CPU in a scale-up. This does what its mux does (one
 * `<inbox>.*` subscription, a token per request, a timer per request, no-responders and nats-server's permissions
 * violations as errors) without that.
 */
import type { EncodedHeaders } from "./headerBlock.js";
import {
  createInbox, NoRespondersError, PermissionViolationError, RequestError, TimeoutError, type Msg, type MsgHdrs, type NatsConnection,
} from "@nats-io/nats-core";

/** What a request may carry. */
export interface MuxRequestOptions {
  timeout: number;
  headers?: MsgHdrs | EncodedHeaders;
}

interface Pending {
  subject: string;
  resolve: (msg: Msg) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/** The requests of one connection, by token. */
export class RequestMux {
  private readonly inbox: string;
  private readonly pending = new Map<string, Pending>();
  private next = 0;

  private constructor(private readonly nc: NatsConnection) {
    // The connection's own inbox prefix: a role may subscribe to its own inboxes only (src/auth/roles.ts).
    const prefix = (nc as { options?: { inboxPrefix?: string } }).options?.inboxPrefix;
    this.inbox = `${createInbox(prefix)}.`;
    nc.subscribe(`${this.inbox}*`, { callback: (err, msg) => { if (!err) this.settle(msg); } });
    void nc.closed().then(() => this.failAll(new RequestError("connection closed")));
    void this.followRefusals();
  }

  /** The mux of `nc`, made on first use. */
  static of(nc: NatsConnection): RequestMux {
    let mux = muxes.get(nc);
    if (!mux) muxes.set(nc, (mux = new RequestMux(nc)));
    return mux;
  }

  /**
   * Publishes `payload` to `subject` with a reply inbox and resolves with the first reply. Rejects with nats.js's
   * own errors: TimeoutError after `timeout` ms, a RequestError caused by NoRespondersError when nobody listens.
   */
  request(subject: string, payload: string | Uint8Array, opts: MuxRequestOptions): Promise<Msg> {
    const token = (this.next++).toString(36);
    return new Promise<Msg>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(token);
        reject(new TimeoutError());
      }, opts.timeout);
      this.pending.set(token, { subject, resolve, reject, timer });
      try {
        // An EncodedHeaders stands in for MsgHdrs: nats.js only calls encode() on the headers it publishes.
        this.nc.publish(subject, payload, { reply: this.inbox + token, ...(opts.headers ? { headers: opts.headers as MsgHdrs } : {}) });
      } catch (err) {
        clearTimeout(timer);
        this.pending.delete(token);
        reject(err as Error);
      }
    });
  }

  private settle(msg: Msg): void {
    const token = msg.subject.slice(this.inbox.length);
    const p = this.pending.get(token);
    if (!p) return; // timed out already, or a second reply
    this.pending.delete(token);
    clearTimeout(p.timer);
    if (msg.data.length === 0 && msg.headers?.code === 503) {
      const cause = new NoRespondersError(p.subject);
      p.reject(new RequestError(cause.message, { cause }));
    } else p.resolve(msg);
  }

  /**
   * nats-server refuses a publish (or the inbox subscription) with an `-ERR` that names only the subject: as nats.js
   * does, the first request waiting on that subject gets it (a refused inbox fails them all).
   */
  private async followRefusals(): Promise<void> {
    for await (const s of this.nc.status()) {
      if (s.type !== "error" || !(s.error instanceof PermissionViolationError)) continue;
      const err = s.error;
      if (err.operation === "subscription" && err.subject === `${this.inbox}*`) this.failAll(new RequestError(err.message, { cause: err }));
      if (err.operation !== "publish") continue;
      for (const [token, p] of this.pending) {
        if (p.subject !== err.subject) continue;
        this.pending.delete(token);
        clearTimeout(p.timer);
        p.reject(new RequestError(err.message, { cause: err }));
        break;
      }
    }
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(err);
    }
    this.pending.clear();
  }
}

const muxes = new WeakMap<NatsConnection, RequestMux>();
