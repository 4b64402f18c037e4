/**
 * The handlers of probes and lifecycle hooks on the process runtime. An exec action runs its command (with the
 * container's env) on the host; non-zero or a timeout is a failure. An httpGet probe asks
 * `<scheme>://<host>:<port><path>` with its headers (the kubelet's default host, the pod's IP; 127.0.0.1 for a pod
 * without an address of its own); 200-399 is a success. A tcpSocket probe succeeds when a connection to its host
 * (default: the same) opens; a grpc probe when the pod's gRPC health service answers SERVING (grpcHealth.ts).
 */
import { execFile } from "node:child_process";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { connect } from "node:net";
import type { HttpGetAction } from "../api/containerHandlers.js";
import type { Container, Probe } from "../api/podSpec.js";
import { runGrpcHealthCheck } from "./grpcHealth.js";

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

/** Where an httpGet goes: its URL's parts and the headers it sends. */
export interface HttpTarget {
  scheme: "http" | "https";
  host: string;
  port: number;
  path: string;
  headers: Record<string, string>;
}

/**
 * The request of an httpGet action against `port` as the kubelet makes it: host `action.host`, else `podHost`; the
 * path with a leading `/`; `User-Agent: kube-<who>/…` and `Accept: *\/*` unless `httpHeaders` set them (a `Host`
 * header among them names the virtual host). Pure.
 */
export function httpTarget(action: HttpGetAction, port: number, podHost: string, who: "probe" | "lifecycle"): HttpTarget {
  const headers: Record<string, string> = { "User-Agent": `kube-${who}/1.32`, Accept: "*/*" };
  for (const h of action.httpHeaders ?? []) {
    const known = Object.keys(headers).find((k) => k.toLowerCase() === h.name.toLowerCase());
    if (known) delete headers[known];
    headers[h.name] = h.value;
  }
  const path = action.path?.startsWith("/") ? action.path : `/${action.path ?? ""}`;
  return { scheme: action.scheme === "HTTPS" ? "https" : "http", host: action.host || podHost, port, path, headers };
}

/** The URL of `t`, for messages. Pure. */
export function targetUrl(t: HttpTarget): string {
  return `${t.scheme}://${t.host.includes(":") ? `[${t.host}]` : t.host}:${t.port}${t.path}`;
}

/** Sends a GET to `t` (HTTPS unverified, as the kubelet); resolves with the status code or the error (never rejects). */
export function httpGet(t: HttpTarget, timeoutMs: number): Promise<{ status: number } | { error: string }> {
  const request = t.scheme === "https" ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    try {
      // The path escaped as a URL's (a space, a character outside Latin-1), its query and escapes kept, as the kubelet parses it.
      const url = new URL(t.path, "http://probe");
      const req = request({
        host: t.host, port: t.port, path: `${url.pathname}${url.search}`, method: "GET", headers: t.headers, rejectUnauthorized: false,
        signal: AbortSignal.timeout(Math.max(1, timeoutMs)),
      }, (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0 });
      });
      req.on("error", (err) => resolve({ error: err.name === "AbortError" || err.name === "TimeoutError" ? `timed out after ${timeoutMs} ms` : err.message }));
      req.end();
    } catch (err) {
      // A header value Node refuses to send (a line break in it): the check fails, the agent goes on.
      resolve({ error: err instanceof Error ? err.message : String(err) });
    }
  });
}

/** Asks an HTTP endpoint as a probe: 200-399 is a success; resolves with its outcome (never rejects). */
export async function runHttpGet(t: HttpTarget, timeoutMs: number): Promise<CheckResult> {
  const got = await httpGet(t, timeoutMs);
  if ("error" in got) return { ok: false, message: `GET ${targetUrl(t)}: ${got.error}` };
  return got.status >= 200 && got.status < 400 ? { ok: true } : { ok: false, message: `GET ${targetUrl(t)}: HTTP probe failed with statuscode: ${got.status}` };
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
  // A pod's server listens on its own address (POD_IP), which is where the kubelet probes.
  const podHost = env.POD_IP ?? "127.0.0.1";
  if (probe.grpc) return runGrpcHealthCheck(podHost, probe.grpc.port, probe.grpc.service ?? "", timeoutMs);
  const handler = probe.httpGet ?? probe.tcpSocket;
  const port = handler && probePort(container, handler.port);
  if (port === undefined) return Promise.resolve({ ok: false, message: `no port named ${String(handler?.port)}` });
  if (probe.httpGet) return runHttpGet(httpTarget(probe.httpGet, port, podHost, "probe"), timeoutMs);
  return runTcp(probe.tcpSocket?.host ?? podHost, port, timeoutMs);
}
