/**
 * The floor beside figure 3b: a process that answers every request on one subject with its own payload and does
 * nothing else. Timed through it during the scale-up, a bare request-reply crosses the same client, nats-server and
 * a process wake-up on the same two busy cores as a command does, without the actor host's work: what is left of a
 * command's latency above it is the host's and its append's.
 */
import { fileURLToPath } from "node:url";
import { connect } from "@nats-io/transport-node";
import { startScript } from "../test/harness/processes.js";

const READY = "echo responder ready";

/** Starts the responder on `subject` in a process of its own; `stop` ends it (SIGTERM) and waits for the exit. */
export async function startEchoResponder(url: string, subject: string): Promise<{ stop(): Promise<void> }> {
  const proc = startScript("bench/echoResponder.ts", [url, subject], {}, ["--import", "tsx"]);
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

/** The process's side: answer each request with its payload until SIGTERM. */
async function serve(url: string, subject: string): Promise<void> {
  const nc = await connect({ servers: url, maxReconnectAttempts: -1 });
  nc.subscribe(subject, { callback: (err, m) => { if (!err) m.respond(m.data); } });
  await nc.flush();
  process.once("SIGTERM", () => void nc.close().then(() => process.exit(0)));
  process.stdout.write(`${READY}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await serve(process.argv[2] ?? "", process.argv[3] ?? "");
