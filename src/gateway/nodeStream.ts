/**
 * The API's side of a stream into a pod (src/podStreams/protocol.ts): subscribes to an inbox of its own, asks the
 * pod's node to open the session, and hands back the link its frames go through. A node that does not answer is
 * Unavailable in Kubernetes' words for an unreachable kubelet.
 */
import { randomUUID } from "node:crypto";
import { createInbox, type NatsConnection } from "@nats-io/transport-node";
import { StatusError, type StatusReason } from "../api/status.js";
import { FrameLink, type LinkHandlers } from "../podStreams/link.js";
import { openSubject, sessionSubject, type OpenExec, type OpenPortForward } from "../podStreams/protocol.js";

/** How long a node has to answer an open. */
const OPEN_TIMEOUT_MS = 10_000;

/** What the API asks a node for (the session and its inbox are added here). */
export type StreamAsk = Omit<OpenExec, "session" | "output"> | Omit<OpenPortForward, "session" | "output">;

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
  let reply: { ok?: boolean; status?: { reason?: string; message?: string } };
  try {
    const msg = await nc.request(openSubject(prefix, node), JSON.stringify({ ...ask, session, output }), { timeout: OPEN_TIMEOUT_MS });
    reply = JSON.parse(msg.string()) as typeof reply;
  } catch (err) {
    sub.unsubscribe();
    throw new StatusError("Unavailable", `error dialing backend: the node agent of ${node} did not answer (${(err as Error).message})`);
  }
  if (!reply.ok) {
    sub.unsubscribe();
    const reason = (reply.status?.reason ?? "Internal") as StatusReason;
    throw new StatusError(reason, reply.status?.message ?? "the node refused the stream");
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
