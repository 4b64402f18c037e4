/**
 * Protocol Buffers' wire format, by hand: the few messages Coxswain reads or writes (Kubernetes' protobuf request
 * bodies, `/openapi/v2`, a gRPC health check) do not need a schema compiler. Pure.
 */

/** A field of a message, read: its number, wire type, and value (a varint's number, or a length-delimited field's length and bytes). */
export interface WireField { number: number; wire: number; value: number; bytes?: Buffer }

/** A field to write: its number and a string, bytes or a nested message (length-delimited), or a bool or number (varint). */
export type FieldValue = [number, string | Buffer | boolean | number];

/** Why bytes are not a readable message. */
export class WireFormatError extends Error {}

/** The varint encoding of a non-negative integer. */
export function encodeVarint(n: number): Buffer {
  const out: number[] = [];
  let v = n;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return Buffer.from(out);
}

/** A message of `fields`, in their order. */
export function encodeMessage(fields: readonly FieldValue[]): Buffer {
  return Buffer.concat(fields.map(([n, value]) => {
    if (typeof value === "boolean" || typeof value === "number") return Buffer.concat([encodeVarint(n * 8), encodeVarint(Number(value))]);
    const bytes = typeof value === "string" ? Buffer.from(value, "utf8") : value;
    return Buffer.concat([encodeVarint(n * 8 + 2), encodeVarint(bytes.length), bytes]);
  }));
}

/** The fields of a message, in order (fixed-width ones skipped); throws WireFormatError when it is cut short or malformed. */
export function readFields(buf: Buffer): WireField[] {
  const out: WireField[] = [];
  let pos = 0;
  const varint = (): number => {
    let result = 0;
    for (let shift = 0; ; shift += 7) {
      const b = buf[pos++];
      if (b === undefined || shift > 63) throw new WireFormatError("truncated protobuf body");
      result += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return result;
    }
  };
  while (pos < buf.length) {
    const key = varint();
    const wire = key & 7;
    const number = Math.floor(key / 8);
    if (wire === 0) out.push({ number, wire, value: varint() });
    else if (wire === 2) {
      const len = varint();
      if (pos + len > buf.length) throw new WireFormatError("truncated protobuf body");
      out.push({ number, wire, value: len, bytes: buf.subarray(pos, pos + len) });
      pos += len;
    } else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else throw new WireFormatError(`unsupported protobuf wire type ${wire}`);
  }
  return out;
}
