/**
 * The layer rule of src/events: JetStream (streams, consumers, KV and object buckets, their errors) is touched only
 * here. Every other source file asks the event store and the modules of this folder, so stream names, consumer
 * settings and NATS error codes live in one place. Test files may reach JetStream directly (to seed or inspect it).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
/** Any import (or `export … from`) of the JetStream, KV or object store packages, type-only ones included. */
const JETSTREAM_IMPORT = /\bfrom\s+["']@nats-io\/(jetstream|kv|obj)["']|import\(\s*["']@nats-io\/(jetstream|kv|obj)["']\s*\)/;
/** Bench files that measure raw JetStream on purpose (each says why at its import). */
const MEASURES_RAW_JETSTREAM = new Set(["bench/ceiling.ts"]);
function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith(".ts") && !e.name.endsWith(".spec.ts") ? [path] : [];
  });
}

/** The files outside src/events that import JetStream. */
function offenders(): string[] {
  return [...sourceFiles("src"), ...sourceFiles("bench")]
    .map((f) => relative(ROOT, join(ROOT, f)))
    .filter((f) => !f.startsWith("src/events/") && !MEASURES_RAW_JETSTREAM.has(f))
    .filter((f) => JETSTREAM_IMPORT.test(readFileSync(join(ROOT, f), "utf8")))
    .sort();
}

describe("the JetStream boundary", () => {
  it("recognizes the imports it forbids", () => {
    expect(JETSTREAM_IMPORT.test(`import { Kvm } from "@nats-io/kv";`)).toBe(true);
    expect(JETSTREAM_IMPORT.test(`import type { JetStreamClient } from '@nats-io/jetstream';`)).toBe(true);
    expect(JETSTREAM_IMPORT.test(`export { Objm } from "@nats-io/obj";`)).toBe(true);
    expect(JETSTREAM_IMPORT.test(`import { headers } from "@nats-io/nats-core";`)).toBe(false);
  });

  it("no source file outside src/events imports @nats-io/jetstream, @nats-io/kv or @nats-io/obj", () => {
    expect(offenders()).toEqual([]);
  });
});
