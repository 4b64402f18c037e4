/**
 * `kubectl exec` (and client libraries' exec) on `…/pods/{name}/exec`, bridged to the pod's node agent over NATS
 * (nodeStream.ts), on either of Kubernetes' two transports:
 * - a WebSocket speaking `v5.channel.k8s.io` or `v4.channel.k8s.io`: each binary message one channel byte and its
 *   data (kubectl 1.30 and later, client libraries);
 * - SPDY/3.1 speaking `v4.channel.k8s.io`: one SPDY stream per channel, named by its `streamtype` header (kubectl
 *   before 1.30, and later ones when the WebSocket upgrade fails).
 * The error channel carries the command's Status, then the connection closes.
 */
import type { Duplex } from "node:stream";
import type { NatsConnection } from "@nats-io/transport-node";
import { WebSocketServer } from "ws";
import { StatusError } from "../api/status.js";
import { written, type FrameLink } from "../podStreams/link.js";
import { Channel, execFailure } from "../podStreams/protocol.js";
import type { ReadService } from "../projections/readService.js";
import { execRequestOf } from "./execRequest.js";
import { MAX_MESSAGE_BYTES, openNodeStream } from "./nodeStream.js";
import { podOf } from "./reads.js";
import { serveSpdy, type SpdyStream } from "./spdy/index.js";
import { acceptSpdy, isSpdyUpgrade, spdyProtocol, webSocketProtocol } from "./streamUpgrade.js";
import type { SubresourceUpgrade } from "./upgrades.js";

/** The WebSocket subprotocols served, best first (client-go's WebSocket executor asks for v5 only). */
export const EXEC_PROTOCOLS = ["v5.channel.k8s.io", "v4.channel.k8s.io"] as const;
/** The SPDY stream protocol served (kubectl 1.20 offers v4 to v1). */
const SPDY_EXEC_PROTOCOLS = ["v4.channel.k8s.io"] as const;

/** Where the node's frames go once the client's connection is up; `deliver` settles once the bytes are written. */
interface ExecClient {
  deliver(channel: number, data: Uint8Array): Promise<void>;
  finish(): void;
}

/** The exec (or attach) upgrade of a gateway whose API process reaches the node agents on `nc`. */
export function podExec(nc: NatsConnection, prefix: string, service: ReadService, what: "exec" | "attach" = "exec"): SubresourceUpgrade {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: MAX_MESSAGE_BYTES, handleProtocols: (offered) => EXEC_PROTOCOLS.find((p) => offered.has(p)) ?? false });
  return async (route, q, req, socket, head) => {
    const pod = await podOf(service, route);
    const ask = execRequestOf(pod, q, what);
    const spdy = isSpdyUpgrade(req) ? spdyProtocol(req, SPDY_EXEC_PROTOCOLS) : undefined;
    if (!spdy && !webSocketProtocol(req, EXEC_PROTOCOLS)) {
      throw new StatusError("BadRequest", `${what} is served over SPDY/3.1 or a WebSocket with one of the subprotocols ${EXEC_PROTOCOLS.join(", ")}`);
    }
    let client: ExecClient | undefined;
    const held: Array<[number, Uint8Array, () => void]> = [];
    let statusSent = false;
    const deliver = (channel: number, data: Uint8Array): Promise<void> => {
      if (channel === Channel.error) statusSent = true;
      return client ? client.deliver(channel, data) : new Promise((resolve) => held.push([channel, data, resolve]));
    };
    const target = { namespace: route.namespace, pod: pod.metadata.name, uid: ask.uid, container: ask.container, stdin: ask.stdin, stdout: ask.stdout, stderr: ask.stderr, tty: ask.tty };
    const link = await openNodeStream(nc, prefix, ask.node, what === "exec" ? { kind: "exec", ...target, command: ask.command } : { kind: "attach", ...target }, {
      frame: deliver,
      ended: (why) => {
        if (!statusSent) void deliver(Channel.error, Buffer.from(JSON.stringify(execFailure(why === "silent" ? "the node agent stopped answering" : "the stream ended", what))));
        client?.finish();
      },
    });
    // The client may go before its connection is upgraded (or its upgrade is refused): the session goes with it.
    if (socket.destroyed) link.close();
    socket.once("close", () => link.close());
    const attach = (c: ExecClient) => {
      client = c;
      for (const [channel, data, delivered] of held.splice(0)) void c.deliver(channel, data).then(delivered);
      if (link.closed) c.finish();
    };
    if (spdy) {
      const expected = [Channel.error, ...(ask.stdin ? [Channel.stdin] : []), ...(ask.stdout ? [Channel.stdout] : []), ...(ask.stderr && !ask.tty ? [Channel.stderr] : []), ...(ask.tty ? [Channel.resize] : [])];
      acceptSpdy(socket, spdy);
      if (head.length > 0) socket.unshift(head);
      return overSpdy(socket, link, expected, attach);
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      attach({
        deliver: (channel, data) => new Promise((resolve) => ws.send(Buffer.concat([Buffer.of(channel), data]), () => resolve())),
        finish: () => ws.close(1000),
      });
      ws.on("message", (data: Buffer, binary: boolean) => {
        const channel = data[0];
        if (binary && (channel === Channel.stdin || channel === Channel.resize || channel === Channel.close)) void link.sendFrom(channel, data.subarray(1), ws);
      });
      ws.on("close", () => link.close());
      ws.on("error", () => link.close());
    });
  };
}

/** The SPDY streams' `streamtype` header and the channel each stands for. */
const STREAM_CHANNELS: Record<string, number> = { stdin: Channel.stdin, stdout: Channel.stdout, stderr: Channel.stderr, error: Channel.error, resize: Channel.resize };

/**
 * Exec over SPDY: the client opens a stream per channel it asked for (`expected`); once all are there, the node's
 * frames flow to them. Stdin's and resize's data go to the node.
 */
function overSpdy(socket: Duplex, link: FrameLink, expected: readonly number[], attach: (c: ExecClient) => void): void {
  const streams = new Map<number, SpdyStream>();
  let attached = false;
  const session = serveSpdy(socket, {
    onStream: (stream) => {
      const channel = STREAM_CHANNELS[stream.headers.streamtype ?? ""];
      if (channel === undefined) return stream.reset();
      streams.set(channel, stream);
      stream.on("error", () => undefined);
      if (channel === Channel.stdin || channel === Channel.resize) {
        stream.on("data", (d: Buffer) => void link.sendFrom(channel, d, stream));
        if (channel === Channel.stdin) stream.on("end", () => link.send(Channel.close, new Uint8Array([Channel.stdin])));
      }
      if (!attached && expected.every((c) => streams.has(c))) {
        attached = true;
        attach({
          deliver: async (c, data) => {
            const s = streams.get(c);
            if (s) await written(s, data);
          },
          finish: () => {
            for (const s of streams.values()) s.end();
            session.close();
          },
        });
      }
    },
    onClose: () => link.close(),
  });
}
