/**
 * Validation at the door: every message on a command subject is parsed here before anything else happens.
 * The result is a typed command for one entity, or a StatusError naming what is wrong. Pure.
 */
import { isApiVersion, type ApiVersion } from "../api/codec.js";
import { CommandBody } from "../api/commandBody.js";
import { CLUSTER_NS, isResource, RESOURCE_INFO, type EntityRef } from "../api/kinds.js";
import { isDnsLabel, isDnsSubdomain } from "../api/names.js";
import { MAX_TIMEOUT_MS, TIMEOUT_HEADER } from "../api/reply.js";
import { StatusError, invalidFromZod } from "../api/status.js";
import { randomUUID } from "node:crypto";
import { rfc3339Seconds } from "../events/envelope.js";
import { nameFromToken, subjectTokens, type CommandChannel } from "../events/subjects.js";
import type { Command } from "./decider.js";
import type { AnyCommandType } from "./kindCommands.js";
import type { ActorKind } from "./registry.js";

/** A command that passed the door. */
export interface AdmittedCommand {
  ref: EntityRef;
  /** Where it came from: a command channel, the entity's own timer inside the host, or the host itself (quota reservations). */
  channel: CommandChannel | { role: "timer" } | { role: "host" };
  kind: ActorKind;
  /** One of the kind's command types (the door checked it against the kind's decider). */
  type: AnyCommandType;
  apiVersion: ApiVersion;
  id: string | undefined;
  expectedVersion: number | undefined;
  term: number | undefined;
  data: unknown;
  /** False when the sender asked (header `Cox-Reply: status`) for a reply without the object. */
  replyObject?: false;
}

/** A command the host issues itself (an entity's timer, or the host's own such as a quota reservation): it skips the door. Pure. */
export function internalCommand(
  ref: EntityRef, kind: ActorKind, channel: { role: "timer" } | { role: "host" }, command: { type: AnyCommandType; data: unknown }, id: string,
): AdmittedCommand {
  return { ref, channel, kind, type: command.type, apiVersion: "v1", id, expectedVersion: undefined, term: undefined, data: command.data };
}

/** Who sent a command, as the host records it on the events. */
export interface CommandOrigin {
  actor: string;
  correlationId: string;
  /**
   * When its sender stops waiting for the reply (header `Cox-Timeout`), on the host's monotonic clock
   * (`performance.now()`): a command whose turn comes later is not run.
   */
  deadline?: number | undefined;
}

/**
 * How long a sender waits, from its header `Cox-Timeout: <ms>` (`value`; none without the header), or a BadRequest
 * naming the header when it is not a whole number of milliseconds from 1 to a day. Pure.
 */
export function timeoutOf(value: string | undefined): number | undefined {
  if (value === undefined || value === "") return undefined;
  const ms = /^[0-9]{1,8}$/.test(value) ? Number(value) : NaN;
  if (!(ms >= 1 && ms <= MAX_TIMEOUT_MS)) {
    throw new StatusError("BadRequest", `header ${TIMEOUT_HEADER}: must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS}, not "${value.slice(0, 32)}"`);
  }
  return ms;
}

/** The deadline of a command that arrived at `arrivedMs` with `Cox-Timeout: <value>` (timeoutOf's refusal as it throws). Pure. */
export function deadlineOf(value: string | undefined, arrivedMs: number): number | undefined {
  const ms = timeoutOf(value);
  return ms === undefined ? undefined : arrivedMs + ms;
}

/**
 * The refusal of a command whose sender stopped waiting before its turn came (`from.deadline` passed at `nowMs`),
 * or null while the sender still waits. Such a command is not run: nothing is appended. Pure.
 */
export function lateRefusal(cmd: AdmittedCommand, from: CommandOrigin, nowMs: number): StatusError | null {
  if (from.deadline === undefined || nowMs <= from.deadline) return null;
  const what = { kind: cmd.ref.resource, name: cmd.ref.name };
  return new StatusError("Timeout", `${cmd.type} for ${cmd.ref.resource} "${cmd.ref.name}" waited at the actor host past its sender's ${TIMEOUT_HEADER} and was not run`, what);
}

/**
 * The command a decider sees: the admitted data with the host's facts (arrival time, a fresh uid, the id, which is
 * the sender's or a new one). Pure but for the fresh ids.
 */
export function commandFor(cmd: AdmittedCommand, from: CommandOrigin, nowMs: number): Command {
  const id = cmd.id ?? `h-${randomUUID()}`;
  return {
    type: cmd.type,
    data: cmd.data,
    meta: {
      id, time: rfc3339Seconds(new Date(nowMs)), nowMs, uid: randomUUID(), apiVersion: cmd.apiVersion,
      namespace: cmd.ref.namespace, name: cmd.ref.name, term: cmd.term, actor: from.actor, correlationId: from.correlationId || id,
    },
  };
}

/** The entity a command subject names and the channel (sender role) it came on, or a BadRequest. Pure. */
export function refFromCommandSubject(prefix: string, subject: string): { ref: EntityRef; channel: CommandChannel } {
  const { tokens, channel } = splitCommandSubject(prefix, subject);
  const [resource, namespace, token] = tokens;
  const name = nameFromToken(token);
  if (!isResource(resource)) throw new StatusError("BadRequest", `unknown kind "${resource}" in the subject`, { kind: resource });
  const clusterScoped = RESOURCE_INFO[resource].clusterScoped;
  if (clusterScoped && namespace !== CLUSTER_NS) {
    throw new StatusError("BadRequest", `${resource} are cluster-scoped: the subject's namespace must be "_"`, { kind: resource, name });
  }
  if (!clusterScoped && !isDnsLabel(namespace)) {
    throw new StatusError("BadRequest", `namespace "${namespace}" in the subject is not a DNS-1123 label`, { kind: resource, name });
  }
  if (!isDnsSubdomain(name)) throw new StatusError("BadRequest", `name "${name}" in the subject is not a DNS-1123 subdomain`, { kind: resource, name });
  return { ref: { resource, namespace, name }, channel };
}

