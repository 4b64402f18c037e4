/**
 * The floors beside figure 3b: a process that answers every request on one subject and does nothing else. Timed
 * through it during the scale-up, a request crosses the same client, nats-server and a process wake-up on the same
 * two busy cores as a command does, without the actor host's work.
 * - `echo`: it answers with the request's own payload. What is left of a command's latency above it is the host's
 *   and its append's.
 * - `append`: it first appends the payload to a stream of its own, as the event store appends an event (over the
 *   same publisher, with a message id and the guard on the subject's last sequence; the requests take 200 subjects
 *   in turn, as figure 3's commands take 200 namespaces), and answers once the stream has acknowledged it. No command
 *   that stores an event can beat it: what is left above it is the host's own work and its wait for the busy host.
 */
import { fileURLToPath } from "node:url";
import { connect, type Msg, type NatsConnection } from "@nats-io/transport-node";
import { StreamPublisher } from "../src/events/publisher.js";
import { isWrongLastSequence, lastSequenceNamed } from "../src/events/streamErrors.js";
import { Streams, type StreamSpec } from "../src/events/streams.js";
import { startScript } from "../test/harness/processes.js";

const READY = "echo responder ready";

/** What the responder does before it answers: nothing, or append the request to its stream. */
export type ResponderMode = "echo" | "append";

/** The stream an `append` responder on `subject` stores into (one per subject: a stream's name holds no dots). */
export function floorStream(subject: string): string {
  return `BENCH_FLOOR_${subject.replace(/[^A-Za-z0-9]/g, "_").toUpperCase()}`;
}

/** How many subjects an `append` responder's requests take in turn (figure 3's commands take as many namespaces). */
export const FLOOR_SUBJECTS = 200;

/** Starts the responder on `subject` in a process of its own; `stop` ends it (SIGTERM) and waits for the exit. */
export async function startEchoResponder(url: string, subject: string, mode: ResponderMode = "echo"): Promise<{ stop(): Promise<void> }> {
  const proc = startScript("bench/echoResponder.ts", [url, subject, mode], {}, ["--import", "tsx"]);
  await proc.waitFor(READY, 60_000).catch((err: unknown) => {
    proc.child.kill("SIGKILL");
    throw err;
  });
  return {
    async stop() {
      if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill("SIGTERM");
      await proc.exited;
    },
  };
}

/**
 * An answer for each request that first appends its payload to `floorStream(subject)`, one subject of
 * `subject.log.<n>` after another; each subject's appends are guarded by its last sequence and made one at a time,
 * as an entity's are. A refusal for a wrong last sequence names the subject's actual one, which the next append
 * then expects, as the event store's callers do; message ids carry this process's own start.
 */
async function appender(nc: NatsConnection, subject: string): Promise<(m: Msg) => void> {
  const spec: StreamSpec = { subjects: [`${subject}.log.>`], storage: "file", duplicateWindowMs: 120_000, allowDirect: true };
  await (await Streams.open(nc)).ensure(floorStream(subject), spec);
  const publisher = new StreamPublisher(nc);
  const last = new Map<string, Promise<number>>();
  const run = `${process.pid}-${Date.now()}`;
  let taken = 0;
  return (m) => {
    const n = taken++;
    const on = `${subject}.log.${n % FLOOR_SUBJECTS}`;
    const before = last.get(on) ?? Promise.resolve(0);
    const appended = before.then((seq) => publisher.publish(on, m.data, { msgId: `floor-${run}-${n}`, expectLastSubjectSequence: seq }));
    last.set(on, appended.then((ack) => ack.sequence, (err: unknown) => (isWrongLastSequence(err) ? lastSequenceNamed(err) : undefined) ?? before));
    // A refused append is answered with an empty payload, which the load counts as a failure (echoLoad). A reply
    // after the connection closed (SIGTERM while appends were under way) is dropped.
    appended.then(() => m.respond(m.data), () => m.respond()).catch(() => undefined);
  };
}

/** The process's side: answer each request until SIGTERM. */
async function serve(url: string, subject: string, mode: ResponderMode): Promise<void> {
  const nc = await connect({ servers: url, maxReconnectAttempts: -1 });
  const answer = mode === "append" ? await appender(nc, subject) : (m: Msg) => m.respond(m.data);
  nc.subscribe(subject, { callback: (err, m) => { if (!err) answer(m); } });
  await nc.flush();
  process.once("SIGTERM", () => void nc.close().then(() => process.exit(0)));
  process.stdout.write(`${READY}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await serve(process.argv[2] ?? "", process.argv[3] ?? "", process.argv[4] === "append" ? "append" : "echo");
