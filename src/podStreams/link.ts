/**
 * One side of a pod stream's session on NATS (see protocol.ts): sends frames to the other side's subject (data cut to
 * MAX_FRAME_DATA), within the window the other side has credited; credits what its owner has passed on; says it is
 * still there every KEEPALIVE_MS; and ends the session when the other side ends it or is silent for SILENCE_MS (its
 * process died, or its connection did).
 */
import type { Writable } from "node:stream";
import type { NatsConnection } from "@nats-io/transport-node";
import { CREDIT_BYTES, Channel, KEEPALIVE_MS, MAX_FRAME_DATA, SILENCE_MS, WINDOW_BYTES, frame, isDataChannel, parseFrame } from "./protocol.js";

/** What a link tells its owner. */
export interface LinkHandlers {
  /**
   * A frame of the other side (not a keep-alive, a credit or an end). For a data channel, the bytes are credited back
   * once the returned promise settles (at once when it returns nothing): resolve it when they are passed on.
   */
  frame(channel: number, data: Uint8Array): void | Promise<void>;
  /** The session is over: the other side ended it ("ended"), went silent ("silent"), or this side did ("closed"). */
  ended(why: "ended" | "silent" | "closed"): void;
}

/** Writes `data` to `to`; settles once it is flushed, or at once when `to` takes no more (its bytes are then dropped). */
export function written(to: Writable, data: Uint8Array): Promise<void> {
  return new Promise((resolve) => (to.writable ? to.write(data, () => resolve()) : resolve()));
}

/**
 * One side of a session: `send`/`sendFrom` to the other side, `received` for each of its messages, `close` to end.
 */
export class FrameLink {
  private heard = Date.now();
  private readonly timer: NodeJS.Timeout;
  private done = false;
  /** Data bytes sent and not yet credited by the other side. */
  private inFlight = 0;
  /** Data bytes passed on and not yet credited to the other side. */
  private owed = 0;
  private readonly drains: Array<() => void> = [];

  constructor(private readonly nc: NatsConnection, private readonly to: string, private readonly handlers: LinkHandlers, silenceMs = SILENCE_MS) {
    this.timer = setInterval(() => {
      if (Date.now() - this.heard > silenceMs) return this.finish("silent", false);
      this.publish(frame(Channel.keepAlive));
    }, Math.min(KEEPALIVE_MS, silenceMs / 3));
    this.timer.unref();
  }

  /** True once the session is over (either side ended it, or silence did). */
  get closed(): boolean {
    return this.done;
  }

  /**
   * Sends `data` on `channel`, in frames of at most MAX_FRAME_DATA bytes. False when the window is full after it
   * (the bytes are sent all the same): the caller should stop reading its source until `whenDrained` calls back.
   */
  send(channel: number, data?: Uint8Array | string): boolean {
    if (this.done) return true;
    const bytes = typeof data === "string" ? Buffer.from(data) : data ?? new Uint8Array(0);
    if (bytes.length === 0) this.publish(frame(channel));
    for (let at = 0; at < bytes.length; at += MAX_FRAME_DATA) this.publish(frame(channel, bytes.subarray(at, at + MAX_FRAME_DATA)));
    if (isDataChannel(channel)) this.inFlight += bytes.length;
    return this.inFlight < WINDOW_BYTES;
  }

  /**
   * Sends `data` read from `source`, pausing the source while the window is full; then the promise settles once it
   * is resumed (a source that cannot pause waits on it).
   */
  sendFrom(channel: number, data: Uint8Array, source: { pause(): void; resume(): void }): void | Promise<void> {
    if (this.send(channel, data)) return undefined;
    source.pause();
    return new Promise((resolve) => this.whenDrained(() => {
      source.resume();
      resolve();
    }));
  }

  /** Calls `resume` once the window has room again (at once when it has). */
  whenDrained(resume: () => void): void {
    if (this.inFlight < WINDOW_BYTES || this.done) resume();
    else this.drains.push(resume);
  }

  /** A message of the other side. */
  received(bytes: Uint8Array): void {
    if (this.done) return;
    this.heard = Date.now();
    const f = parseFrame(bytes);
    if (!f || f.channel === Channel.keepAlive) return;
    if (f.channel === Channel.end) return this.finish("ended", false);
    if (f.channel === Channel.credit) return this.credited(f.data);
    const passed = this.handlers.frame(f.channel, f.data);
    if (!isDataChannel(f.channel)) return;
    const size = f.data.length;
    if (passed) void passed.then(() => this.owe(size), () => this.owe(size));
    else this.owe(size);
  }

  /** Ends the session from this side: tells the other side, once. */
  close(): void {
    this.finish("closed", true);
  }

  private credited(data: Uint8Array): void {
    if (data.length < 4) return;
    this.inFlight = Math.max(0, this.inFlight - Buffer.from(data.buffer, data.byteOffset, 4).readUInt32BE(0));
    if (this.inFlight >= WINDOW_BYTES) return;
    for (const resume of this.drains.splice(0)) resume();
  }

  private owe(size: number): void {
    this.owed += size;
    if (this.owed < CREDIT_BYTES || this.done) return;
    const count = Buffer.alloc(4);
    count.writeUInt32BE(this.owed, 0);
    this.owed = 0;
    this.publish(frame(Channel.credit, count));
  }

  private finish(why: "ended" | "silent" | "closed", tell: boolean): void {
    if (this.done) return;
    if (tell) this.publish(frame(Channel.end));
    this.done = true;
    clearInterval(this.timer);
    for (const resume of this.drains.splice(0)) resume();
    this.handlers.ended(why);
  }

  private publish(bytes: Uint8Array): void {
    try {
      this.nc.publish(this.to, bytes);
    } catch {
      // the connection is closed: the other side hears silence
    }
  }
}
