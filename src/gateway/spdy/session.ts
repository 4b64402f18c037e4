/**
 * The server side of a SPDY/3.1 session over an upgraded socket, as Kubernetes' streaming endpoints (kubectl exec,
 * attach, port-forward) use it: the client opens streams, we answer each with SYN_REPLY and hand it to `onStream`.
 *
 * Received frames are handled strictly one after another (a queue drained by one async loop), because header
 * blocks share one zlib context per direction and Node's zlib is asynchronous. That loop is also the backpressure:
 * a stream whose reader is behind (over 256 KiB unread) holds it, and a long queue pauses the socket. So a handler
 * must read, or destroy, every stream it is given, or the whole session waits (the Go server behaves the same way).
 *
 * Flow control: SPDY/3.1 has 64 KiB windows per stream and WINDOW_UPDATE frames, but the Go client (moby/spdystream,
 * used by k8s.io/apimachinery's httpstream/spdy) implements none of it: it parses WINDOW_UPDATE and SETTINGS and
 * drops them as unhandled frames, never sends WINDOW_UPDATE, and writes each `Write` as one DATA frame with no
 * window check (TCP alone pushes back). So this session sends no WINDOW_UPDATE and keeps no send window: waiting
 * for a window would stall every transfer past 64 KiB, as the client never opens it.
 */
import type { Duplex } from "node:stream";
import { finished } from "node:stream/promises";
import { Fifo } from "../../fifo.js";
import { HeaderCompressor, HeaderDecompressor } from "./compression.js";
import {
  FLAG_FIN, FLAG_UNIDIRECTIONAL, FrameError, FrameSplitter, GoAwayStatus, RstStatus, SPDY_VERSION, decodeFrame,
  type Frame,
} from "./frames.js";
import { SessionStream, type SpdyStream, type StreamHost } from "./stream.js";
import { FrameWriter } from "./writer.js";

export interface SpdySessionOptions {
  /** A stream the client opened, already answered with SYN_REPLY. */
  onStream: (stream: SpdyStream) => void;
  /** Once, when the session is over: the socket ended, failed (`err`) or the client broke the protocol (`err`). */
  onClose?: (err?: Error) => void;
}

export interface SpdySession {
  /**
   * Refuses new streams, ends every open stream (its pending writes, then a FIN), then sends GOAWAY and ends the
   * socket once its pending writes are out. A client that does not read gets its socket destroyed after 10 s.
   */
  close(): void;
  /** Resolves once the socket has closed. */
  readonly closed: Promise<void>;
}

/** Received bytes waiting to be handled above which the socket is paused, and below which it resumes. */
const QUEUE_HIGH = 1024 * 1024;
const QUEUE_LOW = 256 * 1024;
/** After `close()` or a protocol error, how long the peer has to close its side before the socket is destroyed. */
const CLOSE_GRACE_MS = 10_000;

const EOF = Symbol("eof");

/** Serves SPDY/3.1 on `socket` (whose HTTP upgrade is done) until it closes. */
export function serveSpdy(socket: Duplex, opts: SpdySessionOptions): SpdySession {
  const session = new Session(socket, opts);
  return { close: () => session.close(), closed: session.closed };
}

class Session implements StreamHost {
  readonly closed: Promise<void>;
  private readonly streams = new Map<number, SessionStream>();
  private readonly splitter = new FrameSplitter();
  private readonly inflater = new HeaderDecompressor();
  private readonly deflater = new HeaderCompressor();
  private readonly queue = new Fifo<Buffer | typeof EOF>();
  private readonly out: FrameWriter;
  private queued = 0;
  private pumping = false;
  private lastStreamId = 0;
  /** GOAWAY received or sent: new streams are refused. */
  private goneAway = false;
  private closing = false;
  private ended = false;
  private graceTimer: NodeJS.Timeout | undefined;

  constructor(private readonly socket: Duplex, private readonly opts: SpdySessionOptions) {
    this.out = new FrameWriter(socket);
    this.closed = new Promise((resolve) => {
      if (socket.closed) resolve();
      socket.once("close", () => {
        clearTimeout(this.graceTimer);
        this.teardown();
        resolve();
      });
    });
    socket.on("data", (chunk: Buffer) => this.receive(chunk));
    socket.on("end", () => {
      this.queue.push(EOF);
      void this.pump();
    });
    socket.on("error", (err: Error) => this.teardown(err));
    if (socket.destroyed) this.teardown();
  }

  close(): void {
    if (this.ended || this.closing) return;
    this.closing = true;
    this.goneAway = true;
    this.armGrace();
    const streams = [...this.streams.values()];
    for (const stream of streams) if (!stream.writableEnded) stream.end();
    const flushed = streams.map((stream) => finished(stream, { readable: false }).catch(() => undefined));
    void Promise.all(flushed).then(() => {
      // GOAWAY goes last: the Go client stops reading frames at it.
      for (const stream of [...this.streams.values()]) stream.abort();
      this.out.frame({ type: "goAway", lastGoodStreamId: this.lastStreamId, status: GoAwayStatus.Ok });
      this.endSocket();
    });
  }

  sendData(streamId: number, data: Buffer, fin: boolean, done: () => void): void {
    this.out.data(streamId, data, fin, done);
  }

