/**
 * The two upgrades Kubernetes' streaming subresources use: a WebSocket with a subprotocol, or SPDY/3.1 with the
 * stream protocol named in `X-Stream-Protocol-Version` (several offered, one chosen and answered in the 101).
 */
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { StatusError } from "../api/status.js";

/** The header a SPDY client offers its stream protocols in (once per protocol, or comma-separated). */
const PROTOCOL_HEADER = "x-stream-protocol-version";

/** True for `Upgrade: SPDY/3.1`. Pure. */
export function isSpdyUpgrade(req: IncomingMessage): boolean {
  return String(req.headers.upgrade ?? "").toLowerCase() === "spdy/3.1";
}

/** The first of `served` a WebSocket upgrade offers as its subprotocol, if any. Pure. */
export function webSocketProtocol(req: IncomingMessage, served: readonly string[]): string | undefined {
  if (String(req.headers.upgrade ?? "").toLowerCase() !== "websocket") return undefined;
  const offered = String(req.headers["sec-websocket-protocol"] ?? "").split(",").map((p) => p.trim());
  return served.find((p) => offered.includes(p));
}

/** The first of `served` a SPDY upgrade offers; BadRequest in Kubernetes' words when none. Pure. */
export function spdyProtocol(req: IncomingMessage, served: readonly string[]): string {
  const raw = req.headersDistinct[PROTOCOL_HEADER] ?? [];
  const offered = raw.flatMap((v) => v.split(",")).map((p) => p.trim());
  const chosen = served.find((p) => offered.includes(p));
  if (!chosen) throw new StatusError("BadRequest", `unable to upgrade: unable to negotiate protocol: client supports ${JSON.stringify(offered)}, server supports ${JSON.stringify(served)}`);
  return chosen;
}

/** Answers a SPDY upgrade with 101 and the chosen stream protocol: the socket then speaks SPDY. */
export function acceptSpdy(socket: Duplex, chosen: string): void {
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${chosen}\r\n\r\n`);
}
