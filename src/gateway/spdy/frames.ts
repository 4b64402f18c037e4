/**
 * SPDY/3 frames to and from bytes, with no I/O and no compression: the frame types a Kubernetes streaming session
 * uses, the (uncompressed) name/value header block, and a splitter that cuts a byte stream into whole frames.
 * Header blocks stay compressed here (`headerBlock`); compression.ts holds the zlib contexts.
 */

export const SPDY_VERSION = 3;
/** The 8 bytes every frame starts with. */
export const FRAME_HEADER_SIZE = 8;
/** The largest payload a frame's 24-bit length can state. */
export const MAX_FRAME_PAYLOAD = 0xffffff;

export const FLAG_FIN = 0x01;
export const FLAG_UNIDIRECTIONAL = 0x02;

export const ControlType = {
  SynStream: 1, SynReply: 2, RstStream: 3, Settings: 4, Ping: 6, GoAway: 7, Headers: 8, WindowUpdate: 9,
} as const;

/** RST_STREAM status codes. */
export const RstStatus = {
  ProtocolError: 1, InvalidStream: 2, RefusedStream: 3, UnsupportedVersion: 4, Cancel: 5, InternalError: 6,
  FlowControlError: 7, StreamInUse: 8, StreamAlreadyClosed: 9, FrameTooLarge: 11,
} as const;

/** GOAWAY status codes. */
export const GoAwayStatus = { Ok: 0, ProtocolError: 1, InternalError: 2 } as const;

export interface SettingsEntry { flags: number; id: number; value: number }

export type Frame =
  | { type: "data"; streamId: number; flags: number; data: Buffer }
  | { type: "synStream"; streamId: number; associatedId: number; priority: number; slot: number; flags: number; headerBlock: Buffer }
  | { type: "synReply"; streamId: number; flags: number; headerBlock: Buffer }
  | { type: "headers"; streamId: number; flags: number; headerBlock: Buffer }
  | { type: "rstStream"; streamId: number; status: number }
  | { type: "settings"; flags: number; entries: SettingsEntry[] }
  | { type: "ping"; id: number }
  | { type: "goAway"; lastGoodStreamId: number; status: number }
  | { type: "windowUpdate"; streamId: number; delta: number }
  /** A control frame of another type (e.g. CREDENTIAL) or of another version than 3. */
  | { type: "unknown"; version: number; controlType: number; flags: number; payload: Buffer };

export class FrameError extends Error {
  constructor(message: string) {
    super(`SPDY: ${message}`);
    this.name = "FrameError";
  }
}

const ID_MASK = 0x7fffffff;

function u32(...values: number[]): Buffer {
  const b = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => b.writeUInt32BE(v >>> 0, i * 4));
  return b;
}

function control(type: number, flags: number, payload: Buffer): Buffer {
  if (payload.length > MAX_FRAME_PAYLOAD) throw new FrameError("frame payload too large");
  return Buffer.concat([u32(0x80000000 | (SPDY_VERSION << 16) | type, ((flags & 0xff) << 24) | payload.length), payload]);
}

/** The bytes of one frame. */
export function encodeFrame(f: Frame): Buffer {
  switch (f.type) {
    case "data":
      if (f.data.length > MAX_FRAME_PAYLOAD) throw new FrameError("frame payload too large");
      return Buffer.concat([u32(f.streamId & ID_MASK, ((f.flags & 0xff) << 24) | f.data.length), f.data]);
    case "synStream": {
      const fixed = Buffer.alloc(10);
      fixed.writeUInt32BE(f.streamId & ID_MASK, 0);
      fixed.writeUInt32BE(f.associatedId & ID_MASK, 4);
      fixed[8] = (f.priority & 0x7) << 5;
      fixed[9] = f.slot & 0xff;
      return control(ControlType.SynStream, f.flags, Buffer.concat([fixed, f.headerBlock]));
    }
    case "synReply":
      return control(ControlType.SynReply, f.flags, Buffer.concat([u32(f.streamId & ID_MASK), f.headerBlock]));
    case "headers":
      return control(ControlType.Headers, f.flags, Buffer.concat([u32(f.streamId & ID_MASK), f.headerBlock]));
    case "rstStream":
      return control(ControlType.RstStream, 0, u32(f.streamId & ID_MASK, f.status));
    case "settings":
      return control(ControlType.Settings, f.flags,
        u32(f.entries.length, ...f.entries.flatMap((e) => [((e.flags & 0xff) << 24) | (e.id & 0xffffff), e.value])));
    case "ping":
      return control(ControlType.Ping, 0, u32(f.id));
    case "goAway":
      return control(ControlType.GoAway, 0, u32(f.lastGoodStreamId & ID_MASK, f.status));
    case "windowUpdate":
      return control(ControlType.WindowUpdate, 0, u32(f.streamId & ID_MASK, f.delta & ID_MASK));
    case "unknown":
      return Buffer.concat([
        u32(0x80000000 | ((f.version & 0x7fff) << 16) | (f.controlType & 0xffff), ((f.flags & 0xff) << 24) | f.payload.length),
        f.payload,
      ]);
  }
}

