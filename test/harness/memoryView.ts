/**
 * In-memory fakes of the controllers' own ports, for unit tests of their loops: a ClusterView whose entries a
 * test puts and removes (each put is one "event": version + 1, a new stream sequence, a change to listeners), and
 * a CommandSender that records every command and answers with what the test's responder says. Not a NATS mock.
 */
import { CLUSTER_NS, RESOURCE_INFO, type EntityRef, type Resource } from "../../src/api/kinds.js";
import type { CommandReply } from "../../src/api/reply.js";
import type { CommandSender, OutgoingCommand } from "../../src/nats/commandClient.js";
import type { ClusterView, ViewChange, ViewEntry } from "../../src/projections/clusterView.js";

type AnyObject = { metadata: { name: string; namespace?: string | undefined }; spec?: unknown };

/** A ClusterView held in a Map; `put`/`remove` play the part of the projection runner. */
export class MemoryView implements ClusterView {
  private readonly entries = new Map<string, ViewEntry>();
  private readonly listeners = new Set<(change: ViewChange) => void>();
  appliedSequence = 0;

  /** Stores `object` as the next version of its entity and tells the listeners; returns the entry. */
  put<T extends AnyObject>(resource: Resource, object: T): ViewEntry<T> {
    const namespace = RESOURCE_INFO[resource].clusterScoped ? CLUSTER_NS : (object.metadata.namespace ?? "default");
    const key = `${resource}/${namespace}/${object.metadata.name}`;
    const version = (this.entries.get(key)?.version ?? 0) + 1;
    const entry = { resource, namespace, name: object.metadata.name, object, version, resourceVersion: ++this.appliedSequence };
    this.entries.set(key, entry as unknown as ViewEntry);
    this.emit({ resource, namespace, name: entry.name, entry: entry as unknown as ViewEntry });
    return entry;
  }

  /** Stores a copy of `object` at an explicit address (for objects whose metadata does not say it). */
  putAt(resource: Resource, namespace: string, name: string, object: object): void {
    const key = `${resource}/${namespace}/${name}`;
    const version = (this.entries.get(key)?.version ?? 0) + 1;
    const entry: ViewEntry = { resource, namespace, name, object: structuredClone(object) as Record<string, unknown>, version, resourceVersion: ++this.appliedSequence };
    this.entries.set(key, entry);
    this.emit({ resource, namespace, name, entry });
  }

  /** Removes an entity (as its deletion event would) and tells the listeners. */
  remove(resource: Resource, namespace: string, name: string): void {
    this.entries.delete(`${resource}/${namespace}/${name}`);
    this.appliedSequence++;
    this.emit({ resource, namespace, name, entry: null });
  }

  list<T = Record<string, unknown>>(resource: Resource, namespace?: string): ViewEntry<T>[] {
    return [...this.entries.values()].filter((e) => e.resource === resource && (namespace === undefined || e.namespace === namespace)) as ViewEntry<T>[];
  }

  get<T = Record<string, unknown>>(resource: Resource, namespace: string, name: string): ViewEntry<T> | undefined {
    return this.entries.get(`${resource}/${namespace}/${name}`) as ViewEntry<T> | undefined;
  }

  podsOnNode<T = Record<string, unknown>>(nodeName: string): ViewEntry<T>[] {
    return this.list<{ spec?: { nodeName?: string } }>("pods").filter((e) => e.object.spec?.nodeName === nodeName) as ViewEntry<T>[];
  }

  onChange(listener: (change: ViewChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(change: ViewChange): void {
    for (const l of this.listeners) l(change);
  }
}

/** One recorded command. */
export interface SentCommand {
  ref: EntityRef;
  command: OutgoingCommand;
}

/** Answers a command; may change a MemoryView to play the actor's part. */
export type Responder = (ref: EntityRef, command: OutgoingCommand) => CommandReply | Promise<CommandReply>;

/** A successful reply naming stream sequence `sequence`. */
export function okReply(sequence = 0, events: string[] = []): CommandReply {
  return { ok: true, object: null, version: 1, resourceVersion: String(sequence), events };
}

/** A rejected reply with a Status of `reason`. */
export function refusedReply(reason: string, code = 409, message = reason): CommandReply {
  return { ok: false, status: { code, reason, message } };
}

/** A CommandSender that records what it is asked to send; by default every command succeeds. */
export class RecordingSender implements CommandSender {
  readonly sent: SentCommand[] = [];

  constructor(public respond: Responder = () => okReply()) {}

  async send(ref: EntityRef, command: OutgoingCommand): Promise<CommandReply> {
    this.sent.push({ ref, command });
    return this.respond(ref, command);
  }

  /** The recorded commands of one type. */
  ofType(type: string): SentCommand[] {
    return this.sent.filter((s) => s.command.type === type);
  }

  /** Forgets what was recorded. */
  clear(): void {
    this.sent.length = 0;
  }
}
