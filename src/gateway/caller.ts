/**
 * Who is calling the gateway and what they may do: the HTTP door's authentication, authorization and the command
 * sender that carries the caller's writes on the caller's own role subject tree. The gateway knows callers only
 * through this interface; `src/gateway/auth.ts` builds it from the data folder's tokens and NATS users.
 */
import type { IncomingMessage } from "node:http";
import type { PolicyRule } from "../api/rbac.js";
import type { CommandSender } from "../nats/commandClient.js";

/** What a request asks to do, in Kubernetes' authorization attributes. */
export interface RequestedAccess {
  verb: "get" | "list" | "watch" | "create" | "update" | "patch" | "delete" | "deletecollection";
  resource: string;
  /** Absent on a namespaced resource: every namespace. */
  namespace?: string | undefined;
  name?: string | undefined;
  subresource?: string | undefined;
  apiGroup?: string | undefined;
}

/** An authenticated caller. */
export interface Caller {
  user: string;
  /** The groups it authenticated with (`kubectl auth whoami`); none given: `system:authenticated` alone. */
  groups?: readonly string[];
  /** Its uid (a service account's, from a TokenRequest token). */
  uid?: string;
  /** What else its credentials say (the pod a token is bound to). */
  extra?: Record<string, string[]>;
  /** Returns when the caller may make the request; throws a Forbidden StatusError otherwise. */
  authorize(attrs: RequestedAccess): void;
  /** The sender of this caller's commands for a request it was authorized for (`within` sets how long it waits). */
  sender(attrs: RequestedAccess): CommandSender;
  /** True when the caller may act as another user (Impersonate-User): the cluster's admin only. */
  mayImpersonate?: boolean;
  /** The rules the caller holds in `namespace`, as SelfSubjectRulesReview lists them; undefined: not known (incomplete). */
  rules?(namespace: string | undefined): PolicyRule[] | undefined;
}

/** The door: the caller of a request, or null when it did not authenticate (401). */
export interface CallerResolver {
  callerOf(req: IncomingMessage): Caller | null;
}

/** No authentication: every request is one caller that may do anything, sending with `sender` (tests, `--auth none`). */
export function openDoor(sender: CommandSender, user = "anonymous", groups: readonly string[] = MASTERS): CallerResolver {
  const caller: Caller = { user, groups, authorize: () => undefined, sender: () => sender, rules: () => [ALL_RULE] };
  return { callerOf: () => caller };
}

/** The groups of a caller who may do anything, as Kubernetes names them. */
export const MASTERS = ["system:masters", "system:authenticated"] as const;

/** The rule of a caller who may do anything. */
export const ALL_RULE: PolicyRule = { verbs: ["*"], apiGroups: ["*"], resources: ["*"] };

/** `sender` waiting `timeoutMs` for each reply when given and it can (CommandSender.within), else `sender` itself. Pure. */
export function senderWithin(sender: CommandSender, timeoutMs: number | undefined): CommandSender {
  return timeoutMs === undefined ? sender : (sender.within?.(timeoutMs) ?? sender);
}
