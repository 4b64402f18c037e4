/**
 * The reads of PROTOCOL.md §3, independent of transport: the door (every request validated, each failure a
 * Status naming the field) and get/list/watch over the runner's read model. NATS and HTTP both call this.
 */
import { z } from "zod";
import { API_VERSIONS, type ApiVersion } from "../api/codec.js";
import { DEFAULT_MAX_BODY_BYTES } from "../api/commandBody.js";
import { CLUSTER_NS, isResource, RESOURCE_INFO, type Resource } from "../api/kinds.js";
import { isDnsLabel, ObjectName } from "../api/names.js";
import { causesFromZod, StatusError } from "../api/status.js";
import { startWatch, type WireWatchEvent } from "./changeFeed.js";
import type { ProjectionRunner } from "./runner.js";
import { decodeContinue, ListPager, type ListPage } from "./listPages.js";
import type { RenderedDocument } from "./readModel.js";
import { parseSelector, type Selector } from "./selectors.js";

/** The namespace token that lists or watches across every namespace. */
export const ALL_NAMESPACES = "_all";

/** The verbs of the read subjects. */
export type ReadVerb = "get" | "list" | "watch";

const ResourceVersion = z.union([z.string().regex(/^\d+$/, "must be a decimal resourceVersion"), z.number().int().nonnegative()])
  .transform((v) => Number(v));
const Version = z.enum(API_VERSIONS);

/** `get` body. */
export const GetRequest = z.strictObject({ name: ObjectName, apiVersion: Version.optional(), minResourceVersion: ResourceVersion.optional() });
export type GetRequest = z.infer<typeof GetRequest>;
/** `list` body. */
const Filters = z.strictObject({ labelSelector: z.string().max(4096).optional(), fieldSelector: z.string().max(4096).optional(), apiVersion: Version.optional() });
/** `list` body: the filters, and `limit` / `continue` to read it in pages. */
export const ListRequest = Filters.extend({ limit: z.number().int().positive().optional(), continue: z.string().max(4096).optional() });
export type ListRequest = z.infer<typeof ListRequest>;
/** `watch` body. */
export const WatchRequest = Filters.extend({ resourceVersion: ResourceVersion.optional() });
export type WatchRequest = z.infer<typeof WatchRequest>;

/** A read's target: the resource and the namespace (null: all namespaces; `_` for cluster-scoped kinds). */
export interface ReadTarget {
  resource: Resource;
  namespace: string | null;
}

/** Checks the kind and namespace tokens of a read (unknown kind: NotFound; bad namespace: BadRequest). Pure. */
export function readTarget(kind: string, ns: string, verb: ReadVerb): ReadTarget {
  if (!isResource(kind)) throw new StatusError("NotFound", `the server could not find the requested resource "${kind}"`, { kind });
  const clusterScoped = RESOURCE_INFO[kind].clusterScoped;
  const fail = (message: string) => new StatusError("BadRequest", message, { kind, causes: [{ field: "namespace", message }] });
  if (ns === ALL_NAMESPACES) {
    if (verb === "get") throw fail(`get needs one namespace, not ${ALL_NAMESPACES}`);
    return { resource: kind, namespace: clusterScoped ? CLUSTER_NS : null };
  }
  if (clusterScoped) {
    if (ns !== CLUSTER_NS) throw fail(`${kind} are cluster-scoped: the namespace token must be "${CLUSTER_NS}", not "${ns}"`);
    return { resource: kind, namespace: CLUSTER_NS };
  }
  if (!isDnsLabel(ns)) throw fail(`namespace "${ns}" is not a DNS-1123 label`);
  return { resource: kind, namespace: ns };
}

/** Decodes and validates a read body (empty body = `{}`). Throws TooLarge or BadRequest naming the field. Pure. */
export function parseReadBody<S extends z.ZodType>(schema: S, payload: Uint8Array | string, maxBytes = DEFAULT_MAX_BODY_BYTES): z.infer<S> {
  const size = typeof payload === "string" ? Buffer.byteLength(payload) : payload.length;
  if (size > maxBytes) throw new StatusError("TooLarge", `request body is ${size} bytes, over the limit of ${maxBytes}`);
  let text: string;
  try {
    text = typeof payload === "string" ? payload : new TextDecoder("utf-8", { fatal: true }).decode(payload);
  } catch {
    throw new StatusError("BadRequest", "request body is not valid UTF-8");
  }
  let json: unknown = {};
  if (text.trim() !== "") {
    try {
      json = JSON.parse(text);
    } catch {
      throw new StatusError("BadRequest", "request body is not JSON");
    }
  }
  const r = schema.safeParse(json);
  if (!r.success) {
    const causes = causesFromZod(r.error);
    throw new StatusError("BadRequest", `invalid read request: ${causes.map((c) => `${c.field}: ${c.message}`).join("; ")}`, { causes });
  }
  return r.data;
}

