/**
 * The handlers of probes and lifecycle hooks on the process runtime. An exec action runs its command (with the
 * container's env) on the host; non-zero or a timeout is a failure. An httpGet probe asks
 * `http://<pod IP>:<port><path>` (the kubelet's default host; 127.0.0.1 for a pod without an address of its own);
 * 200-399 is a success. A tcpSocket probe succeeds when a connection to its host (default: the same) opens.
 */
import { execFile } from "node:child_process";
import { connect } from "node:net";
import type { Container, Probe } from "../api/podSpec.js";

/** How a check went. */
export interface CheckResult {
  ok: boolean;
  message?: string;
}

/** Runs an exec action; resolves with its outcome (never rejects). */
export function runExec(command: string[], env: Record<string, string>, timeoutMs: number, cwd?: string): Promise<CheckResult> {
  const [file, ...args] = command;
  return new Promise((resolve) => {
    execFile(file ?? "", args, { env, timeout: Math.max(1, timeoutMs), cwd, killSignal: "SIGKILL" }, (err, _stdout, stderr) => {
      if (!err) return resolve({ ok: true });
      const code = (err as { code?: unknown }).code;
      const why = err.killed ? `timed out after ${timeoutMs} ms` : typeof code === "number" ? `exited with ${code}` : err.message;
      resolve({ ok: false, message: `${command.join(" ")}: ${why}${stderr ? `: ${String(stderr).trim().slice(0, 200)}` : ""}` });
    });
  });
}

/** Asks an HTTP endpoint; resolves with its outcome (never rejects). */
export async function runHttpGet(host: string, port: number, path: string | undefined, timeoutMs: number): Promise<CheckResult> {
  const url = `http://${host}:${port}${path?.startsWith("/") ? path : `/${path ?? ""}`}`;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: "manual" });
    await res.body?.cancel();
    return res.status >= 200 && res.status < 400 ? { ok: true } : { ok: false, message: `GET ${url}: HTTP ${res.status}` };
  } catch (err) {
    return { ok: false, message: `GET ${url}: ${(err as Error).message}` };
  }
}

/** The port number of an httpGet probe: a number, or the name of one of the container's ports. Pure. */
export function probePort(container: Container, port: number | string): number | undefined {
  if (typeof port === "number") return port;
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

/** Opens a TCP connection to `host:port`; resolves with its outcome (never rejects). */
export function runTcp(host: string, port: number, timeoutMs: number): Promise<CheckResult> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (result: CheckResult) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done({ ok: false, message: `dial tcp ${host}:${port}: i/o timeout` }));
    socket.once("connect", () => done({ ok: true }));
    socket.once("error", (err) => done({ ok: false, message: `dial tcp ${host}:${port}: ${err.message}` }));
  });
}

/** Runs one probe's handler against a process container (on this host, exec in `cwd`), within the probe's timeout. */
export function runProbe(container: Container, probe: Probe, env: Record<string, string>, cwd?: string): Promise<CheckResult> {
  const timeoutMs = probe.timeoutSeconds * 1000;
  if (probe.exec) return runExec(probe.exec.command, env, timeoutMs, cwd);
  const handler = probe.httpGet ?? probe.tcpSocket;
  const port = handler && probePort(container, handler.port);
  if (port === undefined) return Promise.resolve({ ok: false, message: `no port named ${String(handler?.port)}` });
  // A pod's server listens on its own address (POD_IP), which is where the kubelet probes.
  const podHost = env.POD_IP ?? "127.0.0.1";
  if (probe.httpGet) return runHttpGet(podHost, port, probe.httpGet.path, timeoutMs);
  return runTcp(probe.tcpSocket?.host ?? podHost, port, timeoutMs);
}
