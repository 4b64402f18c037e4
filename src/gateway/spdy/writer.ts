/**
 * The sending half of a SPDY session: frames go to the socket in the order they are asked for, DATA is cut into
 * frames of at most 32 KiB, and a writer whose data filled the socket's buffer is called back on 'drain'. It also
 * remembers the streams we reset, whose DATA still in flight is to be ignored rather than answered.
 */
import type { Duplex } from "node:stream";
import { Fifo } from "../../fifo.js";
import { FLAG_FIN, encodeFrame, type Frame } from "./frames.js";

/** Payload of one DATA frame we send at most. */
export const DATA_CHUNK = 32 * 1024;
/** Stream ids we reset whose in-flight DATA is ignored (the Go client keeps writing after an RST). */
const RESETS_KEPT = 1024;

export class FrameWriter {
  private drainWaiters: Array<() => void> = [];
  private readonly resets = new Set<number>();
  private readonly resetOrder = new Fifo<number>();
  private stopped = false;

  constructor(private readonly socket: Duplex) {
    socket.on("drain", () => this.wake());
  }

  /** Frames can still be sent. */
  get open(): boolean {
    return !this.stopped && this.socket.writable;
  }

  /** Sends one frame (dropped once the socket can take no more). */
  frame(frame: Frame): void {
    if (this.open) this.socket.write(encodeFrame(frame));
  }

  /** Sends `data` as DATA frames, the last with FIN if asked; `done` when the socket can take more. */
  data(streamId: number, data: Buffer, fin: boolean, done: () => void): void {
    if (!this.open) return done();
    let ok = true;
    let offset = 0;
    do {
      const part = data.subarray(offset, offset + DATA_CHUNK);
      offset += part.length;
      const flags = fin && offset >= data.length ? FLAG_FIN : 0;
      ok = this.socket.write(encodeFrame({ type: "data", streamId, flags, data: part }));
    } while (offset < data.length);
    if (ok) done();
    else this.drainWaiters.push(done);
  }

  /** Sends RST_STREAM and remembers the id. */
  reset(streamId: number, status: number): void {
    this.resets.add(streamId);
    this.resetOrder.push(streamId);
    if (this.resetOrder.length > RESETS_KEPT) this.resets.delete(this.resetOrder.shift() as number);
    this.frame({ type: "rstStream", streamId, status });
  }

  /** We reset this stream lately. */
  wasReset(streamId: number): boolean {
    return this.resets.has(streamId);
  }

  /** No more frames: the session is over; writers waiting for 'drain' are released. */
  stop(): void {
    this.stopped = true;
    this.wake();
  }

  private wake(): void {
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const w of waiters) w();
  }
}
