/**
 * The client's types, derived from the kinds' registration (src/actors/registry.ts and the manifest schemas of
 * src/api/jsonSchemas.ts): a kind added there appears here with its commands, events and objects, with no code here.
 */
import type { KindCodec } from "../api/codec.js";
import type { Decider, RecordedEvent } from "../actors/decider.js";
import type { TypedActorKinds } from "../actors/registry.js";
import type { EventEnvelope } from "../events/envelope.js";
import type { DeciderOf, KindName } from "../actors/kindCommands.js";

export type { KindName, CommandOf, CommandType, CommandData, CommandInput, ManifestOf } from "../actors/kindCommands.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyShape = any;

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

/** One stored event of a kind, narrowed by `type`, with the stream sequence to resume from (a union over kinds for a union `R`). */
export type KindEvent<R extends KindName> = R extends KindName ? EnvelopeOf<R, EventOf<R>> : never;

type EnvelopeOf<R extends KindName, E> = E extends RecordedEvent<infer T, infer D>
  ? Omit<EventEnvelope, "type" | "data"> & { type: T; data: D; resource: R; sequence: number; subject: string }
  : never;
