/**
 * Telling JetStream's errors apart where a caller must (a stream that does not exist yet is not a failure, a write
 * that lost its race is a conflict). The NATS error codes live here and nowhere else.
 */
import { JetStreamApiError } from "@nats-io/jetstream";

/** JetStream API error codes (nats-server's errors.json). */
const STREAM_NOT_FOUND = 10059;
/** An expected last (subject) sequence that did not match: another write got there first. */
const WRONG_LAST_SEQUENCE = 10071;
/** The same refusal as newer servers may report it (without the sequence in the message). */
const WRONG_LAST_SEQUENCE_UNKNOWN = 10164;

/** True for JetStream's "stream not found" (an API error 10059, or the client's own error when it looks the stream up). Pure. */
export function isStreamNotFound(err: unknown): boolean {
  return (err instanceof JetStreamApiError && err.code === STREAM_NOT_FOUND) || /stream not found/i.test((err as Error | undefined)?.message ?? "");
}

/**
 * True when a write guarded by an expected last subject sequence (an event append, a KV create, update or
 * revision-checked delete) was refused because the subject had moved on. Pure.
 */
export function isWrongLastSequence(err: unknown): boolean {
  return err instanceof JetStreamApiError && (err.code === WRONG_LAST_SEQUENCE || err.code === WRONG_LAST_SEQUENCE_UNKNOWN);
}

/**
 * The sequence a refused guarded write named as the subject's last ("wrong last sequence: 1336", error 10071), or
 * undefined when the refusal does not say (error 10164, any other error). Pure.
 */
export function lastSequenceNamed(err: unknown): number | undefined {
  if (!(err instanceof JetStreamApiError) || err.code !== WRONG_LAST_SEQUENCE) return undefined;
  const m = /wrong last sequence:\s*(\d+)/i.exec(err.message);
  return m ? Number(m[1]) : undefined;
}
