/**
 * One SPDY stream opened by the client, as a Node Duplex: what the client sends on it comes out of the readable side,
 * what is written to it goes to the client as DATA frames, `end()` sends the FIN. The session (session.ts) feeds it
 * and sends its frames; this file only keeps the stream's state.
 *
 * Closing, for those who read or pipe it:
 * - the client's FIN ends the readable side (`'end'`); our `end()` sends a FIN; with both, the stream is finished.
 * - the session's `close()` ends our side (pending writes, then FIN) before its GOAWAY.
 * - an RST_STREAM from the client, or the session's end, destroys the stream WITHOUT an error: it emits `'close'`
 *   with no `'end'`/`'finish'` if those had not come, so `pipeline()` / `finished()` reject with
 *   ERR_STREAM_PREMATURE_CLOSE while `s.pipe(x)` without an `'error'` listener does not crash the process (kubectl
 *   resets its unfinished streams on every normal close, so a reset is routine, not a fault).
 * - `destroy()` (also by a failing `pipeline`) before the stream is finished sends RST_STREAM CANCEL; `reset(status)`
 *   sends that status instead.
 */
import { Duplex } from "node:stream";
import { RstStatus } from "./frames.js";

/** A client-opened SPDY stream. */
export interface SpdyStream extends Duplex {
  readonly id: number;
  /** Lower-case names from the client's SYN_STREAM; several values of one name are joined by "\0". */
  readonly headers: Record<string, string>;
  /** Sends RST_STREAM (default CANCEL = 5) unless the stream is already over, then destroys it. */
  reset(status?: number): void;
}

/** What a stream needs from its session. */
export interface StreamHost {
  /** Sends `data` as DATA frames (and a FIN if asked); `done` runs when the socket can take more. */
  sendData(streamId: number, data: Buffer, fin: boolean, done: (err?: Error | null) => void): void;
  sendReset(streamId: number, status: number): void;
  /** The stream needs no more frames: drop it from the session's table. */
  forget(stream: SessionStream): void;
}

/** How much received data a stream holds unread before the session stops reading the socket for it. */
export const STREAM_READ_BUFFER = 256 * 1024;

const EMPTY = Buffer.alloc(0);

export class SessionStream extends Duplex implements SpdyStream {
  private remoteFin = false;
  private localFin = false;
  /** An RST was sent or received, or the session is gone: no RST is to be sent any more. */
  private over = false;
  private readWaiters: Array<() => void> = [];

  constructor(
    private readonly host: StreamHost,
    readonly id: number,
    readonly headers: Record<string, string>,
    /** The client asked us not to send on it (FLAG_UNIDIRECTIONAL): our side starts closed. */
    private readonly unidirectional = false,
  ) {
    super({ allowHalfOpen: true, readableHighWaterMark: STREAM_READ_BUFFER });
    if (unidirectional) this.end();
  }

  /** Both ends have sent their FIN. */
  get complete(): boolean {
    return this.remoteFin && this.localFin;
  }

  /** The client has sent its FIN (or the stream is over): more data on it is a protocol error. */
  get remoteClosed(): boolean {
    return this.remoteFin || this.over || this.destroyed;
  }

  reset(status: number = RstStatus.Cancel): void {
    if (!this.over && !this.complete && !this.destroyed) {
      this.over = true;
      this.host.sendReset(this.id, status);
    }
    this.destroy();
  }

  // --- fed by the session

  /** Data from the client; false when the reader is behind (see `whenRead`). */
  receiveData(data: Buffer): boolean {
    if (this.remoteClosed) return true;
    return this.push(data);
  }

  receiveFin(): void {
    if (this.remoteFin || this.destroyed) return;
    this.remoteFin = true;
    this.push(null);
    if (this.localFin) this.host.forget(this);
  }

  /** An RST from the client, or the session's end: destroy without sending anything. */
  abort(): void {
    this.over = true;
    this.destroy();
  }

  /** Resolves when the reader asks for more, or the stream is destroyed. */
  whenRead(): Promise<void> {
    if (this.destroyed) return Promise.resolve();
    return new Promise((resolve) => this.readWaiters.push(resolve));
  }

  // --- Duplex

  override _read(): void {
    this.wake();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    this.host.sendData(this.id, chunk, false, done);
  }

  override _final(done: (err?: Error | null) => void): void {
    this.localFin = true;
    if (this.unidirectional || this.over) done();
    else this.host.sendData(this.id, EMPTY, true, done);
    if (this.remoteFin) this.host.forget(this);
  }

  override _destroy(err: Error | null, done: (err?: Error | null) => void): void {
    if (!this.over && !this.complete) {
      this.over = true;
      this.host.sendReset(this.id, RstStatus.Cancel);
    }
    this.host.forget(this);
    this.wake();
    done(err);
  }

  private wake(): void {
    const waiters = this.readWaiters;
    if (waiters.length === 0) return;
    this.readWaiters = [];
    for (const w of waiters) w();
  }
}
