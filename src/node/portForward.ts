/**
 * `kubectl port-forward` at the node: one TCP connection to a port of a pod running here, its bytes carried on the
 * session's stdin (to the pod) and stdout (from it) channels; a half-close either way is a close frame; a failure to
 * connect is the error channel's text, in the kubelet's words.
 */
import { connect } from "node:net";
import type { NatsConnection } from "@nats-io/transport-node";
import { FrameLink, written } from "../podStreams/link.js";
import { Channel, type OpenPortForward } from "../podStreams/protocol.js";

/** How long a connection to the pod may take. */
const CONNECT_TIMEOUT_MS = 10_000;

/** Connects to the pod's port and links the connection to its session. */
export function startPortForward(nc: NatsConnection, req: OpenPortForward, forget: () => void): { link: FrameLink; stop(): void } {
  const socket = connect({ host: req.address, port: req.port, timeout: CONNECT_TIMEOUT_MS });
  socket.once("timeout", () => {
    if (socket.connecting) socket.destroy(new Error(`no answer in ${CONNECT_TIMEOUT_MS / 1000} s`));
  });
  socket.once("connect", () => socket.setTimeout(0));
  const link = new FrameLink(nc, req.output, {
    frame: (channel, data) => {
      if (channel === Channel.stdin) return written(socket, data);
      if (channel === Channel.close && data[0] === Channel.stdin) socket.end();
      return undefined;
    },
    ended: () => {
      socket.destroy();
      forget();
    },
  });
  socket.on("data", (d: Buffer) => void link.sendFrom(Channel.stdout, d, socket));
  socket.on("end", () => link.send(Channel.close, new Uint8Array([Channel.stdout])));
  socket.on("error", (err) => {
    link.send(Channel.error, `error forwarding port ${req.port} to pod ${req.pod}, uid ${req.uid}: failed to connect to ${req.address}:${req.port}: ${err.message}`);
  });
  socket.on("close", () => link.close());
  return { link, stop: () => link.close() };
}
