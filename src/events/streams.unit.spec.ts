/**
 * The stream configs Coxswain asks JetStream for, pinned: the event, log and stats streams are made exactly as they
 * were before src/events/streams.ts made them from our own specs (issue #16), and an existing stream is amended only
 * in the fields named.
 */
import { describe, expect, it } from "vitest";
import { DiscardPolicy, RetentionPolicy, StorageType, type StreamConfig } from "@nats-io/jetstream";
import { amendedConfig, streamConfig } from "./streams.js";

describe("streamConfig", () => {
  it("makes the event store's stream: file, limits, replicas, the duplicate window in nanoseconds, direct gets", () => {
    expect(streamConfig("COX_EVENTS", {
      subjects: ["cox.ev.>"], storage: "file", replicas: 3, duplicateWindowMs: 120_000, allowDirect: true,
    })).toStrictEqual({
      name: "COX_EVENTS", subjects: ["cox.ev.>"], storage: StorageType.File, retention: RetentionPolicy.Limits,
      num_replicas: 3, duplicate_window: 120_000_000_000, allow_direct: true,
    });
  });

  it("makes the log stream: file, discard old, lines per subject and bytes in all", () => {
    expect(streamConfig("COX_LOGS", {
      subjects: ["cox.logs.>"], storage: "file", discard: "old", maxMsgsPerSubject: 10_000, maxBytes: 256 * 1024 * 1024, replicas: 1,
    })).toStrictEqual({
      name: "COX_LOGS", subjects: ["cox.logs.>"], storage: StorageType.File, retention: RetentionPolicy.Limits, discard: DiscardPolicy.Old,
      max_msgs_per_subject: 10_000, max_bytes: 268_435_456, num_replicas: 1,
    });
  });

  it("makes the stats stream: memory, one message per subject, a minute's age in nanoseconds", () => {
    expect(streamConfig("COX_STATS", {
      subjects: ["cox.stats.>"], storage: "memory", discard: "old", maxMsgsPerSubject: 1, maxAgeMs: 60_000, maxBytes: 64 * 1024 * 1024, replicas: 3,
    })).toStrictEqual({
      name: "COX_STATS", subjects: ["cox.stats.>"], storage: StorageType.Memory, retention: RetentionPolicy.Limits, discard: DiscardPolicy.Old,
      max_msgs_per_subject: 1, max_age: 60_000_000_000, max_bytes: 67_108_864, num_replicas: 3,
    });
  });

  it("names no limit the spec does not, and defaults to one replica on file", () => {
    expect(streamConfig("S", { subjects: ["s.>"], discard: "new" })).toStrictEqual({
      name: "S", subjects: ["s.>"], storage: StorageType.File, retention: RetentionPolicy.Limits, num_replicas: 1, discard: DiscardPolicy.New,
    });
  });
});

describe("amendedConfig", () => {
  const current = {
    name: "COX_LOGS", subjects: ["a.logs.>"], max_msgs_per_subject: 5, allow_direct: false, duplicate_window: 1,
  } as unknown as StreamConfig;

  it("adds the missing subjects and keeps everything else of the stream", () => {
    expect(amendedConfig(current, { subjects: ["b.logs.>"], max_msgs_per_subject: 10_000 }, ["subjects"]))
      .toStrictEqual({ ...current, subjects: ["a.logs.>", "b.logs.>"] });
  });

  it("sets the named fields where they differ, and only those", () => {
    expect(amendedConfig(current, { subjects: ["b.ev.>"], allow_direct: true, duplicate_window: 1 }, ["allowDirect", "duplicateWindowMs"]))
      .toStrictEqual({ ...current, allow_direct: true });
    expect(amendedConfig(current, { allow_direct: true, duplicate_window: 7 }, ["duplicateWindowMs"]))
      .toStrictEqual({ ...current, duplicate_window: 7 });
  });

  it("answers null when the stream already agrees", () => {
    expect(amendedConfig(current, { subjects: ["a.logs.>"], allow_direct: false, duplicate_window: 1 }, ["subjects", "allowDirect", "duplicateWindowMs"])).toBeNull();
  });
});
