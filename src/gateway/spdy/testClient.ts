/**
 * A tiny SPDY/3 client for the unit tests only (not exported from index.ts): it behaves as the Go client kubectl
 * uses does (odd stream ids, no flow control, one compression context per direction), records every frame it gets
 * and lets a test wait for a frame or for a stream's data by events, never by time.
 */
import { once } from "node:events";
import type { Socket } from "node:net";
import { HeaderCompressor, HeaderDecompressor } from "./compression.js";
import { FLAG_FIN, FrameSplitter, decodeFrame, encodeFrame, type Frame } from "./frames.js";

/** A received frame; SYN_REPLY and HEADERS come with their header block decoded. */
export type Received = Frame & { headers?: Record<string, string> };

interface StreamIn { chunks: Buffer[]; bytes: number; fin: boolean }

export class TestClient {
  readonly frames: Received[] = [];
  readonly closed: Promise<void>;
  private readonly splitter = new FrameSplitter();
  private readonly deflater = new HeaderCompressor();
  private readonly inflater = new HeaderDecompressor();
  private readonly streams = new Map<number, StreamIn>();
  private waiters: Array<() => void> = [];
  private order: Promise<void> = Promise.resolve();
  /** The socket has closed and every frame it brought is recorded (a frame's record may wait on decompression). */
  private ended = false;

  constructor(readonly socket: Socket) {
    socket.on("data", (chunk: Buffer) => {
      for (const raw of this.splitter.push(chunk)) {
        const frame = decodeFrame(raw);
        this.order = this.order.then(() => this.record(frame));
      }
    });
    socket.on("error", () => undefined);
    this.closed = once(socket, "close").then(async () => {
      await this.order.catch(() => undefined);
      this.ended = true;
      this.deflater.close();
      this.inflater.close();
      this.wake();
    });
  }

  /** Opens a stream: SYN_STREAM with these headers (compressed in this client's one deflate context). */
  async synStream(streamId: number, headers: Record<string, string>, flags = 0): Promise<void> {
    const headerBlock = await this.deflater.compress(headers);
    this.send({ type: "synStream", streamId, associatedId: 0, priority: 0, slot: 0, flags, headerBlock });
  }

  /** A header block compressed in this client's context (for HEADERS frames; keep it in order with SYN_STREAMs). */
  headerBlock(headers: Record<string, string>): Promise<Buffer> {
    return this.deflater.compress(headers);
  }

  /** Sends `data` in DATA frames of `chunk` bytes, waiting for the socket to drain as a writer should. */
  async data(streamId: number, data: Buffer, fin = false, chunk = 16 * 1024): Promise<void> {
    let offset = 0;
    do {
      const part = data.subarray(offset, offset + chunk);
      offset += part.length;
      const flags = fin && offset >= data.length ? FLAG_FIN : 0;
      if (!this.send({ type: "data", streamId, flags, data: part })) await once(this.socket, "drain");
    } while (offset < data.length);
  }

  send(frame: Frame): boolean {
    return this.socket.write(encodeFrame(frame));
  }

  sendRaw(bytes: Buffer): boolean {
    return this.socket.write(bytes);
  }

  /** The first frame received (so far or later) that `pred` accepts; rejects if the socket closes first. */
  async waitFor(pred: (f: Received) => boolean, what = "frame"): Promise<Received> {
    for (;;) {
      const found = this.frames.find(pred);
      if (found) return found;
      if (this.ended) throw new Error(`socket closed before ${what}`);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Waits until `bytes` bytes (or the FIN, if `fin`) have come on a stream; gives all its data so far. */
  async waitForData(streamId: number, bytes: number, fin = false): Promise<Buffer> {
    for (;;) {
      const s = this.streams.get(streamId);
      if (s && s.bytes >= bytes && (!fin || s.fin)) return Buffer.concat(s.chunks);
      if (this.ended) throw new Error(`socket closed before ${bytes} bytes on stream ${streamId}`);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** The payloads of the DATA frames received on a stream so far, one Buffer per frame. */
  dataFrames(streamId: number): Buffer[] {
    return this.streams.get(streamId)?.chunks ?? [];
  }

  /** Frames of a type received so far. */
  all<T extends Frame["type"]>(type: T): Array<Extract<Frame, { type: T }>> {
    return this.frames.filter((f): f is Extract<Frame, { type: T }> => f.type === type);
  }

  private async record(frame: Frame): Promise<void> {
    if (frame.type === "data") {
      const s = this.streams.get(frame.streamId) ?? { chunks: [], bytes: 0, fin: false };
      this.streams.set(frame.streamId, s);
      s.chunks.push(frame.data);
      s.bytes += frame.data.length;
      if (frame.flags & FLAG_FIN) s.fin = true;
      this.frames.push(frame);
    } else if (frame.type === "synReply" || frame.type === "headers") {
      this.frames.push({ ...frame, headers: await this.inflater.decompress(frame.headerBlock) });
    } else {
      this.frames.push(frame);
    }
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
