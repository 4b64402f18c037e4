/**
 * Liveness probes and lifecycle hooks of the process runtime. An exec action runs its command (with the
 * container's env) on the host; non-zero or a timeout is a failure. An httpGet probe asks
 * `http://127.0.0.1:<port><path>`; 200-399 is a success.
 */
import { execFile } from "node:child_process";
import type { Container } from "../api/podSpec.js";

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
export async function runHttpGet(port: number, path: string | undefined, timeoutMs: number): Promise<CheckResult> {
  const url = `http://127.0.0.1:${port}${path?.startsWith("/") ? path : `/${path ?? ""}`}`;
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

/** Runs a container's liveness probe every period and calls `onFailure` once after `failureThreshold` failures in a row. */
export class LivenessProbe {
  private timer: NodeJS.Timeout | null = null;
  private failures = 0;
  private stopped = false;

  constructor(
    private readonly container: Container,
    private readonly env: Record<string, string>,
    private readonly onFailure: (message: string) => void,
  ) {}

  /** Starts probing after the initial delay (counted from `startedAtMs`). */
  start(startedAtMs: number): void {
    const probe = this.container.livenessProbe;
    if (!probe) return;
    const delay = Math.max(0, startedAtMs + probe.initialDelaySeconds * 1000 - Date.now());
    this.timer = setTimeout(() => void this.check(), delay);
  }

  /** Stops probing. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async check(): Promise<void> {
    const probe = this.container.livenessProbe;
    if (!probe || this.stopped) return;
    const timeoutMs = Math.min(probe.periodSeconds * 1000, 10_000);
    const port = probe.httpGet ? probePort(this.container, probe.httpGet.port) : undefined;
    const result = probe.exec
      ? await runExec(probe.exec.command, this.env, timeoutMs)
      : port === undefined ? { ok: false, message: `no port named ${String(probe.httpGet?.port)}` } : await runHttpGet(port, probe.httpGet?.path, timeoutMs);
    if (this.stopped) return;
    this.failures = result.ok ? 0 : this.failures + 1;
    if (this.failures >= probe.failureThreshold) {
      this.stop();
      this.onFailure(`Liveness probe failed: ${result.message ?? "unknown"}`);
      return;
    }
    this.timer = setTimeout(() => void this.check(), probe.periodSeconds * 1000);
  }
}
