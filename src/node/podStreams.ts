/**
 * The node agents' side of streams into their pods (src/podStreams/protocol.ts): each agent answers
 * `<p>.podstream.<node>.open` and takes the frames of its sessions on the same tree. An exec runs through the
 * node's runtime; a port-forward connects to the port on the pod's address (portForward.ts) while the pod runs here.
 */
import type { Msg, NatsConnection, Subscription } from "@nats-io/transport-node";
import { StatusError } from "../api/status.js";
import type { Logger } from "../log.js";
import { respondSafely } from "../nats/respond.js";
import { safeJson } from "../nats/safeJson.js";
import { FrameLink } from "../podStreams/link.js";
import {
  Channel, OpenStream, execFailure, execStatus, nodeStreamTree, terminalSizes, type OpenAttach, type OpenExec, type OpenPortForward,
} from "../podStreams/protocol.js";
import { startPortForward } from "./portForward.js";
import type { ContainerRuntime, ExecProcess } from "./runtime.js";

/** What the streams need of an agent. */
export interface StreamingAgent {
  name: string;
  runtime: ContainerRuntime;
}

/** Why a session cannot open (NotFound unless said otherwise). */
interface Refusal {
  error: string;
  reason?: "BadRequest";
}

/** A started stream: its link, and how to end it. */
interface Started {
  link: FrameLink;
  stop(): void;
}

/** One open session: what it asked of which runtime. */
interface Session extends Started {
  runtime: ContainerRuntime;
  req: OpenStream;
}

/** Serves the streams of `agents` on `nc`; `stop` ends every session. */
export function servePodStreams(nc: NatsConnection, prefix: string, agents: readonly StreamingAgent[], log: Logger): { stop(): void } {
  const sessions = new Map<string, Session>();
  const byName = new Map(agents.map((a) => [a.name, a]));
  // A process of many nodes (the shared node user's) takes them all on one subscription; one node, on its own tree.
  const tree = agents.length === 1 ? nodeStreamTree(prefix, agents[0]?.name ?? "") : nodeStreamTree(prefix, "*");
  const nodeAt = prefix.split(".").length + 1;
  const subs: Subscription[] = agents.length === 0 ? [] : [nc.subscribe(tree, {
    callback: (err, msg) => {
      if (err) return;
      const tokens = msg.subject.split(".");
      const agent = byName.get(tokens[nodeAt] ?? "");
      const last = tokens[nodeAt + 1] ?? "";
      if (!agent || tokens.length !== nodeAt + 2) return;
      if (last !== "open") return sessions.get(`${agent.name}/${last}`)?.link.received(msg.data);
      open(agent, msg);
    },
  })];

  const open = (agent: StreamingAgent, msg: Msg) => {
    const parsed = OpenStream.safeParse(safeJson(msg.data));
    if (!parsed.success) return respondSafely(msg, fail(new StatusError("BadRequest", `not a stream request: ${parsed.error.issues[0]?.message ?? ""}`)), log);
    const req = parsed.data;
    const key = `${agent.name}/${req.session}`;
    if (sessions.has(key)) return respondSafely(msg, fail(new StatusError("AlreadyExists", `session ${req.session} is open`)), log);
    const forget = () => sessions.delete(key);
    const session = req.kind !== "portforward" ? startExec(nc, agent.runtime, req, forget, log) : forwardPort(nc, agent, req, forget);
    if ("error" in session) return respondSafely(msg, fail(new StatusError((session as Refusal).reason ?? "NotFound", session.error)), log);
    sessions.set(key, { ...session, runtime: agent.runtime, req });
    respondSafely(msg, { ok: true }, log);
  };

  // A session lives with its container (a port-forward with its pod): as the kubelet's, it ends when that stops. An
  // attach is ended by its runtime, with its Status, once the container has ended (its last output sent).
  const offs = agents.map((agent) => agent.runtime.onChange((uid) => {
    if (sessions.size === 0) return;
    for (const s of [...sessions.values()]) {
      const { kind } = s.req;
      if (kind !== "attach" && s.runtime === agent.runtime && s.req.uid === uid && !runs(agent.runtime, uid, kind === "exec" ? s.req.container : undefined)) s.stop();
    }
  }));

  return {
    stop() {
      for (const off of offs) off();
      for (const s of subs) s.unsubscribe();
      for (const s of [...sessions.values()]) s.stop();
    },
  };
}

/**
 * Runs an exec (or attaches) and links it to its session (the runtime reports only after this returns, never within
 * `exec` or `attach`).
 */
function startExec(nc: NatsConnection, runtime: ContainerRuntime, req: OpenExec | OpenAttach, forget: () => void, log: Logger): Started | { error: string } {
  let link: FrameLink | undefined;
  const how = { command: req.kind === "exec" ? req.command : [], stdin: req.stdin, stdout: req.stdout, stderr: req.stderr, tty: req.tty };
  const proc: ExecProcess | { error: string } = runtime[req.kind](req.uid, req.container, how, {
    output: (channel, data) => {
      if (!link || "error" in proc || !(channel === "stdout" ? req.stdout || req.tty : req.stderr)) return undefined;
      return link.sendFrom(channel === "stdout" ? Channel.stdout : Channel.stderr, data, proc);
    },
    exited: (result) => {
      link?.send(Channel.error, JSON.stringify("error" in result ? execFailure(result.error, req.kind) : execStatus(result.exitCode, how.command)));
      link?.close();
    },
  });
  if ("error" in proc) return proc;
  link = new FrameLink(nc, req.output, {
    frame: (channel, data) => {
      if (channel === Channel.stdin) return proc.write(data);
      if (channel === Channel.resize) resize(proc, data, log);
      if (channel === Channel.close && data[0] === Channel.stdin) proc.closeStdin();
      return undefined;
    },
    ended: () => {
      proc.kill();
      forget();
    },
  });
  const own = link;
  return { link: own, stop: () => own.close() };
}

/**
 * A client's new terminal sizes, to the command (a runtime without a terminal ignores them). A malformed one is logged
 * and skipped; the session and later sizes go on (the kubelet keeps the session too, but reads no size after it).
 */
function resize(proc: ExecProcess, data: Uint8Array, log: Logger): void {
  const { sizes, errors } = terminalSizes(data);
  for (const error of errors) log.debug({ error }, "ignored a malformed terminal size");
  for (const size of sizes) proc.resize?.(size);
}

/** True when `uid` has a running container on `runtime` (`container`, when named). */
function runs(runtime: ContainerRuntime, uid: string, container?: string): boolean {
  return runtime.containers().some((r) => r.podUid === uid && r.phase === "running" && (container === undefined || r.container === container));
}

/** A port-forward: to a pod running here on real processes (a simulated pod has nothing listening, and its address is no pod's). */
function forwardPort(nc: NatsConnection, agent: StreamingAgent, req: OpenPortForward, forget: () => void): ReturnType<typeof startPortForward> | Refusal {
  if (agent.runtime.kind === "sim") return { error: `pod ${req.pod} runs on simulated node ${agent.name}: nothing listens in a simulated container`, reason: "BadRequest" };
  if (!runs(agent.runtime, req.uid)) return { error: `pod ${req.pod} (uid ${req.uid}) runs no container on node ${agent.name}` };
  return startPortForward(nc, req, forget);
}

function fail(e: StatusError): { ok: false; status: ReturnType<StatusError["toStatus"]> } {
  return { ok: false, status: e.toStatus() };
}

