/** Running the system as real processes against a test nats-server, and watching it from the test. */
import type { NatsConnection } from "@nats-io/transport-node";
import { openLeaseBucket } from "../../src/election/index.js";
import { toLeaseEntry } from "../../src/election/leaseStore.js";
import { startClusterView, type RunnerClusterView } from "../../src/projections/index.js";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encryptionKeyPath, ensureKeyFile } from "../../src/auth/keyFile.js";
import { DEFAULT_DATA_DIR } from "../../src/cli/config.js";
import { ROOT, startCli, type RunningProcess } from "./processes.js";

/** Starts `coxswain <part> --nats URL --prefix P …` and waits for its ready line. */
export async function startPart(url: string, prefix: string, part: string, args: string[], ready: string | RegExp): Promise<RunningProcess> {
  const p = startCli("coxswain", [part, "--nats", url, "--prefix", prefix, ...args]);
  await p.waitFor(ready, 60_000);
  return p;
}

/**
 * A data folder of its own for a part that joins those `startPart` starts (which share the repository's data
 * folder), holding the same encryption key: a part with another key refuses to join (src/nats/hello.ts).
 */
export function partDataDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `${name}-`));
  mkdirSync(join(dir, "pki"), { mode: 0o700 });
  const key = ensureKeyFile(encryptionKeyPath(join(ROOT, DEFAULT_DATA_DIR)));
  writeFileSync(encryptionKeyPath(dir), key.toString("base64"), { mode: 0o600 });
  return dir;
}

/** One change of the controllers' lease as seen by a watcher. */
export interface LeaseChange {
  at: number;
  holder: string | null;
  term: number;
  renewed?: string | undefined;
}

/**
 * Records every change of a lease key, with the local time it was seen: from a watch, and from reads every 100 ms
 * (a watch whose consumer lived on a killed server of a cluster may stall silently).
 */
export async function watchLease(nc: NatsConnection, component = "controllers"): Promise<{ changes: LeaseChange[]; stop(): void }> {
  const kv = await openLeaseBucket(nc);
  const changes: LeaseChange[] = [];
  const record = (e: Parameters<typeof toLeaseEntry>[0]) => {
    const entry = toLeaseEntry(e);
    const holder = entry.record?.holderIdentity ?? null;
    const renewed = entry.record?.renewTime;
    const last = changes.at(-1);
    if (last && last.holder === holder && last.term === entry.term && last.renewed === renewed) return;
    changes.push({ at: performance.now(), holder, term: entry.term, renewed });
  };
  const iter = await kv.watch({ key: component });
  void (async () => {
    for await (const e of iter) record(e);
  })();
  const poll = setInterval(() => void kv.get(component).then((e) => { if (e) record(e); }, () => undefined), 100);
  return { changes, stop: () => { clearInterval(poll); iter.stop(); } };
}

/** The pid in a holder identity `<component>/<host>/<pid>`. */
export function holderPid(holder: string | null): number | undefined {
  const pid = Number(holder?.split("/").pop());
  return Number.isFinite(pid) ? pid : undefined;
}

/** A projection of its own in the test process. */
export async function testView(nc: NatsConnection, prefix: string): Promise<{ view: RunnerClusterView; stop(): Promise<void> }> {
  const v = await startClusterView(nc, { prefix, name: `test-${Math.random().toString(36).slice(2, 8)}` });
  return { view: v.view, stop: v.stop };
}

/** Pod objects as the tests read them. */
export interface PodLike {
  metadata: { name: string; labels?: Record<string, string>; deletionTimestamp?: string; creationTimestamp: string };
  spec: { nodeName?: string };
  status: { phase: string; containerStatuses?: { restartCount: number }[] };
}

/** Active pods (not terminal, not terminating) of the view. */
export function activePods(view: RunnerClusterView, namespace = "default"): PodLike[] {
  return view
    .list<PodLike>("pods", namespace)
    .map((e) => e.object)
    .filter((p) => p.status.phase !== "Succeeded" && p.status.phase !== "Failed" && !p.metadata.deletionTimestamp);
}

/** A v1 ReplicationController manifest with simulated containers. */
export function rcManifest(name: string, replicas: number, env: Record<string, string> = {}) {
  return {
    metadata: { name },
    spec: {
      replicas, selector: { app: name },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: "app", image: "sim", env: Object.entries(env).map(([k, v]) => ({ name: k, value: v })) }] },
      },
    },
  };
}
