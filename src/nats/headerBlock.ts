/**
 * A message's headers encoded once, as nats.js sends them (`NATS/1.0`, a `Name: value` line each, a blank line), for
 * the hot paths that publish over RequestMux: every event append and every command a controller or node agent sends.
 * nats.js's own `headers()` canonicalises and searches the names on every `append` and `set`. nats.js's publish reads
 * a message's headers only through `encode()`, which its MsgHdrs type does not name.
 */

/** A header block already encoded; RequestMux takes it where nats.js takes MsgHdrs. */
export interface EncodedHeaders {
  encode(): Uint8Array;
}

/** A header name as this project sends one (RFC 822's field-name: printable ASCII, no colon, not empty). */
export const HEADER_NAME = /^[!-9;-~]+$/;

const ENCODER = new TextEncoder();

/**
 * `pairs` (the object's own names, in its order) as one encoded block; undefined when there are none. A value with a
 * line break is refused, as nats.js refuses it, and so is a name that is not printable ASCII without a colon (nats.js
 * lets an empty name through; this does not). Values are trimmed, as nats.js trims them. Pure.
 */
export function headerBlock(pairs: Readonly<Record<string, string>>): EncodedHeaders | undefined {
  let text = "NATS/1.0";
  let any = false;
  for (const name of Object.keys(pairs)) {
    const value = pairs[name] as string;
    if (!HEADER_NAME.test(name)) throw new TypeError(`header name ${JSON.stringify(name)}: printable ASCII without a colon`);
    if (/[\r\n]/.test(value)) throw new TypeError(`header ${name}: values cannot contain \\r or \\n`);
    text += `\r\n${name}: ${value.trim()}`;
    any = true;
  }
  if (!any) return undefined;
  const bytes = ENCODER.encode(`${text}\r\n\r\n`);
  return { encode: () => bytes };
}
