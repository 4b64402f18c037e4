/**
 * `…/pods/{name}/portforward?ports=P1,P2` on a WebSocket speaking `v4.channel.k8s.io`, as client libraries use it
 * (`@kubernetes/client-node`'s PortForward): port i is channel 2i (its data both ways) and 2i+1 (its errors, from the
 * server), each opened by the server with the port number (2 bytes, little-endian), as the kubelet does. Each port
 * is one connection to the pod, a session with its node (nodeStream.ts).
 */
import type { NatsConnection } from "@nats-io/transport-node";
import type { WebSocket } from "ws";
import { StatusError } from "../api/status.js";
import type { FrameLink } from "../podStreams/link.js";
import { Channel } from "../podStreams/protocol.js";
import { openNodeStream } from "./nodeStream.js";

/** The most ports one request forwards (two channels each, numbered by one byte). */
const MAX_PORTS = 64;

/** The WebSocket subprotocol of this form of port-forward. */
export const CHANNEL_PROTOCOL = "v4.channel.k8s.io";

/** Where a port-forward's connections go. */
export interface PortForwardTarget {
  namespace: string;
  pod: string;
  uid: string;
  address: string;
  node: string;
}

/** The ports a channel port-forward asks for (`ports=80,8080` or the parameter repeated); BadRequest when none or one is bad. Pure. */
export function channelPorts(q: URLSearchParams): number[] {
  const ports = q.getAll("ports").flatMap((p) => p.split(",")).map((p) => p.trim()).filter((p) => p !== "");
  if (ports.length === 0) throw new StatusError("BadRequest", "at least one port must be specified");
  if (ports.length > MAX_PORTS) throw new StatusError("BadRequest", `at most ${MAX_PORTS} ports may be forwarded at once`);
  return ports.map((p) => {
    const n = /^\d{1,5}$/.test(p) ? Number(p) : NaN;
    if (!Number.isInteger(n) || n < 1 || n > 65535) throw new StatusError("BadRequest", `invalid port: ${p}`);
    return n;
  });
}

/** Serves each of `ports` on its channel pair of `ws`. */
export function forwardOverChannels(ws: WebSocket, nc: NatsConnection, prefix: string, target: PortForwardTarget, ports: readonly number[]): void {
  const links: FrameLink[] = [];
  // What a client sends before its port's node has answered waits here; the client is not read meanwhile beyond it.
  const early: Buffer[][] = ports.map(() => []);
  let opening = ports.length;
  ws.pause();
  const opened = () => {
    if (--opening === 0) ws.resume();
  };
  const send = (channel: number, data: Uint8Array) => new Promise<void>((resolve) => ws.send(Buffer.concat([Buffer.of(channel), data]), () => resolve()));
  // As the kubelet does, a port whose connection ends (or never opens) ends alone; the WebSocket closes after the last.
  const ended = new Set<number>();
  const end = (i: number) => {
    ended.add(i);
    links[i]?.close();
    if (ended.size === ports.length) ws.close(1000);
  };
  ws.on("close", () => links.forEach((l) => l.close()));
  ws.on("error", () => undefined);
  ports.forEach((port, i) => {
    const prefixPort = Buffer.alloc(2);
    prefixPort.writeUInt16LE(port, 0);
    void send(2 * i, prefixPort);
    void send(2 * i + 1, prefixPort);
    const ask = { kind: "portforward" as const, namespace: target.namespace, pod: target.pod, uid: target.uid, address: target.address, port };
    openNodeStream(nc, prefix, target.node, ask, {
      frame: (channel, bytes) => {
        if (channel === Channel.stdout) return send(2 * i, bytes);
        if (channel === Channel.error) return void send(2 * i + 1, bytes);
        if (channel === Channel.close && bytes[0] === Channel.stdout) end(i);
        return undefined;
      },
      ended: () => end(i),
    }).then((link) => {
      if (ws.readyState !== ws.OPEN) return link.close();
      links[i] = link;
      for (const data of early[i]?.splice(0) ?? []) void link.sendFrom(Channel.stdin, data, ws);
      opened();
      return undefined;
    }, (err: unknown) => {
      opened();
      void send(2 * i + 1, Buffer.from((err as Error).message)).then(() => end(i));
    });
  });
  ws.on("message", (data: Buffer, binary: boolean) => {
    const channel = data[0] ?? 255;
    // A port that ended (its connection closed, or refused) takes no more data.
    if (!binary || channel % 2 !== 0 || channel / 2 >= ports.length || ended.has(channel / 2)) return;
    const link = links[channel / 2];
    if (link) void link.sendFrom(Channel.stdin, data.subarray(1), ws);
    else early[channel / 2]?.push(data.subarray(1));
  });
}
