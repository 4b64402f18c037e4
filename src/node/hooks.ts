/**
 * A lifecycle hook's handler on the process runtime, as the kubelet runs one: `exec` runs its command (non-zero or
 * a timeout fails); `httpGet` sends a GET to the pod's address (or `host`) on its port by number or name, and fails
 * only when no answer comes (any HTTP status will do, as the kubelet's hooks judge it); `sleep` waits its seconds,
 * cut short at `timeoutMs` (the end of the grace period for preStop).
 */
import type { LifecycleHandler } from "../api/containerHandlers.js";
import type { Container } from "../api/podSpec.js";
import { httpGet, httpTarget, probePort, runExec, targetUrl, type CheckResult } from "./probes.js";

/** Runs `handler` for `container` within `timeoutMs`; resolves with its outcome (never rejects). */
export async function runLifecycleHandler(container: Container, handler: LifecycleHandler, env: Record<string, string>, timeoutMs: number, cwd?: string): Promise<CheckResult> {
  if (handler.exec) return runExec(handler.exec.command, env, timeoutMs, cwd);
  if (handler.sleep) {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(handler.sleep?.seconds ?? 0, timeoutMs / 1000) * 1000)));
    return { ok: true };
  }
  if (!handler.httpGet) return { ok: false, message: "the hook has no handler" };
  const port = probePort(container, handler.httpGet.port);
  if (port === undefined) return { ok: false, message: `couldn't find port: ${String(handler.httpGet.port)} in container "${container.name}"` };
  const target = httpTarget(handler.httpGet, port, env.POD_IP ?? "127.0.0.1", "lifecycle");
  const got = await httpGet(target, timeoutMs);
  return "error" in got ? { ok: false, message: `GET ${targetUrl(target)}: ${got.error}` } : { ok: true };
}
