import { createHash } from "node:crypto";
import { constants, inflateSync } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HeaderCompressor, HeaderDecompressor, MAX_HEADER_BLOCK } from "./compression.js";
import { SPDY3_DICTIONARY } from "./dictionary.js";
import {
  FLAG_FIN, FrameError, FrameSplitter, decodeFrame, decodeHeaderBlock, encodeFrame, encodeHeaderBlock, type Frame,
} from "./frames.js";

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ""), "hex");

describe("the SPDY/3 header dictionary", () => {
  it("is byte for byte the one the Go client (moby/spdystream spdy/dictionary.go) presets", () => {
    expect(SPDY3_DICTIONARY.length).toBe(1423);
    expect(createHash("sha256").update(SPDY3_DICTIONARY).digest("hex"))
      .toBe("51d27341373f923f3cd88e1eb7162aeaa3723d7585ff2399201dc06498407f02");
  });
});

describe("SPDY/3 frames", () => {
  const block = Buffer.from("compressed-bytes");
  const samples: Frame[] = [
    { type: "data", streamId: 1, flags: FLAG_FIN, data: Buffer.from("abc") },
    { type: "data", streamId: 0x7fffffff, flags: 0, data: Buffer.alloc(0) },
    { type: "synStream", streamId: 3, associatedId: 1, priority: 7, slot: 2, flags: 0x03, headerBlock: block },
    { type: "synReply", streamId: 5, flags: 0, headerBlock: block },
    { type: "headers", streamId: 5, flags: FLAG_FIN, headerBlock: block },
    { type: "rstStream", streamId: 9, status: 5 },
    { type: "settings", flags: 1, entries: [{ flags: 1, id: 7, value: 65536 }, { flags: 0, id: 4, value: 100 }] },
    { type: "settings", flags: 0, entries: [] },
    { type: "ping", id: 0xffffffff },
    { type: "goAway", lastGoodStreamId: 11, status: 1 },
    { type: "windowUpdate", streamId: 1, delta: 0x7fffffff },
    { type: "unknown", version: 3, controlType: 10, flags: 0, payload: Buffer.from([1, 2, 3]) },
    { type: "unknown", version: 2, controlType: 1, flags: 0, payload: Buffer.alloc(12) },
  ];

  it.each(samples.map((f) => [`${f.type} ${JSON.stringify(f).slice(0, 60)}`, f] as const))("round-trips %s", (_, frame) => {
    expect(decodeFrame(encodeFrame(frame))).toEqual(frame);
  });

  it("lays out the bytes as the SPDY/3 draft does", () => {
    expect(encodeFrame({ type: "ping", id: 1 })).toEqual(hex("8003 0006 00000004 00000001"));
    expect(encodeFrame({ type: "rstStream", streamId: 3, status: 2 })).toEqual(hex("8003 0003 00000008 00000003 00000002"));
    expect(encodeFrame({ type: "goAway", lastGoodStreamId: 5, status: 0 })).toEqual(hex("8003 0007 00000008 00000005 00000000"));
    expect(encodeFrame({ type: "windowUpdate", streamId: 1, delta: 1024 })).toEqual(hex("8003 0009 00000008 00000001 00000400"));
    expect(encodeFrame({ type: "data", streamId: 1, flags: FLAG_FIN, data: Buffer.from("hi") })).toEqual(hex("00000001 01000002 6869"));
    expect(encodeFrame({ type: "synReply", streamId: 1, flags: 0, headerBlock: Buffer.from([0xaa]) }))
      .toEqual(hex("8003 0002 00000005 00000001 aa"));
    // SYN_STREAM: id, associated id, 3-bit priority in the top bits, slot, then the block.
    expect(encodeFrame({ type: "synStream", streamId: 1, associatedId: 0, priority: 2, slot: 0, flags: 1, headerBlock: Buffer.alloc(0) }))
      .toEqual(hex("8003 0001 0100000a 00000001 00000000 4000"));
  });

  it("round-trips any DATA frame and any header map", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 0x7fffffff }), fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 300 }),
      (streamId, flags, bytes) => {
        const frame: Frame = { type: "data", streamId, flags, data: Buffer.from(bytes) };
        expect(decodeFrame(encodeFrame(frame))).toEqual(frame);
      }));
    const name = fc.stringMatching(/^[a-z0-9-]{1,20}$/);
    fc.assert(fc.property(fc.dictionary(name, fc.string({ maxLength: 40 })), (headers) => {
      expect({ ...decodeHeaderBlock(encodeHeaderBlock(headers)) }).toEqual(headers);
    }));
  });

  it("refuses control frames too short for their fixed fields", () => {
    expect(() => decodeFrame(hex("8003 0006 00000002 0000"))).toThrow(FrameError);
    expect(() => decodeFrame(hex("8003 0003 00000004 00000001"))).toThrow(FrameError);
    expect(() => decodeFrame(hex("8003 0004 00000004 00000002"))).toThrow(FrameError); // SETTINGS says 2 entries
  });

  it("cuts a byte stream into the same frames wherever the chunks split it", () => {
    const bytes = Buffer.concat(samples.map(encodeFrame));
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: bytes.length }), { maxLength: 30 }), (cuts) => {
      const points = [0, ...cuts.sort((a, b) => a - b), bytes.length];
      const splitter = new FrameSplitter();
      const frames: Frame[] = [];
      for (let i = 1; i < points.length; i++) {
        for (const raw of splitter.push(bytes.subarray(points[i - 1], points[i]))) frames.push(decodeFrame(raw));
      }
      expect(frames).toEqual(samples);
      expect(splitter.buffered).toBe(0);
    }), { numRuns: 200 });
  });

  it("keeps several values of one name joined by NUL, and lower-cases names", () => {
    const block = encodeHeaderBlock({ "X-Stream-Protocol-Version": "v4.channel.k8s.io\0v3.channel.k8s.io" });
    expect({ ...decodeHeaderBlock(block) }).toEqual({ "x-stream-protocol-version": "v4.channel.k8s.io\0v3.channel.k8s.io" });
    expect(() => decodeHeaderBlock(block.subarray(0, block.length - 1))).toThrow(FrameError);
  });
});

