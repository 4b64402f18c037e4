/** The one error family of Coxswain: Kubernetes-style Status reasons and codes, and their wire form. */
import { z } from "zod";

/** Every Status reason with its HTTP-like code (PROTOCOL.md §1). */
export const STATUS_CODES = {
  BadRequest: 400,
  Unauthorized: 401,
  Invalid: 422,
  NotFound: 404,
  AlreadyExists: 409,
  Conflict: 409,
  Forbidden: 403,
  MethodNotAllowed: 405,
  StaleTerm: 409,
  TooLarge: 413,
  UnsupportedMediaType: 415,
  Expired: 410,
  TooManyRequests: 429,
  Unavailable: 503,
  Timeout: 504,
  Internal: 500,
} as const;

/** A Status reason. */
export type StatusReason = keyof typeof STATUS_CODES;

/** One field-level cause of an Invalid status (or, with `reason` and no field, another cause: a DisruptionBudget). */
export const StatusCause = z.object({ field: z.string(), message: z.string(), reason: z.string().optional() });
export type StatusCause = z.infer<typeof StatusCause>;

/** The Status object that the wire carries in `{ ok: false, status }`. */
export const Status = z.object({
  code: z.number().int(),
  reason: z.string(),
  message: z.string(),
  details: z
    .object({
      kind: z.string().optional(),
      name: z.string().optional(),
      causes: z.array(StatusCause).optional(),
    })
    .optional(),
});
export type Status = z.infer<typeof Status>;

/** Details attached to a StatusError. */
export interface StatusDetails {
  kind?: string;
  name?: string;
  causes?: StatusCause[];
}

/** An error that the wire sees as a Status; `cause` keeps the original error for logs. */
export class StatusError extends Error {
  override name = "StatusError";
  readonly code: number;

  constructor(
    readonly reason: StatusReason,
    message: string,
    readonly details: StatusDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.code = STATUS_CODES[reason];
  }

  /** The Status as sent on the wire (never a stack). */
  toStatus(): Status {
    const details = Object.keys(this.details).length > 0 ? { details: this.details } : {};
    return { code: this.code, reason: this.reason, message: this.message, ...details };
  }
}

/** Turns any thrown value into a StatusError (unknown errors become Internal). Pure. */
export function toStatusError(err: unknown): StatusError {
  if (err instanceof StatusError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new StatusError("Internal", `internal error: ${message}`, {}, { cause: err });
}

/**
 * Maps zod issues to Status causes with dotted paths (`data.spec.containers[0].image`); a bad key of a map is named
 * in brackets, as the apiserver names it (`data[bad key]`). Pure.
 */
export function causesFromZod(error: z.ZodError, prefix = ""): StatusCause[] {
  return error.issues.flatMap((issue) => {
    // An unknown field is named by its own path (`data.status`), not by the path of the object holding it.
    if (issue.code === "unrecognized_keys") return issue.keys.map((key) => ({ field: joinPath(prefix, [...issue.path, key]), message: "unknown field" }));
    if (issue.code === "invalid_key" && issue.path.length > 0) {
      return [{ field: `${joinPath(prefix, issue.path.slice(0, -1))}[${String(issue.path[issue.path.length - 1])}]`, message: issue.message }];
    }
    if (issue.code === "invalid_value" && "input" in issue && issue.values.length > 1) {
      const supported = issue.values.map((v) => JSON.stringify(v)).join(", ");
      return [{ field: joinPath(prefix, issue.path), message: `Unsupported value: ${JSON.stringify(issue.input)}: supported values: ${supported}` }];
    }
    return [{ field: joinPath(prefix, issue.path), message: issue.message }];
  });
}

function joinPath(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || "<root>";
}

/**
 * An admission's refusal in kube-apiserver's words: `pods "web" is forbidden: <why>` (`resource` qualified by its
 * group where Kubernetes names it so: `priorityclasses.scheduling.k8s.io`). Pure.
 */
export function forbiddenError(resource: string, name: string, why: string, group = ""): StatusError {
  return new StatusError("Forbidden", `${resource}${group ? `.${group}` : ""} "${name}" is forbidden: ${why}`, { kind: resource, name });
}

/** An Invalid StatusError from the refusals a check returns (`path` under `prefix`), as one from zod reads. Pure. */
export function invalidFromIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[], what: { kind: string; name: string }, prefix = ""): StatusError {
  const causes = issues.map((i) => ({ field: joinPath(prefix, i.path), message: i.message }));
  const first = causes[0];
  const summary = first ? `${first.field}: ${first.message}` : "invalid";
  return new StatusError("Invalid", `${what.kind} "${what.name}" is invalid: ${summary}${causes.length > 1 ? ` (and ${causes.length - 1} more)` : ""}`, { ...what, causes });
}

/** An Invalid StatusError from a zod error. Pure. */
export function invalidFromZod(error: z.ZodError, what: { kind?: string; name?: string }, prefix = ""): StatusError {
  const causes = causesFromZod(error, prefix);
  const first = causes[0];
  const summary = first ? `${first.field}: ${first.message}` : "invalid";
  const subject = what.kind ? `${what.kind}${what.name ? ` "${what.name}"` : ""} is invalid` : "request is invalid";
  return new StatusError("Invalid", `${subject}: ${summary}${causes.length > 1 ? ` (and ${causes.length - 1} more)` : ""}`, {
    ...what,
    causes,
  });
}
