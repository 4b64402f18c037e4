/**
 * `kubectl port-forward` on `…/pods/{name}/portforward`: Kubernetes' `portforward.k8s.io` over SPDY/3.1, either as
 * the connection's upgrade (kubectl before 1.31, and later ones as their fallback) or tunnelled in a WebSocket's
 * binary messages (subprotocol `SPDY/3.1+portforward.k8s.io`, kubectl 1.31 and later), or client libraries'
 * `v4.channel.k8s.io` (portForwardChannels.ts). Over SPDY each forwarded connection is
 * a pair of SPDY streams sharing a `requestid`: `error` and `data`, the latter naming its `port`; each pair becomes
 * one session with the pod's node (nodeStream.ts), which connects to the port on the pod's address.
 */
import type { Duplex } from "node:stream";
import type { NatsConnection } from "@nats-io/transport-node";
import { createWebSocketStream, WebSocketServer } from "ws";
import { StatusError } from "../api/status.js";
import type { OpenPortForward } from "../podStreams/protocol.js";
import type { ReadService } from "../projections/readService.js";
import { streamNode } from "./execRequest.js";
import { bridgeToPort, MAX_MESSAGE_BYTES } from "./nodeStream.js";
import { podOf } from "./reads.js";
import { serveSpdy, type SpdyStream } from "./spdy/index.js";
import { acceptSpdy, isSpdyUpgrade, spdyProtocol, webSocketProtocol } from "./streamUpgrade.js";
import type { SubresourceUpgrade } from "./upgrades.js";
import { CHANNEL_PROTOCOL, channelPorts, forwardOverChannels, type PortForwardTarget } from "./portForwardChannels.js";

const PORT_FORWARD_PROTOCOL = "portforward.k8s.io";
const TUNNEL_PROTOCOL = `SPDY/3.1+${PORT_FORWARD_PROTOCOL}`;
const TUNNEL_TOKEN = "cox-portforward-tunnel";

/** The port-forward upgrade of a gateway whose API process reaches the node agents on `nc`. */
export function podPortForward(nc: NatsConnection, prefix: string, service: ReadService): SubresourceUpgrade {
  // `SPDY/3.1+portforward.k8s.io` is no HTTP token (its `/`), which `ws` refuses in the request: the offer is checked
  // here, handed to `ws` under a token of ours, and the real name answered.
  const wss = new WebSocketServer({
    noServer: true, perMessageDeflate: false, maxPayload: MAX_MESSAGE_BYTES,
    handleProtocols: (offered) => (offered.has(TUNNEL_TOKEN) ? TUNNEL_PROTOCOL : offered.has(CHANNEL_PROTOCOL) ? CHANNEL_PROTOCOL : false),
  });
  return async (route, q, req, socket, head) => {
    const pod = await podOf(service, route);
    const node = streamNode(pod);
    const address = pod.status?.podIP;
    if (pod.status?.phase !== "Running" || !address) throw new StatusError("BadRequest", `pod ${pod.metadata.name} is not running (${pod.status?.phase ?? "Pending"}): no port to forward to`);
    const target = { namespace: route.namespace, pod: pod.metadata.name, uid: pod.metadata.uid ?? "", address, node };
    if (isSpdyUpgrade(req)) {
      acceptSpdy(socket, spdyProtocol(req, [PORT_FORWARD_PROTOCOL]));
      if (head.length > 0) socket.unshift(head);
      return forwardOver(socket, nc, prefix, target);
    }
    if (webSocketProtocol(req, [TUNNEL_PROTOCOL])) {
      req.headers["sec-websocket-protocol"] = TUNNEL_TOKEN;
      return wss.handleUpgrade(req, socket, head, (ws) => forwardOver(createWebSocketStream(ws), nc, prefix, target));
    }
    if (!webSocketProtocol(req, [CHANNEL_PROTOCOL])) {
      throw new StatusError("BadRequest", `port-forward is served over SPDY/3.1 or a WebSocket with the subprotocol ${TUNNEL_PROTOCOL} or ${CHANNEL_PROTOCOL}`);
    }
    const ports = channelPorts(q);
    wss.handleUpgrade(req, socket, head, (ws) => forwardOverChannels(ws, nc, prefix, target, ports));
  };
}


/** Serves SPDY on `socket`: each `data` stream (with its `error` stream) is one connection to the pod's port. */
function forwardOver(socket: Duplex, nc: NatsConnection, prefix: string, target: PortForwardTarget): void {
  const errors = new Map<string, SpdyStream>();
  socket.on("error", () => undefined);
  serveSpdy(socket, {
    onStream: (stream) => {
      stream.on("error", () => undefined);
      const id = stream.headers.requestid ?? "";
      if (stream.headers.streamtype === "error") {
        errors.set(id, stream);
        return void stream.once("close", () => errors.get(id) === stream && errors.delete(id));
      }
      if (stream.headers.streamtype !== "data") return stream.reset();
      const error = errors.get(id);
      errors.delete(id);
      const port = Number(stream.headers.port);
      if (!Number.isInteger(port) || port < 1 || port > 65535) {
        error?.end(`invalid port: ${stream.headers.port ?? ""}`);
        return void stream.end();
      }
      void connectPort(nc, prefix, { kind: "portforward", namespace: target.namespace, pod: target.pod, uid: target.uid, address: target.address, port }, target.node, stream, error);
    },
  });
}

/** One forwarded connection: the data stream's bytes to the node's socket and back; failures on the error stream. */
async function connectPort(nc: NatsConnection, prefix: string, ask: Omit<OpenPortForward, "session" | "output">, node: string, data: SpdyStream, error: SpdyStream | undefined): Promise<void> {
  const finish = () => {
    data.end();
    error?.end();
  };
  try {
    await bridgeToPort(nc, prefix, node, ask, data, (bytes) => error?.write(bytes), finish);
  } catch (err) {
    error?.write((err as Error).message);
    finish();
  }
}
