/**
 * Do the replicas of a clustered stream hold the same messages? nats-server 2.9 (Debian's 2.9.10) can leave a server
 * restarted after a kill -9, or deposed while paused, with a replica that silently lacks some messages and holds
 * every later one at a shifted sequence: its count of failed proposals (clfs) no longer matches the leader's, and it
 * skips what the others store. A consumer or direct get served by that replica then reads another history than
 * the leader's, and no client can mend it. The fault specs ask this when a fault test fails, so that such a
 * failure says it is the server's replica and not the system's history.
 */
import type { NatsConnection } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";
import { createHash } from "node:crypto";
import { DirectGet, type DirectMessage } from "../../src/events/directGet.js";

/** What one sequence read back from the replicas that answered. */
export interface SequenceAnswers {
  seq: number;
  /** `subject#digest` of each answer that held a message (a replica not there yet answers nothing). */
  answers: string[];
}

/** The first sequence whose answers disagree, described; null when every sampled sequence got one message. Pure. */
export function firstDisagreement(samples: readonly SequenceAnswers[]): string | null {
  for (const { seq, answers } of samples) {
    const distinct = [...new Set(answers)];
    if (distinct.length > 1) return `sequence ${seq} reads as ${distinct.map((a) => `${a} (×${answers.filter((x) => x === a).length})`).join(" and as ")}`;
  }
  return null;
}

/** The sequences to sample in a stream ending at `last`: `count` spread over it, and the last ones. Pure. */
export function sampleSequences(last: number, count: number): number[] {
  const out = new Set<number>();
  for (let i = 1; i <= count; i++) out.add(Math.max(1, Math.round((last * i) / count)));
  for (let s = Math.max(1, last - 8); s <= last; s++) out.add(s);
  return [...out].sort((a, b) => a - b);
}

const answerOf = (m: DirectMessage) => `${m.subject.split(".").slice(-2).join(".")}#${createHash("sha1").update(m.data).digest("hex").slice(0, 8)}`;

/** What the replicas answer for sampled sequences of `stream`, each asked `asks` times (a direct get is answered by any replica). Does I/O. */
export async function replicaAnswers(nc: NatsConnection, stream: string, opts = { samples: 48, asks: 9 }): Promise<SequenceAnswers[]> {
  const jsm = await jetstreamManager(nc, { checkAPI: false });
  const last = (await jsm.streams.info(stream)).state.last_seq;
  const gets = new DirectGet(nc, 2_000);
  // All at once: a replica that does not answer costs one timeout (2 s), not one per sequence.
  return Promise.all(sampleSequences(last, opts.samples).map(async (seq) => {
    const replies = await Promise.all(Array.from({ length: opts.asks }, () => gets.get(stream, { seq }).catch(() => null)));
    return { seq, answers: replies.filter((m): m is DirectMessage => m !== null).map(answerOf) };
  }));
}

/** The first disagreement between the replicas of `stream`, described, or null. Does I/O. */
export async function replicaDisagreement(nc: NatsConnection, stream = "COX_EVENTS"): Promise<string | null> {
  const found = firstDisagreement(await replicaAnswers(nc, stream));
  return found && `the replicas of ${stream} disagree: ${found}`;
}
