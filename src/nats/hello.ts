/**
 * Protocol versions between components: every process announces itself on `<prefix>.sys.hello` and answers
 * the announcements of others, so a process that would misread its peers finds out before it acts: one that speaks
 * an incompatible protocol, or that seals Secrets with another key (src/events/sealing.ts), refuses to start.
 */
import type { NatsConnection, Subscription } from "@nats-io/transport-node";
import { safeJson } from "./safeJson.js";
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
  /** The id of the key this process seals Secrets' events with (never the key). */
  sealingKey: z.string().optional(),
});
export type Hello = z.infer<typeof Hello>;

/** Thrown when a peer speaks an incompatible protocol or seals with another key. */
export class ProtocolMismatch extends Error {
  override name = "ProtocolMismatch";
}

/** True when two protocol versions can talk. Pure. */
export function compatible(a: Hello["protocol"], b: Hello["protocol"]): boolean {
  return a.major === b.major;
}

/** Why `me` cannot work beside `peer` (another protocol, another sealing key), or null. Pure. */
export function mismatchOf(me: Hello, peer: Hello): string | null {
  if (!compatible(peer.protocol, me.protocol)) {
    return `${peer.component} ${peer.identity} speaks protocol ${peer.protocol.major}.${peer.protocol.minor}; this ${me.component} speaks ${me.protocol.major}.${me.protocol.minor}. Refusing to act: upgrade one side.`;
  }
  if (peer.sealingKey !== undefined && me.sealingKey !== undefined && peer.sealingKey !== me.sealingKey) {
    return `${peer.component} ${peer.identity} seals Secrets with key ${peer.sealingKey}; this ${me.component} has key ${me.sealingKey} `
      + "(<data-dir>/pki/encryption.key). Refusing to act: every part needs the cluster's key; copy it from a running part's data folder.";
  }
  return null;
}

/** A running announcement: answers peers' hellos until `stop`. */
export interface Announcement {
  peers: Hello[];
  stop(): void;
}

/**
 * Announces `self`, collects the answers of the processes already running (for `waitMs`), and throws
 * ProtocolMismatch when one of them speaks an incompatible protocol or seals with another key. Later newcomers
 * that do are reported through `onMismatch` (the newcomer itself refuses to start).
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
      if (mismatchOf(me, peer.data)) opts.onMismatch?.(peer.data);
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
  const why = peers.map((p) => mismatchOf(me, p)).find((m) => m !== null);
  if (why) {
    sub.unsubscribe();
    throw new ProtocolMismatch(why);
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