describe("header compression over one context per direction", () => {
  const blocks: Array<Record<string, string>> = [
    { streamtype: "error", requestid: "0", port: "8080" },
    { streamtype: "data", requestid: "0", port: "8080" },
    { streamtype: "stdout" },
    { streamtype: "stdin", "user-agent": "kubectl/v1.32.4 (linux/amd64) kubernetes/abcdef" },
    {},
  ];

  it("decodes, in the session's inflate context, blocks a client deflated in one shared context", async () => {
    const client = new HeaderCompressor();
    const server = new HeaderDecompressor();
    const compressed: Buffer[] = [];
    for (const h of blocks) compressed.push(await client.compress(h));
    for (const [i, c] of compressed.entries()) expect({ ...(await server.decompress(c)) }).toEqual(blocks[i]);

    // The blocks are one zlib stream cut at sync flushes: an independent inflate of them all gives every raw block.
    const whole = inflateSync(Buffer.concat(compressed), { dictionary: SPDY3_DICTIONARY, finishFlush: constants.Z_SYNC_FLUSH });
    expect(whole).toEqual(Buffer.concat(blocks.map(encodeHeaderBlock)));
    for (const c of compressed) expect(c.subarray(-4)).toEqual(hex("0000ffff")); // each ends with a sync flush

    // Only the first carries a zlib header (with the dictionary's id); a fresh context cannot read the second one.
    expect(compressed[0]?.[1]! & 0x20).toBe(0x20);
    const fresh = new HeaderDecompressor();
    await expect(fresh.decompress(compressed[1] as Buffer)).rejects.toThrow();
    client.close();
    server.close();
    fresh.close();
  });

  it("keeps blocks in order when several are asked for at once", async () => {
    const client = new HeaderCompressor();
    const server = new HeaderDecompressor();
    const compressed = await Promise.all(blocks.map((h) => client.compress(h)));
    const decoded = await Promise.all(compressed.map((c) => server.decompress(c)));
    expect(decoded.map((h) => ({ ...h }))).toEqual(blocks);
    client.close();
    server.close();
  });

  it("refuses a corrupt block and a block that inflates past the limit", async () => {
    const corrupt = new HeaderDecompressor();
    await expect(corrupt.decompress(Buffer.from("not zlib at all"))).rejects.toThrow();
    corrupt.close();
    const client = new HeaderCompressor();
    const server = new HeaderDecompressor();
    const bomb = await client.compress({ big: "x".repeat(MAX_HEADER_BLOCK + 1) });
    expect(bomb.length).toBeLessThan(4096);
    await expect(server.decompress(bomb)).rejects.toThrow(/over/);
    client.close();
    server.close();
  });
});
