/**
 * The API's side of a stream into a pod (src/podStreams/protocol.ts): subscribes to an inbox of its own, asks the
 * pod's node to open the session, and hands back the link its frames go through. A node that does not answer is
 * Unavailable in Kubernetes' words for an unreachable kubelet.
 */
import { randomUUID } from "node:crypto";
import { createInbox, type NatsConnection } from "@nats-io/transport-node";
import { z } from "zod";
import { Status, StatusError } from "../api/status.js";
import { statusErrorOf } from "../projections/readClient.js";
import type { Duplex } from "node:stream";
import { FrameLink, written, type LinkHandlers } from "../podStreams/link.js";
import { Channel, openSubject, sessionSubject, type OpenAttach, type OpenExec, type OpenPortForward } from "../podStreams/protocol.js";

/** The largest WebSocket message a client may send into a stream (`ws`'s default is 100 MiB). */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

/** What a node answers an open with. */
const OpenReply = z.union([z.object({ ok: z.literal(true) }), z.object({ ok: z.literal(false), status: Status })]);

/** How long a node has to answer an open. */
const OPEN_TIMEOUT_MS = 10_000;

/** What the API asks a node for (the session and its inbox are added here). */
export type StreamAsk = Omit<OpenExec, "session" | "output"> | Omit<OpenAttach, "session" | "output"> | Omit<OpenPortForward, "session" | "output">;

/** Opens a session on `node`; throws the node's Status (or Unavailable). Frames reach `handlers` once it resolves. */
export async function openNodeStream(nc: NatsConnection, prefix: string, node: string, ask: StreamAsk, handlers: LinkHandlers): Promise<FrameLink> {
  const session = randomUUID().replace(/-/g, "");
  const output = createInbox();
  let link: FrameLink | undefined;
  const early: Uint8Array[] = [];
  const sub = nc.subscribe(output, {
    callback: (err, msg) => {
      if (err) return;
      if (link) link.received(msg.data);
      else early.push(msg.data);
    },
  });
  let reply: z.infer<typeof OpenReply>;
  try {
    const msg = await nc.request(openSubject(prefix, node), JSON.stringify({ ...ask, session, output }), { timeout: OPEN_TIMEOUT_MS });
    reply = OpenReply.parse(JSON.parse(msg.string()));
  } catch (err) {
    sub.unsubscribe();
    throw new StatusError("Unavailable", `error dialing backend: the node agent of ${node} did not answer (${(err as Error).message})`);
  }
  if (!reply.ok) {
    sub.unsubscribe();
    throw statusErrorOf(reply.status);
  }
  const own = new FrameLink(nc, sessionSubject(prefix, node, session), {
    frame: handlers.frame,
    ended: (why) => {
      sub.unsubscribe();
      handlers.ended(why);
    },
  });
  link = own;
  for (const data of early.splice(0)) own.received(data);
  return own;
}

/**
 * One connection to a port of a pod through its node (a port-forward session), carried by `data`: its bytes go to
 * the pod's port and the port's come back into it; the node's error text (a refused connection) goes to `onError`,
 * and `ended` is called when the session is over. Throws when the node refuses to open it.
 */
export async function bridgeToPort(
  nc: NatsConnection, prefix: string, node: string, ask: Omit<OpenPortForward, "session" | "output">, data: Duplex, onError: (text: Uint8Array) => void, ended: () => void,
): Promise<void> {
  const link = await openNodeStream(nc, prefix, node, ask, {
    frame: (channel, bytes) => {
      if (channel === Channel.stdout) return written(data, bytes);
      if (channel === Channel.close && bytes[0] === Channel.stdout) data.end();
      else if (channel === Channel.error) onError(bytes);
      return undefined;
    },
    ended,
  });
  // The client may have gone while the node connected.
  if (data.destroyed) return link.close();
  data.on("data", (d: Buffer) => void link.sendFrom(Channel.stdin, d, data));
  data.on("end", () => link.send(Channel.close, new Uint8Array([Channel.stdin])));
  data.on("close", () => link.close());
}
