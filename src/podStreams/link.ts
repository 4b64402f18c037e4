/**
 * One side of a pod stream's session on NATS (see protocol.ts): sends frames to the other side's subject (data cut to
 * MAX_FRAME_DATA), says it is still there every KEEPALIVE_MS, and ends the session when the other side ends it or is
 * silent for SILENCE_MS (its process died, or its connection did).
 */
import type { NatsConnection } from "@nats-io/transport-node";
import { Channel, KEEPALIVE_MS, MAX_FRAME_DATA, SILENCE_MS, frame, parseFrame } from "./protocol.js";

/** What a link tells its owner. */
export interface LinkHandlers {
  /** A frame of the other side (not a keep-alive or an end). */
  frame(channel: number, data: Uint8Array): void;
  /** The session is over: the other side ended it ("ended"), went silent ("silent"), or this side did ("closed"). */
  ended(why: "ended" | "silent" | "closed"): void;
}

export class FrameLink {
  private heard = Date.now();
  private readonly timer: NodeJS.Timeout;
  private done = false;

  constructor(private readonly nc: NatsConnection, private readonly to: string, private readonly handlers: LinkHandlers, silenceMs = SILENCE_MS) {
    this.timer = setInterval(() => {
      if (Date.now() - this.heard > silenceMs) return this.finish("silent", false);
      this.publish(frame(Channel.keepAlive));
    }, Math.min(KEEPALIVE_MS, silenceMs / 3));
    this.timer.unref();
  }

  get closed(): boolean {
    return this.done;
  }

  /** Sends `data` on `channel`, in frames of at most MAX_FRAME_DATA bytes. */
  send(channel: number, data?: Uint8Array | string): void {
    if (this.done) return;
    const bytes = typeof data === "string" ? Buffer.from(data) : data ?? new Uint8Array(0);
    if (bytes.length === 0) return this.publish(frame(channel));
    for (let at = 0; at < bytes.length; at += MAX_FRAME_DATA) this.publish(frame(channel, bytes.subarray(at, at + MAX_FRAME_DATA)));
  }

  /** A message of the other side. */
  received(bytes: Uint8Array): void {
    if (this.done) return;
    this.heard = Date.now();
    const f = parseFrame(bytes);
    if (!f || f.channel === Channel.keepAlive) return;
    if (f.channel === Channel.end) return this.finish("ended", false);
    this.handlers.frame(f.channel, f.data);
  }

  /** Ends the session from this side: tells the other side, once. */
  close(): void {
    this.finish("closed", true);
  }

  private finish(why: "ended" | "silent" | "closed", tell: boolean): void {
    if (this.done) return;
    if (tell) this.publish(frame(Channel.end));
    this.done = true;
    clearInterval(this.timer);
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
