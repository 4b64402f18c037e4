/**
 * The cluster DNS server: answers questions about the cluster domain from a ClusterDns table over UDP and TCP
 * (the wire format by `dns-packet`); names outside the domain are REFUSED (pods resolve those through the host).
 */
import { createSocket, type Socket as UdpSocket } from "node:dgram";
import { createServer, type Server } from "node:net";
import * as packet from "dns-packet";
import type { ClusterDns } from "./records.js";

/** A running DNS server. */
export interface DnsServer {
  host: string;
  port: number;
  close(): Promise<void>;
}

/** The response to one encoded query (undefined when the bytes are not a DNS query). Pure over the table. */
export function answerQuery(table: ClusterDns, query: Buffer): Buffer | undefined {
  let q: packet.Packet;
  try {
    q = packet.decode(query);
  } catch {
    return undefined;
  }
  const questions = q.questions ?? [];
  const answers: packet.Answer[] = [];
  let rcode = "NOERROR";
  for (const question of questions) {
    if (!table.owns(question.name)) { rcode = "REFUSED"; continue; }
    const r = table.resolve(question.name, question.type);
    if (r.rcode === "NXDOMAIN") rcode = "NXDOMAIN";
    for (const a of r.answers) answers.push({ ...a, class: "IN" } as packet.Answer);
  }
  const rd = (q.flags ?? 0) & packet.RECURSION_DESIRED;
  return packet.encode({
    id: q.id ?? 0, type: "response", flags: packet.AUTHORITATIVE_ANSWER | rd | rcodeBits(rcode), questions, answers,
  });
}

function rcodeBits(rcode: string): number {
  return { NOERROR: 0, NXDOMAIN: 3, REFUSED: 5 }[rcode] ?? 2;
}

/** Starts the server on host:port (0: a free port, the same for UDP and TCP). Does network I/O. */
export async function startDnsServer(table: ClusterDns, host: string, port = 0): Promise<DnsServer> {
  const tcp = createServer((socket) => {
    let buf = Buffer.alloc(0);
    socket.on("error", () => socket.destroy());
    socket.on("data", (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const len = buf.readUInt16BE(0);
        const reply = answerQuery(table, buf.subarray(2, 2 + len));
        buf = buf.subarray(2 + len);
        if (!reply) return void socket.destroy();
        const head = Buffer.alloc(2);
        head.writeUInt16BE(reply.length);
        socket.write(Buffer.concat([head, reply]));
      }
    });
  });
  await new Promise<void>((resolve, reject) => { tcp.once("error", reject); tcp.listen(port, host, () => resolve()); });
  const bound = (tcp.address() as { port: number }).port;
  const udp = createSocket(host.includes(":") ? "udp6" : "udp4");
  udp.on("message", (msg, rinfo) => {
    const reply = answerQuery(table, msg);
    if (reply) udp.send(reply, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve, reject) => { udp.once("error", reject); udp.bind(bound, host, () => resolve()); });
  return { host, port: bound, close: () => closeBoth(tcp, udp) };
}

async function closeBoth(tcp: Server, udp: UdpSocket): Promise<void> {
  await new Promise<void>((resolve) => udp.close(() => resolve()));
  await new Promise<void>((resolve) => tcp.close(() => resolve()));
}
