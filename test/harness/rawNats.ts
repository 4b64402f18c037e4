/**
 * The NATS client protocol spoken by hand over TCP, for what a well-behaved client library refuses to send
 * (payloads over `max_payload`, subjects with spaces or empty): what does the server itself answer?
 */
import { connect as tcpConnect } from "node:net";

/** The server's answer to one raw PUB: `ok` (no error before the PONG), or its `-ERR` text. */
export type RawOutcome = { ok: true } | { ok: false; error: string };

/**
 * Connects as `auth` (or nobody), sends `PUB <subject> <payload>` and a PING, and reports whether the server
 * answered `-ERR` before the PONG (the connection is closed either way).
 */
export async function rawPublish(url: string, auth: { user: string; pass: string } | undefined, subject: string, payload: Uint8Array): Promise<RawOutcome> {
  const { hostname, port } = new URL(url);
  const socket = tcpConnect({ host: hostname, port: Number(port) });
  let text = "";
  const connectLine = `CONNECT ${JSON.stringify({ verbose: false, pedantic: false, ...(auth ?? {}) })}\r\n`;
  return new Promise<RawOutcome>((resolve) => {
    const done = (outcome: RawOutcome) => {
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => done({ ok: false, error: `no answer; got ${JSON.stringify(text.slice(0, 200))}` }), 10_000);
    socket.on("data", (chunk) => {
      text += chunk.toString("latin1");
      const err = /-ERR ([^\r\n]*)/.exec(text);
      if (err) { clearTimeout(timer); done({ ok: false, error: err[1] ?? "" }); }
      else if (text.includes("PONG")) { clearTimeout(timer); done({ ok: true }); }
    });
    socket.on("close", () => { clearTimeout(timer); done({ ok: false, error: text.includes("-ERR") ? text : "connection closed" }); });
    socket.on("error", () => undefined);
    socket.once("data", () => {
      socket.write(connectLine);
      socket.write(`PUB ${subject} ${payload.length}\r\n`);
      // The server judges the size from the header and closes at once; a payload still in flight would make
      // the close a reset that can swallow its -ERR. So the header goes alone, the payload a moment later.
      setTimeout(() => {
        if (socket.destroyed) return;
        socket.write(payload);
        socket.write("\r\nPING\r\n");
      }, 100);
    });
  });
}
