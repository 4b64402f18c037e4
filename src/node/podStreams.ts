/**
 * The node agents' side of streams into their pods (src/podStreams/protocol.ts): each agent answers
 * `<p>.podstream.<node>.open` and takes the frames of its sessions on the same tree. An exec runs through the
 * node's runtime; a port-forward connects to the port on the pod's address (portForward.ts) while the pod runs here.
 */
import type { Msg, NatsConnection, Subscription } from "@nats-io/transport-node";
import { StatusError } from "../api/status.js";
import type { Logger } from "../log.js";
import { respondSafely } from "../nats/respond.js";
import { FrameLink } from "../podStreams/link.js";
import { Channel, OpenStream, execFailure, execStatus, nodeStreamTree, type OpenExec } from "../podStreams/protocol.js";
import { startPortForward } from "./portForward.js";
import type { ContainerRuntime } from "./runtime.js";

/** What the streams need of an agent. */
export interface StreamingAgent {
  name: string;
  runtime: ContainerRuntime;
}

/** One open session: its link, and what its frames drive. */
interface Session {
  link: FrameLink;
  stop(): void;
}

/** Serves the streams of `agents` on `nc`; `stop` ends every session. */
export function servePodStreams(nc: NatsConnection, prefix: string, agents: readonly StreamingAgent[], log: Logger): { stop(): void } {
  const sessions = new Map<string, Session>();
  const subs: Subscription[] = agents.map((agent) => nc.subscribe(nodeStreamTree(prefix, agent.name), {
    callback: (err, msg) => {
      if (err) return;
      const last = msg.subject.slice(msg.subject.lastIndexOf(".") + 1);
      if (last !== "open") return sessions.get(`${agent.name}/${last}`)?.link.received(msg.data);
      open(agent, msg);
    },
  }));

  const open = (agent: StreamingAgent, msg: Msg) => {
    const parsed = OpenStream.safeParse(safeJson(msg.data));
    if (!parsed.success) return respondSafely(msg, fail(new StatusError("BadRequest", `not a stream request: ${parsed.error.issues[0]?.message ?? ""}`)), log);
    const req = parsed.data;
    const key = `${agent.name}/${req.session}`;
    if (sessions.has(key)) return respondSafely(msg, fail(new StatusError("AlreadyExists", `session ${req.session} is open`)), log);
    const forget = () => sessions.delete(key);
    const session = req.kind === "exec" ? startExec(nc, agent.runtime, req, forget)
      : runsPod(agent.runtime, req.uid) ? startPortForward(nc, req, forget) : { error: `pod ${req.pod} (uid ${req.uid}) runs no container on node ${agent.name}` };
    if ("error" in session) return respondSafely(msg, fail(new StatusError("NotFound", session.error)), log);
    sessions.set(key, session);
    respondSafely(msg, { ok: true }, log);
  };

  return {
    stop() {
      for (const s of subs) s.unsubscribe();
      for (const s of [...sessions.values()]) s.stop();
    },
  };
}

/** Runs an exec and links it to its session (the runtime reports only after this returns, never within `exec`). */
function startExec(nc: NatsConnection, runtime: ContainerRuntime, req: OpenExec, forget: () => void): Session | { error: string } {
  let link: FrameLink | undefined;
  const proc = runtime.exec(req.uid, req.container, { command: req.command, stdin: req.stdin, tty: req.tty }, {
    output: (channel, data) => {
      if (channel === "stdout" ? req.stdout || req.tty : req.stderr) link?.send(channel === "stdout" ? Channel.stdout : Channel.stderr, data);
    },
    exited: (result) => {
      link?.send(Channel.error, JSON.stringify("error" in result ? execFailure(result.error) : execStatus(result.exitCode, req.command)));
      link?.close();
    },
  });
  if ("error" in proc) return proc;
  link = new FrameLink(nc, req.output, {
    frame: (channel, data) => {
      if (channel === Channel.stdin) proc.write(data);
      else if (channel === Channel.close && data[0] === Channel.stdin) proc.closeStdin();
    },
    ended: () => {
      proc.kill();
      forget();
    },
  });
  const own = link;
  return { link: own, stop: () => own.close() };
}

/** True when `uid` has a running container on `runtime`. */
function runsPod(runtime: ContainerRuntime, uid: string): boolean {
  return runtime.containers().some((r) => r.podUid === uid && r.phase === "running");
}

function fail(e: StatusError): { ok: false; status: ReturnType<StatusError["toStatus"]> } {
  return { ok: false, status: e.toStatus() };
}

function safeJson(data: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(data).toString("utf8"));
  } catch {
    return undefined;
  }
}
