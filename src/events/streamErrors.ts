/** Telling JetStream's errors apart where a reader must (a stream that does not exist yet is not a failure). */
import { JetStreamApiError } from "@nats-io/jetstream";

/** True for JetStream's "stream not found" (an API error 10059, or the client's own error when it looks the stream up). Pure. */
export function isStreamNotFound(err: unknown): boolean {
  return (err instanceof JetStreamApiError && err.code === 10059) || /stream not found/i.test((err as Error | undefined)?.message ?? "");
}
