/** The client of one kind in one namespace: a method per registered command, and typed reads. */
import { CLUSTER_NS, RESOURCE_INFO } from "../api/kinds.js";
import { ACTOR_KINDS } from "../actors/registry.js";
import type { CommandSender } from "../nats/commandClient.js";
import type { ListOptions, ReadClient } from "../projections/readClient.js";
import { methodName, type CommandMethods, type CommandResult, type SendOptions } from "./commandMethods.js";
import { CoxswainStatusError } from "./statusError.js";
import { sendCommand, type RetryPolicy } from "./transport.js";
import type { CommandInput, CommandType, KindName, ObjectOf } from "./types.js";

/** The reads and the generic `send` every kind's client has; the command methods come on top (see `KindClient`). */
export interface KindClientBase<R extends KindName> {
  readonly resource: R;
  /** The namespace (`_` for cluster-scoped kinds). */
  readonly namespace: string;
  /** Sends any command of the kind by its type name (what the named methods do), with its data as the wire takes it. */
  send<T extends CommandType<R>>(type: T, name: string, data?: CommandInput<R, T>, options?: SendOptions): Promise<CommandResult<R>>;
  /** One object from the read model (v1); `minResourceVersion` waits until the read model has caught up to it. */
  get(name: string, options?: { minResourceVersion?: string }): Promise<ObjectOf<R>>;
  /** The matching objects (sorted by name) and the read model's resourceVersion. */
  list(options?: Pick<ListOptions, "labelSelector" | "fieldSelector">): Promise<{ items: ObjectOf<R>[]; resourceVersion: string }>;
}

/** A kind's client: `pods.create(manifest)`, `pods.delete("web", { gracePeriodSeconds: 0 })`, `rcs.scale("web", 5)`. */
export type KindClient<R extends KindName> = KindClientBase<R> & CommandMethods<R>;

/** What a kind client is built on. */
export interface KindClientDeps {
  sender: CommandSender;
  reads: ReadClient;
  retry: RetryPolicy;
}

/** Builds the client of `resource` in `namespace` (ignored for cluster-scoped kinds) from the registered commands. */
export function kindClient<R extends KindName>(deps: KindClientDeps, resource: R, namespace = "default"): KindClient<R> {
  const kind = ACTOR_KINDS[resource];
  if (!kind) throw new CoxswainStatusError("NotFound", `no kind "${resource}" is registered`);
  const info = RESOURCE_INFO[resource];
  const ns = info.clusterScoped ? CLUSTER_NS : namespace;
  const send = <T extends CommandType<R>>(type: T, name: string, data?: CommandInput<R, T>, options?: SendOptions) =>
    sendCommand<R, T>(deps.sender, { resource, namespace: ns, name }, type, data ?? ({} as CommandInput<R, T>), options, deps.retry);
  // The methods are read off the registered decider at run time: its command names are R's (the door checks the data).
  const sendNamed = (command: string, name: string, data: unknown, options?: SendOptions) =>
    send(command as CommandType<R>, name, data as CommandInput<R, CommandType<R>>, options);
  const base: KindClientBase<R> = {
    resource, namespace: ns, send,
    get: (name, options = {}) => wrapped(() => deps.reads.get(resource, ns, name, options)) as Promise<ObjectOf<R>>,
    list: async (options = {}) => (await wrapped(() => deps.reads.list(resource, ns, options))) as { items: ObjectOf<R>[]; resourceVersion: string },
  };
  const methods: Record<string, unknown> = {};
  for (const [command, spec] of Object.entries(kind.decider.commands)) {
    const method = methodName(command, info.kind);
    if (method in base || method in methods) throw new Error(`${resource}: command ${command} would be method "${method}", which is taken`);
    methods[method] = spec.manifest
      ? async (manifest: { metadata?: { name?: string } }, options?: SendOptions) => sendNamed(command, manifestName(manifest), manifest, options)
      : async (name: string, data?: unknown, options?: SendOptions) => sendNamed(command, name, expandShort(spec.schema, data), options);
  }
  return Object.assign(base, methods) as KindClient<R>;
}

/** The name of a v1 manifest, or an Invalid error naming the field. Pure. */
function manifestName(manifest: { metadata?: { name?: string } }): string {
  const name = manifest?.metadata?.name;
  if (typeof name !== "string" || name === "") {
    throw new CoxswainStatusError("Invalid", "metadata.name is required", { causes: [{ field: "data.metadata.name", message: "Required" }] });
  }
  return name;
}

/** `5` for `{ replicas: 5 }`: a bare value becomes the one field of the command's data. Pure. */
function expandShort(schema: unknown, data: unknown): unknown {
  if (data === undefined || data === null || typeof data === "object") return data;
  const shape = (schema as { shape?: Record<string, unknown> }).shape;
  const keys = shape ? Object.keys(shape) : [];
  if (keys.length !== 1) return data;
  return { [keys[0] as string]: data };
}

async function wrapped<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    throw CoxswainStatusError.from(err);
  }
}
