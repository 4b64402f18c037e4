/**
 * What a kind's own admission (ActorKind.admit) may use of its host, and what it is given of the command. What is
 * special to one kind (a quota's reservations) is a host service: the kind that owns it registers a factory
 * (`ActorKind.hostService`) the host calls at start with its generic facilities, and admissions look it up by its key.
 */
import type { CommandReply } from "../api/reply.js";
import { StatusError, toStatusError } from "../api/status.js";
import type { Logger } from "../log.js";
import type { ClaimStore } from "./claims.js";
import type { Command } from "./decider.js";
import type { CommandBodyOf, KindName, KindRef } from "./kindCommands.js";
import type { NamespaceIndex } from "./namespaceIndex.js";

/** The typed name of a host service: `T` is what `service(key)` returns. */
export interface HostServiceKey<T> {
  readonly name: string;
  /** Never set: carries `T`. */
  readonly type?: T;
}

/** A host service's key. */
export function hostServiceKey<T>(name: string): HostServiceKey<T> {
  return { name };
}

/** Runs a command the host sends itself (sender `host`) on an entity, through that entity's mailbox; throws its refusal. */
export type RunInternal = <R extends KindName>(ref: KindRef<R>, command: CommandBodyOf<R>, id: string) => Promise<CommandReply>;

/**
 * An entity's object as its own read command answers it (a command of the host's that records nothing:
 * ResolvePriorityClass, ResolveLimitRange), or null when the entity does not exist; any other refusal is thrown.
 */
export async function resolveThroughActor<R extends KindName>(runInternal: RunInternal, ref: KindRef<R>, type: string, id: string): Promise<Record<string, unknown> | null> {
  // A kind's own read command (plainObject's OwnCommands) is not in the typed catalog.
  const command = { type, data: {} } as unknown as CommandBodyOf<R>;
  try {
    const reply = await runInternal(ref, command, id);
    return reply.ok ? (reply.object as Record<string, unknown> | undefined) ?? null : null;
  } catch (err) {
    const status = toStatusError(err);
    if (status.reason === "NotFound") return null;
    throw status;
  }
}

/** What the host gives a kind's service factory at start. */
export interface HostFacilities {
  /** Namespace phases and the names the kinds asked for per namespace (`ActorKind.namesPerNamespace`). */
  index: NamespaceIndex;
  runInternal: RunInternal;
  claims: ClaimStore;
  log: Logger;
}

/** A service a kind provides its host with: built once at start, under `key`. */
export interface HostService<T> {
  key: HostServiceKey<T>;
  start(host: HostFacilities): T;
}

/** The context of a kind's admission. */
export interface KindAdmissionContext {
  /** Cross-entity claims of all actor hosts (a Service's clusterIP and node ports). */
  claims: ClaimStore;
  /** The host service under `key` (some kind registered it); throws when no kind did. */
  service<T>(key: HostServiceKey<T>): T;
}

/** One command under a kind's admission: it may adjust `command.data` before `execute`, refuse, or act after it. */
export interface KindAdmissionRun {
  command: Command;
  /** The entity's object as it stands now (null: it does not exist); after `execute`, as the command left it. */
  current(): Record<string, unknown> | null;
  /** Decides and appends the command. */
  execute(): Promise<CommandReply>;
}

/** Starts the host services the kinds register; returns the lookup their admissions are given. */
export function startHostServices(kinds: readonly { hostService?: HostService<unknown> }[], host: HostFacilities): KindAdmissionContext["service"] {
  const services = new Map<string, unknown>();
  for (const { hostService } of kinds) {
    if (hostService && !services.has(hostService.key.name)) services.set(hostService.key.name, hostService.start(host));
  }
  return <T>(key: HostServiceKey<T>): T => {
    if (!services.has(key.name)) throw new StatusError("Internal", `no actor kind provides the host service ${key.name}`);
    return services.get(key.name) as T;
  };
}