  sendReset(streamId: number, status: number): void {
    this.out.reset(streamId, status);
  }

  forget(stream: SessionStream): void {
    if (this.streams.get(stream.id) === stream) this.streams.delete(stream.id);
  }

  private receive(chunk: Buffer): void {
    if (this.ended) return;
    for (const frame of this.splitter.push(chunk)) {
      this.queue.push(frame);
      this.queued += frame.length;
    }
    if (this.queued > QUEUE_HIGH) this.socket.pause();
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (let item = this.queue.shift(); item !== undefined && !this.ended; item = this.queue.shift()) {
        if (item === EOF) {
          this.teardown();
          break;
        }
        this.queued -= item.length;
        const pending = this.handle(decodeFrame(item));
        if (pending) await pending;
        if (this.queued < QUEUE_LOW && this.socket.isPaused()) this.socket.resume();
      }
    } catch (err) {
      this.fail(err instanceof Error ? err : new FrameError(String(err)));
    } finally {
      this.pumping = false;
    }
  }

  /** Handles one frame; a promise when the next frame must wait (header blocks, a reader that is behind). */
  private handle(frame: Frame): Promise<void> | void {
    switch (frame.type) {
      case "synStream":
        return this.open(frame);
      case "data":
        return this.deliver(frame);
      case "rstStream":
        return this.streams.get(frame.streamId)?.abort();
      case "ping":
        // Odd ids are the client's pings; an even one would be an answer to ours, and we send none.
        if (frame.id % 2 === 1) this.out.frame(frame);
        return undefined;
      case "goAway":
        return void (this.goneAway = true);
      case "headers":
      case "synReply":
        // Decoded only to keep the inflate context in step; a HEADERS with FIN still ends the client's side.
        return this.inflater.decompress(frame.headerBlock).then(() => {
          if (frame.type === "headers" && frame.flags & FLAG_FIN) this.streams.get(frame.streamId)?.receiveFin();
        });
      case "settings":
      case "windowUpdate":
        return undefined; // see the comment at the top: no flow control to keep
      case "unknown":
        if (frame.version !== SPDY_VERSION) throw new FrameError(`unsupported SPDY version ${frame.version}`);
        return undefined;
    }
  }

  private async open(frame: Extract<Frame, { type: "synStream" }>): Promise<void> {
    const headers = await this.inflater.decompress(frame.headerBlock); // even when refused: the context moves on
    const id = frame.streamId;
    if (id === 0) throw new FrameError("SYN_STREAM for stream 0");
    if (id % 2 === 0 || id <= this.lastStreamId) return this.sendReset(id, RstStatus.ProtocolError);
    this.lastStreamId = id;
    if (this.goneAway) return this.sendReset(id, RstStatus.RefusedStream);
    const reply = await this.deflater.compress({});
    // A block compressed must be sent, or the client's inflate context loses step with ours.
    this.out.frame({ type: "synReply", streamId: id, flags: 0, headerBlock: reply });
    if (this.goneAway) return this.sendReset(id, RstStatus.RefusedStream); // close() came meanwhile
    const stream = new SessionStream(this, id, headers, (frame.flags & FLAG_UNIDIRECTIONAL) !== 0);
    this.streams.set(id, stream);
    if (frame.flags & FLAG_FIN) stream.receiveFin();
    try {
      this.opts.onStream(stream);
    } catch {
      stream.reset(RstStatus.InternalError);
    }
  }

  private deliver(frame: Extract<Frame, { type: "data" }>): Promise<void> | void {
    const stream = this.streams.get(frame.streamId);
    if (!stream) {
      if (frame.streamId === 0) throw new FrameError("DATA for stream 0");
      if (!this.out.wasReset(frame.streamId)) this.sendReset(frame.streamId, RstStatus.InvalidStream);
      return undefined;
    }
    if (stream.remoteClosed) return stream.reset(RstStatus.StreamAlreadyClosed);
    const fin = (frame.flags & FLAG_FIN) !== 0;
    const keepUp = frame.data.length === 0 || stream.receiveData(frame.data);
    if (fin) stream.receiveFin();
    return keepUp || fin ? undefined : stream.whenRead();
  }

  private endSocket(): void {
    if (!this.socket.destroyed && !this.socket.writableEnded) this.socket.end();
    this.armGrace();
  }

  private armGrace(): void {
    if (!this.socket.destroyed && this.graceTimer === undefined) {
      this.graceTimer = setTimeout(() => this.socket.destroy(), CLOSE_GRACE_MS);
      this.graceTimer.unref();
    }
  }

  /** The client broke the protocol: GOAWAY with PROTOCOL_ERROR, then the end. */
  private fail(err: Error): void {
    if (this.ended) return;
    this.out.frame({ type: "goAway", lastGoodStreamId: this.lastStreamId, status: GoAwayStatus.ProtocolError });
    this.teardown(err);
  }

  private teardown(err?: Error): void {
    if (this.ended) return;
    this.ended = true;
    this.goneAway = true;
    for (const stream of [...this.streams.values()]) stream.abort();
    this.streams.clear();
    this.queue.clear();
    this.out.stop();
    this.inflater.close();
    this.deflater.close();
    this.endSocket();
    this.opts.onClose?.(err);
  }
}
