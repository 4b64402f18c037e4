/**
 * Protocol versions between components: every process announces itself on `<prefix>.sys.hello` and answers
 * the announcements of others, so a process that would misread its peers finds out before it acts.
 */
import type { NatsConnection, Subscription } from "@nats-io/transport-node";
import { readFileSync } from "node:fs";
import { z } from "zod";

/** The wire protocol this code speaks. Peers are compatible when the major numbers agree. */
export const PROTOCOL_VERSION = { major: 1, minor: 0 } as const;

/** The software version of this code (package.json). */
export const SOFTWARE_VERSION: string = (() => {
  try {
    return (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version?: string }).version ?? "unknown";
  } catch {
    return "unknown";
  }
})();

/** A hello: who a process is, which protocol and software version it speaks, and since when it runs. */
export const Hello = z.object({
  component: z.string(),
  identity: z.string(),
  protocol: z.object({ major: z.number().int(), minor: z.number().int() }),
  version: z.string().optional(),
  startedAt: z.string().optional(),
});
export type Hello = z.infer<typeof Hello>;

/** Thrown when a peer speaks an incompatible protocol. */
export class ProtocolMismatch extends Error {
  override name = "ProtocolMismatch";
}

/** True when two protocol versions can talk. Pure. */
export function compatible(a: Hello["protocol"], b: Hello["protocol"]): boolean {
  return a.major === b.major;
}

/** A running announcement: answers peers' hellos until `stop`. */
export interface Announcement {
  peers: Hello[];
  stop(): void;
}

/**
 * Announces `self`, collects the answers of the processes already running (for `waitMs`), and throws
 * ProtocolMismatch when one of them speaks an incompatible protocol. Later newcomers with an incompatible
 * protocol are reported through `onMismatch` (the newcomer itself refuses to start).
 */
export async function announce(
  nc: NatsConnection, prefix: string, self: Omit<Hello, "protocol">,
  opts: { waitMs?: number; onMismatch?: (peer: Hello) => void } = {},
): Promise<Announcement> {
  const me: Hello = { version: SOFTWARE_VERSION, startedAt: STARTED_AT, ...self, protocol: { ...PROTOCOL_VERSION } };
  const subject = `${prefix}.sys.hello`;
  const sub: Subscription = nc.subscribe(subject, {
    callback: (_err, msg) => {
      const peer = Hello.safeParse(safeJson(msg.data));
      if (!peer.success || peer.data.identity === me.identity) return;
      if (!compatible(peer.data.protocol, me.protocol)) opts.onMismatch?.(peer.data);
      if (msg.reply) msg.respond(JSON.stringify(me));
    },
  });
  await nc.flush();
  const peers: Hello[] = [];
  const replies = await nc.requestMany(subject, JSON.stringify(me), { maxWait: opts.waitMs ?? 150 }).catch(() => null);
  if (replies) {
    for await (const m of replies) {
      const peer = Hello.safeParse(safeJson(m.data));
      if (peer.success && peer.data.identity !== me.identity) peers.push(peer.data);
    }
  }
  const bad = peers.find((p) => !compatible(p.protocol, me.protocol));
  if (bad) {
    sub.unsubscribe();
    throw new ProtocolMismatch(
      `${bad.component} ${bad.identity} speaks protocol ${bad.protocol.major}.${bad.protocol.minor}; this ${self.component} speaks ${me.protocol.major}.${me.protocol.minor}. Refusing to act: upgrade one side.`,
    );
  }
  return { peers, stop: () => sub.unsubscribe() };
}

/** When this process started (RFC 3339). */
const STARTED_AT = new Date(Date.now() - process.uptime() * 1000).toISOString();

/** Every process that answers a hello on `prefix` within `waitMs` (without announcing the asker as a peer). */
export async function listPeers(nc: NatsConnection, prefix: string, asker: string, waitMs = 300): Promise<Hello[]> {
  const me: Hello = { component: "observer", identity: asker, protocol: { ...PROTOCOL_VERSION }, version: SOFTWARE_VERSION };
  const peers: Hello[] = [];
  const replies = await nc.requestMany(`${prefix}.sys.hello`, JSON.stringify(me), { maxWait: waitMs }).catch(() => null);
  for await (const m of replies ?? []) {
    const peer = Hello.safeParse(safeJson(m.data));
    if (peer.success) peers.push(peer.data);
  }
  return peers.sort((a, b) => a.component.localeCompare(b.component) || a.identity.localeCompare(b.identity));
}

function safeJson(data: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(data));
  } catch {
    return null;
  }
}
