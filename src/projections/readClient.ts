/**
 * The client side of the read protocol (docs/protocol.md, Reads): get, list and watch on
 * `<prefix>.api.<kind>.<ns>.<verb>`. A failure reply becomes a StatusError; a watch is an async iterator that pings
 * as the protocol requires and stops cleanly when the loop ends or `stop()` is called.
 */
import type { NatsConnection, Subscription } from "@nats-io/transport-node";
import { CLUSTER_NS, RESOURCE_INFO, type Resource } from "../api/kinds.js";
import { Status, STATUS_CODES, StatusError, type StatusReason } from "../api/status.js";
import { apiSubject } from "../events/subjects.js";
import type { WireWatchEvent } from "./changeFeed.js";
import { ALL_NAMESPACES } from "./readService.js";

export type { WireWatchEvent } from "./changeFeed.js";

/** A running watch: iterate it for changes; `stop()` ends it (and the iteration) at once. */
export interface Watch extends AsyncIterable<WireWatchEvent> {
  stop(): Promise<void>;
}

/** Filters of list and watch. */
export interface ListOptions {
  labelSelector?: string | undefined;
  fieldSelector?: string | undefined;
  apiVersion?: "v1" | "v1beta1" | undefined;
}

/** Options of a watch: the filters, where to start, and how often to ping (default every 10 s; the server wants 30 s). */
export interface ReadWatchOptions extends ListOptions {
  resourceVersion?: string | undefined;
  pingMs?: number;
}

/** A list reply (`continue` is set when a page has more after it). */
export interface ListResult {
  items: Record<string, unknown>[];
  resourceVersion: string;
  continue?: string;
}

/** Objects per page of `list`. */
const DEFAULT_PAGE_SIZE = 500;
/** Reads of a list that keeps changing between pages, before its Expired is the caller's. */
const LIST_ATTEMPTS = 5;

/** The Status of a failure reply as a StatusError (an unknown reason keeps its message and becomes Internal). Pure. */
export function statusErrorOf(status: Status): StatusError {
  const reason: StatusReason = status.reason in STATUS_CODES ? (status.reason as StatusReason) : "Internal";
  return new StatusError(reason, status.message, status.details ?? {});
}

/** The namespace token of a read: `_` for cluster-scoped kinds, `_all` for null (every namespace). Pure. */
export function namespaceToken(resource: Resource, namespace: string | null): string {
  if (RESOURCE_INFO[resource].clusterScoped) return CLUSTER_NS;
  return namespace ?? ALL_NAMESPACES;
}

/** get/list/watch over NATS. Transport failures are Unavailable or Timeout StatusErrors. */
export class ReadClient {
  constructor(private readonly nc: NatsConnection, private readonly prefix: string, private readonly timeoutMs = 10_000) {}

  /** One object (v1 unless asked otherwise); NotFound as a StatusError. */
  async get(resource: Resource, namespace: string, name: string, opts: { apiVersion?: "v1" | "v1beta1"; minResourceVersion?: string } = {}): Promise<Record<string, unknown>> {
    const reply = await this.request(resource, namespaceToken(resource, namespace), "get", { name, ...opts });
    return reply.object as Record<string, unknown>;
  }

  /**
   * The matching objects of one namespace (null: all), sorted by namespace and name, read in pages of `pageSize`
   * (default 500) that are followed to the end. A list that changed between two pages on another API server
   * (Expired) is read again from the start, a few times.
   */
  async list(resource: Resource, namespace: string | null, opts: ListOptions & { pageSize?: number } = {}): Promise<ListResult> {
    const { pageSize = DEFAULT_PAGE_SIZE, ...filters } = opts;
    for (let attempt = 1; ; attempt++) {
      try {
        const items: Record<string, unknown>[] = [];
        let page = await this.listPage(resource, namespace, { ...filters, limit: pageSize });
        items.push(...page.items);
        while (page.continue) {
          page = await this.listPage(resource, namespace, { ...filters, limit: pageSize, continue: page.continue });
          items.push(...page.items);
        }
        return { items, resourceVersion: page.resourceVersion };
      } catch (err) {
        if (!(err instanceof StatusError && err.reason === "Expired") || attempt >= LIST_ATTEMPTS) throw err;
      }
    }
  }

  /** One page of a list: at most `limit` objects (fewer when they would not fit one reply) and the next page's token. */
  async listPage(resource: Resource, namespace: string | null, opts: ListOptions & { limit?: number; continue?: string }): Promise<ListResult> {
    const reply = await this.request(resource, namespaceToken(resource, namespace), "list", compact(opts));
    return {
      items: (reply.items ?? []) as Record<string, unknown>[], resourceVersion: String(reply.resourceVersion ?? "0"),
      ...(typeof reply.continue === "string" ? { continue: reply.continue } : {}),
    };
  }

  /** Opens a watch; the first ping is sent after the subscription is in place, so nothing is lost. */
  async watch(resource: Resource, namespace: string | null, opts: ReadWatchOptions = {}): Promise<Watch> {
    const { pingMs = 10_000, ...filters } = opts;
    const reply = await this.request(resource, namespaceToken(resource, namespace), "watch", compact(filters));
    const subject = String(reply.subject);
    const sub = this.nc.subscribe(subject);
    await this.nc.flush();
    this.nc.publish(`${subject}.ping`);
    const timer = setInterval(() => this.nc.publish(`${subject}.ping`), pingMs);
    let stopped = false;
    const stop = async () => {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      if (!this.nc.isClosed()) this.nc.publish(`${subject}.stop`);
      sub.unsubscribe();
    };
    return { stop, [Symbol.asyncIterator]: () => iterate(sub, stop) };
  }

  private async request(resource: Resource, ns: string, verb: "get" | "list" | "watch", body: object): Promise<Record<string, unknown>> {
    const subject = apiSubject(this.prefix, resource, ns, verb);
    let json: unknown;
    try {
      json = (await this.nc.request(subject, JSON.stringify(body), { timeout: this.timeoutMs })).json();
    } catch (err) {
      const message = (err as Error).message ?? String(err);
      if (/no responders/i.test(message)) throw new StatusError("Unavailable", `no API server answers on ${subject}: is Coxswain running?`, {}, { cause: err });
      const reason = /timeout/i.test(message) ? "Timeout" : "Unavailable";
      throw new StatusError(reason, `no answer on ${subject}: ${message}`, {}, { cause: err });
    }
    const reply = json as { ok?: unknown; status?: unknown } & Record<string, unknown>;
    if (reply.ok === true) return reply;
    const status = Status.safeParse(reply.status);
    throw status.success ? statusErrorOf(status.data) : new StatusError("Internal", `malformed reply on ${subject}`);
  }
}

async function* iterate(sub: Subscription, stop: () => Promise<void>): AsyncGenerator<WireWatchEvent> {
  try {
    for await (const m of sub) {
      const e = m.json() as { type?: string; object?: unknown };
      if (e.type === "ERROR") {
        const status = Status.safeParse(e.object);
        throw status.success ? statusErrorOf(status.data) : new StatusError("Internal", "the watch ended with a malformed ERROR");
      }
      if (e.type === "ADDED" || e.type === "MODIFIED" || e.type === "DELETED") yield { type: e.type, object: (e.object ?? {}) as Record<string, unknown> };
    }
  } finally {
    await stop();
  }
}

function compact<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
