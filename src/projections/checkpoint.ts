/**
 * Checkpoints of a projection in the JetStream object store `COX_CHECKPOINTS`: one object per projection name
 * holding (stream sequence, documents), gzipped JSON. A checkpoint is a consistent pair, so processes that share
 * a projection name may overwrite each other's checkpoints harmlessly: any of them is a valid starting point.
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import type { Transform } from "node:stream";
import { createGzip, gunzipSync, gzipSync } from "node:zlib";
import type { NatsConnection } from "@nats-io/transport-node";
import { z } from "zod";
import { RESOURCES } from "../api/kinds.js";
import type { EntityDocument } from "./projection.js";
import { CHECKPOINT_BUCKET } from "../events/names.js";
import { ObjectBucket } from "../events/objectStore.js";

/** The default bucket. */
export { CHECKPOINT_BUCKET };

const KNOWN_RESOURCES: ReadonlySet<string> = new Set(RESOURCES);
const positiveInt = (n: unknown) => Number.isSafeInteger(n) && (n as number) > 0;

/**
 * Whether `d` is a document as a checkpoint holds it (a known resource, strings, positive integers; any state).
 * Checked by hand: a checkpoint holds up to a million documents, and a schema object's parse costs ~2 µs each. Pure.
 */
function isDocument(d: unknown): d is EntityDocument {
  if (typeof d !== "object" || d === null) return false;
  const o = d as Record<string, unknown>;
  return typeof o.resource === "string" && KNOWN_RESOURCES.has(o.resource) && typeof o.namespace === "string" && typeof o.name === "string" &&
    positiveInt(o.version) && positiveInt(o.sequence);
}

/** A stored checkpoint. `streamCreated` ties it to one incarnation of the stream. */
export const Checkpoint = z.object({
  schemaVersion: z.literal(1),
  projection: z.string(),
  stream: z.string(),
  streamCreated: z.string(),
  sequence: z.number().int().nonnegative(),
  documents: z.custom<EntityDocument[]>((v) => Array.isArray(v) && v.every(isDocument), "documents: each needs a known resource, a namespace, a name and a positive version and sequence"),
});
export type Checkpoint = z.infer<typeof Checkpoint>;

/** Reads and writes checkpoints. */
export class CheckpointStore {
  private constructor(private readonly os: ObjectBucket) {}

  /** Opens (creating when missing) the bucket. */
  static async open(nc: NatsConnection, opts: { bucket?: string; replicas?: number } = {}): Promise<CheckpointStore> {
    return new CheckpointStore(await ObjectBucket.open(nc, opts.bucket ?? CHECKPOINT_BUCKET, opts));
  }

  /** The checkpoint of `projection`, or null when there is none or it cannot be read (then replay from the start). */
  async load(projection: string): Promise<Checkpoint | null> {
    const blob = await this.os.get(objectName(projection));
    return blob ? decodeCheckpoint(blob) : null;
  }

  /** Writes a checkpoint; returns its compressed size in bytes. */
  async save(cp: { projection: string; stream: string; streamCreated: string; sequence: number; documents: Iterable<EntityDocument> }): Promise<number> {
    const data = await encodeCheckpointInSlices(cp);
    await this.os.put(objectName(cp.projection), data);
    return data.length;
  }

  /** Deletes a projection's checkpoint (nothing when absent). */
  async remove(projection: string): Promise<void> {
    await this.os.delete(objectName(projection)).catch(() => undefined);
  }
}

/** The stored bytes of a checkpoint: gzipped JSON. Pure. */
export function encodeCheckpoint(cp: Omit<Checkpoint, "schemaVersion" | "documents"> & { documents: Iterable<EntityDocument> }): Buffer {
  const body: Checkpoint = { schemaVersion: 1, ...cp, documents: [...cp.documents] };
  return gzipSync(Buffer.from(JSON.stringify(body)), { level: 1 });
}

/** Documents serialised per turn of the event loop by `encodeCheckpointInSlices` (~3 ms of a pod's documents here). */
const SLICE_DOCUMENTS = 256;

/**
 * The same bytes' content as `encodeCheckpoint` (the same JSON text, gzipped), written without holding the event
 * loop: the documents are serialised a slice per turn, and compressed on libuv's thread pool. A projection of
 * 10,000 pods took ~100 ms in one piece, a stall every watcher and controller of the process saw as lag. `gzip` is
 * the compressor (another Transform in tests).
 */
export async function encodeCheckpointInSlices(
  cp: Omit<Checkpoint, "schemaVersion" | "documents"> & { documents: Iterable<EntityDocument> },
  sliceDocuments = SLICE_DOCUMENTS,
  gzip: Transform = createGzip({ level: 1 }),
): Promise<Buffer> {
  const { documents, ...head } = cp;
  const chunks: Buffer[] = [];
  gzip.on("data", (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => { gzip.once("end", resolve); gzip.once("error", reject); });
  // JSON.stringify(body) with `documents` last: the head's text without its closing brace, then the array.
  const body: Omit<Checkpoint, "documents"> = { schemaVersion: 1, ...head };
  let text = `${JSON.stringify(body).slice(0, -1)},"documents":[`;
  let inSlice = 0;
  let first = true;
  for (const d of documents) {
    text += (first ? "" : ",") + JSON.stringify(d);
    first = false;
    if (++inSlice < sliceDocuments) continue;
    // With the stream's back-pressure: a slice waits until the compressor has taken the one before, so the text
    // of at most one slice is held (without it, a 10,000-pod checkpoint queued most of its ~20 MB of text).
    const more = gzip.write(text);
    text = "";
    inSlice = 0;
    if (more) await nextTurn();
    else await Promise.race([new Promise<void>((resolve) => gzip.once("drain", resolve)), ended]);
  }
  gzip.end(`${text}]}`);
  await ended;
  return Buffer.concat(chunks);
}

/** A checkpoint from its stored bytes, or null when they do not hold one (then replay from the start). Pure. */
export function decodeCheckpoint(blob: Uint8Array): Checkpoint | null {
  try {
    return Checkpoint.parse(JSON.parse(gunzipSync(blob).toString("utf8")));
  } catch {
    return null;
  }
}

function objectName(projection: string): string {
  return `projection.${projection}`;
}