/** One whole frame (as cut by `FrameSplitter`) decoded; throws `FrameError` when its fixed fields do not fit. */
export function decodeFrame(buf: Buffer): Frame {
  if (buf.length < FRAME_HEADER_SIZE) throw new FrameError("short frame");
  const first = buf.readUInt32BE(0);
  const flags = buf[4] ?? 0;
  const length = buf.readUInt32BE(4) & 0xffffff;
  const p = buf.subarray(FRAME_HEADER_SIZE, FRAME_HEADER_SIZE + length);
  if (p.length !== length) throw new FrameError("truncated frame");
  if ((first & 0x80000000) === 0) return { type: "data", streamId: first & ID_MASK, flags, data: p };
  const version = (first >>> 16) & 0x7fff;
  const controlType = first & 0xffff;
  const need = (n: number): void => {
    if (length < n) throw new FrameError(`control frame ${controlType} too short (${length} bytes)`);
  };
  if (version !== SPDY_VERSION) return { type: "unknown", version, controlType, flags, payload: p };
  switch (controlType) {
    case ControlType.SynStream:
      need(10);
      return {
        type: "synStream", streamId: p.readUInt32BE(0) & ID_MASK, associatedId: p.readUInt32BE(4) & ID_MASK,
        priority: (p[8] ?? 0) >>> 5, slot: p[9] ?? 0, flags, headerBlock: p.subarray(10),
      };
    case ControlType.SynReply:
    case ControlType.Headers:
      need(4);
      return {
        type: controlType === ControlType.SynReply ? "synReply" : "headers",
        streamId: p.readUInt32BE(0) & ID_MASK, flags, headerBlock: p.subarray(4),
      };
    case ControlType.RstStream:
      need(8);
      return { type: "rstStream", streamId: p.readUInt32BE(0) & ID_MASK, status: p.readUInt32BE(4) };
    case ControlType.Settings: {
      need(4);
      const count = p.readUInt32BE(0);
      if (length < 4 + count * 8) throw new FrameError("SETTINGS frame shorter than its count");
      const entries: SettingsEntry[] = [];
      for (let i = 0, o = 4; i < count; i++, o += 8) {
        const idf = p.readUInt32BE(o);
        entries.push({ flags: idf >>> 24, id: idf & 0xffffff, value: p.readUInt32BE(o + 4) });
      }
      return { type: "settings", flags, entries };
    }
    case ControlType.Ping:
      need(4);
      return { type: "ping", id: p.readUInt32BE(0) };
    case ControlType.GoAway:
      need(8);
      return { type: "goAway", lastGoodStreamId: p.readUInt32BE(0) & ID_MASK, status: p.readUInt32BE(4) };
    case ControlType.WindowUpdate:
      need(8);
      return { type: "windowUpdate", streamId: p.readUInt32BE(0) & ID_MASK, delta: p.readUInt32BE(4) & ID_MASK };
    default:
      return { type: "unknown", version, controlType, flags, payload: p };
  }
}

/** Cuts a byte stream into whole frames (each a Buffer from its first header byte to its last payload byte). */
export class FrameSplitter {
  private chunks: Buffer[] = [];
  private total = 0;

  /** Adds received bytes; gives back every frame now complete, in order. */
  push(chunk: Buffer): Buffer[] {
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.total += chunk.length;
    }
    const frames: Buffer[] = [];
    while (this.total >= FRAME_HEADER_SIZE) {
      const size = FRAME_HEADER_SIZE + (this.peekHeader().readUInt32BE(4) & 0xffffff);
      if (this.total < size) break;
      frames.push(this.take(size));
    }
    return frames;
  }

  /** Bytes held that do not yet make a whole frame. */
  get buffered(): number {
    return this.total;
  }

  private peekHeader(): Buffer {
    const head = this.chunks[0] as Buffer;
    if (head.length >= FRAME_HEADER_SIZE) return head;
    this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0] as Buffer;
  }

  private take(n: number): Buffer {
    let head = this.chunks[0] as Buffer;
    if (head.length < n) {
      const parts: Buffer[] = [];
      let got = 0;
      while (got < n) {
        const c = this.chunks.shift() as Buffer;
        parts.push(c);
        got += c.length;
      }
      head = Buffer.concat(parts, got);
      this.chunks.unshift(head);
    }
    const frame = head.subarray(0, n);
    if (head.length === n) this.chunks.shift();
    else this.chunks[0] = head.subarray(n);
    this.total -= n;
    return frame;
  }
}

/**
 * An uncompressed name/value header block: a 4-byte count, then per pair a 4-byte length and the name, a 4-byte
 * length and the value. Names are lower case; several values of one name are joined by "\0" (kept that way).
 */
export function encodeHeaderBlock(headers: Record<string, string>): Buffer {
  const parts: Buffer[] = [];
  const names = Object.keys(headers);
  parts.push(u32(names.length));
  for (const name of names) {
    const n = Buffer.from(name.toLowerCase(), "utf8");
    const v = Buffer.from(headers[name] ?? "", "utf8");
    parts.push(u32(n.length), n, u32(v.length), v);
  }
  return Buffer.concat(parts);
}

/** Reverse of `encodeHeaderBlock`; names are lower-cased, a repeated name has its values joined by "\0". */
export function decodeHeaderBlock(block: Buffer): Record<string, string> {
  let o = 0;
  const readU32 = (): number => {
    if (o + 4 > block.length) throw new FrameError("header block truncated");
    const v = block.readUInt32BE(o);
    o += 4;
    return v;
  };
  const readString = (): string => {
    const len = readU32();
    if (o + len > block.length) throw new FrameError("header block truncated");
    const s = block.toString("utf8", o, o + len);
    o += len;
    return s;
  };
  const count = readU32();
  const headers: Record<string, string> = Object.create(null) as Record<string, string>;
  for (let i = 0; i < count; i++) {
    const name = readString().toLowerCase();
    const value = readString();
    const prior = headers[name];
    headers[name] = prior === undefined ? value : `${prior}\0${value}`;
  }
  return headers;
}