/** Options of the read service. */
export interface ReadServiceOptions {
  /** Longest wait of a get with minResourceVersion before Timeout (504). */
  maxWaitMs?: number;
}

/** A list reply: the items, the resourceVersion they are consistent at, and, when more follow, the next page's token. */
export interface ListReply {
  items: Record<string, unknown>[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

/** get/list/watch over a runner's read model. */
export class ReadService {
  private readonly pager: ListPager;

  constructor(readonly runner: ProjectionRunner, private readonly opts: ReadServiceOptions = {}) {
    this.pager = new ListPager(runner.feed);
  }

  /** One object in the asked version; waits for minResourceVersion first. NotFound / Timeout as Status errors. */
  async get(target: ReadTarget, req: GetRequest): Promise<Record<string, unknown>> {
    if (req.minResourceVersion !== undefined) {
      const ok = await this.runner.waitFor(req.minResourceVersion, this.opts.maxWaitMs ?? 5_000);
      if (!ok) {
        throw new StatusError("Timeout", `the read model has not reached resourceVersion ${req.minResourceVersion} (at ${this.runner.model.sequence})`, {
          kind: target.resource, name: req.name,
        });
      }
    }
    const found = this.runner.model.get(target.resource, target.namespace ?? "", req.name);
    if (!found) throw new StatusError("NotFound", `${target.resource} "${req.name}" not found`, { kind: target.resource, name: req.name });
    return this.render(target.resource, req.apiVersion ?? "v1", found.object);
  }

  /**
   * The matching objects, sorted, and the resourceVersion (applied sequence) they are consistent at; with `limit`
   * (or `continue`) one page of them (see listPages.ts). `maxBytes` caps the rendered items of one reply (a NATS
   * reply must fit the server's max_payload): a page is cut shorter to fit, and an unpaged list that does not fit
   * is TooLarge, naming `limit`.
   */
  list(target: ReadTarget, req: ListRequest, opts: { maxBytes?: number } = {}): ListReply {
    const selector = this.selector(target, req);
    const live = () => this.runner.model.list(target.resource, target.namespace, selector);
    const version = req.apiVersion ?? "v1";
    const shape = {
      limit: req.limit ?? Infinity, maxBytes: opts.maxBytes ?? Infinity,
      render: (d: RenderedDocument) => this.render(target.resource, version, d.object),
    };
    const page: ListPage = req.continue === undefined
      ? this.pager.first(live(), this.runner.model.sequence, shape)
      : this.pager.next(decodeContinue(req.continue), shape, target.resource, target.namespace, live, this.runner.model.sequence);
    if (req.limit === undefined && req.continue === undefined && page.continue !== undefined) {
      throw new StatusError("TooLarge", `the list of ${target.resource} does not fit one reply of ${opts.maxBytes} bytes: read it in pages with limit and continue`, {
        kind: target.resource, causes: [{ field: "limit", message: "Required for a list this large" }],
      });
    }
    return {
      items: page.items, resourceVersion: String(page.resourceVersion),
      ...(page.continue !== undefined ? { continue: page.continue, remainingItemCount: page.remainingItemCount ?? 0 } : {}),
    };
  }

  /** Starts a watch (see startWatch); throws BadRequest for a selector and Expired for a too-old resourceVersion. */
  watch(target: ReadTarget, req: WatchRequest, send: (e: WireWatchEvent) => void): () => void {
    const selector = this.selector(target, req);
    return startWatch(this.runner.model, this.runner.feed, {
      resource: target.resource, namespace: target.namespace, selector, apiVersion: req.apiVersion ?? "v1", resourceVersion: req.resourceVersion,
    }, send);
  }

  /** The request's selectors, with the field labels the kind supports. */
  private selector(target: ReadTarget, req: ListRequest): Selector {
    return parseSelector(req.labelSelector, req.fieldSelector, this.runner.model.kinds[target.resource]?.selectableFields);
  }

  private render(resource: Resource, apiVersion: ApiVersion, object: Record<string, unknown>): Record<string, unknown> {
    const codec = this.runner.model.kinds[resource]?.codec;
    if (!codec) throw new StatusError("NotFound", `no codec for ${resource}`);
    return codec.render(apiVersion, object);
  }
}
