/** A checkpoint's bytes: what is written comes back, and a document that is not one makes the whole unreadable. */
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { decodeCheckpoint, encodeCheckpoint } from "./checkpoint.js";

const head = { projection: "api", stream: "COX_EVENTS", streamCreated: "2026-12-03T00:00:00Z", sequence: 7 };
const doc = { resource: "pods", namespace: "default", name: "web", version: 2, sequence: 7, state: { object: { kind: "Pod" } } };
const blob = (documents: unknown[]) => gzipSync(Buffer.from(JSON.stringify({ schemaVersion: 1, ...head, documents })));

describe("checkpoint bytes", () => {
  it("decode what encode wrote", () => {
    expect(decodeCheckpoint(encodeCheckpoint({ ...head, documents: [doc] as never[] }))).toEqual({ schemaVersion: 1, ...head, documents: [doc] });
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
