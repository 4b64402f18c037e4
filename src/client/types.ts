/**
 * The client's types, derived from the kinds' registration (src/actors/registry.ts and the manifest schemas of
 * src/api/jsonSchemas.ts): a kind added there appears here with its commands, events and objects, with no code here.
 */
import type { z } from "zod";
import type { KindCodec } from "../api/codec.js";
import type { MANIFEST_SCHEMAS } from "../api/jsonSchemas.js";
import type { Resource } from "../api/kinds.js";
import type { Decider, RecordedEvent } from "../actors/decider.js";
import type { TypedActorKinds } from "../actors/registry.js";
import type { EventEnvelope } from "../events/envelope.js";

/** A resource with an actor: `pods`, `replicationcontrollers`, … (the lowercase plural of the subjects). */
export type KindName = keyof TypedActorKinds & Resource;

type DeciderOf<R extends KindName> = TypedActorKinds[R]["decider"];
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyShape = any;

/** Every command a kind takes, as its decider types it (`type` and `data`). */
export type CommandOf<R extends KindName> = DeciderOf<R> extends Decider<AnyShape, infer C, AnyShape> ? C : never;

/** The command type names of a kind (`CreatePod`, `BindPod`, …). */
export type CommandType<R extends KindName> = CommandOf<R>["type"];

/** The `data` of one command of a kind, after the schema has read it. */
export type CommandData<R extends KindName, T extends CommandType<R>> = Extract<CommandOf<R>, { type: T }>["data"];

/** Every event a kind records, as its decider types it (`type` and `data`). */
export type EventOf<R extends KindName> = DeciderOf<R> extends Decider<AnyShape, AnyShape, infer E> ? E : never;

/** The event type names of a kind (`PodCreated`, `PodBound`, …). */
export type EventType<R extends KindName> = EventOf<R>["type"];

/** The internal form of a kind's objects (the v1 shape without `apiVersion`). */
export type InternalOf<R extends KindName> = TypedActorKinds[R]["codec"] extends KindCodec<infer I, AnyShape> ? I : never;

/** A kind's object as the API returns it in v1 (`{ apiVersion: "v1", kind, metadata, … }`). */
export type ObjectOf<R extends KindName> = InternalOf<R> & { apiVersion: "v1" };

/** The Kind name of a resource (`Pod` for `pods`). */
export type KindOf<R extends KindName> = InternalOf<R> extends { kind: infer K extends string } ? K : string;

/** What a user writes to create or update an object of a kind in v1: defaulted fields are optional. */
export type ManifestOf<R extends KindName> = R extends keyof typeof MANIFEST_SCHEMAS ? z.input<(typeof MANIFEST_SCHEMAS)[R]["v1"]> : never;

/** A command's data as a user writes it: a v1 manifest for creates and updates, else the command's data. */
export type CommandInput<R extends KindName, T extends CommandType<R>> = CommandData<R, T> extends { metadata: { name: string } } ? ManifestOf<R> : CommandData<R, T>;

/** One stored event of a kind, narrowed by `type`, with the stream sequence to resume from (a union over kinds for a union `R`). */
export type KindEvent<R extends KindName> = R extends KindName ? EnvelopeOf<R, EventOf<R>> : never;

type EnvelopeOf<R extends KindName, E> = E extends RecordedEvent<infer T, infer D>
  ? Omit<EventEnvelope, "type" | "data"> & { type: T; data: D; resource: R; sequence: number; subject: string }
  : never;
