/**
 * The commands of each kind as types, derived from the kinds' registration (registry.ts): a kind's command union,
 * its type names and data, and a command as a sender composes it. A kind added to the registry appears here with
 * no code here; a sender that names a command its kind does not take, or gives it the wrong data, does not compile.
 */
import type { z } from "zod";
import type { MANIFEST_SCHEMAS } from "../api/jsonSchemas.js";
import type { EntityRef, Resource } from "../api/kinds.js";
import type { Command, CommandPayload, Decider } from "./decider.js";
import type { TypedActorKinds } from "./registry.js";

/** A resource with an actor: `pods`, `replicationcontrollers`, … (the lowercase plural of the subjects). */
export type KindName = keyof TypedActorKinds & Resource;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyShape = any;

/** A kind's decider, as registered. */
export type DeciderOf<R extends KindName> = TypedActorKinds[R]["decider"];

/** Every command a kind takes, as its decider types it (`type`, `data` and `meta`). */
export type CommandOf<R extends KindName> = DeciderOf<R> extends Decider<AnyShape, infer C, AnyShape> ? C : never;

/** The command type names of a kind (`CreatePod`, `BindPod`, …); for a union of kinds, the names of them all. */
export type CommandType<R extends KindName> = R extends KindName ? CommandOf<R>["type"] : never;

/** Every command type name of every kind: what generic code (the door, the host) holds before it knows the kind. */
export type AnyCommandType = CommandType<KindName>;

/** A command of a kind without its metadata: what the host sends its own entities (timers, quota reservations). */
export type CommandBodyOf<R extends KindName> = R extends KindName ? CommandPayload<CommandOf<R>> : never;

/** The `data` of one command of a kind, after the schema has read it. */
export type CommandData<R extends KindName, T extends CommandType<R>> = CommandOf<R> extends infer C ? (C extends Command<infer U, infer D> ? (T extends U ? D : never) : never) : never;

/** What a user writes to create or update an object of a kind in v1: defaulted fields are optional. */
export type ManifestOf<R extends KindName> = R extends keyof typeof MANIFEST_SCHEMAS ? z.input<(typeof MANIFEST_SCHEMAS)[R]["v1"]> : never;

/** A command's data as a sender writes it: a v1 manifest for creates and updates, else the command's data. */
export type CommandInput<R extends KindName, T extends CommandType<R>> = CommandData<R, T> extends { metadata: { name: string } } ? ManifestOf<R> : CommandData<R, T>;


/** The envelope fields of a command on the wire besides its type and data (PROTOCOL.md §1). */
export interface OutgoingFields {
  id?: string;
  expectedVersion?: number;
  term?: number;
  /** The apiVersion of `data` (default v1); a v1beta1 manifest is the sender's to vouch for (the door checks it). */
  apiVersion?: "v1" | "v1beta1";
}

/**
 * A command to an entity of kind `R` as a sender composes it (the body of PROTOCOL.md §1): one of the kind's command
 * types with that command's data. For a union of kinds (a sender that forwards whatever it is given), any of theirs.
 */
export type OutgoingCommand<R extends Resource = Resource> = R extends KindName
  ? { [T in CommandType<R>]: OutgoingFields & { type: T; data?: CommandInput<R, T> } }[CommandType<R>]
  : never;

/** An entity of kind `R`. */
export type KindRef<R extends Resource = Resource> = EntityRef & { resource: R };

/**
 * A command whose type and data the type system cannot know: forwarded from the wire (the HTTP gateway), read off a
 * manifest, or named by the kinds' registry at run time (`createCommandOf(resource)`). The actor host's door checks
 * both against the kind's decider, as for every command; no cost at run time. Code that knows its kind sends an
 * `OutgoingCommand<R>` instead.
 */
export function untypedCommand(command: OutgoingFields & { type: string; data?: unknown }): OutgoingCommand {
  return command as OutgoingCommand;
}
