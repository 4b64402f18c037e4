/** A message's JSON, or null when it is none (what comes off the wire is parsed by a schema after this). Pure. */
export function safeJson(data: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(data));
  } catch {
    return null;
  }
}
