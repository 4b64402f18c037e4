/** The streams node agents write into (COX_LOGS, COX_STATS): created by the first agent, shared by every prefix. */
import type { NatsConnection } from "@nats-io/nats-core";
import { jetstreamManager, type StreamConfig } from "@nats-io/jetstream";
import { isStreamNotFound } from "../events/streamErrors.js";

/**
 * Creates stream `name` for `subject` with `config` when it is missing, or adds `subject` to it when another
 * prefix made it; nothing else of an existing stream is changed. A concurrent creation by another agent is fine. Does I/O.
 */
export async function ensureStream(nc: NatsConnection, name: string, subject: string, config: Partial<StreamConfig>): Promise<void> {
  const jsm = await jetstreamManager(nc);
  try {
    const info = await jsm.streams.info(name);
    if (!info.config.subjects.includes(subject)) await jsm.streams.update(name, { ...info.config, subjects: [...info.config.subjects, subject] });
  } catch (err) {
    if (!isStreamNotFound(err)) throw err;
    await jsm.streams.add({ ...config, name, subjects: [subject] }).catch(async (addErr: unknown) => {
      await jsm.streams.info(name).catch(() => { throw addErr; });
    });
  }
}
