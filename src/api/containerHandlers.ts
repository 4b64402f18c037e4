/**
 * What a container's probes and lifecycle hooks do, with the apiserver's checks: an `exec` command, an `httpGet`
 * (path, port number or name, host, scheme, headers), a `tcpSocket`, a `grpc` health check (probes) and a `sleep`
 * (hooks). Schemas and pure checks only; the node agent runs them (src/node/probes.ts, src/node/hooks.ts).
 */
import { z } from "zod";
import { DnsLabel } from "./names.js";

/** A TCP/UDP port number. */
export const PortNumber = z.number().int("must be an integer").min(1, "must be between 1 and 65535").max(65535, "must be between 1 and 65535");

/** A port of the container by number, or by the name of one of its `ports`. */
const PortReference = z.union([PortNumber, DnsLabel.max(15, "a port name must be no more than 15 characters")]);

/** A command to run inside the container. */
export const ExecAction = z.strictObject({ command: z.array(z.string()).min(1, "must not be empty") });

/** The characters of an HTTP header's name, as the apiserver takes them. */
const HEADER_NAME = /^[-A-Za-z0-9]+$/;

/** One header an httpGet sends. */
export const HttpHeader = z.strictObject({
  name: z.string().regex(HEADER_NAME, {
    error: (issue) => `Invalid value: ${JSON.stringify(issue.input)}: a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')`,
  }),
  value: z.string(),
});

/**
 * An HTTP GET against the container: a port number or the name of one of its ports; `host` (default: the pod's IP),
 * `scheme` (default HTTP; HTTPS is not verified, as the kubelet does not verify it) and headers as Kubernetes has them.
 */
export const HttpGetAction = z.strictObject({
  path: z.string().optional(),
  port: PortReference,
  host: z.string().optional(),
  scheme: z.enum(["HTTP", "HTTPS"]).optional(),
  httpHeaders: z.array(HttpHeader).optional(),
});
export type HttpGetAction = z.infer<typeof HttpGetAction>;

/** A TCP connection to the container: a port number or the name of one of its ports (host default: the pod's IP). */
export const TcpSocketAction = z.strictObject({
  port: PortReference,
  host: z.string().min(1).optional(),
});

/** A gRPC health check (grpc.health.v1.Health/Check) on a port by number, of `service` (default: the server as a whole). */
export const GrpcAction = z.strictObject({ port: PortNumber, service: z.string().optional() });
export type GrpcAction = z.infer<typeof GrpcAction>;

/** A hook that waits `seconds` (no more than the pod's grace period; checked on the pod spec). */
export const SleepAction = z.strictObject({ seconds: z.number().int("must be an integer") });

/** The handlers a probe may have; exactly one of them. */
export const PROBE_HANDLERS = ["exec", "httpGet", "tcpSocket", "grpc"] as const;

/** True when exactly one handler is given. Pure. */
export function oneHandler(p: Partial<Record<(typeof PROBE_HANDLERS)[number], unknown>>): boolean {
  return PROBE_HANDLERS.filter((h) => p[h] !== undefined).length === 1;
}

/**
 * How the system checks a container (liveness, readiness, startup): exactly one of `exec`, `httpGet`, `tcpSocket` and
 * `grpc`, with Kubernetes' numbers and defaults. `terminationGracePeriodSeconds` (liveness and startup only) is the
 * grace a container killed for failing this probe gets, instead of the pod's.
 */
export const Probe = z
  .strictObject({
    exec: ExecAction.optional(),
    httpGet: HttpGetAction.optional(),
    tcpSocket: TcpSocketAction.optional(),
    grpc: GrpcAction.optional(),
    initialDelaySeconds: z.number().int().nonnegative().default(0),
    timeoutSeconds: z.number().int().positive().default(1),
    periodSeconds: z.number().int().positive().default(10),
    successThreshold: z.number().int().positive().default(1),
    failureThreshold: z.number().int().positive().default(3),
    terminationGracePeriodSeconds: z.number().int("must be an integer").positive("must be greater than 0").optional(),
  })
  .refine(oneHandler, "must specify exactly one of exec, httpGet, tcpSocket and grpc");
export type Probe = z.infer<typeof Probe>;

/** A lifecycle hook: exactly one of `exec`, `httpGet` and `sleep`. */
export const LifecycleHandler = z
  .strictObject({ exec: ExecAction.optional(), httpGet: HttpGetAction.optional(), sleep: SleepAction.optional() })
  .superRefine((h, ctx) => {
    const given = [h.exec, h.httpGet, h.sleep].filter((x) => x !== undefined).length;
    if (given === 0) ctx.addIssue({ code: "custom", message: "Required value: must specify a handler type" });
    if (given > 1) ctx.addIssue({ code: "custom", message: "Forbidden: may not specify more than 1 handler type" });
  });
export type LifecycleHandler = z.infer<typeof LifecycleHandler>;

/** Hooks run after a container starts and before it is stopped. */
export const Lifecycle = z.strictObject({ postStart: LifecycleHandler.optional(), preStop: LifecycleHandler.optional() });

type WithHooks = { lifecycle?: z.infer<typeof Lifecycle> | undefined; readinessProbe?: Probe | undefined };

/**
 * The checks of a container's handlers that need the pod: a hook's `sleep.seconds` not negative and within the pod's
 * grace period, and no `terminationGracePeriodSeconds` on a readiness probe (the apiserver's words). Pure.
 */
export function checkHandlers(c: WithHooks, gracePeriodSeconds: number, path: readonly (string | number)[], ctx: z.RefinementCtx): void {
  for (const hook of ["postStart", "preStop"] as const) {
    const seconds = c.lifecycle?.[hook]?.sleep?.seconds;
    if (seconds !== undefined && (seconds < 0 || seconds > gracePeriodSeconds)) {
      ctx.addIssue({
        code: "custom", path: [...path, "lifecycle", hook, "sleep", "seconds"],
        message: `Invalid value: ${seconds}: must be non-negative and less than terminationGracePeriodSeconds (${gracePeriodSeconds})`,
      });
    }
  }
  if (c.readinessProbe?.terminationGracePeriodSeconds !== undefined) {
    ctx.addIssue({
      code: "custom", path: [...path, "readinessProbe", "terminationGracePeriodSeconds"],
      message: `Invalid value: ${c.readinessProbe.terminationGracePeriodSeconds}: must not be set for readinessProbes`,
    });
  }
}
