/** A checkpoint's bytes: what is written comes back, and a document that is not one makes the whole unreadable. */
import { Transform } from "node:stream";
import { gunzipSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { decodeCheckpoint, encodeCheckpoint, encodeCheckpointInSlices } from "./checkpoint.js";

const head = { projection: "api", stream: "COX_EVENTS", streamCreated: "2026-12-03T00:00:00Z", sequence: 7 };
const doc = { resource: "pods", namespace: "default", name: "web", version: 2, sequence: 7, state: { object: { kind: "Pod" } } };
const blob = (documents: unknown[]) => gzipSync(Buffer.from(JSON.stringify({ schemaVersion: 1, ...head, documents })));

describe("checkpoint bytes", () => {
  it("decode what encode wrote", () => {
    expect(decodeCheckpoint(encodeCheckpoint({ ...head, documents: [doc] as never[] }))).toEqual({ schemaVersion: 1, ...head, documents: [doc] });
  });

  it.each([0, 1, 2, 5, 7])("writes in slices the same JSON text as in one piece (%i documents)", async (n) => {
    const documents = Array.from({ length: n }, (_, i) => ({ ...doc, name: `web-${i}`, state: { object: { kind: "Pod", n: i } } })) as never[];
    const sliced = await encodeCheckpointInSlices({ ...head, documents }, 2);
    expect(gunzipSync(sliced).toString()).toBe(gunzipSync(encodeCheckpoint({ ...head, documents })).toString());
    expect(decodeCheckpoint(sliced)?.documents).toHaveLength(n);
  });

  it("lets the event loop run between slices", async () => {
    let read = 0;
    function* documents() {
      for (let i = 0; i < 10; i++, read++) yield { ...doc, name: `web-${i}` } as never;
    }
    const sliced = encodeCheckpointInSlices({ ...head, documents: documents() }, 3);
    // An immediate queued once the encoding began runs after its first slice, before the rest is read.
    expect(await new Promise<number>((resolve) => setImmediate(() => resolve(read)))).toBeLessThan(10);
    expect(decodeCheckpoint(await sliced)?.documents).toHaveLength(10);
  });

  it("holds back a slice until the compressor has taken the ones before (back-pressure), and loses nothing", async () => {
    // A compressor slower than the slices come (2 ms a chunk) and notes what waits in it.
    let mostWaiting = 0;
    const slow = new Transform({
      highWaterMark: 1024,
      transform(chunk: Buffer, _enc, done) {
        mostWaiting = Math.max(mostWaiting, this.writableLength);
        setTimeout(() => done(null, chunk), 2);
      },
    });
    const documents = Array.from({ length: 200 }, (_, i) => ({ ...doc, name: `web-${i}`, state: { object: { kind: "Pod", pad: "x".repeat(500) } } })) as never[];
    const text = (await encodeCheckpointInSlices({ ...head, documents }, 10, slow)).toString();
    expect(text).toBe(gunzipSync(encodeCheckpoint({ ...head, documents })).toString());
    // A slice is ~6 KB and the whole text ~120 KB: at most the slice being taken and the next one wait.
    expect(mostWaiting).toBeLessThan(2 * 6_500);
  });

  it.each([
    ["an unknown resource", { ...doc, resource: "widgets" }],
    ["a version of 0", { ...doc, version: 0 }],
    ["a fractional sequence", { ...doc, sequence: 1.5 }],
    ["no name", { ...doc, name: undefined }],
    ["a namespace that is not a string", { ...doc, namespace: 3 }],
    ["not an object", "pods.default.web"],
  ])("reads none when a document has %s", (_, bad) => {
    expect(decodeCheckpoint(blob([doc]))).not.toBeNull();
    expect(decodeCheckpoint(blob([doc, bad]))).toBeNull();
  });

  it("reads none from bytes that are not a gzipped checkpoint", () => {
    expect(decodeCheckpoint(Buffer.from("not gzip"))).toBeNull();
    expect(decodeCheckpoint(gzipSync(Buffer.from(JSON.stringify({ ...head, documents: [] }))))).toBeNull();
  });
});