function splitCommandSubject(prefix: string, subject: string): { tokens: [string, string, string]; channel: CommandChannel } {
  const user = subjectTokens(prefix, "cmd", subject);
  if (user) return { tokens: user, channel: { role: "user" } };
  const ctl = subjectTokens(prefix, "ctl", subject);
  if (ctl) return { tokens: ctl, channel: { role: "controller" } };
  const head = `${prefix}.node.`;
  if (subject.startsWith(head)) {
    const [node, ...rest] = subject.slice(head.length).split(".");
    if (node && isDnsLabel(node) && rest.length === 3) return { tokens: rest as [string, string, string], channel: { role: "node", node } };
  }
  throw new StatusError("BadRequest", `subject "${subject}" is not ${prefix}.cmd|ctl.<kind>.<namespace>.<name> or ${prefix}.node.<node>.<kind>.<namespace>.<name>`);
}

/** Parses a raw command for the entity of `subject`. Throws StatusError. Pure. */
export function admitCommand(
  prefix: string,
  subject: string,
  payload: Uint8Array,
  kinds: Partial<Record<string, ActorKind>>,
  maxBodyBytes: number,
): AdmittedCommand {
  const target = refFromCommandSubject(prefix, subject);
  const what = { kind: target.ref.resource, name: target.ref.name };
  if (payload.length > maxBodyBytes) {
    throw new StatusError("TooLarge", `the command is ${payload.length} bytes; the limit is ${maxBodyBytes}`, what);
  }
  return admitBody(target, subject, parseJson(payload, what), kinds);
}

/** Admits a command whose body is already a parsed JSON object (one of a batch's, batch.ts). Throws StatusError. Pure. */
export function admitParsed(prefix: string, subject: string, json: Record<string, unknown>, kinds: Partial<Record<string, ActorKind>>): AdmittedCommand {
  return admitBody(refFromCommandSubject(prefix, subject), subject, json, kinds);
}

function admitBody(
  { ref, channel }: { ref: EntityRef; channel: CommandChannel }, subject: string, json: unknown, kinds: Partial<Record<string, ActorKind>>,
): AdmittedCommand {
  const what = { kind: ref.resource, name: ref.name };
  const envelope = CommandBody.safeParse(json);
  if (!envelope.success) {
    const first = envelope.error.issues[0];
    const path = first?.path[0];
    if (path === "apiVersion" || path === "type") {
      throw new StatusError("BadRequest", `${String(path)} is required and must be a string`, { ...what, causes: [{ field: String(path), message: first?.message ?? "" }] });
    }
    throw invalidFromZod(envelope.error, what);
  }
  const body = envelope.data;
  if (!isApiVersion(body.apiVersion)) {
    throw new StatusError("BadRequest", `unknown apiVersion "${body.apiVersion}" (supported: v1, v1beta1)`, { ...what, causes: [{ field: "apiVersion", message: "unsupported" }] });
  }
  const kind = kinds[ref.resource];
  if (!kind) {
    // A kind registered for reads only (events, derived from the stream) has no actor: nothing may write it.
    throw new StatusError("MethodNotAllowed", `${ref.resource} are read-only: no command is accepted`, { ...what, causes: [{ field: "type", message: "no actor takes commands for this kind" }] });
  }
  const spec = kind.decider.commands[body.type];
  if (!spec) {
    const known = Object.keys(kind.decider.commands).join(", ");
    throw new StatusError("BadRequest", `unknown command type "${body.type}" for ${ref.resource} (known: ${known})`, { ...what, causes: [{ field: "type", message: "unknown" }] });
  }
  const target = { namespace: ref.namespace, name: ref.name };
  let data: unknown;
  if (spec.manifest) data = kind.codec.parseManifest(body.apiVersion, body.data, target);
  else {
    const r = spec.schema.safeParse(body.data ?? {}, { reportInput: true });
    if (!r.success) throw invalidFromZod(r.error, what, "data");
    data = r.data;
  }
  if (!spec.senders.includes(channel.role)) {
    throw new StatusError("Forbidden", `${body.type} may be sent only by ${spec.senders.join(" or ")}, not by a ${channel.role} (${subject})`, what);
  }
  // `spec` exists: body.type is one of the kind's command types.
  return { ref, channel, kind, type: body.type as AnyCommandType, apiVersion: body.apiVersion, id: body.id, expectedVersion: body.expectedVersion, term: body.term, data };
}

const decoder = new TextDecoder("utf-8", { fatal: true });

/** The body as a JSON object, or a BadRequest: not UTF-8, not JSON, or JSON that is not an object. */
export function parseJson(payload: Uint8Array, what: { kind?: string; name?: string } = {}): unknown {
  let text: string;
  let json: unknown;
  try {
    text = decoder.decode(payload);
  } catch {
    throw new StatusError("BadRequest", "the body is not valid UTF-8", what);
  }
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new StatusError("BadRequest", `the body is not valid JSON: ${(err as Error).message}`, what);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    const got = json === null ? "null" : Array.isArray(json) ? "an array" : `a ${typeof json}`;
    throw new StatusError("BadRequest", `the body is not a JSON object (it is ${got})`, what);
  }
  return json;
}
